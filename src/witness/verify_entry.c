/* The verifying witness's rules for one entry: the board's door checks
 * (docs/BOARD.md §4.1, 3-16) replayed on the log, with the verifier's code
 * for each ballot. See verify_board.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "scrutin/core.h"
#include "scrutin/eghash.h"
#include "scrutin/entry.h"
#include "scrutin/json.h"
#include "scrutin/logrec.h"
#include "scrutin/tlog.h"
#include "witness/verify_int.h"

static sc_status bad(wv_run *r, uint64_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sc_status bad(wv_run *r, uint64_t i, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->why, r->wl, "invalid entry %llu: %s", (unsigned long long)i,
             msg);
    return SC_E_VERIFY;
}

static int hexn(uint8_t *out, size_t n, const char *s)
{
    return s != NULL && sc_hex_decode(out, n, s, strlen(s)) == SC_OK;
}

static void dev_view(const sc_door *door, const sc_wvdb_dev *d,
                     sc_door_device *dd)
{
    sc_door_device_init(door, dd, d->index, d->name, strlen(d->name),
                        d->simple ? SC_DOOR_CHAIN_SIMPLE : SC_DOOR_CHAIN_NONE);
}

/* Entry 0: the election for this origin and board key, signed by the
 * authority it names; its files give the door. */
static sc_status election(wv_run *r, const sc_entry *e, const uint8_t *p,
                          size_t len)
{
    sc_jctx ctx;
    sc_jctx_init(&ctx, "election payload", NULL);
    sc_json *o = NULL;
    const char *ty = NULL, *origin = NULL, *bk = NULL, *ak = NULL;
    sc_status rc = SC_OK;
    if (sc_json_parse(&ctx, (const char *)p, len, &o) != SC_OK ||
        sc_json_get_str(&ctx, o, "type", &ty) != SC_OK ||
        strcmp(ty, "election") != 0 ||
        sc_json_get_str(&ctx, o, "origin", &origin) != SC_OK ||
        sc_json_get_str(&ctx, o, "board_key", &bk) != SC_OK ||
        sc_json_get_str(&ctx, o, "authority_key", &ak) != SC_OK) {
        rc = bad(r, 0, "not an election payload: %s",
                 ctx.msg[0] ? ctx.msg : "type");
    } else if (strcmp(origin, r->origin) != 0 || strcmp(bk, r->log_vkey) != 0) {
        rc = bad(r, 0, "the election names another origin or board key");
    } else if (!hexn(r->st->authority, 32, ak) ||
               memcmp(r->st->authority, e->signer, 32) != 0) {
        rc = bad(r, 0, "not signed by the authority key the election names");
    }
    sc_json_free(o);
    if (rc != SC_OK) {
        return rc;
    }
    char err[300] = "";
    sc_door *d = NULL;
    rc = sc_door_new_from_election(&d, p, len, 1, err, sizeof err);
    if (rc != SC_OK) {
        return rc == SC_E_NOMEM ? rc : bad(r, 0, "election: %s", err);
    }
    /* the origin names H_E (docs/BOARD.md §3) */
    char hx[65], want[64];
    sc_hex_encode(hx, sc_door_h_e(d), 32);
    for (char *c = hx; *c; c++) {
        *c = (char)(*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
    }
    snprintf(want, sizeof want, "scrutin.board/%.16s", hx);
    if (strcmp(want, r->origin) != 0) {
        sc_door_free(d);
        return bad(r, 0, "origin %s is not %s (H_E)", r->origin, want);
    }
    r->st->election = malloc(len);
    if (r->st->election == NULL) {
        sc_door_free(d);
        return SC_E_NOMEM;
    }
    memcpy(r->st->election, p, len);
    r->st->election_len = len;
    snprintf(r->st->origin, sizeof r->st->origin, "%s", r->origin);
    sc_door_free(*r->door);
    *r->door = d;
    return SC_OK;
}

static sc_status device(wv_run *r, uint64_t i, const uint8_t *p, size_t len)
{
    sc_jctx ctx;
    sc_jctx_init(&ctx, "device payload", NULL);
    sc_json *o = NULL;
    const char *ty = NULL, *nm = NULL, *ch = NULL, *pk = NULL;
    sc_wvdb_dev d;
    memset(&d, 0, sizeof d);
    sc_status rc = SC_OK;
    if (sc_json_parse(&ctx, (const char *)p, len, &o) != SC_OK ||
        sc_json_get_str(&ctx, o, "type", &ty) != SC_OK ||
        strcmp(ty, "device") != 0 ||
        sc_json_get_u32(&ctx, o, "index", &d.index) != SC_OK ||
        sc_json_get_str(&ctx, o, "device", &nm) != SC_OK ||
        sc_json_get_str(&ctx, o, "chaining", &ch) != SC_OK ||
        sc_json_get_str(&ctx, o, "public_key", &pk) != SC_OK ||
        !hexn(d.pub, 32, pk) ||
        (strcmp(ch, "simple") != 0 && strcmp(ch, "none") != 0) ||
        nm[0] == '\0' || strlen(nm) >= sizeof d.name) {
        rc = bad(r, i, "not a device payload: %s",
                 ctx.msg[0] ? ctx.msg : "chaining, public_key or S_device");
        goto done;
    }
    sc_wvdb_dev old;
    sc_status g = sc_wvdb_dev_get(r->db, d.pub, &old);
    if (g != SC_OK && g != SC_E_RANGE) {
        rc = g;
    } else if (d.index != r->st->devices + 1) {
        rc = bad(r, i, "device index %u: the next is %u", (unsigned)d.index,
                 (unsigned)(r->st->devices + 1));
    } else if (g == SC_OK || memcmp(d.pub, r->st->authority, 32) == 0 ||
               crypto_core_ed25519_is_valid_point(d.pub) != 1) {
        rc = bad(r, i, "device %u: its key is registered already or invalid",
                 (unsigned)d.index);
    } else {
        snprintf(d.name, sizeof d.name, "%s", nm);
        d.simple = strcmp(ch, "simple") == 0;
        rc = sc_wvdb_dev_put(r->db, &d);
        r->st->devices++;
    }
done:
    sc_json_free(o);
    return rc;
}

static sc_status uniq(wv_run *r, uint64_t i, int kind, const void *v, size_t n,
                      const char *what)
{
    sc_status rc = sc_wvdb_uniq_add(r->db, kind, v, n);
    return rc == SC_E_DUPLICATE ? bad(r, i, "ballot: duplicate %s", what) : rc;
}

/* A ballot: the verifier's checks of one ballot at the device's next
 * position, then what needs the whole log (5.A and codes unique). */
static sc_status ballot(wv_run *r, uint64_t i, const sc_entry *e,
                        sc_wvdb_dev *d, const uint8_t *p, size_t len)
{
    if (memchr(p, '\n', len) != NULL) {
        return bad(r, i, "ballot: a newline inside the line");
    }
    sc_door_device dd;
    dev_view(*r->door, d, &dd);
    sc_door_result res;
    sc_status rc = sc_door_check(*r->door, &dd, d->ballots + 1,
                                 d->ballots > 0 ? d->last : NULL,
                                 (const char *)p, len, &res);
    if (rc != SC_OK) {
        return rc;
    }
    if (res.verdict != SC_DOOR_ACCEPT) {
        return bad(r, i, "ballot: %s", res.reason);
    }
    if (res.device != d->index) {
        return bad(r, i, "ballot: of device %u signed by device %u",
                   (unsigned)res.device, (unsigned)d->index);
    }
    if (memcmp(res.code, e->key, 32) != 0) {
        return bad(r, i,
                   "ballot: the entry's key is not its confirmation "
                   "code");
    }
    rc = uniq(r, i, SC_WVDB_CODE, res.code, 32, "confirmation code");
    if (rc == SC_OK) {
        rc = uniq(r, i, SC_WVDB_IDB, res.idb, 32, "id_B");
    }
    if (rc == SC_OK) {
        rc = uniq(r, i, SC_WVDB_LABEL, res.id, strlen(res.id), "id");
    }
    if (rc == SC_OK) {
        d->ballots++;
        memcpy(d->last, res.code, 32);
    }
    return rc;
}

/* device_close: the device's count and, chained, its closing hash
 * (eq 77-78). */
static sc_status dclose(wv_run *r, uint64_t i, sc_wvdb_dev *d, const uint8_t *p,
                        size_t len)
{
    sc_jctx ctx;
    sc_jctx_init(&ctx, "device_close payload", NULL);
    sc_json *o = NULL, *cl = NULL;
    const char *bch = NULL, *hh = NULL;
    uint32_t dv = 0;
    uint64_t n = 0;
    uint8_t bc[SC_BC_BYTES], h[32];
    int ok = sc_json_parse(&ctx, (const char *)p, len, &o) == SC_OK &&
             sc_json_get_u32(&ctx, o, "device", &dv) == SC_OK &&
             sc_json_get_u64(&ctx, o, "ballots", &n) == SC_OK;
    if (ok && d->simple) {
        ok = sc_json_get_obj(&ctx, o, "closing", &cl) == SC_OK &&
             sc_json_get_str(&ctx, cl, "chaining_field", &bch) == SC_OK &&
             sc_json_get_str(&ctx, cl, "hash", &hh) == SC_OK &&
             hexn(bc, sizeof bc, bch) && hexn(h, 32, hh);
    }
    sc_json_free(o);
    if (!ok) {
        return bad(r, i, "device_close: %s",
                   ctx.msg[0] ? ctx.msg : "a field is missing");
    }
    if (dv != d->index || n != d->ballots) {
        return bad(r, i,
                   "device_close: device %u with %llu ballots, the log "
                   "has device %u with %llu",
                   (unsigned)dv, (unsigned long long)n, (unsigned)d->index,
                   (unsigned long long)d->ballots);
    }
    if (d->simple) {
        sc_door_device dd;
        dev_view(*r->door, d, &dd);
        uint8_t wbc[SC_BC_BYTES], wh[32];
        sc_door_chain_close(*r->door, &dd, d->ballots, d->last, wbc, wh);
        if (memcmp(bc, wbc, sizeof bc) != 0 || memcmp(h, wh, 32) != 0) {
            return bad(r, i,
                       "device_close: the closing hash is not the one "
                       "of the device's chain (eq 77-78)");
        }
    }
    d->closed = 1;
    return SC_OK;
}

/* write_in_count, write_in: a write-in line of one ballot on the log,
 * after the tally; one count and one opening per id_B, the opening after
 * its count (the door's check_write_in). */
static sc_status write_in(wv_run *r, uint64_t i, unsigned type,
                          const uint8_t *p, size_t len)
{
    const char *tn = sc_entry_type_name(type);
    uint8_t idb[32];
    char why[300];
    int found = 0;
    if (r->st->phase != 1) {
        return bad(r, i, "a %s entry before the tally", tn);
    }
    if (sc_logrec_write_in_line(p, len, idb, why, sizeof why) != SC_OK) {
        return bad(r, i, "%s: %s", tn, why);
    }
    sc_status rc = sc_wvdb_uniq_has(r->db, SC_WVDB_IDB, idb, 32, &found);
    if (rc != SC_OK) {
        return rc;
    }
    if (!found) {
        return bad(r, i,
                   "%s: no ballot on the log has this "
                   "selection_encryption_identifier",
                   tn);
    }
    if (type == SC_ENTRY_WRITE_IN) {
        rc = sc_wvdb_uniq_has(r->db, SC_WVDB_WI_COUNT, idb, 32, &found);
        if (rc != SC_OK) {
            return rc;
        }
        if (!found) {
            return bad(r, i,
                       "write_in: no write_in_count for this "
                       "selection_encryption_identifier before it");
        }
    }
    rc = sc_wvdb_uniq_add(
        r->db, type == SC_ENTRY_WRITE_IN ? SC_WVDB_WI_OPEN : SC_WVDB_WI_COUNT,
        idb, 32);
    return rc == SC_E_DUPLICATE
               ? bad(r, i,
                     "duplicate %s for this selection_encryption_identifier",
                     tn)
               : rc;
}

sc_status wv_entry(wv_run *r, uint64_t i, const uint8_t *raw, const uint8_t *p,
                   size_t len)
{
    sc_entry e;
    if (sc_entry_decode(&e, raw, SC_ENTRY_BYTES) != SC_OK || e.index != i) {
        return bad(r, i, "not a version-1 entry of a known type at its index");
    }
    if ((i == 0) != (e.type == SC_ENTRY_ELECTION)) {
        return bad(r, i, "the election entry is entry 0 only");
    }
    if (i == 0) {
        sc_status rc = election(r, &e, p, len);
        if (rc != SC_OK) {
            return rc;
        }
    }
    if (*r->door == NULL) {
        return bad(r, i, "no election entry before it");
    }
    if (sc_entry_verify(&e, r->origin) != SC_OK) {
        return bad(r, i, "the submitter's signature fails (§3.2)");
    }
    const char *tn = sc_entry_type_name(e.type);
    sc_wvdb_dev d;
    uint32_t *seq;
    if (sc_entry_type_by_authority(e.type)) {
        if (memcmp(e.signer, r->st->authority, 32) != 0) {
            return bad(r, i, "a %s entry not signed by the authority", tn);
        }
        seq = &r->st->auth_seq;
    } else {
        sc_status g = sc_wvdb_dev_get(r->db, e.signer, &d);
        if (g == SC_E_RANGE || (g == SC_OK && d.closed)) {
            return bad(r, i, "a %s entry signed by no registered open device",
                       tn);
        }
        if (g != SC_OK) {
            return g;
        }
        seq = &d.seq;
    }
    if (e.seq != *seq + 1) {
        return bad(r, i, "signer's seq %u after %u", (unsigned)e.seq,
                   (unsigned)*seq);
    }
    *seq = e.seq;
    if (r->st->phase == 2) {
        return bad(r, i, "an entry after the close entry");
    }
    int voting = e.type == SC_ENTRY_BALLOT || e.type == SC_ENTRY_DEVICE ||
                 e.type == SC_ENTRY_DEVICE_CLOSE;
    if (voting && r->st->phase != 0) {
        return bad(r, i, "a %s entry after the tally", tn);
    }
    sc_status rc = SC_OK;
    switch (e.type) {
    case SC_ENTRY_DEVICE: rc = device(r, i, p, len); break;
    case SC_ENTRY_BALLOT: rc = ballot(r, i, &e, &d, p, len); break;
    case SC_ENTRY_DEVICE_CLOSE: rc = dclose(r, i, &d, p, len); break;
    case SC_ENTRY_WITNESS_POLICY: {
        sc_witness_policy pol;
        char msg[200] = "";
        if (sc_witness_policy_parse(&pol, (const char *)p, len, msg,
                                    sizeof msg) != SC_OK) {
            rc = bad(r, i, "witness_policy: %s", msg);
        } else {
            sc_witness_policy_clear(&pol);
        }
        break;
    }
    case SC_ENTRY_TALLY: r->st->phase = 1; break;
    case SC_ENTRY_CLOSE: r->st->phase = 2; break;
    case SC_ENTRY_WRITE_IN_COUNT:
    case SC_ENTRY_WRITE_IN: rc = write_in(r, i, e.type, p, len); break;
    default: break;
    }
    if (rc == SC_OK && !sc_entry_type_by_authority(e.type)) {
        rc = sc_wvdb_dev_put(r->db, &d);
    }
    return rc;
}
