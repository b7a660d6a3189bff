/* Machinery shared by the two independent verifiers: the ElectionGuard
 * 2.1 verifier (src/lib/verify/, scrutin/verify.h) and the 2.0 verifier
 * of egk records (src/lib/verify20/, scrutin/verify20.h).
 *
 * Only what is the same mathematics or the same plumbing in both
 * versions lives here: the recomputation of proof commitments (never the
 * hash of them: each version forms its own hash inputs, 2.1 in
 * scrutin/eghash.h, 2.0 in verify20/eghash20.c), batched membership in
 * Z_p^r, per-option product arrays, several powers of one base, reading
 * a file and the worker pool. Nothing here knows a step number, a
 * condition letter or a record layout; each verifier keeps those, and
 * its own conditions, in its step files.
 *
 * Like the 2.1 verifier, this code uses only the group (scrutin/group.h)
 * and the arithmetic engine (scrutin/arith.h): never the prover's
 * encryption or proof code (scrutin/elgamal.h, scrutin/proof.h).
 * docs/VERIFIER.md "Shared code" lists who calls what. Not a public
 * API. */
#ifndef SC_VERIFY_COMMON_VCOMMON_H
#define SC_VERIFY_COMMON_VCOMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <gmp.h>

#include "scrutin/arith.h"
#include "scrutin/group.h"
#include "scrutin/status.h"

/* ------------------------------------------------------------------ */
/* Proof commitments (commit.c). Exponents are public, >= 0 and below
 * 2^qbits (a value read from its fixed-width field always is); whether
 * they lie in Z_q is a condition each verifier checks itself. */

/** Range proof (disjunctive Chaum-Pedersen) in compact form, for
 *  0 <= j < n:
 *    a_j = g^v_j · x^c_j,   b_j = K^w_j · y^c_j,   w_j = (v_j − j c_j) mod q
 *  (2.1: eq 57-61, 6.1-6.2 and 7.3-7.4; 2.0: 5.1-5.2 and 6.3-6.4), where
 *  (x, y) is a selection's (α, β) or a contest total (ᾱ, β̄). K_fb is the
 *  fixed-base table of K. On SC_OK *a and *b are new arrays of n
 *  (vc_mpz_array_room: free them with vc_mpz_array_free), and csum, when not
 *  NULL, is (c_0 + ... + c_n-1) mod q. For n >= 2 the squarings of x and
 *  of y are shared by their n exponents (vc_pow_many); for n = 1 one
 *  window table per base. ch, when not NULL, holds the chains of x and y
 *  made beforehand as its bases bx and bx + 1 (vc_chains_make, below).
 *  SC_E_NOMEM: *a and *b are NULL. */
struct vc_chains;
SC_MUST_USE sc_status vc_range_commitments(
    const sc_group *grp, const sc_fb *K_fb, const mpz_t x, const mpz_t y,
    size_t n, const mpz_t *c, const mpz_t *v, const struct vc_chains *ch,
    size_t bx, mpz_t **a, mpz_t **b, mpz_t csum);

/** Chaum-Pedersen proof of a decryption: a = g^v · K^c, b = X^v · Y^c
 *  (2.1: 10.2-10.3 with (X, Y) = (A, M); 2.0: 9.2-9.3 and 12.2-12.3 with
 *  (A, M), 11.1-11.2 and 14.1-14.2 with (C_0, β)). a and b must not alias
 *  the inputs. */
void vc_cp_commitments(const sc_group *grp, const sc_fb *K_fb, const mpz_t X,
                       const mpz_t Y, const mpz_t c, const mpz_t v, mpz_t a,
                       mpz_t b);

/** Schnorr commitment h = g^v · X^c (2.1: 2.1-2.4 and the ballot-nonce
 *  proof a_B of eq 38; 2.0: 2.1). h must not alias v or c (it may alias
 *  X). */
void vc_schnorr_commitment(const sc_group *grp, const mpz_t v, const mpz_t X,
                           const mpz_t c, mpz_t h);

/** M = B · T^-1 mod p (2.1: 10.1; 2.0: 9.1 and 12.1). SC_E_INVALID if T
 *  is not invertible. */
SC_MUST_USE sc_status vc_quotient(const sc_group *grp, mpz_t M, const mpz_t B,
                                  const mpz_t T);

/** out[j] = x^e[j] mod p for j < n (public e[j] >= 0), sharing the
 *  squarings between the exponents of the one base (vpow.c: Yao's
 *  right-to-left 2^4-ary method on the engine's Montgomery layer). */
void vc_pow_many(const sc_group *grp, mpz_t *out, const mpz_t x, size_t n,
                 const mpz_t *e);

/** The squaring chains x^(2^(4 i)) of up to VC_CHAINS_MAX bases made
 *  together, for vc_pow_many_chain: on the IFMA kernel seven or eight run
 *  side by side on the 8-lane squaring (arith/ifma_lanes.c), fewer one
 *  after the other. D covers any exponent below 2^qbits. */
#define VC_CHAINS_MAX 8
typedef struct vc_chains {
    size_t cnt, D, L; /* bases, entries per chain, words per entry */
    mp_limb_t *P;     /* chain b, entry i at P + (b D + i) L */
    void *room;       /* the chains and the lanes' room, kept between makes */
} vc_chains;
/** ch = the chains of bases[0..cnt) (public values in [0, p)). ch starts
 *  zeroed ({0}); a later make reuses its memory (a verifier makes one
 *  group after another). SC_E_NOMEM: ch holds none (vc_pow_many_chain then
 *  computes them). Free with vc_chains_free (also after an error). */
SC_MUST_USE sc_status vc_chains_make(const sc_group *grp, vc_chains *ch,
                                     size_t cnt, const mpz_t *bases);
void vc_chains_free(vc_chains *ch);
/** vc_pow_many(grp, out, x, n, e) where x is base b of ch (ch NULL, or an
 *  exponent the chain is too short for: vc_pow_many itself). */
void vc_pow_many_chain(const sc_group *grp, mpz_t *out, const mpz_t x,
                       const vc_chains *ch, size_t b, size_t n, const mpz_t *e);
/** out[j] = out[j] · x^e[j] mod p for j < n, each out[j] in [0, p) on
 *  entry: vc_pow_many_chain with the product taken while x^e[j] is still
 *  in the engine's form (one kernel product, against three and four
 *  conversions for x^e[j] to an mpz and sc_mulmod). */
void vc_pow_many_chain_mul(const sc_group *grp, mpz_t *out, const mpz_t x,
                           const vc_chains *ch, size_t b, size_t n,
                           const mpz_t *e);

/* ------------------------------------------------------------------ */
/* Elements and products (batch.c). */

/** 1 if every xs[i] is in Z_p^r: each 0 < x < p, then one batched
 *  subgroup test (sc_subgroup_check_batch). Otherwise 0, and each element
 *  is tested alone so that bad[i] = 1 names every one outside Z_p^r
 *  (bad: n bytes, zeroed here; may be NULL). */
int vc_members(const sc_group *grp, size_t n, const mpz_t *xs,
               unsigned char *bad);
/** vc_members, the signs left to a square test: with sq non-NULL the
 *  batch is sc_subgroup_check_batch_signless and, when it passes, the
 *  elements go into sq. A 1 is then "members unless sq fails"; a 0 and
 *  bad[] are exact (each element tested alone, signs included). */
int vc_members_sq(const sc_group *grp, size_t n, const mpz_t *xs,
                  unsigned char *bad, sc_sqtest *sq);

/** A copy of s (malloc'ed), NULL if out of memory. */
char *vc_strdup(const char *s);

/** The lines of f read in blocks (fread, then memchr for the '\n'),
 *  where sc_input_getline (scrutin/files.h) takes a byte at a time: the
 *  same lines, limit and results. f is borrowed and read by nothing else
 *  meanwhile. */
typedef struct vc_lines {
    FILE *f;
    char *buf;
    size_t cap, beg, end; /* bytes [beg, end) of buf are unread */
    int eof;              /* fread came back short: end of file or error */
} vc_lines;
void vc_lines_init(vc_lines *r, FILE *f);
/** The next line with its '\n' (the last one may have none) at *line,
 *  valid until the next call, and its length. -1 at the end of the file,
 *  after a read error (ferror(f)) or out of memory (errno ENOMEM); -2 if
 *  the line has more than max bytes (as sc_input_getline). */
ssize_t vc_lines_next(vc_lines *r, const char **line, size_t max);
void vc_lines_free(vc_lines *r);

/** n mpz_t each set to `init` (n may be 0); NULL if out of memory. */
mpz_t *vc_mpz_array(size_t n, unsigned long init);
/** n mpz_t each 0 with room for `bits` bits (mpz_init2: no reallocation
 *  while a value stays that wide); NULL if out of memory. */
mpz_t *vc_mpz_array_room(size_t n, mp_bitcnt_t bits);
/** Clear and free an array of vc_mpz_array or vc_mpz_array_room (NULL is
 *  fine). */
void vc_mpz_array_free(mpz_t *a, size_t n);
/** acc[i] = acc[i] · x[i] mod p for i < n: a worker's partial products
 *  merged into the totals (2.1: V9; 2.0: Verification 8). */
void vc_mul_into(const sc_group *grp, size_t n, mpz_t *acc, const mpz_t *x);

/** n running products mod p, each 1 at the start (prods.c): V9's
 *  per-worker Π α and Π β. On the IFMA kernel each is held in its digits
 *  with the count of factors taken, one kernel product per factor (against
 *  two and three conversions for sc_mulmod); otherwise mpz. */
typedef struct vc_prods {
    const sc_group *grp;
    size_t n;
    uint64_t *d; /* kernel: product i at d + i nd52, divided by R'^k[i] */
    uint64_t *k;
    mpz_t *z; /* without the kernel */
} vc_prods;
/** SC_E_NOMEM: p holds nothing (vc_prods_free is still fine). */
SC_MUST_USE sc_status vc_prods_init(vc_prods *p, const sc_group *grp, size_t n);
/** Every product back to 1. */
void vc_prods_reset(vc_prods *p);
/** Product i times x mod p (any x, as sc_mulmod). */
void vc_prods_mul(vc_prods *p, size_t i, const mpz_t x);
/** out = product i, in [0, p). */
void vc_prods_get(const vc_prods *p, size_t i, mpz_t out);
void vc_prods_free(vc_prods *p);

/* ------------------------------------------------------------------ */
/* The worker pool (pool.c): threads that take items from a bounded
 * queue, so that a producer (a reader streaming ballots) never holds more
 * than a few items in memory. */

/** One unit of work: what it is, the verifier decides. */
typedef struct vc_item {
    void *p;         /* e.g. a parsed ballot */
    const void *aux; /* e.g. the device it came from */
    size_t idx;      /* e.g. the index of a file to read */
} vc_item;

/** Called on a worker thread for each item; `worker` is the worker's
 *  number, 0 <= worker < the number started, for per-worker state. */
typedef void (*vc_work_fn)(void *ctx, int worker, vc_item item);

typedef struct vc_pool vc_pool;

/** Start up to `nthreads` workers calling fn(ctx, worker, item) on the
 *  items pushed. SC_E_NOMEM if the pool cannot be made; otherwise SC_OK
 *  even if no thread could be started (vc_pool_workers says how many
 *  were). nthreads = 0: no thread, each item runs on the caller's thread
 *  when pushed (as worker 0). */
SC_MUST_USE sc_status vc_pool_start(vc_pool **out, int nthreads, vc_work_fn fn,
                                    void *ctx);
/** Number of worker threads running (0: none could be started; then
 *  vc_pool_push runs each item on the calling thread as worker 0). */
int vc_pool_workers(const vc_pool *p);
/** Hand an item to the workers; blocks while the queue is full. */
void vc_pool_push(vc_pool *p, vc_item item);
/** No more items: wait until every item is done, join, free. */
void vc_pool_finish(vc_pool *p);

/** fn(ctx, worker, {.idx = i}) for 0 <= i < n on up to `nthreads`
 *  workers (no more than n); returns when all are done. */
void vc_pool_for(int nthreads, size_t n, vc_work_fn fn, void *ctx);

/* tables.c */
#define VC_FB_MANY_MAX 8
/** outs[i] = sc_fb_new(grp, bases[i]) for i < n (<= VC_FB_MANY_MAX), its
 *  rows written, and the rows of grp's table for g, on up to `nthreads`
 *  threads. On failure every outs[i] is NULL and the
 *  first failing status is returned. */
SC_MUST_USE sc_status vc_fb_new_many(const sc_group *grp, size_t n,
                                     const mpz_srcptr *bases, sc_fb **outs,
                                     int nthreads);

#endif
