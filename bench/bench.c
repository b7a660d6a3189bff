/* scrutin-bench: the exponentiation engine on the standard group (4096-bit
 * p, 256-bit q, spec §3.1.1). Fixed workload, one run, prints figures;
 * docs/ARITH.md explains them. Timings are the best of a few rounds (the
 * machine is shared), per operation.
 *
 * One function per section; a section prints its own lines. Lines of the
 * form "P<n> <name> <ratio>" are the tracked performance figures. To add a
 * section (e.g. P3/P4 verifier figures), write a bench_xxx(const bctx *)
 * and call it from main. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arith/arith_internal.h"
#include "scrutin/arith.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"
#include "scrutin/group.h"
#include "scrutin/proof.h"
#include "scrutin/rng.h"

#include "bench_util.h"

/* Shared state for all sections. */
typedef struct bctx {
    sc_group *grp;
    sc_rng *rng;
    sc_elgamal_key *pk; /* K = g^s for a random s, with its table */
    double t_mul;       /* measured Montgomery product (s) */
    double t_sqr;
} bctx;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Best-of-`rounds` time per call of fn(arg) over `iters` calls. Batches
 * are kept short (about a millisecond) and numerous: on a shared machine a
 * short batch often runs without being preempted, so the minimum tracks
 * the idle-machine figure. */
typedef void (*bench_fn)(void *arg);
static double timeit(bench_fn fn, void *arg, int iters, int rounds)
{
    double best = 1e30;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        for (int i = 0; i < iters; i++) {
            fn(arg);
        }
        double dt = (now() - t0) / iters;
        best = dt < best ? dt : best;
    }
    return best;
}

static void line_us(const char *name, double sec)
{
    printf("%-52s %10.2f us\n", name, sec * 1e6);
}

static void die(const char *what, sc_status rc)
{
    fprintf(stderr, "scrutin-bench: %s: %s\n", what, sc_strerror(rc));
    exit(1);
}

/* ------------------------------------------------------------------ */
/* modular multiplication                                              */

typedef struct mul_arg {
    const sc_mont *m;
    mp_limb_t a[SC_MONT_MAXN], b[SC_MONT_MAXN];
    uint64_t a52[SC_IFMA_MAXD], b52[SC_IFMA_MAXD]; /* radix 2^52 (IFMA) */
    mpz_t x, y, z;
    const sc_group *grp;
} mul_arg;

static void f_mont_mul(void *p)
{
    mul_arg *a = p;
    sc_mont_mul(a->m, a->a, a->a, a->b);
}
static void f_mont_sqr(void *p)
{
    mul_arg *a = p;
    sc_mont_sqr(a->m, a->a, a->a);
}
static void f_mont_mul_ct(void *p)
{
    mul_arg *a = p;
    sc_mont_mul_ct(a->m, a->a, a->a, a->b);
}
static void f_ifma_mul(void *p)
{
    mul_arg *a = p;
    sc_ifma_mul(a->m, a->a52, a->a52, a->b52);
}
/* The product the fixed-base chains use: the IFMA kernel's (one radix-2^52
 * product, chained) where the CPU has it, else sc_mont_mul. a and b must
 * be set (R form); the radix-2^52 copies are made here. */
static void (*fb_product(mul_arg *a))(void *)
{
    if (a->m->ifma) {
        sc_ifma_from_limbs(a->m, a->a52, a->a);
        sc_ifma_from_limbs(a->m, a->b52, a->b);
        return f_ifma_mul;
    }
    return f_mont_mul;
}

static void f_mpz_mulmod(void *p)
{
    mul_arg *a = p;
    mpz_mul(a->z, a->x, a->y);
    mpz_mod(a->x, a->z, a->grp->p);
}

static void bench_mulmod(bctx *c)
{
    mul_arg a;
    a.m = sc_grp_mont(c->grp);
    a.grp = c->grp;
    mpz_inits(a.x, a.y, a.z, NULL);
    sc_rng_scalar(c->rng, c->grp, a.x);
    mpz_powm(a.x, c->grp->g, a.x, c->grp->p);
    mpz_sub_ui(a.y, c->grp->p, 12345);
    sc_mont_from_mpz(a.m, a.a, a.x);
    sc_mont_from_mpz(a.m, a.b, a.y);
    printf("== modular multiplication (4096-bit p) ==\n");
    c->t_mul = timeit(f_mont_mul, &a, 300, 60);
    c->t_sqr = timeit(f_mont_sqr, &a, 300, 60);
    const char *redc = a.m->adx ? "REDC mulx/adx" : "REDC mpn";
    char name[96];
    snprintf(name, sizeof name, "mulmod (Montgomery, mpn_mul_n + %s)", redc);
    line_us(name, c->t_mul);
    snprintf(name, sizeof name, "sqrmod (Montgomery, mpn_sqr + %s)", redc);
    line_us(name, c->t_sqr);
    snprintf(name, sizeof name, "mulmod constant-time (%s)",
             a.m->ifma  ? "IFMA: 2 radix-2^52 products"
             : a.m->adx ? "mulx/adx Karatsuba + REDC"
                        : "mpn_sec_mul + REDC");
    line_us(name, timeit(f_mont_mul_ct, &a, 300, 60));
    if (a.m->ifma) {
        /* One kernel product alone, as chained in sc_fb_pow_secret. */
        sc_ifma_from_limbs(a.m, a.a52, a.a);
        sc_ifma_from_limbs(a.m, a.b52, a.b);
        line_us("  one IFMA radix-2^52 product (as chained)",
                timeit(f_ifma_mul, &a, 300, 60));
    }
    line_us("mulmod plain mpz_mul + mpz_mod",
            timeit(f_mpz_mulmod, &a, 300, 60));
    mpz_clears(a.x, a.y, a.z, NULL);
}

/* ------------------------------------------------------------------ */
/* exponentiation                                                      */

typedef struct exp_arg {
    const sc_group *grp;
    const sc_fb *fb;
    const sc_vb *vb;
    mpz_t b, e, out;
    mpz_t e_secret;
    mpz_t e2;
} exp_arg;

static void f_powm(void *p)
{
    exp_arg *a = p;
    mpz_powm(a->out, a->b, a->e, a->grp->p);
}
static void f_pow(void *p)
{
    exp_arg *a = p;
    sc_pow(a->grp, a->out, a->b, a->e);
}
static void f_vb(void *p)
{
    exp_arg *a = p;
    sc_vb_pow(a->vb, a->out, a->e);
}
static void f_pow_secret(void *p)
{
    exp_arg *a = p;
    sc_pow_secret(a->grp, a->out, a->b, a->e_secret);
}
static void f_fb(void *p)
{
    exp_arg *a = p;
    sc_fb_pow(a->fb, a->out, a->e);
}
static void f_fb_secret(void *p)
{
    exp_arg *a = p;
    sc_fb_pow_secret(a->fb, a->out, a->e_secret);
}
static void f_fb_vb2(void *p)
{
    exp_arg *a = p;
    sc_fb_vb_pow2(a->fb, a->e, a->vb, a->out, a->e2);
}

static void exp_arg_init(bctx *c, exp_arg *a)
{
    a->grp = c->grp;
    mpz_inits(a->b, a->e, a->out, a->e_secret, a->e2, NULL);
    sc_rng_scalar(c->rng, c->grp, a->b);
    mpz_powm(a->b, c->grp->g, a->b, c->grp->p);
    sc_rng_scalar(c->rng, c->grp, a->e);
    sc_rng_scalar(c->rng, c->grp, a->e_secret);
    sc_rng_scalar(c->rng, c->grp, a->e2);
}

static void exp_arg_clear(exp_arg *a)
{
    mpz_clears(a->b, a->e, a->out, a->e_secret, a->e2, NULL);
}

static void bench_exp(bctx *c)
{
    exp_arg a;
    exp_arg_init(c, &a);
    sc_vb *vb = NULL;
    sc_status rc = sc_vb_new(&vb, c->grp, a.b);
    if (rc != SC_OK) {
        die("sc_vb_new", rc);
    }
    a.vb = vb;
    a.fb = c->grp->g_fb;
    printf("== exponentiation, 256-bit exponent ==\n");
    double t_naive = timeit(f_powm, &a, 1, 40);
    line_us("naive mpz_powm", t_naive);
    line_us("sc_pow (variable base, sliding window)", timeit(f_pow, &a, 1, 40));
    line_us("sc_vb_pow (window table reused)", timeit(f_vb, &a, 1, 40));
    line_us("sc_pow_secret (constant time, fixed window 4)",
            timeit(f_pow_secret, &a, 1, 40));
    double t_fb = timeit(f_fb, &a, 5, 60);
    double t_fbs = timeit(f_fb_secret, &a, 5, 60);
    char name[80];
    snprintf(name, sizeof name, "sc_fb_pow (fixed base g, w=%u)",
             sc_fb_window(a.fb));
    line_us(name, t_fb);
    snprintf(name, sizeof name, "sc_fb_pow_secret (constant time, w=%u)",
             sc_fb_window(a.fb));
    line_us(name, t_fbs);
    line_us("sc_fb_vb_pow2 (g^e1 x^e2, proof check shape)",
            timeit(f_fb_vb2, &a, 1, 40));
    printf("speedup fixed-base vs mpz_powm %.1f (secret %.1f)\n",
           t_naive / t_fb, t_naive / t_fbs);
    sc_vb_free(vb);
    exp_arg_clear(&a);
}

/* Fixed-base table per window size: build time, memory, public and
 * constant-time exponentiation (how the default window was chosen). The
 * windows are timed in interleaved rounds (best of each) so that load from
 * other processes hits all of them alike. */
#define FBW_MIN 4
#define FBW_MAX 10
static void bench_fb_windows(bctx *c)
{
    exp_arg a;
    exp_arg_init(c, &a);
    sc_fb *fbs[FBW_MAX + 1] = {0};
    double tb[FBW_MAX + 1], tp[FBW_MAX + 1], ts[FBW_MAX + 1];
    for (unsigned w = FBW_MIN; w <= FBW_MAX; w++) {
        double t0 = now();
        sc_status rc = sc_fb_new_w(&fbs[w], c->grp, c->pk->K, w);
        if (rc != SC_OK) {
            die("sc_fb_new_w", rc);
        }
        sc_fb_ready(fbs[w]); /* the rows: written on first use */
        tb[w] = now() - t0;
        tp[w] = ts[w] = 1e30;
    }
    mul_arg m;
    m.m = sc_grp_mont(c->grp);
    sc_mont_from_mpz(m.m, m.a, a.b);
    sc_mont_from_mpz(m.m, m.b, c->pk->K);
    double tm = 1e30;
    void (*fprod)(void *) = fb_product(&m);
    for (int round = 0; round < 12; round++) {
        double x0 = timeit(fprod, &m, 300, 1);
        tm = x0 < tm ? x0 : tm;
        for (unsigned w = FBW_MIN; w <= FBW_MAX; w++) {
            a.fb = fbs[w];
            double x = timeit(f_fb, &a, 5, 1);
            double y = timeit(f_fb_secret, &a, 5, 1);
            tp[w] = x < tp[w] ? x : tp[w];
            ts[w] = y < ts[w] ? y : ts[w];
        }
    }
    printf("== fixed base per window w (k = ceil(256/w) windows; ideal = k - 1 "
           "x %s) ==\n",
           m.m->ifma ? "one IFMA product, chained" : "mulmod");
    printf("%3s %3s %9s %10s %12s %12s %9s\n", "w", "k", "table", "build",
           "public", "secret", "pub/ideal");
    for (unsigned w = FBW_MIN; w <= FBW_MAX; w++) {
        unsigned k = sc_fb_windows(fbs[w]);
        double mib = (double)k * (double)(1u << w) * 512.0 / (1 << 20);
        printf("%3u %3u %7.1fMB %8.1fms %10.1fus %10.1fus %9.2f\n", w, k, mib,
               tb[w] * 1e3, tp[w] * 1e6, ts[w] * 1e6, tp[w] / ((k - 1) * tm));
        sc_fb_free(fbs[w]);
    }
    exp_arg_clear(&a);
}

/* P1: the default fixed-base table against its ideal cost, k - 1 table
 * products at the measured product time. Product and exponentiation are
 * timed in alternating rounds (best of each) so both see the same load. */
static void bench_p1(bctx *c)
{
    exp_arg a;
    exp_arg_init(c, &a);
    a.fb = c->grp->g_fb;
    mul_arg m;
    m.m = sc_grp_mont(c->grp);
    sc_mont_from_mpz(m.m, m.a, a.b);
    sc_mont_from_mpz(m.m, m.b, c->pk->K);
    unsigned k = sc_fb_windows(a.fb);
    double tm = 1e30, tp = 1e30, ts = 1e30;
    /* Both table products (public and secret) run on the IFMA kernel
     * where the CPU has it: the ideal is then k - 1 kernel products. */
    void (*fprod)(void *) = fb_product(&m);
    for (int round = 0; round < 60; round++) {
        double x = timeit(fprod, &m, 300, 1);
        double y = timeit(f_fb, &a, 5, 1);
        double z = timeit(f_fb_secret, &a, 5, 1);
        tm = x < tm ? x : tm;
        tp = y < tp ? y : tp;
        ts = z < ts ? z : ts;
    }
    printf("== P1: fixed base (w=%u) vs %u table products x %s ==\n",
           sc_fb_window(a.fb), k - 1,
           m.m->ifma ? "the IFMA product it uses" : "mulmod");
    line_us(m.m->ifma ? "one IFMA radix-2^52 product (chained)" : "mulmod", tm);
    line_us("sc_fb_pow", tp);
    line_us("sc_fb_pow_secret", ts);
    printf("fixed-base-secret-vs-ideal %.3f\n", ts / ((k - 1) * tm));
    printf("P1 fixed-base-vs-ideal %.3f\n", tp / ((k - 1) * tm));
    exp_arg_clear(&a);
}

/* ------------------------------------------------------------------ */
/* multi-exponentiation and membership                                 */

typedef struct multi_arg {
    const sc_group *grp;
    size_t n;
    mpz_t *bs, *es;
    sc_rng *rng;
} multi_arg;

static void f_multi(void *p)
{
    multi_arg *a = p;
    mpz_t out;
    mpz_init(out);
    sc_multi_pow(a->grp, out, a->n, (const mpz_t *)a->bs, (const mpz_t *)a->es);
    mpz_clear(out);
}
static void f_multi_naive(void *p)
{
    multi_arg *a = p;
    mpz_t out, t;
    mpz_init_set_ui(out, 1);
    mpz_init(t);
    for (size_t i = 0; i < a->n; i++) {
        mpz_powm(t, a->bs[i], a->es[i], a->grp->p);
        mpz_mul(out, out, t);
        mpz_mod(out, out, a->grp->p);
    }
    mpz_clears(out, t, NULL);
}
static void f_batch(void *p)
{
    multi_arg *a = p;
    size_t bad;
    if (sc_subgroup_check_batch(a->grp, a->n, (const mpz_t *)a->bs, a->rng,
                                &bad) != SC_OK) {
        abort();
    }
}
static void f_member_each(void *p)
{
    multi_arg *a = p;
    for (size_t i = 0; i < a->n; i++) {
        if (!sc_elem_is_member(a->grp, a->bs[i])) {
            abort();
        }
    }
}
static void f_jacobi(void *p)
{
    multi_arg *a = p;
    for (size_t i = 0; i < a->n; i++) {
        if (mpz_jacobi(a->bs[i], a->grp->p) != 1) {
            abort();
        }
    }
}

static void bench_multi(bctx *c)
{
    multi_arg a;
    a.grp = c->grp;
    a.rng = c->rng;
    const size_t nmax = 256;
    a.bs = malloc(nmax * sizeof(mpz_t));
    a.es = malloc(nmax * sizeof(mpz_t));
    for (size_t i = 0; i < nmax; i++) {
        mpz_inits(a.bs[i], a.es[i], NULL);
        sc_rng_scalar(c->rng, c->grp, a.bs[i]);
        sc_fb_pow(c->grp->g_fb, a.bs[i], a.bs[i]);
        sc_rng_scalar(c->rng, c->grp, a.es[i]);
    }
    printf("== multi-exponentiation, 256-bit exponents ==\n");
    static const size_t ns[] = {2, 4, 16};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        a.n = ns[k];
        double t = timeit(f_multi, &a, 1, 8);
        double tn = timeit(f_multi_naive, &a, 1, 5);
        char name[80];
        snprintf(name, sizeof name, "sc_multi_pow n=%zu (per base)", a.n);
        line_us(name, t / (double)a.n);
        printf("  vs n x mpz_powm: %.2fx\n", tn / t);
    }
    printf("== subgroup membership (per element) ==\n");
    a.n = 2;
    line_us("sc_elem_is_member (x^q, one at a time)",
            timeit(f_member_each, &a, 1, 20) / (double)a.n);
    a.n = nmax;
    line_us("Legendre symbol (mpz_jacobi)",
            timeit(f_jacobi, &a, 1, 10) / (double)a.n);
    double tb = timeit(f_batch, &a, 1, 10) / (double)a.n;
    char name[80];
    snprintf(name, sizeof name, "sc_subgroup_check_batch n=%zu", a.n);
    line_us(name, tb);
    for (size_t i = 0; i < nmax; i++) {
        mpz_clears(a.bs[i], a.es[i], NULL);
    }
    free(a.bs);
    free(a.es);
}

/* ------------------------------------------------------------------ */
/* P2: one 0/1 selection encrypted with its range proof (eq 31, 57-61) */

typedef struct sel_arg {
    bctx *c;
    uint8_t hi[32];
    int naive; /* inline reproduction: 1 = mpz_powm, 0 = our tables */
} sel_arg;

/* The real thing: sc_elgamal_encrypt_u64 + sc_range_proof_prove. */
static void f_select_api(void *p)
{
    sel_arg *s = p;
    const sc_group *grp = s->c->grp;
    sc_ciphertext ct;
    sc_range_proof pf;
    mpz_t xi;
    mpz_init(xi);
    sc_ciphertext_init(&ct);
    if (sc_range_proof_init(&pf, 1) != SC_OK) {
        abort();
    }
    sc_rng_scalar(s->c->rng, grp, xi);
    sc_range_ctx rctx = {s->hi, 1, 1, 2};
    if (sc_elgamal_encrypt_u64(s->c->pk, &ct, 1, xi) != SC_OK ||
        sc_range_proof_prove(s->c->pk, &rctx, &ct, xi, 1, s->c->rng, &pf) !=
            SC_OK) {
        abort();
    }
    sc_range_proof_clear(&pf);
    sc_ciphertext_clear(&ct);
    sc_mpz_wipe(xi);
    mpz_clear(xi);
}

/* Inline reproduction of the same 6 exponentiations + challenge hash:
 * alpha = g^xi, beta = K^(sigma+xi), real commitment (g^u, K^u),
 * simulated (g^u', K^t'), t' = u' + (sigma - j) c' (eq 57-58), c via eq
 * 59. naive: plain mpz_powm everywhere. */
static void f_select_inline(void *p)
{
    sel_arg *s = p;
    const sc_group *grp = s->c->grp;
    const mpz_t *K = (const mpz_t *)&s->c->pk->K;
    mpz_t xi, e, u0, u1, c1, t1, alpha, beta, a[2], b[2], ch;
    mpz_inits(xi, e, u0, u1, c1, t1, alpha, beta, a[0], a[1], b[0], b[1], ch,
              NULL);
    sc_rng_scalar(s->c->rng, grp, xi);
    sc_rng_scalar(s->c->rng, grp, u0);
    sc_rng_scalar(s->c->rng, grp, u1);
    sc_rng_scalar(s->c->rng, grp, c1);
    mpz_add_ui(e, xi, 1); /* sigma = 1 */
    mpz_mod(e, e, grp->q);
    mpz_sub(t1, u1, c1); /* j = 0 simulated: t = u + (1 - 0) c ... */
    mpz_mod(t1, t1, grp->q);
    if (s->naive) {
        mpz_powm(alpha, grp->g, xi, grp->p);
        mpz_powm(beta, *K, e, grp->p);
        mpz_powm(a[1], grp->g, u0, grp->p);
        mpz_powm(b[1], *K, u0, grp->p);
        mpz_powm(a[0], grp->g, u1, grp->p);
        mpz_powm(b[0], *K, t1, grp->p);
    } else {
        sc_fb_pow_secret(grp->g_fb, alpha, xi);
        sc_fb_pow_secret(s->c->pk->K_fb, beta, e);
        sc_fb_pow_secret(grp->g_fb, a[1], u0);
        sc_fb_pow_secret(s->c->pk->K_fb, b[1], u0);
        sc_fb_pow_secret(grp->g_fb, a[0], u1);
        sc_fb_pow_secret(s->c->pk->K_fb, b[0], t1);
    }
    sc_eg_range_challenge(grp, s->hi, 1, 1, 2, alpha, beta, 2, (const mpz_t *)a,
                          (const mpz_t *)b, ch);
    mpz_clears(xi, e, u0, u1, c1, t1, alpha, beta, a[0], a[1], b[0], b[1], ch,
               NULL);
}

static void bench_p2(bctx *c)
{
    sel_arg s, sn;
    s.c = c;
    memset(s.hi, 0x5a, sizeof s.hi);
    s.naive = 0;
    sn = s;
    sn.naive = 1;
    exp_arg a;
    exp_arg_init(c, &a);
    a.fb = c->grp->g_fb;
    /* Alternating rounds, best of each, so all see the same load. */
    double t1 = 1e30, t_api = 1e30, t_inl = 1e30, t_naive = 1e30;
    for (int round = 0; round < 30; round++) {
        double x = timeit(f_fb_secret, &a, 4, 1);
        double y = timeit(f_select_api, &s, 1, 1);
        double z = timeit(f_select_inline, &s, 1, 1);
        double u = timeit(f_select_inline, &sn, 1, 1);
        t1 = x < t1 ? x : t1;
        t_api = y < t_api ? y : t_api;
        t_inl = z < t_inl ? z : t_inl;
        t_naive = u < t_naive ? u : t_naive;
    }
    printf("== P2: encrypt one 0/1 selection + range proof ==\n");
    line_us("6 x sc_fb_pow_secret", 6 * t1);
    line_us("selection via API (encrypt + range proof)", t_api);
    line_us("selection inline, our tables", t_inl);
    line_us("selection inline, plain mpz_powm", t_naive);
    printf("P2 encrypt-selection-vs-6-fixed %.3f\n", t_api / (6 * t1));
    printf("P2 encrypt-selection-speedup-vs-naive %.2f\n", t_naive / t_api);
    exp_arg_clear(&a);
}

/* ------------------------------------------------------------------ */
/* discrete log                                                        */

static void bench_dlog(bctx *c)
{
    printf("== discrete log (baby-step giant-step) ==\n");
    static const uint64_t maxes[] = {1000, 10000000};
    for (size_t k = 0; k < 2; k++) {
        sc_dlog *dl = NULL;
        double t0 = now();
        sc_status rc = sc_dlog_new(&dl, c->grp, c->pk->K, maxes[k]);
        double tn = now() - t0;
        if (rc != SC_OK) {
            die("sc_dlog_new", rc);
        }
        mpz_t y, e;
        mpz_inits(y, e, NULL);
        uint64_t ts[2] = {maxes[k] / 3, maxes[k]};
        double tq[2];
        for (int i = 0; i < 2; i++) {
            mpz_set_ui(e, ts[i]);
            sc_pow(c->grp, y, c->pk->K, e);
            uint64_t t = 0;
            t0 = now();
            rc = sc_dlog_find(dl, &t, y);
            tq[i] = now() - t0;
            if (rc != SC_OK || t != ts[i]) {
                die("sc_dlog_find", rc);
            }
        }
        printf("dlog max_t=%" PRIu64 ": setup %.2f ms, find t=%" PRIu64
               " %.2f ms, t=%" PRIu64 " %.2f ms\n",
               maxes[k], tn * 1e3, ts[0], tq[0] * 1e3, ts[1], tq[1] * 1e3);
        mpz_clears(y, e, NULL);
        sc_dlog_free(dl);
    }
}

void sc_bench_verify(void);
void sc_bench_p0(const sc_group *grp);
void sc_bench_ballot(void);

/* scrutin-bench [p0|p2|fbw]: every section, or only P0 (bench/bench_p0.c),
 * or P0 and the whole-ballot P2 (bench/bench_ballot.c), or P0 and the
 * fixed-base windows. SC_BENCH_NO_IFMA set:
 * the IFMA kernel off (the fallback's figures). */
int main(int argc, char **argv)
{
    bctx c;
    memset(&c, 0, sizeof c);
    if (getenv("SC_BENCH_NO_IFMA") != NULL) {
        sc_mont_ifma_allow(0); /* the scalar fallback's figures */
    }
    sc_status rc = sc_group_new(&c.grp, SC_GROUP_STANDARD);
    if (rc != SC_OK) {
        die("sc_group_new", rc);
    }
    if (argc > 1 && strcmp(argv[1], "p0") == 0) {
        /* P0 needs no key: a kernel under trial that computes wrong
         * digits (a timing-only variant, ARITH.md §2.9) can still be
         * timed */
        sc_bench_p0(c.grp);
        sc_group_free(c.grp);
        return 0;
    }
    static const uint8_t seed[] = "scrutin-bench fixed workload";
    rc = sc_rng_new_seeded(&c.rng, seed, sizeof seed - 1);
    if (rc != SC_OK) {
        die("rng", rc);
    }
    mpz_t s, K;
    mpz_inits(s, K, NULL);
    sc_rng_scalar(c.rng, c.grp, s);
    sc_fb_pow(c.grp->g_fb, K, s);
    rc = sc_elgamal_key_new(&c.pk, c.grp, K);
    if (rc != SC_OK) {
        die("sc_elgamal_key_new", rc);
    }
    sc_fb_ready(c.pk->K_fb); /* tables fill on first use: not in a timing */
    printf("scrutin-bench: group %s, p %zu bits, q %zu bits\n", c.grp->name,
           mpz_sizeinbase(c.grp->p, 2), c.grp->qbits);

    int cpus[BU_MAXCPU];
    (void)bu_cpus(cpus, BU_MAXCPU); /* the set before any pinning */
    sc_bench_p0(c.grp);             /* bench/bench_p0.c: once per CPU */
    /* the one-thread sections on one CPU, the one we are on (bench_cpu.c:
     * the CPUs differ, and a run that migrates mixes their speeds) */
    int here = bu_cpu_now();
    if (here >= 0 && bu_pin(&here, 1) == 0) {
        printf("(the sections below, up to the verifier's, run on cpu %d, "
               "pinned)\n",
               here);
    }
    if (argc > 1 && strcmp(argv[1], "fbw") == 0) {
        bench_fb_windows(&c);
        goto done;
    }
    if (argc > 1 && strcmp(argv[1], "p2") == 0) {
        sc_bench_ballot(); /* bench/bench_ballot.c */
        goto done;
    }
    bench_mulmod(&c);
    bench_exp(&c);
    bench_fb_windows(&c);
    bench_multi(&c);
    bench_dlog(&c);
    bench_p1(&c);
    bench_p2(&c);
    sc_bench_ballot(); /* P2 per ballot: bench/bench_ballot.c */
    bu_unpin();
    sc_bench_verify(); /* P3, P4: bench/bench_verify.c (pins its runs) */
done:

    sc_elgamal_key_free(c.pk);
    mpz_clears(s, K, NULL);
    sc_rng_free(c.rng);
    sc_group_free(c.grp);
    return 0;
}
