/* Joint verifiable decryption (spec §3.6): the rounds a, b, c of one
 * guardian and the public combination. See include/scrutin/decrypt.h. */
#include "scrutin/decrypt.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ceremony/jsonio.h"
#include "decrypt/internal.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"

/* ---------------------------------------------------------------------- */
/* Messages and state                                                      */
/* ---------------------------------------------------------------------- */

void sc_dec_msg_a_clear(sc_dec_msg_a *m)
{
    if (m == NULL) {
        return;
    }
    sc_mpz_array_free(m->M, m->n_items);
    sc_mpz_array_free(m->m, m->n_ballots);
    free(m->d);
    free(m->U);
    memset(m, 0, sizeof *m);
}

void sc_dec_msg_b_clear(sc_dec_msg_b *m)
{
    if (m == NULL) {
        return;
    }
    sc_mpz_array_free(m->a, m->n_items);
    sc_mpz_array_free(m->b, m->n_items);
    memset(m, 0, sizeof *m);
}

void sc_dec_msg_c_clear(sc_dec_msg_c *m)
{
    if (m == NULL) {
        return;
    }
    sc_mpz_array_free(m->v, m->n_items);
    memset(m, 0, sizeof *m);
}

sc_status sc_dec_state_alloc(sc_dec_state **out, size_t nu, size_t n_items)
{
    *out = NULL;
    sc_dec_state *st = sodium_malloc(sizeof *st);
    if (st == NULL) {
        return SC_E_NOMEM;
    }
    memset(st, 0, sizeof *st);
    st->nu = nu;
    st->n_items = n_items;
    st->U = calloc(nu == 0 ? 1 : nu, sizeof *st->U);
    st->d = calloc(nu * n_items + 1, 32);
    st->u = sodium_allocarray(n_items + 1, sizeof(mpz_t));
    if (st->U == NULL || st->d == NULL || st->u == NULL) {
        free(st->U);
        free(st->d);
        if (st->u != NULL) {
            sodium_free(st->u);
        }
        sodium_free(st);
        return SC_E_NOMEM;
    }
    for (size_t t = 0; t < n_items; t++) {
        mpz_init(st->u[t]);
    }
    *out = st;
    return SC_OK;
}

void sc_dec_state_free(sc_dec_state *st)
{
    if (st == NULL) {
        return;
    }
    for (size_t t = 0; t < st->n_items; t++) {
        sc_mpz_wipe(st->u[t]);
        mpz_clear(st->u[t]);
    }
    sodium_free(st->u);
    free(st->U);
    free(st->d);
    sodium_free(st);
}

static sc_status check_U(const sc_decrypt_job *job, size_t nu,
                         const uint32_t *U)
{
    if (nu < job->k || nu > job->n) {
        return sc_jio_fail(SC_E_INVALID,
                           "%zu guardians present: the quorum "
                           "is %u of %u",
                           nu, (unsigned)job->k, (unsigned)job->n);
    }
    for (size_t m = 0; m < nu; m++) {
        if (U[m] < 1 || U[m] > job->n || (m > 0 && U[m] <= U[m - 1])) {
            return sc_jio_fail(SC_E_INVALID,
                               "present guardians must be "
                               "distinct, ascending, in 1..%u",
                               (unsigned)job->n);
        }
    }
    return SC_OK;
}

static int U_index(size_t nu, const uint32_t *U, uint32_t i, size_t *pos)
{
    for (size_t m = 0; m < nu; m++) {
        if (U[m] == i) {
            *pos = m;
            return 1;
        }
    }
    return 0;
}

/* H_I of the ballot a DATA item belongs to (eq 99, 101 hash under it). */
static const uint8_t *item_hi(const sc_decrypt_job *job,
                              const sc_decrypt_item *it)
{
    return job->cast[it->ballot].h_i;
}

/* The key share an item is decrypted with: z-hat_i for contest data
 * (eq 96), z_i otherwise (eq 84). */
static const mpz_t *item_share(const sc_decrypt_item *it,
                               const sc_guardian_secret *s)
{
    return it->kind == SC_DEC_DATA ? &s->zhat : &s->z;
}

/* d_i of eq 88, or of eq 99 for contest data. */
static void item_commit_hash(const sc_decrypt_job *job,
                             const sc_decrypt_item *it, uint32_t i,
                             const mpz_t a, const mpz_t b, const mpz_t M,
                             size_t nu, const uint32_t *U, uint8_t d[32])
{
    if (it->kind == SC_DEC_DATA) {
        sc_data_dec_commit_hash(job->grp, item_hi(job, it), it->ind_c, i,
                                &it->data, a, b, M, nu, U, d); /* eq 99 */
    } else {
        sc_dec_commit_hash(job->grp, job->h_e, it->ind_c, it->ind_o, i,
                           it->AB.alpha, it->AB.beta, a, b, M, nu, U,
                           d); /* eq 88 */
    }
}

/* ---------------------------------------------------------------------- */
/* Rounds                                                                  */
/* ---------------------------------------------------------------------- */

/* Items and challenged ballots go in chunks of this many: the chunk's
 * exponentiations by the guardian's secrets run together (eight at a time
 * on the IFMA kernel, sc_pow_secret_many) from views of its bases and
 * exponents on the stack. A multiple of 8, so that only the job's last
 * chunk can leave lanes unused. */
#define DEC_CHUNK 64

/* Length of the chunk at t0 of n things. */
static size_t chunk_len(size_t n, size_t t0)
{
    return n - t0 < DEC_CHUNK ? n - t0 : DEC_CHUNK;
}

/* §3.6.6: the Schnorr proof of the contest data (eq 69) of every DATA item
 * in [t0, t0 + c) holds before z-hat_i is used on it; the first that fails
 * is named. */
static sc_status items_data_check(const sc_decrypt_job *job, size_t t0,
                                  size_t c)
{
    for (size_t t = t0; t < t0 + c; t++) {
        const sc_decrypt_item *it = &job->items[t];
        if (it->kind == SC_DEC_DATA &&
            sc_contest_data_verify(job->grp, item_hi(job, it), it->ind_c,
                                   &it->data) != SC_OK) {
            return sc_jio_fail(SC_E_VERIFY,
                               "ballot \"%s\" contest %u: the proof of the "
                               "contest data (eq 69) is invalid",
                               job->cast[it->ballot].id, (unsigned)it->ind_c);
        }
    }
    return SC_OK;
}

/* Round a for the items [t0, t0 + c): M_i (eq 84 / 96), u_i, a_i, b_i
 * (eq 87 / 98; u_i drawn in item order, as one item at a time) and d_i.
 * a, b: c scratch values. */
static void items_a(const sc_decrypt_job *job, const sc_guardian_secret *s,
                    size_t nu, const uint32_t *U, sc_rng *rng, sc_dec_state *st,
                    sc_dec_msg_a *out, size_t t0, size_t c, mpz_t *a, mpz_t *b)
{
    mpz_t A[DEC_CHUNK], Z[DEC_CHUNK]; /* shallow views, read only */
    for (size_t k = 0; k < c; k++) {
        const sc_decrypt_item *it = &job->items[t0 + k];
        A[k][0] = it->AB.alpha[0];
        Z[k][0] = (*item_share(it, s))[0];
    }
    sc_partial_decrypt_many(job->grp, out->M + t0, c, SC_CMPZ(A), SC_CMPZ(Z));
    sc_dec_commit_many(job->grp, c, SC_CMPZ(A), rng, st->u + t0, a, b);
    for (size_t k = 0; k < c; k++) {
        item_commit_hash(job, &job->items[t0 + k], s->i, a[k], b[k],
                         out->M[t0 + k], nu, U, out->d[t0 + k]);
    }
}

/* Round a for the challenged ballots: m_i = C_0^z-hat_i (eq 107), each
 * after the proof of C_xiB (eq 38) is checked (§3.6.7); the first invalid
 * proof in order is named. */
static sc_status ballots_a(const sc_decrypt_job *job,
                           const sc_guardian_secret *s, sc_dec_msg_a *out)
{
    mpz_t C0[DEC_CHUNK], Z[DEC_CHUNK]; /* shallow views, read only */
    for (size_t b0 = 0; b0 < job->n_ballots; b0 += DEC_CHUNK) {
        size_t c = chunk_len(job->n_ballots, b0);
        for (size_t k = 0; k < c; k++) {
            const sc_challenged_ballot *bal = &job->ballots[b0 + k];
            if (sc_ballot_nonce_verify(job->grp, bal->h_i, &bal->nonce) !=
                SC_OK) {
                return sc_jio_fail(SC_E_VERIFY,
                                   "challenged ballot \"%s\": the "
                                   "proof of the encrypted ballot nonce "
                                   "(eq 38) is invalid",
                                   bal->id);
            }
            C0[k][0] = bal->nonce.c0[0];
            Z[k][0] = s->zhat[0];
        }
        sc_partial_decrypt_many(job->grp, out->m + b0, c, SC_CMPZ(C0),
                                SC_CMPZ(Z));
    }
    return SC_OK;
}

sc_status sc_decrypt_round_a(const sc_decrypt_job *job,
                             const sc_guardian_secret *s, size_t nu,
                             const uint32_t *U, sc_rng *rng,
                             sc_dec_state **st_out, sc_dec_msg_a *out)
{
    sc_status rc = SC_OK;
    sc_dec_state *st = NULL;
    size_t pos;
    if (job == NULL || s == NULL || U == NULL || st_out == NULL ||
        out == NULL) {
        return SC_E_MISUSE;
    }
    *st_out = NULL;
    memset(out, 0, sizeof *out);
    if (s->phase != SC_PHASE_SHARES) {
        return sc_jio_fail(SC_E_INVALID,
                           "guardian %u: the key ceremony is "
                           "not finished (no key shares)",
                           (unsigned)s->i);
    }
    /* §3.2.2: the record must show the keys this guardian verified in the
     * ceremony; H_G (eq 27) covers every commitment and kappa. */
    if (!sc_ct_eq(s->h_e, job->h_e, 32) || !sc_ct_eq(s->h_g, job->h_g, 32) ||
        s->n != job->n || s->k != job->k) {
        return sc_jio_fail(SC_E_INVALID,
                           "guardian %u: the secret belongs to another "
                           "election, or the record's guardian keys differ "
                           "from those of the ceremony (H_E or H_G differs)",
                           (unsigned)s->i);
    }
    SC_CHECK(check_U(job, nu, U));
    if (!U_index(nu, U, s->i, &pos)) {
        return sc_jio_fail(SC_E_INVALID,
                           "guardian %u is not in the present "
                           "set",
                           (unsigned)s->i);
    }
    SC_CHECK(sc_dec_state_alloc(&st, nu, job->n_items));
    st->i = s->i;
    st->phase = 1;
    memcpy(st->digest, job->digest, 32);
    memcpy(st->U, U, nu * sizeof *U);

    out->i = s->i;
    memcpy(out->digest, job->digest, 32);
    out->nu = nu;
    out->U = calloc(nu, sizeof *U);
    out->n_items = job->n_items;
    out->n_ballots = job->n_ballots;
    out->M = sc_mpz_array_new(job->n_items);
    out->d = calloc(job->n_items + 1, 32);
    out->m = sc_mpz_array_new(job->n_ballots);
    SC_ENSURE(out->U != NULL && out->M != NULL && out->d != NULL &&
                  out->m != NULL,
              SC_E_NOMEM);
    memcpy(out->U, U, nu * sizeof *U);
    mpz_t a[DEC_CHUNK], b[DEC_CHUNK];
    for (size_t k = 0; k < DEC_CHUNK; k++) {
        mpz_inits(a[k], b[k], NULL);
    }
    for (size_t t0 = 0; rc == SC_OK && t0 < job->n_items; t0 += DEC_CHUNK) {
        size_t c = chunk_len(job->n_items, t0);
        rc = items_data_check(job, t0, c);
        if (rc == SC_OK) {
            items_a(job, s, nu, U, rng, st, out, t0, c, a, b);
        }
    }
    for (size_t k = 0; k < DEC_CHUNK; k++) {
        mpz_clears(a[k], b[k], NULL);
    }
    if (rc != SC_OK) {
        goto done;
    }
    SC_CHECK(ballots_a(job, s, out));
    *st_out = st;
    st = NULL;
done:
    sc_dec_state_free(st);
    if (rc != SC_OK) {
        sc_dec_msg_a_clear(out);
    }
    return rc;
}

/* Does message header (i, digest, counts) fit the job and U[m]? */
static sc_status check_header(const sc_decrypt_job *job, uint32_t want_i,
                              uint32_t i, const uint8_t digest[32],
                              size_t n_items, const char *round)
{
    if (i != want_i) {
        return sc_jio_fail(SC_E_VERIFY,
                           "round %s: expected guardian %u's "
                           "message, got guardian %u's",
                           round, (unsigned)want_i, (unsigned)i);
    }
    if (!sc_ct_eq(digest, job->digest, 32) || n_items != job->n_items) {
        return sc_jio_fail(SC_E_VERIFY,
                           "round %s: guardian %u worked on "
                           "other data (job digest differs)",
                           round, (unsigned)i);
    }
    return SC_OK;
}

/* Every M_i[t] and m_i[b] of a round a message in Z_p^r, in one batched
 * test (docs/ARITH.md §5): the values are another guardian's published
 * message, so the test's variable time is fine. */
static sc_status msg_a_members(const sc_group *grp, const sc_dec_msg_a *ma)
{
    size_t n = ma->n_items + ma->n_ballots, bad = 0;
    mpz_t *xs = malloc((n + 1) * sizeof *xs);
    if (xs == NULL) {
        return SC_E_NOMEM;
    }
    for (size_t t = 0; t < ma->n_items; t++) {
        xs[t][0] = ma->M[t][0];
    }
    for (size_t bi = 0; bi < ma->n_ballots; bi++) {
        xs[ma->n_items + bi][0] = ma->m[bi][0];
    }
    sc_status rc = sc_subgroup_check_batch(grp, n, SC_CMPZ(xs), NULL, &bad);
    free(xs); /* shallow views only */
    if (rc == SC_E_INVALID_NOT_IN_SUBGROUP) {
        return sc_jio_fail(SC_E_VERIFY, "round a: guardian %u: %s not in Z_p^r",
                           (unsigned)ma->i, bad < ma->n_items ? "M_i" : "m_i");
    }
    return rc;
}

static sc_status check_msgs_a(const sc_decrypt_job *job, size_t nu,
                              const uint32_t *U, const sc_dec_msg_a *msgs,
                              uint32_t *culprit)
{
    for (size_t m = 0; m < nu; m++) {
        const sc_dec_msg_a *ma = &msgs[m];
        sc_status rc =
            check_header(job, U[m], ma->i, ma->digest, ma->n_items, "a");
        if (rc == SC_OK && (ma->nu != nu || ma->n_ballots != job->n_ballots ||
                            memcmp(ma->U, U, nu * sizeof *U) != 0)) {
            rc = sc_jio_fail(SC_E_VERIFY,
                             "round a: guardian %u used another "
                             "present set",
                             (unsigned)ma->i);
        }
        if (rc == SC_OK) {
            rc = msg_a_members(job->grp, ma);
        }
        if (rc != SC_OK) {
            if (culprit != NULL) {
                *culprit = U[m];
            }
            return rc;
        }
    }
    return SC_OK;
}

sc_status sc_decrypt_round_b(const sc_decrypt_job *job, sc_dec_state *st,
                             const sc_dec_msg_a *msgs, sc_dec_msg_b *out,
                             uint32_t *culprit)
{
    sc_status rc = SC_OK;
    if (culprit != NULL) {
        *culprit = 0;
    }
    if (job == NULL || st == NULL || msgs == NULL || out == NULL) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    if (!sc_ct_eq(st->digest, job->digest, 32) || st->n_items != job->n_items) {
        return sc_jio_fail(SC_E_INVALID, "the decryption state is for other "
                                         "data");
    }
    SC_CHECK(check_msgs_a(job, st->nu, st->U, msgs, culprit));
    size_t ni = job->n_items;
    for (size_t m = 0; m < st->nu; m++) {
        for (size_t t = 0; t < ni; t++) {
            uint8_t *rec = st->d[m * ni + t];
            if (st->phase >= 2 && !sc_ct_eq(rec, msgs[m].d[t], 32)) {
                if (culprit != NULL) {
                    *culprit = st->U[m];
                }
                rc = sc_jio_fail(SC_E_VERIFY,
                                 "round b: guardian %u's "
                                 "commitment d_i differs from the one seen "
                                 "before: refusing to answer twice",
                                 (unsigned)st->U[m]);
                goto done;
            }
        }
    }
    for (size_t m = 0; m < st->nu; m++) {
        for (size_t t = 0; t < ni; t++) {
            memcpy(st->d[m * ni + t], msgs[m].d[t], 32);
        }
    }
    if (st->phase < 2) {
        st->phase = 2;
    }
    out->i = st->i;
    memcpy(out->digest, job->digest, 32);
    out->n_items = ni;
    out->a = sc_mpz_array_new(ni);
    out->b = sc_mpz_array_new(ni);
    SC_ENSURE(out->a != NULL && out->b != NULL, SC_E_NOMEM);
    for (size_t t0 = 0; t0 < ni; t0 += DEC_CHUNK) { /* eq 87 */
        size_t c = chunk_len(ni, t0);
        mpz_t A[DEC_CHUNK]; /* shallow views, read only */
        for (size_t k = 0; k < c; k++) {
            sc_fb_pow_secret(job->grp->g_fb, out->a[t0 + k], st->u[t0 + k]);
            A[k][0] = job->items[t0 + k].AB.alpha[0];
        }
        sc_pow_secret_many(job->grp, out->b + t0, c, SC_CMPZ(A),
                           SC_CMPZ(st->u + t0));
    }
done:
    if (rc != SC_OK) {
        sc_dec_msg_b_clear(out);
    }
    return rc;
}

/* The first item t whose revealed a_i[t] or b_i[t] is outside Z_p^r
 * (n_items if none; SC_E_NOMEM: SIZE_MAX). One batched test over the
 * message (docs/ARITH.md §5): public values, variable time is fine. */
static size_t msg_b_first_nonmember(const sc_group *grp, const sc_dec_msg_b *mb)
{
    size_t n = 2 * mb->n_items, bad = 0;
    mpz_t *xs = malloc((n + 1) * sizeof *xs);
    if (xs == NULL) {
        return SIZE_MAX;
    }
    for (size_t t = 0; t < mb->n_items; t++) {
        xs[2 * t][0] = mb->a[t][0];
        xs[2 * t + 1][0] = mb->b[t][0];
    }
    sc_status rc = sc_subgroup_check_batch(grp, n, SC_CMPZ(xs), NULL, &bad);
    free(xs); /* shallow views only */
    return rc == SC_OK ? mb->n_items : bad / 2;
}

/* Check every revealed (a_j, b_j) against d_j (eq 88 / 99), with a_j,
 * b_j in Z_p^r (M_j: check_msgs_a, which every caller runs first).
 * dtab != NULL gives the commitments to use (else the round a ones). The
 * first failing (guardian, item) in order is the one named. */
static sc_status check_reveals(const sc_decrypt_job *job, size_t nu,
                               const uint32_t *U, const sc_dec_msg_a *ma,
                               const sc_dec_msg_b *mb, const uint8_t *dtab,
                               uint32_t *culprit)
{
    size_t ni = job->n_items;
    for (size_t m = 0; m < nu; m++) {
        sc_status rc =
            check_header(job, U[m], mb[m].i, mb[m].digest, mb[m].n_items, "b");
        size_t bad_t =
            rc == SC_OK ? msg_b_first_nonmember(job->grp, &mb[m]) : ni;
        if (bad_t == SIZE_MAX) {
            return SC_E_NOMEM;
        }
        for (size_t t = 0; rc == SC_OK && t < ni; t++) {
            const sc_decrypt_item *it = &job->items[t];
            const uint8_t *dj =
                dtab != NULL ? dtab + 32 * (m * ni + t) : ma[m].d[t];
            uint8_t d[32];
            if (t != bad_t) {
                item_commit_hash(job, it, U[m], mb[m].a[t], mb[m].b[t],
                                 ma[m].M[t], nu, U, d); /* eq 88 / 99 */
            }
            if (t == bad_t || !sc_ct_eq(d, dj, 32)) {
                rc = sc_jio_fail(SC_E_VERIFY,
                                 "guardian %u: revealed (a_i, "
                                 "b_i) for contest %u option %u do not match "
                                 "its commitment d_i (eq 88)",
                                 (unsigned)U[m], (unsigned)it->ind_c,
                                 (unsigned)it->ind_o);
            }
        }
        if (rc != SC_OK) {
            if (culprit != NULL) {
                *culprit = U[m];
            }
            return rc;
        }
    }
    return SC_OK;
}

/* M (eq 86), a, b (eq 89), c (eq 90) for item t. */
static void item_challenge(const sc_decrypt_job *job, size_t t, size_t nu,
                           const mpz_t *w, const sc_dec_msg_a *ma,
                           const sc_dec_msg_b *mb, mpz_t M, mpz_t a, mpz_t b,
                           mpz_t c, mpz_t *tmp1, mpz_t *tmp2, mpz_t *tmp3)
{
    const sc_decrypt_item *it = &job->items[t];
    for (size_t m = 0; m < nu; m++) {
        mpz_set(tmp1[m], ma[m].M[t]);
        mpz_set(tmp2[m], mb[m].a[t]);
        mpz_set(tmp3[m], mb[m].b[t]);
    }
    sc_dec_combine_M(job->grp, M, nu, SC_CMPZ(tmp1), w);
    sc_dec_accumulate(job->grp, a, b, nu, SC_CMPZ(tmp2), SC_CMPZ(tmp3));
    if (it->kind == SC_DEC_DATA) { /* beta = M (eq 97), eq 101 */
        sc_data_dec_challenge(job->grp, item_hi(job, it), it->ind_c, &it->data,
                              a, b, M, c);
    } else {
        sc_dec_challenge(job->grp, job->h_e, it->ind_c, it->ind_o, it->AB.alpha,
                         it->AB.beta, a, b, M, c);
    }
}

sc_status sc_decrypt_round_c(const sc_decrypt_job *job,
                             const sc_guardian_secret *s, sc_dec_state *st,
                             const sc_dec_msg_a *msgs_a,
                             const sc_dec_msg_b *msgs_b, sc_dec_msg_c *out,
                             uint32_t *culprit)
{
    sc_status rc = SC_OK;
    size_t nu, pos = 0, ni;
    mpz_t *w = NULL, *t1 = NULL, *t2 = NULL, *t3 = NULL;
    mpz_t M, a, b, c;
    if (culprit != NULL) {
        *culprit = 0;
    }
    if (job == NULL || s == NULL || st == NULL || msgs_a == NULL ||
        msgs_b == NULL || out == NULL) {
        return SC_E_MISUSE;
    }
    memset(out, 0, sizeof *out);
    if (st->phase < 2) {
        return sc_jio_fail(SC_E_MISUSE, "round c before round b");
    }
    if (st->i != s->i || s->phase != SC_PHASE_SHARES ||
        !sc_ct_eq(st->digest, job->digest, 32) ||
        !sc_ct_eq(s->h_e, job->h_e, 32)) {
        return sc_jio_fail(SC_E_INVALID, "the decryption state, secret and "
                                         "record do not belong together");
    }
    nu = st->nu;
    ni = job->n_items;
    mpz_inits(M, a, b, c, NULL);
    SC_CHECK(check_msgs_a(job, nu, st->U, msgs_a, culprit));
    /* The commitments recorded in round b, not the files given now. */
    SC_CHECK(check_reveals(job, nu, st->U, msgs_a, msgs_b,
                           (const uint8_t *)st->d, culprit));
    U_index(nu, st->U, s->i, &pos);
    w = sc_mpz_array_new(nu);
    t1 = sc_mpz_array_new(nu);
    t2 = sc_mpz_array_new(nu);
    t3 = sc_mpz_array_new(nu);
    SC_ENSURE(w != NULL && t1 != NULL && t2 != NULL && t3 != NULL, SC_E_NOMEM);
    SC_CHECK(sc_lagrange_coeffs(job->grp, nu, st->U, w)); /* eq 85 */
    out->i = s->i;
    memcpy(out->digest, job->digest, 32);
    out->n_items = ni;
    out->v = sc_mpz_array_new(ni);
    SC_ENSURE(out->v != NULL, SC_E_NOMEM);
    if (st->phase == 3) {
        /* Answered before: st->u holds the responses (the u_i are gone);
         * the challenge cannot have changed, the d_j being fixed. */
        for (size_t t = 0; t < ni; t++) {
            mpz_set(out->v[t], st->u[t]);
        }
    } else {
        for (size_t t = 0; t < ni; t++) {
            item_challenge(job, t, nu, SC_CMPZ(w), msgs_a, msgs_b, M, a, b, c,
                           t1, t2, t3);
            sc_dec_response(
                job->grp, out->v[t], NULL, c, w[pos], st->u[t],
                *item_share(&job->items[t], s)); /* eq 91-92 / 102 */
        }
        /* u_i with v_i would give z_i: keep only the public v_i. */
        for (size_t t = 0; t < ni; t++) {
            sc_mpz_wipe(st->u[t]);
            mpz_set(st->u[t], out->v[t]);
        }
        st->phase = 3;
    }
done:
    if (rc != SC_OK) {
        sc_dec_msg_c_clear(out);
    }
    sc_mpz_array_free(w, w != NULL ? nu : 0);
    sc_mpz_array_free(t1, t1 != NULL ? nu : 0);
    sc_mpz_array_free(t2, t2 != NULL ? nu : 0);
    sc_mpz_array_free(t3, t3 != NULL ? nu : 0);
    mpz_clears(M, a, b, c, NULL);
    return rc;
}

/* Combine the m_i of the guardians U[sel[0..ns-1]] for ballot bi (eq 108),
 * decrypt xi_B (eq 35-36) and derive the nonces (eq 33) into the ballot;
 * 1 if every derived nonce re-encrypts (g^xi = alpha), else 0. */
static int try_nonce(sc_decrypt_job *job, size_t bi, size_t ns,
                     const size_t *sel, const uint32_t *U,
                     const sc_dec_msg_a *ma, mpz_t *tmp, mpz_t *w)
{
    const sc_group *grp = job->grp;
    sc_challenged_ballot *bal = &job->ballots[bi];
    uint32_t Us[256];
    uint8_t xi_b[SC_XIB_BYTES];
    mpz_t beta, ga;
    int ok = ns <= sizeof Us / sizeof Us[0];
    for (size_t m = 0; ok && m < ns; m++) {
        Us[m] = U[sel[m]];
        mpz_set(tmp[m], ma[sel[m]].m[bi]);
    }
    if (!ok || sc_lagrange_coeffs(grp, ns, Us, w) != SC_OK) { /* eq 85 */
        return 0;
    }
    mpz_inits(beta, ga, NULL);
    sc_dec_combine_M(grp, beta, ns, SC_CMPZ(tmp), SC_CMPZ(w)); /* eq 108 */
    ok = sc_ballot_nonce_decrypt_beta(grp, bal->h_i, &bal->nonce, beta, xi_b) ==
         SC_OK; /* eq 35-36 */
    for (size_t ci = 0; ok && ci < bal->n_contests; ci++) {
        sc_challenged_contest *con = &bal->contests[ci];
        for (size_t f = 0; ok && f < con->n_fields; f++) {
            sc_eg_selection_nonce(grp, bal->h_i, con->ind_c, (uint32_t)(f + 1),
                                  xi_b, con->xi[f]); /* eq 33 */
            sc_fb_pow(grp->g_fb, ga, con->xi[f]);
            ok = mpz_cmp(ga, con->fields[f].alpha) == 0;
        }
        if (ok && con->has_data) {
            /* eq 64: the contest data nonce; g^xi = C_0 (eq 67) */
            sc_eg_contest_data_nonce(grp, bal->h_i, con->ind_c, xi_b,
                                     con->data_xi);
            sc_fb_pow(grp->g_fb, ga, con->data_xi);
            ok = mpz_cmp(ga, con->data.c0) == 0;
        }
    }
    sc_wipe(xi_b, sizeof xi_b);
    sc_mpz_wipe(beta);
    mpz_clears(beta, ga, NULL);
    return ok;
}

/* §3.6.7 for every challenged ballot. The m_i carry no proof in the spec:
 * a wrong one shows as nonces that do not re-encrypt. With more present
 * guardians than the quorum, leaving each one out in turn finds the
 * guardian at fault. */
static sc_status open_ballots(sc_decrypt_job *job, size_t nu, const uint32_t *U,
                              const sc_dec_msg_a *ma, const sc_dlog *dl,
                              mpz_t *tmp, mpz_t *w, uint32_t *culprit)
{
    sc_status rc = SC_OK;
    size_t sel[256];
    if (nu > sizeof sel / sizeof sel[0]) {
        return SC_E_RANGE;
    }
    for (size_t bi = 0; bi < job->n_ballots; bi++) {
        sc_challenged_ballot *bal = &job->ballots[bi];
        for (size_t m = 0; m < nu; m++) {
            sel[m] = m;
        }
        if (!try_nonce(job, bi, nu, sel, U, ma, tmp, w)) {
            uint32_t bad = 0;
            for (size_t x = 0; bad == 0 && nu > job->k && x < nu; x++) {
                size_t ns = 0;
                for (size_t m = 0; m < nu; m++) {
                    if (m != x) {
                        sel[ns++] = m;
                    }
                }
                if (try_nonce(job, bi, ns, sel, U, ma, tmp, w)) {
                    bad = U[x];
                }
            }
            if (culprit != NULL) {
                *culprit = bad;
            }
            if (bad != 0) {
                return sc_jio_fail(SC_E_VERIFY,
                                   "challenged ballot \"%s\": guardian "
                                   "%u's partial decryption m_i of the "
                                   "ballot nonce (eq 107) is wrong",
                                   bal->id, (unsigned)bad);
            }
            return sc_jio_fail(SC_E_VERIFY,
                               "challenged ballot \"%s\": the decrypted "
                               "nonces do not re-encrypt (alpha = g^xi "
                               "fails): a partial decryption m_i (eq 107) "
                               "is wrong",
                               bal->id);
        }
        for (size_t ci = 0; ci < bal->n_contests; ci++) {
            sc_challenged_contest *con = &bal->contests[ci];
            for (size_t f = 0; f < con->n_fields; f++) {
                rc = sc_elgamal_decrypt_nonce(job->K, dl, &con->sigma[f],
                                              &con->fields[f],
                                              con->xi[f]); /* eq 109 */
                if (rc != SC_OK) {
                    return sc_jio_fail(SC_E_VERIFY,
                                       "challenged ballot \"%s\": contest "
                                       "%u option %zu does not decrypt to a "
                                       "small value",
                                       bal->id, (unsigned)con->ind_c, f + 1);
                }
            }
            if (con->has_data) {
                /* §3.6.6: check the Schnorr proof (eq 69) first, then
                 * beta = K-hat^xi and D = C_1 xor k (eq 104-106) */
                mpz_t beta;
                mpz_init(beta);
                sc_fb_pow(job->Khat->K_fb, beta, con->data_xi);
                rc = sc_contest_data_decrypt_beta(
                    job->grp, bal->h_i, con->ind_c, &con->data, beta, con->D);
                mpz_clear(beta);
                if (rc != SC_OK) {
                    return sc_jio_fail(SC_E_VERIFY,
                                       "challenged ballot \"%s\": contest "
                                       "%u: the contest data proof (eq 69) "
                                       "does not verify",
                                       bal->id, (unsigned)con->ind_c);
                }
            }
        }
        bal->opened = 1;
    }
    return SC_OK;
}

/* A combined DATA item: beta = M (eq 97), Verification 12.A-12.B on the
 * joint proof, D = C_1 xor k (eq 104-106, 12.3-12.C). */
static sc_status combine_data(sc_decrypt_job *job, sc_decrypt_item *it,
                              const mpz_t M)
{
    const uint8_t *hi = item_hi(job, it);
    mpz_set(it->T, M);
    if (sc_data_dec_proof_verify(job->Khat, hi, it->ind_c, &it->data, it->T,
                                 it->c, it->v) != SC_OK) {
        return sc_jio_fail(SC_E_VERIFY,
                           "ballot \"%s\" contest %u: the combined contest "
                           "data proof (eq 101) does not verify",
                           job->cast[it->ballot].id, (unsigned)it->ind_c);
    }
    if (it->D == NULL) {
        it->D = malloc(it->data.c1_len + 1);
        if (it->D == NULL) {
            return SC_E_NOMEM;
        }
    }
    return sc_contest_data_decrypt_beta(job->grp, hi, it->ind_c, &it->data,
                                        it->T, it->D);
}

sc_status sc_decrypt_combine(sc_decrypt_job *job, size_t nu,
                             const sc_dec_msg_a *msgs_a,
                             const sc_dec_msg_b *msgs_b,
                             const sc_dec_msg_c *msgs_c, uint32_t *culprit)
{
    sc_status rc = SC_OK;
    const uint32_t *U;
    size_t ni;
    mpz_t *w = NULL, *t1 = NULL, *t2 = NULL, *t3 = NULL, *Ki = NULL;
    mpz_t *Khi = NULL;
    sc_dlog *dl = NULL;
    mpz_t M, a, b, c;
    if (culprit != NULL) {
        *culprit = 0;
    }
    if (job == NULL || msgs_a == NULL || msgs_b == NULL || msgs_c == NULL ||
        nu == 0) {
        return SC_E_MISUSE;
    }
    const sc_group *grp = job->grp;
    U = msgs_a[0].U;
    ni = job->n_items;
    mpz_inits(M, a, b, c, NULL);
    if (msgs_a[0].nu != nu) {
        rc = sc_jio_fail(SC_E_VERIFY,
                         "round a: guardian %u's present set "
                         "has %zu guardians, %zu messages given",
                         (unsigned)msgs_a[0].i, msgs_a[0].nu, nu);
        goto done;
    }
    SC_CHECK(check_U(job, nu, U));
    SC_CHECK(check_msgs_a(job, nu, U, msgs_a, culprit));
    SC_CHECK(check_reveals(job, nu, U, msgs_a, msgs_b, NULL, culprit));
    for (size_t m = 0; m < nu; m++) {
        rc = check_header(job, U[m], msgs_c[m].i, msgs_c[m].digest,
                          msgs_c[m].n_items, "c");
        if (rc != SC_OK) {
            if (culprit != NULL) {
                *culprit = U[m];
            }
            goto done;
        }
    }
    w = sc_mpz_array_new(nu);
    t1 = sc_mpz_array_new(nu);
    t2 = sc_mpz_array_new(nu);
    t3 = sc_mpz_array_new(nu);
    Ki = sc_mpz_array_new(nu);
    Khi = sc_mpz_array_new(nu);
    SC_ENSURE(w != NULL && t1 != NULL && t2 != NULL && t3 != NULL &&
                  Ki != NULL && Khi != NULL,
              SC_E_NOMEM);
    SC_CHECK(sc_lagrange_coeffs(grp, nu, U, w)); /* eq 85 */
    for (size_t m = 0; m < nu; m++) {            /* g^z_i, g^z-hat_i (eq 94) */
        sc_share_pubkey(grp, Ki[m], job->n, job->k, SC_CMPZ(job->Kjm), U[m]);
        sc_share_pubkey(grp, Khi[m], job->n, job->k, SC_CMPZ(job->Khjm), U[m]);
    }
    uint64_t max_t = job->max_tally;
    if (max_t == 0) {
        max_t = job->cast_ballots * 64;
        if (max_t < 4096) {
            max_t = 4096;
        }
    }
    SC_CHECK(sc_dlog_new(&dl, grp, job->K->K, max_t));
    for (size_t t = 0; t < ni; t++) {
        sc_decrypt_item *it = &job->items[t];
        item_challenge(job, t, nu, SC_CMPZ(w), msgs_a, msgs_b, M, a, b, c, t1,
                       t2, t3);
        for (size_t m = 0; m < nu; m++) { /* note 3.7 */
            mpz_t *gz = it->kind == SC_DEC_DATA ? &Khi[m] : &Ki[m];
            if (sc_dec_response_check(grp, *gz, it->AB.alpha, msgs_a[m].M[t], c,
                                      w[m], msgs_c[m].v[t], msgs_b[m].a[t],
                                      msgs_b[m].b[t]) != SC_OK) {
                if (culprit != NULL) {
                    *culprit = U[m];
                }
                rc = sc_jio_fail(SC_E_VERIFY,
                                 "guardian %u: its response "
                                 "v_i for contest %u option %u is wrong "
                                 "(note 3.7, eq 94-95)",
                                 (unsigned)U[m], (unsigned)it->ind_c,
                                 (unsigned)it->ind_o);
                goto done;
            }
            mpz_set(t1[m], msgs_c[m].v[t]);
        }
        sc_dec_combine_v(grp, it->v, nu, SC_CMPZ(t1)); /* eq 93 / 103 */
        mpz_set(it->c, c);
        if (it->kind == SC_DEC_DATA) {
            SC_CHECK(combine_data(job, it, M));
            continue;
        }
        SC_CHECK(sc_invmod(grp, it->T, M));
        sc_mulmod(grp, it->T, it->T, it->AB.beta); /* eq 82 */
        rc = sc_dlog_find(dl, &it->t, it->T);
        if (rc != SC_OK) {
            rc = sc_jio_fail(SC_E_RANGE,
                             "contest %u option %u: the tally "
                             "is above %llu (use a larger bound)",
                             (unsigned)it->ind_c, (unsigned)it->ind_o,
                             (unsigned long long)max_t);
            goto done;
        }
        rc = sc_dec_proof_verify(job->K, job->h_e, it->ind_c, it->ind_o,
                                 &it->AB, it->T, it->t, it->c, it->v, 0);
        if (rc != SC_OK) { /* Verification 10 on our own result */
            rc = sc_jio_fail(SC_E_VERIFY,
                             "contest %u option %u: the "
                             "combined proof does not verify",
                             (unsigned)it->ind_c, (unsigned)it->ind_o);
            goto done;
        }
    }
    SC_CHECK(open_ballots(job, nu, U, msgs_a, dl, t1, t2, culprit));
done:
    sc_dlog_free(dl);
    sc_mpz_array_free(w, w != NULL ? nu : 0);
    sc_mpz_array_free(t1, t1 != NULL ? nu : 0);
    sc_mpz_array_free(t2, t2 != NULL ? nu : 0);
    sc_mpz_array_free(t3, t3 != NULL ? nu : 0);
    sc_mpz_array_free(Ki, Ki != NULL ? nu : 0);
    sc_mpz_array_free(Khi, Khi != NULL ? nu : 0);
    mpz_clears(M, a, b, c, NULL);
    return rc;
}
