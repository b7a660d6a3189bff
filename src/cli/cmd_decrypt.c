/* scrutin decrypt: joint decryption of the tally and the challenged
 * ballots (spec §3.6; docs/CEREMONY.md), round by round on each guardian's
 * machine, or all at once for demos and tests. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"
#include "step_help.h"
#include "scrutin/ceremony.h"
#include "scrutin/decrypt.h"
#include "scrutin/record.h"
#include "scrutin/report.h"
#include "scrutin/verify.h"

static const char USAGE[] =
    "usage: scrutin decrypt <step> --record DIR [options]\n"
    "\n"
    "Joint decryption (ElectionGuard 2.1 §3.6) of encrypted_tally.json and of\n"
    "the challenged ballots by the present guardians U (at least the quorum).\n"
    "Public files go through --exchange DIR (default '.'), copied between the\n"
    "guardians by the election official.\n"
    "\n"
    "steps (each guardian, on its machine):\n"
    "  begin    round a: partial decryptions M_i (eq 84), commitments d_i\n"
    "           (eq 88), ballot-nonce shares m_i (eq 107); needs --present\n"
    "           writes decrypt_a_<i>.json; keeps u_i in the --state file\n"
    "  reveal   round b: reads every decrypt_a_<j>.json, records the d_j,\n"
    "           writes decrypt_b_<i>.json (a_i, b_i)\n"
    "  respond  round c: reads decrypt_a/b_<j>.json, checks (a_j, b_j)\n"
    "           against d_j, writes decrypt_c_<i>.json (v_i, eq 92)\n"
    "steps (anyone):\n"
    "  combine  checks every response (note 3.7), writes tally.json and\n"
    "           challenged.jsonl into the record (--present defaults to\n"
    "           the set in the round-a files)\n"
    "  all      every round for the --present guardians in this process,\n"
    "           with their secret files in --secrets (demos, tests)\n"
    "\n"
    "options:\n"
    "  --record DIR          the election record\n"
    "  --present LIST        the present guardians, e.g. 1,2,4\n"
    "  --secret FILE         this guardian's secret file\n"
    "  --secrets DIR         guardian_<i>.secret of every present guardian\n"
    "                        (all; default DIR/secrets)\n"
    "  --state FILE          this guardian's encrypted decryption state\n"
    "                        (default: the secret file + '.decrypt-state')\n"
    "  --passphrase-file F   passphrase (mode 0600); otherwise asked on the\n"
    "                        terminal\n"
    "  --exchange DIR        where round files are read and written\n"
    "  --max-tally N         largest tally to look for (discrete log)\n"
    "  --kdf interactive|moderate  passphrase hashing cost of the state file\n"
    "                        (default moderate)\n"
    "  --write-ins           every step: the second decryption of an election\n"
    "                        whose manifest reads write-ins: the contest data\n"
    "                        of the cast ballots whose decrypted write-in\n"
    "                        count (write_in_counts.jsonl) is not 0, into\n"
    "                        write_ins.jsonl (eq 96-106)\n"
    "  --no-verify           begin/all: skip Verifications 1-9 of the record\n"
    "                        before decrypting (§3.6.1; do it only when a\n"
    "                        trusted party has verified the record)\n"
    "  -h, --help\n"
    "\n"
    "\n"
    "Each step has its own help: `scrutin decrypt begin --help`,\n"
    "`scrutin decrypt reveal --help`, `scrutin decrypt respond --help`,\n"
    "`scrutin decrypt combine --help`, `scrutin decrypt all --help`.\n"
    "\n"
    "Exit status: 0 ok, 1 a check failed (the message names the guardian\n"
    "at fault), 2 usage, 3 other error.\n";

#define DEXIT                                                                  \
    "\nExit status: 0 ok, 1 a check failed (the message names the "            \
    "guardian\nat fault), 2 usage, 3 other error.\n"
#define DOPT_RECORD "  --record DIR          the election record\n"
#define DOPT_GUARDIAN                                                          \
    "  --secret FILE         this guardian's secret file\n"                    \
    "  --state FILE          this guardian's encrypted decryption state\n"     \
    "                        (default: the secret file + '.decrypt-state')\n"  \
    "  --passphrase-file F   passphrase (mode 0600); otherwise asked on the\n" \
    "                        terminal\n"
#define DOPT_EXCH                                                              \
    "  --exchange DIR        where round files are read and written\n"
#define DOPT_KDF                                                               \
    "  --kdf interactive|moderate  passphrase hashing cost of the state "      \
    "file\n"                                                                   \
    "                        (default moderate)\n"
#define DOPT_WI                                                                \
    "  --write-ins           the second decryption (write-ins, eq 96-106)\n"
#define DOPT_NOV                                                               \
    "  --no-verify           skip Verifications 1-9 of the record first\n"     \
    "                        (§3.6.1; only when a trusted party has)\n"
#define DOPT_MAX                                                               \
    "  --max-tally N         largest tally to look for (discrete log)\n"

static const cli_step_help STEPS[] = {
    {"begin",
     "usage: scrutin decrypt begin --record DIR --present LIST --secret FILE\n"
     "           [options]\n"
     "\n"
     "Round a, by each present guardian on its machine: partial decryptions\n"
     "M_i (eq 84) of the tally, commitments d_i (eq 88) and ballot-nonce\n"
     "shares m_i (eq 107) of the challenged ballots; writes\n"
     "decrypt_a_<i>.json and keeps u_i in the --state file.\n"
     "\n"
     "options:\n" DOPT_RECORD
     "  --present LIST        the present guardians, e.g. 1,2,4\n" DOPT_GUARDIAN
         DOPT_EXCH DOPT_KDF DOPT_WI DOPT_NOV "  -h, --help\n" DEXIT},
    {"reveal",
     "usage: scrutin decrypt reveal --record DIR --secret FILE [options]\n"
     "\n"
     "Round b: read every decrypt_a_<j>.json, record the commitments d_j in\n"
     "the state, write decrypt_b_<i>.json (a_i, b_i).\n"
     "\n"
     "options:\n" DOPT_RECORD DOPT_GUARDIAN DOPT_EXCH DOPT_KDF DOPT_WI
     "  -h, --help\n" DEXIT},
    {"respond",
     "usage: scrutin decrypt respond --record DIR --secret FILE [options]\n"
     "\n"
     "Round c: read decrypt_a_<j>.json and decrypt_b_<j>.json, check every\n"
     "(a_j, b_j) against its d_j, write decrypt_c_<i>.json (the responses\n"
     "v_i, eq 92).\n"
     "\n"
     "options:\n" DOPT_RECORD DOPT_GUARDIAN DOPT_EXCH DOPT_KDF DOPT_WI
     "  -h, --help\n" DEXIT},
    {"combine",
     "usage: scrutin decrypt combine --record DIR [--present LIST] [options]\n"
     "\n"
     "Anyone, after round c: check every response (note 3.7; a bad one\n"
     "names its guardian), then write tally.json and challenged.jsonl into\n"
     "the record. `scrutin results DIR` then prints the results.\n"
     "\n"
     "options:\n" DOPT_RECORD
     "  --present LIST        the present guardians (default: the set in the\n"
     "                        round-a files)\n" DOPT_EXCH DOPT_MAX DOPT_WI
     "  -h, --help\n" DEXIT},
    {"all",
     "usage: scrutin decrypt all --record DIR --present LIST [options]\n"
     "\n"
     "Every round for the present guardians in this process, with their\n"
     "secret files in --secrets (demos, tests): writes tally.json and\n"
     "challenged.jsonl into the record.\n"
     "\n"
     "options:\n" DOPT_RECORD
     "  --present LIST        the present guardians, e.g. 1,2,4\n"
     "  --secrets DIR         guardian_<i>.secret of every present guardian\n"
     "                        (default DIR/secrets)\n"
     "  --passphrase-file F   passphrase of the secret files (mode "
     "0600)\n" DOPT_MAX DOPT_WI DOPT_NOV "  -h, --help\n" DEXIT},
};

typedef struct dopts {
    const char *step, *record, *secret, *secrets, *state, *passfile;
    const char *exchange;
    int no_verify;
    int write_ins;
    sc_kdf_level kdf;
    int kdf_given;
    uint32_t U[256];
    size_t nu;
    uint64_t max_tally;
} dopts;

static int fail(const dopts *o, sc_status rc, uint32_t culprit)
{
    const char *d = sc_ceremony_errdetail();
    fprintf(stderr, "scrutin decrypt %s: %s\n", o->step,
            *d ? d : sc_strerror(rc));
    if (culprit != 0) {
        fprintf(stderr, "scrutin decrypt %s: guardian %u is at fault\n",
                o->step, (unsigned)culprit);
    }
    return SC_STATUS_CLASS(rc) == SC_E_VERIFY ? EXIT_VERIFY : EXIT_ERROR;
}

static char *rpath(const char *dir, const char *prefix, unsigned i)
{
    size_t n = strlen(dir) + strlen(prefix) + 32;
    char *p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s/%s%u.json", dir, prefix, i);
    }
    return p;
}

static int parse_present(const char *s, dopts *o)
{
    o->nu = 0;
    while (*s) {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || v < 1 || v >= (1ul << 31) ||
            o->nu == sizeof o->U / sizeof o->U[0] ||
            (o->nu > 0 && v <= o->U[o->nu - 1])) {
            return 0;
        }
        o->U[o->nu++] = (uint32_t)v;
        if (*end == ',') {
            end++;
        } else if (*end != '\0') {
            return 0;
        }
        s = end;
    }
    return o->nu > 0;
}

/* §3.6.1: before any decryption, the guardian checks Verifications 1-9
 * (and the supplementary ballot checks) on the record. */
static int precheck(const dopts *o, const sc_record *rec)
{
    if (o->no_verify) {
        return EXIT_OK;
    }
    sc_verify_opts vo;
    sc_verify_opts_default(&vo);
    vo.allow_test_parameters = strcmp(rec->grp->name, "standard") != 0;
    vo.skip_steps = SC_VERIFY_SKIP(10) | SC_VERIFY_SKIP(11) |
                    SC_VERIFY_SKIP(12) | SC_VERIFY_SKIP(13) |
                    SC_VERIFY_SKIP(14);
    sc_report *rep = NULL;
    sc_status rc = sc_report_new(&rep, NULL);
    if (rc == SC_OK) {
        rc = sc_verify_record(o->record, &vo, rep);
    }
    /* Only the steps before decryption count: V10-V14 need the outputs
     * of this very decryption. */
    static const char *const steps[] = {"V1", "V2", "V3", "V4", "V5",
                                        "V6", "V7", "V8", "V9", "S2",
                                        "S3", "S4", "S5"};
    uint64_t fails = 0, errs = 0;
    for (size_t x = 0; rc == SC_OK && x < sizeof steps / sizeof *steps; x++) {
        fails += sc_report_failures(rep, steps[x]);
        errs += sc_report_errors(rep, steps[x]);
    }
    int code = rc != SC_OK || errs > 0 ? SC_EXIT_CANNOT_CHECK
               : fails > 0             ? SC_EXIT_INVALID
                                       : SC_EXIT_VALID;
    if (code != SC_EXIT_VALID) {
        if (rep != NULL) {
            sc_report_print_text(rep, stderr, 5);
        }
        fprintf(stderr,
                "scrutin decrypt %s: the record does not pass "
                "Verifications 1-9 (§3.6.1): not decrypting\n",
                o->step);
    }
    sc_report_free(rep);
    return code == SC_EXIT_VALID     ? EXIT_OK
           : code == SC_EXIT_INVALID ? EXIT_VERIFY
                                     : EXIT_ERROR;
}

/* What a finished decryption wrote. */
static void print_done(const dopts *o, const sc_decrypt_job *job, size_t nu)
{
    if (o->write_ins) {
        printf("contest data of %zu cast ballots with write-ins decrypted by "
               "%zu guardians: %s/write_ins.jsonl\n",
               job->n_cast, nu, o->record);
        return;
    }
    printf("tally and %zu challenged ballots decrypted by %zu guardians: "
           "%s/tally.json, %s/challenged.jsonl%s\n",
           job->n_ballots, nu, o->record, o->record,
           job->n_cast > 0 ? ", write_in_counts.jsonl" : "");
}

/* The job, from a record whose key ceremony is complete. */
static int load_job(const dopts *o, sc_record **rec, sc_decrypt_job **job)
{
    char err[SC_ERRMAX] = "";
    sc_status rc =
        sc_record_open(rec, o->record, SC_RECORD_NEED_KEYS, err, sizeof err);
    if (rc != SC_OK) {
        fprintf(stderr, "scrutin decrypt %s: %s\n", o->step,
                *err ? err : sc_strerror(rc));
        return SC_STATUS_CLASS(rc) == SC_E_VERIFY ? EXIT_VERIFY : EXIT_ERROR;
    }
    rc = o->write_ins
             ? sc_decrypt_job_load_write_ins(job, (*rec)->grp, o->record)
             : sc_decrypt_job_load(job, (*rec)->grp, o->record);
    if (rc != SC_OK) {
        return fail(o, rc, 0);
    }
    (*job)->max_tally = o->max_tally;
    return EXIT_OK;
}

static char *state_path(const dopts *o)
{
    if (o->state != NULL) {
        return strdup(o->state);
    }
    size_t n = strlen(o->secret) + 32;
    char *p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s.decrypt-state", o->secret);
    }
    return p;
}

/* Round-a messages of every present guardian (the set from `own`). */
static sc_status read_round(const dopts *o, const sc_group *grp, char which,
                            size_t nu, const uint32_t *U, void *msgs)
{
    for (size_t m = 0; m < nu; m++) {
        char prefix[16];
        snprintf(prefix, sizeof prefix, "decrypt_%c_", which);
        char *p = rpath(o->exchange, prefix, U[m]);
        sc_status rc = SC_E_NOMEM;
        if (p != NULL) {
            if (which == 'a') {
                rc = sc_dec_msg_a_read(grp, &((sc_dec_msg_a *)msgs)[m], p);
            } else if (which == 'b') {
                rc = sc_dec_msg_b_read(grp, &((sc_dec_msg_b *)msgs)[m], p);
            } else {
                rc = sc_dec_msg_c_read(grp, &((sc_dec_msg_c *)msgs)[m], p);
            }
        }
        free(p);
        if (rc != SC_OK) {
            return rc;
        }
    }
    return SC_OK;
}

/* The round-a file of the lowest-numbered guardian in the exchange. */
static sc_status first_present(const dopts *o, const sc_group *grp,
                               sc_dec_msg_a *out)
{
    DIR *d = opendir(o->exchange);
    unsigned best = 0;
    if (d == NULL) {
        fprintf(stderr, "scrutin decrypt combine: %s: cannot open\n",
                o->exchange);
        return SC_E_IO;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        unsigned i;
        char tail[8];
        if (sscanf(e->d_name, "decrypt_a_%u.jso%7s", &i, tail) == 2 &&
            strcmp(tail, "n") == 0 && i > 0 && (best == 0 || i < best)) {
            best = i;
        }
    }
    closedir(d);
    if (best == 0) {
        fprintf(stderr,
                "scrutin decrypt combine: %s: no decrypt_a_<i>.json; "
                "give --present\n",
                o->exchange);
        return SC_E_IO;
    }
    char *p = rpath(o->exchange, "decrypt_a_", best);
    sc_status rc = p == NULL ? SC_E_NOMEM : sc_dec_msg_a_read(grp, out, p);
    free(p);
    return rc;
}

static int run_step(const dopts *o)
{
    sc_record *rec = NULL;
    sc_decrypt_job *job = NULL;
    sc_guardian_secret *s = NULL;
    sc_dec_state *st = NULL;
    sc_dec_msg_a *ma = NULL, own;
    sc_dec_msg_b *mb = NULL, ownb;
    sc_dec_msg_c *mc = NULL, ownc;
    char *pass = NULL, *spath = NULL, *out = NULL;
    size_t plen = 0, nu = 0;
    const uint32_t *U = NULL;
    uint32_t culprit = 0;
    sc_status rc = SC_OK;
    int ex = EXIT_OK;
    sc_dec_msg_a found;
    memset(&found, 0, sizeof found);
    memset(&own, 0, sizeof own);
    memset(&ownb, 0, sizeof ownb);
    memset(&ownc, 0, sizeof ownc);
    if ((ex = load_job(o, &rec, &job)) != EXIT_OK) {
        goto done;
    }
    const sc_group *grp = rec->grp;
    int is_combine = strcmp(o->step, "combine") == 0;
    if (!is_combine) {
        spath = state_path(o);
        rc = sc_passphrase_read(o->passfile, "Guardian passphrase: ", 0, &pass,
                                &plen);
        if (rc == SC_OK && spath == NULL) {
            rc = SC_E_NOMEM;
        }
        if (rc == SC_OK && strcmp(o->step, "reveal") != 0) {
            rc = sc_secret_load(&s, grp, NULL, o->secret, pass, plen);
        }
        if (rc != SC_OK) {
            ex = fail(o, rc, 0);
            goto done;
        }
    }
    if (strcmp(o->step, "begin") == 0) {
        if (o->nu == 0) {
            fprintf(stderr, "scrutin decrypt begin: --present is required\n");
            ex = EXIT_USAGE;
            goto done;
        }
        if ((ex = precheck(o, rec)) != EXIT_OK) {
            goto done;
        }
        rc = sc_decrypt_round_a(job, s, o->nu, o->U, NULL, &st, &own);
        out = rpath(o->exchange, "decrypt_a_", s->i);
        if (rc == SC_OK) {
            rc =
                sc_dec_state_save(st, spath, pass, plen,
                                  o->kdf_given ? o->kdf : (sc_kdf_level)s->kdf);
        }
        if (rc == SC_OK) {
            rc = out == NULL ? SC_E_NOMEM : sc_dec_msg_a_write(grp, &own, out);
        }
        if (rc != SC_OK) {
            ex = fail(o, rc, 0);
            goto done;
        }
        printf("guardian %u: publish %s\n", (unsigned)s->i, out);
        goto done;
    }
    /* The present set: from the state (guardians) or from any round-a
     * file (combine: the first present guardian's, given by --present or
     * the state). */
    if (!is_combine) {
        rc = sc_dec_state_load(&st, spath, pass, plen);
        if (rc != SC_OK) {
            ex = fail(o, rc, 0);
            goto done;
        }
        nu = st->nu;
        U = st->U;
    } else {
        if (o->nu == 0) {
            /* The present set as the first round-a file states it (each
             * file's set is then checked against it). */
            rc = first_present(o, grp, &found);
            if (rc != SC_OK) {
                ex = fail(o, rc, 0);
                goto done;
            }
            nu = found.nu;
            U = found.U;
        } else {
            nu = o->nu;
            U = o->U;
        }
    }
    ma = calloc(nu, sizeof *ma);
    mb = calloc(nu, sizeof *mb);
    mc = calloc(nu, sizeof *mc);
    if (ma == NULL || mb == NULL || mc == NULL) {
        ex = fail(o, SC_E_NOMEM, 0);
        goto done;
    }
    rc = read_round(o, grp, 'a', nu, U, ma);
    if (rc == SC_OK && strcmp(o->step, "reveal") != 0) {
        rc = read_round(o, grp, 'b', nu, U, mb);
    }
    if (rc == SC_OK && is_combine) {
        rc = read_round(o, grp, 'c', nu, U, mc);
    }
    if (rc != SC_OK) {
        ex = fail(o, rc, 0);
        goto done;
    }
    if (strcmp(o->step, "reveal") == 0) {
        rc = sc_decrypt_round_b(job, st, ma, &ownb, &culprit);
        out = rpath(o->exchange, "decrypt_b_", st->i);
        if (rc == SC_OK) { /* the d_j must be on disk before (a_i, b_i) */
            rc = sc_dec_state_save(st, spath, pass, plen,
                                   o->kdf_given ? o->kdf
                                                : (sc_kdf_level)st->kdf);
        }
        if (rc == SC_OK) {
            rc = out == NULL ? SC_E_NOMEM : sc_dec_msg_b_write(grp, &ownb, out);
        }
    } else if (strcmp(o->step, "respond") == 0) {
        rc = sc_decrypt_round_c(job, s, st, ma, mb, &ownc, &culprit);
        out = rpath(o->exchange, "decrypt_c_", st->i);
        if (rc == SC_OK) {
            rc = sc_dec_state_save(st, spath, pass, plen,
                                   o->kdf_given ? o->kdf
                                                : (sc_kdf_level)st->kdf);
        }
        if (rc == SC_OK) {
            rc = out == NULL ? SC_E_NOMEM : sc_dec_msg_c_write(grp, &ownc, out);
        }
    } else {
        rc = sc_decrypt_combine(job, nu, ma, mb, mc, &culprit);
        if (rc == SC_OK) {
            rc = sc_decrypt_write_record(job, nu, U, o->record);
        }
    }
    if (rc != SC_OK) {
        ex = fail(o, rc, culprit);
        goto done;
    }
    if (is_combine) {
        print_done(o, job, nu);
    } else {
        printf("guardian %u: publish %s\n", (unsigned)st->i, out);
    }
done:
    for (size_t m = 0; m < nu; m++) {
        if (ma != NULL) {
            sc_dec_msg_a_clear(&ma[m]);
        }
        if (mb != NULL) {
            sc_dec_msg_b_clear(&mb[m]);
        }
        if (mc != NULL) {
            sc_dec_msg_c_clear(&mc[m]);
        }
    }
    free(ma);
    free(mb);
    free(mc);
    sc_dec_msg_a_clear(&own);
    sc_dec_msg_a_clear(&found);
    sc_dec_msg_b_clear(&ownb);
    sc_dec_msg_c_clear(&ownc);
    free(out);
    free(spath);
    sc_passphrase_free(pass);
    sc_dec_state_free(st);
    sc_guardian_secret_free(s);
    sc_decrypt_job_free(job);
    sc_record_free(rec);
    return ex;
}

static int run_all(const dopts *o)
{
    sc_record *rec = NULL;
    char err[SC_ERRMAX] = "", *pass = NULL;
    size_t plen = 0;
    uint32_t culprit = 0;
    char **paths = NULL;
    const char **passes = NULL;
    int ex = EXIT_OK;
    sc_decrypt_job *job = NULL;
    sc_status rc =
        sc_record_open(&rec, o->record, SC_RECORD_NEED_KEYS, err, sizeof err);
    if (rc != SC_OK) {
        fprintf(stderr, "scrutin decrypt all: %s\n",
                *err ? err : sc_strerror(rc));
        return SC_STATUS_CLASS(rc) == SC_E_VERIFY ? EXIT_VERIFY : EXIT_ERROR;
    }
    if (o->nu == 0) {
        fprintf(stderr, "scrutin decrypt all: --present is required\n");
        ex = EXIT_USAGE;
        goto done;
    }
    if ((ex = precheck(o, rec)) != EXIT_OK) {
        goto done;
    }
    rc = sc_passphrase_read(o->passfile, "Passphrase of the secret files: ", 0,
                            &pass, &plen);
    paths = calloc(o->nu, sizeof *paths);
    passes = calloc(o->nu, sizeof *passes);
    if (rc == SC_OK && (paths == NULL || passes == NULL)) {
        rc = SC_E_NOMEM;
    }
    char defdir[4096];
    snprintf(defdir, sizeof defdir, "%s/secrets", o->record);
    for (size_t m = 0; rc == SC_OK && m < o->nu; m++) {
        const char *dir = o->secrets != NULL ? o->secrets : defdir;
        size_t n = strlen(dir) + 40;
        paths[m] = malloc(n);
        if (paths[m] == NULL) {
            rc = SC_E_NOMEM;
            break;
        }
        snprintf(paths[m], n, "%s/guardian_%u.secret", dir, (unsigned)o->U[m]);
        passes[m] = pass;
    }
    if (rc == SC_OK) {
        rc = (o->write_ins ? sc_decrypt_all_write_ins : sc_decrypt_all)(
            rec->grp, o->record, o->nu, o->U, (const char *const *)paths,
            passes, NULL, &job, &culprit);
    }
    if (rc != SC_OK) {
        ex = fail(o, rc, culprit);
        goto done;
    }
    print_done(o, job, o->nu);
done:
    for (size_t m = 0; paths != NULL && m < o->nu; m++) {
        free(paths[m]);
    }
    free(paths);
    free(passes);
    sc_passphrase_free(pass);
    sc_decrypt_job_free(job);
    sc_record_free(rec);
    return ex;
}

int cmd_decrypt(int argc, char **argv)
{
    enum {
        O_RECORD = 256,
        O_PRESENT,
        O_SECRET,
        O_SECRETS,
        O_STATE,
        O_PASS,
        O_EXCH,
        O_MAX,
        O_KDF,
        O_NOVERIFY,
        O_WRITEINS
    };
    static const struct option longopts[] = {
        {"record", required_argument, NULL, O_RECORD},
        {"present", required_argument, NULL, O_PRESENT},
        {"secret", required_argument, NULL, O_SECRET},
        {"secrets", required_argument, NULL, O_SECRETS},
        {"state", required_argument, NULL, O_STATE},
        {"passphrase-file", required_argument, NULL, O_PASS},
        {"exchange", required_argument, NULL, O_EXCH},
        {"max-tally", required_argument, NULL, O_MAX},
        {"kdf", required_argument, NULL, O_KDF},
        {"no-verify", no_argument, NULL, O_NOVERIFY},
        {"write-ins", no_argument, NULL, O_WRITEINS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    dopts o;
    memset(&o, 0, sizeof o);
    o.exchange = ".";
    o.kdf = SC_KDF_MODERATE;
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    o.step = argv[1];
    if (strcmp(o.step, "--help") == 0 || strcmp(o.step, "-h") == 0) {
        fputs(USAGE, stdout);
        return EXIT_OK;
    }
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_RECORD: o.record = optarg; break;
        case O_PRESENT:
            if (!parse_present(optarg, &o)) {
                fprintf(stderr,
                        "scrutin decrypt: --present: expected "
                        "ascending guardian indices like 1,2,4: "
                        "%s\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case O_SECRET: o.secret = optarg; break;
        case O_SECRETS: o.secrets = optarg; break;
        case O_STATE: o.state = optarg; break;
        case O_PASS: o.passfile = optarg; break;
        case O_EXCH: o.exchange = optarg; break;
        case O_NOVERIFY: o.no_verify = 1; break;
        case O_WRITEINS: o.write_ins = 1; break;
        case O_KDF:
            o.kdf_given = 1;
            if (!cli_parse_kdf(optarg, &o.kdf)) {
                return cli_usage_error("decrypt",
                                       "--kdf: interactive or moderate");
            }
            break;
        case O_MAX: {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || v == 0) {
                fprintf(stderr,
                        "scrutin decrypt: --max-tally: not a "
                        "positive number: %s\n",
                        optarg);
                return EXIT_USAGE;
            }
            o.max_tally = v;
            break;
        }
        case 'h':
            if (!cli_print_step_help(STEPS, sizeof STEPS / sizeof STEPS[0],
                                     o.step)) {
                fputs(USAGE, stdout);
            }
            return EXIT_OK;
        default: fputs(USAGE, stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "scrutin decrypt: unexpected argument '%s'\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    if (o.record == NULL) {
        fprintf(stderr, "scrutin decrypt %s: --record is required\n", o.step);
        return EXIT_USAGE;
    }
    if (strcmp(o.step, "all") == 0) {
        return run_all(&o);
    }
    if (strcmp(o.step, "begin") != 0 && strcmp(o.step, "reveal") != 0 &&
        strcmp(o.step, "respond") != 0 && strcmp(o.step, "combine") != 0) {
        fprintf(stderr, "scrutin decrypt: unknown step '%s'\n%s", o.step,
                USAGE);
        return EXIT_USAGE;
    }
    if (strcmp(o.step, "combine") != 0 && o.secret == NULL && o.state == NULL) {
        fprintf(stderr, "scrutin decrypt %s: --secret is required\n", o.step);
        return EXIT_USAGE;
    }
    if ((strcmp(o.step, "begin") == 0 || strcmp(o.step, "respond") == 0) &&
        o.secret == NULL) {
        fprintf(stderr, "scrutin decrypt %s: --secret is required\n", o.step);
        return EXIT_USAGE;
    }
    return run_step(&o);
}
