/* Fuzz target: the JSON layer's fast reader of plain JSON
 * (src/lib/record/json_plain.c) against jansson, which it stands in for.
 *
 * Input: any bytes, read as one JSON text.
 *
 * Invariants: whatever the fast reader accepts, jansson (json_loadb with
 * JSON_REJECT_DUPLICATES) accepts too, with an equal tree whose compact
 * dump is the same bytes (keys in the same order); and the layer's two
 * entry points, sc_json_parse and sc_json_loadb, accept exactly what
 * jansson accepts, with an equal tree, an error message otherwise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_util.h"
#include "record/json_plain.h"
#include "scrutin/json.h"

static void same_tree(json_t *a, json_t *b)
{
    FZ_ASSERT(json_equal(a, b));
    char *x = json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY);
    char *y = json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY);
    FZ_ASSERT(x != NULL && y != NULL && strcmp(x, y) == 0);
    free(x);
    free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    json_error_t e;
    json_t *j = json_loadb(s, size, JSON_REJECT_DUPLICATES, &e);
    json_t *p = sc_json_plain_parse(s, size);
    if (p != NULL) {
        FZ_ASSERT(j != NULL);
        same_tree(p, j);
        json_decref(p);
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, "f.json", NULL);
    sc_json *v = NULL;
    sc_status rc = sc_json_parse(&ctx, s, size, &v);
    char err[160] = "";
    sc_json *w = sc_json_loadb(s, size, err, sizeof err);
    if (j != NULL) {
        FZ_ASSERT(rc == SC_OK && v != NULL && w != NULL);
        same_tree(v, j);
        same_tree(w, j);
    } else {
        FZ_ASSERT(rc != SC_OK && v == NULL && w == NULL);
        FZ_ASSERT(strncmp(ctx.msg, "f.json: invalid JSON", 20) == 0);
        FZ_ASSERT(err[0] != '\0');
    }
    json_decref(v);
    json_decref(w);
    json_decref(j);
    return 0;
}
