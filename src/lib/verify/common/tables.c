/* Fixed-base tables built side by side (vcommon.h): the verifier needs
 * one for K and one for K̂ before the ballot pass, and the group's table
 * for g written (tables fill on first use, sc_fb_ready); built one after
 * the other they were a serial section of the record's verification. */
#include "verify/common/vcommon.h"

typedef struct fb_job {
    const sc_group *grp;
    const mpz_srcptr *bases;
    sc_fb **outs;
    sc_status *rcs;
    size_t n;
} fb_job;

static void fb_one(void *ctx, int worker, vc_item it)
{
    fb_job *j = ctx;
    (void)worker;
    if (it.idx == j->n) { /* the group's table for g, if not written yet */
        sc_fb_ready(j->grp->g_fb);
        return;
    }
    j->rcs[it.idx] = sc_fb_new(&j->outs[it.idx], j->grp, j->bases[it.idx]);
    if (j->rcs[it.idx] == SC_OK) {
        sc_fb_ready(j->outs[it.idx]); /* tables fill on first use */
    }
}

sc_status vc_fb_new_many(const sc_group *grp, size_t n, const mpz_srcptr *bases,
                         sc_fb **outs, int nthreads)
{
    sc_status rcs[VC_FB_MANY_MAX];
    if (n > VC_FB_MANY_MAX) {
        return SC_E_MISUSE;
    }
    for (size_t i = 0; i < n; i++) {
        outs[i] = NULL;
        rcs[i] = SC_E_INTERNAL;
    }
    fb_job j = {grp, bases, outs, rcs, n};
    vc_pool_for(nthreads, n + 1, fb_one, &j);
    sc_status rc = SC_OK;
    for (size_t i = 0; i < n; i++) {
        if (rcs[i] != SC_OK && rc == SC_OK) {
            rc = rcs[i];
        }
    }
    if (rc != SC_OK) {
        for (size_t i = 0; i < n; i++) {
            sc_fb_free(outs[i]);
            outs[i] = NULL;
        }
    }
    return rc;
}
