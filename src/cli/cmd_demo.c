/* scrutin demo: a whole election on one machine. Manifest, key ceremony,
 * random ballots on two chaining devices (some challenged), tally, joint
 * decryption with a guardian missing, and the independent verifier. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "commands.h"
#include "results.h"
#include "scrutin/ballot.h"
#include "scrutin/ceremony.h"
#include "scrutin/contest_data.h"
#include "scrutin/core.h"
#include "scrutin/decrypt.h"
#include "scrutin/eghash.h"
#include "scrutin/record.h"
#include "scrutin/report.h"
#include "scrutin/tally.h"
#include "scrutin/verify.h"
#include "util.h"

/* The demo election: a 1-of-N race with a write-in, a k-of-N approval
 * race, a yes/no referendum and a district race on one of the two styles.
 * The first three carry encrypted contest data (§3.3.10: overvotes,
 * write-in text) and supplemental verifiable fields (§3.3.9), so the
 * results say verifiably how many contests were undervoted, overvoted or
 * left blank, and how many write-ins there were. The mayoral race asks
 * for its write-ins to be read: the guardians decrypt the contest data of
 * the cast ballots whose write-in count is not 0, and nothing else of
 * them (docs/RECORD.md "Reading write-ins"). */
static const char DEMO_MANIFEST[] =
    "{\"label\":\"Riverton Municipal Election 2026\",\"contests\":["
    "{\"label\":\"Mayor of Riverton\",\"options\":["
    "{\"label\":\"Ada Okafor\"},{\"label\":\"Bruno Lindqvist\"},"
    "{\"label\":\"Chiara Benedetti\"},{\"label\":\"Dmitri Volkov\"},"
    "{\"label\":\"Write-in\",\"write_in\":true}],"
    "\"contest_data_blocks\":2,\"supplemental\":[\"undervote\","
    "\"overvote\",\"null_vote\",\"write_ins\"],\"read_write_ins\":true},"
    "{\"label\":\"City Council (vote for up to 3)\",\"selection_limit\":3,"
    "\"options\":[{\"label\":\"Elena Ruiz\"},{\"label\":\"Farid Haddad\"},"
    "{\"label\":\"Grace Kim\"},{\"label\":\"Hugo Martin\"},"
    "{\"label\":\"Ines Duarte\"},{\"label\":\"Jonas Weber\"}],"
    "\"contest_data_blocks\":1,\"supplemental\":[\"undervote\","
    "\"overvote\",\"null_vote\"]},"
    "{\"label\":\"Proposition 12: Library bond\",\"options\":["
    "{\"label\":\"Yes\"},{\"label\":\"No\"}],\"contest_data_blocks\":1,"
    "\"supplemental\":[\"overvote\",\"null_vote\"]},"
    "{\"label\":\"School Board, District 2\",\"options\":["
    "{\"label\":\"Kwame Mensah\"},{\"label\":\"Laura Novak\"},"
    "{\"label\":\"Mei Chen\"}]}],"
    "\"ballot_styles\":["
    "{\"label\":\"District 1\",\"contests\":[1,2,3]},"
    "{\"label\":\"District 2\",\"contests\":[1,2,3,4]}]}";

static const char *const DEVICES[2] = {"Riverton City Hall, precinct 1, "
                                       "unit A",
                                       "Riverton Public Library, precinct "
                                       "2, unit B"};

static void help(void)
{
    printf("usage: scrutin demo [options]\n"
           "\n"
           "Run a whole ElectionGuard 2.1 election on this machine and verify "
           "it:\n"
           "a manifest with a 1-of-4 race, a 3-of-6 approval race, a yes/no\n"
           "referendum and a district race; the key ceremony; random ballots\n"
           "encrypted on two devices with simple chaining, about 5%% of them\n"
           "challenged; the homomorphic tally; joint decryption with one "
           "guardian\n"
           "absent; the independent verifier. Prints the results, the "
           "verdict and\n"
           "the time of each phase, and leaves the election record in a "
           "directory.\n"
           "\n"
           "options:\n"
           "  -b, --ballots N     ballots to encrypt (default 1000)\n"
           "  -n, --guardians N   guardians (default 5)\n"
           "  -k, --quorum K      guardians needed to decrypt (default 3)\n"
           "  -o, --out DIR       record directory (default "
           "./scrutin-demo-<time>);\n"
           "                      the guardians' secret files go to "
           "DIR.secrets\n"
           "  -s, --seed N        deterministic randomness (same seed, same "
           "record):\n"
           "                      test parameter sets only (refused with "
           "standard)\n"
           "  -g, --group NAME    parameter set: standard (default), or "
           "toy-q64 etc.\n"
           "                      for quick tests (verified with test "
           "parameters)\n"
           "  -j, --threads N     worker threads (default: every core)\n"
           "  -q, --quiet         only the summary lines\n"
           "  --board            the election through a live board, witnesses\n"
           "                      and devices on loopback (demo --board -h)\n"
           "  -h, --help          show this help\n"
           "\n"
           "Exit status: 0 the record verifies, 1 it does not, 2 usage, 3 "
           "error.\n");
}

typedef struct phase {
    const char *name;
    double secs, cpu;
} phase;

/* Process CPU time (user + system, all threads), seconds. */
static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static uint64_t rnd(sc_rng *rng, uint64_t n)
{
    return sc_rng_u64(rng) % n; /* demo choices only, bias irrelevant */
}

static const char *const WRITE_INS[] = {"Zoe Adeyemi", "Marcus Holt",
                                        "Priya Natarajan"};

/* What the supplemental fields of a cast contest must add up to (§3.3.9,
 * docs/RECORD.md), from the plaintext: counted here from the definitions,
 * not with the encryptor's code. v: the voter's selections. */
static void count_supplemental(const sc_manifest_contest *c, const uint32_t *v,
                               uint64_t *truth)
{
    uint64_t sum = 0, w = 0;
    for (size_t j = 0; j < c->n_real; j++) {
        sum += v[j];
        w += c->options[j].write_in ? v[j] : 0;
    }
    int over = sum > c->limit;
    int oi = over && (c->supp & (1u << SC_SUPP_OVERVOTE));
    uint64_t se = over ? 0 : sum; /* overvotes are encrypted as zeros */
    for (size_t j = c->n_real; j < c->n_options; j++) {
        switch (c->options[j].kind) {
        case SC_SUPP_OVERVOTE: truth[j] += (uint64_t)over; break;
        case SC_SUPP_UNDERVOTE: truth[j] += !oi && se < c->limit; break;
        case SC_SUPP_NULL_VOTE: truth[j] += !oi && se == 0; break;
        default: truth[j] += over ? 0 : w; break;
        }
    }
}

/* A random plaintext ballot; adds its selections to `truth` (flattened
 * options) if it is cast and the contest not overvoted, and its
 * supplemental fields. */
static sc_status make_ballot(const sc_manifest *m, sc_rng *rng, uint64_t no,
                             int challenge, uint64_t *truth,
                             sc_plain_ballot **out)
{
    char text[1024];
    size_t len = 0;
    uint32_t style = (uint32_t)(1 + rnd(rng, m->n_styles));
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "{\"id\":\"ballot-%05llu\",\"style\":%u,%s"
                            "\"contest_fields_plaintexts\":{",
                            (unsigned long long)no, (unsigned)style,
                            challenge ? "\"challenge\":true," : "");
    const sc_manifest_style *st = sc_manifest_style_at(m, style);
    int first = 1;
    size_t off[64];
    size_t o = 0;
    for (size_t c = 0; c < m->n_contests && c < 64; c++) {
        off[c] = o;
        o += m->contests[c].n_options;
    }
    for (size_t i = 0; i < st->n_contests; i++) {
        uint32_t ind = st->contests[i];
        const sc_manifest_contest *c = &m->contests[ind - 1];
        uint32_t v[16] = {0};
        size_t n = c->n_real < 16 ? c->n_real : 16;
        uint64_t r = rnd(rng, 100);
        if (r < 3) {
            /* contest left blank: undervote */
            if (!challenge) {
                count_supplemental(c, v, truth + off[ind - 1]);
            }
            continue;
        }
        if (r < 4) {
            for (size_t j = 0; j <= c->limit && j < n; j++) {
                v[j] = 1; /* one too many: overvote */
            }
        } else if (c->limit == 1) {
            /* skewed preferences so the results are not a tie */
            uint64_t x = rnd(rng, (uint64_t)(n * (n + 1) / 2));
            size_t j = 0;
            while (x >= n - j) {
                x -= n - j;
                j++;
            }
            v[j] = 1;
        } else {
            uint32_t k = (uint32_t)rnd(rng, c->limit + 1);
            for (uint32_t s = 0; s < k; s++) {
                size_t j = (size_t)rnd(rng, n);
                while (v[j]) {
                    j = (j + 1) % n;
                }
                v[j] = 1;
            }
        }
        uint32_t sum = 0;
        for (size_t j = 0; j < n; j++) {
            sum += v[j];
        }
        if (!challenge) {
            count_supplemental(c, v, truth + off[ind - 1]);
        }
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "%s\"%u\":{\"field_values\":[",
                                first ? "" : ",", (unsigned)ind);
        first = 0;
        for (size_t j = 0; j < n; j++) {
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%u",
                                    j ? "," : "", (unsigned)v[j]);
            if (!challenge && sum <= c->limit) {
                truth[off[ind - 1] + j] += v[j];
            }
        }
        len += (size_t)snprintf(text + len, sizeof text - len, "]");
        /* write-in text (in the encrypted contest data only) */
        int wfirst = 1;
        for (size_t j = 0; j < n; j++) {
            if (c->options[j].write_in && v[j] > 0) {
                len += (size_t)snprintf(text + len, sizeof text - len,
                                        "%s\"%zu\":\"%s\"",
                                        wfirst ? ",\"write_ins\":{" : ",",
                                        j + 1, WRITE_INS[rnd(rng, 3)]);
                wfirst = 0;
            }
        }
        len += (size_t)snprintf(text + len, sizeof text - len, "%s}",
                                wfirst ? "" : "}");
    }
    snprintf(text + len, sizeof text - len, "}}");
    sc_jctx ctx;
    sc_jctx_init(&ctx, "demo", NULL);
    sc_status rc = sc_plain_ballot_parse(&ctx, m, text, strlen(text), out);
    sc_wipe(text, sizeof text);
    if (rc != SC_OK) {
        cli_err("demo ballot: %s", ctx.msg);
    }
    return rc;
}

#define BATCH 64

/* Encrypt `count` random ballots on device d and write its file. */
static sc_status run_device(const sc_record *rec, uint32_t d, uint64_t first,
                            uint64_t count, sc_rng *rng, const uint8_t *seed,
                            int threads, uint64_t *truth, sc_devices *ds,
                            uint64_t *n_chal, cli_progress *pg)
{
    sc_status rc = SC_OK;
    sc_election el;
    sc_record_election(rec, &el);
    sc_device dev;
    sc_ballot_writer *w = NULL;
    sc_plain_ballot *in[BATCH] = {0};
    sc_enc_ballot *out[BATCH] = {0};
    char *lines[BATCH] = {0};
    char name[64], path[4096];
    SC_CHECK(sc_device_init(&dev, rec->h_e, d, DEVICES[(d - 1) % 2],
                            SC_CHAIN_SIMPLE));
    snprintf(name, sizeof name, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
             (unsigned)d);
    SC_CHECK(sc_record_path(path, sizeof path, rec->dir, name));
    SC_CHECK(sc_ballot_writer_open(&w, path, 0));
    for (uint64_t done = 0; done < count;) {
        size_t n = count - done < BATCH ? (size_t)(count - done) : BATCH;
        for (size_t i = 0; i < n; i++) {
            int challenge = rnd(rng, 100) < 5;
            *n_chal += (uint64_t)challenge;
            SC_CHECK(make_ballot(rec->manifest, rng, first + done + i,
                                 challenge, truth, &in[i]));
        }
        size_t bad;
        SC_CHECK(sc_encrypt_batch(&el, &dev, in, n, threads, seed, out, lines,
                                  &bad));
        for (size_t i = 0; i < n; i++) {
            SC_CHECK(sc_ballot_writer_put_line(w, lines[i]));
            sc_enc_ballot_free(out[i]);
            out[i] = NULL;
            free(lines[i]);
            lines[i] = NULL;
            sc_plain_ballot_free(in[i]);
            in[i] = NULL;
        }
        done += n;
        cli_progress_add(pg, n);
    }
    SC_CHECK(sc_ballot_writer_commit(w));
    SC_CHECK(sc_devices_update(ds, rec->dir, &dev, rec->h_e));
done:
    for (size_t i = 0; i < BATCH; i++) {
        sc_plain_ballot_free(in[i]);
        sc_enc_ballot_free(out[i]);
        free(lines[i]);
    }
    sc_ballot_writer_free(w);
    sc_device_clear(&dev);
    return rc;
}

/* The write-ins read from cast ballots (write_ins.jsonl), per contest,
 * with the number of ballots opened against that contest's verifiable
 * write-in count (the [write-ins] field's tally). 0 if they differ. */
static int print_write_ins(const sc_manifest *m, const sc_decrypt_job *tally,
                           const sc_decrypt_job *wj, int quiet)
{
    int ok = 1;
    for (size_t c = 0; c < m->n_contests; c++) {
        const sc_manifest_contest *mc = &m->contests[c];
        const char *text[32];
        uint64_t count[32], opened = 0, want = 0;
        size_t nt = 0;
        if (!mc->read_write_ins) {
            continue;
        }
        for (size_t t = 0; t < tally->n_items; t++) {
            const sc_decrypt_item *it = &tally->items[t];
            if (it->kind == SC_DEC_TALLY && it->ind_c == c + 1 &&
                mc->options[it->ind_o - 1].kind == SC_SUPP_WRITE_INS) {
                want = it->t;
            }
        }
        sc_json **keep = calloc(wj->n_items + 1, sizeof *keep);
        for (size_t t = 0; keep != NULL && t < wj->n_items; t++) {
            const sc_decrypt_item *it = &wj->items[t];
            if (it->ind_c != c + 1 ||
                sc_contest_data_decode(mc, it->D, it->data.c1_len, &keep[t]) !=
                    SC_OK) {
                continue;
            }
            opened++;
            sc_jctx ctx;
            sc_json *wi = NULL;
            sc_jctx_init(&ctx, "write_ins.jsonl", NULL);
            for (size_t j = 0; j < mc->n_real; j++) {
                char key[24];
                const char *s = NULL;
                snprintf(key, sizeof key, "%zu", j + 1);
                if (sc_json_get_obj(&ctx, keep[t], "write_ins", &wi) != SC_OK ||
                    sc_json_get_str(&ctx, wi, key, &s) != SC_OK) {
                    continue;
                }
                size_t x = 0;
                while (x < nt && strcmp(text[x], s) != 0) {
                    x++;
                }
                if (x == nt && nt < 32) {
                    text[nt] = s;
                    count[nt++] = 0;
                }
                if (x < nt) {
                    count[x]++;
                }
            }
        }
        if (!quiet) {
            printf("\n  Write-ins read: %s (the manifest asks for them; the "
                   "contest data of %llu cast ballots opened, eq 96-106)\n",
                   mc->label, (unsigned long long)opened);
        }
        for (size_t x = 0; !quiet && x < nt; x++) {
            printf("    %-24s %6llu\n", text[x], (unsigned long long)count[x]);
        }
        if (opened != want && !quiet) {
            printf("    (MISMATCH: the verifiable write-in count is %llu)\n",
                   (unsigned long long)want);
        }
        ok &= opened == want;
        for (size_t t = 0; keep != NULL && t < wj->n_items; t++) {
            sc_json_free(keep[t]);
        }
        free(keep);
    }
    return ok;
}

/* The decrypted tally through the one results printer (results.c), then
 * every count that differs from the plaintexts that were cast. */
static void print_results(const sc_record *rec, uint64_t cast,
                          const sc_decrypt_job *job, const uint64_t *truth,
                          int *all_match)
{
    const sc_manifest *m = rec->manifest;
    size_t n = 0, ok = 1;
    for (size_t c = 0; c < m->n_contests; c++) {
        n += m->contests[c].n_options;
    }
    /* the tally's items come first, one per field in manifest order */
    for (size_t i = 0; i < n && ok; i++) {
        ok = i < job->n_items && job->items[i].kind == SC_DEC_TALLY;
    }
    cli_results r = {m, rec->h_e, NULL, cast, NULL, n};
    *all_match = 1;
    r.values = ok ? calloc(n + 1, sizeof *r.values) : NULL;
    for (size_t i = 0; r.values != NULL && i < n; i++) {
        r.values[i] = job->items[i].t;
    }
    if (r.values == NULL ||
        cli_results_print(stdout, &r, CLI_RESULTS_TEXT) != SC_OK) {
        printf("  (the results cannot be printed)\n");
        *all_match = 0;
        n = 0;
    }
    for (size_t c = 0, k = 0; c < m->n_contests && k < n; c++) {
        const sc_manifest_contest *mc = &m->contests[c];
        for (size_t j = 0; j < mc->n_options && k < n; j++, k++) {
            if (job->items[k].t != truth[k]) {
                printf("  MISMATCH: %s / %s: %llu decrypted, %llu cast\n",
                       mc->label, mc->options[j].label,
                       (unsigned long long)job->items[k].t,
                       (unsigned long long)truth[k]);
                *all_match = 0;
            }
        }
    }
    cli_results_clear(&r);
}

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {
        {"ballots", required_argument, NULL, 'b'},
        {"guardians", required_argument, NULL, 'n'},
        {"quorum", required_argument, NULL, 'k'},
        {"out", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 's'},
        {"group", required_argument, NULL, 'g'},
        {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    uint32_t n = 5, k = 3, ballots = 1000, threads = 0;
    uint64_t seedv = 0;
    int have_seed = 0, quiet = 0, c;
    const char *outdir = NULL, *gname = "standard";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--board") == 0) {
            return cli_demo_board(argc, argv);
        }
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, ":b:n:k:o:s:g:j:qh", opts, NULL)) !=
           -1) {
        switch (c) {
        case 'b':
            if (!cli_parse_u32(optarg, 1, 100000000, &ballots)) {
                return cli_usage_error("demo", "bad ballot count '%s'", optarg);
            }
            break;
        case 'n':
            if (!cli_parse_u32(optarg, 1, 100, &n)) {
                return cli_usage_error("demo",
                                       "bad guardian count '%s' "
                                       "(1..100)",
                                       optarg);
            }
            break;
        case 'k':
            if (!cli_parse_u32(optarg, 1, 100, &k)) {
                return cli_usage_error("demo", "bad quorum '%s'", optarg);
            }
            break;
        case 'o': outdir = optarg; break;
        case 's':
            if (!cli_parse_u64(optarg, &seedv)) {
                return cli_usage_error("demo", "bad seed '%s'", optarg);
            }
            have_seed = 1;
            break;
        case 'g': gname = optarg; break;
        case 'j':
            if (!cli_parse_u32(optarg, 1, 1024, &threads)) {
                return cli_usage_error("demo", "bad thread count '%s'", optarg);
            }
            break;
        case 'q': quiet = 1; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("demo", c, argv);
        }
    }
    if (optind != argc) {
        return cli_usage_error("demo", "unexpected argument '%s'",
                               argv[optind]);
    }
    if (k > n) {
        return cli_usage_error("demo",
                               "the quorum (%u) exceeds the number "
                               "of guardians (%u)",
                               (unsigned)k, (unsigned)n);
    }
    sc_group_id gid;
    if (sc_group_id_from_name(&gid, gname) != SC_OK) {
        return cli_usage_error("demo", "unknown group '%s'", gname);
    }
    if (have_seed && gid == SC_GROUP_STANDARD) {
        return cli_usage_error("demo",
                               "--seed is for the test parameter sets only "
                               "(with the standard set anyone knowing the "
                               "seed recovers every vote)");
    }
    char dflt[64];
    if (outdir == NULL) {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(dflt, sizeof dflt, "scrutin-demo-%Y%m%d-%H%M%S", &tm);
        outdir = dflt;
    }
    struct stat sst;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/%s", outdir, SC_REC_RECORD);
    if (stat(probe, &sst) == 0) {
        cli_err("%s already holds a record; give another --out", outdir);
        return EXIT_ERROR;
    }

    int ret = EXIT_ERROR;
    char err[SC_ERRMAX] = "";
    sc_status rc;
    sc_group *grp = NULL;
    sc_manifest *m = NULL;
    sc_record *rec = NULL;
    sc_rng *rng = NULL;
    sc_tally *tally = NULL;
    sc_decrypt_job *job = NULL;
    sc_report *rep = NULL;
    sc_devices ds = {0};
    uint64_t *truth = NULL;
    sc_decrypt_job *wjob = NULL;
    char secrets[4200];
    char **paths = NULL;
    uint32_t *U = NULL;
    phase ph[8];
    int nph = 0;
    uint8_t seed[32];
    const char *pass = "scrutin demo passphrase";
    snprintf(secrets, sizeof secrets, "%s.secrets", outdir);

    /* 1. setup */
    double t0 = cli_now(), c0 = cpu_now();
    if (have_seed) {
        if (cli_test_seed(seedv, seed, &rng) != SC_OK) {
            goto done;
        }
    } else if (sc_rng_new_system(&rng) != SC_OK) {
        goto done;
    }
    rc = sc_group_new(&grp, gid);
    if (rc != SC_OK) {
        cli_err("cannot create group %s: %s", gname, sc_strerror(rc));
        goto done;
    }
    rc = sc_manifest_parse(&m, DEMO_MANIFEST, strlen(DEMO_MANIFEST),
                           "demo manifest", err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    rc = sc_record_init(outdir, grp, m, n, k, "Scrutin demo election", err,
                        sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    if (!quiet) {
        printf("Scrutin demo: %s\n", m->label);
        printf("  group %s, %u guardians, quorum %u, %u ballots on 2 "
               "devices\n",
               grp->name, (unsigned)n, (unsigned)k, (unsigned)ballots);
        printf("  record: %s   (guardian secrets: %s)\n", outdir, secrets);
    }
    ph[nph++] = (phase){"setup", cli_now() - t0, cpu_now() - c0};

    /* 2. key ceremony (§3.2) */
    t0 = cli_now();
    c0 = cpu_now();
    sc_ceremony_ctx cctx;
    rc = sc_ceremony_ctx_init(&cctx, grp, n, k, m->canonical, m->canonical_len);
    if (rc == SC_OK) {
        rc = sc_ceremony_run_all(&cctx, secrets, pass, strlen(pass),
                                 SC_KDF_INTERACTIVE, rng, outdir, NULL);
    }
    if (rc != SC_OK) {
        const char *d = sc_ceremony_errdetail();
        cli_err("key ceremony failed: %s%s%s", sc_strerror(rc),
                d[0] ? ": " : "", d);
        goto done;
    }
    rc = sc_record_open(&rec, outdir, SC_RECORD_NEED_KEYS, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    ph[nph++] = (phase){"key ceremony", cli_now() - t0, cpu_now() - c0};

    /* 3. ballots: encrypt on two devices (§3.3-3.4) */
    t0 = cli_now();
    c0 = cpu_now();
    truth = calloc(sc_manifest_option_count(m), sizeof *truth);
    if (truth == NULL) {
        goto done;
    }
    uint64_t n_chal = 0;
    uint64_t half = (ballots + 1) / 2;
    cli_progress pg;
    cli_progress_start(&pg, "encrypting", ballots);
    rc = run_device(rec, 1, 1, half, rng, have_seed ? seed : NULL, (int)threads,
                    truth, &ds, &n_chal, &pg);
    if (rc == SC_OK && ballots > half) {
        rc = run_device(rec, 2, half + 1, ballots - half, rng,
                        have_seed ? seed : NULL, (int)threads, truth, &ds,
                        &n_chal, &pg);
    }
    cli_progress_end(&pg);
    if (rc != SC_OK) {
        cli_err("encryption failed: %s", sc_strerror(rc));
        goto done;
    }
    double enc_secs = cli_now() - t0;
    ph[nph++] = (phase){"encryption", enc_secs, cpu_now() - c0};

    /* 4. tally (§3.5) */
    t0 = cli_now();
    c0 = cpu_now();
    rc = sc_record_tally(rec, &tally, err, sizeof err);
    if (rc == SC_OK) {
        rc = sc_tally_write(tally, outdir);
    }
    if (rc != SC_OK) {
        cli_err("tally failed: %s", err[0] ? err : sc_strerror(rc));
        goto done;
    }
    ph[nph++] = (phase){"tally", cli_now() - t0, cpu_now() - c0};

    /* 5. decryption (§3.6) with one guardian absent (when k < n) */
    t0 = cli_now();
    c0 = cpu_now();
    uint32_t absent = n > k ? (n + 1) / 2 : 0; /* guardian 3 of 5 */
    size_t nu = 0;
    U = calloc(n, sizeof *U);
    paths = calloc(n, sizeof *paths);
    const char **passes = calloc(n, sizeof *passes);
    if (U == NULL || paths == NULL || passes == NULL) {
        free(passes);
        goto done;
    }
    for (uint32_t i = 1; i <= n; i++) {
        if (i == absent) {
            continue;
        }
        U[nu] = i;
        paths[nu] = malloc(4300);
        if (paths[nu] == NULL) {
            free(passes);
            goto done;
        }
        snprintf(paths[nu], 4300, "%s/guardian_%u.secret", secrets,
                 (unsigned)i);
        passes[nu] = pass;
        nu++;
    }
    uint32_t culprit = 0;
    rc = sc_decrypt_all(grp, outdir, nu, U, (const char *const *)paths, passes,
                        rng, &job, &culprit);
    if (rc == SC_OK) {
        /* the write-ins of cast ballots, where the manifest reads them
         * (§3.6.6): a second decryption, of those contest data only */
        rc = sc_decrypt_all_write_ins(grp, outdir, nu, U,
                                      (const char *const *)paths, passes, rng,
                                      &wjob, &culprit);
    }
    free(passes);
    if (rc != SC_OK) {
        cli_err("decryption failed: %s (guardian %u)", sc_strerror(rc),
                (unsigned)culprit);
        goto done;
    }
    ph[nph++] = (phase){"decryption", cli_now() - t0, cpu_now() - c0};

    /* 6. verification (§6) */
    t0 = cli_now();
    c0 = cpu_now();
    rc = sc_report_new(&rep, NULL);
    if (rc != SC_OK) {
        goto done;
    }
    sc_verify_opts vo;
    sc_verify_opts_default(&vo);
    vo.allow_test_parameters = grp->id != SC_GROUP_STANDARD;
    if (threads > 0) {
        vo.threads = (int)threads;
    }
    rc = sc_verify_record(outdir, &vo, rep);
    if (rc != SC_OK) {
        cli_err("the verifier could not run: %s", sc_strerror(rc));
        goto done;
    }
    ph[nph++] = (phase){"verification", cli_now() - t0, cpu_now() - c0};

    /* Report */
    int match = 0;
    if (!quiet) {
        printf("\nResults (%llu cast, %llu challenged; guardians present:",
               (unsigned long long)tally->cast, (unsigned long long)n_chal);
        for (size_t i = 0; i < nu; i++) {
            printf(" %u", (unsigned)U[i]);
        }
        if (absent != 0) {
            printf(", guardian %u absent", (unsigned)absent);
        }
        printf(")\n");
    }
    if (quiet) {
        size_t kk = 0;
        match = 1;
        for (size_t i = 0; i < job->n_items; i++, kk++) {
            match &= job->items[i].kind != SC_DEC_TALLY ||
                     job->items[i].t == truth[i];
        }
        match &= print_write_ins(m, job, wjob, 1);
    } else {
        print_results(rec, tally->cast, job, truth, &match);
        match &= print_write_ins(m, job, wjob, 0);
        printf("\n  decrypted tally %s the plaintext ballots that were "
               "cast\n",
               match ? "matches" : "DOES NOT MATCH");
        printf("\nVerification\n");
        sc_report_print_text(rep, stdout, 5);
    }
    int vcode = sc_report_exit_code(rep);
    printf("\n%-14s %8s %8s\n", "phase", "seconds", "cpu");
    double total = 0, tcpu = 0;
    for (int i = 0; i < nph; i++) {
        printf("%-14s %8.2f %8.2f", ph[i].name, ph[i].secs, ph[i].cpu);
        tcpu += ph[i].cpu;
        if (strcmp(ph[i].name, "encryption") == 0 && ballots > 0) {
            printf("   (%.1f ms/ballot, %.0f ballots/s)",
                   1000.0 * ph[i].secs / ballots, ballots / ph[i].secs);
        }
        printf("\n");
        total += ph[i].secs;
    }
    printf("%-14s %8.2f %8.2f\n", "total", total, tcpu);
    printf("(%d cores; cpu = process CPU time of all threads)\n",
           sc_cpu_count());
    char hx[65];
    sc_hex_encode(hx, rec->h_p, 32);
    printf("\nH_P %s\n", hx);
    printf("verdict: %s; record in %s\n",
           vcode == SC_EXIT_VALID     ? "VALID"
           : vcode == SC_EXIT_INVALID ? "INVALID"
                                      : "COULD NOT CHECK",
           outdir);
    ret = vcode == SC_EXIT_VALID && match ? EXIT_OK
          : vcode == SC_EXIT_CANNOT_CHECK ? EXIT_ERROR
                                          : EXIT_VERIFY;
done:
    if (paths != NULL) {
        for (uint32_t i = 0; i < n; i++) {
            free(paths[i]);
        }
        free(paths);
    }
    free(U);
    free(truth);
    sc_report_free(rep);
    sc_decrypt_job_free(job);
    sc_decrypt_job_free(wjob);
    sc_tally_free(tally);
    sc_devices_clear(&ds);
    sc_record_free(rec);
    sc_manifest_free(m);
    sc_rng_free(rng);
    sc_group_free(grp);
    sc_wipe(seed, sizeof seed);
    return ret;
}
