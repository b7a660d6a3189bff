/* The board asks its witnesses to cosign each new checkpoint (C2SP
 * tlog-witness add-checkpoint, docs/BOARD.md §5): the consistency proof
 * from the size each witness last cosigned, a retry with the size a 409
 * names, the cosignature lines checked against the policy's vkey and
 * stored (served with /checkpoint, and in receipts once they make the
 * quorum). Called on the witness lane (publish.c), never by the
 * sequencer: the answers do not wait for the witnesses.
 *
 * With -DSC_BOARD_FORK_TEST=ON (tests only, never in release builds) the
 * board can be made to show one witness a different tree of the same
 * size (issue 9's equivocation test). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_int.h"
#include "net/httpc.h"

/* Keep the cosignature lines of witness w that verify on note_text. */
static int store_cosigs(sc_bdb *db, const sc_policy_witness *w, uint64_t size,
                        const char *note_text, const char *lines)
{
    int stored = 0;
    const char *p = lines;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t ll = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
        size_t tl = strlen(note_text);
        char *full = malloc(tl + ll + 2);
        if (full == NULL) {
            break;
        }
        memcpy(full, note_text, tl);
        memcpy(full + tl, p, ll);
        full[tl + ll] = '\0';
        if (ll > 0 && full[tl + ll - 1] != '\n') {
            full[tl + ll++] = '\n';
            full[tl + ll] = '\0';
        }
        sc_note n;
        if (sc_note_parse(&n, full, tl + ll) == SC_OK) {
            if (sc_cosig_verify(&n, &w->vkey, NULL) == SC_OK) {
                char line[1024];
                size_t cl = ll < sizeof line ? ll : sizeof line - 1;
                memcpy(line, p, cl);
                line[cl] = '\0';
                if (sc_bdb_cosig_put(db, size, w->name, line) == SC_OK) {
                    stored = 1;
                }
            }
            sc_note_clear(&n);
        }
        free(full);
        p += ll;
        if (nl == NULL) {
            break;
        }
    }
    return stored;
}

#ifdef SC_BOARD_FORK_TEST
/* Test only: the mark tests/board/no_hooks.sh looks for (a symbol and a
 * string only a build with the hooks holds; the hooks themselves are
 * inlined). */
__attribute__((used)) const char sc_board_hook_fork_mark[] =
    "scrutin board test hook: forked checkpoints";

/* Test only: name is one of the comma-separated names of list. */
static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p != NULL && *p != '\0';) {
        const char *c = strchr(p, ',');
        size_t l = c != NULL ? (size_t)(c - p) : strlen(p);
        if (l == n && memcmp(p, name, n) == 0) {
            return 1;
        }
        p = c != NULL ? c + 1 : NULL;
    }
    return 0;
}

/* Test only: a board-signed checkpoint of the same size with another
 * root. */
static char *forked_note(sc_board *b, uint64_t size, const uint8_t root[32])
{
    sc_checkpoint cp = {.size = size};
    snprintf(cp.origin, sizeof cp.origin, "%s", b->origin);
    crypto_hash_sha256(cp.root, root, 32);
    char text[SC_CHECKPOINT_TEXT_MAX + 1];
    size_t tl = 0, ol = 0;
    sc_note n;
    memset(&n, 0, sizeof n);
    char *out = NULL;
    if (sc_checkpoint_format(text, sizeof text, &tl, &cp) != SC_OK ||
        sc_note_init(&n, text, tl) != SC_OK ||
        sc_note_sign(&n, b->origin, b->board_sk) != SC_OK ||
        sc_note_format(&n, &out, &ol) != SC_OK) {
        out = NULL;
    }
    sc_note_clear(&n);
    return out;
}
#endif

static void call_one(sc_board *b, sc_bdb *db, const sc_policy_witness *w,
                     uint64_t size, const char *note, const uint8_t root[32])
{
    uint64_t old = 0;
    if (sc_bdb_witness_size(db, w->name, &old) != SC_OK || old == size) {
        return; /* cosigned already */
    }
    const char *send = note;
    char *forked = NULL;
#ifdef SC_BOARD_FORK_TEST
    if (listed(b->cfg.fork_witness, w->name) && old > 0) {
        forked = forked_note(b, size, root);
        send = forked != NULL ? forked : note;
    }
#else
    (void)b;
    (void)root;
#endif
    char *url = sc_httpc_url(w->url, "/add-checkpoint");
    const sc_httpc_opts opts = {
        .connect_timeout_ms = 1000, .timeout_ms = 3000, .max_body = 65536};
    for (int attempt = 0; url != NULL && attempt < 3; attempt++) {
        if (old > size) {
            break;
        }
        uint8_t proof[SC_TLOG_MAX_PROOF][32];
        size_t np = 0;
        if (old > 0 && sc_tlog_consistency_proof(proof, &np, sc_bdb_node_cb, db,
                                                 old, size) != SC_OK) {
            break;
        }
        char *body = NULL;
        size_t bl = 0;
        if (sc_add_checkpoint_format(&body, &bl, old,
                                     (const uint8_t(*)[32])proof, np, send,
                                     strlen(send)) != SC_OK) {
            break;
        }
        sc_httpc_resp r;
        memset(&r, 0, sizeof r);
        char err[200] = "";
        if (sc_httpc_post(url, "text/plain; charset=utf-8", NULL, 0, body, bl,
                          &opts, &r, err, sizeof err) != SC_OK) {
            r.status = 0;
        }
        free(body);
        long status = r.status;
        const char *rb = r.body != NULL ? r.body : err;
        if (status == 200) {
            if (forked == NULL && store_cosigs(db, w, size, note, rb)) {
                if (sc_bdb_witness_size_put(db, w->name, size) != SC_OK) {
                    fprintf(stderr, "scrutin board: cannot store witness "
                                    "state\n");
                }
            }
            sc_httpc_resp_free(&r);
            break;
        }
        uint64_t theirs = 0;
        if (status == 409 && r.body != NULL &&
            sc_tlog_size_body_parse(&theirs, r.body, r.len) == SC_OK &&
            theirs != old) {
            sc_httpc_resp_free(&r);
            old = theirs; /* retry with the size it names */
            continue;
        }
        fprintf(stderr,
                "scrutin board: witness %s refused checkpoint %llu: HTTP %ld "
                "%.200s\n",
                w->name, (unsigned long long)size, status, rb);
        sc_httpc_resp_free(&r);
        break;
    }
    free(url);
    free(forked);
}

void bd_witnesses_call(sc_board *b, sc_bdb *db, const sc_witness_policy *p,
                       uint64_t size)
{
    uint8_t root[32];
    char *note = NULL;
    if (sc_bdb_checkpoint_get(db, size, root, &note) != SC_OK) {
        return;
    }
    for (size_t i = 0; i < p->n; i++) {
        call_one(b, db, &p->w[i], size, note, root);
    }
    free(note);
}
