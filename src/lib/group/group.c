/* Group objects, membership tests and canonical encodings (spec §3.1.1,
 * §5.1). See scrutin/group.h. */
#include <stdlib.h>
#include <string.h>

#include "core/ct_mark.h"
#include "group/cache.h"
#include "group/params.h"
#include "scrutin/arith.h"
#include "scrutin/core.h"
#include "scrutin/group.h"

sc_status sc_group_id_from_name(sc_group_id *out, const char *name)
{
    if (out == NULL || name == NULL) {
        return SC_E_MISUSE;
    }
    for (int i = 0; i < SC_GROUP_COUNT; i++) {
        if (strcmp(sc_param_sets[i].name, name) == 0) {
            *out = (sc_group_id)i;
            return SC_OK;
        }
    }
    return SC_E_INVALID;
}

/* One group built from its parameter set, with its engine and g's table
 * (the costly part: k windows of 2^w entries). group_cache.c shares it. */
sc_status sc_group_build(sc_group **out, sc_group_id id)
{
    sc_status rc = SC_OK;
    sc_group *grp = NULL;
    *out = NULL;
    grp = calloc(1, sizeof *grp);
    SC_ENSURE(grp != NULL, SC_E_NOMEM);
    grp->id = id;
    grp->name = sc_param_sets[id].name;
    mpz_inits(grp->p, grp->q, grp->r, grp->g, NULL);
    SC_ENSURE(mpz_set_str(grp->p, sc_param_sets[id].p, 16) == 0, SC_E_INTERNAL);
    SC_ENSURE(mpz_set_str(grp->q, sc_param_sets[id].q, 16) == 0, SC_E_INTERNAL);
    SC_ENSURE(mpz_set_str(grp->g, sc_param_sets[id].g, 16) == 0, SC_E_INTERNAL);
    mpz_sub_ui(grp->r, grp->p, 1);
    SC_ENSURE(mpz_divisible_p(grp->r, grp->q), SC_E_INTERNAL);
    mpz_divexact(grp->r, grp->r, grp->q);
    grp->lp = (mpz_sizeinbase(grp->p, 2) + 7) / 8;
    grp->lq = (mpz_sizeinbase(grp->q, 2) + 7) / 8;
    grp->qbits = mpz_sizeinbase(grp->q, 2);
    SC_CHECK(sc_arith_new(&grp->ar, grp));
    SC_CHECK(sc_fb_new(&grp->g_fb, grp, grp->g));
    *out = grp;
    grp = NULL;
done:
    sc_group_destroy(grp);
    return rc;
}

void sc_group_destroy(sc_group *grp)
{
    if (grp == NULL) {
        return;
    }
    sc_fb_free(grp->g_fb);
    sc_arith_free(grp->ar);
    mpz_clears(grp->p, grp->q, grp->r, grp->g, NULL);
    free(grp);
}

int sc_scalar_in_range(const sc_group *grp, const mpz_t x)
{
    return mpz_sgn(x) >= 0 && mpz_cmp(x, grp->q) < 0;
}

int sc_elem_is_member(const sc_group *grp, const mpz_t x)
{
    if (mpz_sgn(x) <= 0 || mpz_cmp(x, grp->p) >= 0) {
        return 0;
    }
    mpz_t t;
    mpz_init(t);
    sc_pow(grp, t, x, grp->q);
    int ok = mpz_cmp_ui(t, 1) == 0;
    mpz_clear(t);
    return ok;
}

/* w[0 .. limb bytes) = limb, big-endian. Spelled out for 64-bit limbs:
 * the compiler merges the stores into one byte swap and one store. */
static inline void put_be_limb(uint8_t *w, mp_limb_t limb)
{
#if GMP_LIMB_BITS == 64
    w[0] = (uint8_t)(limb >> 56);
    w[1] = (uint8_t)(limb >> 48);
    w[2] = (uint8_t)(limb >> 40);
    w[3] = (uint8_t)(limb >> 32);
    w[4] = (uint8_t)(limb >> 24);
    w[5] = (uint8_t)(limb >> 16);
    w[6] = (uint8_t)(limb >> 8);
    w[7] = (uint8_t)limb;
#else
    for (size_t b = 0; b < sizeof limb; b++) {
        w[sizeof limb - 1 - b] = (uint8_t)(limb >> (8 * b));
    }
#endif
}

sc_status sc_mpz_encode(uint8_t *out, size_t len, const mpz_t x)
{
    if (mpz_sgn(x) < 0) {
        return SC_E_INVALID_RANGE;
    }
    /* From the limbs, at positions that depend on the limb count and len
     * only: x may be a secret (a shared key hashed in eq 16). The limbs
     * that fit whole are stored a limb at a time (a byte swap, where a
     * byte loop cost 0.4 % of the verifier's CPU); the bytes left of
     * them are zeroed, then written by the bytewise loop for a limb
     * straddling the left end and limbs beyond it. */
    const size_t n = mpz_size(x), lb = sizeof(mp_limb_t);
    const mp_limb_t *l = mpz_limbs_read(x);
    const size_t whole = n < len / lb ? n : len / lb;
    uint8_t high = 0; /* bytes that do not fit in len */
    for (size_t i = 0; i < whole; i++) {
        put_be_limb(out + len - (i + 1) * lb, l[i]);
    }
    memset(out, 0, len - whole * lb);
    for (size_t pos = whole * lb; pos < n * lb; pos++) { /* from the right */
        uint8_t byte = (uint8_t)(l[pos / lb] >> (8 * (pos % lb)));
        if (pos < len) {
            out[len - 1 - pos] = byte;
        } else {
            high |= byte;
        }
    }
    SC_CT_PUBLIC(&high, sizeof high); /* 0 for every valid input */
    if (high != 0) {
        sc_wipe(out, len);
        return SC_E_INVALID_RANGE;
    }
    return SC_OK;
}

void sc_elem_encode(const sc_group *grp, uint8_t *out, const mpz_t x)
{
    /* Callers hold x in [0, p): it always fits. */
    if (sc_mpz_encode(out, grp->lp, x) != SC_OK) {
        memset(out, 0xff, grp->lp);
    }
}

void sc_scalar_encode(const sc_group *grp, uint8_t *out, const mpz_t x)
{
    if (sc_mpz_encode(out, grp->lq, x) != SC_OK) {
        memset(out, 0xff, grp->lq);
    }
}

sc_status sc_elem_decode_unchecked(const sc_group *grp, mpz_t out,
                                   const uint8_t *in, size_t len)
{
    if (grp == NULL || in == NULL) {
        return SC_E_MISUSE;
    }
    if (len != grp->lp) {
        return SC_E_INVALID_LENGTH;
    }
    mpz_import(out, len, 1, 1, 1, 0, in);
    if (mpz_sgn(out) <= 0 || mpz_cmp(out, grp->p) >= 0) {
        return SC_E_INVALID_RANGE;
    }
    return SC_OK;
}

sc_status sc_elem_decode(const sc_group *grp, mpz_t out, const uint8_t *in,
                         size_t len)
{
    sc_status rc = sc_elem_decode_unchecked(grp, out, in, len);
    if (rc != SC_OK) {
        return rc;
    }
    return sc_elem_is_member(grp, out) ? SC_OK : SC_E_INVALID_NOT_IN_SUBGROUP;
}

sc_status sc_scalar_decode(const sc_group *grp, mpz_t out, const uint8_t *in,
                           size_t len)
{
    if (grp == NULL || in == NULL) {
        return SC_E_MISUSE;
    }
    if (len != grp->lq) {
        return SC_E_INVALID_LENGTH;
    }
    mpz_import(out, len, 1, 1, 1, 0, in);
    return mpz_cmp(out, grp->q) < 0 ? SC_OK : SC_E_INVALID_RANGE;
}

static void to_hex(char *out, size_t width, const mpz_t x)
{
    uint8_t buf[1024];
    if (width > sizeof buf || sc_mpz_encode(buf, width, x) != SC_OK) {
        memset(out, 'F', 2 * width);
        out[2 * width] = '\0';
        return;
    }
    sc_hex_encode(out, buf, width);
}

void sc_elem_to_hex(const sc_group *grp, char *out, const mpz_t x)
{
    to_hex(out, grp->lp, x);
}

void sc_scalar_to_hex(const sc_group *grp, char *out, const mpz_t x)
{
    to_hex(out, grp->lq, x);
}

static sc_status from_hex(uint8_t *buf, size_t width, const char *hex)
{
    if (hex == NULL) {
        return SC_E_MISUSE;
    }
    return sc_hex_decode(buf, width, hex, strlen(hex));
}

sc_status sc_elem_from_hex_unchecked(const sc_group *grp, mpz_t out,
                                     const char *hex)
{
    uint8_t buf[1024];
    if (grp->lp > sizeof buf) {
        return SC_E_INTERNAL;
    }
    sc_status rc = from_hex(buf, grp->lp, hex);
    if (rc != SC_OK) {
        return rc;
    }
    return sc_elem_decode_unchecked(grp, out, buf, grp->lp);
}

sc_status sc_elem_from_hex(const sc_group *grp, mpz_t out, const char *hex)
{
    sc_status rc = sc_elem_from_hex_unchecked(grp, out, hex);
    if (rc != SC_OK) {
        return rc;
    }
    return sc_elem_is_member(grp, out) ? SC_OK : SC_E_INVALID_NOT_IN_SUBGROUP;
}

sc_status sc_scalar_from_hex(const sc_group *grp, mpz_t out, const char *hex)
{
    uint8_t buf[64];
    if (grp->lq > sizeof buf) {
        return SC_E_INTERNAL;
    }
    sc_status rc = from_hex(buf, grp->lq, hex);
    if (rc != SC_OK) {
        return rc;
    }
    return sc_scalar_decode(grp, out, buf, grp->lq);
}

void sc_mpz_wipe(mpz_t x)
{
    /* All allocated limbs, not only the used ones: a value that shrank
     * leaves old limbs behind. */
    mp_size_t n = x->_mp_alloc;
    if (n > 0) {
        sc_wipe(mpz_limbs_modify(x, n), (size_t)n * sizeof(mp_limb_t));
        mpz_limbs_finish(x, 0);
    }
}
