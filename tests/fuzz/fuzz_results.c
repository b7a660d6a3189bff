/* Fuzz target: the results.json builder (sc_results_build), which parses
 * encrypted_tally.json and tally.json.
 *
 * Input: encrypted_tally.json, a NUL byte, tally.json (no NUL: the whole
 * input is tally.json and encrypted_tally.json is "{}").
 *
 * Invariants: either SC_OK with a JSON text that parses back, is
 * scrutin-results version 1 and lists as many contests as tally.json, or
 * an error with a message and no output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_util.h"
#include "scrutin/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_init();
    const char *s = (const char *)data;
    const char *nul = memchr(data, 0, size);
    const char *enc = "{}", *tally = s;
    size_t enc_len = 2, tally_len = size;
    if (nul != NULL) {
        enc = s;
        enc_len = (size_t)(nul - s);
        tally = nul + 1;
        tally_len = size - enc_len - 1;
    }
    uint8_t h_e[32] = {7};
    char *out = NULL;
    sc_jctx ctx;
    sc_jctx_init(&ctx, NULL, NULL);
    sc_status rc =
        sc_results_build(&ctx, h_e, enc, enc_len, tally, tally_len, 3, &out);
    if (rc != SC_OK) {
        FZ_ASSERT(out == NULL && ctx.msg[0] != '\0');
        return 0;
    }
    FZ_ASSERT(out != NULL);
    json_error_t e;
    json_t *r = json_loads(out, 0, &e);
    json_t *t = json_loadb(tally, tally_len, 0, &e);
    FZ_ASSERT(r != NULL && t != NULL);
    FZ_ASSERT(strcmp(json_string_value(json_object_get(r, "format")),
                     SC_RESULTS_FORMAT) == 0);
    FZ_ASSERT(json_array_size(json_object_get(r, "contests")) ==
              json_array_size(json_object_get(t, "contests")));
    json_decref(r);
    json_decref(t);
    free(out);
    return 0;
}
