/* Scrutin: ballot encryption (spec §3.3), contest hashes and confirmation
 * codes (§3.4), voting devices and ballot chaining (§3.4.3-3.4.4). */
#include <stdlib.h>
#include <string.h>

#include "scrutin/ballot.h"
#include "scrutin/contest_data.h"
#include "scrutin/core.h"

/* ------------------------------------------------------------------------
 * Encrypted ballot storage
 * ---------------------------------------------------------------------- */

sc_status sc_enc_ballot_new(sc_enc_ballot **out)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL) {
        return SC_E_NOMEM;
    }
    (*out)->weight = 1;
    sc_nonce_ct_init(&(*out)->nonce);
    return SC_OK;
}

static void contest_clear(sc_enc_contest *c)
{
    if (c->fields != NULL) {
        for (size_t j = 0; j < c->n; j++) {
            sc_ciphertext_clear(&c->fields[j]);
        }
        free(c->fields);
    }
    if (c->proofs != NULL) {
        for (size_t j = 0; j < c->n; j++) {
            sc_range_proof_clear(&c->proofs[j]);
        }
        free(c->proofs);
    }
    sc_range_proof_clear(&c->limit);
    if (c->rel != NULL) {
        for (size_t k = 0; k < c->n_rel; k++) {
            sc_range_proof_clear(&c->rel[k]);
        }
        free(c->rel);
    }
    if (c->has_data) {
        sc_contest_data_ct_clear(&c->data);
    }
    memset(c, 0, sizeof *c);
}

void sc_enc_ballot_free(sc_enc_ballot *b)
{
    if (b == NULL) {
        return;
    }
    free(b->id);
    if (b->contests != NULL) {
        for (size_t i = 0; i < b->n_contests; i++) {
            contest_clear(&b->contests[i]);
        }
        free(b->contests);
    }
    sc_nonce_ct_clear(&b->nonce);
    free(b);
}

static sc_status contest_alloc(sc_enc_contest *c, uint32_t ind_c,
                               const sc_manifest_contest *mc)
{
    sc_status rc = SC_OK;
    c->ind_c = ind_c;
    c->fields = calloc(mc->n_options, sizeof *c->fields);
    c->proofs = calloc(mc->n_options, sizeof *c->proofs);
    SC_ENSURE(c->fields != NULL && c->proofs != NULL, SC_E_NOMEM);
    SC_ENSURE(mc->limit <= SC_BALLOT_MAX_RANGE, SC_E_RANGE);
    SC_CHECK(sc_range_proof_init(&c->limit, mc->limit));
    if (mc->data_blocks != 0) {
        sc_contest_data_ct_init(&c->data);
        c->has_data = 1;
    }
    if (mc->n_options > mc->n_real) {
        c->rel = calloc(mc->n_options - mc->n_real, sizeof *c->rel);
        SC_ENSURE(c->rel != NULL, SC_E_NOMEM);
        for (size_t k = mc->n_real; k < mc->n_options; k++) {
            SC_CHECK(sc_range_proof_init(
                &c->rel[k - mc->n_real],
                sc_supp_relation_range(mc, mc->options[k].kind)));
            c->n_rel = k - mc->n_real + 1;
        }
    }
    for (size_t j = 0; j < mc->n_options; j++) {
        SC_ENSURE(mc->options[j].limit <= SC_BALLOT_MAX_RANGE, SC_E_RANGE);
        sc_ciphertext_init(&c->fields[j]);
        rc = sc_range_proof_init(&c->proofs[j], mc->options[j].limit);
        if (rc != SC_OK) {
            sc_ciphertext_clear(&c->fields[j]);
            goto done;
        }
        c->n = j + 1;
    }
done:
    return rc;
}

sc_status sc_enc_ballot_alloc(sc_enc_ballot *b, const sc_manifest *m,
                              uint32_t style)
{
    const sc_manifest_style *s = sc_manifest_style_at(m, style);
    if (s == NULL || b->contests != NULL) {
        return SC_E_MISUSE;
    }
    b->style = style;
    b->contests = calloc(s->n_contests, sizeof *b->contests);
    if (b->contests == NULL) {
        return SC_E_NOMEM;
    }
    b->n_contests = s->n_contests;
    for (size_t i = 0; i < s->n_contests; i++) {
        uint32_t ind_c = s->contests[i];
        sc_status rc =
            contest_alloc(&b->contests[i], ind_c, &m->contests[ind_c - 1]);
        if (rc != SC_OK) {
            return rc;
        }
    }
    return SC_OK;
}

/* ------------------------------------------------------------------------
 * Encryption
 * ---------------------------------------------------------------------- */

/* eq 70: chi = H(H_I; 0x28, ind_c, alpha_1, beta_1, ..., [C_0, C_1,
 * C_2]). The hash function wants the alphas and betas as arrays. */
static sc_status contest_hash(const sc_group *grp, const uint8_t hi[32],
                              sc_enc_contest *c)
{
    mpz_t *al = malloc(c->n * sizeof *al);
    mpz_t *be = malloc(c->n * sizeof *be);
    if (al == NULL || be == NULL) {
        free(al);
        free(be);
        return SC_E_NOMEM;
    }
    for (size_t j = 0; j < c->n; j++) {
        al[j][0] = c->fields[j].alpha[0]; /* shallow views, not owned */
        be[j][0] = c->fields[j].beta[0];
    }
    sc_eg_contest_hash(grp, hi, c->ind_c, c->n, (const mpz_t *)al,
                       (const mpz_t *)be, c->has_data ? &c->data : NULL,
                       c->chi);
    free(al);
    free(be);
    return SC_OK;
}

/* One contest: selections (SECRET, NULL = undervote of the whole
 * contest), limits from the manifest. */
static sc_status encrypt_contest(const sc_election *e, const uint8_t hi[32],
                                 const uint8_t xi_b[32],
                                 const sc_manifest_contest *mc,
                                 const uint32_t *sel,
                                 const char *const *write_ins, sc_rng *rng,
                                 sc_enc_contest *c)
{
    const sc_group *grp = e->grp;
    sc_status rc = SC_OK;
    size_t n = c->n;
    mpz_t *xi = calloc(n, sizeof *xi);
    uint32_t *v = calloc(n, sizeof *v);
    if (xi == NULL || v == NULL) {
        free(xi);
        free(v);
        return SC_E_NOMEM;
    }
    for (size_t j = 0; j < n; j++) {
        mpz_init(xi[j]);
    }
    /* Overvote (§3.3.5): the sum exceeds L -> every field is zero. The
     * option limits were checked when the plaintext was read; check again
     * (an option above R is an overvote too). The branches depend on
     * the secret selections; the record shows no trace of them (the
     * overvote goes into the encrypted contest data), but the time taken
     * may differ slightly: as for the selections themselves, the device
     * is trusted with the plaintext. */
    const size_t nr = mc->n_real;
    uint64_t sum = 0;
    int over = 0;
    if (sel != NULL) {
        for (size_t j = 0; j < nr; j++) {
            sum += sel[j];
            over |= sel[j] > mc->options[j].limit;
        }
        over |= sum > mc->limit;
    }
    for (size_t j = 0; j < nr; j++) {
        v[j] = (sel != NULL && !over) ? sel[j] : 0;
    }
    /* §3.3.9: the supplemental fields follow the options */
    sc_supp_values(mc, v, over, v);
    uint32_t ell = over ? 0 : (uint32_t)sum;
    for (size_t j = 0; j < n; j++) {
        /* eq 33: xi_i,j = H_q(H_I; 0x21, i, j, xi_B), i = ind_c, j = ind_o */
        sc_eg_selection_nonce(grp, hi, c->ind_c, (uint32_t)(j + 1), xi_b,
                              xi[j]);
    }
    /* eq 31, two fields at a time (one table scan for both) */
    for (size_t j = 0; j < n; j += 2) {
        if (j + 1 < n) {
            const uint64_t s2[2] = {v[j], v[j + 1]};
            SC_CHECK(sc_elgamal_encrypt_u64_2(
                e->K, &c->fields[j], &c->fields[j + 1], s2, xi[j], xi[j + 1]));
        } else {
            SC_CHECK(sc_elgamal_encrypt_u64(e->K, &c->fields[j], v[j], xi[j]));
        }
    }
    for (size_t j = 0; j < n; j++) {
        /* eq 57-61: range proof 0..R for option j */
        sc_range_ctx rctx = {hi, c->ind_c, 1, (uint32_t)(j + 1)};
        SC_CHECK(sc_range_proof_prove(e->K, &rctx, &c->fields[j], xi[j], v[j],
                                      rng, &c->proofs[j]));
    }
    /* eq 62: the contest total is in 0..L (AMBIGUITIES 8: always made),
     * over the voter's options only */
    SC_CHECK(sc_limit_proof_prove(e->K, hi, c->ind_c, nr, c->fields,
                                  (const mpz_t *)xi, ell, rng, &c->limit));
    /* §3.3.9: relation proofs of the supplemental fields */
    if (c->n_rel > 0) {
        SC_CHECK(sc_supp_prove(e->K, hi, mc, c->ind_c, c->fields,
                               (const mpz_t *)xi, v, rng, c->rel));
    }
    /* eq 63-69: contest data under K-hat (overvote record, flags,
     * write-in text; scrutin/contest_data.h) */
    if (c->has_data) {
        size_t len = 32 * (size_t)mc->data_blocks;
        uint8_t *D = malloc(len);
        SC_ENSURE(D != NULL, SC_E_NOMEM);
        rc = sc_contest_data_encode(mc, sel, write_ins, D);
        if (rc == SC_OK) {
            rc = sc_contest_data_encrypt(e->Khat, hi, c->ind_c, xi_b, D,
                                         mc->data_blocks, rng, &c->data);
        }
        sc_wipe(D, len);
        free(D);
        SC_CHECK(rc);
    }
    /* eq 70 */
    SC_CHECK(contest_hash(grp, hi, c));
done:
    for (size_t j = 0; j < n; j++) {
        sc_mpz_wipe(xi[j]);
        mpz_clear(xi[j]);
    }
    sc_wipe(v, n * sizeof *v);
    sc_wipe(&sum, sizeof sum);
    sc_wipe(&ell, sizeof ell);
    free(xi);
    free(v);
    return rc;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

sc_status sc_ballot_encrypt_with(const sc_election *e, const sc_plain_ballot *p,
                                 const uint8_t id_b[32], const uint8_t xi_b[32],
                                 sc_rng *rng, sc_enc_ballot *out)
{
    sc_status rc = SC_OK;
    const sc_manifest *m = e->manifest;
    if (p->n_contests != m->n_contests || out->contests != NULL) {
        return SC_E_MISUSE;
    }
    SC_CHECK(sc_enc_ballot_alloc(out, m, p->style));
    out->id = xstrdup(p->id);
    SC_ENSURE(out->id != NULL, SC_E_NOMEM);
    out->state = p->challenge ? SC_BALLOT_CHALLENGED : SC_BALLOT_CAST;
    out->weight = p->weight >= 1 ? p->weight : 1;
    memcpy(out->id_b, id_b, 32);
    /* eq 32: H_I = H(H_E; 0x20, id_B) */
    sc_eg_selection_id_hash(e->h_e, id_b, out->h_i);
    for (size_t i = 0; i < out->n_contests; i++) {
        sc_enc_contest *c = &out->contests[i];
        SC_CHECK(encrypt_contest(e, out->h_i, xi_b, &m->contests[c->ind_c - 1],
                                 p->selections[c->ind_c - 1],
                                 sc_plain_ballot_write_ins(p, m, c->ind_c), rng,
                                 c));
    }
    /* eq 34-38: xi_B under K-hat, with its Schnorr proof */
    SC_CHECK(
        sc_ballot_nonce_encrypt(e->Khat, out->h_i, xi_b, rng, &out->nonce));
done:
    return rc;
}

sc_status sc_ballot_encrypt(const sc_election *e, const sc_plain_ballot *p,
                            sc_rng *rng, sc_enc_ballot *out)
{
    uint8_t id_b[32], xi_b[32];
    /* §3.3.2: id_B uniform in {0..2^256-1}; §3.3.3: xi_B likewise. */
    sc_rng_bytes(rng, id_b, sizeof id_b);
    sc_rng_bytes(rng, xi_b, sizeof xi_b);
    sc_status rc = sc_ballot_encrypt_with(e, p, id_b, xi_b, rng, out);
    sc_wipe(xi_b, sizeof xi_b);
    return rc;
}

/* ------------------------------------------------------------------------
 * Confirmation codes and chaining
 * ---------------------------------------------------------------------- */

void sc_ballot_confirmation_code(const sc_enc_ballot *b, uint8_t out[32])
{
    /* eq 71: H_C = H(H_I; 0x29, chi_1 ‖ ... ‖ chi_mB ‖ B_C). m_B <= 2^31
     * contests; hash them from a small buffer per call. */
    uint8_t stack[32 * 16] = {0};
    uint8_t *chis = b->n_contests <= 16 ? stack : malloc(32 * b->n_contests);
    if (chis == NULL) {
        memset(out, 0, 32);
        return;
    }
    for (size_t i = 0; i < b->n_contests; i++) {
        memcpy(chis + 32 * i, b->contests[i].chi, 32);
    }
    sc_eg_confirmation_code(b->h_i, b->n_contests, chis, b->bc, out);
    if (chis != stack) {
        free(chis);
    }
}

sc_status sc_device_init(sc_device *dev, const uint8_t h_e[32], uint32_t index,
                         const char *s_device, uint32_t mode)
{
    memset(dev, 0, sizeof *dev);
    if (index < 1 || (mode != SC_CHAIN_NONE && mode != SC_CHAIN_SIMPLE)) {
        return SC_E_MISUSE;
    }
    dev->s_device = xstrdup(s_device);
    if (dev->s_device == NULL) {
        return SC_E_NOMEM;
    }
    dev->index = index;
    dev->mode = mode;
    /* eq 72: H_DI = H(H_E; 0x2A, b(len,4) ‖ S_device) */
    sc_eg_device_hash(h_e, s_device, strlen(s_device), dev->h_di);
    /* eq 73 (none) / eq 75 (simple): B_C(,0) = mode ‖ H_DI */
    sc_eg_chain_field(dev->bc0, mode, dev->h_di);
    if (mode == SC_CHAIN_SIMPLE) {
        /* eq 74: H_0 = H(H_E; 0x29, B_C,0) */
        sc_eg_chain_hash(h_e, dev->bc0, dev->prev);
    }
    return SC_OK;
}

void sc_device_clear(sc_device *dev)
{
    free(dev->s_device);
    memset(dev, 0, sizeof *dev);
}

void sc_device_resume(sc_device *dev, uint64_t count,
                      const uint8_t last_h_c[32])
{
    dev->count = count;
    if (dev->mode == SC_CHAIN_SIMPLE && count > 0) {
        memcpy(dev->prev, last_h_c, 32);
    }
}

void sc_device_chain(sc_device *dev, const uint8_t h_e[32], sc_enc_ballot *b)
{
    (void)h_e;
    b->device = dev->index;
    b->sequence = ++dev->count;
    memcpy(b->encrypted_at, dev->time, sizeof b->encrypted_at); /* §3.7 */
    if (dev->mode == SC_CHAIN_SIMPLE) {
        /* eq 76: B_C,j = 0x00000001 ‖ H_{j-1} (H_0 for j = 1) */
        sc_eg_chain_field(b->bc, SC_CHAIN_SIMPLE, dev->prev);
    } else {
        /* eq 73: B_C = 0x00000000 ‖ H_DI */
        memcpy(b->bc, dev->bc0, SC_BC_BYTES);
    }
    sc_ballot_confirmation_code(b, b->h_c);
    if (dev->mode == SC_CHAIN_SIMPLE) {
        memcpy(dev->prev, b->h_c, 32);
    }
}

void sc_device_close(const sc_device *dev, const uint8_t h_e[32],
                     uint8_t bc[SC_BC_BYTES], uint8_t h[32])
{
    /* eq 78: B_C = 0x00000001 ‖ H(H_E; 0x2B, H_l, B_C,0), H_l the last
     * code (H_0 if the device made no ballot); eq 77: H = H(H_E; 0x29,
     * B_C). */
    sc_eg_chain_close_field(h_e, dev->prev, dev->bc0, bc);
    sc_eg_chain_hash(h_e, bc, h);
}
