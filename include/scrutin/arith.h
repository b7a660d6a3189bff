/* Scrutin: modular arithmetic and exponentiation in Z_p (spec note 3.5).
 *
 * Inputs and outputs are mpz_t in [0, p); the engine may keep its own
 * representation inside (Montgomery form, limb arrays) and converts at the
 * edges. All functions are safe to call from several threads at once on the
 * same group and tables: tables are read-only after creation and scratch
 * space is per call.
 *
 * Exponents: "public" functions take any exponent >= 0 (they may branch on
 * its bits); "_secret" functions are constant time in the exponent (no
 * branch or memory index depends on it) for exponents in [0, q). */
#ifndef SCRUTIN_ARITH_H
#define SCRUTIN_ARITH_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "scrutin/group.h"
#include "scrutin/status.h"

struct sc_rng;

/* ---- engine life cycle (called by sc_group_new / sc_group_free) ---- */
SC_API SC_MUST_USE sc_status sc_arith_new(struct sc_arith **out,
                                          const sc_group *grp);
SC_API void sc_arith_free(struct sc_arith *ar);

/* ---- basic operations ---- */
/** out = a*b mod p. */
SC_API void sc_mulmod(const sc_group *grp, mpz_t out, const mpz_t a,
                      const mpz_t b);
/** out = a^-1 mod p; SC_E_INVALID if a = 0 mod p. */
SC_API SC_MUST_USE sc_status sc_invmod(const sc_group *grp, mpz_t out,
                                       const mpz_t a);

/* ---- one-off exponentiation ---- */
/** out = b^e mod p, e public (e >= 0, any size). */
SC_API void sc_pow(const sc_group *grp, mpz_t out, const mpz_t b,
                   const mpz_t e);
/** out = b^e mod p, constant time in e; 0 <= e < q, b in Z_p^r. */
SC_API void sc_pow_secret(const sc_group *grp, mpz_t out, const mpz_t b,
                          const mpz_t e);
/** out[i] = bases[i]^exps[i] mod p for i < n: sc_pow_secret's result and
 *  contract for each element (0 <= exps[i] < q SECRET, bases[i] public, in
 *  Z_p^r), faster for several independent exponentiations. Constant time
 *  in the exponents and in the bases' values: for exponents in range and
 *  bases in [0, p) the sequence of operations and memory addresses
 *  depends only on n and the group (with the IFMA kernel eight
 *  exponentiations run at once, one per vector lane; otherwise one
 *  sc_pow_secret per element), but for sc_pow_secret's one exception:
 *  the mpz limb count of an operand whose top limbs are zero. An exponent
 *  outside [0, q) gets what sc_pow_secret gives it. out[i] may be the same
 *  mpz as bases[i] or exps[i] (so out may be bases or exps), but must not
 *  be another element's input. Scratch memory is the library's own: if
 *  it cannot be had, the elements go one at a time (same results). */
SC_API void sc_pow_secret_many(const sc_group *grp, mpz_t *out, size_t n,
                               const mpz_t *bases, const mpz_t *exps);

/* ---- fixed base: precomputed table for a base used many times (g, K,
 * K-hat). Building costs a few hundred exponentiations' worth of
 * multiplications; each use then costs about 1/8 of an exponentiation. ---- */
typedef struct sc_fb sc_fb;
SC_API SC_MUST_USE sc_status sc_fb_new(sc_fb **out, const sc_group *grp,
                                       const mpz_t base);
SC_API void sc_fb_free(sc_fb *fb);
/** out = base^e mod p, e public, 0 <= e < 2^qbits. */
SC_API void sc_fb_pow(const sc_fb *fb, mpz_t out, const mpz_t e);
/** out = base^e mod p, constant time in e, 0 <= e < q. */
SC_API void sc_fb_pow_secret(const sc_fb *fb, mpz_t out, const mpz_t e);
/** out0 = base^e0, out1 = base^e1 mod p, constant time in e0 and e1,
 * 0 <= e0, e1 < q: as two sc_fb_pow_secret calls (counted as two), with
 * one pass of the table scan for both where the vector scan exists
 * (docs/ARITH.md §3). out0 and out1 distinct. */
SC_API void sc_fb_pow_secret2(const sc_fb *fb, mpz_t out0, mpz_t out1,
                              const mpz_t e0, const mpz_t e1);
/** The group the table belongs to. */
SC_API const sc_group *sc_fb_group(const sc_fb *fb);
/** As sc_fb_new with an explicit window of w bits (1..16): the table holds
 *  ceil(qbits/w) * 2^w elements; a public exponentiation costs about
 *  ceil(qbits/w) - 1 products. For measurements (bench) and tuning. */
SC_API SC_MUST_USE sc_status sc_fb_new_w(sc_fb **out, const sc_group *grp,
                                         const mpz_t base, unsigned w);
/** Write the table's rows now. sc_fb_new / sc_fb_new_w allocate them
 *  and the first exponentiation by the table writes them (thread-safe: one
 *  thread writes, the others wait); call this to pay for them at a chosen
 *  time or on a chosen thread (the verifier builds its tables in parallel
 *  this way). On an IFMA CPU these are the rows sc_fb_pow reads; the
 *  secret path's copy of them (sc_fb_pow_secret) is written from them by
 *  its first call, without products. */
SC_API void sc_fb_ready(const sc_fb *fb);
/** Window bits w and number of windows ceil(qbits/w) of a table. */
SC_API unsigned sc_fb_window(const sc_fb *fb);
SC_API unsigned sc_fb_windows(const sc_fb *fb);

/* ---- variable base: a window table built once for one base, reused for
 * several (public) exponents. ---- */
typedef struct sc_vb sc_vb;
SC_API SC_MUST_USE sc_status sc_vb_new(sc_vb **out, const sc_group *grp,
                                       const mpz_t base);
SC_API void sc_vb_free(sc_vb *vb);
/** out = base^e mod p, e public, 0 <= e < 2^qbits. */
SC_API void sc_vb_pow(const sc_vb *vb, mpz_t out, const mpz_t e);

/* ---- simultaneous multi-exponentiation (public exponents) ---- */
/** out = prod_i bases[i]^exps[i] mod p, exps public, 0 <= e < 2^qbits. */
SC_API void sc_multi_pow(const sc_group *grp, mpz_t out, size_t n,
                         const mpz_t *bases, const mpz_t *exps);
/** out = fbase^e1 * vbase^e2 mod p: the shape of every proof check
 *  (g^v * alpha^c). `vb` may be NULL, then vbase is used directly: it is
 *  passed in `out` (read before `out` is written). */
SC_API void sc_fb_vb_pow2(const sc_fb *fb, const mpz_t e1, const sc_vb *vb,
                          mpz_t out, const mpz_t e2);

/* ---- subgroup membership for many elements ---- */
/** SC_OK if every xs[i] is in Z_p^r (0 < x < p, x^q = 1), else
 *  SC_E_INVALID_NOT_IN_SUBGROUP and *bad = index of the first element found
 *  outside (bad may be NULL). Batched: a Legendre symbol per element plus
 *  one random linear combination raised to q; see docs/ARITH.md for why
 *  this is sound for the ElectionGuard p. `rng` supplies the random
 *  exponents (NULL: system RNG). */
SC_API SC_MUST_USE sc_status sc_subgroup_check_batch(const sc_group *grp,
                                                     size_t n, const mpz_t *xs,
                                                     struct sc_rng *rng,
                                                     size_t *bad);

/** sc_subgroup_check_batch without the signs, for a caller that adds the
 *  same elements to an sc_sqtest: SC_OK iff every xs[i] is in range and
 *  x or p - x is in Z_p^r (one combination raised to 2q, no Legendre
 *  symbol; docs/ARITH.md §5), else SC_E_INVALID_NOT_IN_SUBGROUP (no
 *  index: test each element alone to name it). For the groups without
 *  the batched test (toy groups) and for one element, the full test of
 *  each element, signs included. */
SC_API SC_MUST_USE sc_status sc_subgroup_check_batch_signless(
    const sc_group *grp, size_t n, const mpz_t *xs, struct sc_rng *rng);

/* ---- the square test of many elements (docs/ARITH.md §5) ---- */
/** Whether every element added is a square mod p (Legendre symbol +1):
 *  128 random subset products (buckets: about 17 kernel products per
 *  element) and 128 symbols at the end, instead of one symbol per
 *  element. For the toy groups (no batched test) it keeps nothing and
 *  passes: sc_subgroup_check_batch_signless checks their signs. Not
 *  thread-safe: one test per thread. */
typedef struct sc_sqtest sc_sqtest;
/** `rng` draws the subsets (NULL: system RNG; a seeded RNG only in
 *  tests); it must outlive the test. */
SC_API SC_MUST_USE sc_status sc_sqtest_new(sc_sqtest **out, const sc_group *grp,
                                           struct sc_rng *rng);
/** Add xs[0..n), each in [1, p) (an element outside makes the test fail). */
SC_API void sc_sqtest_add(sc_sqtest *t, size_t n, const mpz_t *xs);
/** 1 if every element added so far is a square; 0 if one is not, except
 *  with probability 2^-128. Ends the test: add nothing after. */
SC_API SC_MUST_USE int sc_sqtest_ok(sc_sqtest *t);
SC_API void sc_sqtest_free(sc_sqtest *t);

/* ---- discrete log of base^t for small t (tallies) ---- */
typedef struct sc_dlog sc_dlog;
/** Prepare to solve y = base^t for 0 <= t <= max_t (max_t >= 10^7 must
 *  work in well under a second per query after setup). */
SC_API SC_MUST_USE sc_status sc_dlog_new(sc_dlog **out, const sc_group *grp,
                                         const mpz_t base, uint64_t max_t);
SC_API void sc_dlog_free(sc_dlog *dl);
/** Find t; SC_E_RANGE if y is not base^t for any t <= max_t. Thread-safe. */
SC_API SC_MUST_USE sc_status sc_dlog_find(const sc_dlog *dl, uint64_t *t,
                                          const mpz_t y);

#endif
