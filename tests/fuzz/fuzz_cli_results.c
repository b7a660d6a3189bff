/* Fuzz target: `scrutin results` reading a record's tally (src/cli/
 * results.c: cli_results_load reads tally.json against the manifest and
 * encrypted_tally.json's cast count) and its three printers (text, --json,
 * --csv). fuzz_results covers the board's results.json builder
 * (sc_results_build), a different reader.
 *
 * Input: MANIFEST \0 TALLY [\0 ENCRYPTED_TALLY]. The target makes a record
 * of toy-q64 (n = k = 1) around them: the manifest's canonical form and
 * hashes.json (H_P eq 4, H_B eq 5) computed here, so that the record
 * opens whatever labels the fuzzer puts in the manifest; no key files
 * (results then prints no H_E). Seeds: the manifests of the manifest
 * target's seeds with a matching tally, labels that look like spreadsheet
 * formulas, quotes, commas and line breaks.
 *
 * Invariants: a load that fails says why, in one line; a load that works
 * prints the three formats; --json parses back with one contest per
 * manifest contest; --csv parses back (RFC 4180) to a header and one row
 * of 7 fields per field of the manifest, each label as the manifest has
 * it, with a ' in front when it starts with = + - @ TAB or CR (OWASP CSV
 * injection) and no cell starting with such a character otherwise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_util.h"
#include "results.h"
#include "scrutin/eghash.h"
#include "scrutin/manifest.h"
#include "scrutin/record.h"

static const char record_json[] =
    "{\"format\": \"scrutin-record\", \"format_version\": 2, "
    "\"electionguard\": \"2.1.0\", \"parameter_set\": \"toy-q64\"}\n";

static const char params_json[] =
    "{\"fixed_parameters\": {\"ElectionGuard_Design_Specification_version\": "
    "{\"number\": [2, 1, 0]}, \"field\": {\"q\": \"FFFFFFFFFFFFFFC5\"}, "
    "\"group\": {\"p\": "
    "\"FFFFFFFFFFFFFFFF93C467E37DB1212B89995855493FF059FFFFFFFFFFFFFFFF\", "
    "\"g\": "
    "\"3B5431669E3E4893DF745C67CDCFD95CCDDA224878A3CD5D3226F75CC5A95638\", "
    "\"q\": \"FFFFFFFFFFFFFFC5\"}}, \"varying_parameters\": {\"n\": 1, "
    "\"k\": 1, \"info\": \"fuzz\", \"date\": \"2026-01-01\", "
    "\"ballot_chaining\": \"Allowed\"}}\n";

/* The canonical manifest, hashes.json for it, tally files: 0, or -1 if
 * the manifest does not parse (nothing to do). */
static int make_record(const char *dir, const char *man, size_t man_len,
                       const char *tally, size_t tally_len, const char *enc,
                       size_t enc_len)
{
    sc_manifest *m = NULL;
    char err[SC_ERRMAX];
    if (sc_manifest_parse(&m, man, man_len, "manifest", err, sizeof err) !=
        SC_OK) {
        FZ_ASSERT(m == NULL && err[0] != '\0');
        return -1;
    }
    uint8_t hp[32], hb[32];
    sc_eg_param_base_hash(fz_group(SC_GROUP_TOY_Q64), 1, 1, hp);
    sc_eg_election_base_hash(hp, m->canonical, m->canonical_len, hb);
    char hx[2][65], hashes[200];
    sc_hex_encode(hx[0], hp, 32);
    sc_hex_encode(hx[1], hb, 32);
    snprintf(hashes, sizeof hashes, "{\"h_p\": \"%s\", \"h_b\": \"%s\"}\n",
             hx[0], hx[1]);
    FZ_ASSERT(fz_write(dir, SC_REC_RECORD, record_json, strlen(record_json)) ==
              0);
    FZ_ASSERT(fz_write(dir, SC_REC_PARAMS, params_json, strlen(params_json)) ==
              0);
    FZ_ASSERT(fz_write(dir, SC_REC_MANIFEST, m->canonical, m->canonical_len) ==
              0);
    FZ_ASSERT(fz_write(dir, SC_REC_HASHES, hashes, strlen(hashes)) == 0);
    FZ_ASSERT(fz_write(dir, SC_REC_TALLY, tally, tally_len) == 0);
    if (enc != NULL) {
        FZ_ASSERT(fz_write(dir, SC_REC_ENC_TALLY, enc, enc_len) == 0);
    }
    sc_manifest_free(m);
    return 0;
}

static char *print(const cli_results *r, int format, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    FZ_ASSERT(f != NULL);
    FZ_ASSERT(cli_results_print(f, r, format) == SC_OK);
    FZ_ASSERT(fclose(f) == 0);
    return buf;
}

static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
           c == '\r';
}

/* One CSV field from *p (RFC 4180); its text (unquoted) into out. Returns
 * 1 at the end of the record, 0 if more fields follow, -1 malformed. */
static int csv_field(const char **p, const char *end, char *out, size_t cap,
                     int *quoted)
{
    size_t n = 0;
    const char *s = *p;
    *quoted = s < end && *s == '"';
    if (*quoted) {
        for (s++;; s++) {
            if (s >= end) {
                return -1;
            }
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    s++;
                } else {
                    s++;
                    break;
                }
            }
            FZ_ASSERT(n + 1 < cap);
            out[n++] = *s;
        }
    } else {
        while (s < end && *s != ',' && *s != '\r' && *s != '"') {
            FZ_ASSERT(n + 1 < cap);
            out[n++] = *s++;
        }
    }
    out[n] = '\0';
    if (s < end && *s == ',') {
        *p = s + 1;
        return 0;
    }
    if (s + 1 < end && s[0] == '\r' && s[1] == '\n') {
        *p = s + 2;
        return 1;
    }
    return -1;
}

/* The label as a CSV cell shows it: a leading ' before a formula start. */
static void check_cell(const char *cell, const char *label)
{
    FZ_ASSERT(!formula_start(cell[0]));
    if (formula_start(label[0])) {
        FZ_ASSERT(cell[0] == '\'' && strcmp(cell + 1, label) == 0);
    } else {
        FZ_ASSERT(strcmp(cell, label) == 0);
    }
}

static void check_csv(const char *csv, size_t len, const sc_manifest *m)
{
    const char *p = csv, *end = csv + len;
    size_t cap = len + 1;
    char *cell = malloc(cap);
    FZ_ASSERT(cell != NULL);
    int q;
    for (int i = 0; i < 7; i++) { /* the header */
        FZ_ASSERT(csv_field(&p, end, cell, cap, &q) == (i == 6));
    }
    for (size_t c = 0; c < m->n_contests; c++) {
        const sc_manifest_contest *mc = &m->contests[c];
        for (size_t j = 0; j < mc->n_options; j++) {
            for (int i = 0; i < 7; i++) {
                FZ_ASSERT(csv_field(&p, end, cell, cap, &q) == (i == 6));
                if (i == 1) {
                    FZ_ASSERT(q);
                    check_cell(cell, mc->label);
                } else if (i == 3) {
                    FZ_ASSERT(q);
                    check_cell(cell, mc->options[j].label);
                } else {
                    FZ_ASSERT(!q && !formula_start(cell[0]));
                }
            }
        }
    }
    FZ_ASSERT(p == end);
    free(cell);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_init();
    const char *s = (const char *)data;
    const char *z1 = memchr(s, 0, size);
    if (z1 == NULL) {
        return 0;
    }
    size_t man_len = (size_t)(z1 - s);
    const char *tally = z1 + 1, *enc = NULL;
    size_t rest = size - man_len - 1, tally_len = rest, enc_len = 0;
    const char *z2 = memchr(tally, 0, rest);
    if (z2 != NULL) {
        tally_len = (size_t)(z2 - tally);
        enc = z2 + 1;
        enc_len = rest - tally_len - 1;
    }
    const char *dir = fz_reset();
    if (make_record(dir, s, man_len, tally, tally_len, enc, enc_len) != 0) {
        return 0;
    }
    sc_record *rec = NULL;
    char err[SC_ERRMAX];
    FZ_ASSERT(sc_record_open(&rec, dir, 0, err, sizeof err) == SC_OK);
    cli_results r;
    err[0] = '\0';
    sc_status rc = cli_results_load(&r, rec, err, sizeof err);
    if (rc != SC_OK) {
        FZ_ASSERT(err[0] != '\0' && strchr(err, '\n') == NULL);
        cli_results_clear(&r);
        sc_record_free(rec);
        return 0;
    }
    size_t len = 0;
    char *text = print(&r, CLI_RESULTS_TEXT, &len);
    FZ_ASSERT(len > 0);
    free(text);
    char *js = print(&r, CLI_RESULTS_JSON, &len);
    json_error_t je;
    json_t *j = json_loadb(js, len, 0, &je);
    FZ_ASSERT(j != NULL);
    FZ_ASSERT(json_array_size(json_object_get(j, "contests")) ==
              rec->manifest->n_contests);
    json_decref(j);
    free(js);
    char *csv = print(&r, CLI_RESULTS_CSV, &len);
    check_csv(csv, len, rec->manifest);
    free(csv);
    cli_results_clear(&r);
    sc_record_free(rec);
    return 0;
}
