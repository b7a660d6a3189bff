/* scrutin ceremony: a whole key ceremony on one machine (demos, tests),
 * through the same round functions the guardians run separately. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"
#include "fingerprint.h"
#include "scrutin/ceremony.h"
#include "scrutin/manifest.h"
#include "scrutin/record.h"

static const char USAGE[] =
    "usage: scrutin ceremony --guardians N --quorum K --out DIR\n"
    "                        [--manifest FILE] [--group NAME]\n"
    "                        [--secrets DIR] [--passphrase-file F]\n"
    "                        [--kdf interactive|moderate]\n"
    "       scrutin ceremony --prepare --guardians N --quorum K --out DIR\n"
    "                        --manifest FILE [--group NAME]\n"
    "\n"
    "Run the whole key ceremony (ElectionGuard 2.1 §3.2) for N guardians with\n"
    "quorum K in this process: rounds 1-3 for every guardian, the H_G\n"
    "comparison, then the record parts (guardians/, joint_election_public_\n"
    "key.json, hashes_ext.json) into the record DIR. For demos and tests: a\n"
    "real election runs 'scrutin guardian' on each guardian's machine.\n"
    "\n"
    "  --prepare             only create the record (record.json, parameters,\n"
    "                        manifest, hashes.json) for a ceremony run with\n"
    "                        'scrutin guardian' on the guardians' machines\n"
    "  --out DIR             the election record; created from --manifest if\n"
    "                        DIR/record.json does not exist\n"
    "  --manifest FILE       the election manifest (for a new record)\n"
    "  --group NAME          parameter set of a new record (default\n"
    "                        standard; toy-q64 etc. for tests only)\n"
    "  --secrets DIR         where guardian_<i>.secret go (default\n"
    "                        DIR/secrets; keep them out of the published\n"
    "                        record)\n"
    "  --passphrase-file F   passphrase for all the secret files (mode 0600);\n"
    "                        otherwise asked on the terminal\n"
    "  --kdf interactive|moderate  passphrase hashing cost (default moderate)\n"
    "  -h, --help\n"
    "\n"
    "Exit status: 0 ok, 1 a check failed, 2 usage, 3 other error.\n";

static int fail(sc_status rc, const char *err)
{
    const char *d = (err != NULL && *err) ? err : sc_ceremony_errdetail();
    fprintf(stderr, "scrutin ceremony: %s\n", *d ? d : sc_strerror(rc));
    return SC_STATUS_CLASS(rc) == SC_E_VERIFY ? EXIT_VERIFY : EXIT_ERROR;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || v >= (1ul << 31)) {
        return 0;
    }
    *out = (uint32_t)v;
    return 1;
}

int cmd_ceremony(int argc, char **argv)
{
    enum {
        O_N = 256,
        O_K,
        O_OUT,
        O_MANIFEST,
        O_GROUP,
        O_SECRETS,
        O_PASS,
        O_KDF,
        O_PREPARE
    };
    static const struct option longopts[] = {
        {"guardians", required_argument, NULL, O_N},
        {"quorum", required_argument, NULL, O_K},
        {"out", required_argument, NULL, O_OUT},
        {"manifest", required_argument, NULL, O_MANIFEST},
        {"group", required_argument, NULL, O_GROUP},
        {"secrets", required_argument, NULL, O_SECRETS},
        {"passphrase-file", required_argument, NULL, O_PASS},
        {"kdf", required_argument, NULL, O_KDF},
        {"prepare", no_argument, NULL, O_PREPARE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    uint32_t n = 0, k = 0;
    const char *out = NULL, *manifest = NULL, *group = "standard";
    const char *secrets = NULL, *passfile = NULL;
    sc_kdf_level kdf = SC_KDF_MODERATE;
    int prepare = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_N:
            if (!parse_u32(optarg, &n)) {
                fprintf(stderr,
                        "scrutin ceremony: --guardians: not a "
                        "positive number: %s\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case O_K:
            if (!parse_u32(optarg, &k)) {
                fprintf(stderr,
                        "scrutin ceremony: --quorum: not a positive "
                        "number: %s\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case O_OUT: out = optarg; break;
        case O_PREPARE: prepare = 1; break;
        case O_MANIFEST: manifest = optarg; break;
        case O_GROUP: group = optarg; break;
        case O_SECRETS: secrets = optarg; break;
        case O_PASS: passfile = optarg; break;
        case O_KDF:
            if (!cli_parse_kdf(optarg, &kdf)) {
                return cli_usage_error("ceremony",
                                       "--kdf: interactive or moderate");
            }
            break;
        case 'h': fputs(USAGE, stdout); return EXIT_OK;
        default: fputs(USAGE, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc || out == NULL) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    char err[SC_ERRMAX] = "";
    char recfile[4096], secdir[4096];
    int ex = EXIT_OK;
    sc_status rc = SC_OK;
    sc_record *rec = NULL;
    sc_manifest *m = NULL;
    sc_group *grp = NULL;
    char *pass = NULL;
    size_t plen = 0;
    snprintf(recfile, sizeof recfile, "%s/%s", out, SC_REC_RECORD);
    snprintf(secdir, sizeof secdir, "%s/secrets", out);
    if (secrets == NULL) {
        secrets = secdir;
    }
    if (prepare && access(recfile, F_OK) == 0) {
        fprintf(stderr, "scrutin ceremony: %s already exists\n", recfile);
        return EXIT_ERROR;
    }
    char keyfile[4096];
    snprintf(keyfile, sizeof keyfile, "%s/%s", out, SC_REC_JOINT_KEY);
    if (access(keyfile, F_OK) == 0) {
        fprintf(stderr,
                "scrutin ceremony: %s exists: the key ceremony of "
                "this record is done; not replacing its keys\n",
                keyfile);
        return EXIT_ERROR;
    }
    /* Arguments, then the passphrase, then the record: a refused
     * passphrase (too weak, a second line, a file of the wrong mode) must
     * leave no record behind. */
    int fresh = access(recfile, F_OK) != 0;
    sc_group_id gid;
    if (fresh) {
        if (manifest == NULL || n == 0 || k == 0) {
            fprintf(stderr,
                    "scrutin ceremony: %s does not exist: --manifest, "
                    "--guardians and --quorum are needed to create "
                    "it\n",
                    recfile);
            return EXIT_USAGE;
        }
        if (k > n) {
            fprintf(stderr,
                    "scrutin ceremony: --quorum %u is more than "
                    "--guardians %u\n",
                    (unsigned)k, (unsigned)n);
            return EXIT_USAGE;
        }
        if (sc_group_id_from_name(&gid, group) != SC_OK) {
            fprintf(stderr,
                    "scrutin ceremony: --group: unknown parameter "
                    "set '%s'\n",
                    group);
            return EXIT_USAGE;
        }
    }
    if (!prepare) {
        rc = sc_passphrase_read(passfile,
                                "Passphrase for the guardian secret "
                                "files: ",
                                1, &pass, &plen);
        if (rc != SC_OK) {
            return fail(rc, NULL);
        }
    }
    if (fresh) {
        rc = sc_group_new(&grp, gid);
        if (rc == SC_OK) {
            rc = sc_manifest_load(&m, manifest, err, sizeof err);
        }
        if (rc == SC_OK) {
            rc = sc_record_init(out, grp, m, n, k, NULL, err, sizeof err);
        }
        if (rc != SC_OK) {
            ex = fail(rc, err);
            goto done;
        }
    }
    rc = sc_record_open(&rec, out, 0, err, sizeof err);
    if (rc != SC_OK) {
        ex = fail(rc, err);
        goto done;
    }
    if ((n != 0 && n != rec->n) || (k != 0 && k != rec->k)) {
        fprintf(stderr,
                "scrutin ceremony: %s is for %u guardians with "
                "quorum %u\n",
                out, (unsigned)rec->n, (unsigned)rec->k);
        ex = EXIT_USAGE;
        goto done;
    }
    if (prepare) {
        printf("record prepared in %s: %u guardians, quorum %u; run 'scrutin "
               "guardian init' on each guardian's machine\n",
               out, (unsigned)rec->n, (unsigned)rec->k);
        goto done;
    }
    sc_ceremony_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.grp = rec->grp;
    ctx.n = rec->n;
    ctx.k = rec->k;
    memcpy(ctx.h_p, rec->h_p, 32);
    memcpy(ctx.h_b, rec->h_b, 32);
    sc_guardian_result joint;
    sc_guardian_result_init(&joint);
    rc = sc_ceremony_run_all(&ctx, secrets, pass, plen, kdf, NULL, out, &joint);
    if (rc != SC_OK) {
        ex = fail(rc, NULL);
    } else {
        printf("key ceremony: %u guardians, quorum %u\n"
               "record parts in %s; secret files in %s\n",
               (unsigned)ctx.n, (unsigned)ctx.k, out, secrets);
        cli_print_hash_fp("H_G = ", joint.h_g);
    }
    sc_guardian_result_clear(&joint);
done:
    sc_passphrase_free(pass);
    sc_record_free(rec);
    sc_manifest_free(m);
    sc_group_free(grp);
    return ex;
}
