/* Shared helpers of the scrutin subcommands: messages, numbers, files,
 * passphrases, progress, timing. */
#ifndef SC_CLI_UTIL_H
#define SC_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "commands.h"
#include "scrutin/ceremony.h"
#include "scrutin/status.h"

/** "scrutin: " + message + newline on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** "scrutin: FILE: field X: what" (field may be NULL). */
void cli_err_field(const char *file, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** Print "scrutin CMD: ...; try 'scrutin CMD --help'" and return
 *  EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** For getopt_long's ':' (missing value) and '?' (unknown option)
 *  returns (the option string must start with ':'): one usage line naming
 *  the option; returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv);
/** The options of a command that takes `-r, --record DIR`, `-q, --quiet`
 *  and `-h, --help` only (tally, merge): sets *dir (NULL if not given) and
 *  *quiet and leaves optind at the first operand. Returns -1 to go on, or
 *  the exit code (help printed by `help`: EXIT_OK; a bad option:
 *  EXIT_USAGE). */
int cli_record_options(const char *cmd, int argc, char **argv,
                       void (*help)(void), const char **dir, int *quiet);
/** Exit code for a library status: EXIT_VERIFY for SC_E_VERIFY, else
 *  EXIT_ERROR. */
int cli_exit_for(sc_status rc);

/** Strict unsigned decimal in [min, max] (no sign, no junk). 0 on
 *  error. */
int cli_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int cli_parse_u64(const char *s, uint64_t *out);
/** A probability "0.05" or "5%" in [0, 1]. */
int cli_parse_rate(const char *s, double *out);
/* --kdf interactive|moderate: 1 and *out set, or 0 (the caller refuses
 * with a usage error) */
int cli_parse_kdf(const char *s, sc_kdf_level *out);
/* sc_passphrase_read; on failure, its one-line reason on stderr as
 * "scrutin CMD: <reason>" (e.g. the file's mode, a second line, too weak) */
sc_status cli_passphrase(const char *cmd, const char *file, const char *prompt,
                         int confirm, char **out, size_t *len);

/** Write a whole file atomically (temporary file + rename); "-" is
 *  stdout. */
sc_status cli_write_file(const char *path, const void *data, size_t len);

/** Read a passphrase with sc_passphrase_read (the one reader: a 0600
 *  file holding it alone, or the terminal without echo; a new one, with
 *  `confirm`, must be strong enough) into buf (cap bytes, NUL-ended);
 *  *len its length. Returns 0, or prints the error and returns -1. */
int cli_read_passphrase(const char *cmd, const char *file, const char *prompt,
                        int confirm, char *buf, size_t cap, size_t *len);

/** Progress bar on stderr, only when stderr is a terminal. */
typedef struct cli_progress {
    const char *label;
    uint64_t total, done;
    double start, last;
    int on;
} cli_progress;
void cli_progress_start(cli_progress *p, const char *label, uint64_t total);
void cli_progress_add(cli_progress *p, uint64_t n);
void cli_progress_end(cli_progress *p);

struct sc_rng;
/** --seed N (demos and tests only, NOT secure): seed = HMAC(0^32;
 *  b(N, 8)), the encryption seed of sc_encrypt_batch, and *rng (may be
 *  NULL) a generator seeded with b(N, 8). */
SC_MUST_USE sc_status cli_test_seed(uint64_t n, uint8_t seed[32],
                                    struct sc_rng **rng);

/** Monotonic clock in seconds. */
double cli_now(void);
/** The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (sc_time_ok form) in
 *  out (SC_TIME_LEN + 1 bytes). */
void cli_utc_now(char *out);
/** For a command that holds secrets (keys, shares, nonces, votes): no core
 *  file (RLIMIT_CORE 0) and not dumpable (PR_SET_DUMPABLE 0: no core even
 *  if the limit is raised, no ptrace or /proc/PID/mem by other processes
 *  of the same user). Called once, by main, before the command runs. */
void cli_protect_secrets(void);

#endif
