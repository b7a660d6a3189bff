/* Reading input files: regular files only, sizes capped, the cause of an
 * I/O failure kept (scrutin/files.h). */
#include "scrutin/files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static _Thread_local int io_errno;

sc_status sc_io_fail(void)
{
    io_errno = errno;
    return SC_E_IO;
}

int sc_io_errno(void)
{
    return io_errno;
}

sc_status sc_input_open_fd(const char *path, int flags, int *out,
                           struct stat *st)
{
    *out = -1;
    /* non-blocking: opening a FIFO with no writer would wait forever */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | flags);
    if (fd < 0) {
        return sc_io_fail();
    }
    if (fstat(fd, st) != 0) {
        sc_status rc = sc_io_fail();
        close(fd);
        return rc;
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        return SC_E_IO_NOT_REGULAR;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        sc_status rc = sc_io_fail();
        close(fd);
        return rc;
    }
    *out = fd;
    return SC_OK;
}

sc_status sc_input_open(const char *path, FILE **out)
{
    struct stat st;
    int fd;
    *out = NULL;
    sc_status rc = sc_input_open_fd(path, 0, &fd, &st);
    if (rc != SC_OK) {
        return rc;
    }
    FILE *f = fdopen(fd, "rb");
    if (f == NULL) {
        rc = errno == ENOMEM ? SC_E_NOMEM : sc_io_fail();
        close(fd);
        return rc;
    }
    *out = f;
    return SC_OK;
}

sc_status sc_input_read(FILE *f, size_t max, uint8_t **out, size_t *len)
{
    sc_status rc = SC_OK;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    *out = NULL;
    *len = 0;
    for (;;) {
        if (n == cap) {
            SC_ENSURE(cap <= max, SC_E_IO_TOO_LARGE);
            size_t ncap = cap ? 2 * cap : 65536;
            if (ncap > max + 1) {
                ncap = max + 1; /* one byte more shows "too large" */
            }
            uint8_t *nb = realloc(buf, ncap + 1);
            SC_ENSURE(nb != NULL, SC_E_NOMEM);
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            SC_ENSURE(!ferror(f), sc_io_fail());
            break;
        }
    }
    SC_ENSURE(n <= max, SC_E_IO_TOO_LARGE);
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

sc_status sc_input_read_file(const char *path, size_t max, char **out,
                             size_t *len)
{
    FILE *f = NULL;
    *out = NULL;
    *len = 0;
    sc_status rc = sc_input_open(path, &f);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_input_read(f, max, (uint8_t **)out, len);
    fclose(f);
    return rc;
}

ssize_t sc_input_getline(char **line, size_t *cap, FILE *f, size_t max)
{
    size_t n = 0;
    int c;
    while ((c = getc_unlocked(f)) != EOF) {
        if (n >= max) {
            return -2;
        }
        if (*line == NULL || n + 2 > *cap) {
            size_t nc = *cap ? *cap * 2 : 4096;
            char *p = realloc(*line, nc);
            if (p == NULL) {
                errno = ENOMEM;
                return -1;
            }
            *line = p;
            *cap = nc;
        }
        (*line)[n++] = (char)c;
        if (c == '\n') {
            break;
        }
    }
    if (n == 0) {
        return -1;
    }
    (*line)[n] = '\0';
    return (ssize_t)n;
}
