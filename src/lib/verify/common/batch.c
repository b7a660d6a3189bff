/* Elements and products shared by both verifiers (vcommon.h): batched
 * membership in Z_p^r that still names each element outside it, and the
 * per-option product arrays of the aggregation steps. */
#include <stdlib.h>
#include <string.h>

#include "verify/common/vcommon.h"

int vc_members(const sc_group *grp, size_t n, const mpz_t *xs,
               unsigned char *bad)
{
    return vc_members_sq(grp, n, xs, bad, NULL);
}

int vc_members_sq(const sc_group *grp, size_t n, const mpz_t *xs,
                  unsigned char *bad, sc_sqtest *sq)
{
    int range_ok = 1;
    if (bad != NULL && n > 0) {
        memset(bad, 0, n);
    }
    for (size_t i = 0; i < n; i++) {
        if (mpz_sgn(xs[i]) <= 0 || mpz_cmp(xs[i], grp->p) >= 0) {
            range_ok = 0;
        }
    }
    if (range_ok && sq != NULL &&
        (n == 0 ||
         sc_subgroup_check_batch_signless(grp, n, xs, NULL) == SC_OK)) {
        sc_sqtest_add(sq, n, xs);
        return 1;
    }
    if (range_ok && sq == NULL &&
        (n == 0 || sc_subgroup_check_batch(grp, n, xs, NULL, NULL) == SC_OK)) {
        return 1;
    }
    /* the batch failed: test each element alone, to name it */
    for (size_t i = 0; bad != NULL && i < n; i++) {
        bad[i] = !sc_elem_is_member(grp, xs[i]);
    }
    return 0;
}

mpz_t *vc_mpz_array(size_t n, unsigned long init)
{
    mpz_t *a = calloc(n ? n : 1, sizeof *a);
    if (a != NULL) {
        for (size_t i = 0; i < n; i++) {
            mpz_init_set_ui(a[i], init);
        }
    }
    return a;
}

mpz_t *vc_mpz_array_room(size_t n, mp_bitcnt_t bits)
{
    mpz_t *a = calloc(n ? n : 1, sizeof *a);
    if (a != NULL) {
        for (size_t i = 0; i < n; i++) {
            mpz_init2(a[i], bits);
        }
    }
    return a;
}

void vc_mpz_array_free(mpz_t *a, size_t n)
{
    if (a != NULL) {
        for (size_t i = 0; i < n; i++) {
            mpz_clear(a[i]);
        }
        free(a);
    }
}

void vc_mul_into(const sc_group *grp, size_t n, mpz_t *acc, const mpz_t *x)
{
    for (size_t i = 0; i < n; i++) {
        sc_mulmod(grp, acc[i], acc[i], x[i]);
    }
}
