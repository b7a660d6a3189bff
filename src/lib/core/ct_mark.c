/* Marks for the constant-time check under valgrind (see ct_mark.h). */
#include "core/ct_mark.h"

#include <string.h>

/* V bits of at most this many bytes are saved and restored (8192-bit
 * values); a larger value stays public after the step. */
#define SC_CT_VMAX 1024

void sc_ct_mpz_secret(const mpz_t x)
{
    SC_CT_SECRET(mpz_limbs_read(x), mpz_size(x) * sizeof(mp_limb_t));
}

void sc_ct_mpz_public(const mpz_t x)
{
    SC_CT_PUBLIC(mpz_limbs_read(x), mpz_size(x) * sizeof(mp_limb_t));
}

#ifdef SC_CT_VALGRIND
/* Open: save the V bits of [p, p + n) and mark it defined. Close: put the
 * V bits back. Returns whether they were saved. */
static int view_open(unsigned char *vbits, const void *p, size_t n)
{
    int saved = n <= SC_CT_VMAX &&
                VALGRIND_GET_VBITS(p, vbits, n) == 1; /* 1: under memcheck */
    SC_CT_PUBLIC(p, n);
    return saved;
}

static void view_close(const unsigned char *vbits, const void *p, size_t n,
                       int saved)
{
    if (saved) {
        (void)VALGRIND_SET_VBITS(p, vbits, n);
    }
}
#endif

void sc_ct_limbs_finish(mpz_t x, mp_size_t n)
{
#ifdef SC_CT_VALGRIND
    unsigned char vbits[SC_CT_VMAX];
    const mp_limb_t *p = mpz_limbs_read(x);
    size_t len = (size_t)n * sizeof(mp_limb_t);
    int saved = view_open(vbits, p, len);
    mpz_limbs_finish(x, n);
    view_close(vbits, p, len, saved);
#else
    mpz_limbs_finish(x, n);
#endif
}

size_t sc_ct_bits(const mpz_t x)
{
#ifdef SC_CT_VALGRIND
    unsigned char vbits[SC_CT_VMAX];
    const mp_limb_t *p = mpz_limbs_read(x);
    size_t len = mpz_size(x) * sizeof(mp_limb_t);
    int saved = view_open(vbits, p, len);
    size_t bits = mpz_sizeinbase(x, 2);
    view_close(vbits, p, len, saved);
    return bits;
#else
    return mpz_sizeinbase(x, 2);
#endif
}
