/* The board's log in an exported record (docs/BOARD.md §6, `scrutin board
 * export`), checked when the record has a log/ folder:
 *   L1 every entry (scrutin/logrec.h: version, type, index, payload
 *      length and SHA-256, signature, signer, sequence, payload form)
 *   L2 L2.A the root recomputed from every entry equals the checkpoint's,
 *      for the checkpoint's size = the number of entries
 *   L3 L3.A the checkpoint is signed by the board key of the election
 *      entry (origin = key name); L3.B the log holds a witness policy;
 *      L3.C its quorum of valid cosignatures is on the checkpoint
 *   L4 the record files are exactly the projection of the log: L4.A a
 *      file differs, L4.B a file is in the record but not in the log,
 *      L4.C a file of the log is missing from the record. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "verify/vctx.h"

#include "scrutin/entry.h"
#include "scrutin/json.h"
#include "scrutin/logrec.h"
#include "scrutin/tlog.h"

static sc_status payload_file(void *ctx, const uint8_t sha[32], uint32_t len,
                              uint8_t **data, size_t *dlen)
{
    const char *dir = ctx;
    char name[128];
    static const char dg[] = "0123456789abcdef";
    (void)len;
    memcpy(name, "log/payloads/", 13);
    for (int i = 0; i < 32; i++) {
        name[13 + 2 * i] = dg[sha[i] >> 4];
        name[14 + 2 * i] = dg[sha[i] & 15];
    }
    name[77] = '\0';
    return vr_load_file(dir, name, data, dlen) == SC_OK ? SC_OK : SC_E_IO;
}

/* L4: walk the record; `rel` is the path below ctx->dir. */
typedef struct l4 {
    vr_ctx *ctx;
    const sc_logrec *proj;
    uint8_t *seen;
    uint64_t ok;
} l4;

static void walk_dir(l4 *s, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", s->ctx->dir, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (d == NULL) {
        sc_report_error(s->ctx->rep, "L4", rel[0] ? rel : ".",
                        "cannot list the folder");
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        char r2[2048], full[4096];
        snprintf(r2, sizeof r2, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", s->ctx->dir, r2);
        struct stat st;
        if (lstat(full, &st) != 0) {
            sc_report_error(s->ctx->rep, "L4", r2, "cannot stat");
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            walk_dir(s, r2);
            continue;
        }
        if (strcmp(r2, "log/checkpoint") == 0) {
            continue; /* checked by L2, L3 */
        }
        const sc_logrec_file *f = sc_logrec_find(s->proj, r2);
        if (f == NULL || !S_ISREG(st.st_mode)) {
            sc_report_fail(s->ctx->rep, "L4.B", r2,
                           "in the record but not in the log");
            continue;
        }
        s->seen[f - s->proj->f] = 1;
        uint8_t *data = NULL;
        size_t len = 0;
        if (vr_load_file(s->ctx->dir, r2, &data, &len) != SC_OK) {
            sc_report_error(s->ctx->rep, "L4", r2, "cannot read");
        } else if (len != f->len || (len > 0 && memcmp(data, f->data, len))) {
            sc_report_fail(s->ctx->rep, "L4.A", r2,
                           "differs from the log's projection");
        } else {
            s->ok++;
        }
        free(data);
    }
    closedir(d);
}

/* L3.D: the log extends the largest checkpoint seen of it before (kept
 * in opts.state_dir); the log's checkpoint is kept if larger. Only for a
 * checkpoint whose board signature held and whose root is the entries'. */
static void check_state(vr_ctx *ctx, const sc_logrec *proj,
                        const sc_vkey *board, const sc_checkpoint *cp,
                        const uint8_t *msg, size_t len, sc_tlog_mem *m)
{
    char name[SC_TLOG_NAME_MAX + 16], path[4096];
    sc_logrec_state_name(name, sizeof name, proj->origin);
    snprintf(path, sizeof path, "%s/%s", ctx->opts.state_dir, name);
    uint8_t *old = NULL;
    size_t olen = 0;
    if (vr_load_file(ctx->opts.state_dir, name, &old, &olen) == SC_OK) {
        sc_checkpoint prev;
        uint8_t root[32];
        if (sc_checkpoint_open(&prev, NULL, (const char *)old, olen, board) !=
            SC_OK) {
            sc_report_error(ctx->rep, "L3", path,
                            "the checkpoint kept there does not check");
            free(old);
            return;
        }
        free(old);
        if (prev.size > cp->size) {
            sc_report_fail(ctx->rep, "L3.D", path,
                           "ROLLBACK: a log of %llu entries was seen before, "
                           "this one has %llu",
                           (unsigned long long)prev.size,
                           (unsigned long long)cp->size);
            return;
        }
        if (prev.size > 0 &&
            (sc_tlog_root(root, sc_tlog_mem_get, m, prev.size) != SC_OK ||
             memcmp(root, prev.root, 32) != 0)) {
            sc_report_fail(ctx->rep, "L3.D", path,
                           "FORK: the first %llu entries are not the log "
                           "seen before",
                           (unsigned long long)prev.size);
            return;
        }
        sc_report_pass(ctx->rep, "L3", 1);
        if (prev.size == cp->size) {
            return;
        }
    }
    if (sc_file_write_atomic_mode(path, msg, len, 0600) != SC_OK) {
        sc_report_error(ctx->rep, "L3", path, "cannot keep the checkpoint");
    }
}

static void check_checkpoint(vr_ctx *ctx, const sc_logrec *proj,
                             const uint8_t *entries, uint64_t n)
{
    sc_report *rep = ctx->rep;
    const char *f = "log/checkpoint";
    uint8_t *msg = NULL;
    size_t len = 0;
    sc_note note;
    sc_checkpoint cp;
    sc_vkey board;
    sc_tlog_mem *m = NULL;
    int l2ok = 0;
    memset(&note, 0, sizeof note);
    if (vr_load_file(ctx->dir, f, &msg, &len) != SC_OK) {
        sc_report_error(rep, "L2", f, "cannot read the checkpoint");
        sc_report_error(rep, "L3", f, "cannot read the checkpoint");
        goto done;
    }
    /* L3.A: the board's signature. */
    if (sc_vkey_parse(&board, proj->board_vkey, strlen(proj->board_vkey)) !=
            SC_OK ||
        strcmp(board.name, proj->origin) != 0) {
        sc_report_fail(rep, "L3.A", "entry 0",
                       "the election's board_key is not a vkey named by the "
                       "origin");
        sc_report_error(rep, "L2", f, "no board key to open the checkpoint");
        goto done;
    }
    sc_status rc =
        sc_checkpoint_open(&cp, &note, (const char *)msg, len, &board);
    if (rc != SC_OK) {
        sc_report_fail(rep, "L3.A", f, "%s",
                       rc == SC_E_VERIFY ? "no valid signature of the board key"
                                         : "not a signed checkpoint");
        sc_report_error(rep, "L2", f, "the checkpoint cannot be opened");
        goto done;
    }
    sc_report_pass(rep, "L3", 1);
    /* L2.A: the root of every entry. */
    rc = sc_tlog_mem_new(&m);
    for (uint64_t i = 0; i < n && rc == SC_OK; i++) {
        uint8_t leaf[32];
        sc_tlog_leaf_hash(leaf, entries + i * SC_ENTRY_BYTES, SC_ENTRY_BYTES);
        rc = sc_tlog_mem_append(m, leaf);
    }
    uint8_t root[32];
    if (rc == SC_OK) {
        rc = sc_tlog_root(root, sc_tlog_mem_get, m, n);
    }
    if (rc != SC_OK) {
        sc_report_error(rep, "L2", NULL, "cannot compute the root");
    } else if (cp.size != n || memcmp(root, cp.root, 32) != 0) {
        sc_report_fail(rep, "L2.A", f,
                       "the checkpoint (size %llu) is not the root of the "
                       "%llu entries",
                       (unsigned long long)cp.size, (unsigned long long)n);
    } else {
        sc_report_pass(rep, "L2", 1);
        l2ok = 1;
    }
    /* L3.B, L3.C: the witness quorum of the log's policy. */
    if (proj->policy == NULL) {
        sc_report_fail(rep, "L3.B", NULL, "the log holds no witness policy");
        goto done;
    }
    sc_witness_policy pol;
    char why[256] = "";
    if (sc_witness_policy_parse(&pol, proj->policy, proj->policy_len, why,
                                sizeof why) != SC_OK) {
        sc_report_fail(rep, "L3.B", "log/policy.json", "not a policy: %s", why);
        goto done;
    }
    size_t count = 0;
    if (sc_witness_policy_check(&pol, &note, &count) != SC_OK) {
        sc_report_fail(rep, "L3.C", f,
                       "%zu witnesses cosigned: the policy's quorum is not "
                       "met",
                       count);
    } else {
        sc_report_pass(rep, "L3", 1);
        /* L3.D: only a checkpoint with its quorum is kept */
        if (l2ok && ctx->opts.state_dir != NULL) {
            check_state(ctx, proj, &board, &cp, msg, len, m);
        }
    }
    sc_witness_policy_clear(&pol);
done:
    sc_tlog_mem_free(m);
    sc_note_clear(&note);
    free(msg);
}

void vr_log(vr_ctx *ctx)
{
    static const char *const ids[] = {"L1", "L2", "L3", "L4"};
    static const char *const titles[] = {"log entries and payloads", "log root",
                                         "checkpoint signatures",
                                         "record = projection of the log"};
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/log", ctx->dir);
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return; /* a record without a log: nothing to check */
    }
    sc_report *rep = ctx->rep;
    for (size_t i = 0; i < 4; i++) {
        sc_report_step(rep, ids[i], titles[i]);
    }
    uint8_t *entries = NULL;
    size_t len = 0;
    sc_logrec proj;
    int ran = 0;
    memset(&proj, 0, sizeof proj);
    if (vr_load_file(ctx->dir, "log/entries.bin", &entries, &len) != SC_OK) {
        sc_report_error(rep, "L1", "log/entries.bin", "cannot read");
        goto out;
    }
    if (len == 0 || len % SC_ENTRY_BYTES != 0) {
        sc_report_fail(rep, "L1.A", "log/entries.bin",
                       "%zu bytes: not a whole number of %d-byte entries", len,
                       SC_ENTRY_BYTES);
        goto out;
    }
    uint64_t n = len / SC_ENTRY_BYTES;
    sc_status rc = sc_logrec_build(&proj, entries, n, payload_file,
                                   (void *)(uintptr_t)ctx->dir);
    if (rc == SC_E_VERIFY) {
        sc_report_fail(rep, proj.fail_cond, "log", "%s", proj.fail);
        goto out;
    }
    if (rc != SC_OK) {
        sc_report_error(rep, "L1", "log", "%s",
                        proj.fail[0] ? proj.fail : sc_strerror(rc));
        goto out;
    }
    sc_report_pass(rep, "L1", n);
    ran = 1;
    check_checkpoint(ctx, &proj, entries, n);
    l4 s = {ctx, &proj, calloc(proj.n ? proj.n : 1, 1), 0};
    if (s.seen == NULL) {
        sc_report_error(rep, "L4", NULL, "out of memory");
        goto out;
    }
    walk_dir(&s, "");
    for (size_t i = 0; i < proj.n; i++) {
        if (!s.seen[i]) {
            sc_report_fail(rep, "L4.C", proj.f[i].name,
                           "in the log but not in the record");
        }
    }
    sc_report_pass(rep, "L4", s.ok);
    free(s.seen);
out:
    for (size_t i = 1; i < 4 && !ran; i++) {
        sc_report_skip(rep, ids[i], "not checked: the entries (L1) failed");
    }
    sc_logrec_free(&proj);
    free(entries);
    for (size_t i = 0; i < 4; i++) {
        sc_report_end(rep, ids[i]);
    }
}
