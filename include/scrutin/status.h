/* Scrutin: one status enum for the whole library.
 *
 * Every fallible function returns sc_status. SC_E_VERIFY means "the data is
 * bad" (a proof, hash or membership check failed); every other non-zero code
 * means the operation could not be carried out. The verifier relies on this
 * distinction ("invalid" vs "could not check"). */
#ifndef SCRUTIN_STATUS_H
#define SCRUTIN_STATUS_H

#include "scrutin/api.h"

#if defined(__GNUC__)
#define SC_MUST_USE __attribute__((warn_unused_result))
#else
#define SC_MUST_USE
#endif

typedef enum sc_status {
    SC_OK = 0,
    SC_E_INVALID = 1,  /* malformed or out-of-range input */
    SC_E_VERIFY = 2,   /* a proof / hash / equation check failed */
    SC_E_NOMEM = 3,    /* our own allocation failed */
    SC_E_IO = 4,       /* file or stream error */
    SC_E_MISUSE = 5,   /* API misuse (NULL, wrong sizes, wrong group) */
    SC_E_INTERNAL = 6, /* a bug: an invariant did not hold */
    SC_E_AUTH = 7,     /* decryption of an encrypted file failed (passphrase) */
    SC_E_RANGE = 8,    /* a value does not fit (e.g. discrete log not found) */
    SC_E_DUPLICATE = 9 /* duplicate identifier */
} sc_status;

/* Sub-codes above the low byte refine a status; (rc & 0xff) is the class. */
#define SC_E_INVALID_NOT_IN_SUBGROUP ((sc_status)(SC_E_INVALID | (1 << 8)))
#define SC_E_INVALID_LENGTH ((sc_status)(SC_E_INVALID | (2 << 8)))
#define SC_E_INVALID_RANGE ((sc_status)(SC_E_INVALID | (3 << 8)))
#define SC_E_INVALID_HEX ((sc_status)(SC_E_INVALID | (4 << 8)))
#define SC_E_INVALID_JSON ((sc_status)(SC_E_INVALID | (5 << 8)))
#define SC_E_IO_NOT_REGULAR ((sc_status)(SC_E_IO | (1 << 8)))
#define SC_E_IO_TOO_LARGE ((sc_status)(SC_E_IO | (2 << 8)))

#define SC_STATUS_CLASS(rc) ((sc_status)((unsigned)(rc)&0xffu))

/** Static, human-readable text for a status (never NULL). For SC_E_IO,
 *  the operating system's cause of this thread's last I/O failure
 *  (scrutin/files.h sc_io_fail), e.g. "No space left on device". */
SC_API const char *sc_strerror(sc_status rc);

/* Flow macros for functions with a `rc` variable and a `done:` label. */
#define SC_CHECK(expr)                                                         \
    do {                                                                       \
        rc = (expr);                                                           \
        if (rc != SC_OK) {                                                     \
            goto done;                                                         \
        }                                                                      \
    } while (0)
#define SC_ENSURE(cond, err)                                                   \
    do {                                                                       \
        if (!(cond)) {                                                         \
            rc = (err);                                                        \
            goto done;                                                         \
        }                                                                      \
    } while (0)

#endif
