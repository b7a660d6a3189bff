/* Scrutin: parallel encryption of a device's ballots, chain order kept.
 * The confirmation code of ballot j depends on ballot j-1 only through
 * B_C (eq 76), one hash: every costly part (selections, proofs, the
 * ballot-nonce encryption, contest hashes) runs on all cores, then the
 * chain is walked in order. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scrutin/ballot.h"
#include "scrutin/core.h"
#include "scrutin/hash.h"
#include "scrutin/record.h"

int sc_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}

typedef struct batch {
    const sc_election *e;
    sc_plain_ballot *const *in;
    size_t n;
    const uint8_t *seed;
    uint32_t device;
    uint64_t first_seq;
    sc_enc_ballot **out;
    char **lines;
    int phase; /* 1 encrypt, 2 serialise */
    atomic_size_t next;
    atomic_int failed;
    pthread_mutex_t mu;
    size_t bad;
    sc_status rc;
} batch;

static void record_failure(batch *b, size_t i, sc_status rc)
{
    pthread_mutex_lock(&b->mu);
    if (b->rc == SC_OK || i < b->bad) {
        b->rc = rc;
        b->bad = i;
    }
    pthread_mutex_unlock(&b->mu);
    atomic_store(&b->failed, 1);
}

static sc_status encrypt_one(batch *b, size_t i)
{
    sc_status rc = SC_OK;
    sc_rng *rng = NULL;
    if (b->seed != NULL) {
        uint8_t msg[12], s[32];
        uint64_t seq = b->first_seq + i;
        for (int k = 0; k < 4; k++) {
            msg[k] = (uint8_t)(b->device >> (24 - 8 * k));
        }
        for (int k = 0; k < 8; k++) {
            msg[4 + k] = (uint8_t)(seq >> (56 - 8 * k));
        }
        sc_hmac(s, b->seed, msg, sizeof msg);
        rc = sc_rng_new_seeded(&rng, s, sizeof s);
        sc_wipe(s, sizeof s);
        if (rc != SC_OK) {
            return rc;
        }
    }
    rc = sc_enc_ballot_new(&b->out[i]);
    if (rc == SC_OK) {
        rc = sc_ballot_encrypt(b->e, b->in[i], rng, b->out[i]);
    }
    sc_rng_free(rng);
    return rc;
}

static sc_status serialise_one(batch *b, size_t i)
{
    sc_json *j = NULL;
    sc_status rc = sc_ballot_to_json(b->e->grp, b->out[i], &j);
    if (rc != SC_OK) {
        return rc;
    }
    b->lines[i] = sc_json_dumps(j);
    sc_json_free(j);
    return b->lines[i] != NULL ? SC_OK : SC_E_NOMEM;
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        if (atomic_load(&b->failed)) {
            break;
        }
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n) {
            break;
        }
        sc_status rc = b->phase == 1 ? encrypt_one(b, i) : serialise_one(b, i);
        if (rc != SC_OK) {
            record_failure(b, i, rc);
            break;
        }
    }
    return NULL;
}

static sc_status run_phase(batch *b, int phase, int threads)
{
    b->phase = phase;
    atomic_store(&b->next, 0);
    int nt = threads;
    if ((size_t)nt > b->n) {
        nt = (int)b->n;
    }
    pthread_t *tid = calloc((size_t)(nt > 1 ? nt - 1 : 1), sizeof *tid);
    if (tid == NULL) {
        return SC_E_NOMEM;
    }
    int started = 0;
    for (int t = 0; t < nt - 1; t++) {
        if (pthread_create(&tid[t], NULL, worker, b) != 0) {
            break;
        }
        started++;
    }
    worker(b); /* the calling thread works too */
    for (int t = 0; t < started; t++) {
        pthread_join(tid[t], NULL);
    }
    free(tid);
    return b->rc;
}

sc_status sc_encrypt_batch(const sc_election *e, sc_device *dev,
                           sc_plain_ballot *const *in, size_t n, int threads,
                           const uint8_t *seed, sc_enc_ballot **out,
                           char **lines, size_t *bad)
{
    batch b;
    memset(&b, 0, sizeof b);
    b.e = e;
    b.in = in;
    b.n = n;
    b.seed = seed;
    b.device = dev->index;
    b.first_seq = dev->count + 1;
    b.out = out;
    b.lines = lines;
    atomic_init(&b.next, 0);
    atomic_init(&b.failed, 0);
    pthread_mutex_init(&b.mu, NULL);
    if (threads <= 0) {
        threads = sc_cpu_count();
    }
    memset(out, 0, n * sizeof *out);
    if (lines != NULL) {
        memset(lines, 0, n * sizeof *lines);
    }
    sc_status rc = n == 0 ? SC_OK : run_phase(&b, 1, threads);
    if (rc == SC_OK) {
        for (size_t i = 0; i < n; i++) {
            sc_device_chain(dev, e->h_e, out[i]); /* eq 71, 73-76 */
        }
        if (lines != NULL && n > 0) {
            rc = run_phase(&b, 2, threads);
            if (rc != SC_OK) {
                /* undo the chain: the device must be unchanged */
                dev->count -= n;
                if (dev->mode == SC_CHAIN_SIMPLE) {
                    if (n > 0 && out[0] != NULL) {
                        memcpy(dev->prev, out[0]->bc + 4, 32);
                    }
                }
            }
        }
    }
    if (rc != SC_OK) {
        if (bad != NULL) {
            *bad = b.bad;
        }
        for (size_t i = 0; i < n; i++) {
            sc_enc_ballot_free(out[i]);
            out[i] = NULL;
            if (lines != NULL) {
                free(lines[i]);
                lines[i] = NULL;
            }
        }
    }
    pthread_mutex_destroy(&b.mu);
    return rc;
}
