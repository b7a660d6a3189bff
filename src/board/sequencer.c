/* The sequencer (one thread, the only writer) and the proof workers.
 *
 * A batch (whatever waited while the previous commit ran, up to 64) is
 * one transaction: each job is checked again against the database (seq,
 * uniqueness, chain: the door's checks ran on an older snapshot) inside a
 * savepoint, appended (entry, payload, stored hashes, ballots, signers,
 * meta), then the new root is signed and the checkpoint stored, and only
 * after COMMIT returned (synchronous=FULL) are the receipts sent. A full
 * disk or an I/O error turns the board read-only and nothing of the
 * batch is acknowledged (DESIGN_NOTES §3.2). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/board_int.h"
#include "scrutin/ballot.h"

#define BATCH_MAX 64

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The type-specific rows of one accepted job. */
static sc_status apply(sc_board *b, bjob *j, uint64_t idx)
{
    sc_bdb *db = b->wdb;
    sc_bdb_signer s;
    sc_status rc = sc_bdb_signer_get(db, j->e.signer, &s);
    if (rc != SC_OK) {
        return rc;
    }
    s.last_seq = j->e.seq;
    switch (j->e.type) {
    case SC_ENTRY_BALLOT: {
        sc_bdb_ballot bl = {.label = j->label,
                            .idx = idx,
                            .device = j->device,
                            .dseq = j->dseq};
        memcpy(bl.code, j->code, 32);
        memcpy(bl.id_b, j->id_b, 32);
        rc = sc_bdb_ballot_put(db, &bl);
        s.ballots++;
        memcpy(s.last_h, j->code, 32);
        break;
    }
    case SC_ENTRY_DEVICE: {
        sc_bdb_signer d = {.role = SC_ROLE_DEVICE,
                           .device = j->reg_index,
                           .chaining = j->reg_chaining};
        memcpy(d.pubkey, j->reg_pub, 32);
        snprintf(d.name, sizeof d.name, "%s", j->reg_name);
        rc = sc_bdb_signer_put(db, &d);
        break;
    }
    case SC_ENTRY_DEVICE_CLOSE: s.closed = 1; break;
    case SC_ENTRY_WITNESS_POLICY:
        rc = sc_bdb_meta_put(db, "policy", j->payload, j->len);
        break;
    case SC_ENTRY_TALLY:
        rc = sc_bdb_meta_put(db, "phase", "1", 1);
        atomic_store(&b->phase, PH_COUNTING); /* for the rest of the batch */
        break;
    case SC_ENTRY_CLOSE:
        rc = sc_bdb_meta_put(db, "phase", "2", 1);
        atomic_store(&b->phase, PH_CLOSED);
        break;
    case SC_ENTRY_WRITE_IN_COUNT:
    case SC_ENTRY_WRITE_IN:
        rc = sc_bdb_write_in_put(db, j->e.type, j->id_b, idx);
        break;
    case SC_ENTRY_RESULT: {
        char hex[65];
        bd_hex(hex, j->e.payload_sha256, 32);
        rc = sc_bdb_meta_put(db, "results", hex, 64);
        break;
    }
    default: break;
    }
    if (rc == SC_OK) {
        rc = sc_bdb_signer_put(db, &s);
    }
    return rc;
}

static sc_status append_one(sc_board *b, bjob *j, uint64_t idx)
{
    sc_bdb *db = b->wdb;
    j->e.index = idx;
    j->e.time_ms = now_ms();
    sc_bdb_entry row = {.idx = idx, .type = j->e.type, .seq = j->e.seq};
    sc_entry_encode(row.entry, &j->e);
    sc_tlog_leaf_hash(row.leaf, row.entry, sizeof row.entry);
    memcpy(row.payload_sha256, j->e.payload_sha256, 32);
    memcpy(row.signer, j->e.signer, 32);
    uint8_t hashes[64][32];
    size_t nh = 0;
    sc_status rc = sc_bdb_entry_put(db, &row);
    if (rc == SC_OK) {
        rc = sc_bdb_payload_put(db, j->e.payload_sha256, j->payload, j->len);
    }
    if (rc == SC_OK) {
        rc = sc_tlog_append_hashes(hashes, &nh, sc_bdb_node_cb, db, idx,
                                   row.leaf);
    }
    for (size_t l = 0; l < nh && rc == SC_OK; l++) {
        rc = sc_bdb_node_put(db, (unsigned)l, idx >> l, hashes[l]);
    }
    if (rc == SC_OK) {
        rc = apply(b, j, idx);
    }
    return rc;
}

/* Sign and store the checkpoint of `size` (in the open transaction). */
static sc_status sign_checkpoint(sc_board *b, uint64_t size, uint8_t root[32])
{
    sc_status rc = sc_tlog_root(root, sc_bdb_node_cb, b->wdb, size);
    sc_checkpoint cp = {.size = size};
    snprintf(cp.origin, sizeof cp.origin, "%s", b->origin);
    memcpy(cp.root, root, 32);
    char text[SC_CHECKPOINT_TEXT_MAX + 1];
    size_t tl = 0;
    sc_note note;
    memset(&note, 0, sizeof note);
    char *out = NULL;
    size_t ol = 0;
    if (rc == SC_OK) {
        rc = sc_checkpoint_format(text, sizeof text, &tl, &cp);
    }
    if (rc == SC_OK) {
        rc = sc_note_init(&note, text, tl);
    }
    if (rc == SC_OK) {
        rc = sc_note_sign(&note, b->origin, b->board_sk);
    }
    if (rc == SC_OK) {
        rc = sc_note_format(&note, &out, &ol);
    }
    if (rc == SC_OK) {
        rc = sc_bdb_checkpoint_put(b->wdb, size, root, out);
    }
    free(out);
    sc_note_clear(&note);
    return rc;
}

static void go_read_only(sc_board *b, const char *why)
{
    if (!atomic_exchange(&b->read_only, 1)) {
        fprintf(stderr,
                "scrutin board: storage failure (%s): read-only from "
                "now on\n",
                why);
    }
}

static void reload_policy(sc_board *b)
{
    char *v = NULL;
    size_t len = 0;
    if (sc_bdb_meta_get(b->wdb, "policy", &v, &len) != SC_OK) {
        return;
    }
    sc_witness_policy p;
    char msg[200];
    if (sc_witness_policy_parse(&p, v, len, msg, sizeof msg) != SC_OK) {
        free(v);
        return;
    }
    pthread_mutex_lock(&b->mu);
    if (b->has_policy) {
        sc_witness_policy_clear(&b->policy);
    }
    free(b->policy_json);
    b->policy = p;
    b->policy_json = v;
    b->has_policy = 1;
    pthread_mutex_unlock(&b->mu);
}

void bd_commit_batch(sc_board *b, bjob **jobs, size_t n)
{
    sc_bdb *db = b->wdb;
    if (atomic_load(&b->read_only)) {
        for (size_t i = 0; i < n; i++) {
            bd_refuse(jobs[i], 503, "the board is read-only (storage failure)");
        }
        return;
    }
    uint64_t size = 0;
    sc_status rc = sc_bdb_begin(db);
    if (rc == SC_OK) {
        rc = sc_bdb_entry_count(db, &size);
    }
    int accepted[BATCH_MAX];
    size_t nacc = 0;
    int new_policy = 0;
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        bjob *j = jobs[i];
        accepted[i] = 0;
        int replayed = 0;
        /* The door again, on the writer's view (includes this batch). */
        if (bd_door(b, db, j, &replayed) != 0 || replayed) {
            j->replayed = replayed;
            continue;
        }
        /* Nothing of j is written before this point: a refusal by the
         * door needs no rollback. */
        rc = append_one(b, j, size);
        if (rc == SC_E_DUPLICATE) {
            /* Cannot happen after the door; refuse this one only if it
             * does (the transaction is rolled back below). */
            bd_refuse(j, 409, "conflict");
            break;
        }
        if (rc != SC_OK) {
            break;
        }
        j->ans.index = size;
        accepted[i] = 1;
        nacc++;
        new_policy |= j->e.type == SC_ENTRY_WITNESS_POLICY;
        size++;
    }
    uint8_t root[32];
    if (rc == SC_OK && nacc > 0) {
        rc = sign_checkpoint(b, size, root);
    }
    if (rc == SC_OK && nacc > 0) {
        rc = sc_bdb_commit(db);
    } else {
        sc_bdb_rollback(db);
    }
    if (rc != SC_OK) {
        if (sc_bdb_failed(db)) {
            go_read_only(b, sc_bdb_errmsg(db));
        }
        /* The phase may have moved inside the rolled-back batch. */
        char *ph0 = NULL;
        size_t pl0 = 0;
        if (sc_bdb_meta_get(db, "phase", &ph0, &pl0) == SC_OK) {
            atomic_store(&b->phase, atoi(ph0));
        }
        free(ph0);
        for (size_t i = 0; i < n; i++) {
            if (jobs[i]->ans.status == 0 || accepted[i]) {
                bd_refuse(jobs[i], 503, "not stored: %s",
                          sc_bdb_failed(db) ? "storage failure"
                                            : sc_strerror(rc));
            }
        }
        return;
    }
    if (nacc == 0) {
        return;
    }
    /* Durable: the answers may go. The rollback guard and the witnesses
     * follow on their own threads (publish.c). */
    char *ph = NULL;
    size_t pl = 0;
    if (sc_bdb_meta_get(db, "phase", &ph, &pl) == SC_OK) {
        atomic_store(&b->phase, atoi(ph));
    }
    free(ph);
    if (new_policy) {
        reload_policy(b);
    }
    bd_published(b, size, root);
    for (size_t i = 0; i < n; i++) {
        if (!accepted[i]) {
            continue;
        }
        char *r = NULL;
        if (bd_receipt(b, db, jobs[i]->ans.index, &r) != SC_OK) {
            /* Stored, but the receipt failed: the replay gets it. */
            bd_refuse(jobs[i], 503,
                      "stored at index %llu; ask again for "
                      "the receipt",
                      (unsigned long long)jobs[i]->ans.index);
            continue;
        }
        jobs[i]->ans.status = 200;
        jobs[i]->ans.receipt = r;
    }
}

/* ------------------------------------------------------------- threads */

/* The in-flight slots (under mu). */
static int busy_take(sc_board *b, const uint8_t signer[32])
{
    for (size_t i = 0; i < b->nbusy; i++) {
        if (memcmp(b->busy[i], signer, 32) == 0) {
            return 0;
        }
    }
    if (b->nbusy == b->capbusy) {
        size_t cap = b->capbusy ? 2 * b->capbusy : 64;
        uint8_t(*nb)[32] = realloc(b->busy, cap * sizeof *nb);
        if (nb == NULL) {
            return 0;
        }
        b->busy = nb;
        b->capbusy = cap;
    }
    memcpy(b->busy[b->nbusy++], signer, 32);
    return 1;
}

static void busy_release(sc_board *b, const uint8_t signer[32])
{
    for (size_t i = 0; i < b->nbusy; i++) {
        if (memcmp(b->busy[i], signer, 32) == 0) {
            memcpy(b->busy[i], b->busy[--b->nbusy], 32);
            return;
        }
    }
}

void bd_job_finish(sc_board *b, bjob *j)
{
    if (j->busy) {
        pthread_mutex_lock(&b->mu);
        busy_release(b, j->e.signer);
        pthread_mutex_unlock(&b->mu);
        j->busy = 0;
    }
    sc_http_resp resp;
    memset(&resp, 0, sizeof resp);
    if (j->replayed) {
        atomic_fetch_add(&b->metrics[M_REPLAYED], 1);
    } else {
        bd_count(b, j->ans.status);
    }
    if (j->ans.status == 200) {
        sc_http_take(&resp, 200, "text/plain; charset=utf-8", j->ans.receipt,
                     strlen(j->ans.receipt));
        j->ans.receipt = NULL;
    } else {
        sc_http_text(&resp, j->ans.status, "%s", j->ans.why);
        if (j->ans.status == 503) {
            sc_http_add_header(&resp, "Retry-After", "1");
        }
    }
    if (j->req != NULL) {
        sc_http_complete(j->req, &resp);
    }
    free(resp.body);
    free(j->ans.receipt);
    sc_json_free(j->json);
    free(j->payload);
    free(j);
}

static void push(bjob **head, bjob **tail, bjob *j)
{
    j->next = NULL;
    if (*tail != NULL) {
        (*tail)->next = j;
    } else {
        *head = j;
    }
    *tail = j;
}

static bjob *pop(bjob **head, bjob **tail)
{
    bjob *j = *head;
    if (j != NULL) {
        *head = j->next;
        if (*head == NULL) {
            *tail = NULL;
        }
    }
    return j;
}

int bd_enqueue(sc_board *b, bjob *j)
{
    unsigned qmax = b->cfg.queue_max != 0 ? b->cfg.queue_max : 64;
    pthread_mutex_lock(&b->mu);
    if (b->stopping) {
        pthread_mutex_unlock(&b->mu);
        bd_refuse(j, 503, "the board is stopping");
        return 1;
    }
    if (j->e.type == SC_ENTRY_BALLOT) {
        if (!busy_take(b, j->e.signer)) {
            pthread_mutex_unlock(&b->mu);
            bd_refuse(j, 429,
                      "a ballot of this device is being checked; send the "
                      "next one after its answer");
            return 1;
        }
        j->busy = 1;
        if (b->work_len >= qmax) {
            busy_release(b, j->e.signer);
            j->busy = 0;
            pthread_mutex_unlock(&b->mu);
            bd_refuse(j, 503,
                      "overloaded: too many ballots waiting for "
                      "their proofs to be checked");
            return 1;
        }
        push(&b->work_head, &b->work_tail, j);
        b->work_len++;
        pthread_cond_signal(&b->work_cv);
    } else {
        push(&b->seq_head, &b->seq_tail, j);
        pthread_cond_signal(&b->seq_cv);
    }
    pthread_mutex_unlock(&b->mu);
    return 0;
}

static void *worker_main(void *arg)
{
    sc_board *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (b->work_head == NULL && !b->stopping) {
            pthread_cond_wait(&b->work_cv, &b->mu);
        }
        bjob *j = pop(&b->work_head, &b->work_tail);
        if (j == NULL) {
            pthread_mutex_unlock(&b->mu);
            return NULL;
        }
        b->work_len--;
        pthread_mutex_unlock(&b->mu);
        sc_bdb *db = bd_rdb(b);
        if (db == NULL) {
            bd_refuse(j, 503, "storage error");
        }
        if (db == NULL || bd_door_proofs(b, db, j) != 0) {
            bd_job_finish(b, j);
            continue;
        }
        pthread_mutex_lock(&b->mu);
        push(&b->seq_head, &b->seq_tail, j);
        pthread_cond_signal(&b->seq_cv);
        pthread_mutex_unlock(&b->mu);
    }
}

static void *seq_main(void *arg)
{
    sc_board *b = arg;
    bjob *batch[BATCH_MAX];
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (b->seq_head == NULL &&
               !(b->stopping && b->work_head == NULL && b->nworkers == 0)) {
            pthread_cond_wait(&b->seq_cv, &b->mu);
        }
        size_t n = 0;
        while (n < BATCH_MAX && b->seq_head != NULL) {
            batch[n++] = pop(&b->seq_head, &b->seq_tail);
        }
        pthread_mutex_unlock(&b->mu);
        if (n == 0) {
            return NULL;
        }
        bd_commit_batch(b, batch, n);
        for (size_t i = 0; i < n; i++) {
            bd_job_finish(b, batch[i]);
        }
    }
}

sc_status bd_threads_start(sc_board *b)
{
    unsigned nw = b->cfg.workers;
    if (nw == 0) {
        nw = (unsigned)sc_cpu_count();
    }
    b->workers = calloc(nw, sizeof *b->workers);
    if (b->workers == NULL) {
        return SC_E_NOMEM;
    }
    for (unsigned i = 0; i < nw; i++) {
        if (pthread_create(&b->workers[i], NULL, worker_main, b) != 0) {
            break;
        }
        b->nworkers++;
    }
    if (b->nworkers == 0 ||
        pthread_create(&b->seq_thread, NULL, seq_main, b) != 0) {
        return SC_E_INTERNAL;
    }
    if (bd_lanes_start(b) != SC_OK) {
        return SC_E_INTERNAL;
    }
    b->serving = 1;
    return SC_OK;
}

void bd_threads_stop(sc_board *b)
{
    pthread_mutex_lock(&b->mu);
    b->stopping = 1;
    pthread_cond_broadcast(&b->work_cv);
    pthread_mutex_unlock(&b->mu);
    for (unsigned i = 0; i < b->nworkers; i++) {
        pthread_join(b->workers[i], NULL);
    }
    pthread_mutex_lock(&b->mu);
    b->nworkers = 0;
    pthread_cond_broadcast(&b->seq_cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->seq_thread, NULL);
    bd_lanes_stop(b);
    free(b->workers);
    b->workers = NULL;
    sc_httpd_stop(b->http);
    b->http = NULL;
    b->serving = 0;
}
