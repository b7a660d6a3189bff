/* RFC 6962 §2.1 Merkle tree hashing from stored hashes; proofs generated
 * per RFC 6962 §2.1.1-2.1.2 and verified per RFC 9162 §2.1.3.2 and
 * §2.1.4.2 (DESIGN_NOTES §2.2). */
#include <string.h>

#include <sodium.h>

#include "scrutin/tlog.h"

void sc_tlog_leaf_hash(uint8_t out[32], const void *data, size_t len)
{
    crypto_hash_sha256_state st;
    const uint8_t zero = 0x00;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &zero, 1);
    crypto_hash_sha256_update(&st, data, len);
    crypto_hash_sha256_final(&st, out);
}

void sc_tlog_node_hash(uint8_t out[32], const uint8_t left[32],
                       const uint8_t right[32])
{
    crypto_hash_sha256_state st;
    const uint8_t one = 0x01;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &one, 1);
    crypto_hash_sha256_update(&st, left, 32);
    crypto_hash_sha256_update(&st, right, 32);
    crypto_hash_sha256_final(&st, out); /* out may alias left or right */
}

void sc_tlog_empty_root(uint8_t out[32])
{
    crypto_hash_sha256(out, (const unsigned char *)"", 0);
}

/* Largest power of two strictly below n (n >= 2). */
static uint64_t split_point(uint64_t n)
{
    return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

/* MTH(D[lo:hi]) for a range the RFC recursion produces (hi > lo, lo a
 * multiple of the largest power of two <= hi - lo): the complete subtrees
 * of hi - lo in descending size, folded from the right. */
static sc_status range_hash(uint8_t out[32], sc_tlog_get_node get, void *ctx,
                            uint64_t lo, uint64_t hi)
{
    uint8_t nodes[64][32];
    size_t k = 0;
    uint64_t pos = lo, len = hi - lo;
    for (int l = 63; l >= 0; l--) {
        if ((len >> l) & 1) {
            sc_status rc = get(ctx, (unsigned)l, pos >> l, nodes[k]);
            if (rc != SC_OK) {
                return rc;
            }
            k++;
            pos += (uint64_t)1 << l;
        }
    }
    if (k == 0) {
        return SC_E_MISUSE;
    }
    memcpy(out, nodes[k - 1], 32);
    for (size_t i = k - 1; i-- > 0;) {
        sc_tlog_node_hash(out, nodes[i], out);
    }
    return SC_OK;
}

sc_status sc_tlog_root(uint8_t out[32], sc_tlog_get_node get, void *ctx,
                       uint64_t n)
{
    if (out == NULL || get == NULL) {
        return SC_E_MISUSE;
    }
    if (n == 0) {
        sc_tlog_empty_root(out);
        return SC_OK;
    }
    return range_hash(out, get, ctx, 0, n);
}

sc_status sc_tlog_append_hashes(uint8_t out[64][32], size_t *count,
                                sc_tlog_get_node get, void *ctx, uint64_t n,
                                const uint8_t leaf[32])
{
    if (out == NULL || count == NULL || get == NULL || leaf == NULL ||
        n == UINT64_MAX) {
        return SC_E_MISUSE;
    }
    memcpy(out[0], leaf, 32);
    unsigned l = 0;
    uint64_t idx = n;
    while (idx & 1) {
        uint8_t left[32];
        sc_status rc = get(ctx, l, idx - 1, left);
        if (rc != SC_OK) {
            return rc;
        }
        sc_tlog_node_hash(out[l + 1], left, out[l]);
        l++;
        idx >>= 1;
    }
    *count = l + 1;
    return SC_OK;
}

/* The proof hashes come out top-down; proofs list them bottom-up. */
static void reverse(uint8_t proof[][32], size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        uint8_t t[32];
        memcpy(t, proof[i], 32);
        memcpy(proof[i], proof[n - 1 - i], 32);
        memcpy(proof[n - 1 - i], t, 32);
    }
}

sc_status sc_tlog_inclusion_proof(uint8_t proof[][32], size_t *n,
                                  sc_tlog_get_node get, void *ctx,
                                  uint64_t index, uint64_t size)
{
    if (proof == NULL || n == NULL || get == NULL) {
        return SC_E_MISUSE;
    }
    *n = 0;
    if (index >= size) {
        return SC_E_INVALID;
    }
    /* PATH(m, D[lo:hi]) unrolled: m < k goes left, else right. */
    uint64_t lo = 0, hi = size;
    size_t t = 0;
    while (hi - lo > 1) {
        uint64_t k = split_point(hi - lo);
        sc_status rc;
        if (index < lo + k) {
            rc = range_hash(proof[t], get, ctx, lo + k, hi);
            hi = lo + k;
        } else {
            rc = range_hash(proof[t], get, ctx, lo, lo + k);
            lo += k;
        }
        if (rc != SC_OK) {
            return rc;
        }
        t++;
    }
    reverse(proof, t);
    *n = t;
    return SC_OK;
}

sc_status sc_tlog_consistency_proof(uint8_t proof[][32], size_t *n,
                                    sc_tlog_get_node get, void *ctx,
                                    uint64_t size1, uint64_t size2)
{
    if (proof == NULL || n == NULL || get == NULL) {
        return SC_E_MISUSE;
    }
    *n = 0;
    if (size1 == 0 || size1 > size2) {
        return SC_E_INVALID;
    }
    /* SUBPROOF(m, D[lo:hi], b) unrolled. */
    uint64_t lo = 0, hi = size2;
    int b = 1;
    size_t t = 0;
    for (;;) {
        uint64_t len = hi - lo, m = size1 - lo;
        sc_status rc;
        if (m == len) {
            if (!b) {
                rc = range_hash(proof[t], get, ctx, lo, hi);
                if (rc != SC_OK) {
                    return rc;
                }
                t++;
            }
            break;
        }
        uint64_t k = split_point(len);
        if (m <= k) {
            rc = range_hash(proof[t], get, ctx, lo + k, hi);
            hi = lo + k;
        } else {
            rc = range_hash(proof[t], get, ctx, lo, lo + k);
            lo += k;
            b = 0;
        }
        if (rc != SC_OK) {
            return rc;
        }
        t++;
    }
    reverse(proof, t);
    *n = t;
    return SC_OK;
}

static int eq32(const uint8_t a[32], const uint8_t b[32])
{
    return memcmp(a, b, 32) == 0; /* public values */
}

/* The proof walk shared by RFC 9162 §2.1.3.2 and §2.1.4.2: from node
 * (fn, sn), hash proof[i..n-1] into sr (and, when the hash goes on the
 * left, into fr too, if fr is not NULL). 1 iff the walk ends at the root
 * (sn == 0) without running past it. */
static int walk(uint64_t fn, uint64_t sn, const uint8_t proof[][32], size_t i,
                size_t n, uint8_t *fr, uint8_t *sr)
{
    for (; i < n; i++) {
        if (sn == 0) {
            return 0;
        }
        if ((fn & 1) || fn == sn) {
            if (fr != NULL) {
                sc_tlog_node_hash(fr, proof[i], fr);
            }
            sc_tlog_node_hash(sr, proof[i], sr);
            if (!(fn & 1)) {
                do {
                    fn >>= 1;
                    sn >>= 1;
                } while (!(fn & 1) && fn != 0);
            }
        } else {
            sc_tlog_node_hash(sr, sr, proof[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0;
}

sc_status sc_tlog_inclusion_verify(const uint8_t leaf[32], uint64_t index,
                                   uint64_t size, const uint8_t root[32],
                                   const uint8_t proof[][32], size_t n)
{
    if (leaf == NULL || root == NULL || (n > 0 && proof == NULL)) {
        return SC_E_MISUSE;
    }
    if (index >= size || n > SC_TLOG_MAX_PROOF) {
        return SC_E_VERIFY;
    }
    uint8_t r[32];
    memcpy(r, leaf, 32);
    return walk(index, size - 1, proof, 0, n, NULL, r) && eq32(r, root)
               ? SC_OK
               : SC_E_VERIFY;
}

sc_status sc_tlog_consistency_verify(uint64_t size1, const uint8_t root1[32],
                                     uint64_t size2, const uint8_t root2[32],
                                     const uint8_t proof[][32], size_t n)
{
    if (root1 == NULL || root2 == NULL || (n > 0 && proof == NULL)) {
        return SC_E_MISUSE;
    }
    if (size1 == 0 || size1 > size2 || n > SC_TLOG_MAX_PROOF) {
        return SC_E_VERIFY;
    }
    if (size1 == size2) {
        return (n == 0 && eq32(root1, root2)) ? SC_OK : SC_E_VERIFY;
    }
    if (n == 0) {
        return SC_E_VERIFY;
    }
    /* If size1 is a power of two the proof starts implicitly with root1. */
    const uint8_t *seed;
    size_t i;
    if ((size1 & (size1 - 1)) == 0) {
        seed = root1;
        i = 0;
    } else {
        seed = proof[0];
        i = 1;
    }
    uint64_t fn = size1 - 1, sn = size2 - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    uint8_t fr[32], sr[32];
    memcpy(fr, seed, 32);
    memcpy(sr, seed, 32);
    return walk(fn, sn, proof, i, n, fr, sr) && eq32(fr, root1) &&
                   eq32(sr, root2)
               ? SC_OK
               : SC_E_VERIFY;
}
