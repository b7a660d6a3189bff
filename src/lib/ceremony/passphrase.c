/* Passphrases for guardian files: from a 0600 file or the terminal without
 * echo; held in sodium_malloc'd memory only. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "ceremony/jsonio.h"
#include "scrutin/ceremony.h"
#include "scrutin/files.h"

#define PASS_MAX 1024
/* A new passphrase (confirm set) has at least this many characters and
 * PASS_MIN_DISTINCT different ones (docs/CEREMONY.md). */
#define PASS_MIN_CHARS 12
#define PASS_MIN_DISTINCT 5

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

/* The terminal's settings while echo is off, restored by a signal that
 * interrupts the prompt (Ctrl-C, hang-up, kill) before it goes on. */
static int tty_fd = -1;
static struct termios tty_saved;
static const int tty_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
#define N_TTY_SIGNALS (sizeof tty_signals / sizeof tty_signals[0])
static struct sigaction tty_old_act[N_TTY_SIGNALS];

static void tty_restore_on_signal(int sig)
{
    if (tty_fd >= 0) {
        (void)tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
        if (write(tty_fd, "\n", 1) < 0) {
            /* nothing more to do in a handler */
        }
    }
    for (size_t i = 0; i < N_TTY_SIGNALS; i++) {
        if (tty_signals[i] == sig) {
            (void)sigaction(sig, &tty_old_act[i], NULL);
        }
    }
    (void)raise(sig);
}

static void tty_guard(int fd, const struct termios *saved, int on)
{
    if (on) {
        tty_saved = *saved;
        tty_fd = fd;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = tty_restore_on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < N_TTY_SIGNALS; i++) {
            (void)sigaction(tty_signals[i], &sa, &tty_old_act[i]);
        }
    } else {
        for (size_t i = 0; i < N_TTY_SIGNALS; i++) {
            (void)sigaction(tty_signals[i], &tty_old_act[i], NULL);
        }
        tty_fd = -1;
    }
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
        tty_guard(fd, &old, 1);
        (void)tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    if (write(fd, prompt, strlen(prompt)) < 0) {
        /* nothing to do: the read below still works */
    }
    sc_status rc = read_fd_line(fd, buf, len);
    if (have) {
        (void)tcsetattr(fd, TCSAFLUSH, &old);
        tty_guard(fd, &old, 0);
    }
    if (write(fd, "\n", 1) < 0) {
        /* ignore */
    }
    close(fd);
    return rc;
}

/* A new passphrase: PASS_MIN_CHARS characters (UTF-8 code points), of
 * which PASS_MIN_DISTINCT differ. Runs on the secret: no early exit on
 * its content matters here (the length is not secret). */
static sc_status strong_enough(const char *p, size_t len)
{
    size_t chars = 0;
    unsigned char seen[256] = {0};
    size_t distinct = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        chars += (c & 0xC0) != 0x80;
        distinct += seen[c] == 0;
        seen[c] = 1;
    }
    sodium_memzero(seen, sizeof seen);
    if (chars < PASS_MIN_CHARS || distinct < PASS_MIN_DISTINCT) {
        return sc_jio_fail(SC_E_INVALID,
                           "the new passphrase is too weak: use at least %d "
                           "characters, %d of them different (a few words "
                           "work well)",
                           PASS_MIN_CHARS, PASS_MIN_DISTINCT);
    }
    return SC_OK;
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
        int fd = -1;
        struct stat st;
        rc = sc_input_open_fd(file, O_NOFOLLOW, &fd, &st);
        if (rc != SC_OK) {
            rc = sc_jio_fail(rc, "%s: cannot open the passphrase file: %s",
                             file, sc_strerror(rc));
            goto done;
        }
        if ((st.st_mode & 077) != 0 || st.st_uid != geteuid()) {
            close(fd);
            rc = sc_jio_fail(SC_E_INVALID,
                             "%s: the passphrase file must be a "
                             "regular file of yours with mode 0600",
                             file);
            goto done;
        }
        rc = read_fd_line(fd, buf, len);
        /* the whole file is the passphrase: one line, one newline at
         * most; anything after it would be silently ignored */
        char extra;
        ssize_t more = rc == SC_OK ? read(fd, &extra, 1) : 0;
        close(fd);
        if (rc != SC_OK) {
            rc = sc_jio_fail(rc, "%s: passphrase too long (at most %d bytes)",
                             file, PASS_MAX - 2);
            goto done;
        }
        if (more != 0) {
            rc = sc_jio_fail(SC_E_INVALID,
                             "%s: the passphrase file has more than one "
                             "line; it must hold the passphrase alone",
                             file);
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
    if (confirm) {
        SC_CHECK(strong_enough(buf, *len));
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
