/* Fuzz target: signed notes, checkpoints and cosigned checkpoints
 * (sc_note_parse, sc_checkpoint_parse, sc_checkpoint_open,
 * sc_cosig_verify, sc_vkey_parse). An accepted note formats back to the
 * same bytes; an accepted checkpoint text too; an accepted vkey too. */
#include <stdint.h>
#include <string.h>

#include "fuzz_tlog_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fz_tlog_keys *k = fz_tlog_init();
    const char *s = (const char *)data;
    sc_note n;
    if (sc_note_parse(&n, s, size) == SC_OK) {
        char *out;
        size_t len;
        if (n.nsigs == 0 || n.text[n.text_len - 1] != '\n' ||
            sc_note_format(&n, &out, &len) != SC_OK) {
            __builtin_trap();
        }
        fz_same(out, len, data, size);
        sc_checkpoint cp;
        if (sc_checkpoint_parse(&cp, n.text, n.text_len) == SC_OK) {
            char text[SC_CHECKPOINT_TEXT_MAX + 1];
            size_t tl;
            if (sc_checkpoint_format(text, sizeof text, &tl, &cp) != SC_OK ||
                tl != n.text_len || memcmp(text, n.text, tl) != 0) {
                __builtin_trap();
            }
        }
        uint64_t t;
        sc_status rc = sc_note_verify(&n, &k->board, 1, NULL);
        if ((rc != SC_OK && rc != SC_E_VERIFY) ||
            (sc_cosig_verify(&n, &k->witness, &t) == SC_OK && n.nsigs == 0)) {
            __builtin_trap();
        }
        sc_note_clear(&n);
    } else if (n.text != NULL || n.nsigs != 0) {
        __builtin_trap();
    }
    sc_checkpoint cp;
    sc_note kept;
    if (sc_checkpoint_open(&cp, &kept, s, size, &k->board) == SC_OK) {
        if (strcmp(cp.origin, k->board.name) != 0) {
            __builtin_trap();
        }
        sc_note_clear(&kept);
    }
    sc_vkey vk;
    if (size < 400 && sc_vkey_parse(&vk, s, size) == SC_OK) {
        char buf[SC_VKEY_MAX];
        if (sc_vkey_format(buf, sizeof buf, &vk) != SC_OK ||
            strlen(buf) != size || memcmp(buf, s, size) != 0) {
            __builtin_trap();
        }
    }
    return 0;
}
