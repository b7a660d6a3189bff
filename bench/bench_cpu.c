/* Which CPU a bench section runs on (bench_util.h). The two vCPUs of the
 * machines this project is measured on are not equal: the same binary
 * verifies the 1,000-ballot record in 8.5 s of CPU on one and 10.3 s on
 * the other, and its kernels run 15 % further from the multipliers'
 * bound there while the bare IFMA loop barely slows (2026-12-05; the host
 * presumably shares that core). A figure is only comparable with another
 * taken on the same CPU, so the sections that time the kernel or the
 * verifier pin what they time and say where. */
#define _GNU_SOURCE
#include <sched.h>

#include "bench_util.h"

/* the set at the first call, before any section pinned the process */
static cpu_set_t first;
static int have_first;

int bu_cpus(int *cpu, int max)
{
    if (!have_first) {
        CPU_ZERO(&first);
        if (sched_getaffinity(0, sizeof first, &first) != 0) {
            return 0;
        }
        have_first = 1;
    }
    int n = 0;
    for (int c = 0; c < CPU_SETSIZE && n < max; c++) {
        if (CPU_ISSET(c, &first)) {
            cpu[n++] = c;
        }
    }
    return n;
}

int bu_unpin(void)
{
    int cpu[BU_MAXCPU];
    int n = bu_cpus(cpu, BU_MAXCPU);
    return n > 0 ? bu_pin(cpu, n) : -1;
}

int bu_pin(const int *cpu, int n)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < n; i++) {
        CPU_SET(cpu[i], &set);
    }
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -1;
}

int bu_cpu_now(void)
{
    return sched_getcpu();
}
