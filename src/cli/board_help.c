/* The help of each step of `scrutin board` (`scrutin board init --help`,
 * ...; step_help.h). `board export` and `board results` have their own
 * parsers and helps (cmd_board_export.c, cmd_board_results.c). */
#include "board_help.h"

#define BEXIT                                                                  \
    "\nExit status: 0 ok, 1 refused by the board's checks, 2 usage, 3 "        \
    "other error.\n"
#define BOPT_STATE                                                             \
    "  --state DIR            board.db, board.key, authority.key\n"
#define BOPT_PASS                                                              \
    "  --passphrase-file F    passphrase of both keys (mode 0600); else "      \
    "asked\n"                                                                  \
    "                         on the terminal\n"
#define BSTOPPED                                                               \
    "The server must be stopped: this step writes through board.db and\n"      \
    "refuses while the board is served. Prints the board's receipt.\n"

const cli_step_help BOARD_STEPS[] = {
    {"init",
     "usage: scrutin board init --record DIR --state DIR\n"
     "           [--passphrase-file F] [--kdf interactive|moderate]\n"
     "\n"
     "Create a board from a record whose key ceremony is done: in the state\n"
     "directory (created), board.db whose entry 0 is the election (the\n"
     "record's public files, the board key and the authority key), and the\n"
     "board key and the authority key, both sealed under the passphrase.\n"
     "Never overwrites a board. Prints the origin and both public keys.\n"
     "\n"
     "options:\n"
     "  --record DIR           the election record (keys made)\n" BOPT_STATE
         BOPT_PASS
     "  --kdf interactive|moderate  passphrase hashing cost (default\n"
     "                         moderate)\n"
     "  -h, --help\n" BEXIT},
    {"serve",
     "usage: scrutin board serve --state DIR --listen ADDR:PORT\n"
     "           [--passphrase-file F] [--web DIR] [--workers N]\n"
     "           [--port-file F] [--force]\n"
     "\n"
     "Serve the board over HTTP (docs/BOARD.md 4): the devices' ballots and\n"
     "the read API, checkpoints cosigned by the witnesses, and the web\n"
     "pages. Runs until SIGINT or SIGTERM.\n"
     "\n"
     "options:\n" BOPT_STATE BOPT_PASS
     "  --listen ADDR:PORT     e.g. 127.0.0.1:8080 (port 0: any free port)\n"
     "  --web DIR              static files served at / and /web/ (default:\n"
     "                         the installed pages: ../" SC_WEB_REL "\n"
     "                         from scrutin's directory, else\n"
     "                         " SC_WEB_DIR ")\n"
     "  --workers N            proof-checking threads, 1-256 (default: cores)\n"
     "  --port-file F          write the bound port to F\n"
     "  --force                serve a board.db older than its last\n"
     "                         checkpoint (tests of the witnesses only)\n"
     "  -h, --help\n" BEXIT},
    {"register-device",
     "usage: scrutin board register-device --state DIR --device-key HEX\n"
     "           --name TEXT [--chaining simple|none] [--passphrase-file F]\n"
     "\n"
     "The authority registers a voting device's Ed25519 key (made by\n"
     "`scrutin device init`) as the next device index, with its name\n"
     "S_device and its chaining mode.\n" BSTOPPED "\n"
     "options:\n" BOPT_STATE BOPT_PASS
     "  --device-key HEX       the device's public key, 64 hex digits\n"
     "  --name TEXT            S_device, the device's name\n"
     "  --chaining simple|none ballot chaining (default simple)\n"
     "  -h, --help\n" BEXIT},
    {"set-policy",
     "usage: scrutin board set-policy --state DIR --policy FILE\n"
     "           [--passphrase-file F]\n"
     "\n"
     "The authority publishes the witness policy: which witnesses cosign\n"
     "and how many must (JSON, docs/BOARD.md 3.3).\n" BSTOPPED "\n"
     "options:\n" BOPT_STATE BOPT_PASS
     "  --policy FILE          the policy (JSON)\n"
     "  -h, --help\n" BEXIT},
    {"post",
     "usage: scrutin board post --state DIR --type T [--passphrase-file F]\n"
     "           FILE\n"
     "\n"
     "The authority posts FILE as an entry of type T: a tally, decryption,\n"
     "challenged or result entry (docs/BOARD.md 3.3). With --type\n"
     "challenged each non-empty line of FILE is one entry.\n" BSTOPPED "\n"
     "options:\n" BOPT_STATE BOPT_PASS
     "  --type T               tally | decryption | challenged | result\n"
     "  -h, --help\n" BEXIT},
    {"close",
     "usage: scrutin board close --state DIR [--passphrase-file F]\n"
     "\n"
     "The authority closes the board: the close entry is its last, and the\n"
     "board is read-only after.\n" BSTOPPED "\n"
     "options:\n" BOPT_STATE BOPT_PASS "  -h, --help\n" BEXIT},
};

const size_t BOARD_NSTEPS = sizeof BOARD_STEPS / sizeof BOARD_STEPS[0];
