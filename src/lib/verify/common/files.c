/* The copy of a string both verifiers keep from the JSON they read
 * (files are read by scrutin/files.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/common/vcommon.h"

#include "scrutin/core.h"

char *vc_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}
