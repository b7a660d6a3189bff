#include "scrutin/status.h"

#include <string.h>

#include "scrutin/files.h"

const char *sc_strerror(sc_status rc)
{
    switch ((unsigned)rc) {
    case SC_OK: return "ok";
    case SC_E_INVALID: return "invalid input";
    case SC_E_INVALID_NOT_IN_SUBGROUP:
        return "value is not an element of the order-q subgroup";
    case SC_E_INVALID_LENGTH: return "wrong length";
    case SC_E_INVALID_RANGE: return "value out of range";
    case SC_E_INVALID_HEX: return "malformed hexadecimal";
    case SC_E_INVALID_JSON: return "malformed JSON";
    case SC_E_VERIFY: return "verification failed";
    case SC_E_NOMEM: return "out of memory";
    case SC_E_IO:
        return sc_io_errno() != 0 ? strerror(sc_io_errno())
                                  : "input/output error";
    case SC_E_IO_NOT_REGULAR:
        return "not a regular file (a device, FIFO or directory)";
    case SC_E_IO_TOO_LARGE:
        return "file or line too large (docs/RECORD.md \"Limits\")";
    case SC_E_MISUSE: return "library misuse";
    case SC_E_INTERNAL: return "internal error";
    case SC_E_AUTH:
        return "authentication failed (wrong passphrase or "
               "damaged file)";
    case SC_E_RANGE: return "value not found in the searched range";
    case SC_E_DUPLICATE: return "duplicate identifier";
    default: break;
    }
    switch ((unsigned)rc & 0xffu) {
    case SC_E_INVALID: return "invalid input";
    case SC_E_IO: return "input/output error";
    default: return "unknown error";
    }
}
