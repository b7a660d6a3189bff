/* scrutin manifest: check a manifest, print its canonical form, or start
 * an election record from it. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "scrutin/ballot.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/group.h"
#include "scrutin/manifest.h"
#include "scrutin/record.h"
#include "step_help.h"
#include "util.h"

static void help(void)
{
    printf(
        "usage: scrutin manifest check MANIFEST\n"
        "       scrutin manifest canonical [-o FILE] MANIFEST\n"
        "       scrutin manifest init -r DIR -n N -k K [options] MANIFEST\n"
        "\n"
        "Election manifests (the JSON form of the ElectionGuard 2.1\n"
        "serialization draft; docs/RECORD.md \"Manifest\").\n"
        "\n"
        "  check      validate the manifest and list its contests with their\n"
        "             effective selection limits (R per option, L per "
        "contest)\n"
        "  canonical  write the canonical bytes that are hashed into H_B\n"
        "             (eq 5) to FILE (default: standard output)\n"
        "  init       start an election record in DIR: record.json, the\n"
        "             election parameters (n guardians, quorum k), the\n"
        "             canonical manifest, H_P and H_B (eq 4-5). The key\n"
        "             ceremony comes next (scrutin ceremony).\n"
        "\n"
        "options:\n"
        "  -o, --output FILE     canonical: where to write ('-': stdout)\n"
        "  -r, --record DIR      init: the record directory (created)\n"
        "  -n, --guardians N     init: number of guardians\n"
        "  -k, --quorum K        init: guardians needed to decrypt\n"
        "  -g, --group NAME      init: parameter set (standard; toy-q64 "
        "etc.\n"
        "                        for tests only)\n"
        "      --info TEXT       init: free text for the parameters file\n"
        "  -h, --help            show this help\n"
        "\n"
        "Each step has its own help: `scrutin manifest check --help`,\n"
        "`scrutin manifest canonical --help`, `scrutin manifest init "
        "--help`.\n"
        "\n"
        "Exit status: 0 ok, 2 usage, 3 invalid manifest or other error.\n");
}

#define MEXIT                                                                  \
    "\nExit status: 0 ok, 2 usage, 3 invalid manifest or other error.\n"

static const cli_step_help STEPS[] = {
    {"check",
     "usage: scrutin manifest check MANIFEST\n"
     "\n"
     "Validate the manifest (docs/RECORD.md \"Manifest\"; also what\n"
     "encryption supports: no selection limit above the range proofs') and\n"
     "list its contests with their effective selection limits (R per\n"
     "option, L per contest), contest data and ballot styles.\n"
     "\n"
     "options:\n"
     "  -h, --help            show this help\n" MEXIT},
    {"canonical",
     "usage: scrutin manifest canonical [-o FILE] MANIFEST\n"
     "\n"
     "Validate the manifest and write its canonical bytes, those hashed\n"
     "into H_B (eq 5).\n"
     "\n"
     "options:\n"
     "  -o, --output FILE     where to write ('-', the default: standard\n"
     "                        output)\n"
     "  -h, --help            show this help\n" MEXIT},
    {"init",
     "usage: scrutin manifest init -r DIR -n N -k K [-g NAME] [--info TEXT]\n"
     "           MANIFEST\n"
     "\n"
     "Start an election record in DIR (created): record.json, the election\n"
     "parameters (n guardians, quorum k), the canonical manifest, H_P and\n"
     "H_B (eq 4-5; printed). The key ceremony comes next (scrutin\n"
     "ceremony, or scrutin guardian on each guardian's machine).\n"
     "\n"
     "options:\n"
     "  -r, --record DIR      the record directory (created)\n"
     "  -n, --guardians N     number of guardians\n"
     "  -k, --quorum K        guardians needed to decrypt (at most N)\n"
     "  -g, --group NAME      parameter set (standard, the default; toy-q64\n"
     "                        etc. for tests only)\n"
     "      --info TEXT       free text for the parameters file\n"
     "  -h, --help            show this help\n" MEXIT},
};

static const char *limit_text(uint32_t stated, const char *kw, char *buf,
                              size_t n)
{
    if (stated == 0) {
        return kw;
    }
    snprintf(buf, n, "%u", (unsigned)stated);
    return buf;
}

static void print_summary(const sc_manifest *m, const char *path)
{
    printf("%s: valid manifest \"%s\"\n", path, m->label);
    printf("%zu contests, %zu options, %zu ballot styles; canonical form "
           "%zu bytes\n\n",
           m->n_contests, sc_manifest_option_count(m), m->n_styles,
           m->canonical_len);
    for (size_t i = 0; i < m->n_contests; i++) {
        const sc_manifest_contest *c = &m->contests[i];
        char b[16];
        printf("contest %zu: %s\n  limit L = %u (stated %s)\n", i + 1, c->label,
               (unsigned)c->limit,
               limit_text(c->stated, "NO_LIMIT", b, sizeof b));
        for (size_t j = 0; j < c->n_options; j++) {
            printf("  option %zu: %-32s R = %u\n", j + 1, c->options[j].label,
                   (unsigned)c->options[j].limit);
        }
        if (c->data_blocks != 0) {
            printf("  contest data: %u block(s) of 32 bytes\n",
                   (unsigned)c->data_blocks);
        }
        if (c->read_write_ins) {
            printf("  write-ins are READ: the contest data of each cast "
                   "ballot with a write-in\n  is decrypted and published "
                   "(docs/RECORD.md \"Reading write-ins\")\n");
        }
    }
    printf("\n");
    for (size_t i = 0; i < m->n_styles; i++) {
        printf("style %zu: %s: contests", i + 1, m->styles[i].label);
        for (size_t j = 0; j < m->styles[i].n_contests; j++) {
            printf(" %u", (unsigned)m->styles[i].contests[j]);
        }
        printf("\n");
    }
}

int cmd_manifest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"record", required_argument, NULL, 'r'},
        {"guardians", required_argument, NULL, 'n'},
        {"quorum", required_argument, NULL, 'k'},
        {"group", required_argument, NULL, 'g'},
        {"info", required_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *output = "-", *dir = NULL, *gname = "standard", *info = NULL;
    uint32_t n = 0, k = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:r:n:k:g:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'r': dir = optarg; break;
        case 'n':
            if (!cli_parse_u32(optarg, 1, SC_LIMIT_MAX - 1, &n)) {
                return cli_usage_error("manifest", "bad guardian count '%s'",
                                       optarg);
            }
            break;
        case 'k':
            if (!cli_parse_u32(optarg, 1, SC_LIMIT_MAX - 1, &k)) {
                return cli_usage_error("manifest", "bad quorum '%s'", optarg);
            }
            break;
        case 'g': gname = optarg; break;
        case 'I': info = optarg; break;
        case 'h':
            if (!cli_print_step_help(
                    STEPS, sizeof STEPS / sizeof STEPS[0],
                    cli_find_step(STEPS, sizeof STEPS / sizeof STEPS[0], argc,
                                  argv))) {
                help();
            }
            return EXIT_OK;
        default: return cli_bad_option("manifest", c, argv);
        }
    }
    if (argc - optind != 2) {
        return cli_usage_error("manifest",
                               "need a verb (check, canonical, init) and a "
                               "manifest file");
    }
    const char *verb = argv[optind], *path = argv[optind + 1];
    int is_check = strcmp(verb, "check") == 0;
    int is_canon = strcmp(verb, "canonical") == 0;
    int is_init = strcmp(verb, "init") == 0;
    if (!is_check && !is_canon && !is_init) {
        return cli_usage_error("manifest", "unknown verb '%s'", verb);
    }
    sc_group_id gid;
    if (is_init) {
        if (dir == NULL || n == 0 || k == 0) {
            return cli_usage_error("manifest",
                                   "init needs --record, --guardians and "
                                   "--quorum");
        }
        if (k > n) {
            return cli_usage_error("manifest",
                                   "the quorum (%u) exceeds the number of "
                                   "guardians (%u)",
                                   (unsigned)k, (unsigned)n);
        }
        if (sc_group_id_from_name(&gid, gname) != SC_OK) {
            return cli_usage_error("manifest", "unknown group '%s'", gname);
        }
    }
    char err[SC_ERRMAX];
    sc_manifest *m = NULL;
    sc_status rc = sc_manifest_load(&m, path, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        return EXIT_ERROR;
    }
    int ret = EXIT_OK;
    /* what encryption supports (refused here, not at the first ballot);
     * the library still reads such manifests in others' records */
    for (size_t i = 0; i < m->n_contests; i++) {
        const sc_manifest_contest *mc = &m->contests[i];
        uint32_t big = mc->limit;
        for (size_t j = 0; j < mc->n_options; j++) {
            big = mc->options[j].limit > big ? mc->options[j].limit : big;
        }
        if (big > SC_BALLOT_MAX_RANGE) {
            cli_err("%s: field contests[%zu].selection_limit: the effective "
                    "selection limit %u is above %u, the most the range "
                    "proofs support (encrypt would refuse every ballot)",
                    path, i, (unsigned)big, SC_BALLOT_MAX_RANGE);
            sc_manifest_free(m);
            return EXIT_ERROR;
        }
    }
    if (is_check) {
        print_summary(m, path);
    } else if (is_canon) {
        rc = cli_write_file(output, m->canonical, m->canonical_len);
        if (rc != SC_OK) {
            cli_err("%s: cannot write: %s", output, sc_strerror(rc));
            ret = EXIT_ERROR;
        }
    } else {
        sc_group *grp = NULL;
        rc = sc_group_new(&grp, gid);
        if (rc == SC_OK) {
            rc = sc_record_init(dir, grp, m, n, k, info, err, sizeof err);
            if (rc != SC_OK) {
                cli_err("%s", err);
            } else {
                uint8_t hp[32], hb[32];
                char hx[65];
                sc_eg_param_base_hash(grp, n, k, hp);
                sc_eg_election_base_hash(hp, m->canonical, m->canonical_len,
                                         hb);
                printf("record started in %s (group %s, %u guardians, "
                       "quorum %u)\n",
                       dir, grp->name, (unsigned)n, (unsigned)k);
                sc_hex_encode(hx, hp, 32);
                printf("H_P = %s\n", hx);
                sc_hex_encode(hx, hb, 32);
                printf("H_B = %s\n", hx);
            }
        } else {
            cli_err("cannot create group %s: %s", gname, sc_strerror(rc));
        }
        sc_group_free(grp);
        ret = rc == SC_OK ? EXIT_OK : EXIT_ERROR;
    }
    sc_manifest_free(m);
    return ret;
}
