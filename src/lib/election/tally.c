/* Scrutin: homomorphic tally (spec §3.5, eq 79-80). */
#include "scrutin/tally.h"

#include <stdlib.h>
#include <string.h>

sc_status sc_tally_new(sc_tally **out, const sc_group *grp,
                       const sc_manifest *m)
{
    sc_tally *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return SC_E_NOMEM;
    }
    t->grp = grp;
    t->m = m;
    t->n_options = sc_manifest_option_count(m);
    t->offset = calloc(m->n_contests, sizeof *t->offset);
    t->ab = calloc(t->n_options, sizeof *t->ab);
    if (t->offset == NULL || t->ab == NULL) {
        free(t->offset);
        free(t->ab);
        free(t);
        return SC_E_NOMEM;
    }
    size_t off = 0;
    for (size_t c = 0; c < m->n_contests; c++) {
        t->offset[c] = off;
        off += m->contests[c].n_options;
    }
    for (size_t i = 0; i < t->n_options; i++) {
        sc_ciphertext_init(&t->ab[i]); /* (1, 1) */
    }
    *out = t;
    return SC_OK;
}

void sc_tally_free(sc_tally *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->n_options; i++) {
        sc_ciphertext_clear(&t->ab[i]);
    }
    free(t->ab);
    free(t->offset);
    free(t);
}

sc_status sc_tally_add(sc_tally *t, const sc_enc_ballot *b)
{
    if (b->state != SC_BALLOT_CAST) {
        return SC_OK;
    }
    const sc_manifest *m = t->m;
    /* Check the shape first so that a bad ballot changes nothing. */
    for (size_t i = 0; i < b->n_contests; i++) {
        const sc_enc_contest *c = &b->contests[i];
        if (c->ind_c < 1 || c->ind_c > m->n_contests ||
            c->n != m->contests[c->ind_c - 1].n_options) {
            return SC_E_INVALID;
        }
    }
    if (b->weight < 1) {
        return SC_E_INVALID_RANGE;
    }
    sc_ciphertext w;
    sc_ciphertext_init(&w);
    mpz_t W;
    mpz_init_set_ui(W, 0);
    if (b->weight > 1) {
        mpz_set_ui(W, (unsigned long)b->weight);
    }
    for (size_t i = 0; i < b->n_contests; i++) {
        const sc_enc_contest *c = &b->contests[i];
        sc_ciphertext *acc = &t->ab[t->offset[c->ind_c - 1]];
        for (size_t j = 0; j < c->n; j++) {
            if (b->weight > 1) {
                /* eq 80: (alpha^W, beta^W), W public */
                sc_pow(t->grp, w.alpha, c->fields[j].alpha, W);
                sc_pow(t->grp, w.beta, c->fields[j].beta, W);
                sc_ciphertext_mul(t->grp, &acc[j], &acc[j], &w);
            } else {
                /* eq 79 */
                sc_ciphertext_mul(t->grp, &acc[j], &acc[j], &c->fields[j]);
            }
        }
    }
    mpz_clear(W);
    sc_ciphertext_clear(&w);
    t->cast++;
    t->weight_total += b->weight;
    return SC_OK;
}

const sc_ciphertext *sc_tally_get(const sc_tally *t, uint32_t ind_c,
                                  uint32_t ind_o)
{
    if (ind_c < 1 || ind_c > t->m->n_contests || ind_o < 1 ||
        ind_o > t->m->contests[ind_c - 1].n_options) {
        return NULL;
    }
    return &t->ab[t->offset[ind_c - 1] + ind_o - 1];
}

void sc_tally_merge(sc_tally *t, const sc_tally *other)
{
    for (size_t i = 0; i < t->n_options; i++) {
        sc_ciphertext_mul(t->grp, &t->ab[i], &t->ab[i], &other->ab[i]);
    }
    t->cast += other->cast;
    t->weight_total += other->weight_total;
}
