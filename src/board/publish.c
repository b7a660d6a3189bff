/* What follows a commit, off the path of the answers (docs/BOARD.md §7):
 * checkpoint.latest (the rollback guard) and the witnesses' cosignatures,
 * each on its own thread ("lane"), each always working on the newest
 * committed size: a slow witness delays neither the sequencer nor the
 * guard. The answers wait only for the database's COMMIT (the entry is
 * durable then); checkpoint.latest names a size at most the database's,
 * so the start-up check stays sound (a copy of board.db older than the
 * guard is refused). The guard is written at most every 50 ms. The lanes
 * finish the newest size before the board stops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/board_int.h"

#define LATEST_EVERY_MS 50

/* The lane's work for `size`. */
static void lane_work(sc_board *b, int which, sc_bdb *db, uint64_t size,
                      const uint8_t root[32])
{
    if (which == LANE_LATEST) {
        if (bd_latest_write(b, size, root) != SC_OK) {
            fprintf(stderr, "scrutin board: cannot write %s\n",
                    SC_BOARD_LATEST);
        }
        return;
    }
    /* A copy of the policy: the sequencer may replace b->policy. */
    sc_witness_policy p;
    int have = 0;
    pthread_mutex_lock(&b->mu);
    if (b->has_policy && b->policy_json != NULL) {
        have =
            sc_witness_policy_parse(&p, b->policy_json, strlen(b->policy_json),
                                    NULL, 0) == SC_OK;
    }
    pthread_mutex_unlock(&b->mu);
    if (have) {
        bd_witnesses_call(b, db, &p, size);
        sc_witness_policy_clear(&p);
    }
}

typedef struct lane_arg {
    sc_board *b;
    int which;
} lane_arg;

static void *lane_main(void *arg)
{
    lane_arg a = *(lane_arg *)arg;
    free(arg);
    sc_board *b = a.b;
    struct bd_lane *l = &b->lane[a.which];
    sc_bdb *db = NULL;
    if (a.which == LANE_WITNESS) {
        char path[600], err[256];
        snprintf(path, sizeof path, "%s/%s", b->state_dir, SC_BOARD_DB);
        if (sc_bdb_open(&db, path, 0, err, sizeof err) != SC_OK) {
            fprintf(stderr, "scrutin board: witness lane: %s\n", err);
            db = NULL;
        }
    }
    struct timespec next = {0}; /* the guard's next write, at the earliest */
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (l->want == l->done && !b->pub_stopping) {
            pthread_cond_wait(&b->pub_cv, &b->mu);
        }
        /* The guard is written at most every LATEST_EVERY_MS (a write is
         * two fsyncs, once per batch it was some 3% of the board's CPU
         * at full load); it then names the newest size, and the newest
         * of all at once when the board stops. */
        while (a.which == LANE_LATEST && !b->pub_stopping &&
               pthread_cond_timedwait(&b->pub_cv, &b->mu, &next) == 0) {
        }
        if (l->want == l->done ||
            (b->pub_stopping && a.which == LANE_WITNESS)) {
            break; /* stopping: the guard finishes the newest size; the
                      witnesses are asked again at the next start */
        }
        uint64_t size = l->want;
        uint8_t root[32];
        memcpy(root, b->pub_root, 32);
        pthread_mutex_unlock(&b->mu);
        if (a.which == LANE_LATEST) {
            clock_gettime(CLOCK_REALTIME, &next); /* pub_cv's clock */
            next.tv_nsec += LATEST_EVERY_MS * 1000000L;
            next.tv_sec += next.tv_nsec / 1000000000L;
            next.tv_nsec %= 1000000000L;
        }
        if (a.which == LANE_LATEST || db != NULL) {
            lane_work(b, a.which, db, size, root);
        }
        pthread_mutex_lock(&b->mu);
        l->done = size;
    }
    pthread_mutex_unlock(&b->mu);
    sc_bdb_close(db);
    return NULL;
}

sc_status bd_lanes_start(sc_board *b)
{
    for (int i = 0; i < 2; i++) {
        lane_arg *a = malloc(sizeof *a);
        if (a == NULL) {
            return SC_E_NOMEM;
        }
        a->b = b;
        a->which = i;
        if (pthread_create(&b->lane[i].t, NULL, lane_main, a) != 0) {
            free(a);
            return SC_E_INTERNAL;
        }
        b->lane[i].running = 1;
    }
    return SC_OK;
}

void bd_lanes_stop(sc_board *b)
{
    pthread_mutex_lock(&b->mu);
    b->pub_stopping = 1;
    pthread_cond_broadcast(&b->pub_cv);
    pthread_mutex_unlock(&b->mu);
    for (int i = 0; i < 2; i++) {
        if (b->lane[i].running) {
            pthread_join(b->lane[i].t, NULL);
            b->lane[i].running = 0;
        }
    }
    b->pub_stopping = 0;
}

void bd_published(sc_board *b, uint64_t size, const uint8_t root[32])
{
    if (b->lane[LANE_LATEST].running) {
        pthread_mutex_lock(&b->mu);
        memcpy(b->pub_root, root, 32);
        for (int i = 0; i < 2; i++) {
            if (b->lane[i].want < size) {
                b->lane[i].want = size;
            }
        }
        pthread_cond_broadcast(&b->pub_cv);
        pthread_mutex_unlock(&b->mu);
        return;
    }
    /* Not serving (the CLI's local submissions): now, on this thread. */
    lane_work(b, LANE_LATEST, b->wdb, size, root);
    lane_work(b, LANE_WITNESS, b->wdb, size, root);
}

int bd_quorum_met(sc_board *b, const char *note)
{
    sc_note n;
    if (sc_note_parse(&n, note, strlen(note)) != SC_OK) {
        return 0;
    }
    pthread_mutex_lock(&b->mu);
    int met =
        b->has_policy && sc_witness_policy_check(&b->policy, &n, NULL) == SC_OK;
    pthread_mutex_unlock(&b->mu);
    sc_note_clear(&n);
    return met;
}
