/* The board's log entries (docs/BOARD.md §3.1) and the submit message
 * their submitters sign (§3.2). */
#include <string.h>

#include <sodium.h>

#include "scrutin/entry.h"
#include "scrutin/tlog.h"

static const char *const type_names[] = {
    NULL,           "election",       "device",     "witness_policy", "ballot",
    "device_close", "tally",          "decryption", "challenged",     "close",
    "result",       "write_in_count", "write_in"};
#define NTYPES (sizeof type_names / sizeof type_names[0])

const char *sc_entry_type_name(unsigned type)
{
    return type < NTYPES ? type_names[type] : NULL;
}

unsigned sc_entry_type_from_name(const char *name)
{
    if (name == NULL) {
        return 0;
    }
    for (unsigned t = 1; t < NTYPES; t++) {
        if (strcmp(name, type_names[t]) == 0) {
            return t;
        }
    }
    return 0;
}

int sc_entry_type_by_authority(unsigned type)
{
    return type >= 1 && type < NTYPES && type != SC_ENTRY_BALLOT &&
           type != SC_ENTRY_DEVICE_CLOSE;
}

static void put_be(uint8_t *p, uint64_t x, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (uint8_t)x;
        x >>= 8;
    }
}

static uint64_t get_be(const uint8_t *p, int n)
{
    uint64_t x = 0;
    for (int i = 0; i < n; i++) {
        x = (x << 8) | p[i];
    }
    return x;
}

void sc_entry_encode(uint8_t out[SC_ENTRY_BYTES], const sc_entry *e)
{
    out[0] = e->version;
    out[1] = e->type;
    put_be(out + 2, e->index, 8);
    put_be(out + 10, e->time_ms, 8);
    memcpy(out + 18, e->payload_sha256, 32);
    put_be(out + 50, e->payload_len, 4);
    memcpy(out + 54, e->key, 32);
    memcpy(out + 86, e->signer, 32);
    put_be(out + 118, e->seq, 4);
    memcpy(out + 122, e->sig, 64);
}

sc_status sc_entry_decode(sc_entry *e, const uint8_t *in, size_t len)
{
    if (e == NULL || (in == NULL && len > 0)) {
        return SC_E_MISUSE;
    }
    if (len != SC_ENTRY_BYTES) {
        return SC_E_INVALID_LENGTH;
    }
    sc_entry t;
    t.version = in[0];
    t.type = in[1];
    t.index = get_be(in + 2, 8);
    t.time_ms = get_be(in + 10, 8);
    memcpy(t.payload_sha256, in + 18, 32);
    t.payload_len = (uint32_t)get_be(in + 50, 4);
    memcpy(t.key, in + 54, 32);
    memcpy(t.signer, in + 86, 32);
    t.seq = (uint32_t)get_be(in + 118, 4);
    memcpy(t.sig, in + 122, 64);
    if (t.version != SC_ENTRY_VERSION || sc_entry_type_name(t.type) == NULL ||
        t.seq == 0) {
        return SC_E_INVALID;
    }
    *e = t;
    return SC_OK;
}

void sc_entry_leaf_hash(uint8_t out[32], const sc_entry *e)
{
    uint8_t b[SC_ENTRY_BYTES];
    sc_entry_encode(b, e);
    sc_tlog_leaf_hash(out, b, sizeof b);
}

#define SUBMIT_PREFIX "scrutin/board/v1/submit\n"

sc_status sc_entry_submit_msg(uint8_t *out, size_t *len, const char *origin,
                              uint8_t type, uint32_t seq,
                              const uint8_t payload_sha256[32],
                              const uint8_t key[32])
{
    if (out == NULL || len == NULL || origin == NULL ||
        payload_sha256 == NULL || key == NULL) {
        return SC_E_MISUSE;
    }
    size_t olen = strlen(origin);
    if (olen == 0 || olen > SC_TLOG_NAME_MAX ||
        memchr(origin, '\n', olen) != NULL) {
        return SC_E_INVALID;
    }
    size_t n = 0;
    memcpy(out, SUBMIT_PREFIX, sizeof SUBMIT_PREFIX - 1);
    n += sizeof SUBMIT_PREFIX - 1;
    memcpy(out + n, origin, olen);
    n += olen;
    out[n++] = '\n';
    out[n++] = type;
    put_be(out + n, seq, 4);
    n += 4;
    memcpy(out + n, payload_sha256, 32);
    n += 32;
    memcpy(out + n, key, 32);
    n += 32;
    *len = n;
    return SC_OK;
}

/* The submit message of e's own fields. */
static sc_status entry_msg(const sc_entry *e, const char *origin,
                           uint8_t msg[SC_ENTRY_MSG_MAX], size_t *len)
{
    if (e == NULL) {
        return SC_E_MISUSE;
    }
    return sc_entry_submit_msg(msg, len, origin, e->type, e->seq,
                               e->payload_sha256, e->key);
}

sc_status sc_entry_sign(sc_entry *e, const char *origin, const uint8_t sk[64])
{
    uint8_t msg[SC_ENTRY_MSG_MAX];
    size_t len;
    sc_status rc = sk == NULL ? SC_E_MISUSE : entry_msg(e, origin, msg, &len);
    if (rc != SC_OK) {
        return rc;
    }
    crypto_sign_ed25519_sk_to_pk(e->signer, sk);
    crypto_sign_detached(e->sig, NULL, msg, len, sk);
    return SC_OK;
}

sc_status sc_entry_verify(const sc_entry *e, const char *origin)
{
    uint8_t msg[SC_ENTRY_MSG_MAX];
    size_t len;
    sc_status rc = entry_msg(e, origin, msg, &len);
    if (rc != SC_OK) {
        return rc;
    }
    return crypto_sign_verify_detached(e->sig, msg, len, e->signer) == 0
               ? SC_OK
               : SC_E_VERIFY;
}
