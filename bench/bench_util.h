/* Small helpers shared by the scrutin-bench sections: clocks and the
 * median / quartiles of per-round figures. */
#ifndef SC_BENCH_UTIL_H
#define SC_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

/** Seconds on clock `id` (CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID). */
static inline double bu_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int bu_cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/** Sorts v[0..n); its median and first and third quartiles. */
static inline void bu_quartiles(double *v, int n, double *q1, double *med,
                                double *q3)
{
    qsort(v, (size_t)n, sizeof *v, bu_cmp_dbl);
    *q1 = v[n / 4];
    *med = v[n / 2];
    *q3 = v[(3 * n) / 4];
}

/* bench_cpu.c: the CPUs this process could run on at its first call (at
 * most max, into cpu[]; their count, 0 on error); pin the calling thread,
 * and what it forks afterwards, to cpu[0..n), or back to all of those
 * (0, or -1 on error); the CPU it is on. */
#define BU_MAXCPU 64
int bu_cpus(int *cpu, int max);
int bu_pin(const int *cpu, int n);
int bu_unpin(void);
int bu_cpu_now(void);

#endif
