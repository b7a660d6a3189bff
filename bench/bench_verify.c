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
 *   P4 verify-2-threads-speedup           whole-record verification time
 *      with one worker thread ÷ with two, same record. Target >= 1.8.
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

/* Verify `dir` in a child process; wall time and the child's peak RSS. */
static int run_child(const char *dir, int threads, double *secs, long *kb)
{
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
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
        _exit(code);
    }
    int st = 0;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid) {
        return -1;
    }
    *secs = now_s() - t0;
    *kb = ru.ru_maxrss;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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
    tg_opts o1 = {SC_GROUP_STANDARD, per_dev, 2, 5, 7, 11};
    tg_opts o10 = {SC_GROUP_STANDARD, 10 * per_dev, 2, 5, 7, 12};
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
    double t1a = 1e30, t2a = 1e30, t10 = 1e30, s;
    long kb1 = 0, kb10 = 0, kb;
    for (int r = 0; r < 4; r++) { /* interleaved, best of four */
        if (run_child(d1, 1, &s, &kb) != 0) {
            fprintf(stderr, "bench_verify: 1x record did not verify\n");
        }
        t1a = s < t1a ? s : t1a;
        if (run_child(d1, 2, &s, &kb) != 0) {
            fprintf(stderr, "bench_verify: 1x record did not verify\n");
        }
        t2a = s < t2a ? s : t2a;
        kb1 = kb > kb1 ? kb : kb1;
    }
    for (int r = 0; r < 2; r++) { /* best of two, like the 1x runs */
        if (run_child(d10, 2, &s, &kb) != 0) {
            fprintf(stderr, "bench_verify: 10x record did not verify\n");
        }
        t10 = s < t10 ? s : t10;
        kb10 = kb > kb10 ? kb : kb10;
    }
    double load[3] = {0, 0, 0};
    FILE *la = fopen("/proc/loadavg", "r");
    if (la != NULL) {
        if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) {
            load[0] = -1;
        }
        fclose(la);
    }
    printf("verify 1x: 1 thread %.2f s, 2 threads %.2f s; 10x: 2 threads "
           "%.2f s (load average %.1f on %ld cores: thread figures need an "
           "idle machine)\n",
           t1a, t2a, t10, load[0], sysconf(_SC_NPROCESSORS_ONLN));
    printf("P4 verify-2-threads-speedup %.2f\n", t1a / t2a);
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
    sc_bench_verify();
    return 0;
}
#endif
