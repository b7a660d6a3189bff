/* scrutin device: a voting device's Ed25519 key for the board
 * (docs/BOARD.md §2): made here, sealed at rest like a guardian's
 * secrets, registered by the authority (`scrutin board register-device`),
 * used by `scrutin encrypt --board` to sign each ballot. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "board_client.h"
#include "commands.h"
#include "scrutin/edkey.h"
#include "util.h"

static void help(void)
{
    printf(
        "usage: scrutin device init --out KEYFILE [options]\n"
        "       scrutin device close --board URL --device-key KEYFILE\n"
        "\n"
        "A voting device's signing key for the board (docs/BOARD.md 2).\n"
        "\n"
        "steps:\n"
        "  init    make the device's key, sealed in KEYFILE; print the\n"
        "          public key for `scrutin board register-device`\n"
        "  close   close the device on the board (its last entry)\n"
        "\n"
        "Each step has its own help: `scrutin device init --help`,\n"
        "`scrutin device close --help`.\n"
        "\n"
        "Exit status: 0 ok, 2 usage, 3 error (a refusal by the board too).\n");
}

static void help_init(void)
{
    printf("usage: scrutin device init --out KEYFILE [--passphrase-file F]\n"
           "           [--kdf interactive|moderate]\n"
           "\n"
           "Make a voting device's signing key (Ed25519) and seal it in\n"
           "KEYFILE under a passphrase (argon2id, like a guardian's\n"
           "secrets; mode 0600). Prints the public key (64 hex digits) to\n"
           "give to the election authority, who registers the device on\n"
           "the board (`scrutin board register-device`).\n"
           "\n"
           "options:\n"
           "  -o, --out KEYFILE         where to write the sealed key (must\n"
           "                            not exist)\n"
           "      --passphrase-file F   read the passphrase from F (mode\n"
           "                            0600); default: the terminal\n"
           "      --kdf interactive|moderate  passphrase hashing cost\n"
           "                            (default moderate)\n"
           "  -h, --help                show this help\n"
           "\n"
           "Exit status: 0 ok, 2 usage, 3 error.\n");
}

enum { O_PASSFILE = 256, O_KDF };

static int device_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"passphrase-file", required_argument, NULL, O_PASSFILE},
        {"kdf", required_argument, NULL, O_KDF},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL, *passfile = NULL;
    sc_kdf_level kdf = SC_KDF_MODERATE;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case O_PASSFILE: passfile = optarg; break;
        case O_KDF:
            if (!cli_parse_kdf(optarg, &kdf)) {
                return cli_usage_error("device init",
                                       "--kdf: interactive or moderate");
            }
            break;
        case 'h': help_init(); return EXIT_OK;
        default: return cli_bad_option("device init", c, argv);
        }
    }
    if (out == NULL || optind != argc) {
        return cli_usage_error("device init", "--out KEYFILE is required");
    }
    FILE *probe = fopen(out, "rb");
    if (probe != NULL) {
        fclose(probe);
        cli_err("%s exists already; not overwriting a key", out);
        return EXIT_ERROR;
    }
    char pass[1024];
    size_t plen = 0;
    if (cli_read_passphrase("device init", passfile,
                            "Passphrase for the device key: ", 1, pass,
                            sizeof pass, &plen) != 0) {
        return EXIT_ERROR;
    }
    if (plen == 0) {
        sodium_memzero(pass, sizeof pass);
        cli_err("an empty passphrase is not allowed");
        return EXIT_ERROR;
    }
    uint8_t *sk = sodium_malloc(64);
    uint8_t pk[32];
    int ret = EXIT_ERROR;
    if (sk == NULL) {
        cli_err("out of memory");
        goto done;
    }
    crypto_sign_keypair(pk, sk);
    sc_status rc = sc_edkey_save(out, BC_DEVICE_KEY_KIND, sk, pass, plen, kdf);
    if (rc != SC_OK) {
        cli_err("%s: cannot write the key: %s", out, sc_strerror(rc));
        goto done;
    }
    char hex[65];
    bc_hex_lower(hex, pk, 32);
    printf("%s\n", hex);
    ret = EXIT_OK;
done:
    if (sk != NULL) {
        sodium_free(sk);
    }
    sodium_memzero(pass, sizeof pass);
    return ret;
}

int cmd_device(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "--help") == 0) {
        help();
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], "init") == 0) {
        return device_init(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "close") == 0) {
        return cmd_device_close_board(argc - 1, argv + 1);
    }
    return cli_usage_error("device", "unknown step '%s' (init, close)",
                           argv[1]);
}
