/* Scrutin: plaintext ballots (the draft's VoterSelectionsPlaintext;
 * docs/RECORD.md "Plaintext ballots"). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "scrutin/record.h"
#include "scrutin/ballot.h"
#include "scrutin/contest_data.h"
#include "scrutin/core.h"

static size_t contest_offset(const sc_manifest *m, uint32_t ind_c)
{
    size_t off = 0;
    for (uint32_t k = 1; k < ind_c; k++) {
        off += m->contests[k - 1].n_options;
    }
    return off;
}

const char *const *sc_plain_ballot_write_ins(const sc_plain_ballot *p,
                                             const sc_manifest *m,
                                             uint32_t ind_c)
{
    if (p->write_ins == NULL || ind_c < 1 || ind_c > m->n_contests) {
        return NULL;
    }
    return (const char *const *)p->write_ins + contest_offset(m, ind_c);
}

void sc_plain_ballot_free(sc_plain_ballot *b)
{
    if (b == NULL) {
        return;
    }
    free(b->id);
    free(b->device);
    if (b->values != NULL) {
        sc_wipe(b->values, b->n_values * sizeof *b->values);
        free(b->values);
    }
    free(b->selections);
    if (b->write_ins != NULL) {
        for (size_t k = 0; k < b->n_values; k++) {
            if (b->write_ins[k] != NULL) {
                sc_wipe(b->write_ins[k], strlen(b->write_ins[k]));
                free(b->write_ins[k]);
            }
        }
        free(b->write_ins);
    }
    free(b);
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

/* Strict decimal 1..2^31-1 without leading zeros or signs. */
static int parse_index(const char *s, uint32_t *out)
{
    uint64_t x = 0;
    if (s[0] < '1' || s[0] > '9') {
        return 0;
    }
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') {
            return 0;
        }
        x = x * 10 + (uint64_t)(*p - '0');
        if (x > SC_LIMIT_MAX) {
            return 0;
        }
    }
    *out = (uint32_t)x;
    return 1;
}

/* "write_ins": {"<ind_o>": "text"} of one contest: each a write-in option
 * of the manifest with a non-zero value, non-empty text, and all of it
 * fitting the contest data (checked by encoding it). */
static sc_status parse_write_ins(sc_jctx *ctx, const sc_manifest_contest *c,
                                 const json_t *wi, const char *field,
                                 const uint32_t *sel, sc_plain_ballot *b,
                                 size_t off)
{
    sc_status rc = SC_OK;
    char name[160];
    uint8_t *D = NULL;
    snprintf(name, sizeof name, "%s.write_ins", field);
    SC_ENSURE(json_is_object(wi),
              sc_jctx_fail(ctx, SC_E_INVALID_JSON, name,
                           "expected {\"<option index>\": \"text\"}"));
    if (b->write_ins == NULL) {
        b->write_ins = calloc(b->n_values, sizeof *b->write_ins);
        SC_ENSURE(b->write_ins != NULL, SC_E_NOMEM);
    }
    const char *key;
    json_t *val;
    json_t *w;
    memcpy(&w, &wi, sizeof w); /* jansson's iterator is not const */
    json_object_foreach(w, key, val)
    {
        uint32_t j;
        snprintf(name, sizeof name, "%s.write_ins.%.40s", field, key);
        SC_ENSURE(parse_index(key, &j) && j <= c->n_real &&
                      c->options[j - 1].write_in,
                  sc_jctx_fail(ctx, SC_E_INVALID, name,
                               "not a write-in option of the contest"));
        SC_ENSURE(
            json_is_string(val) && json_string_length(val) > 0 &&
                strlen(json_string_value(val)) == json_string_length(val),
            sc_jctx_fail(ctx, SC_E_INVALID, name, "expected non-empty text"));
        SC_ENSURE(sel[j - 1] > 0,
                  sc_jctx_fail(ctx, SC_E_INVALID, name,
                               "text for a write-in option that is not "
                               "selected"));
        b->write_ins[off + j - 1] = xstrdup(json_string_value(val));
        SC_ENSURE(b->write_ins[off + j - 1] != NULL, SC_E_NOMEM);
    }
    D = malloc(32 * (size_t)c->data_blocks);
    SC_ENSURE(D != NULL, SC_E_NOMEM);
    rc = sc_contest_data_encode(c, sel, (const char *const *)b->write_ins + off,
                                D);
    sc_wipe(D, 32 * (size_t)c->data_blocks);
    snprintf(name, sizeof name, "%s.write_ins", field);
    SC_ENSURE(rc == SC_OK,
              sc_jctx_fail(ctx, SC_E_INVALID_LENGTH, name,
                           "the write-in text does not fit the contest's "
                           "%u blocks of contest data",
                           (unsigned)c->data_blocks));
done:
    free(D);
    return rc;
}

sc_status sc_plain_ballot_from_json(sc_jctx *ctx, const sc_manifest *m,
                                    const sc_json *obj, sc_plain_ballot **out)
{
    static const char *const keys[] = {
        "id",        "style",  "device",       "contest_fields_plaintexts",
        "challenge", "weight", "ballot_state", "creation_date",
        NULL};
    sc_status rc = SC_OK;
    *out = NULL;
    sc_plain_ballot *b = calloc(1, sizeof *b);
    SC_ENSURE(b != NULL, SC_E_NOMEM);
    b->weight = 1;
    b->n_contests = m->n_contests;
    b->selections = calloc(m->n_contests, sizeof *b->selections);
    SC_ENSURE(b->selections != NULL, SC_E_NOMEM);
    b->n_values = sc_manifest_option_count(m);
    b->values = calloc(b->n_values, sizeof *b->values);
    SC_ENSURE(b->values != NULL, SC_E_NOMEM);
    SC_ENSURE(json_is_object(obj),
              sc_jctx_fail(ctx, SC_E_INVALID_JSON, NULL,
                           "a ballot must be a JSON object"));
    {
        const char *key;
        json_t *val;
        json_t *o;
        memcpy(&o, &obj, sizeof o); /* jansson's iterator is not const */
        json_object_foreach(o, key, val)
        {
            (void)val;
            int ok = 0;
            for (size_t i = 0; keys[i] != NULL; i++) {
                ok |= strcmp(key, keys[i]) == 0;
            }
            SC_ENSURE(ok, sc_jctx_fail(ctx, SC_E_INVALID_JSON, key,
                                       "unknown property"));
        }
    }
    const char *id;
    SC_CHECK(sc_json_get_str(ctx, obj, "id", &id));
    SC_ENSURE(id[0] != '\0',
              sc_jctx_fail(ctx, SC_E_INVALID, "id", "empty ballot id"));
    SC_ENSURE(sc_label_ok(id),
              sc_jctx_fail(ctx, SC_E_INVALID, "id",
                           "control character in the ballot id"));
    b->id = xstrdup(id);
    SC_ENSURE(b->id != NULL, SC_E_NOMEM);

    json_t *st = json_object_get(obj, "style");
    SC_ENSURE(st != NULL,
              sc_jctx_fail(ctx, SC_E_INVALID_JSON, "style", "missing"));
    if (json_is_string(st)) {
        b->style = sc_manifest_style_find(m, json_string_value(st));
        SC_ENSURE(b->style != 0, sc_jctx_fail(ctx, SC_E_INVALID, "style",
                                              "no ballot style labelled \"%s\"",
                                              json_string_value(st)));
    } else {
        SC_CHECK(sc_json_as_u32(ctx, st, "style", &b->style));
        SC_ENSURE(b->style >= 1 && b->style <= m->n_styles,
                  sc_jctx_fail(ctx, SC_E_INVALID, "style",
                               "no ballot style %u (the manifest has "
                               "1..%zu)",
                               (unsigned)b->style, m->n_styles));
    }
    if (json_object_get(obj, "device") != NULL) {
        const char *dev;
        SC_CHECK(sc_json_get_str(ctx, obj, "device", &dev));
        b->device = xstrdup(dev);
        SC_ENSURE(b->device != NULL, SC_E_NOMEM);
    }
    if (json_object_get(obj, "challenge") != NULL) {
        SC_CHECK(sc_json_get_bool(ctx, obj, "challenge", &b->challenge));
    }
    if (json_object_get(obj, "weight") != NULL) {
        uint32_t w;
        SC_CHECK(sc_json_get_u32(ctx, obj, "weight", &w));
        SC_ENSURE(w >= 1, sc_jctx_fail(ctx, SC_E_INVALID_RANGE, "weight",
                                       "weights are integers >= 1"));
        b->weight = w;
    }
    json_t *cf = NULL;
    SC_CHECK(sc_json_get_obj(ctx, obj, "contest_fields_plaintexts", &cf));
    const char *key;
    json_t *val;
    json_object_foreach(cf, key, val)
    {
        char field[96];
        snprintf(field, sizeof field, "contest_fields_plaintexts.%.40s", key);
        uint32_t ind_c;
        SC_ENSURE(parse_index(key, &ind_c) && ind_c <= m->n_contests,
                  sc_jctx_fail(ctx, SC_E_INVALID, field,
                               "no contest with index \"%s\" in the "
                               "manifest (1..%zu)",
                               key, m->n_contests));
        SC_ENSURE(sc_manifest_style_has(m, b->style, ind_c),
                  sc_jctx_fail(ctx, SC_E_INVALID, field,
                               "contest %u is not on ballot style %u",
                               (unsigned)ind_c, (unsigned)b->style));
        const sc_manifest_contest *c = &m->contests[ind_c - 1];
        SC_ENSURE(json_is_object(val),
                  sc_jctx_fail(ctx, SC_E_INVALID_JSON, field,
                               "expected {\"field_values\": [...]}"));
        json_t *fv = json_object_get(val, "field_values");
        json_t *wi = json_object_get(val, "write_ins");
        SC_ENSURE(json_is_array(fv) &&
                      json_object_size(val) == 1 + (wi != NULL),
                  sc_jctx_fail(ctx, SC_E_INVALID_JSON, field,
                               "expected {\"field_values\": [...]} "
                               "(and \"write_ins\": {...})"));
        SC_ENSURE(json_array_size(fv) == c->n_real,
                  sc_jctx_fail(ctx, SC_E_INVALID, field,
                               "contest %u has %zu options, found %zu "
                               "field values",
                               (unsigned)ind_c, c->n_real,
                               json_array_size(fv)));
        size_t off = contest_offset(m, ind_c);
        uint32_t *sel = b->values + off;
        b->selections[ind_c - 1] = sel;
        for (size_t j = 0; j < c->n_real; j++) {
            char name[160];
            snprintf(name, sizeof name, "%s.field_values[%zu]", field, j);
            SC_CHECK(sc_json_as_u32(ctx, json_array_get(fv, j), name, &sel[j]));
            SC_ENSURE(sel[j] <= c->options[j].limit,
                      sc_jctx_fail(ctx, SC_E_INVALID_RANGE, name,
                                   "value %u is above the option's "
                                   "selection limit %u",
                                   (unsigned)sel[j],
                                   (unsigned)c->options[j].limit));
        }
        if (wi != NULL) {
            SC_CHECK(parse_write_ins(ctx, c, wi, field, sel, b, off));
        }
    }
    *out = b;
    b = NULL;
done:
    sc_plain_ballot_free(b);
    return rc;
}

sc_status sc_plain_ballot_parse(sc_jctx *ctx, const sc_manifest *m,
                                const char *text, size_t len,
                                sc_plain_ballot **out)
{
    sc_json *obj = NULL;
    *out = NULL;
    sc_status rc = sc_json_parse(ctx, text, len, &obj);
    if (rc != SC_OK) {
        return rc;
    }
    rc = sc_plain_ballot_from_json(ctx, m, obj, out);
    sc_json_free(obj);
    return rc;
}
