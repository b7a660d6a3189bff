/* Scrutin: manifest parsing, validation, effective limits and the canonical
 * form hashed into H_B (eq 5; AMBIGUITIES 9; docs/RECORD.md). */
#include "scrutin/manifest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "scrutin/contest_data.h"
#include "scrutin/json.h"

typedef struct perr {
    const char *file;
    char *buf;
    size_t len;
} perr;

__attribute__((format(printf, 3, 4))) static sc_status
fail(perr *e, const char *field, const char *fmt, ...)
{
    if (e->buf != NULL && e->len > 0) {
        char what[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        const char *f = e->file != NULL ? e->file : "manifest";
        if (field != NULL) {
            snprintf(e->buf, e->len, "%s: field %s: %s", f, field, what);
        } else {
            snprintf(e->buf, e->len, "%s: %s", f, what);
        }
    }
    return SC_E_INVALID;
}

/* ---- labels ---- */

/* Decode one UTF-8 code point (input is valid UTF-8: jansson checks). */
static uint32_t utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    size_t n = 1;
    if (c >= 0xF0) {
        c = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
            ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        n = 4;
    } else if (c >= 0xE0) {
        c = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        n = 3;
    } else if (c >= 0xC0) {
        c = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        n = 2;
    }
    *p = s + n;
    return c;
}

static int is_space(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Labels (draft "Labels and Name-type text fields"): non-empty, no
 * leading/trailing white space, no two white-space characters in a row,
 * no no-break spaces, no control characters. A single line break (LF)
 * between words is accepted: the draft's own example uses it in option
 * labels ("Name\n(Party)"). */
static sc_status check_label(perr *e, const char *field, const char *s)
{
    if (s[0] == '\0') {
        return fail(e, field, "empty label");
    }
    const unsigned char *p = (const unsigned char *)s;
    int prev_space = 1; /* at the start: leading space is an error */
    uint32_t c = 0;
    size_t idx = 0;
    while (*p != '\0') {
        c = utf8_next(&p);
        idx++;
        if (c == 0xA0 || c == 0x202F) {
            return fail(e, field, "label contains a no-break space");
        }
        if ((c < 0x20 && c != '\n') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
            return fail(e, field, "label contains control character U+%04X",
                        (unsigned)c);
        }
        if (c == 0x2028 || c == 0x2029 || c == 0x85 || c == '\r' || c == '\v' ||
            c == '\f') {
            return fail(e, field,
                        "label contains a line break other than "
                        "a single LF");
        }
        int sp = is_space(c);
        if (sp && prev_space) {
            return fail(e, field,
                        idx == 1 ? "label starts with white space"
                                 : "label contains two white-space characters "
                                   "in a row");
        }
        prev_space = sp;
    }
    if (prev_space) {
        return fail(e, field, "label ends with white space");
    }
    return SC_OK;
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

static sc_status get_label(perr *e, json_t *obj, const char *field, char **out)
{
    json_t *v = json_object_get(obj, "label");
    char name[256];
    snprintf(name, sizeof name, "%slabel", field);
    if (v == NULL) {
        return fail(e, name, "missing");
    }
    if (!json_is_string(v)) {
        return fail(e, name, "expected a string");
    }
    sc_status rc = check_label(e, name, json_string_value(v));
    if (rc != SC_OK) {
        return rc;
    }
    *out = xstrdup(json_string_value(v));
    return *out != NULL ? SC_OK : SC_E_NOMEM;
}

static sc_status check_keys(perr *e, json_t *obj, const char *field,
                            const char *const *allowed)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        (void)val;
        int ok = 0;
        for (size_t i = 0; allowed[i] != NULL; i++) {
            if (strcmp(key, allowed[i]) == 0) {
                ok = 1;
            }
        }
        if (!ok) {
            char name[256];
            snprintf(name, sizeof name, "%s%s", field, key);
            return fail(e, name, "unknown property");
        }
    }
    return SC_OK;
}

/* A limit: integer 1..2^31-1, or the given keyword (-> 0), or absent
 * (-> 1). */
static sc_status get_limit(perr *e, json_t *obj, const char *field,
                           const char *keyword, const char *other_keyword,
                           uint32_t *out)
{
    json_t *v = json_object_get(obj, "selection_limit");
    char name[256];
    snprintf(name, sizeof name, "%sselection_limit", field);
    if (v == NULL) {
        *out = 1;
        return SC_OK;
    }
    if (json_is_string(v)) {
        if (strcmp(json_string_value(v), keyword) == 0) {
            *out = 0;
            return SC_OK;
        }
        if (strcmp(json_string_value(v), other_keyword) == 0) {
            return fail(e, name, "\"%s\" is not allowed here (only \"%s\")",
                        other_keyword, keyword);
        }
        return fail(e, name, "expected an integer or \"%s\"", keyword);
    }
    if (!json_is_integer(v)) {
        return fail(e, name, "expected an integer or \"%s\"", keyword);
    }
    json_int_t x = json_integer_value(v);
    if (x < 1 || x > (json_int_t)SC_LIMIT_MAX) {
        return fail(e, name, "%lld is out of range 1..2147483647",
                    (long long)x);
    }
    *out = (uint32_t)x;
    return SC_OK;
}

/* ---- canonical form ---- */

typedef struct buf {
    uint8_t *p;
    size_t len, cap;
    int oom;
} buf;

static void put(buf *b, const void *d, size_t n)
{
    if (b->oom) {
        return;
    }
    if (b->len + n > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->len + n) {
            nc *= 2;
        }
        uint8_t *np = realloc(b->p, nc);
        if (np == NULL) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A JSON string: only '"', '\\' and control characters are escaped;
 * \n and \t short forms, others \u00XX (uppercase). UTF-8 as is. */
static void put_jstr(buf *b, const char *s)
{
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '"') {
            put(b, "\\\"", 2);
        } else if (c == '\\') {
            put(b, "\\\\", 2);
        } else if (c == '\n') {
            put(b, "\\n", 2);
        } else if (c == '\t') {
            put(b, "\\t", 2);
        } else if (c < 0x20) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)c);
            put(b, esc, 6);
        } else {
            put(b, p, 1);
        }
    }
    put(b, "\"", 1);
}

static void put_limit(buf *b, uint32_t stated, const char *keyword)
{
    if (stated == 1) {
        return;
    }
    puts_(b, ",\"selection_limit\":");
    if (stated == 0) {
        put_jstr(b, keyword);
    } else {
        char num[16];
        snprintf(num, sizeof num, "%u", (unsigned)stated);
        puts_(b, num);
    }
}

static const char *const k_supp_names[] = {NULL, "undervote", "overvote",
                                           "null_vote", "write_ins"};
static const char *const k_supp_labels[] = {NULL, "[undervote]", "[overvote]",
                                            "[null vote]", "[write-ins]"};

static sc_status canonicalize(sc_manifest *m)
{
    buf b = {0};
    puts_(&b, "{\"label\":");
    put_jstr(&b, m->label);
    puts_(&b, ",\"contests\":[");
    for (size_t i = 0; i < m->n_contests; i++) {
        const sc_manifest_contest *c = &m->contests[i];
        puts_(&b, i ? ",{\"label\":" : "{\"label\":");
        put_jstr(&b, c->label);
        put_limit(&b, c->stated, "NO_LIMIT");
        puts_(&b, ",\"options\":[");
        for (size_t j = 0; j < c->n_real; j++) {
            puts_(&b, j ? ",{\"label\":" : "{\"label\":");
            put_jstr(&b, c->options[j].label);
            put_limit(&b, c->options[j].stated, "CONTEST_LIMIT");
            if (c->options[j].write_in) {
                puts_(&b, ",\"write_in\":true");
            }
            puts_(&b, "}");
        }
        puts_(&b, "]");
        if (c->data_blocks != 0) {
            char num[48];
            snprintf(num, sizeof num, ",\"contest_data_blocks\":%u",
                     (unsigned)c->data_blocks);
            puts_(&b, num);
        }
        if (c->supp != 0) {
            puts_(&b, ",\"supplemental\":[");
            int first = 1;
            for (int kd = SC_SUPP_UNDERVOTE; kd <= SC_SUPP_WRITE_INS; kd++) {
                if (c->supp & (1u << kd)) {
                    puts_(&b, first ? "" : ",");
                    put_jstr(&b, k_supp_names[kd]);
                    first = 0;
                }
            }
            puts_(&b, "]");
        }
        if (c->read_write_ins) {
            puts_(&b, ",\"read_write_ins\":true");
        }
        puts_(&b, "}");
    }
    puts_(&b, "],\"ballot_styles\":[");
    for (size_t i = 0; i < m->n_styles; i++) {
        const sc_manifest_style *s = &m->styles[i];
        puts_(&b, i ? ",{\"label\":" : "{\"label\":");
        put_jstr(&b, s->label);
        puts_(&b, ",\"contests\":[");
        for (size_t j = 0; j < s->n_contests; j++) {
            char num[16];
            snprintf(num, sizeof num, j ? ",%u" : "%u",
                     (unsigned)s->contests[j]);
            puts_(&b, num);
        }
        puts_(&b, "]}");
    }
    puts_(&b, "]}");
    if (b.oom) {
        free(b.p);
        return SC_E_NOMEM;
    }
    m->canonical = b.p;
    m->canonical_len = b.len;
    return SC_OK;
}

/* ---- parse ---- */

void sc_manifest_free(sc_manifest *m)
{
    if (m == NULL) {
        return;
    }
    free(m->label);
    for (size_t i = 0; i < m->n_contests; i++) {
        sc_manifest_contest *c = &m->contests[i];
        free(c->label);
        for (size_t j = 0; j < c->n_options; j++) {
            free(c->options[j].label);
        }
        free(c->options);
    }
    free(m->contests);
    for (size_t i = 0; i < m->n_styles; i++) {
        free(m->styles[i].label);
        free(m->styles[i].contests);
    }
    free(m->styles);
    free(m->canonical);
    free(m);
}

/* "supplemental": [...] (§3.3.9): known names, each once; appended to
 * the options as fields with their limits (indicators 1, the write-in
 * count min(L, sum of the write-in options' R)). Runs after the effective
 * limits of the options are known. */
static sc_status parse_supplemental(perr *e, json_t *jc, const char *field,
                                    sc_manifest_contest *c)
{
    json_t *js = json_object_get(jc, "supplemental");
    char name[256];
    snprintf(name, sizeof name, "%ssupplemental", field);
    if (js == NULL) {
        return SC_OK;
    }
    if (!json_is_array(js) || json_array_size(js) == 0) {
        return fail(e, name, "expected a non-empty array of names");
    }
    for (size_t i = 0; i < json_array_size(js); i++) {
        json_t *v = json_array_get(js, i);
        int kd = 0;
        for (int k = SC_SUPP_UNDERVOTE; k <= SC_SUPP_WRITE_INS; k++) {
            if (json_is_string(v) &&
                strcmp(json_string_value(v), k_supp_names[k]) == 0) {
                kd = k;
            }
        }
        if (kd == 0) {
            return fail(e, name,
                        "entry %zu: expected \"undervote\", \"overvote\", "
                        "\"null_vote\" or \"write_ins\"",
                        i);
        }
        if (c->supp & (1u << kd)) {
            return fail(e, name, "\"%s\" is listed twice", k_supp_names[kd]);
        }
        if (kd == SC_SUPP_WRITE_INS && c->n_write_ins == 0) {
            return fail(e, name,
                        "\"write_ins\" in a contest without write-in "
                        "options");
        }
        c->supp |= 1u << kd;
    }
    size_t ns = json_array_size(js);
    sc_manifest_option *no =
        realloc(c->options, (c->n_real + ns) * sizeof *c->options);
    if (no == NULL) {
        return SC_E_NOMEM;
    }
    c->options = no;
    uint64_t w = 0;
    for (size_t j = 0; j < c->n_real; j++) {
        if (c->options[j].write_in) {
            w += c->options[j].limit;
        }
        for (int k = SC_SUPP_UNDERVOTE; k <= SC_SUPP_WRITE_INS; k++) {
            if ((c->supp & (1u << k)) &&
                strcmp(c->options[j].label, k_supp_labels[k]) == 0) {
                snprintf(name, sizeof name, "%soptions[%zu].label", field, j);
                return fail(e, name,
                            "\"%s\" is the label of a supplemental field",
                            k_supp_labels[k]);
            }
        }
    }
    for (int k = SC_SUPP_UNDERVOTE; k <= SC_SUPP_WRITE_INS; k++) {
        if (!(c->supp & (1u << k))) {
            continue;
        }
        sc_manifest_option *o = &c->options[c->n_options];
        memset(o, 0, sizeof *o);
        o->label = xstrdup(k_supp_labels[k]);
        if (o->label == NULL) {
            return SC_E_NOMEM;
        }
        o->kind = k;
        o->stated = 1;
        o->limit = k == SC_SUPP_WRITE_INS
                       ? (uint32_t)(w < c->limit ? w : c->limit)
                       : 1;
        c->n_options++;
    }
    return SC_OK;
}

static sc_status parse_contest(perr *e, json_t *jc, size_t ci, sc_manifest *m)
{
    static const char *const keys[] = {
        "label",        "selection_limit", "options", "contest_data_blocks",
        "supplemental", "read_write_ins",  NULL};
    static const char *const okeys[] = {"label", "selection_limit", "write_in",
                                        NULL};
    char field[128];
    snprintf(field, sizeof field, "contests[%zu].", ci);
    sc_manifest_contest *c = &m->contests[ci];
    if (!json_is_object(jc)) {
        field[strlen(field) - 1] = '\0';
        return fail(e, field, "expected an object");
    }
    sc_status rc = check_keys(e, jc, field, keys);
    if (rc == SC_OK) {
        rc = get_label(e, jc, field, &c->label);
    }
    if (rc == SC_OK) {
        rc = get_limit(e, jc, field, "NO_LIMIT", "CONTEST_LIMIT", &c->stated);
    }
    if (rc != SC_OK) {
        return rc;
    }
    for (size_t k = 0; k < ci; k++) {
        if (strcmp(m->contests[k].label, c->label) == 0) {
            char name[256];
            snprintf(name, sizeof name, "%slabel", field);
            return fail(e, name,
                        "duplicate contest label (same as "
                        "contests[%zu])",
                        k);
        }
    }
    json_t *jo = json_object_get(jc, "options");
    char name[256];
    snprintf(name, sizeof name, "%soptions", field);
    if (jo == NULL) {
        return fail(e, name, "missing");
    }
    if (!json_is_array(jo)) {
        return fail(e, name, "expected an array");
    }
    size_t no = json_array_size(jo);
    if (no == 0) {
        return fail(e, name, "a contest needs at least one option");
    }
    c->options = calloc(no, sizeof *c->options);
    if (c->options == NULL) {
        return SC_E_NOMEM;
    }
    c->n_options = no;
    c->n_real = no;
    uint64_t sum = 0;
    int all_int = 1;
    for (size_t j = 0; j < no; j++) {
        json_t *jopt = json_array_get(jo, j);
        char of[160];
        snprintf(of, sizeof of, "%soptions[%zu].", field, j);
        if (!json_is_object(jopt)) {
            of[strlen(of) - 1] = '\0';
            return fail(e, of, "expected an object");
        }
        sc_manifest_option *o = &c->options[j];
        rc = check_keys(e, jopt, of, okeys);
        if (rc == SC_OK) {
            rc = get_label(e, jopt, of, &o->label);
        }
        if (rc == SC_OK) {
            rc =
                get_limit(e, jopt, of, "CONTEST_LIMIT", "NO_LIMIT", &o->stated);
        }
        if (rc != SC_OK) {
            return rc;
        }
        if (o->stated == 0 && c->stated == 0) {
            char ln[256];
            snprintf(ln, sizeof ln, "%sselection_limit", of);
            return fail(e, ln,
                        "\"CONTEST_LIMIT\" in a contest with "
                        "\"NO_LIMIT\"");
        }
        for (size_t k = 0; k < j; k++) {
            if (strcmp(c->options[k].label, o->label) == 0) {
                char ln[256];
                snprintf(ln, sizeof ln, "%slabel", of);
                return fail(e, ln,
                            "duplicate option label (same as "
                            "options[%zu])",
                            k);
            }
        }
        json_t *wi = json_object_get(jopt, "write_in");
        if (wi != NULL) {
            char ln[256];
            snprintf(ln, sizeof ln, "%swrite_in", of);
            if (!json_is_true(wi)) {
                return fail(e, ln, "expected true (omit it otherwise)");
            }
            o->write_in = 1;
            c->n_write_ins++;
        }
        if (o->stated == 0) {
            all_int = 0;
        } else {
            sum += o->stated;
        }
    }
    json_t *db = json_object_get(jc, "contest_data_blocks");
    snprintf(name, sizeof name, "%scontest_data_blocks", field);
    if (db != NULL) {
        json_int_t x = json_is_integer(db) ? json_integer_value(db) : 0;
        if (x < 1 || x >= (json_int_t)SC_CONTEST_DATA_MAX_BLOCKS) {
            return fail(e, name, "expected an integer in 1..%u",
                        (unsigned)SC_CONTEST_DATA_MAX_BLOCKS - 1);
        }
        c->data_blocks = (uint32_t)x;
        size_t need = sc_contest_data_min_bytes(c);
        if (32 * (size_t)c->data_blocks < need) {
            return fail(e, name,
                        "%u blocks (%u bytes) cannot hold the contest data "
                        "encoding (%zu bytes at least: %zu blocks)",
                        (unsigned)c->data_blocks,
                        (unsigned)(32 * c->data_blocks), need,
                        (need + 31) / 32);
        }
    } else if (c->n_write_ins > 0) {
        return fail(e, name,
                    "missing: a contest with write-in options needs contest "
                    "data to hold the text");
    }
    /* Effective limits (draft "Selection Limits"). */
    if (c->stated == 0) {
        c->limit = (uint32_t)(sum < SC_LIMIT_MAX ? sum : SC_LIMIT_MAX);
    } else if (all_int && sum < c->stated) {
        c->limit = (uint32_t)sum;
    } else {
        c->limit = c->stated;
    }
    for (size_t j = 0; j < no; j++) {
        sc_manifest_option *o = &c->options[j];
        if (o->stated == 0) {
            o->limit = c->stated;
        } else if (c->stated != 0 && c->stated < o->stated) {
            o->limit = c->stated;
        } else {
            o->limit = o->stated;
        }
    }
    sc_status src = parse_supplemental(e, jc, field, c);
    if (src != SC_OK) {
        return src;
    }
    /* "read_write_ins" (issue 11): the guardians decrypt the contest data
     * of the cast ballots whose write-in count is not zero (§3.6.6). */
    json_t *rw = json_object_get(jc, "read_write_ins");
    snprintf(name, sizeof name, "%sread_write_ins", field);
    if (rw != NULL) {
        if (!json_is_true(rw)) {
            return fail(e, name, "expected true (or leave it out)");
        }
        if (!(c->supp & (1u << SC_SUPP_WRITE_INS))) {
            return fail(e, name,
                        "needs \"supplemental\": [\"write_ins\"] (the "
                        "count that says which ballots to read)");
        }
        c->read_write_ins = 1;
    }
    return SC_OK;
}

static sc_status parse_style(perr *e, json_t *js, size_t si, sc_manifest *m)
{
    static const char *const keys[] = {"label", "contests", NULL};
    char field[128];
    snprintf(field, sizeof field, "ballot_styles[%zu].", si);
    sc_manifest_style *s = &m->styles[si];
    if (!json_is_object(js)) {
        field[strlen(field) - 1] = '\0';
        return fail(e, field, "expected an object");
    }
    sc_status rc = check_keys(e, js, field, keys);
    if (rc == SC_OK) {
        rc = get_label(e, js, field, &s->label);
    }
    if (rc != SC_OK) {
        return rc;
    }
    for (size_t k = 0; k < si; k++) {
        if (strcmp(m->styles[k].label, s->label) == 0) {
            char name[256];
            snprintf(name, sizeof name, "%slabel", field);
            return fail(e, name,
                        "duplicate ballot style label (same as "
                        "ballot_styles[%zu])",
                        k);
        }
    }
    char name[256];
    snprintf(name, sizeof name, "%scontests", field);
    json_t *jc = json_object_get(js, "contests");
    if (jc == NULL) {
        return fail(e, name, "missing");
    }
    if (!json_is_array(jc)) {
        return fail(e, name, "expected an array of contest indices");
    }
    size_t n = json_array_size(jc);
    if (n == 0) {
        return fail(e, name, "a ballot style needs at least one contest");
    }
    s->contests = calloc(n, sizeof *s->contests);
    if (s->contests == NULL) {
        return SC_E_NOMEM;
    }
    s->n_contests = n;
    for (size_t j = 0; j < n; j++) {
        json_t *v = json_array_get(jc, j);
        char en[300];
        snprintf(en, sizeof en, "%s[%zu]", name, j);
        if (!json_is_integer(v)) {
            return fail(e, en, "expected a contest index (integer)");
        }
        json_int_t x = json_integer_value(v);
        if (x < 1 || (uint64_t)x > m->n_contests) {
            return fail(e, en,
                        "no contest with index %lld (the manifest "
                        "has contests 1..%zu)",
                        (long long)x, m->n_contests);
        }
        for (size_t k = 0; k < j; k++) {
            if (s->contests[k] == (uint32_t)x) {
                return fail(e, en, "contest %lld is named twice", (long long)x);
            }
        }
        if (j > 0 && (uint32_t)x < s->contests[j - 1]) {
            return fail(e, en,
                        "contest indices must be in ascending "
                        "(manifest) order");
        }
        s->contests[j] = (uint32_t)x;
    }
    return SC_OK;
}

sc_status sc_manifest_parse(sc_manifest **out, const char *text, size_t len,
                            const char *file, char *err, size_t errlen)
{
    static const char *const keys[] = {"label", "contests", "ballot_styles",
                                       NULL};
    perr e = {file, err, errlen};
    *out = NULL;
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        fail(&e, NULL, "invalid JSON at line %d column %d: %s", je.line,
             je.column, je.text);
        return SC_E_INVALID_JSON;
    }
    sc_status rc = SC_OK;
    sc_manifest *m = calloc(1, sizeof *m);
    SC_ENSURE(m != NULL, SC_E_NOMEM);
    SC_ENSURE(json_is_object(root),
              fail(&e, NULL, "the manifest must be a JSON object"));
    SC_CHECK(check_keys(&e, root, "", keys));
    SC_CHECK(get_label(&e, root, "", &m->label));
    json_t *jc = json_object_get(root, "contests");
    SC_ENSURE(jc != NULL, fail(&e, "contests", "missing"));
    SC_ENSURE(json_is_array(jc), fail(&e, "contests", "expected an array"));
    SC_ENSURE(json_array_size(jc) > 0,
              fail(&e, "contests", "the manifest has no contests"));
    SC_ENSURE(json_array_size(jc) < SC_LIMIT_MAX,
              fail(&e, "contests", "too many contests"));
    m->contests = calloc(json_array_size(jc), sizeof *m->contests);
    SC_ENSURE(m->contests != NULL, SC_E_NOMEM);
    for (size_t i = 0; i < json_array_size(jc); i++) {
        m->n_contests = i + 1;
        SC_CHECK(parse_contest(&e, json_array_get(jc, i), i, m));
    }
    json_t *js = json_object_get(root, "ballot_styles");
    SC_ENSURE(js != NULL, fail(&e, "ballot_styles", "missing"));
    SC_ENSURE(json_is_array(js),
              fail(&e, "ballot_styles", "expected an array"));
    SC_ENSURE(json_array_size(js) > 0,
              fail(&e, "ballot_styles", "the manifest has no ballot styles"));
    m->styles = calloc(json_array_size(js), sizeof *m->styles);
    SC_ENSURE(m->styles != NULL, SC_E_NOMEM);
    for (size_t i = 0; i < json_array_size(js); i++) {
        m->n_styles = i + 1;
        SC_CHECK(parse_style(&e, json_array_get(js, i), i, m));
    }
    SC_CHECK(canonicalize(m));
    *out = m;
    m = NULL;
done:
    json_decref(root);
    sc_manifest_free(m);
    if (rc == SC_E_NOMEM) {
        fail(&e, NULL, "out of memory");
    }
    return rc;
}

sc_status sc_manifest_load(sc_manifest **out, const char *path, char *err,
                           size_t errlen)
{
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    sc_status rc = sc_file_read_all(path, &data, &len);
    if (rc != SC_OK) {
        perr e = {path, err, errlen};
        fail(&e, NULL, "cannot read the file: %s", sc_strerror(rc));
        return rc;
    }
    rc = sc_manifest_parse(out, data, len, path, err, errlen);
    free(data);
    return rc;
}

const sc_manifest_style *sc_manifest_style_at(const sc_manifest *m,
                                              uint32_t index)
{
    if (index < 1 || index > m->n_styles) {
        return NULL;
    }
    return &m->styles[index - 1];
}

uint32_t sc_manifest_style_find(const sc_manifest *m, const char *label)
{
    for (size_t i = 0; i < m->n_styles; i++) {
        if (strcmp(m->styles[i].label, label) == 0) {
            return (uint32_t)(i + 1);
        }
    }
    return 0;
}

int sc_manifest_style_has(const sc_manifest *m, uint32_t style, uint32_t ind_c)
{
    const sc_manifest_style *s = sc_manifest_style_at(m, style);
    if (s == NULL) {
        return 0;
    }
    for (size_t i = 0; i < s->n_contests; i++) {
        if (s->contests[i] == ind_c) {
            return 1;
        }
    }
    return 0;
}

size_t sc_manifest_option_count(const sc_manifest *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_contests; i++) {
        n += m->contests[i].n_options;
    }
    return n;
}
