/* The JSON layer's fast path (include/scrutin/json.h, sc_json_parse): a
 * reader for the plain JSON that records are made of, which hands
 * everything else to jansson.
 *
 * jansson's reader takes its input one byte at a time through a callback
 * (about 9 ns a byte here): reading the ballot lines of a 1,000-ballot
 * record (26 MB, mostly hexadecimal strings) was 2.8 % of its
 * verification's CPU. This reader builds the same jansson tree for the
 * subset of JSON it accepts and declines the rest, so that jansson still
 * reads, and reports on, anything else:
 *
 *   - the top level is an object or an array (json_loadb without
 *     JSON_DECODE_ANY), followed by nothing but white space;
 *   - strings of printable ASCII (0x20-0x7e) with no escape: no control
 *     character, no byte >= 0x80, no backslash;
 *   - integers of at most 18 digits (they fit a json_int_t), no leading
 *     zero, no fraction or exponent;
 *   - true, false, null; nesting at most SC_JSON_PLAIN_DEPTH deep;
 *   - no key twice in an object (JSON_REJECT_DUPLICATES).
 *
 * On that subset jansson builds exactly this tree (the same values, keys
 * in the same order), which fuzz_json_plain checks against jansson on
 * every input it accepts. NULL means "declined" (or out of memory: the
 * caller runs jansson either way). */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "record/json_plain.h"

#define SC_JSON_PLAIN_DEPTH 64

typedef struct rd {
    const unsigned char *p, *end;
    int depth;
} rd;

static void skip_ws(rd *r)
{
    while (r->p < r->end &&
           (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t')) {
        r->p++;
    }
}

/* 1 if one of the 8 bytes at p may end or decline a string: a '"', a
 * backslash, a byte < 0x20 or > 0x7e. Never 0 when one does (each test
 * below is exact as to whether some byte matches), so a word it passes
 * is eight plain characters. */
static int word_special(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    const uint64_t ones = 0x0101010101010101u, hi = 0x8080808080808080u;
#define HASZERO(v) (((v)-ones) & ~(v)&hi)
    const uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\'),
                   del = x ^ (ones * 0x7f);
    const uint64_t low = (x - ones * 0x20) & ~x & hi; /* a byte < 0x20 */
    return ((x & hi) | low | HASZERO(q) | HASZERO(bs) | HASZERO(del)) != 0;
#undef HASZERO
}

/* At the opening quote: the string's bytes [*s, *s + *n), r past the
 * closing quote; 0 if declined. Eight bytes at a time while they are
 * plain (the record's strings are long hexadecimal values), then byte by
 * byte. */
static int scan_string(rd *r, const char **s, size_t *n)
{
    const unsigned char *b = ++r->p;
    while (r->end - r->p >= 8 && !word_special(r->p)) {
        r->p += 8;
    }
    while (r->p < r->end) {
        unsigned c = *r->p;
        if (c == '"') {
            *s = (const char *)b;
            *n = (size_t)(r->p - b);
            r->p++;
            return 1;
        }
        if (c < 0x20 || c > 0x7e || c == '\\') {
            return 0;
        }
        r->p++;
    }
    return 0;
}

static json_t *number(rd *r)
{
    int neg = 0;
    if (*r->p == '-') {
        neg = 1;
        r->p++;
    }
    const unsigned char *d = r->p;
    json_int_t v = 0;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        if (r->p - d == 18) { /* a 19th digit: jansson's (strtoll) */
            return NULL;
        }
        v = 10 * v + (*r->p - '0');
        r->p++;
    }
    size_t nd = (size_t)(r->p - d);
    if (nd == 0 || (nd > 1 && *d == '0')) {
        return NULL;
    }
    if (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E')) {
        return NULL;
    }
    return json_integer(neg ? -v : v);
}

static json_t *literal(rd *r, const char *word, json_t *(*make)(void))
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) {
        return NULL;
    }
    r->p += n;
    return make();
}

static json_t *value(rd *r);

/* "key": value into object o; 0 if declined. */
static int member(rd *r, json_t *o)
{
    const char *k;
    size_t kn;
    if (r->p >= r->end || *r->p != '"' || !scan_string(r, &k, &kn) ||
        json_object_getn(o, k, kn) != NULL) {
        return 0;
    }
    skip_ws(r);
    if (r->p >= r->end || *r->p != ':') {
        return 0;
    }
    r->p++;
    json_t *v = value(r);
    return v != NULL && json_object_setn_new_nocheck(o, k, kn, v) == 0;
}

/* A value appended to array a; 0 if declined. */
static int element(rd *r, json_t *a)
{
    json_t *v = value(r);
    return v != NULL && json_array_append_new(a, v) == 0;
}

/* An object or an array, r at its opening bracket: items separated by
 * commas up to the closing bracket. */
static json_t *container(rd *r)
{
    const int obj = *r->p == '{';
    const unsigned char close = obj ? '}' : ']';
    json_t *c = obj ? json_object() : json_array();
    r->p++;
    skip_ws(r);
    if (c != NULL && r->p < r->end && *r->p == close) {
        r->p++;
        return c;
    }
    while (c != NULL && (obj ? member(r, c) : element(r, c))) {
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            skip_ws(r);
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return c;
        }
        break;
    }
    json_decref(c);
    return NULL;
}

static json_t *value(rd *r)
{
    skip_ws(r);
    if (r->p >= r->end) {
        return NULL;
    }
    switch (*r->p) {
    case '"': {
        const char *s;
        size_t n;
        return scan_string(r, &s, &n) ? json_stringn_nocheck(s, n) : NULL;
    }
    case '{':
    case '[': {
        if (++r->depth > SC_JSON_PLAIN_DEPTH) {
            return NULL;
        }
        json_t *v = container(r);
        r->depth--;
        return v;
    }
    case 't': return literal(r, "true", json_true);
    case 'f': return literal(r, "false", json_false);
    case 'n': return literal(r, "null", json_null);
    default:
        return *r->p == '-' || (*r->p >= '0' && *r->p <= '9') ? number(r)
                                                              : NULL;
    }
}

json_t *sc_json_plain_parse(const char *text, size_t len)
{
    rd r = {(const unsigned char *)text, (const unsigned char *)text + len, 0};
    skip_ws(&r);
    if (r.p >= r.end || (*r.p != '{' && *r.p != '[')) {
        return NULL;
    }
    json_t *v = value(&r);
    skip_ws(&r);
    if (v != NULL && r.p != r.end) {
        json_decref(v);
        return NULL;
    }
    return v;
}
