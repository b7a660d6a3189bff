/* System CSPRNG and the deterministic test generator. See scrutin/rng.h. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/ct_mark.h"
#include "scrutin/core.h"
#include "scrutin/rng.h"

struct sc_rng {
    int deterministic;
    int mark_secret; /* tests: outputs marked secret (core/ct_mark.h) */
    uint8_t key[crypto_stream_chacha20_ietf_KEYBYTES];
    uint64_t counter; /* one 64-byte keystream block per step */
    uint8_t buf[64];
    size_t avail;
};

sc_status sc_rng_new_system(sc_rng **out)
{
    sc_status rc = sc_init();
    if (rc != SC_OK) {
        return rc;
    }
    *out = calloc(1, sizeof **out);
    return *out ? SC_OK : SC_E_NOMEM;
}

sc_status sc_rng_new_seeded(sc_rng **out, const uint8_t *seed, size_t seed_len)
{
    sc_status rc = sc_init();
    if (rc != SC_OK) {
        return rc;
    }
    sc_rng *r = calloc(1, sizeof *r);
    *out = NULL;
    if (r == NULL) {
        return SC_E_NOMEM;
    }
    r->deterministic = 1;
    crypto_generichash(r->key, sizeof r->key, seed, seed_len, NULL, 0);
    *out = r;
    return SC_OK;
}

void sc_rng_mark_secret(sc_rng *rng)
{
    rng->mark_secret = 1;
}

void sc_rng_free(sc_rng *rng)
{
    if (rng != NULL) {
        sc_wipe(rng, sizeof *rng);
        free(rng);
    }
}

static void refill(sc_rng *r)
{
    uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
    for (int i = 0; i < 8; i++) {
        nonce[i] = (uint8_t)(r->counter >> (8 * i));
    }
    r->counter++;
    memset(r->buf, 0, sizeof r->buf);
    crypto_stream_chacha20_ietf_xor(r->buf, r->buf, sizeof r->buf, nonce,
                                    r->key);
    r->avail = sizeof r->buf;
}

void sc_rng_bytes(sc_rng *rng, void *buf, size_t n)
{
    if (rng == NULL || !rng->deterministic) {
        randombytes_buf(buf, n);
        return;
    }
    uint8_t *p = buf;
    while (n > 0) {
        if (rng->avail == 0) {
            refill(rng);
        }
        size_t take = n < rng->avail ? n : rng->avail;
        memcpy(p, rng->buf + (sizeof rng->buf - rng->avail), take);
        sc_wipe(rng->buf + (sizeof rng->buf - rng->avail), take);
        rng->avail -= take;
        p += take;
        n -= take;
    }
    if (rng->mark_secret) {
        SC_CT_SECRET(buf, (size_t)(p - (uint8_t *)buf));
    }
}

uint64_t sc_rng_u64(sc_rng *rng)
{
    uint8_t b[8];
    uint64_t x = 0;
    sc_rng_bytes(rng, b, sizeof b);
    for (int i = 0; i < 8; i++) {
        x = x << 8 | b[i];
    }
    return x;
}

void sc_rng_scalar(sc_rng *rng, const sc_group *grp, mpz_t out)
{
    /* Rejection sampling: draw qbits bits until the value is < q. For the
     * standard q = 2^256 - 189 a retry happens with probability 2^-248. */
    uint8_t buf[64];
    size_t nbytes = (grp->qbits + 7) / 8;
    unsigned extra = (unsigned)(nbytes * 8 - grp->qbits);
    for (;;) {
        sc_rng_bytes(rng, buf, nbytes);
        SC_CT_PUBLIC(buf, nbytes); /* the candidate: see sc_rng_mark_secret */
        buf[0] &= (uint8_t)(0xffu >> extra);
        mpz_import(out, nbytes, 1, 1, 1, 0, buf);
        if (mpz_cmp(out, grp->q) < 0) {
            break;
        }
    }
    if (rng != NULL && rng->mark_secret) {
        sc_ct_mpz_secret(out);
    }
    sc_wipe(buf, sizeof buf);
}

void sc_rng_scalar_nonzero(sc_rng *rng, const sc_group *grp, mpz_t out)
{
    do {
        sc_rng_scalar(rng, grp, out);
    } while (mpz_sgn(out) == 0);
}
