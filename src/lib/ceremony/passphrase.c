/* Passphrases for guardian files: from a 0600 file or the terminal without
 * echo; held in sodium_malloc'd memory only. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "ceremony/jsonio.h"
#include "scrutin/ceremony.h"

#define PASS_MAX 1024

void sc_passphrase_free(char *p)
{
    if (p != NULL) {
        sodium_free(p);
    }
}

static sc_status read_fd_line(int fd, char *buf, size_t *len)
{
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0 || c == '\n') {
            break;
        }
        if (n + 1 >= PASS_MAX) {
            return SC_E_RANGE;
        }
        buf[n++] = c;
    }
    if (n > 0 && buf[n - 1] == '\r') {
        n--;
    }
    buf[n] = '\0';
    *len = n;
    return SC_OK;
}

static sc_status from_tty(const char *prompt, char *buf, size_t *len)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return sc_jio_fail(SC_E_IO, "no --passphrase-file given and no "
                                    "terminal to ask for the passphrase");
    }
    struct termios old, quiet;
    int have = tcgetattr(fd, &old) == 0;
    if (have) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        (void)tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    if (write(fd, prompt, strlen(prompt)) < 0) {
        /* nothing to do: the read below still works */
    }
    sc_status rc = read_fd_line(fd, buf, len);
    if (have) {
        (void)tcsetattr(fd, TCSAFLUSH, &old);
    }
    if (write(fd, "\n", 1) < 0) {
        /* ignore */
    }
    close(fd);
    return rc;
}

sc_status sc_passphrase_read(const char *file, const char *prompt, int confirm,
                             char **out, size_t *len)
{
    sc_status rc = SC_OK;
    char *buf = sodium_malloc(PASS_MAX), *again = NULL;
    *out = NULL;
    *len = 0;
    if (buf == NULL) {
        return SC_E_NOMEM;
    }
    if (file != NULL) {
        int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            rc = sc_jio_fail(SC_E_IO,
                             "%s: cannot open the passphrase file: "
                             "%s",
                             file, strerror(errno));
            if (fd >= 0) {
                close(fd);
            }
            goto done;
        }
        if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 ||
            st.st_uid != geteuid()) {
            close(fd);
            rc = sc_jio_fail(SC_E_INVALID,
                             "%s: the passphrase file must be a "
                             "regular file of yours with mode 0600",
                             file);
            goto done;
        }
        rc = read_fd_line(fd, buf, len);
        close(fd);
        if (rc != SC_OK) {
            rc = sc_jio_fail(rc, "%s: passphrase too long", file);
            goto done;
        }
    } else {
        SC_CHECK(from_tty(prompt != NULL ? prompt : "Passphrase: ", buf, len));
        if (confirm && *len > 0) {
            size_t l2 = 0;
            again = sodium_malloc(PASS_MAX);
            SC_ENSURE(again != NULL, SC_E_NOMEM);
            SC_CHECK(from_tty("Again: ", again, &l2));
            if (l2 != *len || sodium_memcmp(again, buf, l2) != 0) {
                rc = sc_jio_fail(SC_E_INVALID, "the passphrases differ");
                goto done;
            }
        }
    }
    if (*len == 0) {
        rc = sc_jio_fail(SC_E_INVALID, "empty passphrase");
        goto done;
    }
    *out = buf;
    buf = NULL;
done:
    if (buf != NULL) {
        sodium_free(buf);
    }
    if (again != NULL) {
        sodium_free(again);
    }
    if (rc != SC_OK) {
        *len = 0;
    }
    return rc;
}
