/* The copy of a string both verifiers keep from the JSON they read, and
 * the lines of a ballot file read in blocks (other files are read by
 * scrutin/files.h). */
#include <errno.h>
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

void vc_lines_init(vc_lines *r, FILE *f)
{
    memset(r, 0, sizeof *r);
    r->f = f;
}

ssize_t vc_lines_next(vc_lines *r, const char **line, size_t max)
{
    size_t scan = 0; /* bytes from beg known to hold no '\n' */
    for (;;) {
        const size_t avail = r->end - r->beg;
        /* a line (with its '\n') of more than max bytes is an error, so
         * the '\n' is looked for among the first max bytes only */
        const size_t look = avail < max ? avail : max;
        const char *nl = look > scan
                             ? memchr(r->buf + r->beg + scan, '\n', look - scan)
                             : NULL;
        if (nl != NULL) {
            size_t len = (size_t)(nl - (r->buf + r->beg)) + 1;
            *line = r->buf + r->beg;
            r->beg += len;
            return (ssize_t)len;
        }
        scan = look;
        if (avail > max) {
            return -2;
        }
        if (r->eof) {
            if (avail == 0) {
                return -1;
            }
            *line = r->buf + r->beg; /* the last line, without '\n' */
            r->beg = r->end;
            return (ssize_t)avail;
        }
        if (r->beg > 0) { /* the partial line to the front */
            memmove(r->buf, r->buf + r->beg, avail);
            r->beg = 0;
            r->end = avail;
        }
        if (r->end == r->cap) {
            size_t ncap = r->cap ? 2 * r->cap : 65536;
            char *p = realloc(r->buf, ncap);
            if (p == NULL) {
                errno = ENOMEM;
                return -1;
            }
            r->buf = p;
            r->cap = ncap;
        }
        size_t want = r->cap - r->end;
        size_t got = fread(r->buf + r->end, 1, want, r->f);
        r->end += got;
        if (got < want) {
            r->eof = 1; /* end of file or read error (ferror tells) */
        }
    }
}

void vc_lines_free(vc_lines *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}
