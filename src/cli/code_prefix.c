/* Confirmation codes and their prefixes as voters type them
 * (code_prefix.h). */
#include "code_prefix.h"

#include <ctype.h>

#include "util.h"

size_t cli_code_prefix(int argc, char **argv, char out[CLI_CODE_MAX + 1])
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < argc; i++) {
        for (const char *p = argv[i]; *p; p++) {
            if (*p == ' ' || *p == '-' || *p == ':') {
                continue;
            }
            if (!isxdigit((unsigned char)*p) || n >= CLI_CODE_MAX) {
                out[0] = '\0';
                return 0;
            }
            out[n++] = (char)toupper((unsigned char)*p);
        }
    }
    out[n] = '\0';
    return n >= CLI_CODE_MIN ? n : 0;
}

void cli_code_ambiguous(const char *prefix, size_t n, int more)
{
    cli_err("%s is the start of %s%zu confirmation codes: give more digits",
            prefix, more ? "more than " : "", n);
}
