/* Reading write-ins of cast ballots (issue 11; docs/RECORD.md "Reading
 * write-ins"): where a contest of the manifest says "read_write_ins",
 *  1. the tally decryption also decrypts each cast ballot's write-in count
 *     field E_w (§3.3.9) with the proof of §3.6.5 (eq 87-93, (A, B) =
 *     E_w): COUNT items -> write_in_counts.jsonl;
 *  2. a second decryption opens the contest data (§3.6.6, eq 96-106) of
 *     exactly the cast ballots whose published count is not 0: DATA items
 *     -> write_ins.jsonl. Before it the guardians check every count's
 *     proof against the ballot's own E_w, so an edited counts file cannot
 *     make them open another ballot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ceremony/jsonio.h"
#include "decrypt/internal.h"
#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/manifest.h"

/* One published count: (id_B, ind_c) -> w with its proof. */
typedef struct wcount {
    uint8_t id_b[32];
    uint32_t ind_c;
    uint64_t w;
    mpz_t c, v;
    int used;
} wcount;

typedef struct wscan {
    const sc_manifest *man;
    wcount *counts; /* sorted by (id_b, ind_c) */
    size_t n_counts;
} wscan;

static int any_read(const sc_manifest *m)
{
    for (size_t c = 0; m != NULL && c < m->n_contests; c++) {
        if (m->contests[c].read_write_ins) {
            return 1;
        }
    }
    return 0;
}

static sc_status load_manifest(const char *record, sc_manifest **man)
{
    char err[512] = "";
    char *p = sc_jio_path(record, "election_manifest_canonical.bin");
    if (p == NULL) {
        return SC_E_NOMEM;
    }
    sc_status rc = sc_manifest_load(man, p, err, sizeof err);
    free(p);
    return rc == SC_OK ? SC_OK : sc_jio_fail(rc, "%s", err);
}

/* The index (0-based) of the write-in count field of a manifest contest. */
static size_t count_field(const sc_manifest_contest *mc)
{
    for (size_t f = mc->n_real; f < mc->n_options; f++) {
        if (mc->options[f].kind == SC_SUPP_WRITE_INS) {
            return f;
        }
    }
    return mc->n_options;
}

/* The read contest cc of ballot b against the manifest; NULL if the
 * contest reads no write-ins. */
static const sc_manifest_contest *read_contest(const sc_manifest *man,
                                               const sc_challenged_contest *cc,
                                               const char *where, sc_status *rc)
{
    *rc = SC_OK;
    if (cc->ind_c < 1 || cc->ind_c > man->n_contests ||
        !man->contests[cc->ind_c - 1].read_write_ins) {
        return NULL;
    }
    const sc_manifest_contest *mc = &man->contests[cc->ind_c - 1];
    if (cc->n_fields != mc->n_options || !cc->has_data) {
        *rc = sc_jio_fail(SC_E_INVALID,
                          "%s: contest %u does not fit the manifest (fields "
                          "or contest data)",
                          where, (unsigned)cc->ind_c);
        return NULL;
    }
    return mc;
}

static sc_status add_cast(sc_decrypt_job *job, const sc_challenged_ballot *b,
                          size_t *idx)
{
    sc_decrypt_cast *nc =
        realloc(job->cast, (job->n_cast + 1) * sizeof *job->cast);
    if (nc == NULL) {
        return SC_E_NOMEM;
    }
    job->cast = nc;
    sc_decrypt_cast *c = &job->cast[job->n_cast];
    c->id = strdup(b->id);
    if (c->id == NULL) {
        return SC_E_NOMEM;
    }
    memcpy(c->id_b, b->id_b, 32);
    memcpy(c->h_i, b->h_i, 32);
    *idx = job->n_cast++;
    return SC_OK;
}

static sc_status new_item(sc_decrypt_job *job, int kind, uint32_t ind_c,
                          uint32_t ind_o, size_t ballot,
                          const sc_manifest_contest *mc, sc_decrypt_item **out)
{
    sc_decrypt_item *ni =
        realloc(job->items, (job->n_items + 1) * sizeof *job->items);
    if (ni == NULL) {
        return SC_E_NOMEM;
    }
    job->items = ni;
    sc_decrypt_item *it = &job->items[job->n_items++];
    memset(it, 0, sizeof *it);
    sc_ciphertext_init(&it->AB);
    mpz_inits(it->T, it->c, it->v, NULL);
    it->kind = kind;
    it->ind_c = ind_c;
    it->ind_o = ind_o;
    it->ballot = ballot;
    if (kind == SC_DEC_DATA) {
        sc_contest_data_ct_init(&it->data);
    }
    it->contest_label = strdup(mc->label);
    it->option_label = ind_o > 0 ? strdup(mc->options[ind_o - 1].label) : NULL;
    *out = it;
    return it->contest_label != NULL ? SC_OK : SC_E_NOMEM;
}

static int wcount_cmp(const void *x, const void *y)
{
    const wcount *a = x, *b = y;
    int r = memcmp(a->id_b, b->id_b, 32);
    return r != 0 ? r : (a->ind_c > b->ind_c) - (a->ind_c < b->ind_c);
}

/* COUNT items (first decryption) or DATA items (second) for one cast
 * ballot line. */
static sc_status on_cast(sc_decrypt_job *job, const wscan *ws,
                         sc_challenged_ballot *b, const char *where)
{
    sc_status rc = SC_OK;
    size_t bidx = 0;
    int added = 0;
    mpz_t T;
    mpz_init(T);
    for (size_t ci = 0; ci < b->n_contests; ci++) {
        sc_challenged_contest *cc = &b->contests[ci];
        const sc_manifest_contest *mc = read_contest(ws->man, cc, where, &rc);
        if (rc != SC_OK) {
            goto done;
        }
        if (mc == NULL) {
            continue;
        }
        size_t f = count_field(mc);
        uint64_t w = 0;
        if (job->write_ins) {
            wcount key, *hit;
            memcpy(key.id_b, b->id_b, 32);
            key.ind_c = cc->ind_c;
            hit =
                bsearch(&key, ws->counts, ws->n_counts, sizeof key, wcount_cmp);
            if (hit == NULL || hit->used) {
                rc = sc_jio_fail(SC_E_INVALID,
                                 "%s: ballot \"%s\" contest %u: %s in "
                                 "write_in_counts.jsonl",
                                 where, b->id, (unsigned)cc->ind_c,
                                 hit == NULL ? "no write-in count"
                                             : "a second write-in count");
                goto done;
            }
            hit->used = 1;
            /* the count's proof against this ballot's own E_w (eq 87-93,
             * Verification 10 with (A, B) = E_w and T = K^w); E_w is in
             * Z_p^r (sc_dec_parse_ballot's batch), T = K^w is ours */
            mpz_set_ui(T, (unsigned long)hit->w);
            sc_fb_pow(job->K->K_fb, T, T);
            if (sc_dec_proof_verify(job->K, job->h_e, cc->ind_c,
                                    (uint32_t)(f + 1), &cc->fields[f], T,
                                    hit->w, hit->c, hit->v, 0) != SC_OK) {
                rc = sc_jio_fail(SC_E_VERIFY,
                                 "write_in_counts.jsonl: ballot \"%s\" "
                                 "contest %u: the decryption proof of the "
                                 "write-in count does not verify",
                                 b->id, (unsigned)cc->ind_c);
                goto done;
            }
            w = hit->w;
            if (w == 0) {
                continue; /* no write-in: this contest stays closed */
            }
        }
        if (!added) {
            SC_CHECK(add_cast(job, b, &bidx));
            added = 1;
        }
        sc_decrypt_item *it = NULL;
        if (!job->write_ins) {
            SC_CHECK(new_item(job, SC_DEC_COUNT, cc->ind_c, (uint32_t)(f + 1),
                              bidx, mc, &it));
            mpz_set(it->AB.alpha, cc->fields[f].alpha);
            mpz_set(it->AB.beta, cc->fields[f].beta);
        } else {
            SC_CHECK(new_item(job, SC_DEC_DATA, cc->ind_c, 0, bidx, mc, &it));
            /* take the ballot's contest data (C_0, C_1, C_2) */
            mpz_swap(it->data.c0, cc->data.c0);
            mpz_swap(it->data.c2_c, cc->data.c2_c);
            mpz_swap(it->data.c2_v, cc->data.c2_v);
            it->data.c1 = cc->data.c1;
            it->data.c1_len = cc->data.c1_len;
            cc->data.c1 = NULL;
            mpz_set(it->AB.alpha, it->data.c0);
            mpz_set_ui(it->AB.beta, 1);
        }
    }
done:
    mpz_clear(T);
    return rc;
}

/* Cast ballots parsed (range checks only) and not yet through on_cast:
 * their elements are tested for Z_p^r in one batch per SCAN_CHUNK ballots
 * (about 50 elements each: the batch's signs then come from the square
 * test, docs/ARITH.md §5.2). */
#define SCAN_CHUNK 64
typedef struct {
    sc_challenged_ballot b[SCAN_CHUNK];
    char where[SCAN_CHUNK][300];
    size_t k;
} cast_chunk;

static void chunk_clear(cast_chunk *c)
{
    for (size_t i = 0; i < c->k; i++) {
        sc_dec_ballot_clear(&c->b[i]);
    }
    c->k = 0;
}

/* The chunk's ballots through on_cast in order, up to the first one with
 * an element outside Z_p^r, whose error is then the result: the same
 * order of effects and errors as one ballot at a time. Empties the chunk. */
static sc_status chunk_flush(sc_decrypt_job *job, const wscan *ws,
                             cast_chunk *c)
{
    size_t bb = c->k, be = 0;
    sc_status rc =
        c->k ? sc_dec_ballots_members(job->grp, c->b, c->k, &bb, &be) : SC_OK;
    if (rc == SC_E_INVALID_NOT_IN_SUBGROUP) {
        rc = SC_OK;
    } else if (rc != SC_OK) {
        bb = 0;
    }
    for (size_t i = 0; i < bb && rc == SC_OK; i++) {
        rc = on_cast(job, ws, &c->b[i], c->where[i]);
    }
    if (rc == SC_OK && bb < c->k) {
        rc = sc_dec_ballot_not_member(&c->b[bb], be, c->where[bb]);
    }
    chunk_clear(c);
    return rc;
}

/* Every cast ballot line of ballots/device_<d>.jsonl through on_cast. */
static sc_status scan_cast(sc_decrypt_job *job, const char *record,
                           const wscan *ws)
{
    sc_status rc = SC_OK;
    char *dir = sc_jio_path(record, "ballots");
    struct dirent **ents = NULL;
    int ne = 0;
    cast_chunk *c = calloc(1, sizeof *c);
    if (dir == NULL || c == NULL) {
        free(dir);
        free(c);
        return SC_E_NOMEM;
    }
    ne = scandir(dir, &ents, sc_dec_device_filter, sc_dec_device_cmp);
    for (int e = 0; e < ne && rc == SC_OK; e++) {
        char *path = sc_jio_path(dir, "%s", ents[e]->d_name);
        char *buf = NULL, *save = NULL;
        size_t lineno = 0;
        rc = path != NULL ? sc_jio_read_file(path, &buf, NULL) : SC_E_NOMEM;
        for (char *tok = rc == SC_OK ? strtok_r(buf, "\n", &save) : NULL;
             tok != NULL && rc == SC_OK; tok = strtok_r(NULL, "\n", &save)) {
            char where[300];
            json_error_t err;
            snprintf(where, sizeof where, "%s: line %zu", path, ++lineno);
            json_t *o = json_loads(tok, JSON_REJECT_DUPLICATES, &err);
            if (o == NULL) {
                rc = chunk_flush(job, ws, c); /* the lines before it first */
                if (rc == SC_OK) {
                    rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: %s", where,
                                     err.text);
                }
                break;
            }
            const char *state = json_string_value(json_object_get(o, "state"));
            if (state != NULL && strcmp(state, "Cast") == 0) {
                sc_challenged_ballot *b = &c->b[c->k];
                memset(b, 0, sizeof *b);
                sc_nonce_ct_init(&b->nonce);
                snprintf(c->where[c->k], sizeof c->where[c->k], "%s", where);
                rc = sc_dec_parse_ballot_unchecked(job, o, where, b);
                if (rc != SC_OK) {
                    /* the ballots before it first; then its own error */
                    sc_status r0 = chunk_flush(job, ws, c);
                    rc = r0 != SC_OK ? r0 : rc;
                    sc_dec_ballot_clear(b);
                } else if (++c->k == SCAN_CHUNK) {
                    rc = chunk_flush(job, ws, c);
                }
            }
            json_decref(o);
        }
        free(buf);
        free(path);
    }
    if (rc == SC_OK) {
        rc = chunk_flush(job, ws, c);
    }
    chunk_clear(c);
    free(c);
    for (int e = 0; e < ne; e++) {
        free(ents[e]);
    }
    free(ents);
    free(dir);
    return rc;
}

sc_status sc_dec_add_counts(sc_decrypt_job *job, const char *record)
{
    sc_manifest *man = NULL;
    char *p = sc_jio_path(record, "election_manifest_canonical.bin");
    int have = p != NULL && access(p, F_OK) == 0;
    free(p);
    if (!have) {
        return SC_OK; /* a bare tally (unit tests): nothing to read */
    }
    sc_status rc = load_manifest(record, &man);
    if (rc == SC_OK && any_read(man)) {
        wscan ws = {man, NULL, 0};
        rc = scan_cast(job, record, &ws);
    }
    sc_manifest_free(man);
    return rc;
}

static void counts_free(wcount *c, size_t n)
{
    for (size_t x = 0; x < n; x++) {
        mpz_clears(c[x].c, c[x].v, NULL);
    }
    free(c);
}

/* write_in_counts.jsonl -> ws->counts (sorted). */
static sc_status load_counts(const sc_decrypt_job *job, const char *record,
                             wscan *ws)
{
    sc_status rc = SC_OK;
    char *path = sc_jio_path(record, "write_in_counts.jsonl");
    char *buf = NULL, *save = NULL;
    size_t lineno = 0, cap = 0;
    if (path == NULL) {
        return SC_E_NOMEM;
    }
    rc = sc_jio_read_file(path, &buf, NULL);
    if (rc != SC_OK) {
        rc = sc_jio_fail(SC_E_INVALID,
                         "%s: missing: decrypt the tally first (it "
                         "decrypts the write-in counts)",
                         path);
    }
    for (char *tok = rc == SC_OK ? strtok_r(buf, "\n", &save) : NULL;
         tok != NULL && rc == SC_OK; tok = strtok_r(NULL, "\n", &save)) {
        char where[300];
        uint8_t idb[32];
        json_error_t err;
        snprintf(where, sizeof where, "%s: line %zu", path, ++lineno);
        json_t *o = json_loads(tok, JSON_REJECT_DUPLICATES, &err);
        const json_t *cs = json_object_get(o, "contests");
        if (o == NULL || !json_is_array(cs)) {
            rc = sc_jio_fail(SC_E_INVALID_JSON, "%s: %s", where,
                             o == NULL ? err.text : "contests: missing");
        }
        if (rc == SC_OK) {
            rc = sc_jio_get_bytes(o, "selection_encryption_identifier", idb, 32,
                                  where);
        }
        for (size_t x = 0; rc == SC_OK && x < json_array_size(cs); x++) {
            const json_t *c = json_array_get(cs, x);
            const json_t *pr = json_object_get(c, "proof");
            if (ws->n_counts == cap) {
                cap = cap == 0 ? 64 : 2 * cap;
                wcount *nc = realloc(ws->counts, cap * sizeof *nc);
                if (nc == NULL) {
                    rc = SC_E_NOMEM;
                    break;
                }
                ws->counts = nc;
            }
            wcount *wc = &ws->counts[ws->n_counts++];
            memset(wc, 0, sizeof *wc);
            mpz_inits(wc->c, wc->v, NULL);
            memcpy(wc->id_b, idb, 32);
            rc = sc_jio_get_u32(c, "index", &wc->ind_c, where);
            if (rc == SC_OK) {
                rc = sc_jio_get_u64(c, "value", &wc->w, where);
            }
            if (rc == SC_OK && !json_is_object(pr)) {
                rc =
                    sc_jio_fail(SC_E_INVALID_JSON, "%s: proof: missing", where);
            }
            if (rc == SC_OK) {
                rc = sc_jio_get_scalar(job->grp, pr, "challenge", wc->c, where);
            }
            if (rc == SC_OK) {
                rc = sc_jio_get_scalar(job->grp, pr, "response", wc->v, where);
            }
        }
        json_decref(o);
    }
    free(buf);
    free(path);
    if (rc == SC_OK && ws->n_counts > 0) {
        qsort(ws->counts, ws->n_counts, sizeof *ws->counts, wcount_cmp);
    }
    return rc;
}

sc_status sc_decrypt_job_load_write_ins(sc_decrypt_job **out,
                                        const sc_group *grp, const char *record)
{
    sc_decrypt_job *job = NULL;
    sc_manifest *man = NULL;
    wscan ws = {NULL, NULL, 0};
    if (out == NULL || grp == NULL || record == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    sc_status rc = sc_dec_job_load_keys(&job, grp, record);
    if (rc != SC_OK) {
        return rc;
    }
    job->write_ins = 1;
    SC_CHECK(load_manifest(record, &man));
    if (!any_read(man)) {
        rc = sc_jio_fail(SC_E_INVALID, "the manifest reads no write-ins "
                                       "(no contest has read_write_ins)");
        goto done;
    }
    ws.man = man;
    SC_CHECK(load_counts(job, record, &ws));
    SC_CHECK(scan_cast(job, record, &ws));
    for (size_t x = 0; x < ws.n_counts; x++) {
        if (!ws.counts[x].used) {
            rc = sc_jio_fail(SC_E_VERIFY,
                             "write_in_counts.jsonl: a count for contest %u "
                             "of a ballot that is not a cast ballot with "
                             "that contest",
                             (unsigned)ws.counts[x].ind_c);
            goto done;
        }
    }
    sc_dec_job_digest(job);
    *out = job;
    job = NULL;
done:
    counts_free(ws.counts, ws.n_counts);
    sc_manifest_free(man);
    sc_decrypt_job_free(job);
    return rc;
}

/* One line per cast ballot: the items of `kind` of that ballot. */
static sc_status write_lines(const sc_decrypt_job *job, int kind,
                             const char *record, const char *name)
{
    sc_status rc = SC_OK;
    const sc_group *grp = job->grp;
    char *lines = NULL, *p = NULL;
    size_t llen = 0, lcap = 0;
    size_t t = 0;
    while (t < job->n_items && rc == SC_OK) {
        const sc_decrypt_item *it = &job->items[t];
        if (it->kind != kind) {
            t++;
            continue;
        }
        const sc_decrypt_cast *bc = &job->cast[it->ballot];
        json_t *cs = json_array();
        for (; cs != NULL && t < job->n_items && job->items[t].kind == kind &&
               job->items[t].ballot == it->ballot;
             t++) {
            const sc_decrypt_item *x = &job->items[t];
            json_t *pr =
                json_pack("{s:o,s:o}", "challenge", sc_jio_scalar(grp, x->c),
                          "response", sc_jio_scalar(grp, x->v));
            json_t *jc =
                kind == SC_DEC_COUNT
                    ? json_pack("{s:i,s:I,s:o}", "index", (int)x->ind_c,
                                "value", (json_int_t)x->t, "proof", pr)
                    : json_pack("{s:i,s:o,s:o,s:o}", "index", (int)x->ind_c,
                                "beta", sc_jio_elem(grp, x->T), "proof", pr,
                                "data", sc_jio_bytes(x->D, x->data.c1_len));
            json_array_append_new(cs, jc);
        }
        json_t *o = json_pack("{s:s,s:o,s:o}", "id", bc->id,
                              "selection_encryption_identifier",
                              sc_jio_hash(bc->id_b), "contests", cs);
        rc = sc_dec_lines_append(&lines, &llen, &lcap, o);
    }
    p = sc_jio_path(record, "%s", name);
    SC_ENSURE(p != NULL, SC_E_NOMEM);
    SC_CHECK(sc_jio_write_file(p, lines != NULL ? lines : "", llen, 0644));
done:
    free(p);
    free(lines);
    return rc;
}

sc_status sc_dec_write_counts(const sc_decrypt_job *job, const char *record)
{
    if (job->n_cast == 0) {
        sc_manifest *man = NULL;
        sc_status rc = load_manifest(record, &man);
        int read = rc == SC_OK && any_read(man);
        sc_manifest_free(man);
        if (!read) {
            return SC_OK; /* nothing asked: no file */
        }
    }
    return write_lines(job, SC_DEC_COUNT, record, "write_in_counts.jsonl");
}

sc_status sc_dec_write_write_ins(const sc_decrypt_job *job, const char *record)
{
    return write_lines(job, SC_DEC_DATA, record, "write_ins.jsonl");
}
