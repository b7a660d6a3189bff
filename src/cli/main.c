/* scrutin: the command-line tool. A thin layer over libscrutin: parse the
 * command line, read and write files, print. Subcommands are declared
 * weak so that the tool links while a subcommand is being written; a
 * missing one is reported, never silently ignored. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "util.h"
#include "scrutin/core.h"

#pragma weak cmd_manifest
#pragma weak cmd_guardian
#pragma weak cmd_ceremony
#pragma weak cmd_encrypt
#pragma weak cmd_tally
#pragma weak cmd_decrypt
#pragma weak cmd_verify
#pragma weak cmd_lookup
#pragma weak cmd_demo
#pragma weak cmd_device
#pragma weak cmd_witness
#pragma weak cmd_board
#pragma weak cmd_results
#pragma weak cmd_merge

typedef struct command {
    const char *name;
    sc_cmd_fn fn;
    const char *role;
    const char *summary;
    int secrets; /* holds keys, shares, nonces or votes: cli_protect_secrets */
} command;

static int usage(FILE *out, const command *cmds, size_t n)
{
    fprintf(out, "usage: scrutin <command> [options]\n"
                 "\n"
                 "End-to-end verifiable elections (ElectionGuard 2.1).\n"
                 "\n");
    const char *role = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(role, cmds[i].role) != 0) {
            role = cmds[i].role;
            fprintf(out, "%s:\n", role);
        }
        fprintf(out, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
    }
    fprintf(out, "\n'scrutin <command> --help' describes each command;\n"
                 "'scrutin --version' prints the version.\n"
                 "Exit status: 0 ok, 1 verification failed, 2 usage, "
                 "3 other error.\n");
    return out == stdout ? EXIT_OK : EXIT_USAGE;
}

int main(int argc, char **argv)
{
    const command cmds[] = {
        {"manifest", cmd_manifest, "election officials",
         "check a manifest and write its canonical form", 0},
        {"ceremony", cmd_ceremony, "election officials",
         "run a whole key ceremony on one machine (demos, tests)", 1},
        {"encrypt", cmd_encrypt, "election officials",
         "encrypt plaintext ballots on a voting device", 1},
        {"device", cmd_device, "election officials",
         "make a voting device's signing key for the board", 1},
        {"merge", cmd_merge, "election officials",
         "merge the ballots of devices that encrypted in parallel", 0},
        {"tally", cmd_tally, "election officials",
         "add up the cast ballots homomorphically", 0},
        {"demo", cmd_demo, "election officials",
         "run a whole demo election and verify it", 1},
        {"board", cmd_board, "election officials",
         "create and serve the election's bulletin board", 1},
        {"results", cmd_results, "election officials",
         "print the election results: tables, charts, ties", 0},
        {"guardian", cmd_guardian, "guardians",
         "key ceremony steps of one guardian, on its own machine", 1},
        {"decrypt", cmd_decrypt, "guardians",
         "joint decryption of the tally and challenged ballots", 1},
        {"lookup", cmd_lookup, "voters", "find a confirmation code in a record",
         0},
        {"verify", cmd_verify, "observers and auditors",
         "verify an election record", 0},
        {"witness", cmd_witness, "observers and auditors",
         "cosign the board's checkpoints; keep evidence of forks", 1},
    };
    size_t n = sizeof cmds / sizeof cmds[0];
    if (sc_init() != SC_OK) {
        fprintf(stderr, "scrutin: cannot initialise the crypto library\n");
        return EXIT_ERROR;
    }
    if (argc < 2) {
        return usage(stderr, cmds, n);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        return usage(stdout, cmds, n);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("scrutin %s (ElectionGuard 2.1.0)\n", SC_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(argv[1], cmds[i].name) == 0) {
            if (cmds[i].fn == NULL) {
                fprintf(stderr,
                        "scrutin: '%s' is not built into this "
                        "version\n",
                        argv[1]);
                return EXIT_ERROR;
            }
            if (cmds[i].secrets) {
                cli_protect_secrets(); /* the one place: issue 12 item 10 */
            }
            return cmds[i].fn(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "scrutin: unknown command '%s'\n", argv[1]);
    return usage(stderr, cmds, n);
}
