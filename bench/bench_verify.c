/* Verifier figures (P3, P4) for scrutin-bench: the 2.1 verifier
 * (scrutin/verify.h) on the standard group.
 *
 *   P3 verify-selection-vs-4-variable     one 0/1 selection checked as in
 *      Verification 6 (6.1-6.3, 6.D, and its share of the ballot's batched
 *      membership test for 6.A) ÷ four variable-base exponentiations
 *      (sc_pow, 256-bit exponents). Target <= 1.3.
 *   P3 verify-selection-speedup-vs-naive  the same selection checked with
 *      one mpz_powm per exponentiation of the equations (g^v, α^c, K^w,
 *      β^c for j = 0, 1, and α^q, β^q for 6.A) ÷ ours. Target >= 3.
 *   P3 verify-record-vs-ideal             CPU time (user + system) of the
 *      whole verification of the 1,000-ballot record, one thread ÷ the
 *      sum of its exponentiations at measured cost: every Montgomery
 *      product and squaring the engine performs during that verification
 *      (counted in a separate run: kernel products and squarings, limb
 *      products and squarings, 8-lane squarings (a call squares eight
 *      values, priced per call) × the CPU time of one, measured in the
 *      verifying process itself just before and just after it verifies
 *      (the mean of the two; the CPU of those measurements is taken out
 *      of the run's). The one-thread run is made once per round on each
 *      CPU, pinned (the CPUs differ: bench_cpu.c); the line is the median
 *      of all these runs' ratios, with each CPU's median below it.
 *      Target <= 1.15. Printed beside it, a cross-check: the same ratio
 *      with the costs sampled during each run (bench_costs.c).
 *   P4 verify-2-threads-speedup           whole-record verification time
 *      of the 1,000-ballot record with one thread ÷ with two, the runs of
 *      a round in an order that alternates from round to round (5 rounds,
 *      SC_BENCH_P4_ROUNDS); median of the per-round ratios. The one-thread
 *      time is that of one thread at the CPUs' mean speed: n ÷ Σ 1/t(cpu)
 *      over its pinned runs (on two equal CPUs, the one-thread time; on
 *      unequal ones, 2 still means both CPUs fully used). Printed beside
 *      it: the speedup against the faster CPU, and CPU of a one-thread
 *      run ÷ CPU of the two-thread run (the same work: ~1). Target >= 1.9.
 *   P4 verify-10x-ballots-time-ratio      time for a record with 10x the
 *      ballots ÷ time for 1x (2 threads). Target <= 10.5.
 *   P4 verify-peak-rss-1x-kb / -10x-kb    peak resident memory of each run
 *      (a child process per run), to show it does not grow with ballots.
 *
 * Records are made at bench time with the test generator
 * (tests/tamper/gen_record.c) under $TMPDIR. sc_bench_verify() prints the
 * lines; built alone (SC_BENCH_VERIFY_MAIN) it is scrutin-bench-verify. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arith/arith_internal.h"
#include "gen_record.h"
#include "scrutin/arith.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"
#include "scrutin/proof.h"
#include "scrutin/report.h"
#include "scrutin/rng.h"
#include "scrutin/verify.h"
#include "verify/vctx.h"

#include "bench_costs.h"
#include "bench_util.h"

void sc_bench_verify(void);

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct sel_bench {
    sc_group *g;
    vr_ctx ctx;
    vr_field f;
    uint8_t hi[32];
    mpz_t batch[20]; /* a ballot's worth of elements for 6.A */
} sel_bench;

static void ours(sel_bench *s)
{
    size_t bad;
    /* 6.A: a 10-selection ballot's batch, one tenth per selection */
    static int k = 0;
    if (k++ % 10 == 0) {
        if (sc_subgroup_check_batch(s->g, 20, (const mpz_t *)s->batch, NULL,
                                    &bad) != SC_OK) {
            abort();
        }
    }
    if (!vr_check_selection(&s->ctx, "V6", s->hi, 1, 1, &s->f, "bench")) {
        abort();
    }
}

static void naive(sel_bench *s)
{
    const sc_group *g = s->g;
    mpz_t t, u, w, a[2], b[2], c, sum;
    mpz_inits(t, u, w, a[0], a[1], b[0], b[1], c, sum, NULL);
    /* 6.A */
    mpz_powm(t, s->f.alpha, g->q, g->p);
    mpz_powm(u, s->f.beta, g->q, g->p);
    if (mpz_cmp_ui(t, 1) != 0 || mpz_cmp_ui(u, 1) != 0) {
        abort();
    }
    for (unsigned j = 0; j < 2; j++) {
        mpz_powm(t, g->g, s->f.v[j], g->p);
        mpz_powm(u, s->f.alpha, s->f.c[j], g->p);
        mpz_mul(a[j], t, u);
        mpz_mod(a[j], a[j], g->p);
        mpz_mul_ui(w, s->f.c[j], j);
        mpz_sub(w, s->f.v[j], w);
        mpz_mod(w, w, g->q);
        mpz_powm(t, s->ctx.K, w, g->p);
        mpz_powm(u, s->f.beta, s->f.c[j], g->p);
        mpz_mul(b[j], t, u);
        mpz_mod(b[j], b[j], g->p);
        mpz_add(sum, sum, s->f.c[j]);
    }
    mpz_mod(sum, sum, g->q);
    sc_eg_range_challenge(g, s->hi, 1, 1, 1, s->f.alpha, s->f.beta, 2,
                          (const mpz_t *)a, (const mpz_t *)b, c);
    if (mpz_cmp(c, sum) != 0) {
        abort();
    }
    mpz_clears(t, u, w, a[0], a[1], b[0], b[1], c, sum, NULL);
}

static void four_var(sel_bench *s, mpz_t *bases, mpz_t *exps)
{
    mpz_t t;
    mpz_init(t);
    for (int i = 0; i < 4; i++) {
        sc_pow(s->g, t, bases[i], exps[i]);
    }
    mpz_clear(t);
}

/* Best of `rounds` of `iters` calls, per call. */
#define TIME_BEST(out, iters, rounds, stmt)                                    \
    do {                                                                       \
        double best_ = 1e30;                                                   \
        for (int r_ = 0; r_ < (rounds); r_++) {                                \
            double t0_ = now_s();                                              \
            for (int i_ = 0; i_ < (iters); i_++) {                             \
                stmt;                                                          \
            }                                                                  \
            double dt_ = (now_s() - t0_) / (iters);                            \
            best_ = dt_ < best_ ? dt_ : best_;                                 \
        }                                                                      \
        (out) = best_;                                                         \
    } while (0)

static void bench_selection(void)
{
    sel_bench s;
    memset(&s, 0, sizeof s);
    sc_rng *rng = NULL;
    static const uint8_t seed[] = "bench_verify selection";
    if (sc_group_new(&s.g, SC_GROUP_STANDARD) != SC_OK ||
        sc_rng_new_seeded(&rng, seed, sizeof seed - 1) != SC_OK) {
        fprintf(stderr, "bench_verify: setup failed\n");
        return;
    }
    mpz_t sk, K, xi;
    mpz_inits(sk, K, xi, NULL);
    sc_rng_scalar_nonzero(rng, s.g, sk);
    sc_fb_pow(s.g->g_fb, K, sk);
    sc_elgamal_key *pk = NULL;
    if (sc_elgamal_key_new(&pk, s.g, K) != SC_OK) {
        abort();
    }
    s.ctx.grp = s.g;
    mpz_init_set(s.ctx.K, K);
    s.ctx.K_fb = pk->K_fb;
    if (sc_report_new(&s.ctx.rep, NULL) != SC_OK) {
        abort();
    }
    sc_rng_bytes(rng, s.hi, 32);
    /* the prover makes the selection (the bench is not the verifier) */
    sc_ciphertext ct;
    sc_ciphertext_init(&ct);
    sc_rng_scalar(rng, s.g, xi);
    sc_range_proof pf;
    if (sc_elgamal_encrypt_u64(pk, &ct, 1, xi) != SC_OK ||
        sc_range_proof_init(&pf, 1) != SC_OK) {
        abort();
    }
    sc_range_ctx rc = {s.hi, 1, 1, 1};
    if (sc_range_proof_prove(pk, &rc, &ct, xi, 1, rng, &pf) != SC_OK) {
        abort();
    }
    mpz_init_set(s.f.alpha, ct.alpha);
    mpz_init_set(s.f.beta, ct.beta);
    s.f.n = 2;
    s.f.c = pf.c;
    s.f.v = pf.v;
    for (int i = 0; i < 20; i++) {
        mpz_init(s.batch[i]);
        sc_rng_scalar(rng, s.g, xi);
        sc_fb_pow(s.g->g_fb, s.batch[i], xi);
    }
    mpz_t bases[4], exps[4];
    for (int i = 0; i < 4; i++) {
        mpz_init_set(bases[i], i < 2 ? ct.alpha : ct.beta);
        mpz_init(exps[i]);
        sc_rng_scalar(rng, s.g, exps[i]);
    }
    double t_ours = 0, t_naive = 0, t_four = 0;
    for (int rep = 0; rep < 3; rep++) { /* interleaved: shared machine */
        double a, b, c;
        TIME_BEST(a, 20, 2, ours(&s));
        TIME_BEST(b, 10, 2, naive(&s));
        TIME_BEST(c, 20, 2, four_var(&s, bases, exps));
        t_ours = rep == 0 || a < t_ours ? a : t_ours;
        t_naive = rep == 0 || b < t_naive ? b : t_naive;
        t_four = rep == 0 || c < t_four ? c : t_four;
    }
    printf("verify one 0/1 selection (V6)           %9.1f us\n", t_ours * 1e6);
    printf("  naive (mpz_powm per equation)         %9.1f us\n", t_naive * 1e6);
    printf("  four variable-base exponentiations    %9.1f us\n", t_four * 1e6);
    printf("  (both sides on the %s)\n", sc_grp_mont(s.g)->ifma
                                             ? "IFMA radix-2^52 kernel"
                                             : "limb Montgomery product");
    printf("P3 verify-selection-vs-4-variable %.2f\n", t_ours / t_four);
    printf("P3 verify-selection-speedup-vs-naive %.2f\n", t_naive / t_ours);
    for (int i = 0; i < 4; i++) {
        mpz_clears(bases[i], exps[i], NULL);
    }
    for (int i = 0; i < 20; i++) {
        mpz_clear(s.batch[i]);
    }
    mpz_clears(s.f.alpha, s.f.beta, s.ctx.K, sk, K, xi, NULL);
    sc_range_proof_clear(&pf);
    sc_ciphertext_clear(&ct);
    sc_report_free(s.ctx.rep);
    sc_elgamal_key_free(pk);
    sc_rng_free(rng);
    sc_group_free(s.g);
}

/* What a child sends back: the engine's operation counts (when asked),
 * or the costs of the operations (bench_costs.h) measured in the child:
 * the medians just before and just after its verification, the samples
 * taken during it, and the CPU all those measurements took. */
typedef struct child_msg {
    uint64_t cnt[SC_CNT_N];
    double pc[2][BC_N];
    bc_sums run;
    double pc_cpu;
} child_msg;

/* Verify `dir` in a child process; wall time, the child's CPU time (user
 * + system) and peak RSS. msg not NULL: the child counts the engine's
 * operations (mont.h sc_arith_count_on) if `count`, else measures the
 * product costs just before and just after its verification, and sends
 * msg back; the CPU of those measurements is not in *cpu. pin >= 0: the
 * child runs on that CPU only, else on every CPU the bench could use at
 * its start (bench_cpu.c), whatever the parent is pinned to. */
/* The operations the children sample (bench_costs.h bit k): those the
 * record's verification performs at least 1,000 times, once they are
 * counted; the others are priced by the bracketing medians. */
static unsigned sampled = (1u << BC_N) - 1;

static int run_child_cnt(const char *dir, int threads, int pin, double *secs,
                         double *cpu, long *kb, child_msg *msg, int count)
{
    int fd[2] = {-1, -1};
    if (msg != NULL && pipe(fd) != 0) {
        return -1;
    }
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        if ((pin >= 0 ? bu_pin(&pin, 1) : bu_unpin()) != 0) {
            _exit(6);
        }
        child_msg c;
        memset(&c, 0, sizeof c);
        sc_group *g = NULL;
        if (msg != NULL && !count) {
            if (sc_group_new(&g, SC_GROUP_STANDARD) != SC_OK) {
                _exit(5);
            }
            bc_init(g);
            double c0 = bu_clock(CLOCK_PROCESS_CPUTIME_ID);
            bc_median(c.pc[0]);
            c.pc_cpu = bu_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
            if (bc_sampler_start(BC_EVERY, sampled) != 0) {
                _exit(7);
            }
        }
        if (msg != NULL && count) {
            sc_arith_count_on(1);
        }
        sc_report *rep = NULL;
        sc_verify_opts o;
        sc_verify_opts_default(&o);
        o.threads = threads;
        o.allow_test_parameters = 1;
        if (sc_report_new(&rep, NULL) != SC_OK ||
            sc_verify_record(dir, &o, rep) != SC_OK) {
            _exit(3);
        }
        int code = sc_report_exit_code(rep);
        if (code != SC_EXIT_VALID) {
            sc_report_print_text(rep, stderr, 3);
        }
        if (msg != NULL && count) {
            sc_arith_count_get(c.cnt);
        }
        if (g != NULL) {
            bc_sampler_stop(&c.run);
            c.pc_cpu += c.run.cpu;
            double c0 = bu_clock(CLOCK_PROCESS_CPUTIME_ID);
            bc_median(c.pc[1]);
            c.pc_cpu += bu_clock(CLOCK_PROCESS_CPUTIME_ID) - c0;
        }
        if (msg != NULL && write(fd[1], &c, sizeof c) != (ssize_t)sizeof c) {
            _exit(4);
        }
        _exit(code);
    }
    int st = 0;
    struct rusage ru;
    if (msg != NULL) {
        close(fd[1]);
        if (read(fd[0], msg, sizeof *msg) != (ssize_t)sizeof *msg) {
            memset(msg, 0, sizeof *msg);
        }
        close(fd[0]);
    }
    if (wait4(pid, &st, 0, &ru) != pid) {
        return -1;
    }
    *secs = now_s() - t0;
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    if (msg != NULL) {
        *cpu -= msg->pc_cpu;
    }
    *kb = ru.ru_maxrss;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run_child(const char *dir, int threads, double *secs, long *kb)
{
    double cpu;
    return run_child_cnt(dir, threads, -1, secs, &cpu, kb, NULL, 0);
}

static void rm_rf(const char dir[600])
{
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s.secrets'", dir, dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench_verify: cannot remove %s\n", dir);
    }
}

static void bench_records(void)
{
    const char *tmp = getenv("TMPDIR");
    char d1[600], d10[600];
    snprintf(d1, sizeof d1, "%s/scrutin_bv_%d_1x", tmp ? tmp : "/tmp",
             (int)getpid());
    snprintf(d10, sizeof d10, "%s/scrutin_bv_%d_10x", tmp ? tmp : "/tmp",
             (int)getpid());
    const uint32_t per_dev =
        getenv("SC_BENCH_VERIFY_BALLOTS")
            ? (uint32_t)atoi(getenv("SC_BENCH_VERIFY_BALLOTS"))
            : 50; /* 1x = 100 ballots, 10x = 1,000 (the demo's size):
                   * with the IFMA engine a smaller 1x record is so fast
                   * that the serial set-up (three fixed-base tables,
                   * V1-V4) dominates the thread figure */
    tg_opts o1 = {SC_GROUP_STANDARD, per_dev, 2, 5, 7, 11, 0};
    tg_opts o10 = {SC_GROUP_STANDARD, 10 * per_dev, 2, 5, 7, 12, 0};
    double tg = now_s();
    if (tg_make_record(d1, &o1) != SC_OK ||
        tg_make_record(d10, &o10) != SC_OK) {
        fprintf(stderr, "bench_verify: cannot make the records\n");
        rm_rf(d1);
        rm_rf(d10);
        return;
    }
    printf("verify records: %u and %u ballots (standard group), made in "
           "%.1f s\n",
           2 * per_dev, 20 * per_dev, now_s() - tg);
    double t2a = 1e30, t10 = 1e30, s, cpu;
    long kb1 = 0, kb10 = 0, kb;
    for (int r = 0; r < 2; r++) { /* 1x, 2 threads: best of two */
        if (run_child(d1, 2, &s, &kb) != 0) {
            fprintf(stderr, "bench_verify: 1x record did not verify\n");
        }
        t2a = s < t2a ? s : t2a;
        kb1 = kb > kb1 ? kb : kb1;
    }
    /* The 10x record (1,000 ballots): its operation counts once, then
     * rounds of one thread / two threads; P3 and P4 from each round. */
    child_msg cm;
    if (run_child_cnt(d10, 1, -1, &s, &cpu, &kb, &cm, 1) != 0) {
        fprintf(stderr, "bench_verify: 10x record did not verify\n");
        exit(EXIT_FAILURE);
    }
    sampled = 0; /* the rare ones (2 limb products on the kernel) are
                  * priced by the medians */
    for (int q = 0; q < BC_N; q++) {
        sampled |= cm.cnt[bc_cnt[q]] >= 1000 ? 1u << q : 0;
    }
    const int rounds =
        getenv("SC_BENCH_P4_ROUNDS") ? atoi(getenv("SC_BENCH_P4_ROUNDS")) : 5;
    /* The one-thread side runs once on every CPU (pinned): the CPUs of
     * these machines differ (bench_cpu.c), and an unpinned run measures
     * whichever the scheduler picked. P3 is a ratio within one run (its
     * CPU and its ideal on the same CPU); P4 compares the two-thread time
     * with one thread on the mean CPU of the machine: n ÷ Σ 1 / t1(cpu),
     * the time one thread takes at the CPUs' mean speed (2 when the two
     * threads keep both CPUs busy, whatever their speeds). */
    enum { NR = 16, NC = 4 };
    int cpus[BU_MAXCPU];
    int nc = bu_cpus(cpus, BU_MAXCPU);
    if (nc < 1) { /* unknown: one unpinned run */
        cpus[0] = -1;
        nc = 1;
    }
    nc = nc > NC ? NC : nc;
    double rsp[NR], rfast[NR], rid[NR * NC], ridc[NC][NR], t1c[NC][NR], t2s[NR],
        cps[NR], ids[NR], cpr[NR], drift[NR * NC], rids[NR * NC], bias[NR * NC],
        smpk[NR * NC], smpd[NR * NC];
    int nr = rounds < 1 ? 1 : rounds > NR ? NR : rounds;
    for (int r = 0; r < nr; r++) {
        double t1[NC], c1[NC], id1[NC], t2 = 0, c2 = 0;
        long kb2 = 0;
        /* the runs in turn, the two-thread one first or last alternating
         * from round to round: a load that rises or falls during the round
         * does not always favour the same side */
        int bad = 0;
        for (int h = 0; h <= nc; h++) {
            int k = (r & 1) ? h - 1 : h; /* k = -1 or nc: two threads */
            if (k < 0 || k == nc) {
                bad |= run_child_cnt(d10, 2, -1, &t2, &c2, &kb2, NULL, 0) != 0;
                continue;
            }
            child_msg pm; /* the operations' costs, measured in the run */
            bad |= run_child_cnt(d10, 1, cpus[k], &t1[k], &c1[k], &kb, &pm,
                                 0) != 0;
            /* each operation's cost: the mean of its medians just before
             * and just after the verification, in the verifying process
             * itself (a clock that drifts during the run moves both);
             * beside it, its samples' mean during the verification
             * (bench_costs.c), a cross-check */
            id1[k] = 0;
            double ids_ = 0;
            for (int q = 0; q < BC_N; q++) {
                const double n = (double)cm.cnt[bc_cnt[q]];
                const double med = (pm.pc[0][q] + pm.pc[1][q]) / 2;
                id1[k] += n * med;
                ids_ += pm.run.calls[q] > 0
                            ? n * pm.run.secs[q] / pm.run.calls[q]
                            : n * med;
            }
            if (pm.run.kept < 20) {
                fprintf(stderr,
                        "bench_verify: %u samples of the costs "
                        "during a run (%u dropped): too few\n",
                        pm.run.kept, pm.run.dropped);
                exit(EXIT_FAILURE);
            }
            rids[r * nc + k] = c1[k] / ids_;
            smpk[r * nc + k] = pm.run.kept;
            smpd[r * nc + k] = pm.run.dropped;
            /* the product's sampled mean ÷ its bracketing median, and its
             * median after ÷ before (the kernel's, else the limb one's) */
            const int q0 = pm.run.calls[0] > 0 ? 0 : 2;
            bias[r * nc + k] = pm.run.secs[q0] / pm.run.calls[q0] /
                               ((pm.pc[0][q0] + pm.pc[1][q0]) / 2);
            drift[r * nc + k] = pm.pc[1][q0] / pm.pc[0][q0];
            kb10 = kb > kb10 ? kb : kb10;
        }
        if (bad) {
            fprintf(stderr, "bench_verify: 10x record did not verify\n");
            exit(EXIT_FAILURE); /* no figure from a failed run */
        }
        kb10 = kb2 > kb10 ? kb2 : kb10;
        t10 = t2 < t10 ? t2 : t10;
        double inv = 0, fast = 1e30, csum = 0, isum = 0;
        for (int k = 0; k < nc; k++) {
            inv += 1 / t1[k];
            fast = t1[k] < fast ? t1[k] : fast;
            csum += c1[k];
            isum += id1[k];
            ridc[k][r] = c1[k] / id1[k];
            t1c[k][r] = t1[k];
        }
        /* the same work both ways: CPU of a one-thread run (the mean over
         * the CPUs) ÷ CPU of the two-thread run (P4 is only a speedup if
         * this is ~1; the latter includes the reader and the locks) */
        cpr[r] = csum / nc / c2;
        t2s[r] = t2;
        cps[r] = csum / nc;
        ids[r] = isum / nc;
        rsp[r] = (nc / inv) / t2;
        rfast[r] = fast / t2;
    }
    qsort(rsp, (size_t)nr, sizeof *rsp, bu_cmp_dbl);
    qsort(rfast, (size_t)nr, sizeof *rfast, bu_cmp_dbl);
    for (int k = 0; k < nc; k++) { /* every run's ratio, all CPUs */
        memcpy(rid + k * nr, ridc[k], (size_t)nr * sizeof *rid);
    }
    qsort(rid, (size_t)(nr * nc), sizeof *rid, bu_cmp_dbl);
    qsort(t2s, (size_t)nr, sizeof *t2s, bu_cmp_dbl);
    qsort(cps, (size_t)nr, sizeof *cps, bu_cmp_dbl);
    qsort(ids, (size_t)nr, sizeof *ids, bu_cmp_dbl);
    qsort(cpr, (size_t)nr, sizeof *cpr, bu_cmp_dbl);
    qsort(drift, (size_t)(nr * nc), sizeof *drift, bu_cmp_dbl);
    qsort(rids, (size_t)(nr * nc), sizeof *rids, bu_cmp_dbl);
    qsort(bias, (size_t)(nr * nc), sizeof *bias, bu_cmp_dbl);
    qsort(smpk, (size_t)(nr * nc), sizeof *smpk, bu_cmp_dbl);
    qsort(smpd, (size_t)(nr * nc), sizeof *smpd, bu_cmp_dbl);
    for (int k = 0; k < nc; k++) {
        qsort(ridc[k], (size_t)nr, sizeof ridc[k][0], bu_cmp_dbl);
        qsort(t1c[k], (size_t)nr, sizeof t1c[k][0], bu_cmp_dbl);
    }
    double load[3] = {0, 0, 0};
    FILE *la = fopen("/proc/loadavg", "r");
    if (la != NULL) {
        if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) {
            load[0] = -1;
        }
        fclose(la);
    }
    printf("10x record: %llu kernel products, %llu kernel squarings, %llu "
           "limb products, %llu limb squarings, %llu 8-lane squarings (x8)\n",
           (unsigned long long)cm.cnt[SC_CNT_KMUL],
           (unsigned long long)cm.cnt[SC_CNT_KSQR],
           (unsigned long long)cm.cnt[SC_CNT_MUL],
           (unsigned long long)cm.cnt[SC_CNT_SQR],
           (unsigned long long)cm.cnt[SC_CNT_KSQR8]);
    printf("10x record, medians of %d rounds: 1 thread (mean over %d "
           "CPUs) CPU %.2f s, ideal %.2f s; 2 threads %.2f s; 1x: 2 threads "
           "%.2f s (load average %.1f on %ld cores: thread figures need an "
           "idle machine)\n",
           nr, nc, cps[nr / 2], ids[nr / 2], t2s[nr / 2], t2a, load[0],
           sysconf(_SC_NPROCESSORS_ONLN));
    for (int k = 0; k < nc; k++) {
        printf("  1 thread pinned to cpu %d: %.2f s, P3 %.3f (medians)\n",
               cpus[k], t1c[k][nr / 2], ridc[k][nr / 2]);
    }
    int nrc = nr * nc;
    printf("P3 verify-record-vs-ideal %.3f\n", rid[nrc / 2]);
    printf("  (median of the %d one-thread runs' ratios, every CPU: min "
           "%.3f, max %.3f; kernel product's cost after / before the run: "
           "min %.3f, max %.3f)\n",
           nrc, rid[0], rid[nrc - 1], drift[0], drift[nrc - 1]);
    /* the sampler's check, on a run whose ideal is known: products */
    sc_group *cg = NULL;
    double ctl = 0;
    if (sc_group_new(&cg, SC_GROUP_STANDARD) == SC_OK) {
        bc_init(cg);
        ctl = bc_control(sc_grp_mont(cg)->ifma ? 4000000 : 1000000);
        sc_group_free(cg);
    }
    printf("  (cross-check, the costs sampled during each run "
           "(bench_costs.c): P3 median %.3f, min %.3f, max %.3f; median %.0f "
           "samples kept, %.0f dropped; the product's sampled mean / its "
           "median beside the run: median %.3f, min %.3f, max %.3f; the "
           "sampler's check, products alone, their CPU / their sampled "
           "cost: %.3f)\n",
           rids[nrc / 2], rids[0], rids[nrc - 1], smpk[nrc / 2], smpd[nrc / 2],
           bias[nrc / 2], bias[0], bias[nrc - 1], ctl);
    printf("P4 verify-2-threads-speedup %.2f\n", rsp[nr / 2]);
    printf("  (against one thread at the CPUs' mean speed; per-round ratios: "
           "min %.2f, max %.2f; against one thread on the faster CPU: "
           "median %.2f)\n",
           rsp[0], rsp[nr - 1], rfast[nr / 2]);
    printf("  (CPU 1 thread / CPU 2 threads, per round: median %.3f, min "
           "%.3f, max %.3f)\n",
           cpr[nr / 2], cpr[0], cpr[nr - 1]);
    printf("P4 verify-10x-ballots-time-ratio %.2f\n", t10 / t2a);
    printf("P4 verify-peak-rss-1x-kb %ld\n", kb1);
    printf("P4 verify-peak-rss-10x-kb %ld\n", kb10);
    rm_rf(d1);
    rm_rf(d10);
}

void sc_bench_verify(void)
{
    bench_selection();
    fflush(stdout);
    bench_records();
    fflush(stdout);
}

#ifdef SC_BENCH_VERIFY_MAIN
int main(void)
{
    if (sc_init() != SC_OK) {
        return 3;
    }
    if (getenv("SC_BENCH_NO_IFMA") != NULL) {
        sc_mont_ifma_allow(0);
    }
    sc_bench_verify();
    return 0;
}
#endif
