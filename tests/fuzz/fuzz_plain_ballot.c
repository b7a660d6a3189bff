/* Fuzz target: plaintext ballots (sc_plain_ballot_parse, scrutin/ballot.h)
 * against a manifest.
 *
 * Input: "MANIFEST\0BALLOT" (the manifest is parsed first; if it is
 * rejected the input is done), or just BALLOT, checked against a fixed
 * manifest with two styles, NO_LIMIT / CONTEST_LIMIT and option limits.
 *
 * Invariants: an error leaves *out NULL and a message naming the input; an
 * accepted ballot has a non-empty id, a style of the manifest, weight >= 1,
 * selections only for contests of its style, each value within its
 * option's limit R; parsing the same JSON through sc_plain_ballot_from_json
 * gives the same ballot. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_manifest_split.h"
#include "fuzz_util.h"
#include "scrutin/ballot.h"
#include "scrutin/manifest.h"

static const char default_manifest[] =
    "{\"label\":\"Fuzz\",\"contests\":["
    "{\"label\":\"Mayor\",\"options\":[{\"label\":\"Ada\"},{\"label\":"
    "\"Grace\"}]},"
    "{\"label\":\"Council\",\"selection_limit\":2,\"options\":[{\"label\":"
    "\"Alan\"},{\"label\":\"Barbara\",\"selection_limit\":\"CONTEST_LIMIT\"},"
    "{\"label\":\"Edsger\"}]},"
    "{\"label\":\"Budget\",\"selection_limit\":\"NO_LIMIT\",\"options\":[{"
    "\"label\":\"Parks\",\"selection_limit\":3},{\"label\":\"Roads\"}]}],"
    "\"ballot_styles\":[{\"label\":\"North\",\"contests\":[1,2,3]},"
    "{\"label\":\"South\",\"contests\":[1,3]}]}";

static sc_manifest *dflt;

static void check_ballot(const sc_manifest *m, const sc_plain_ballot *b)
{
    FZ_ASSERT(b->id != NULL && b->id[0] != '\0');
    FZ_ASSERT(b->style >= 1 && b->style <= m->n_styles);
    FZ_ASSERT(b->weight >= 1);
    FZ_ASSERT(b->challenge == 0 || b->challenge == 1);
    FZ_ASSERT(b->n_contests == m->n_contests);
    FZ_ASSERT(b->n_values == sc_manifest_option_count(m));
    for (size_t c = 0; c < m->n_contests; c++) {
        if (b->selections[c] == NULL) {
            continue;
        }
        FZ_ASSERT(sc_manifest_style_has(m, b->style, (uint32_t)(c + 1)));
        FZ_ASSERT(b->selections[c] >= b->values &&
                  b->selections[c] + m->contests[c].n_options <=
                      b->values + b->n_values);
        for (size_t j = 0; j < m->contests[c].n_options; j++) {
            FZ_ASSERT(b->selections[c][j] <= m->contests[c].options[j].limit);
        }
    }
}

static void same_ballot(const sc_plain_ballot *a, const sc_plain_ballot *b)
{
    FZ_ASSERT(strcmp(a->id, b->id) == 0 && a->style == b->style &&
              a->weight == b->weight && a->challenge == b->challenge);
    FZ_ASSERT((a->device == NULL) == (b->device == NULL));
    FZ_ASSERT(a->device == NULL || strcmp(a->device, b->device) == 0);
    FZ_ASSERT(a->n_values == b->n_values);
    for (size_t c = 0; c < a->n_contests; c++) {
        FZ_ASSERT((a->selections[c] == NULL) == (b->selections[c] == NULL));
    }
    FZ_ASSERT(a->n_values == 0 || memcmp(a->values, b->values,
                                         a->n_values * sizeof *a->values) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_init();
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
    sc_jctx ctx;
    sc_jctx_init(&ctx, "ballot.json", NULL);
    sc_plain_ballot *b = NULL;
    sc_status rc = sc_plain_ballot_parse(&ctx, m, (const char *)data, size, &b);
    if (rc != SC_OK) {
        FZ_ASSERT(b == NULL);
        FZ_ASSERT(rc == SC_E_NOMEM || ctx.rc != SC_OK);
        FZ_ASSERT(rc == SC_E_NOMEM || strncmp(ctx.msg, "ballot.json", 11) == 0);
    } else {
        check_ballot(m, b);
        json_t *j = json_loadb((const char *)data, size, 0, NULL);
        FZ_ASSERT(j != NULL);
        sc_plain_ballot *b2 = NULL;
        sc_jctx_init(&ctx, NULL, NULL);
        FZ_ASSERT(sc_plain_ballot_from_json(&ctx, m, j, &b2) == SC_OK);
        same_ballot(b, b2);
        sc_plain_ballot_free(b2);
        json_decref(j);
        sc_plain_ballot_free(b);
    }
    sc_manifest_free(own);
    return 0;
}
