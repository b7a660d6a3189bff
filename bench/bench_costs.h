/* The cost of one call of each operation the P3 ideal prices
 * (bench_verify.c), measured in the verifying process itself: kernel
 * product, kernel squaring, limb product, limb squaring, 8-lane squaring
 * (a call squares eight values). Two estimators (bench_costs.c):
 *
 *   bc_median   25 blocks of a few hundred calls of each, on this
 *               thread's CPU clock; the median block per call. Taken just
 *               before and just after a verification: P3's estimator.
 *   bc_sampler  samples during the verification: a timer on this
 *               thread's CPU clock interrupts it every 10 ms and times a
 *               ~200 µs block of one operation in turn; the cost is the
 *               samples' total time ÷ their calls (a mean, as the
 *               verification's CPU is). Printed beside P3 as a
 *               cross-check, with its own check (bc_control). */
#ifndef SC_BENCH_COSTS_H
#define SC_BENCH_COSTS_H

#include <stdint.h>

#include "scrutin/group.h"

#define BC_N 5 /* the operations, in the order above */

/** Their counters (mont.h SC_CNT_*), in the same order. */
extern const int bc_cnt[BC_N];

/** What the sampler gathered: per operation, the timed seconds and calls
 * of the samples kept; the samples kept and dropped (those during which
 * the thread did not run the whole time: preempted, or the host took the
 * CPU); the CPU all of them took (to take out of the run's). */
typedef struct bc_sums {
    double secs[BC_N];
    double calls[BC_N];
    uint32_t kept, dropped;
    double cpu;
} bc_sums;

/** Operands for both estimators, on group g (which must outlive them). */
void bc_init(const sc_group *g);

/** Median CPU time of one call of each operation (s). */
void bc_median(double t[BC_N]);

/* The sampler's period, in seconds of the thread's CPU time: ~800
 * samples in an 8 s verification, ~0.2 ms each (2 % of its CPU, taken
 * out of it). */
#define BC_EVERY 0.01

/** Starts sampling this thread every `every` seconds of its CPU time, the
 * operations of `mask` (bit k: operation k) that this CPU has, one per
 * sample in turn; 0, or -1 if there are none or the timer could not be
 * made (no samples then). */
int bc_sampler_start(double every, unsigned mask);

/** Stops it; its sums. */
void bc_sampler_stop(bc_sums *out);

/** The sampler's own check: a run of n products alone (the kernel's, else
 * the limb one's), sampled as a verification is; their CPU per product ÷
 * the sampled cost of one (1 for an exact estimator, above 1 if the
 * sampler prices them low); 0 if the sampler could not run. */
double bc_control(long n);

#endif
