/* The verifier's own record reader (docs/RECORD.md): files, fixed-width
 * uppercase hex, the manifest and one ballot line. Written for the
 * verifier alone; it shares no code with the writers of the record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

#include "scrutin/ballot.h"
#include "scrutin/core.h"
#include "scrutin/files.h"

#define VR_MAX_FILE (1u << 30)

static void path_join(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

sc_status vr_load_file(const char *dir, const char *name, uint8_t **out,
                       size_t *len)
{
    char path[4096];
    path_join(path, sizeof path, dir, name);
    /* the one input reader (scrutin/files.h): regular files only,
     * capped; too large is "cannot read" here */
    return sc_input_read_file(path, VR_MAX_FILE, (char **)out, len);
}

sc_status vr_load_json(const char *dir, const char *name, json_t **out,
                       char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    json_error_t je;
    *out = NULL;
    sc_status rc = vr_load_file(dir, name, &buf, &len);
    if (rc != SC_OK) {
        snprintf(err, errlen, "cannot read %s: %s", name, sc_strerror(rc));
        return rc;
    }
    *out = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
    free(buf);
    if (*out == NULL) {
        snprintf(err, errlen, "%s is not valid JSON (line %d: %s)", name,
                 je.line, je.text);
        return SC_E_INVALID_JSON;
    }
    return SC_OK;
}

/* Digit values of uppercase hex, -1 for anything else (lowercase is
 * rejected: RECORD.md conventions). */
static const signed char k_hexval[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12,
    ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
}; /* value + 1: 0 marks a non-digit */

static int hexval(char ch)
{
    return k_hexval[(unsigned char)ch] - 1;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ &&    \
    GMP_LIMB_BITS == 64
#define HEX_SWAR 1
#define B8(x) (0x0101010101010101ull * (x))
/* The value of the 8 uppercase hex digits s[0..8) (s[0] the most
 * significant), in the low 32 bits; bit 32 set if one is not a digit.
 * Eight bytes at once: each < 0x80, so adding a constant below 0x80 to
 * every byte carries into no neighbour, and its top bit says whether the
 * byte reached a bound. */
static uint64_t hex8(const char *s)
{
    uint64_t x;
    memcpy(&x, s, 8); /* byte i = s[i] */
    const uint64_t hi = B8(0x80);
    const uint64_t lo7 = x & ~hi;
    const uint64_t digit = (lo7 + B8(0x80 - '0')) & ~(lo7 + B8(0x80 - '9' - 1));
    const uint64_t af = (lo7 + B8(0x80 - 'A')) & ~(lo7 + B8(0x80 - 'F' - 1));
    const uint64_t ok = (digit | af) & hi & ~x; /* top bit per valid byte */
    /* nibble n_i = (s[i] & 15) + 9 for A-F, at byte i */
    uint64_t t = (x & B8(0x0f)) + ((af & hi) >> 7) * 9;
    /* pack: (n0 n1)(n2 n3)... into 16-bit lanes, then 32, then 64 */
    t = ((t & 0x00ff00ff00ff00ffull) << 4) | ((t >> 8) & 0x00ff00ff00ff00ffull);
    t = ((t & 0x0000ffff0000ffffull) << 8) |
        ((t >> 16) & 0x0000ffff0000ffffull);
    t = ((t & 0x00000000ffffffffull) << 16) | (t >> 32);
    return t | (uint64_t)(ok != hi) << 32;
}
#undef B8
#endif

static sc_status hex_check(const json_t *j, size_t nbytes, const char **s)
{
    if (!json_is_string(j)) {
        return SC_E_INVALID;
    }
    *s = json_string_value(j);
    if (json_string_length(j) != 2 * nbytes) {
        return SC_E_INVALID_LENGTH;
    }
    return SC_OK;
}

sc_status vr_hex_mpz(mpz_t out, const json_t *j, size_t nbytes)
{
    const char *s = NULL;
    sc_status rc = hex_check(j, nbytes, &s);
    if (rc != SC_OK) {
        return rc;
    }
    /* checked and converted in one pass, 16 digits to a limb from the
     * end (a ballot has thousands of these: issue 13 item 2) */
    const size_t nd = 2 * nbytes;
    const size_t per = 2 * sizeof(mp_limb_t);
    const size_t nl = (nd + per - 1) / per;
    mp_limb_t *l = mpz_limbs_write(out, nl ? (mp_size_t)nl : 1);
    int bad = 0;
    for (size_t i = 0; i < nl; i++) {
        size_t end = nd - i * per;
        size_t beg = end > per ? end - per : 0;
        mp_limb_t v = 0;
#ifdef HEX_SWAR
        if (end - beg == per) {
            uint64_t h0 = hex8(s + beg), h1 = hex8(s + beg + 8);
            bad |= -(int)((h0 | h1) >> 32);
            l[i] = (h0 & 0xffffffffu) << 32 | (h1 & 0xffffffffu);
            continue;
        }
#endif
        for (size_t k = beg; k < end; k++) {
            int d = hexval(s[k]);
            bad |= d;
            v = v << 4 | (mp_limb_t)(d & 15);
        }
        l[i] = v;
    }
    if (bad < 0) {
        mpz_set_ui(out, 0);
        return SC_E_INVALID_HEX;
    }
    size_t n = nl;
    while (n > 0 && l[n - 1] == 0) {
        n--;
    }
    mpz_limbs_finish(out, (mp_size_t)n);
    return SC_OK;
}

sc_status vr_hex_bytes(uint8_t *out, const json_t *j, size_t nbytes)
{
    const char *s = NULL;
    sc_status rc = hex_check(j, nbytes, &s);
    if (rc != SC_OK) {
        return rc;
    }
    int bad = 0;
    for (size_t i = 0; i < 2 * nbytes; i++) {
        bad |= hexval(s[i]);
    }
    if (bad < 0) {
        return SC_E_INVALID_HEX; /* out untouched */
    }
    for (size_t i = 0; i < nbytes; i++) {
        out[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
    }
    return SC_OK;
}

sc_status vr_u32(const json_t *j, uint32_t *out)
{
    if (!json_is_integer(j)) {
        return SC_E_INVALID;
    }
    json_int_t v = json_integer_value(j);
    if (v < 0 || v >= ((json_int_t)1 << 31)) {
        return SC_E_INVALID_RANGE;
    }
    *out = (uint32_t)v;
    return SC_OK;
}

const char *vr_what(sc_status rc)
{
    switch ((unsigned)rc) {
    case SC_E_INVALID: return "missing or not of the expected JSON type";
    case SC_E_INVALID_LENGTH: return "wrong number of hex digits";
    case SC_E_INVALID_HEX: return "not uppercase hex";
    case SC_E_INVALID_RANGE: return "out of range";
    case SC_E_INVALID_JSON: return "not valid JSON";
    case SC_E_IO: return "cannot read";
    default: return sc_strerror(rc);
    }
}

/* ------------------------------------------------------------------ */
/* Manifest: labels and the effective selection limits of the 2.1
 * serialization draft ("Selection Limits"). */

#define VR_LIMIT_CONTEST 0xFFFFFFFFu /* "CONTEST_LIMIT" / "NO_LIMIT" */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static sc_status stated_limit(const json_t *o, const char *sym, uint32_t *out)
{
    const json_t *l = json_object_get(o, "selection_limit");
    if (l == NULL) {
        *out = 1;
        return SC_OK;
    }
    if (json_is_string(l) && strcmp(json_string_value(l), sym) == 0) {
        *out = VR_LIMIT_CONTEST;
        return SC_OK;
    }
    uint32_t v = 0;
    if (vr_u32(l, &v) != SC_OK || v < 1) {
        return SC_E_INVALID_RANGE;
    }
    *out = v;
    return SC_OK;
}

/* "supplemental" (§3.3.9, format 2): each of "undervote", "overvote",
 * "null_vote", "write_ins" at most once, appended as fields after the
 * options in that order, with limit 1 (indicators) or min(L, Σ R_j over
 * the write-in options) (the write-in count). */
static sc_status parse_supplemental(const json_t *c, vr_contest *vc,
                                    uint32_t ci, char *err, size_t errlen)
{
    static const char *const names[] = {NULL, "undervote", "overvote",
                                        "null_vote", "write_ins"};
    static const char *const labels[] = {NULL, "[undervote]", "[overvote]",
                                         "[null vote]", "[write-ins]"};
    const json_t *js = json_object_get(c, "supplemental");
    unsigned have = 0;
    if (js == NULL) {
        return SC_OK;
    }
    for (size_t i = 0; json_is_array(js) && i < json_array_size(js); i++) {
        const char *s = json_string_value(json_array_get(js, i));
        int k = 1;
        while (k <= 4 && (s == NULL || strcmp(s, names[k]) != 0)) {
            k++;
        }
        if (k > 4 || (have & (1u << k))) {
            snprintf(err, errlen,
                     "manifest contest %u: supplemental entry %zu is "
                     "unknown or repeated",
                     ci, i + 1);
            return SC_E_INVALID;
        }
        have |= 1u << k;
    }
    if (!json_is_array(js) || have == 0) {
        snprintf(err, errlen, "manifest contest %u: bad supplemental list", ci);
        return SC_E_INVALID;
    }
    uint64_t w = 0;
    int nwi = 0;
    for (uint32_t j = 0; j < vc->nreal; j++) {
        if (vc->opt[j].write_in) {
            w += vc->opt[j].limit;
            nwi++;
        }
    }
    if ((have & (1u << 4)) && nwi == 0) {
        snprintf(err, errlen,
                 "manifest contest %u: write_ins count without write-in "
                 "options",
                 ci);
        return SC_E_INVALID;
    }
    vr_option *no = realloc(vc->opt, (vc->nreal + 4) * sizeof *no);
    if (no == NULL) {
        return SC_E_NOMEM;
    }
    vc->opt = no;
    for (int k = 1; k <= 4; k++) {
        if (have & (1u << k)) {
            vr_option *o = &vc->opt[vc->nopt++];
            memset(o, 0, sizeof *o);
            o->label = vc_strdup(labels[k]);
            if (o->label == NULL) {
                return SC_E_NOMEM;
            }
            o->kind = k;
            o->limit = k == 4 ? (uint32_t)(w < vc->limit ? w : vc->limit) : 1;
        }
    }
    return SC_OK;
}

sc_status vr_manifest_parse(vr_manifest *m, const uint8_t *bytes, size_t len,
                            char *err, size_t errlen)
{
    sc_status rc = SC_OK;
    json_error_t je;
    memset(m, 0, sizeof *m);
    json_t *root =
        json_loadb((const char *)bytes, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        snprintf(err, errlen, "manifest is not valid JSON (%s)", je.text);
        return SC_E_INVALID_JSON;
    }
    const json_t *cs = json_object_get(root, "contests");
    const json_t *ss = json_object_get(root, "ballot_styles");
    if (!json_is_array(cs) || json_array_size(cs) == 0 || !json_is_array(ss) ||
        json_array_size(ss) == 0) {
        snprintf(err, errlen, "manifest has no contests or no styles");
        rc = SC_E_INVALID;
        goto done;
    }
    m->ncontests = (uint32_t)json_array_size(cs);
    m->c = calloc(m->ncontests, sizeof *m->c);
    SC_ENSURE(m->c != NULL, SC_E_NOMEM);
    for (uint32_t i = 0; i < m->ncontests; i++) {
        const json_t *c = json_array_get(cs, i);
        vr_contest *vc = &m->c[i];
        const json_t *lab = json_object_get(c, "label");
        const json_t *os = json_object_get(c, "options");
        if (!json_is_string(lab) || !json_is_array(os) ||
            json_array_size(os) == 0 ||
            stated_limit(c, "NO_LIMIT", &vc->limit) != SC_OK) {
            snprintf(err, errlen, "manifest contest %u is malformed", i + 1);
            rc = SC_E_INVALID;
            goto done;
        }
        vc->label = vc_strdup(json_string_value(lab));
        SC_ENSURE(vc->label != NULL, SC_E_NOMEM);
        vc->nopt = (uint32_t)json_array_size(os);
        vc->opt = calloc(vc->nopt, sizeof *vc->opt);
        SC_ENSURE(vc->opt != NULL, SC_E_NOMEM);
        vc->agg_base = m->nopt_total;
        m->nopt_total += vc->nopt;
        uint64_t sum = 0;
        int all_int = 1;
        for (uint32_t j = 0; j < vc->nopt; j++) {
            const json_t *o = json_array_get(os, j);
            const json_t *ol = json_object_get(o, "label");
            if (!json_is_string(ol) ||
                stated_limit(o, "CONTEST_LIMIT", &vc->opt[j].limit) != SC_OK) {
                snprintf(err, errlen,
                         "manifest contest %u option %u is malformed", i + 1,
                         j + 1);
                rc = SC_E_INVALID;
                goto done;
            }
            vc->opt[j].label = vc_strdup(json_string_value(ol));
            SC_ENSURE(vc->opt[j].label != NULL, SC_E_NOMEM);
            const json_t *wi = json_object_get(o, "write_in");
            if (wi != NULL && !json_is_true(wi)) {
                snprintf(err, errlen,
                         "manifest contest %u option %u: write_in is not "
                         "true",
                         i + 1, j + 1);
                rc = SC_E_INVALID;
                goto done;
            }
            vc->opt[j].write_in = wi != NULL;
            if (vc->opt[j].limit == VR_LIMIT_CONTEST) {
                all_int = 0;
                if (vc->limit == VR_LIMIT_CONTEST) {
                    snprintf(err, errlen,
                             "contest %u: NO_LIMIT with a CONTEST_LIMIT "
                             "option",
                             i + 1);
                    rc = SC_E_INVALID;
                    goto done;
                }
            } else {
                sum += vc->opt[j].limit;
            }
        }
        /* Effective limits: contest = min(stated, sum of option limits)
         * when all options are integers; option = min(stated, contest
         * limit) when the contest limit is an integer. */
        if (all_int && (vc->limit == VR_LIMIT_CONTEST || sum < vc->limit)) {
            vc->limit = sum > 0x7FFFFFFF ? 0x7FFFFFFF : (uint32_t)sum;
        }
        for (uint32_t j = 0; j < vc->nopt; j++) {
            if (vc->opt[j].limit == VR_LIMIT_CONTEST ||
                vc->opt[j].limit > vc->limit) {
                vc->opt[j].limit = vc->limit;
            }
        }
        /* format 2: contest data length b_Λ in 32-byte blocks (eq 66:
         * b_Λ < 2^24) */
        const json_t *db = json_object_get(c, "contest_data_blocks");
        if (db != NULL) {
            if (vr_u32(db, &vc->data_blocks) != SC_OK || vc->data_blocks < 1 ||
                vc->data_blocks >= (1u << 24)) {
                snprintf(err, errlen,
                         "manifest contest %u: contest_data_blocks is not "
                         "in 1..2^24-1",
                         i + 1);
                rc = SC_E_INVALID_RANGE;
                goto done;
            }
        }
        vc->nreal = vc->nopt;
        if (parse_supplemental(c, vc, i + 1, err, errlen) != SC_OK) {
            rc = SC_E_INVALID;
            goto done;
        }
        m->nopt_total += vc->nopt - vc->nreal;
        /* "read_write_ins" (docs/RECORD.md "Reading write-ins"): only with
         * the write-in count field, which says which ballots are read */
        const json_t *rw = json_object_get(c, "read_write_ins");
        if (rw != NULL) {
            int has_w = vc->nopt > vc->nreal && vc->opt[vc->nopt - 1].kind == 4;
            if (!json_is_true(rw) || !has_w || vc->data_blocks == 0) {
                snprintf(err, errlen,
                         "manifest contest %u: read_write_ins needs true, "
                         "contest data and the write_ins field",
                         i + 1);
                rc = SC_E_INVALID;
                goto done;
            }
            vc->read_write_ins = 1;
        }
        if (vc->limit > 1000) { /* proofs have L+1 entries: be sane */
            snprintf(err, errlen, "contest %u: selection limit %u too large",
                     i + 1, vc->limit);
            rc = SC_E_INVALID_RANGE;
            goto done;
        }
    }
    m->nstyles = (uint32_t)json_array_size(ss);
    m->s = calloc(m->nstyles, sizeof *m->s);
    SC_ENSURE(m->s != NULL, SC_E_NOMEM);
    for (uint32_t i = 0; i < m->nstyles; i++) {
        const json_t *s = json_array_get(ss, i);
        const json_t *lab = json_object_get(s, "label");
        const json_t *sc = json_object_get(s, "contests");
        if (!json_is_string(lab) || !json_is_array(sc)) {
            snprintf(err, errlen, "manifest style %u is malformed", i + 1);
            rc = SC_E_INVALID;
            goto done;
        }
        m->s[i].label = vc_strdup(json_string_value(lab));
        SC_ENSURE(m->s[i].label != NULL, SC_E_NOMEM);
        m->s[i].n = (uint32_t)json_array_size(sc);
        m->s[i].contests = calloc(m->s[i].n + 1, sizeof(uint32_t));
        SC_ENSURE(m->s[i].contests != NULL, SC_E_NOMEM);
        for (uint32_t j = 0; j < m->s[i].n; j++) {
            uint32_t ci = 0;
            if (vr_u32(json_array_get(sc, j), &ci) != SC_OK || ci < 1 ||
                ci > m->ncontests) {
                snprintf(err, errlen,
                         "manifest style %u names contest %u, not in the "
                         "manifest",
                         i + 1, ci);
                rc = SC_E_INVALID;
                goto done;
            }
            m->s[i].contests[j] = ci;
        }
        /* Ballots list a style's contests in manifest order. */
        qsort(m->s[i].contests, m->s[i].n, sizeof(uint32_t), cmp_u32);
        for (uint32_t j = 1; j < m->s[i].n; j++) {
            if (m->s[i].contests[j] == m->s[i].contests[j - 1]) {
                snprintf(err, errlen,
                         "manifest style %u names contest %u "
                         "twice",
                         i + 1, m->s[i].contests[j]);
                rc = SC_E_INVALID;
                goto done;
            }
        }
    }
done:
    json_decref(root);
    if (rc != SC_OK) {
        vr_manifest_free(m);
    }
    return rc;
}

void vr_manifest_free(vr_manifest *m)
{
    if (m->c != NULL) {
        for (uint32_t i = 0; i < m->ncontests; i++) {
            if (m->c[i].opt != NULL) {
                for (uint32_t j = 0; j < m->c[i].nopt; j++) {
                    free(m->c[i].opt[j].label);
                }
            }
            free(m->c[i].opt);
            free(m->c[i].label);
        }
    }
    if (m->s != NULL) {
        for (uint32_t i = 0; i < m->nstyles; i++) {
            free(m->s[i].label);
            free(m->s[i].contests);
        }
    }
    free(m->c);
    free(m->s);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------ */
/* One ballot. */

static void mpz_array_free(mpz_t *a, size_t n)
{
    if (a != NULL) {
        for (size_t i = 0; i < n; i++) {
            mpz_clear(a[i]);
        }
        free(a);
    }
}

static mpz_t *mpz_array_new(size_t n)
{
    mpz_t *a = calloc(n ? n : 1, sizeof *a);
    if (a != NULL) {
        for (size_t i = 0; i < n; i++) {
            mpz_init(a[i]);
        }
    }
    return a;
}

void vr_ballot_free(vr_ballot *b)
{
    if (b->c != NULL) {
        for (uint32_t i = 0; i < b->nc; i++) {
            vr_bcontest *c = &b->c[i];
            if (c->f != NULL) {
                for (uint32_t j = 0; j < c->nf; j++) {
                    mpz_clear(c->f[j].alpha);
                    mpz_clear(c->f[j].beta);
                    mpz_array_free(c->f[j].c, c->f[j].n);
                    mpz_array_free(c->f[j].v, c->f[j].n);
                }
            }
            free(c->f);
            for (size_t k = 0; k < c->nrel; k++) {
                mpz_array_free(c->rel_c[k], c->rel_n[k]);
                mpz_array_free(c->rel_v[k], c->rel_n[k]);
            }
            free(c->rel_c);
            free(c->rel_v);
            free(c->rel_n);
            mpz_array_free(c->lc, c->nl);
            mpz_array_free(c->lv, c->nl);
            if (c->has_data) {
                mpz_clears(c->cd_c0, c->cd_c, c->cd_v, NULL);
                free(c->cd_c1);
            }
        }
        free(b->c);
    }
    mpz_clear(b->bn_c0);
    mpz_clear(b->bn_c);
    mpz_clear(b->bn_v);
    memset(b, 0, sizeof *b);
}

/* A proof {"c":[...],"v":[...]} with exactly n entries of each. */
static sc_status decode_proof(const vr_ctx *ctx, const json_t *p, size_t n,
                              mpz_t **c, mpz_t **v, const char **bad)
{
    const json_t *jc = json_object_get(p, "c");
    const json_t *jv = json_object_get(p, "v");
    *c = mpz_array_new(n);
    *v = mpz_array_new(n);
    if (*c == NULL || *v == NULL) {
        return SC_E_NOMEM;
    }
    if (!json_is_array(jc) || !json_is_array(jv)) {
        *bad = "proof c/v";
        return SC_E_INVALID;
    }
    if (json_array_size(jc) != n || json_array_size(jv) != n) {
        *bad = "number of proof challenges/responses";
        return SC_E_INVALID_RANGE;
    }
    for (size_t i = 0; i < n; i++) {
        sc_status rc = vr_hex_mpz((*c)[i], json_array_get(jc, i), ctx->grp->lq);
        if (rc == SC_OK) {
            rc = vr_hex_mpz((*v)[i], json_array_get(jv, i), ctx->grp->lq);
        }
        if (rc != SC_OK) {
            *bad = "proof value";
            return rc;
        }
    }
    return SC_OK;
}

sc_status vr_ballot_decode(vr_ctx *ctx, const json_t *j, vr_ballot *b)
{
    sc_status rc = SC_OK;
    const char *bad = NULL;
    const char *step = "V5"; /* where an unreadable value is charged */
    const json_t *x;
    const size_t lp = ctx->grp->lp;
    memset(b, 0, sizeof *b);
    mpz_init(b->bn_c0);
    mpz_init(b->bn_c);
    mpz_init(b->bn_v);
    b->weight = 1;

    x = json_object_get(j, "id");
    snprintf(b->label, sizeof b->label, "%s",
             json_is_string(x) ? json_string_value(x) : "?");
    x = json_object_get(j, "state");
    if (json_is_string(x) && strcmp(json_string_value(x), "Cast") == 0) {
        b->challenged = 0;
    } else if (json_is_string(x) &&
               strcmp(json_string_value(x), "Challenged") == 0) {
        b->challenged = 1;
    } else {
        bad = "state";
        rc = SC_E_INVALID;
        goto done;
    }
    bad = "style/device/sequence";
    SC_CHECK(vr_u32(json_object_get(j, "style"), &b->style));
    SC_CHECK(vr_u32(json_object_get(j, "device"), &b->device));
    SC_CHECK(vr_u32(json_object_get(j, "sequence"), &b->sequence));
    x = json_object_get(j, "weight");
    if (x != NULL) {
        bad = "weight";
        SC_CHECK(vr_u32(x, &b->weight));
        SC_ENSURE(b->weight >= 1, SC_E_INVALID_RANGE);
    }
    /* S1.J: the encryption time (§3.7), where given, has its one form;
     * it is covered by no hash (docs/RECORD.md) */
    x = json_object_get(j, "encrypted_at");
    if (x != NULL && !sc_time_ok(json_string_value(x))) {
        sc_report_fail(ctx->rep, "S1.J", b->label,
                       "encrypted_at is not a UTC time YYYY-MM-DDTHH:MM:SSZ");
    }
    bad = "selection_encryption_identifier";
    SC_CHECK(vr_hex_bytes(
        b->idb, json_object_get(j, "selection_encryption_identifier"), 32));
    bad = "h_i";
    SC_CHECK(vr_hex_bytes(b->hi, json_object_get(j, "h_i"), 32));
    step = "V8";
    bad = "chaining_field";
    SC_CHECK(
        vr_hex_bytes(b->bc, json_object_get(j, "chaining_field"), SC_BC_BYTES));
    bad = "confirmation_code";
    SC_CHECK(vr_hex_bytes(b->hc, json_object_get(j, "confirmation_code"), 32));
    step = "S2";
    bad = "ballot_nonce";
    const json_t *bn = json_object_get(j, "ballot_nonce");
    SC_CHECK(vr_hex_mpz(b->bn_c0, json_object_get(bn, "c0"), lp));
    SC_CHECK(vr_hex_bytes(b->bn_c1, json_object_get(bn, "c1"), 32));
    SC_CHECK(vr_hex_mpz(b->bn_c, json_object_get(bn, "c"), ctx->grp->lq));
    SC_CHECK(vr_hex_mpz(b->bn_v, json_object_get(bn, "v"), ctx->grp->lq));

    /* Shape against the manifest (S1.C): the style's contests, in order,
     * each with one field per option and the right proof sizes. */
    step = "V6";
    bad = "contests";
    const json_t *cs = json_object_get(j, "contests");
    SC_ENSURE(json_is_array(cs), SC_E_INVALID);
    if (b->style < 1 || b->style > ctx->man.nstyles) {
        sc_report_fail(ctx->rep, "S1.C", b->label,
                       "ballot style %u is not in the manifest", b->style);
        rc = SC_E_VERIFY;
        goto done;
    }
    const vr_style *st = &ctx->man.s[b->style - 1];
    if (json_array_size(cs) != st->n) {
        sc_report_fail(ctx->rep, "S1.C", b->label,
                       "%zu contests, style %u has %u", json_array_size(cs),
                       b->style, st->n);
        rc = SC_E_VERIFY;
        goto done;
    }
    b->c = calloc(st->n ? st->n : 1, sizeof *b->c);
    SC_ENSURE(b->c != NULL, SC_E_NOMEM);
    b->nc = st->n;
    for (uint32_t i = 0; i < st->n; i++) {
        const json_t *jc = json_array_get(cs, i);
        vr_bcontest *c = &b->c[i];
        step = "V6";
        bad = "contest index";
        SC_CHECK(vr_u32(json_object_get(jc, "index"), &c->index));
        if (c->index != st->contests[i]) {
            sc_report_fail(ctx->rep, "S1.C", b->label,
                           "contest %u at position %u, style %u lists "
                           "contest %u there",
                           c->index, i + 1, b->style, st->contests[i]);
            rc = SC_E_VERIFY;
            goto done;
        }
        const vr_contest *mc = &ctx->man.c[c->index - 1];
        const json_t *fs = json_object_get(jc, "fields");
        bad = "fields";
        SC_ENSURE(json_is_array(fs), SC_E_INVALID);
        if (json_array_size(fs) != mc->nopt) {
            sc_report_fail(ctx->rep, "S1.C", b->label,
                           "contest %u has %zu fields, the manifest %u "
                           "options",
                           c->index, json_array_size(fs), mc->nopt);
            rc = SC_E_VERIFY;
            goto done;
        }
        c->f = calloc(mc->nopt, sizeof *c->f);
        SC_ENSURE(c->f != NULL, SC_E_NOMEM);
        for (uint32_t o = 0; o < mc->nopt; o++) {
            mpz_init(c->f[o].alpha);
            mpz_init(c->f[o].beta);
            c->nf = o + 1;
            const json_t *jf = json_array_get(fs, o);
            bad = "alpha/beta";
            SC_CHECK(
                vr_hex_mpz(c->f[o].alpha, json_object_get(jf, "alpha"), lp));
            SC_CHECK(vr_hex_mpz(c->f[o].beta, json_object_get(jf, "beta"), lp));
            c->f[o].n = (size_t)mc->opt[o].limit + 1;
            rc = decode_proof(ctx, json_object_get(jf, "proof"), c->f[o].n,
                              &c->f[o].c, &c->f[o].v, &bad);
            if (rc == SC_E_INVALID_RANGE) {
                sc_report_fail(ctx->rep, "S1.C", b->label,
                               "contest %u option %u: range proof has %zu "
                               "entries, R + 1 = %zu",
                               c->index, o + 1,
                               json_array_size(json_object_get(
                                   json_object_get(jf, "proof"), "c")),
                               c->f[o].n);
                rc = SC_E_VERIFY;
                goto done;
            }
            SC_CHECK(rc);
        }
        step = "V7";
        c->nl = (size_t)mc->limit + 1;
        const json_t *lpf = json_object_get(jc, "limit_proof");
        uint64_t sum_r = 0;
        c->nreal = mc->nreal;
        for (uint32_t o = 0; o < mc->nreal; o++) {
            sum_r += mc->opt[o].limit;
        }
        if (lpf == NULL && mc->limit >= sum_r) {
            /* AMBIGUITIES 8 (footnote 39): the limit proof may be omitted
             * when L >= Σ R_j, the limit then follows from the range
             * proofs. */
            c->nl = 0;
        }
        rc = c->nl == 0 ? SC_OK
                        : decode_proof(ctx, lpf, c->nl, &c->lc, &c->lv, &bad);
        if (rc == SC_E_INVALID_RANGE) {
            sc_report_fail(ctx->rep, "S1.C", b->label,
                           "contest %u: limit proof has %zu entries, "
                           "L + 1 = %zu",
                           c->index, json_array_size(json_object_get(lpf, "c")),
                           c->nl);
            rc = SC_E_VERIFY;
            goto done;
        }
        SC_CHECK(rc);
        /* Relation proofs of the supplemental fields (§3.3.9): one per
         * field, R' + 1 entries each (S1.C). */
        if (mc->nopt > mc->nreal) {
            const json_t *rs = json_object_get(jc, "supplemental_proofs");
            c->nrel = mc->nopt - mc->nreal;
            c->rel_n = calloc(c->nrel, sizeof *c->rel_n);
            c->rel_c = calloc(c->nrel, sizeof *c->rel_c);
            c->rel_v = calloc(c->nrel, sizeof *c->rel_v);
            SC_ENSURE(c->rel_n != NULL && c->rel_c != NULL && c->rel_v != NULL,
                      SC_E_NOMEM);
            if (!json_is_array(rs) || json_array_size(rs) != c->nrel) {
                sc_report_fail(ctx->rep, "S1.C", b->label,
                               "contest %u: %zu supplemental proofs, the "
                               "manifest has %zu supplemental fields",
                               c->index, json_array_size(rs), c->nrel);
                c->nrel = 0;
                rc = SC_E_VERIFY;
                goto done;
            }
            for (size_t k = 0; k < c->nrel; k++) {
                c->rel_n[k] =
                    (size_t)vr_supp_range(mc, mc->opt[mc->nreal + k].kind) + 1;
                rc = decode_proof(ctx, json_array_get(rs, k), c->rel_n[k],
                                  &c->rel_c[k], &c->rel_v[k], &bad);
                if (rc == SC_E_INVALID_RANGE) {
                    sc_report_fail(ctx->rep, "S1.C", b->label,
                                   "contest %u: supplemental proof %zu has "
                                   "the wrong number of entries (R' + 1 = "
                                   "%zu)",
                                   c->index, k + 1, c->rel_n[k]);
                    rc = SC_E_VERIFY;
                    goto done;
                }
                SC_CHECK(rc);
            }
        }
        /* Contest data (format 2, eq 67-69): present exactly where the
         * manifest asks for it, with C_1 of 32 b_Λ bytes (S1.C). */
        const json_t *cd = json_object_get(jc, "contest_data");
        if ((cd != NULL) != (mc->data_blocks != 0)) {
            sc_report_fail(ctx->rep, "S1.C", b->label,
                           cd != NULL ? "contest %u carries contest data, the "
                                        "manifest asks for none"
                                      : "contest %u has no contest data, the "
                                        "manifest asks for it",
                           c->index);
            rc = SC_E_VERIFY;
            goto done;
        }
        if (cd != NULL) {
            const json_t *c1 = json_object_get(cd, "c1");
            size_t want = 2 * 32 * (size_t)mc->data_blocks;
            mpz_inits(c->cd_c0, c->cd_c, c->cd_v, NULL);
            c->has_data = 1;
            if (json_is_string(c1) && json_string_length(c1) != want) {
                sc_report_fail(ctx->rep, "S1.C", b->label,
                               "contest %u: contest data C_1 has %zu hex "
                               "digits, the manifest's %u blocks need %zu",
                               c->index, json_string_length(c1),
                               mc->data_blocks, want);
                rc = SC_E_VERIFY;
                goto done;
            }
            step = "S5";
            bad = "contest_data";
            c->cd_len = 32 * (size_t)mc->data_blocks;
            c->cd_c1 = malloc(c->cd_len);
            SC_ENSURE(c->cd_c1 != NULL, SC_E_NOMEM);
            SC_CHECK(vr_hex_mpz(c->cd_c0, json_object_get(cd, "c0"), lp));
            SC_CHECK(vr_hex_bytes(c->cd_c1, c1, c->cd_len));
            SC_CHECK(
                vr_hex_mpz(c->cd_c, json_object_get(cd, "c"), ctx->grp->lq));
            SC_CHECK(
                vr_hex_mpz(c->cd_v, json_object_get(cd, "v"), ctx->grp->lq));
        }
        step = "V8";
        bad = "contest_hash";
        SC_CHECK(vr_hex_bytes(c->chi, json_object_get(jc, "contest_hash"), 32));
    }
done:
    if (rc != SC_OK && rc != SC_E_VERIFY && rc != SC_E_NOMEM) {
        if (b->challenged && strcmp(step, "V6") == 0) {
            step = "S3";
        } else if (b->challenged && strcmp(step, "V7") == 0) {
            step = "S4";
        }
        sc_report_error(ctx->rep, step, b->label, "%s: %s", bad ? bad : "value",
                        vr_what(rc));
    }
    return rc;
}

int vr_in_zq(const vr_ctx *ctx, const mpz_t x)
{
    return mpz_sgn(x) >= 0 && mpz_cmp(x, ctx->grp->q) < 0;
}
