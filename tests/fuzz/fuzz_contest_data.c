/* Fuzz target: the contest data plaintext D_Λ (spec §3.3.10 eq 63,
 * docs/RECORD.md "Contest data encoding"): sc_contest_data_decode, the
 * parser the verifier (V12, V13.A) and `scrutin decrypt` run on bytes
 * another party chose, with its write-in text handling.
 *
 * Input: 4 header bytes that shape the contest, then D:
 *   h[0] & 7      n_real - 1 (1..8 options)
 *   h[1]          bit j: option j+1 is a write-in option
 *   h[2] & 7      contest limit L - 1 (1..8); option limits 1 (bit 3: 2)
 *   h[3] & 3      b_Λ - 1 (1..4 blocks); bit 2: pass D at its own length
 *                 instead of padded/cut to 32·b_Λ (the length check)
 *
 * Invariants: a rejected D gives no object; an accepted D gives the flags
 * that its byte 0 says, in a consistent combination, `selections` (n
 * values) exactly when overvoted and zeros in bytes 1..2n otherwise,
 * write-in texts only for write-in options, each non-empty, NUL-free and
 * shorter than D; and where the flags can be produced by the encoder
 * from some selections, encode(decoded) == D (a fixed point). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "scrutin/contest_data.h"
#include "scrutin/json.h"

#define FZ_MAX_OPT 8

/* Selections that make sc_contest_data_flags() give `flags` for a
 * contest that is not overvoted; 0 if none exist for this shape. */
static int sel_for_flags(const sc_manifest_contest *mc, uint8_t flags,
                         uint32_t *sel)
{
    uint64_t want;
    if (flags == (SC_CD_UNDERVOTE | SC_CD_NULL_VOTE)) {
        want = 0;
    } else if (flags == SC_CD_UNDERVOTE) {
        want = mc->limit - 1;
    } else if (flags == 0) {
        want = mc->limit;
    } else {
        return 0;
    }
    if (flags != (SC_CD_UNDERVOTE | SC_CD_NULL_VOTE) && want == 0) {
        return 0;
    }
    for (size_t j = 0; j < mc->n_real; j++) {
        uint32_t take =
            want < mc->options[j].limit ? (uint32_t)want : mc->options[j].limit;
        sel[j] = take;
        want -= take;
    }
    return want == 0 && sc_contest_data_flags(mc, sel) == flags;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sc_manifest_option opts[FZ_MAX_OPT];
    sc_manifest_contest mc;
    static char label[] = "x";
    if (size < 4) {
        return 0;
    }
    fz_init();
    memset(&mc, 0, sizeof mc);
    memset(opts, 0, sizeof opts);
    mc.label = label;
    mc.n_real = mc.n_options = (size_t)(data[0] & 7) + 1;
    mc.limit = mc.stated = (uint32_t)(data[2] & 7) + 1;
    mc.data_blocks = (uint32_t)(data[3] & 3) + 1;
    mc.options = opts;
    for (size_t j = 0; j < mc.n_real; j++) {
        opts[j].label = label;
        opts[j].limit = opts[j].stated = (data[2] & 8) ? 2 : 1;
        opts[j].write_in = (data[1] >> j) & 1;
        mc.n_write_ins += (size_t)opts[j].write_in;
    }
    size_t len = 32 * (size_t)mc.data_blocks, dlen = size - 4;
    int raw = (data[3] & 4) != 0;
    uint8_t *D = calloc(raw ? dlen + 1 : len, 1);
    FZ_ASSERT(D != NULL);
    memcpy(D, data + 4, raw ? dlen : (dlen < len ? dlen : len));
    if (raw) {
        len = dlen;
    }

    sc_json *o = NULL;
    sc_status rc = sc_contest_data_decode(&mc, D, len, &o);
    if (rc != SC_OK) {
        FZ_ASSERT(o == NULL);
        FZ_ASSERT(rc != SC_E_NOMEM);
        free(D);
        return 0;
    }
    FZ_ASSERT(o != NULL && len == 32 * (size_t)mc.data_blocks);
    sc_jctx ctx;
    sc_jctx_init(&ctx, "fuzz", NULL);
    int over, under, nullv;
    FZ_ASSERT(sc_json_get_bool(&ctx, o, "overvote", &over) == SC_OK);
    FZ_ASSERT(sc_json_get_bool(&ctx, o, "undervote", &under) == SC_OK);
    FZ_ASSERT(sc_json_get_bool(&ctx, o, "null_vote", &nullv) == SC_OK);
    uint8_t flags =
        (uint8_t)((over ? SC_CD_OVERVOTE : 0) | (under ? SC_CD_UNDERVOTE : 0) |
                  (nullv ? SC_CD_NULL_VOTE : 0));
    FZ_ASSERT(flags == D[0]);
    FZ_ASSERT(!(over && (under || nullv)) && !(nullv && !under));

    uint32_t sel[FZ_MAX_OPT] = {0};
    sc_json *arr = NULL;
    size_t na = 0;
    if (over) {
        FZ_ASSERT(sc_json_get_arr(&ctx, o, "selections", &arr, &na) == SC_OK);
        FZ_ASSERT(na == mc.n_real);
        for (size_t j = 0; j < na; j++) {
            FZ_ASSERT(sc_json_as_u32(&ctx, sc_json_array_at(arr, j), "sel",
                                     &sel[j]) == SC_OK);
            FZ_ASSERT(sel[j] == ((uint32_t)D[1 + 2 * j] << 8 | D[2 + 2 * j]));
        }
    } else {
        for (size_t j = 0; j < 2 * mc.n_real; j++) {
            FZ_ASSERT(D[1 + j] == 0);
        }
    }

    const char *texts[FZ_MAX_OPT] = {0};
    sc_json *wi = NULL;
    size_t ntext = 0;
    if (sc_json_get_obj(&ctx, o, "write_ins", &wi) == SC_OK) {
        for (size_t j = 0; j < mc.n_real; j++) {
            char key[8];
            snprintf(key, sizeof key, "%zu", j + 1);
            const char *t = NULL;
            if (sc_json_get_str(&ctx, wi, key, &t) == SC_OK) {
                FZ_ASSERT(opts[j].write_in);
                FZ_ASSERT(t[0] != '\0' && strlen(t) < len);
                texts[j] = t;
                ntext++;
            }
        }
        FZ_ASSERT(ntext > 0);
    }

    /* encode(decode(D)) == D where the encoder can make these flags */
    int can = over ? sc_contest_data_flags(&mc, sel) == SC_CD_OVERVOTE
                   : sel_for_flags(&mc, flags, sel);
    if (can) {
        uint8_t *E = malloc(len);
        FZ_ASSERT(E != NULL);
        const uint32_t *s =
            flags == (SC_CD_UNDERVOTE | SC_CD_NULL_VOTE) ? NULL : sel;
        FZ_ASSERT(sc_contest_data_encode(&mc, s, texts, E) == SC_OK);
        FZ_ASSERT(memcmp(E, D, len) == 0);
        free(E);
    }
    sc_json_free(o);
    free(D);
    return 0;
}
