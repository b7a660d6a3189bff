/* DPP vote encryption (spec §3.3.1 eq 31), aggregation (§3.5 eq 79-80)
 * and decryption with a nonce (§3.6.7 eq 109) or a secret key. */
#include <stdlib.h>
#include <string.h>

#include "core/ct_mark.h"
#include "elgamal/scalar_ct.h"
#include "scrutin/elgamal.h"

sc_status sc_elgamal_key_new(sc_elgamal_key **out, const sc_group *grp,
                             const mpz_t K)
{
    sc_status rc = SC_OK;
    sc_elgamal_key *key = NULL;
    SC_ENSURE(out != NULL && grp != NULL, SC_E_MISUSE);
    *out = NULL;
    SC_ENSURE(sc_elem_is_member(grp, K), SC_E_INVALID_NOT_IN_SUBGROUP);
    SC_ENSURE(mpz_cmp_ui(K, 1) != 0, SC_E_INVALID_RANGE);
    key = calloc(1, sizeof *key);
    SC_ENSURE(key != NULL, SC_E_NOMEM);
    key->grp = grp;
    mpz_init_set(key->K, K);
    rc = sc_fb_new(&key->K_fb, grp, K);
    if (rc != SC_OK) {
        mpz_clear(key->K);
        free(key);
        key = NULL;
        goto done;
    }
    *out = key;
done:
    return rc;
}

void sc_elgamal_key_free(sc_elgamal_key *key)
{
    if (key != NULL) {
        sc_fb_free(key->K_fb);
        mpz_clear(key->K);
        free(key);
    }
}

void sc_ciphertext_init(sc_ciphertext *ct)
{
    mpz_init_set_ui(ct->alpha, 1);
    mpz_init_set_ui(ct->beta, 1);
}

void sc_ciphertext_clear(sc_ciphertext *ct)
{
    mpz_clear(ct->alpha);
    mpz_clear(ct->beta);
}

void sc_ciphertext_set(sc_ciphertext *out, const sc_ciphertext *in)
{
    mpz_set(out->alpha, in->alpha);
    mpz_set(out->beta, in->beta);
}

int sc_ciphertext_is_member(const sc_group *grp, const sc_ciphertext *ct)
{
    return sc_elem_is_member(grp, ct->alpha) &&
           sc_elem_is_member(grp, ct->beta);
}

/* eq 31 for both entry points, the vote sigma as an mpz_t or, when that
 * is NULL, as sigma_u64: the vote in fixed-size limbs, then beta =
 * K^(sigma + xi mod q), a single fixed-base power. */
static sc_status encrypt_vote(const sc_elgamal_key *pk, sc_ciphertext *out,
                              const mpz_t sigma, uint64_t sigma_u64,
                              const mpz_t xi)
{
    sc_status rc;
    sc_ct_scalar s, x;
    mpz_t e;
    mpz_init(e);
    memset(&s, 0, sizeof s);
    memset(&x, 0, sizeof x);
    SC_ENSURE(pk != NULL && out != NULL, SC_E_MISUSE);
    const sc_group *grp = pk->grp;
    SC_CHECK(sigma != NULL ? sc_ct_load(grp, &s, sigma)
                           : sc_ct_set_u64(grp, &s, sigma_u64));
    SC_CHECK(sc_ct_load(grp, &x, xi));
    sc_ct_add(grp, &s, &s, &x);
    sc_ct_store(grp, e, &s);
    sc_fb_pow_secret(grp->g_fb, out->alpha, xi);
    sc_fb_pow_secret(pk->K_fb, out->beta, e);
    sc_ct_mpz_public(out->alpha); /* the ciphertext is published */
    sc_ct_mpz_public(out->beta);
done:
    sc_ct_wipe(&s);
    sc_ct_wipe(&x);
    sc_mpz_wipe(e);
    mpz_clear(e);
    return rc;
}

sc_status sc_elgamal_encrypt(const sc_elgamal_key *pk, sc_ciphertext *out,
                             const mpz_t sigma, const mpz_t xi)
{
    return sigma != NULL ? encrypt_vote(pk, out, sigma, 0, xi) : SC_E_MISUSE;
}

sc_status sc_elgamal_encrypt_u64(const sc_elgamal_key *pk, sc_ciphertext *out,
                                 uint64_t sigma, const mpz_t xi)
{
    return encrypt_vote(pk, out, NULL, sigma, xi);
}

sc_status sc_elgamal_encrypt_u64_2(const sc_elgamal_key *pk,
                                   sc_ciphertext *out0, sc_ciphertext *out1,
                                   const uint64_t sigma[2], const mpz_t xi0,
                                   const mpz_t xi1)
{
    sc_status rc;
    sc_ct_scalar s[2], x;
    mpz_t e0, e1;
    mpz_inits(e0, e1, NULL);
    memset(s, 0, sizeof s);
    memset(&x, 0, sizeof x);
    SC_ENSURE(pk != NULL && out0 != NULL && out1 != NULL && out0 != out1,
              SC_E_MISUSE);
    /* eq 31 for each, as encrypt_ct: beta = K^(sigma + xi mod q) */
    SC_CHECK(sc_ct_set_u64(pk->grp, &s[0], sigma[0]));
    SC_CHECK(sc_ct_set_u64(pk->grp, &s[1], sigma[1]));
    SC_CHECK(sc_ct_load(pk->grp, &x, xi0));
    sc_ct_add(pk->grp, &s[0], &s[0], &x);
    SC_CHECK(sc_ct_load(pk->grp, &x, xi1));
    sc_ct_add(pk->grp, &s[1], &s[1], &x);
    sc_ct_store(pk->grp, e0, &s[0]);
    sc_ct_store(pk->grp, e1, &s[1]);
    sc_fb_pow_secret2(pk->grp->g_fb, out0->alpha, out1->alpha, xi0, xi1);
    sc_fb_pow_secret2(pk->K_fb, out0->beta, out1->beta, e0, e1);
    sc_ct_mpz_public(out0->alpha); /* the ciphertexts are published */
    sc_ct_mpz_public(out0->beta);
    sc_ct_mpz_public(out1->alpha);
    sc_ct_mpz_public(out1->beta);
done:
    sc_ct_wipe(&s[0]);
    sc_ct_wipe(&s[1]);
    sc_ct_wipe(&x);
    sc_mpz_wipe(e0);
    sc_mpz_wipe(e1);
    mpz_clears(e0, e1, NULL);
    return rc;
}

void sc_ciphertext_mul(const sc_group *grp, sc_ciphertext *out,
                       const sc_ciphertext *a, const sc_ciphertext *b)
{
    sc_mulmod(grp, out->alpha, a->alpha, b->alpha);
    sc_mulmod(grp, out->beta, a->beta, b->beta);
}

void sc_ciphertext_product(const sc_group *grp, sc_ciphertext *out, size_t n,
                           const sc_ciphertext *cts)
{
    mpz_t A, B;
    mpz_init_set_ui(A, 1);
    mpz_init_set_ui(B, 1);
    for (size_t i = 0; i < n; i++) {
        sc_mulmod(grp, A, A, cts[i].alpha);
        sc_mulmod(grp, B, B, cts[i].beta);
    }
    mpz_swap(out->alpha, A);
    mpz_swap(out->beta, B);
    mpz_clear(A);
    mpz_clear(B);
}

sc_status sc_ciphertext_product_weighted(const sc_group *grp,
                                         sc_ciphertext *out, size_t n,
                                         const sc_ciphertext *cts,
                                         const uint64_t *weights)
{
    sc_status rc = SC_OK;
    mpz_t A, B, t, w;
    if (weights == NULL) {
        sc_ciphertext_product(grp, out, n, cts);
        return SC_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (weights[i] == 0) {
            return SC_E_INVALID_RANGE;
        }
    }
    mpz_inits(A, B, t, w, NULL);
    mpz_set_ui(A, 1);
    mpz_set_ui(B, 1);
    for (size_t i = 0; i < n; i++) {
        uint64_t wi = weights[i];
        mpz_import(w, 1, -1, sizeof wi, 0, 0, &wi);
        if (wi == 1) {
            sc_mulmod(grp, A, A, cts[i].alpha);
            sc_mulmod(grp, B, B, cts[i].beta);
            continue;
        }
        sc_pow(grp, t, cts[i].alpha, w);
        sc_mulmod(grp, A, A, t);
        sc_pow(grp, t, cts[i].beta, w);
        sc_mulmod(grp, B, B, t);
    }
    mpz_swap(out->alpha, A);
    mpz_swap(out->beta, B);
    mpz_clears(A, B, t, w, NULL);
    return rc;
}

sc_status sc_elgamal_unmask_nonce(const sc_elgamal_key *pk, mpz_t Ksig,
                                  const sc_ciphertext *ct, const mpz_t xi)
{
    sc_status rc;
    mpz_t nx, t;
    mpz_inits(nx, t, NULL);
    SC_ENSURE(pk != NULL && ct != NULL, SC_E_MISUSE);
    /* eq 109: K^sigma = beta * K^(-xi) = beta * K^(q - xi). */
    SC_CHECK(sc_ct_mpz_neg(pk->grp, nx, xi));
    sc_fb_pow_secret(pk->K_fb, t, nx);
    sc_mulmod(pk->grp, Ksig, ct->beta, t);
done:
    sc_mpz_wipe(nx);
    sc_mpz_wipe(t);
    mpz_clears(nx, t, NULL);
    return rc;
}

sc_status sc_elgamal_unmask_secret(const sc_elgamal_key *pk, mpz_t Ksig,
                                   const sc_ciphertext *ct, const mpz_t s)
{
    sc_status rc;
    mpz_t ns, t;
    mpz_inits(ns, t, NULL);
    SC_ENSURE(pk != NULL && ct != NULL, SC_E_MISUSE);
    SC_ENSURE(mpz_sgn(ct->alpha) > 0 && mpz_cmp(ct->alpha, pk->grp->p) < 0,
              SC_E_INVALID);
    /* beta / alpha^s = beta * alpha^(q - s) for alpha in Z_p^r. */
    SC_CHECK(sc_ct_mpz_neg(pk->grp, ns, s));
    sc_pow_secret(pk->grp, t, ct->alpha, ns);
    sc_mulmod(pk->grp, Ksig, ct->beta, t);
done:
    sc_mpz_wipe(ns);
    sc_mpz_wipe(t);
    mpz_clears(ns, t, NULL);
    return rc;
}

/* sigma from K^sigma, unmasked with the nonce xi (by_nonce) or the
 * secret s (key): both decryptions. */
static sc_status decrypt_with(const sc_elgamal_key *pk, const sc_dlog *dl,
                              uint64_t *sigma, const sc_ciphertext *ct,
                              const mpz_t key, int by_nonce)
{
    sc_status rc;
    mpz_t m;
    mpz_init(m);
    SC_ENSURE(dl != NULL && sigma != NULL, SC_E_MISUSE);
    SC_CHECK(by_nonce ? sc_elgamal_unmask_nonce(pk, m, ct, key)
                      : sc_elgamal_unmask_secret(pk, m, ct, key));
    rc = sc_dlog_find(dl, sigma, m);
done:
    sc_mpz_wipe(m);
    mpz_clear(m);
    return rc;
}

sc_status sc_elgamal_decrypt_nonce(const sc_elgamal_key *pk, const sc_dlog *dl,
                                   uint64_t *sigma, const sc_ciphertext *ct,
                                   const mpz_t xi)
{
    return decrypt_with(pk, dl, sigma, ct, xi, 1);
}

sc_status sc_elgamal_decrypt_secret(const sc_elgamal_key *pk, const sc_dlog *dl,
                                    uint64_t *sigma, const sc_ciphertext *ct,
                                    const mpz_t s)
{
    return decrypt_with(pk, dl, sigma, ct, s, 0);
}
