/* Checks at the door, cheapest first (DESIGN_NOTES §4.3, docs/BOARD.md
 * §4): size, signer registered (and its role), seq (ahead, taken),
 * signature, phase, then per type
 * (ballot: uniqueness of id_B, code and label, chain position eq 73-76);
 * the proofs last, on a worker (bd_door_proofs). Every refusal is one
 * line with its HTTP status. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "board/board_int.h"
#include "scrutin/eghash.h"
#include "scrutin/json.h"
#include "scrutin/logrec.h"
#include "scrutin/verify.h"

#define BALLOT_MAX (1u << 20)
#define SMALL_MAX (16u << 10)

static size_t type_limit(const sc_board *b, unsigned type)
{
    size_t m = b->cfg.max_body != 0 ? b->cfg.max_body : (4u << 20);
    switch (type) {
    case SC_ENTRY_BALLOT:
    case SC_ENTRY_WRITE_IN_COUNT:
    case SC_ENTRY_WRITE_IN: return m < BALLOT_MAX ? m : BALLOT_MAX;
    case SC_ENTRY_DEVICE:
    case SC_ENTRY_DEVICE_CLOSE:
    case SC_ENTRY_WITNESS_POLICY:
    case SC_ENTRY_CLOSE: return SMALL_MAX;
    case SC_ENTRY_ELECTION: return 256u << 20; /* local only */
    default: return m;
    }
}

/* A hex field of the payload, any case, exactly n bytes. */
static int get_hexfield(sc_jctx *ctx, const sc_json *o, const char *k,
                        uint8_t *out, size_t n)
{
    const char *s = NULL;
    return sc_json_get_str(ctx, o, k, &s) == SC_OK && bd_unhex(out, n, s);
}

static void device_view(sc_board *b, const sc_bdb_signer *s,
                        sc_door_device *dev)
{
    sc_door_device_init(b->door, dev, s->device, s->name, strlen(s->name),
                        s->chaining ? SC_DOOR_CHAIN_SIMPLE
                                    : SC_DOOR_CHAIN_NONE);
}

/* The chaining field the device's next ballot must carry (eq 73-76). */
static void expected_bc(sc_board *b, const sc_bdb_signer *s,
                        uint8_t bc[SC_BC_BYTES])
{
    sc_door_device dev;
    device_view(b, s, &dev);
    if (!s->chaining) {
        sc_eg_chain_field(bc, 0, dev.h_di); /* eq 73 */
        return;
    }
    uint8_t prev[32];
    if (s->ballots == 0) {
        sc_door_chain_start(b->door, &dev, prev); /* H_0, eq 74-75 */
    } else {
        memcpy(prev, s->last_h, 32);
    }
    sc_eg_chain_field(bc, 1, prev); /* eq 76 */
}

/* The ballot's fields (once per job: the sequencer's second look at the
 * database reuses them). */
static int read_ballot(bjob *j)
{
    if (memchr(j->payload, '\n', j->len) != NULL) {
        bd_refuse(j, 400, "ballot: a newline inside the line (§3.3)");
        return 1;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, "ballot", NULL);
    sc_json *o = NULL;
    if (sc_json_parse(&ctx, (const char *)j->payload, j->len, &o) != SC_OK) {
        bd_refuse(j, 400, "ballot: not JSON: %s", ctx.msg);
        return 1;
    }
    const char *id = NULL;
    int ok =
        sc_json_get_str(&ctx, o, "id", &id) == SC_OK &&
        sc_json_get_u32(&ctx, o, "device", &j->device) == SC_OK &&
        sc_json_get_u64(&ctx, o, "sequence", &j->dseq) == SC_OK &&
        get_hexfield(&ctx, o, "selection_encryption_identifier", j->id_b, 32) &&
        get_hexfield(&ctx, o, "confirmation_code", j->code, 32) &&
        get_hexfield(&ctx, o, "chaining_field", j->bc, SC_BC_BYTES);
    if (ok && (strlen(id) == 0 || strlen(id) >= sizeof j->label)) {
        ok = 0;
        snprintf(ctx.msg, sizeof ctx.msg,
                 "ballot: field id: empty or longer "
                 "than 95 bytes");
    }
    if (ok) {
        snprintf(j->label, sizeof j->label, "%s", id);
        j->json = o; /* the proofs' check reads it: parsed once */
    } else {
        sc_json_free(o);
    }
    if (!ok) {
        bd_refuse(j, 400, "%s",
                  ctx.msg[0] ? ctx.msg : "ballot: a field is missing");
        return 1;
    }
    if (memcmp(j->code, j->e.key, 32) != 0) {
        bd_refuse(j, 400,
                  "Scrutin-Key differs from the ballot's "
                  "confirmation_code");
        return 1;
    }
    j->parsed = 1;
    return 0;
}

static int check_ballot(sc_board *b, sc_bdb *db, bjob *j,
                        const sc_bdb_signer *s)
{
    if (!j->parsed && read_ballot(j) != 0) {
        return 1;
    }
    uint8_t want[SC_BC_BYTES];
    if (j->device != s->device) {
        bd_refuse(j, 409, "ballot of device %u signed by device %u",
                  (unsigned)j->device, (unsigned)s->device);
        return 1;
    }
    const char *which = NULL;
    sc_status rc = sc_bdb_ballot_taken(db, j->code, j->id_b, j->label, &which);
    if (rc == SC_E_DUPLICATE) {
        bd_refuse(j, 409, "duplicate %s", which);
        return 1;
    }
    if (rc != SC_OK) {
        bd_refuse(j, 503, "storage error");
        return 1;
    }
    if (j->dseq != s->ballots + 1) {
        bd_refuse(j, 409,
                  "wrong chain position: sequence %llu, device %u expects "
                  "%llu",
                  (unsigned long long)j->dseq, (unsigned)s->device,
                  (unsigned long long)(s->ballots + 1));
        return 1;
    }
    expected_bc(b, s, want);
    if (memcmp(j->bc, want, SC_BC_BYTES) != 0) {
        bd_refuse(j, 409,
                  "wrong chain position: chaining_field is not the one "
                  "that follows device %u's ballot %llu (eq 73-76)",
                  (unsigned)s->device, (unsigned long long)s->ballots);
        return 1;
    }
    return 0;
}

static int check_device(sc_board *b, sc_bdb *db, bjob *j)
{
    (void)b;
    sc_jctx ctx;
    sc_jctx_init(&ctx, "device", NULL);
    sc_json *o = NULL;
    if (sc_json_parse(&ctx, (const char *)j->payload, j->len, &o) != SC_OK) {
        bd_refuse(j, 400, "device: not JSON: %s", ctx.msg);
        return 1;
    }
    const char *name = NULL, *ch = NULL;
    int ok = sc_json_get_u32(&ctx, o, "index", &j->reg_index) == SC_OK &&
             sc_json_get_str(&ctx, o, "device", &name) == SC_OK &&
             sc_json_get_str(&ctx, o, "chaining", &ch) == SC_OK &&
             get_hexfield(&ctx, o, "public_key", j->reg_pub, 32);
    if (ok && (strcmp(ch, "simple") == 0 || strcmp(ch, "none") == 0)) {
        j->reg_chaining = strcmp(ch, "simple") == 0;
    } else if (ok) {
        ok = 0;
        snprintf(ctx.msg, sizeof ctx.msg,
                 "device: chaining must be \"simple\" or \"none\"");
    }
    if (ok && (name[0] == '\0' || strlen(name) >= sizeof j->reg_name)) {
        ok = 0;
        snprintf(ctx.msg, sizeof ctx.msg, "device: bad S_device");
    }
    if (ok) {
        snprintf(j->reg_name, sizeof j->reg_name, "%s", name);
    }
    sc_json_free(o);
    if (!ok) {
        bd_refuse(j, 400, "%s",
                  ctx.msg[0] ? ctx.msg : "device: a field is missing");
        return 1;
    }
    uint32_t n = 0;
    sc_bdb_signer s;
    if (sc_bdb_device_count(db, &n) != SC_OK) {
        bd_refuse(j, 503, "storage error");
        return 1;
    }
    if (j->reg_index != n + 1) {
        bd_refuse(j, 409, "device index %u: the next is %u",
                  (unsigned)j->reg_index, (unsigned)(n + 1));
        return 1;
    }
    if (sc_bdb_signer_get(db, j->reg_pub, &s) == SC_OK) {
        bd_refuse(j, 409, "this public key is registered already");
        return 1;
    }
    if (crypto_core_ed25519_is_valid_point(j->reg_pub) != 1) {
        bd_refuse(j, 400, "device: public_key is not a valid Ed25519 key");
        return 1;
    }
    return 0;
}

static int check_device_close(sc_board *b, bjob *j, const sc_bdb_signer *s)
{
    sc_jctx ctx;
    sc_jctx_init(&ctx, "device_close", NULL);
    sc_json *o = NULL, *cl = NULL;
    if (sc_json_parse(&ctx, (const char *)j->payload, j->len, &o) != SC_OK) {
        bd_refuse(j, 400, "device_close: not JSON: %s", ctx.msg);
        return 1;
    }
    uint32_t d = 0;
    uint64_t n = 0;
    uint8_t bc[SC_BC_BYTES], h[32];
    int ok = sc_json_get_u32(&ctx, o, "device", &d) == SC_OK &&
             sc_json_get_u64(&ctx, o, "ballots", &n) == SC_OK;
    if (ok && s->chaining) {
        ok = sc_json_get_obj(&ctx, o, "closing", &cl) == SC_OK &&
             get_hexfield(&ctx, cl, "chaining_field", bc, SC_BC_BYTES) &&
             get_hexfield(&ctx, cl, "hash", h, 32);
    }
    sc_json_free(o);
    if (!ok) {
        bd_refuse(j, 400, "%s",
                  ctx.msg[0] ? ctx.msg : "device_close: a field is missing");
        return 1;
    }
    if (d != s->device || n != s->ballots) {
        bd_refuse(j, 409,
                  "device_close: device %u with %llu ballots, the board has "
                  "device %u with %llu",
                  (unsigned)d, (unsigned long long)n, (unsigned)s->device,
                  (unsigned long long)s->ballots);
        return 1;
    }
    if (s->chaining) {
        sc_door_device dev;
        device_view(b, s, &dev);
        uint8_t wbc[SC_BC_BYTES], wh[32];
        sc_door_chain_close(b->door, &dev, s->ballots, s->last_h, wbc, wh);
        if (memcmp(bc, wbc, sizeof bc) != 0 || memcmp(h, wh, 32) != 0) {
            bd_refuse(j, 409,
                      "device_close: the closing hash is not the one "
                      "of the device's chain (eq 77-78)");
            return 1;
        }
    }
    return 0;
}

static int check_policy(bjob *j)
{
    sc_witness_policy p;
    char msg[200] = "";
    if (sc_witness_policy_parse(&p, (const char *)j->payload, j->len, msg,
                                sizeof msg) != SC_OK) {
        bd_refuse(j, 400, "witness_policy: %s", msg[0] ? msg : "malformed");
        return 1;
    }
    sc_witness_policy_clear(&p);
    return 0;
}

/* write_in_count, write_in (docs/BOARD.md §3.3): while counting (after
 * the tally, before the close), a write-in line of one ballot on the
 * board; one count and one opening per id_B, the opening after its
 * count. */
static int check_write_in(const sc_board *b, sc_bdb *db, bjob *j, int phase)
{
    unsigned type = j->e.type;
    const char *tn = sc_entry_type_name(type);
    char why[300];
    int found = 0;
    if (phase != PH_COUNTING) {
        bd_refuse(j, 403, "%s entries only after the tally", tn);
        return 1;
    }
    if (sc_logrec_write_in_line(j->payload, j->len, j->id_b, why, sizeof why) !=
        SC_OK) {
        bd_refuse(j, 400, "%s: %s", tn, why);
        return 1;
    }
    /* a count names a ballot the board holds (an opening follows its
     * count, so it does too); whether that ballot was cast or challenged
     * is Verification 12.D/E's */
    sc_status rc = sc_bdb_ballot_has_idb(db, j->id_b, &found);
    if (rc == SC_OK && !found) {
        bd_refuse(j, 409,
                  "%s: no ballot on the board has this "
                  "selection_encryption_identifier",
                  tn);
        return 1;
    }
    if (rc == SC_OK && type == SC_ENTRY_WRITE_IN) {
        rc = sc_bdb_write_in_has(db, SC_ENTRY_WRITE_IN_COUNT, j->id_b, &found);
#ifdef SC_BOARD_FORK_TEST
        /* test only: a board that commits an opening before its count */
        found |= b->cfg.test_accept_write_ins;
#else
        (void)b;
#endif
        if (rc == SC_OK && !found) {
            bd_refuse(j, 409,
                      "write_in: the board has no write_in_count for this "
                      "selection_encryption_identifier");
            return 1;
        }
    }
    if (rc == SC_OK) {
        rc = sc_bdb_write_in_has(db, type, j->id_b, &found);
    }
    if (rc != SC_OK) {
        bd_refuse(j, 503, "storage error");
        return 1;
    }
    if (found) {
        bd_refuse(j, 409,
                  "duplicate %s for this selection_encryption_identifier", tn);
        return 1;
    }
    return 0;
}

int bd_door(sc_board *b, sc_bdb *db, bjob *j, int *replayed)
{
    *replayed = 0;
    unsigned type = j->e.type;
    const char *tname = sc_entry_type_name(type);
    if (tname == NULL) {
        bd_refuse(j, 400, "unknown entry type");
        return 1;
    }
    /* 1. size */
    if (j->len > type_limit(b, type)) {
        bd_refuse(j, 413, "%s payload of %zu bytes: at most %zu", tname, j->len,
                  type_limit(b, type));
        return 1;
    }
    /* A board that lost its storage acknowledges nothing. */
    if (atomic_load(&b->read_only)) {
        bd_refuse(j, 503, "the board is read-only (storage failure)");
        return 1;
    }
    /* 2. signer registered, and allowed this type: a refusal whatever
     * the signature, so decided before the signature check (a flood of
     * unknown keys costs no Ed25519 verification). */
    sc_bdb_signer s;
    sc_status rc = sc_bdb_signer_get(db, j->e.signer, &s);
    if (rc == SC_E_RANGE) {
        bd_refuse(j, 401, "unknown signer");
        return 1;
    }
    if (rc != SC_OK) {
        bd_refuse(j, 503, "storage error");
        return 1;
    }
    int by_auth = sc_entry_type_by_authority(type);
    if (by_auth != (s.role == SC_ROLE_AUTHORITY)) {
        bd_refuse(j, 403, "this signer may not submit %s entries", tname);
        return 1;
    }
    /* 3. seq ahead of the next: refused whatever the signature. */
    if (j->e.seq > s.last_seq + 1) {
        bd_refuse(j, 409, "seq %u out of order: expected %u",
                  (unsigned)j->e.seq, (unsigned)(s.last_seq + 1));
        return 1;
    }
    if (!j->hashed) {
        crypto_hash_sha256(j->e.payload_sha256, j->payload, j->len);
        j->hashed = 1;
    }
    /* 4. seq taken: by another entry, 409 whatever the signature; by this
     * very entry (a replay), its original receipt once the signature
     * checks. */
    sc_bdb_entry old;
    int replay = 0;
    if (j->e.seq <= s.last_seq) {
        rc = sc_bdb_entry_by_seq(db, j->e.signer, j->e.seq, &old);
        if (rc != SC_OK) {
            bd_refuse(j, 503, "storage error");
            return 1;
        }
        sc_entry oe;
        replay = sc_entry_decode(&oe, old.entry, sizeof old.entry) == SC_OK &&
                 oe.type == type &&
                 memcmp(oe.payload_sha256, j->e.payload_sha256, 32) == 0 &&
                 memcmp(oe.key, j->e.key, 32) == 0;
        if (!replay) {
            bd_refuse(j, 409, "seq %u is taken by another entry (index %llu)",
                      (unsigned)j->e.seq, (unsigned long long)old.idx);
            return 1;
        }
    }
    /* 5. signature */
    if (!j->sig_ok && sc_entry_verify(&j->e, b->origin) != SC_OK) {
        bd_refuse(j, 401, "bad signature");
        return 1;
    }
    j->sig_ok = 1;
    if (replay) {
        char *r = NULL;
        if (bd_receipt(b, db, old.idx, &r) != SC_OK) {
            bd_refuse(j, 503, "cannot build the receipt");
            return 1;
        }
        j->ans.status = 200;
        j->ans.receipt = r;
        j->ans.index = old.idx;
        *replayed = 1;
        return 0;
    }
    /* 6. phase */
    int ph = atomic_load(&b->phase);
    if (ph == PH_CLOSED) {
        bd_refuse(j, 403, "the board is closed");
        return 1;
    }
    uint64_t size = 0;
    if (type == SC_ENTRY_ELECTION || b->door == NULL) {
        if (sc_bdb_entry_count(db, &size) != SC_OK) {
            bd_refuse(j, 503, "storage error");
            return 1;
        }
        if ((type == SC_ENTRY_ELECTION) != (size == 0)) {
            bd_refuse(j, 403, "the election entry is entry 0 only");
            return 1;
        }
        return 0;
    }
    int voting = type == SC_ENTRY_BALLOT || type == SC_ENTRY_DEVICE ||
                 type == SC_ENTRY_DEVICE_CLOSE;
    if (voting && ph != PH_OPEN) {
        bd_refuse(j, 403, "voting is over: no %s entries after the tally",
                  tname);
        return 1;
    }
    if (s.role == SC_ROLE_DEVICE && s.closed) {
        bd_refuse(j, 403, "device %u is closed", (unsigned)s.device);
        return 1;
    }
    /* 7. per type: uniqueness, chain position, payload shape */
    switch (type) {
    case SC_ENTRY_BALLOT: return check_ballot(b, db, j, &s);
    case SC_ENTRY_DEVICE: return check_device(b, db, j);
    case SC_ENTRY_DEVICE_CLOSE: return check_device_close(b, j, &s);
    case SC_ENTRY_WITNESS_POLICY: return check_policy(j);
    case SC_ENTRY_WRITE_IN_COUNT:
    case SC_ENTRY_WRITE_IN: return check_write_in(b, db, j, ph);
    default: return 0;
    }
}

#ifdef SC_BOARD_FORK_TEST
/* Test only: the mark tests/board/no_hooks.sh looks for. */
__attribute__((used)) const char sc_board_hook_invalid_mark[] =
    "scrutin board test hook: invalid ballots and write-ins accepted";
#endif

/* 8. The proofs of one ballot (V5-V8, S2), with the verifier's code. */
int bd_door_proofs(sc_board *b, sc_bdb *db, bjob *j)
{
    if (j->e.type != SC_ENTRY_BALLOT) {
        return 0;
    }
#ifdef SC_BOARD_FORK_TEST
    if (b->cfg.test_accept_invalid) {
        return 0; /* test only: a board that commits invalid ballots */
    }
#endif
    sc_bdb_signer s;
    if (sc_bdb_signer_get(db, j->e.signer, &s) != SC_OK) {
        bd_refuse(j, 503, "storage error");
        return 1;
    }
    sc_door_device dev;
    device_view(b, &s, &dev);
    sc_door_result res;
    const uint8_t *prev = s.ballots > 0 ? s.last_h : NULL;
    sc_status rc =
        j->json != NULL
            ? sc_door_check_json(b->door, &dev, j->dseq, prev, j->json, &res)
            : sc_door_check(b->door, &dev, j->dseq, prev,
                            (const char *)j->payload, j->len, &res);
    sc_json_free(j->json);
    j->json = NULL;
    if (rc != SC_OK) {
        bd_refuse(j, 503, "cannot check the ballot: %s", sc_strerror(rc));
        return 1;
    }
    switch (res.verdict) {
    case SC_DOOR_ACCEPT: return 0;
    case SC_DOOR_MALFORMED: bd_refuse(j, 400, "%s", res.reason); return 1;
    case SC_DOOR_POSITION: bd_refuse(j, 409, "%s", res.reason); return 1;
    default: bd_refuse(j, 422, "%s", res.reason); return 1;
    }
}

/* The door's election: the files of entry 0's payload. */
sc_status bd_door_open(sc_board *b, char *err, size_t errlen)
{
    sc_bdb_entry e0;
    uint8_t *body = NULL;
    size_t len = 0;
    sc_status rc = sc_bdb_entry_get(b->wdb, 0, &e0);
    if (rc == SC_OK) {
        rc = sc_bdb_payload_get(b->wdb, e0.payload_sha256, &body, &len);
    }
    if (rc != SC_OK) {
        snprintf(err, errlen, "board.db: entry 0 or its payload is missing");
        return rc;
    }
    rc = sc_door_new_from_election((sc_door **)&b->door, body, len, 1, err,
                                   errlen);
    free(body);
    return rc;
}

void bd_door_free(sc_board *b)
{
    sc_door_free(b->door);
    b->door = NULL;
}
