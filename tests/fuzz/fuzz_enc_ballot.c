/* Fuzz target: encrypted ballot lines of the record (src/lib/record:
 * sc_ballot_reader_* over a ballots/device_<d>.jsonl file,
 * sc_ballot_from_json / sc_ballot_to_json, sc_ballot_writer_*), and the
 * streaming tally (sc_tally_add) on what was read. Group toy-q64.
 *
 * Input: "MANIFEST\0LINES" or just LINES (checked against the manifest of
 * the tamper-test record: 3 contests, 2 styles, limits 1..3).
 *
 * Invariants: a line is a ballot or an error naming "PATH:LINE"; the
 * reader stops at the first error or at the end (never loops);
 * to_json(from_json(x)) is a fixed point (and equals x when x is already
 * in the writer's form); ballots written back with the writer read back
 * identical, none lost; appending a ballot to a file that read cleanly
 * (sc_ballot_writer_open with append) keeps every ballot and adds a
 * readable line; tallying read ballots never fails on a ballot the
 * reader accepted. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_manifest_split.h"
#include "fuzz_util.h"
#include "scrutin/record.h"
#include "scrutin/tally.h"

#define MAX_BALLOTS 16

static const char default_manifest[] =
    "{\"label\":\"Tamper test election\",\"contests\":[{\"label\":\"Mayor\","
    "\"options\":[{\"label\":\"Ada\"},{\"label\":\"Grace\"}]},{\"label\":"
    "\"Council\",\"selection_limit\":2,\"options\":[{\"label\":\"Alan\"},{"
    "\"label\":\"Barbara\"},{\"label\":\"Edsger\"}]},{\"label\":\"Budget\","
    "\"selection_limit\":3,\"options\":[{\"label\":\"Parks\","
    "\"selection_limit\":2},{\"label\":\"Roads\"}]}],\"ballot_styles\":[{"
    "\"label\":\"North\",\"contests\":[1,2,3]},{\"label\":\"South\","
    "\"contests\":[1,3]}]}";

static sc_manifest *dflt;

static char *dump_ballot(const sc_group *g, const sc_enc_ballot *b)
{
    sc_json *j = NULL;
    FZ_ASSERT(sc_ballot_to_json(g, b, &j) == SC_OK);
    char *s = sc_json_dumps(j);
    FZ_ASSERT(s != NULL);
    sc_json_free(j);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sc_group *g = fz_group(SC_GROUP_TOY_Q64);
    if (dflt == NULL) {
        char err[256];
        FZ_ASSERT(sc_manifest_parse(&dflt, default_manifest,
                                    strlen(default_manifest), NULL, err,
                                    sizeof err) == SC_OK);
    }
    sc_manifest *own = NULL;
    const sc_manifest *m = NULL;
    if (!fz_split_manifest(&data, &size, dflt, &own, &m)) {
        return 0;
    }
    const char *dir = fz_reset();
    FZ_ASSERT(fz_write(dir, "in.jsonl", data, size) == 0);
    char in[256], outp[256];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(outp, sizeof outp, "%s/out.jsonl", dir);

    sc_ballot_reader *r = NULL;
    FZ_ASSERT(sc_ballot_reader_open(&r, in) == SC_OK);
    sc_tally *t = NULL;
    FZ_ASSERT(sc_tally_new(&t, g, m) == SC_OK);
    char *dumps[MAX_BALLOTS];
    sc_enc_ballot *kept[MAX_BALLOTS];
    size_t nb = 0;
    uint64_t cast = 0;
    int clean_end = 0;
    for (;;) {
        sc_jctx ctx;
        sc_jctx_init(&ctx, NULL, g);
        sc_enc_ballot *b = NULL;
        uint64_t before = sc_ballot_reader_line(r);
        sc_status rc = sc_ballot_reader_next(r, &ctx, g, m, &b);
        if (rc != SC_OK) {
            FZ_ASSERT(b == NULL);
            FZ_ASSERT(rc == SC_E_NOMEM || ctx.rc != SC_OK);
            FZ_ASSERT(strstr(ctx.msg, "in.jsonl:") != NULL);
            break;
        }
        if (b == NULL) {
            clean_end = 1;
            break; /* end */
        }
        FZ_ASSERT(sc_ballot_reader_line(r) > before);
        /* header promises */
        FZ_ASSERT(b->style >= 1 && b->style <= m->n_styles);
        FZ_ASSERT(b->weight >= 1);
        FZ_ASSERT(b->n_contests == m->styles[b->style - 1].n_contests);
        /* to_json(from_json(x)) is a fixed point */
        char *s1 = dump_ballot(g, b);
        sc_json *j1 = NULL;
        sc_jctx ctx2;
        sc_jctx_init(&ctx2, "again", g);
        FZ_ASSERT(sc_json_parse(&ctx2, s1, strlen(s1), &j1) == SC_OK);
        sc_enc_ballot *b2 = NULL;
        if (sc_ballot_from_json(&ctx2, g, m, j1, &b2) != SC_OK) {
            fprintf(stderr, "re-read failed: %s\n", ctx2.msg);
            FZ_ASSERT(0);
        }
        char *s2 = dump_ballot(g, b2);
        FZ_ASSERT(strcmp(s1, s2) == 0);
        free(s2);
        sc_json_free(j1);
        sc_enc_ballot_free(b2);
        /* the tally takes what the reader accepted */
        FZ_ASSERT(sc_tally_add(t, b) == SC_OK);
        if (b->state == SC_BALLOT_CAST) {
            cast++;
        }
        FZ_ASSERT(t->cast == cast);
        kept[nb] = b;
        dumps[nb++] = s1;
        if (nb == MAX_BALLOTS) {
            break;
        }
    }
    sc_ballot_reader_free(r);
    sc_tally_free(t);

    /* what was read, written back, reads back the same: nothing lost */
    if (nb > 0) {
        sc_ballot_writer *w = NULL;
        FZ_ASSERT(sc_ballot_writer_open(&w, outp, 0) == SC_OK);
        for (size_t i = 0; i < nb; i++) {
            FZ_ASSERT(sc_ballot_writer_put(w, g, kept[i]) == SC_OK);
        }
        FZ_ASSERT(sc_ballot_writer_commit(w) == SC_OK);
        sc_ballot_writer_free(w);
        FZ_ASSERT(sc_ballot_reader_open(&r, outp) == SC_OK);
        for (size_t i = 0; i <= nb; i++) {
            sc_jctx ctx;
            sc_jctx_init(&ctx, NULL, g);
            sc_enc_ballot *b = NULL;
            FZ_ASSERT(sc_ballot_reader_next(r, &ctx, g, m, &b) == SC_OK);
            if (i == nb) {
                FZ_ASSERT(b == NULL);
                break;
            }
            FZ_ASSERT(b != NULL);
            char *s = dump_ballot(g, b);
            FZ_ASSERT(strcmp(s, dumps[i]) == 0);
            free(s);
            sc_enc_ballot_free(b);
        }
        sc_ballot_reader_free(r);
    }
    /* appending to a file that read cleanly keeps every ballot and adds
     * one readable line */
    if (clean_end && nb > 0 &&
        (!fz_skip_known() || (size > 0 && data[size - 1] == '\n'))) {
        char app[256];
        snprintf(app, sizeof app, "%s/app.jsonl", dir);
        FZ_ASSERT(fz_write(dir, "app.jsonl", data, size) == 0);
        sc_ballot_writer *w = NULL;
        FZ_ASSERT(sc_ballot_writer_open(&w, app, 1) == SC_OK);
        FZ_ASSERT(sc_ballot_writer_put(w, g, kept[0]) == SC_OK);
        FZ_ASSERT(sc_ballot_writer_commit(w) == SC_OK);
        sc_ballot_writer_free(w);
        FZ_ASSERT(sc_ballot_reader_open(&r, app) == SC_OK);
        for (size_t i = 0; i <= nb; i++) {
            sc_jctx ctx;
            sc_jctx_init(&ctx, NULL, g);
            sc_enc_ballot *b = NULL;
            sc_status rc = sc_ballot_reader_next(r, &ctx, g, m, &b);
            if (rc != SC_OK || b == NULL) {
                fprintf(stderr, "after append, ballot %zu of %zu lost: %s\n",
                        i + 1, nb + 1, ctx.msg);
                FZ_ASSERT(0);
            }
            char *s = dump_ballot(g, b);
            FZ_ASSERT(strcmp(s, dumps[i < nb ? i : 0]) == 0);
            free(s);
            sc_enc_ballot_free(b);
        }
        sc_ballot_reader_free(r);
    }
    for (size_t i = 0; i < nb; i++) {
        free(dumps[i]);
        sc_enc_ballot_free(kept[i]);
    }
    sc_manifest_free(own);
    return 0;
}
