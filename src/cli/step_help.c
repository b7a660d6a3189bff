/* The helps of the steps of a command (step_help.h). */
#include "step_help.h"

#include <stdio.h>
#include <string.h>

int cli_print_step_help(const cli_step_help *steps, size_t n, const char *step)
{
    for (size_t i = 0; step != NULL && i < n; i++) {
        if (strcmp(steps[i].step, step) == 0) {
            fputs(steps[i].text, stdout);
            return 1;
        }
    }
    return 0;
}

const char *cli_find_step(const cli_step_help *steps, size_t n, int argc,
                          char **argv)
{
    for (int a = 1; a < argc; a++) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(steps[i].step, argv[a]) == 0) {
                return argv[a];
            }
        }
    }
    return NULL;
}
