/* scrutin guardian: the key ceremony steps of one guardian on its own
 * machine (spec §3.2; docs/CEREMONY.md). Only public files are exchanged;
 * the guardian's secret file stays encrypted on its machine. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"
#include "fingerprint.h"
#include "step_help.h"
#include "scrutin/ceremony.h"
#include "scrutin/record.h"

static const char USAGE[] =
    "usage: scrutin guardian <step> [options]\n"
    "\n"
    "The key ceremony (ElectionGuard 2.1 §3.2), run by each guardian on its\n"
    "own machine. Public files are exchanged through a directory (--exchange,\n"
    "default '.') that the election official copies between guardians.\n"
    "\n"
    "steps:\n"
    "  init    round 1: make the secret file; write guardian_<i>.json\n"
    "          (commitments, communication key, proofs; eq 7-13)\n"
    "          needs --index, --secret\n"
    "  shares  round 2: check all guardian_<j>.json; write shares_<i>.json\n"
    "          (encrypted shares for every other guardian; eq 15-22)\n"
    "  verify  round 3: check the shares sent to this guardian (eq 22, "
    "28-29),\n"
    "          keep only z_i, z^_i (eq 24) in the secret file; write\n"
    "          result_<i>.json (K, K^, H_G, H_E; eq 25-27, 30)\n"
    "  finish  anyone: check every result_<j>.json has the same H_G, then\n"
    "          write the ceremony's parts into the record\n"
    "  show    open the secret file and print its public facts (index,\n"
    "          phase, H_G and H_E once the shares are verified)\n"
    "\n"
    "options:\n"
    "  --record DIR           the election record (record.json, manifest,\n"
    "                         hashes.json: n, k, H_P, H_B)\n"
    "  --index I              this guardian's index, 1..n (init)\n"
    "  --name TEXT            this guardian's name (init)\n"
    "  --secret FILE          this guardian's encrypted secret file\n"
    "  --passphrase-file F    read the passphrase from F (mode 0600);\n"
    "                         otherwise it is asked on the terminal\n"
    "  --kdf interactive|moderate  passphrase hashing cost (init; default\n"
    "                         moderate)\n"
    "  --exchange DIR         where public files are read and written\n"
    "  -h, --help\n"
    "\n"
    "\n"
    "Each step has its own help: `scrutin guardian init --help`,\n"
    "`scrutin guardian shares --help`, `scrutin guardian verify --help`,\n"
    "`scrutin guardian finish --help`, `scrutin guardian show --help`.\n"
    "\n"
    "Exit status: 0 ok, 1 a check failed (the message names the guardian\n"
    "at fault), 2 usage, 3 other error.\n";

#define GEXIT                                                                  \
    "\nExit status: 0 ok, 1 a check failed (the message names the "            \
    "guardian\nat fault), 2 usage, 3 other error.\n"
#define GOPT_RECORD                                                            \
    "  --record DIR           the election record (n, k, H_P, H_B)\n"
#define GOPT_SECRET                                                            \
    "  --secret FILE          this guardian's encrypted secret file\n"
#define GOPT_PASS                                                              \
    "  --passphrase-file F    read the passphrase from F (mode 0600);\n"       \
    "                         otherwise it is asked on the terminal\n"
#define GOPT_EXCH                                                              \
    "  --exchange DIR         where public files are read and written\n"       \
    "                         (default '.')\n"

static const cli_step_help STEPS[] = {
    {"init",
     "usage: scrutin guardian init --record DIR --index I --secret FILE\n"
     "           [--name TEXT] [--passphrase-file F] [--kdf LEVEL]\n"
     "           [--exchange DIR]\n"
     "\n"
     "Round 1 of the key ceremony (§3.2.1): make this guardian's secret\n"
     "polynomials and communication key, keep them in the new secret file\n"
     "(encrypted under the passphrase, mode 0600; never overwritten), and\n"
     "write guardian_<I>.json (commitments, communication key, proofs;\n"
     "eq 7-13) into the exchange directory, to be published.\n"
     "\n"
     "options:\n" GOPT_RECORD
     "  --index I              this guardian's index, 1..n\n"
     "  --name TEXT            this guardian's name\n" GOPT_SECRET GOPT_PASS
     "  --kdf interactive|moderate  passphrase hashing cost (default\n"
     "                         moderate)\n" GOPT_EXCH "  -h, --help\n" GEXIT},
    {"shares",
     "usage: scrutin guardian shares --record DIR --secret FILE\n"
     "           [--passphrase-file F] [--exchange DIR]\n"
     "\n"
     "Round 2 (§3.2.2): check every guardian_<j>.json of the exchange\n"
     "directory (Verification 2), then write shares_<i>.json: this\n"
     "guardian's share for every other guardian, encrypted to its\n"
     "communication key (eq 15-22).\n"
     "\n"
     "options:\n" GOPT_RECORD GOPT_SECRET GOPT_PASS GOPT_EXCH
     "  -h, --help\n" GEXIT},
    {"verify",
     "usage: scrutin guardian verify --record DIR --secret FILE\n"
     "           [--passphrase-file F] [--kdf LEVEL] [--exchange DIR]\n"
     "\n"
     "Round 3 (§3.2.2): decrypt and check the shares sent to this guardian\n"
     "(eq 22, 28-29; a bad one names its sender), write result_<i>.json\n"
     "(K, K^, H_G, H_E; eq 25-27, 30), then keep only the key shares z_i,\n"
     "z^_i (eq 24) in the secret file. Prints H_G and its fingerprint, for\n"
     "the guardians to read out to each other (docs/CEREMONY.md).\n"
     "\n"
     "options:\n" GOPT_RECORD GOPT_SECRET GOPT_PASS
     "  --kdf interactive|moderate  passphrase hashing cost of the rewritten\n"
     "                         secret file (default: the one it "
     "had)\n" GOPT_EXCH "  -h, --help\n" GEXIT},
    {"finish",
     "usage: scrutin guardian finish --record DIR [--exchange DIR]\n"
     "\n"
     "Anyone, after round 3: recompute K, K^, H_G, H_E from the round-1\n"
     "files, check that every result_<j>.json has them (a differing H_G\n"
     "names its guardian), and write the ceremony's parts into the record\n"
     "(guardians/, joint_election_public_key.json, hashes_ext.json). Prints\n"
     "H_G and its fingerprint. Never replaces the keys of a record.\n"
     "\n"
     "options:\n" GOPT_RECORD GOPT_EXCH "  -h, --help\n" GEXIT},
    {"show",
     "usage: scrutin guardian show --record DIR --secret FILE\n"
     "           [--passphrase-file F]\n"
     "\n"
     "Open the secret file and print its public facts: index, name, phase\n"
     "and, once the shares are verified, H_G and H_E with their\n"
     "fingerprints.\n"
     "\n"
     "options:\n" GOPT_RECORD GOPT_SECRET GOPT_PASS "  -h, --help\n" GEXIT},
};

static int fail(const char *step, sc_status rc, const char *what)
{
    const char *d = sc_ceremony_errdetail();
    fprintf(stderr, "scrutin guardian %s: %s%s%s\n", step,
            *d != '\0' ? d : what, *d != '\0' ? "" : ": ",
            *d != '\0' ? "" : sc_strerror(rc));
    return SC_STATUS_CLASS(rc) == SC_E_VERIFY ? EXIT_VERIFY : EXIT_ERROR;
}

typedef struct gopts {
    const char *record, *name, *secret, *passfile, *exchange;
    uint32_t index;
    sc_kdf_level kdf;
    int kdf_given;
} gopts;

/* dir/<prefix><i>.json */
static char *xpath(const char *dir, const char *prefix, unsigned i)
{
    size_t n = strlen(dir) + strlen(prefix) + 24;
    char *p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s/%s%u.json", dir, prefix, i);
    }
    return p;
}

/* The election context from the record: n, k, H_P, H_B (recomputed and
 * checked by sc_record_open). */
static int open_ctx(const char *step, const gopts *o, sc_record **rec,
                    sc_ceremony_ctx *ctx)
{
    char err[SC_ERRMAX] = "";
    sc_status rc = sc_record_open(rec, o->record, 0, err, sizeof err);
    if (rc != SC_OK) {
        fprintf(stderr, "scrutin guardian %s: %s\n", step,
                *err ? err : sc_strerror(rc));
        return SC_STATUS_CLASS(rc) == SC_E_VERIFY ? EXIT_VERIFY : EXIT_ERROR;
    }
    memset(ctx, 0, sizeof *ctx);
    ctx->grp = (*rec)->grp;
    ctx->n = (*rec)->n;
    ctx->k = (*rec)->k;
    memcpy(ctx->h_p, (*rec)->h_p, 32);
    memcpy(ctx->h_b, (*rec)->h_b, 32);
    return EXIT_OK;
}

static int read_pubs(const char *step, const sc_ceremony_ctx *ctx,
                     const char *dir, sc_guardian_public *pubs)
{
    for (uint32_t j = 1; j <= ctx->n; j++) {
        char *p = xpath(dir, "guardian_", j);
        sc_status rc = p == NULL ? SC_E_NOMEM : SC_OK;
        if (rc == SC_OK) {
            rc = sc_guardian_public_init(&pubs[j - 1], ctx->k);
        }
        if (rc == SC_OK) {
            rc = sc_guardian_public_read(ctx->grp, &pubs[j - 1], p);
        }
        free(p);
        if (rc != SC_OK) {
            return fail(step, rc, "reading the round-1 files");
        }
    }
    return EXIT_OK;
}

static int step_init(const gopts *o)
{
    sc_record *rec = NULL;
    sc_ceremony_ctx ctx;
    sc_guardian_secret *s = NULL;
    sc_guardian_public pub;
    char *pass = NULL, *out = NULL;
    size_t plen = 0;
    sc_status rc;
    memset(&pub, 0, sizeof pub);
    int ex = open_ctx("init", o, &rec, &ctx);
    if (ex != EXIT_OK) {
        return ex;
    }
    if (o->index < 1 || o->index > ctx.n) {
        fprintf(stderr, "scrutin guardian init: --index must be in 1..%u\n",
                (unsigned)ctx.n);
        ex = EXIT_USAGE;
        goto done;
    }
    FILE *exists = fopen(o->secret, "r");
    if (exists != NULL) {
        fclose(exists);
        fprintf(stderr,
                "scrutin guardian init: %s: already exists; not "
                "overwriting a guardian secret\n",
                o->secret);
        ex = EXIT_ERROR;
        goto done;
    }
    rc = sc_passphrase_read(o->passfile,
                            "New passphrase for the guardian "
                            "secret: ",
                            1, &pass, &plen);
    if (rc != SC_OK) {
        ex = fail("init", rc, "passphrase");
        goto done;
    }
    rc = sc_guardian_public_init(&pub, ctx.k);
    if (rc == SC_OK) {
        rc = sc_guardian_round1(&ctx, o->index, o->name, NULL, &s, &pub);
    }
    if (rc == SC_OK) {
        rc = sc_secret_save(s, o->secret, pass, plen, o->kdf);
    }
    out = xpath(o->exchange, "guardian_", o->index);
    if (rc == SC_OK) {
        rc = out == NULL ? SC_E_NOMEM
                         : sc_guardian_public_write(ctx.grp, &pub, out);
    }
    if (rc != SC_OK) {
        ex = fail("init", rc, "round 1");
        goto done;
    }
    printf("guardian %u: secret in %s; publish %s\n", (unsigned)o->index,
           o->secret, out);
done:
    free(out);
    sc_passphrase_free(pass);
    sc_guardian_secret_free(s);
    sc_guardian_public_clear(&pub);
    sc_record_free(rec);
    return ex;
}

static int load_secret(const char *step, const gopts *o,
                       const sc_ceremony_ctx *ctx, sc_guardian_secret **s,
                       char **pass, size_t *plen)
{
    sc_status rc =
        sc_passphrase_read(o->passfile, "Guardian passphrase: ", 0, pass, plen);
    if (rc == SC_OK) {
        rc = sc_secret_load(s, ctx->grp, ctx, o->secret, *pass, *plen);
    }
    if (rc != SC_OK) {
        return fail(step, rc, "secret file");
    }
    return EXIT_OK;
}

static int step_shares_verify(const gopts *o, int verify)
{
    const char *step = verify ? "verify" : "shares";
    sc_record *rec = NULL;
    sc_ceremony_ctx ctx;
    sc_guardian_secret *s = NULL;
    sc_guardian_public *pubs = NULL;
    sc_guardian_shares *shares = NULL;
    sc_guardian_result res;
    char *pass = NULL, *out = NULL;
    size_t plen = 0;
    uint32_t culprit = 0;
    sc_status rc = SC_OK;
    sc_guardian_result_init(&res);
    int ex = open_ctx(step, o, &rec, &ctx);
    if (ex != EXIT_OK) {
        goto done;
    }
    pubs = calloc(ctx.n, sizeof *pubs);
    shares = calloc(ctx.n, sizeof *shares);
    if (pubs == NULL || shares == NULL) {
        ex = fail(step, SC_E_NOMEM, "memory");
        goto done;
    }
    if ((ex = load_secret(step, o, &ctx, &s, &pass, &plen)) != EXIT_OK ||
        (ex = read_pubs(step, &ctx, o->exchange, pubs)) != EXIT_OK) {
        goto done;
    }
    if (!verify) {
        rc = sc_guardian_shares_init(&shares[0], s->i, ctx.n);
        if (rc == SC_OK) {
            rc = sc_guardian_round2(&ctx, s, pubs, NULL, &shares[0], &culprit);
        }
        out = xpath(o->exchange, "shares_", s->i);
        if (rc == SC_OK) {
            rc = out == NULL
                     ? SC_E_NOMEM
                     : sc_guardian_shares_write(ctx.grp, &shares[0], out);
        }
        if (rc != SC_OK) {
            ex = fail(step, rc, "round 2");
            goto done;
        }
        printf("guardian %u: publish %s\n", (unsigned)s->i, out);
        goto done;
    }
    for (uint32_t j = 1; j <= ctx.n; j++) {
        if (j == s->i) {
            rc = sc_guardian_shares_init(&shares[j - 1], j, ctx.n);
            if (rc != SC_OK) {
                ex = fail(step, rc, "memory");
                goto done;
            }
            continue;
        }
        char *p = xpath(o->exchange, "shares_", j);
        rc = p == NULL
                 ? SC_E_NOMEM
                 : sc_guardian_shares_read(ctx.grp, ctx.n, &shares[j - 1], p);
        free(p);
        if (rc != SC_OK) {
            ex = fail(step, rc, "reading the round-2 files");
            goto done;
        }
    }
    rc = sc_guardian_round3(&ctx, s, pubs, shares, &res, &culprit);
    if (rc != SC_OK) {
        ex = fail(step, rc, "round 3");
        if (culprit != 0) {
            fprintf(stderr,
                    "scrutin guardian verify: guardian %u is at "
                    "fault; stop the ceremony and investigate\n",
                    (unsigned)culprit);
        }
        goto done;
    }
    /* Publish first: if that fails the secret still holds the polynomial
     * and the round can be run again. Then keep only z_i, z^_i: rewrite
     * the secret (atomically); if that fails, the result is published
     * and running the round again writes the same one. */
    out = xpath(o->exchange, "result_", s->i);
    rc =
        out == NULL ? SC_E_NOMEM : sc_guardian_result_write(ctx.grp, &res, out);
    if (rc != SC_OK) {
        ex = fail(step, rc, out != NULL ? out : "result");
        goto done;
    }
    rc = sc_secret_save(s, o->secret, pass, plen,
                        o->kdf_given ? o->kdf : (sc_kdf_level)s->kdf);
    if (rc != SC_OK) {
        ex = fail(step, rc, o->secret);
        goto done;
    }
    printf("guardian %u: shares verified; compare H_G with every other "
           "guardian:\n",
           (unsigned)s->i);
    cli_print_hash_fp("H_G ", res.h_g);
    printf("publish %s\n", out);
done:
    for (uint32_t j = 0; pubs != NULL && j < ctx.n; j++) {
        sc_guardian_public_clear(&pubs[j]);
    }
    for (uint32_t j = 0; shares != NULL && j < ctx.n; j++) {
        sc_guardian_shares_clear(&shares[j]);
    }
    free(pubs);
    free(shares);
    free(out);
    sc_guardian_result_clear(&res);
    sc_passphrase_free(pass);
    sc_guardian_secret_free(s);
    sc_record_free(rec);
    return ex;
}

static int step_show(const gopts *o)
{
    sc_record *rec = NULL;
    sc_ceremony_ctx ctx;
    sc_guardian_secret *s = NULL;
    char *pass = NULL;
    size_t plen = 0;
    int ex = open_ctx("show", o, &rec, &ctx);
    if (ex == EXIT_OK) {
        ex = load_secret("show", o, &ctx, &s, &pass, &plen);
    }
    if (ex == EXIT_OK) {
        printf("guardian %u of %u (quorum %u), \"%s\", parameter set %s\n",
               (unsigned)s->i, (unsigned)s->n, (unsigned)s->k, s->name,
               s->group);
        if (s->phase == SC_PHASE_KEYS) {
            printf("phase: keys made (round 1); shares not yet verified\n");
        } else {
            printf("phase: key shares z_i, z^_i held (ceremony done)\n");
            cli_print_hash_fp("H_G ", s->h_g);
            cli_print_hash_fp("H_E ", s->h_e);
        }
    }
    sc_passphrase_free(pass);
    sc_guardian_secret_free(s);
    sc_record_free(rec);
    return ex;
}

static int step_finish(const gopts *o)
{
    sc_record *rec = NULL;
    sc_ceremony_ctx ctx;
    sc_guardian_public *pubs = NULL;
    sc_guardian_result *res = NULL, joint;
    uint32_t culprit = 0;
    sc_status rc = SC_OK;
    sc_guardian_result_init(&joint);
    int ex = open_ctx("finish", o, &rec, &ctx);
    if (ex != EXIT_OK) {
        goto done;
    }
    if (rec->has_keys) {
        fprintf(stderr,
                "scrutin guardian finish: %s already has election "
                "keys; not replacing them\n",
                o->record);
        ex = EXIT_ERROR;
        goto done;
    }
    pubs = calloc(ctx.n, sizeof *pubs);
    res = calloc(ctx.n, sizeof *res);
    if (pubs == NULL || res == NULL) {
        ex = fail("finish", SC_E_NOMEM, "memory");
        goto done;
    }
    for (uint32_t j = 0; j < ctx.n; j++) {
        sc_guardian_result_init(&res[j]);
    }
    if ((ex = read_pubs("finish", &ctx, o->exchange, pubs)) != EXIT_OK) {
        goto done;
    }
    for (uint32_t j = 1; j <= ctx.n; j++) {
        char *p = xpath(o->exchange, "result_", j);
        rc = p == NULL ? SC_E_NOMEM
                       : sc_guardian_result_read(ctx.grp, &res[j - 1], p);
        free(p);
        if (rc != SC_OK) {
            ex = fail("finish", rc, "reading the round-3 files");
            goto done;
        }
    }
    rc = sc_ceremony_finish(&ctx, pubs, res, &joint, &culprit);
    if (rc == SC_OK) {
        rc = sc_ceremony_write_record(&ctx, pubs, &joint, o->record);
    }
    if (rc != SC_OK) {
        ex = fail("finish", rc, "finish");
        goto done;
    }
    printf("key ceremony complete: all %u guardians agree on H_G; record "
           "parts written to %s\n",
           (unsigned)ctx.n, o->record);
    cli_print_hash_fp("H_G ", joint.h_g);
done:
    for (uint32_t j = 0; pubs != NULL && j < ctx.n; j++) {
        sc_guardian_public_clear(&pubs[j]);
    }
    for (uint32_t j = 0; res != NULL && j < ctx.n; j++) {
        sc_guardian_result_clear(&res[j]);
    }
    free(pubs);
    free(res);
    sc_guardian_result_clear(&joint);
    sc_record_free(rec);
    return ex;
}

int cmd_guardian(int argc, char **argv)
{
    enum {
        O_RECORD = 256,
        O_NAME,
        O_SECRET,
        O_PASSFILE,
        O_KDF,
        O_EXCH,
        O_INDEX
    };
    static const struct option longopts[] = {
        {"record", required_argument, NULL, O_RECORD},
        {"index", required_argument, NULL, O_INDEX},
        {"name", required_argument, NULL, O_NAME},
        {"secret", required_argument, NULL, O_SECRET},
        {"passphrase-file", required_argument, NULL, O_PASSFILE},
        {"kdf", required_argument, NULL, O_KDF},
        {"exchange", required_argument, NULL, O_EXCH},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    gopts o = {NULL, NULL, NULL, NULL, ".", 0, SC_KDF_MODERATE, 0};
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *step = argv[1];
    if (strcmp(step, "--help") == 0 || strcmp(step, "-h") == 0) {
        fputs(USAGE, stdout);
        return EXIT_OK;
    }
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_RECORD: o.record = optarg; break;
        case O_NAME: o.name = optarg; break;
        case O_SECRET: o.secret = optarg; break;
        case O_PASSFILE: o.passfile = optarg; break;
        case O_EXCH: o.exchange = optarg; break;
        case O_INDEX: {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || v < 1 || v >= (1ul << 31)) {
                fprintf(stderr,
                        "scrutin guardian: --index: not a guardian "
                        "index: %s\n",
                        optarg);
                return EXIT_USAGE;
            }
            o.index = (uint32_t)v;
            break;
        }
        case O_KDF:
            o.kdf_given = 1;
            if (!cli_parse_kdf(optarg, &o.kdf)) {
                return cli_usage_error("guardian",
                                       "--kdf: interactive or moderate");
            }
            break;
        case 'h':
            if (!cli_print_step_help(STEPS, sizeof STEPS / sizeof STEPS[0],
                                     step)) {
                fputs(USAGE, stdout);
            }
            return EXIT_OK;
        default: fputs(USAGE, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "scrutin guardian: unexpected argument '%s'\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    if (o.record == NULL) {
        fprintf(stderr, "scrutin guardian %s: --record is required\n", step);
        return EXIT_USAGE;
    }
    int need_secret = strcmp(step, "finish") != 0;
    if (need_secret && o.secret == NULL) {
        fprintf(stderr, "scrutin guardian %s: --secret is required\n", step);
        return EXIT_USAGE;
    }
    if (strcmp(step, "init") == 0) {
        if (o.index == 0) {
            fprintf(stderr, "scrutin guardian init: --index is required\n");
            return EXIT_USAGE;
        }
        return step_init(&o);
    }
    if (strcmp(step, "shares") == 0) {
        return step_shares_verify(&o, 0);
    }
    if (strcmp(step, "verify") == 0) {
        return step_shares_verify(&o, 1);
    }
    if (strcmp(step, "finish") == 0) {
        return step_finish(&o);
    }
    if (strcmp(step, "show") == 0) {
        return step_show(&o);
    }
    fprintf(stderr, "scrutin guardian: unknown step '%s'\n%s", step, USAGE);
    return EXIT_USAGE;
}
