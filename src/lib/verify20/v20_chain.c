/* The 2.0 verifier, Verification 7.C-7.G over the ballot summaries kept
 * by the ballot pass: no two ballots share a confirmation code (7.C), and
 * per device the chain of ballot_chain.json: H_0 (7.D), each B_aux (7.E),
 * the last code and the closing hash (7.F, 7.G). egk's departures are
 * rows 4-6 of docs/EGK20.md. */
#include <stdlib.h>
#include <string.h>

#include "verify20/v20.h"

/* ------------------------------------------------------------------ */
/* V7.C - V7.G: duplicates and the ballot chain                         */

static int cmp_code(const void *a, const void *b)
{
    const v20_sum *x = *(v20_sum *const *)a;
    const v20_sum *y = *(v20_sum *const *)b;
    return memcmp(x->code, y->code, 32);
}

v20_sum *v20_sum_by_id(v20 *v, const char *device, const char *id)
{
    for (size_t i = 0; i < v->nballots; i++) {
        v20_sum *s = &v->sums[i];
        if (s->parsed && strcmp(s->id, id) == 0 &&
            (device == NULL || strcmp(s->device, device) == 0)) {
            return s;
        }
    }
    return NULL;
}

static void check_chain_device(v20 *v, const char *device)
{
    char msg[V20_MSG];
    char rel[700];
    char path[4800];
    char where[V20_WHERE];
    json_t *jc = NULL;
    json_t *ids;
    uint8_t h0[32];
    uint8_t rec[32];
    uint8_t *buf = NULL;
    v20_sfmt(rel, sizeof rel, "encrypted_ballots/%s/ballot_chain.json", device);
    v20_loc root = {.file = rel, .path = "", .msg = msg};
    v20_sfmt(path, sizeof path, "%s/%s", v->dir, rel);
    v20_sfmt(where, sizeof where, "device %s", device);
    sc_status rc = v20_load(path, rel, &jc, msg);
    if (rc == SC_OK) {
        rc = v20_get_array(&root, jc, "ballot_ids", &ids);
    }
    if (rc != SC_OK) {
        v20_rep_err(v, "V7", msg);
        goto done;
    }
    size_t nb = json_array_size(ids);
    buf = malloc(32 + v->baux0_len + 5);
    if (buf == NULL) {
        v20_set_fatal(v, SC_E_NOMEM);
        goto done;
    }
    /* 7.D: H_0 = H(H_E; 0x24, B_aux,0) (eq 59); egk's first ballot uses
     * B_aux,1 = H_0 alone (eq 60 says H_0 ‖ B_aux,0). */
    sc_eg20_chain_hash(v->he, v->baux0, v->baux0_len, h0);
    /* egk also publishes H_0 as the chain's "baux0" */
    json_t *jh0 = json_object_get(jc, "baux0");
    if (jh0 != NULL && !json_is_null(jh0)) {
        rc = v20_get_hash(&root, jc, "baux0", rec);
        if (rc != SC_OK) {
            v20_rep_err(v, "V7", msg);
        } else if (memcmp(rec, h0, 32) != 0) {
            sc_report_fail(v->rep, "V7.D", where,
                           "baux0 of ballot_chain.json is not "
                           "H_0 = H(H_E; 0x24, B_aux,0)");
        } else {
            sc_report_pass(v->rep, "V7", 1);
        }
    }
    const v20_sum *prev = NULL;
    size_t counted = 0;
    for (size_t j = 0; j < nb; j++) {
        json_t *ji = json_array_get(ids, j);
        if (!json_is_string(ji)) {
            sc_report_error(v->rep, "V7", where,
                            "%s: field 'ballot_ids[%zu]': not a string", rel,
                            j);
            goto done;
        }
        v20_sum *s = v20_sum_by_id(v, device, json_string_value(ji));
        char w2[V20_WHERE];
        v20_sfmt(w2, sizeof w2, "device %s ballot %s", device,
                 json_string_value(ji));
        if (s == NULL) {
            sc_report_fail(v->rep, "V7.E", w2,
                           "ballot in the chain is not in the record");
            prev = NULL;
            continue;
        }
        s->used_dec |= 2; /* in a chain */
        counted++;
        if (j == 0) {
            if (s->baux_len != 32 || memcmp(s->baux, h0, 32) != 0) {
                sc_report_fail(v->rep, "V7.D", w2,
                               "B_aux of the first ballot is not "
                               "H_0 = H(H_E; 0x24, B_aux,0)");
            } else {
                sc_report_pass(v->rep, "V7", 1);
            }
        } else if (prev != NULL) {
            /* 7.E: B_aux,j = H(B_j-1) ‖ B_aux,0 (eq 60). */
            memcpy(buf, prev->code, 32);
            memcpy(buf + 32, v->baux0, v->baux0_len);
            if (s->baux_len != 32 + v->baux0_len ||
                memcmp(s->baux, buf, 32 + v->baux0_len) != 0) {
                sc_report_fail(v->rep, "V7.E", w2,
                               "B_aux is not H(B_j-1) ‖ B_aux,0 of the "
                               "previous ballot in the chain");
            } else {
                sc_report_pass(v->rep, "V7", 1);
            }
        }
        prev = s;
    }
    for (size_t i = 0; i < v->nballots; i++) {
        v20_sum *s = &v->sums[i];
        if (s->parsed && strcmp(s->device, device) == 0 && !(s->used_dec & 2)) {
            char w2[V20_WHERE];
            v20_sfmt(w2, sizeof w2, "device %s ballot %s", device, s->id);
            sc_report_fail(v->rep, "V7.E", w2,
                           "ballot is not in the device's chain");
        }
    }
    if (prev == NULL) {
        goto done;
    }
    /* 7.F: the last code closes the chain; 7.G: closing hash (eq 61),
     * B_aux = H(B_l) ‖ B_aux,0 ‖ b("CLOSE", 5). */
    rc = v20_get_hash(&root, jc, "last_confirmation_code", rec);
    if (rc != SC_OK) {
        v20_rep_err(v, "V7", msg);
    } else if (memcmp(rec, prev->code, 32) != 0) {
        sc_report_fail(v->rep, "V7.F", where,
                       "last_confirmation_code is not the code of the last "
                       "ballot in the chain");
    } else {
        sc_report_pass(v->rep, "V7", 1);
    }
    memcpy(buf, prev->code, 32);
    memcpy(buf + 32, v->baux0, v->baux0_len);
    memcpy(buf + 32 + v->baux0_len, "CLOSE", 5);
    uint8_t close[32];
    sc_eg20_chain_hash(v->he, buf, 32 + v->baux0_len + 5, close);
    rc = v20_get_hash(&root, jc, "closing_hash", rec);
    if (rc != SC_OK) {
        v20_rep_err(v, "V7", msg);
    } else if (memcmp(rec, close, 32) != 0) {
        sc_report_fail(v->rep, "V7.G", where,
                       "closing_hash differs from H(H_E; 0x24, H(B_l) ‖ "
                       "B_aux,0 ‖ \"CLOSE\")");
    } else {
        sc_report_pass(v->rep, "V7", 1);
    }
done:
    free(buf);
    json_decref(jc);
}

void v20_step7_chain(v20 *v)
{
    v20_sum **byc = malloc((v->nballots + 1) * sizeof *byc);
    size_t m = 0;
    if (byc == NULL) {
        v20_set_fatal(v, SC_E_NOMEM);
        return;
    }
    for (size_t i = 0; i < v->nballots; i++) {
        if (v->sums[i].parsed) {
            byc[m++] = &v->sums[i];
        }
    }
    /* 7.C: no two submitted ballots share a confirmation code. */
    qsort(byc, m, sizeof *byc, cmp_code);
    int dup = 0;
    for (size_t i = 1; i < m; i++) {
        if (memcmp(byc[i - 1]->code, byc[i]->code, 32) == 0) {
            char w[V20_WHERE];
            v20_sfmt(w, sizeof w, "ballots %s and %s", byc[i - 1]->id,
                     byc[i]->id);
            sc_report_fail(v->rep, "V7.C", w,
                           "two ballots have the same confirmation code");
            dup = 1;
        }
    }
    if (!dup) {
        sc_report_pass(v->rep, "V7", 1);
    }
    free(byc);
    if (!v->chaining) {
        return;
    }
    /* 7.D - 7.G per device. */
    for (size_t i = 0; i < v->nballots; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(v->sums[j].device, v->sums[i].device) == 0) {
                first = 0;
                break;
            }
        }
        if (first) {
            check_chain_device(v, v->sums[i].device);
        }
    }
}
