/* Shared helpers of the scrutin subcommands. */
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "scrutin/ceremony.h"
#include "scrutin/core.h"
#include "scrutin/hash.h"
#include "scrutin/rng.h"
#include "scrutin/json.h"

void cli_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("scrutin: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_err_field(const char *file, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (field != NULL) {
        fprintf(stderr, "scrutin: %s: field %s: ", file, field);
    } else {
        fprintf(stderr, "scrutin: %s: ", file);
    }
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "scrutin %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'scrutin %s --help'.\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    const char *opt = argv[optind - 1];
    if (c == ':') {
        return cli_usage_error(cmd, "option '%s' needs a value", opt);
    }
    if (optopt != 0 && opt[0] == '-' && opt[1] != '-') {
        return cli_usage_error(cmd, "unknown option '-%c'", optopt);
    }
    return cli_usage_error(cmd, "unknown option '%s'", opt);
}

int cli_record_options(const char *cmd, int argc, char **argv,
                       void (*help)(void), const char **dir, int *quiet)
{
    static const struct option opts[] = {
        {"record", required_argument, NULL, 'r'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    *dir = NULL;
    *quiet = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': *dir = optarg; break;
        case 'q': *quiet = 1; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    return -1;
}

int cli_exit_for(sc_status rc)
{
    return SC_STATUS_CLASS(rc) == SC_E_VERIFY ? EXIT_VERIFY : EXIT_ERROR;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9') {
        return 0;
    }
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0') {
        return 0;
    }
    *out = v;
    return 1;
}

int cli_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
    uint64_t v;
    if (!cli_parse_u64(s, &v) || v < min || v > max) {
        return 0;
    }
    *out = (uint32_t)v;
    return 1;
}

int cli_parse_kdf(const char *s, sc_kdf_level *out)
{
    if (strcmp(s, "interactive") == 0) {
        *out = SC_KDF_INTERACTIVE;
    } else if (strcmp(s, "moderate") == 0) {
        *out = SC_KDF_MODERATE;
    } else {
        return 0;
    }
    return 1;
}

int cli_parse_rate(const char *s, double *out)
{
    if (s == NULL || *s == '\0') {
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s) {
        return 0;
    }
    if (*end == '%' && end[1] == '\0') {
        v /= 100.0;
    } else if (*end != '\0') {
        return 0;
    }
    if (!(v >= 0.0 && v <= 1.0)) {
        return 0;
    }
    *out = v;
    return 1;
}

sc_status cli_write_file(const char *path, const void *data, size_t len)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            return SC_E_IO;
        }
        return SC_OK;
    }
    return sc_file_write_atomic(path, data, len);
}

sc_status cli_test_seed(uint64_t n, uint8_t seed[32], sc_rng **rng)
{
    uint8_t sb[8], zero[32] = {0};
    for (int k = 0; k < 8; k++) {
        sb[k] = (uint8_t)(n >> (56 - 8 * k));
    }
    sc_hmac(seed, zero, sb, sizeof sb);
    return rng != NULL ? sc_rng_new_seeded(rng, sb, sizeof sb) : SC_OK;
}

sc_status cli_passphrase(const char *cmd, const char *file, const char *prompt,
                         int confirm, char **out, size_t *len)
{
    sc_status rc = sc_passphrase_read(file, prompt, confirm, out, len);
    if (rc != SC_OK) {
        const char *d = sc_ceremony_errdetail();
        fprintf(stderr, "scrutin %s: %s\n", cmd,
                *d != '\0' ? d : sc_strerror(rc));
    }
    return rc;
}

int cli_read_passphrase(const char *cmd, const char *file, const char *prompt,
                        int confirm, char *buf, size_t cap, size_t *len)
{
    char *p = NULL;
    size_t n = 0;
    *len = 0;
    if (cli_passphrase(cmd, file, prompt, confirm, &p, &n) != SC_OK) {
        return -1;
    }
    if (n + 1 > cap) {
        sc_passphrase_free(p);
        cli_err("passphrase too long");
        return -1;
    }
    memcpy(buf, p, n + 1);
    sc_passphrase_free(p);
    *len = n;
    return 0;
}

void cli_utc_now(char *out)
{
    time_t t = time(NULL);
    struct tm tm;
    out[0] = '\0';
    if (gmtime_r(&t, &tm) != NULL) {
        strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, const char *label, uint64_t total)
{
    p->label = label;
    p->total = total;
    p->done = 0;
    p->start = p->last = cli_now();
    p->on = isatty(2);
}

static void progress_draw(cli_progress *p)
{
    const int width = 30;
    double frac = p->total ? (double)p->done / (double)p->total : 0.0;
    if (frac > 1.0) {
        frac = 1.0;
    }
    int fill = (int)(frac * width);
    double el = cli_now() - p->start;
    fprintf(stderr, "\r%-12s [", p->label);
    for (int i = 0; i < width; i++) {
        fputc(i < fill ? '#' : ' ', stderr);
    }
    fprintf(stderr, "] %llu/%llu %5.1fs", (unsigned long long)p->done,
            (unsigned long long)p->total, el);
    fflush(stderr);
}

void cli_progress_add(cli_progress *p, uint64_t n)
{
    p->done += n;
    if (!p->on) {
        return;
    }
    double t = cli_now();
    if (t - p->last >= 0.1 || p->done >= p->total) {
        p->last = t;
        progress_draw(p);
    }
}

void cli_progress_end(cli_progress *p)
{
    if (p->on) {
        progress_draw(p);
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

void cli_protect_secrets(void)
{
    struct rlimit rl = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &rl);
#ifdef __linux__
    /* (LeakSanitizer makes the process dumpable again for its ptrace at
     * exit and restores it.) */
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}
