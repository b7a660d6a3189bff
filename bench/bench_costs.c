/* Costs of the operations the P3 ideal prices (bench_costs.h).
 *
 * Why a sampler beside the medians. The bracketing medians time ~0.2 ms
 * blocks in two windows of ~20 ms beside an 8 s verification. The cost of
 * a product on these hosts is not steady: over 20,000 blocks of 500
 * kernel products (4.5 s, one CPU) the mean block was 2.6-3.0 % above the
 * median one (p90 +10 %, p99 +23 %), and a run's two windows differ by up
 * to ±10-25 % when another process loads the other vCPU. A verification
 * pays the mean over its own seconds. The sampler times the operations
 * during the verification, at moments spread over its CPU time, and keeps
 * their mean. It samples ~2 % of the run, so one slow block weighs ~50
 * times more in it than in the run: its own check (bc_control) reads
 * 0.94-1.03 from run to run, wider than the two estimators' difference
 * on an idle machine (≤ 0.01). Hence P3 keeps the medians and prints
 * the sampled figure beside them.
 *
 * How a sample is timed. A sample times one operation (in turn) for ~200
 * µs, after one call untimed (the verification has just evicted its
 * operands and perhaps its code). Shorter blocks price the operations
 * low: with 40 µs blocks the check below (bc_control) read 1.023-1.031,
 * with ~180 µs blocks 1.006-1.011 in three runs side by side (the first
 * tens of µs after the interruption run faster than the steady state). Reading
 * this thread's CPU clock is a system call here (1.6 µs in this VM, ~1 % of a
 * block), the monotonic clock is not (vDSO, 30 ns): the block is timed on the
 * monotonic clock, and the sample is kept only if the thread ran the
 * whole block (the monotonic time exceeds the CPU time it took by less
 * than 30 µs: not preempted, no time taken by the host). */
#define _GNU_SOURCE /* SIGEV_THREAD_ID, gettid */
#include "bench_costs.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arith/arith_internal.h"
#include "bench_util.h"

const int bc_cnt[BC_N] = {SC_CNT_KMUL, SC_CNT_KSQR, SC_CNT_MUL, SC_CNT_SQR,
                          SC_CNT_KSQR8};

/* The operations' operands (the samples' and the medians'; bc_control
 * has its own). Each result feeds the next call (a dependent chain, as
 * in an exponentiation). */
static struct {
    const sc_mont *m;
    uint64_t a[SC_IFMA_MAXD], b[SC_IFMA_MAXD];
    mp_limb_t x[SC_MONT_MAXN], y[SC_MONT_MAXN];
    sc_lanes8 a8;
    sc_lanes_room room8;
} op;

static void op_run(int k, int n)
{
    const sc_mont *m = op.m;
    for (int i = 0; i < n; i++) {
        switch (k) {
        case 0: sc_ifma_mul(m, op.a, op.a, op.b); break;
        case 1:
            sc_ifma_sqr_pub(m, op.a, op.a); /* the verifier's (sc_mont_esqr) */
            break;
        case 2: sc_mont_mul(m, op.x, op.x, op.y); break;
        case 3: sc_mont_sqr(m, op.x, op.x); break;
        default:
            sc_ifma_sqr8(m, &op.a8, &op.a8, &op.room8); /* vc_chains_make's */
            break;
        }
    }
}

/* The kernel operations exist only on IFMA; the limb ones always. */
static int op_on(int k)
{
    return k == 2 || k == 3 || op.m->ifma;
}

void bc_init(const sc_group *g)
{
    const sc_mont *m = sc_grp_mont(g);
    memset(&op, 0, sizeof op);
    op.m = m;
    sc_mont_from_mpz(m, op.x, g->g);
    sc_mont_from_mpz(m, op.y, g->q);
    if (m->ifma) {
        sc_ifma_in_mpz(m, op.a, g->g);
        sc_ifma_in_mpz(m, op.b, g->q);
        for (int l = 0; l < 8; l++) {
            sc_lanes8_put(m, &op.a8, l, l % 2 ? op.a : op.b);
        }
    }
}

void bc_median(double t[BC_N])
{
    static const int per[BC_N] = {500, 500, 100, 100, 60};
    enum { NS = 25 };
    double v[BC_N][NS];
    const clockid_t ck = CLOCK_THREAD_CPUTIME_ID;
    for (int r = 0; r < NS; r++) {
        for (int k = 0; k < BC_N; k++) {
            v[k][r] = 0;
            if (op_on(k)) {
                double t0 = bu_clock(ck);
                op_run(k, per[k]);
                v[k][r] = (bu_clock(ck) - t0) / per[k];
            }
        }
    }
    for (int k = 0; k < BC_N; k++) {
        qsort(v[k], NS, sizeof v[k][0], bu_cmp_dbl);
        t[k] = v[k][NS / 2]; /* 0 for an operation this CPU lacks */
    }
}

/* ------------------------------------------------------------------ */
/* the sampler                                                         */

static bc_sums smp;
static timer_t smp_timer;
static int smp_on;
static unsigned smp_mask; /* the operations sampled (bit k) */

static void on_tick(int sig)
{
    (void)sig;
    /* one operation per sample, in turn; ~200 µs of it */
    static const int per[BC_N] = {450, 500, 110, 110, 80};
    static unsigned turn;
    const int e = errno;
    int k = (int)(turn++ % BC_N);
    while (!(smp_mask >> k & 1)) {
        k = (int)(turn++ % BC_N);
    }
    const double c0 = bu_clock(CLOCK_THREAD_CPUTIME_ID);
    op_run(k, 1);
    const double w0 = bu_clock(CLOCK_MONOTONIC);
    op_run(k, per[k]);
    const double w1 = bu_clock(CLOCK_MONOTONIC);
    const double c1 = bu_clock(CLOCK_THREAD_CPUTIME_ID);
    const double gap = (w1 - w0) - (c1 - c0);
    smp.cpu += c1 - c0;
    if (gap < 30e-6) {
        smp.secs[k] += w1 - w0;
        smp.calls[k] += per[k];
        smp.kept++;
    } else {
        smp.dropped++;
    }
    errno = e;
}

int bc_sampler_start(double every, unsigned mask)
{
    memset(&smp, 0, sizeof smp);
    smp_mask = 0;
    for (int k = 0; k < BC_N; k++) {
        smp_mask |= op_on(k) && (mask >> k & 1) ? 1u << k : 0;
    }
    if (smp_mask == 0) {
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_tick;
    sa.sa_flags = SA_RESTART; /* the verifier's reads go on */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGPROF, &sa, NULL) != 0) {
        return -1;
    }
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID; /* this thread, which verifies */
    sev.sigev_signo = SIGPROF;
    sev._sigev_un._tid = gettid(); /* glibc 2.36 names it only so */
    if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &smp_timer) != 0) {
        return -1;
    }
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    its.it_interval.tv_sec = (time_t)every;
    its.it_interval.tv_nsec = (long)((every - (double)(time_t)every) * 1e9);
    its.it_value = its.it_interval;
    if (timer_settime(smp_timer, 0, &its, NULL) != 0) {
        timer_delete(smp_timer);
        return -1;
    }
    smp_on = 1;
    return 0;
}

void bc_sampler_stop(bc_sums *out)
{
    if (smp_on) {
        timer_delete(smp_timer); /* no tick after this returns */
        smp_on = 0;
    }
    *out = smp;
}

double bc_control(long n)
{
    /* operands of its own: the samples change op's */
    const sc_mont *m = op.m;
    uint64_t a[SC_IFMA_MAXD], b[SC_IFMA_MAXD];
    mp_limb_t x[SC_MONT_MAXN], y[SC_MONT_MAXN];
    memcpy(a, op.a, sizeof a);
    memcpy(b, op.b, sizeof b);
    memcpy(x, op.x, sizeof x);
    memcpy(y, op.y, sizeof y);
    const int k = m->ifma ? 0 : 2;
    if (bc_sampler_start(BC_EVERY, 1u << k) != 0) {
        return 0;
    }
    const double c0 = bu_clock(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < n; i++) {
        if (m->ifma) {
            sc_ifma_mul(m, a, a, b);
        } else {
            sc_mont_mul(m, x, x, y);
        }
    }
    const double c1 = bu_clock(CLOCK_THREAD_CPUTIME_ID);
    bc_sums s;
    bc_sampler_stop(&s);
    if (s.calls[k] == 0) {
        return 0;
    }
    return (c1 - c0 - s.cpu) / (double)n / (s.secs[k] / s.calls[k]);
}
