/* Reading a whole record file, for both verifiers (vcommon.h); each
 * wraps it with its own messages (2.1: reader.c, 2.0: json20.c). And the
 * copy of a string both keep from the JSON they read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/common/vcommon.h"

#include "scrutin/core.h"

sc_status vc_read_all(FILE *f, size_t max, uint8_t **out, size_t *len)
{
    sc_status rc = SC_OK;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    *out = NULL;
    *len = 0;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 65536;
            SC_ENSURE(ncap <= max, SC_E_INVALID_RANGE);
            uint8_t *nb = realloc(buf, ncap + 1);
            SC_ENSURE(nb != NULL, SC_E_NOMEM);
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            SC_ENSURE(!ferror(f), SC_E_IO);
            break;
        }
    }
    if (buf == NULL) {
        buf = malloc(1);
        SC_ENSURE(buf != NULL, SC_E_NOMEM);
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    buf = NULL;
done:
    free(buf);
    return rc;
}

char *vc_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}
