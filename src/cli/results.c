/* The election results: read from the record, printed as text (a table
 * and a chart per contest, ties flagged), JSON or CSV (results.h). */
#include "results.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scrutin/json.h"
#include "scrutin/record.h"

enum { BAR_WIDTH = 30, LABEL_MAX = 40 };

static const char *const SUPP_NAME[] = {"", "undervote", "overvote",
                                        "null_vote", "write_ins"};
static const char *const SUPP_TEXT[] = {"", "undervoted", "overvoted",
                                        "blank (null vote)", "write-ins"};

static size_t n_fields(const sc_manifest *m)
{
    size_t n = 0;
    for (size_t c = 0; c < m->n_contests; c++) {
        n += m->contests[c].n_options;
    }
    return n;
}

/* one contest of tally.json against the manifest's contest c */
static sc_status load_contest(sc_jctx *ctx, const sc_json *jc,
                              const sc_manifest_contest *mc, size_t c,
                              uint64_t *v)
{
    uint32_t ind = 0;
    const char *label = NULL;
    sc_json *os = NULL;
    size_t no = 0;
    sc_jctx_where(ctx, "contests[%zu].", c);
    sc_status rc = sc_json_get_u32(ctx, jc, "index", &ind);
    if (rc == SC_OK) {
        rc = sc_json_get_str(ctx, jc, "label", &label);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_arr(ctx, jc, "options", &os, &no);
    }
    if (rc == SC_OK && (ind != c + 1 || strcmp(label, mc->label) != 0 ||
                        no != mc->n_options)) {
        rc = sc_jctx_fail(ctx, SC_E_VERIFY, NULL,
                          "not the manifest's contest %zu (%zu fields)", c + 1,
                          mc->n_options);
    }
    for (size_t j = 0; j < no && rc == SC_OK; j++) {
        const sc_json *jo = sc_json_array_at(os, j);
        sc_jctx_where(ctx, "contests[%zu].options[%zu].", c, j);
        rc = sc_json_get_u32(ctx, jo, "index", &ind);
        if (rc == SC_OK) {
            rc = sc_json_get_str(ctx, jo, "label", &label);
        }
        if (rc == SC_OK) {
            rc = sc_json_get_u64(ctx, jo, "value", &v[j]);
        }
        if (rc == SC_OK &&
            (ind != j + 1 || strcmp(label, mc->options[j].label) != 0)) {
            rc = sc_jctx_fail(ctx, SC_E_VERIFY, NULL,
                              "not the manifest's option %zu of contest %zu",
                              j + 1, c + 1);
        }
    }
    return rc;
}

/* cast_ballots of encrypted_tally.json, or UINT64_MAX */
static uint64_t load_cast(const char *dir)
{
    char path[4096];
    uint64_t cast = UINT64_MAX;
    sc_json *root = NULL;
    sc_jctx ctx;
    sc_jctx_init(&ctx, SC_REC_ENC_TALLY, NULL);
    if (sc_record_path(path, sizeof path, dir, SC_REC_ENC_TALLY) == SC_OK &&
        sc_json_read_file(&ctx, path, &root) == SC_OK &&
        sc_json_get_u64(&ctx, root, "cast_ballots", &cast) != SC_OK) {
        cast = UINT64_MAX;
    }
    sc_json_free(root);
    return cast;
}

sc_status cli_results_load(cli_results *r, const struct sc_record *rec,
                           char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->m = rec->manifest;
    r->h_e = rec->has_keys ? rec->h_e : NULL;
    r->record = rec->dir;
    r->n_values = n_fields(r->m);
    r->values = calloc(r->n_values + 1, sizeof *r->values);
    if (r->values == NULL) {
        return SC_E_NOMEM;
    }
    char path[4096];
    sc_status rc = sc_record_path(path, sizeof path, rec->dir, SC_REC_TALLY);
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s: path too long", rec->dir);
        return rc;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, path, NULL);
    sc_json *root = NULL, *cs = NULL;
    size_t nc = 0;
    if (access(path, F_OK) != 0) {
        snprintf(err, errlen,
                 "%s: no decrypted tally (%s): run `scrutin decrypt` first",
                 rec->dir, SC_REC_TALLY);
        return SC_E_IO;
    }
    rc = sc_json_read_file(&ctx, path, &root);
    if (rc == SC_OK) {
        rc = sc_json_get_arr(&ctx, root, "contests", &cs, &nc);
    }
    if (rc == SC_OK && nc != r->m->n_contests) {
        rc = sc_jctx_fail(&ctx, SC_E_VERIFY, "contests",
                          "%zu contests, the manifest has %zu", nc,
                          r->m->n_contests);
    }
    for (size_t c = 0, k = 0; c < nc && rc == SC_OK; c++) {
        rc = load_contest(&ctx, sc_json_array_at(cs, c), &r->m->contests[c], c,
                          r->values + k);
        k += r->m->contests[c].n_options;
    }
    sc_json_free(root);
    if (rc != SC_OK) {
        snprintf(err, errlen, "%s", *ctx.msg ? ctx.msg : sc_strerror(rc));
        return rc;
    }
    r->cast = load_cast(rec->dir);
    return SC_OK;
}

void cli_results_clear(cli_results *r)
{
    free(r->values);
    memset(r, 0, sizeof *r);
}

/* ---- ties ---- */

static int cmp_desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* A tie that decides the contest: with L selections allowed, the L-th and
 * (L+1)-th highest counts are equal (L = 1: a tie for first place).
 * Returns the place (L), or 0; *at the tied count. */
static uint32_t tie_place(const sc_manifest_contest *mc, const uint64_t *v,
                          uint64_t *at)
{
    uint32_t L = mc->limit;
    if (mc->n_real < 2 || L < 1 || L >= mc->n_real) {
        return 0;
    }
    uint64_t *s = malloc(mc->n_real * sizeof *s);
    if (s == NULL) {
        return 0;
    }
    memcpy(s, v, mc->n_real * sizeof *s);
    qsort(s, mc->n_real, sizeof *s, cmp_desc);
    uint32_t place = s[L - 1] == s[L] ? L : 0;
    *at = s[L - 1];
    free(s);
    return place;
}

/* ---- text ---- */

/* columns taken by a UTF-8 string (one per code point) */
static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

static void print_padded(FILE *out, const char *label, size_t width)
{
    char safe[4 * LABEL_MAX + 8];
    sc_label_printable(safe, sizeof safe, label);
    fputs(safe, out);
    for (size_t w = columns(safe); w < width; w++) {
        fputc(' ', out);
    }
}

static void print_contest(FILE *out, const sc_manifest_contest *mc,
                          const uint64_t *v)
{
    uint64_t top = 0, sum = 0;
    size_t width = 6;
    for (size_t j = 0; j < mc->n_real; j++) {
        top = v[j] > top ? v[j] : top;
        sum += v[j];
        size_t w = columns(mc->options[j].label);
        width = w > width ? w : width;
    }
    for (size_t j = mc->n_real; j < mc->n_options; j++) {
        int kind = mc->options[j].kind;
        size_t w = strlen(kind >= 1 && kind <= 4 ? SUPP_TEXT[kind] : "?");
        width = w > width ? w : width;
    }
    width = width > LABEL_MAX ? LABEL_MAX : width;
    fputc('\n', out);
    print_padded(out, mc->label, 0);
    fprintf(out, " (up to %u selection%s)\n", (unsigned)mc->limit,
            mc->limit == 1 ? "" : "s");
    fprintf(out, "  %-*s %8s %7s\n", (int)width, "option", "votes", "share");
    for (size_t j = 0; j < mc->n_real; j++) {
        fputs("  ", out);
        print_padded(out, mc->options[j].label, width);
        fprintf(out, " %8llu %6.1f%%", (unsigned long long)v[j],
                sum ? 100.0 * (double)v[j] / (double)sum : 0.0);
        int bar = top ? (int)(BAR_WIDTH * v[j] / top) : 0;
        fputs(bar > 0 ? "  " : "", out);
        for (int b = 0; b < bar; b++) {
            fputc('#', out);
        }
        fputc('\n', out);
    }
    for (size_t j = mc->n_real; j < mc->n_options; j++) {
        int kind = mc->options[j].kind;
        fprintf(out, "  %-*s %8llu\n", (int)width,
                kind >= 1 && kind <= 4 ? SUPP_TEXT[kind] : "?",
                (unsigned long long)v[j]);
    }
    uint64_t at = 0;
    uint32_t place = tie_place(mc, v, &at);
    if (place != 0) {
        if (place == 1) {
            fputs("  TIE for first place: ", out);
        } else {
            fprintf(out, "  TIE at place %u: ", (unsigned)place);
        }
        const char *sep = "";
        for (size_t j = 0; j < mc->n_real; j++) {
            if (v[j] == at) {
                fputs(sep, out);
                print_padded(out, mc->options[j].label, 0);
                sep = ", ";
            }
        }
        fprintf(out, " (%llu votes each)\n", (unsigned long long)at);
    }
}

static void print_text(FILE *out, const cli_results *r, int verified)
{
    fputs("election: ", out);
    print_padded(out, r->m->label, 0);
    fputs("\nH_E ", out);
    for (int b = 0; r->h_e != NULL && b < 32; b++) {
        fprintf(out, "%02X", r->h_e[b]);
    }
    fputs(r->h_e != NULL ? "\n" : "(none: no key ceremony)\n", out);
    if (r->cast != UINT64_MAX) {
        fprintf(out, "cast ballots: %llu\n", (unsigned long long)r->cast);
    }
    if (!verified && r->record != NULL) {
        fprintf(out,
                "(the published counts, not checked here: `scrutin verify "
                "%s` checks them)\n",
                r->record);
    }
    for (size_t c = 0, k = 0; c < r->m->n_contests; c++) {
        print_contest(out, &r->m->contests[c], r->values + k);
        k += r->m->contests[c].n_options;
    }
}

/* ---- JSON ---- */

static sc_status json_contest(sc_json *arr, const sc_manifest_contest *mc,
                              size_t c, const uint64_t *v)
{
    sc_json *o = sc_json_object(), *os = sc_json_array(),
            *sup = sc_json_object(), *tied = sc_json_array();
    sc_status rc = o && os && sup && tied ? SC_OK : SC_E_NOMEM;
    for (size_t j = 0; j < mc->n_real && rc == SC_OK; j++) {
        sc_json *jo = sc_json_object();
        rc = jo == NULL ? SC_E_NOMEM : sc_json_put_u64(jo, "index", j + 1);
        if (rc == SC_OK) {
            rc = sc_json_put_str(jo, "label", mc->options[j].label);
        }
        if (rc == SC_OK) {
            rc = sc_json_put_u64(jo, "votes", v[j]);
        }
        if (rc == SC_OK) {
            rc = sc_json_append(os, jo);
            jo = NULL;
        }
        sc_json_free(jo);
    }
    for (size_t j = mc->n_real; j < mc->n_options && rc == SC_OK; j++) {
        int kind = mc->options[j].kind;
        rc = sc_json_put_u64(
            sup, kind >= 1 && kind <= 4 ? SUPP_NAME[kind] : "?", v[j]);
    }
    uint64_t at = 0;
    uint32_t place = tie_place(mc, v, &at);
    for (size_t j = 0; j < mc->n_real && place != 0 && rc == SC_OK; j++) {
        if (v[j] == at) {
            rc = sc_json_append_u64(tied, j + 1);
        }
    }
    if (rc == SC_OK) {
        rc = sc_json_put_u64(o, "index", c + 1);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "label", mc->label);
    }
    if (rc == SC_OK) {
        rc = sc_json_put_u64(o, "selection_limit", mc->limit);
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "options", os);
        os = NULL;
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "supplemental", sup);
        sup = NULL;
    }
    if (rc == SC_OK) {
        rc = sc_json_put_u64(o, "tie_place", place);
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "tied_options", tied);
        tied = NULL;
    }
    if (rc == SC_OK) {
        rc = sc_json_append(arr, o);
        o = NULL;
    }
    sc_json_free(o);
    sc_json_free(os);
    sc_json_free(sup);
    sc_json_free(tied);
    return rc;
}

static sc_status print_json(FILE *out, const cli_results *r)
{
    sc_json *o = sc_json_object(), *cs = sc_json_array();
    sc_status rc = o && cs ? SC_OK : SC_E_NOMEM;
    if (rc == SC_OK) {
        rc = sc_json_put_str(o, "election", r->m->label);
    }
    if (rc == SC_OK && r->h_e != NULL) {
        rc = sc_json_put_hash(o, "h_e", r->h_e);
    }
    if (rc == SC_OK && r->cast != UINT64_MAX) {
        rc = sc_json_put_u64(o, "cast_ballots", r->cast);
    }
    for (size_t c = 0, k = 0; c < r->m->n_contests && rc == SC_OK; c++) {
        rc = json_contest(cs, &r->m->contests[c], c, r->values + k);
        k += r->m->contests[c].n_options;
    }
    if (rc == SC_OK) {
        rc = sc_json_put(o, "contests", cs);
        cs = NULL;
    }
    char *text = rc == SC_OK ? sc_json_dumps(o) : NULL;
    if (rc == SC_OK && text == NULL) {
        rc = SC_E_NOMEM;
    }
    if (text != NULL) {
        fprintf(out, "%s\n", text);
    }
    free(text);
    sc_json_free(cs);
    sc_json_free(o);
    return rc;
}

/* ---- CSV (RFC 4180: every text field quoted, quotes doubled) ----
 *
 * A label is the manifest's text, chosen by whoever wrote the manifest. A
 * cell that starts with =, +, -, @, a tab or a carriage return is a
 * formula to Excel and LibreOffice (CSV injection): such a text is
 * written with a single quote in front, inside the quotes, as OWASP's
 * "CSV Injection" page advises, so that the spreadsheet shows it as text.
 * The quote is the only change: a reader that knows this file can drop a
 * leading ' from a label that then starts with one of these. */

static int csv_formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
           c == '\r';
}

static void csv_text(FILE *out, const char *s)
{
    fputc('"', out);
    if (csv_formula_start(*s)) {
        fputc('\'', out);
    }
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', out);
        }
        fputc(*s, out);
    }
    fputc('"', out);
}

static void print_csv(FILE *out, const cli_results *r)
{
    fputs("contest_index,contest,option_index,option,kind,votes,tie\r\n", out);
    for (size_t c = 0, k = 0; c < r->m->n_contests; c++) {
        const sc_manifest_contest *mc = &r->m->contests[c];
        const uint64_t *v = r->values + k;
        uint64_t at = 0;
        uint32_t place = tie_place(mc, v, &at);
        for (size_t j = 0; j < mc->n_options; j++) {
            int kind = mc->options[j].kind;
            fprintf(out, "%zu,", c + 1);
            csv_text(out, mc->label);
            fprintf(out, ",%zu,", j + 1);
            csv_text(out, mc->options[j].label);
            fprintf(out, ",%s,%llu,%d\r\n",
                    kind == 0   ? "option"
                    : kind <= 4 ? SUPP_NAME[kind]
                                : "?",
                    (unsigned long long)v[j],
                    kind == 0 && place != 0 && v[j] == at);
        }
        k += mc->n_options;
    }
}

sc_status cli_results_print(FILE *out, const cli_results *r, int format)
{
    switch (format) {
    case CLI_RESULTS_JSON: return print_json(out, r);
    case CLI_RESULTS_CSV: print_csv(out, r); return SC_OK;
    default: print_text(out, r, 0); return SC_OK;
    }
}

void cli_results_after_verify(FILE *out, const char *dir)
{
    sc_record *rec = NULL;
    cli_results r;
    char err[SC_ERRMAX];
    memset(&r, 0, sizeof r);
    if (sc_record_open(&rec, dir, 0, err, sizeof err) == SC_OK &&
        cli_results_load(&r, rec, err, sizeof err) == SC_OK) {
        fputs("\nresults (as checked above):\n", out);
        print_text(out, &r, 1);
    }
    cli_results_clear(&r);
    sc_record_free(rec);
}
