/* The worker pool of both verifiers (vcommon.h): N threads take items
 * from a bounded queue. The 2.1 verifier's reader streams parsed ballots
 * into it (memory bounded by the queue, whatever the number of ballots);
 * the 2.0 verifier hands it file and contest indices (vc_pool_for). */
#include <pthread.h>
#include <stdlib.h>

#include "verify/common/vcommon.h"

typedef struct vc_worker {
    vc_pool *pool;
    int id;
    pthread_t th;
} vc_worker;

struct vc_pool {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    vc_item *q;
    size_t cap, head, n;
    int closed;
    vc_work_fn fn;
    void *ctx;
    vc_worker *w;
    int started;
};

static int pool_pop(vc_pool *p, vc_item *it)
{
    pthread_mutex_lock(&p->mu);
    while (p->n == 0 && !p->closed) {
        pthread_cond_wait(&p->not_empty, &p->mu);
    }
    if (p->n == 0) {
        pthread_mutex_unlock(&p->mu);
        return 0;
    }
    *it = p->q[p->head];
    p->head = (p->head + 1) % p->cap;
    p->n--;
    pthread_cond_signal(&p->not_full);
    pthread_mutex_unlock(&p->mu);
    return 1;
}

static void *worker_main(void *arg)
{
    vc_worker *w = arg;
    vc_item it;
    while (pool_pop(w->pool, &it)) {
        w->pool->fn(w->pool->ctx, w->id, it);
    }
    return NULL;
}

sc_status vc_pool_start(vc_pool **out, int nthreads, vc_work_fn fn, void *ctx)
{
    *out = NULL;
    if (nthreads < 0) {
        nthreads = 0;
    }
    vc_pool *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return SC_E_NOMEM;
    }
    p->cap = 4 * (size_t)nthreads + 4;
    p->q = calloc(p->cap, sizeof *p->q);
    p->w = calloc((size_t)nthreads + 1, sizeof *p->w);
    if (p->q == NULL || p->w == NULL) {
        free(p->q);
        free(p->w);
        free(p);
        return SC_E_NOMEM;
    }
    p->fn = fn;
    p->ctx = ctx;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->not_empty, NULL);
    pthread_cond_init(&p->not_full, NULL);
    for (int t = 0; t < nthreads; t++) {
        p->w[t].pool = p;
        p->w[t].id = t;
        if (pthread_create(&p->w[t].th, NULL, worker_main, &p->w[t]) != 0) {
            break;
        }
        p->started++;
    }
    *out = p;
    return SC_OK;
}

int vc_pool_workers(const vc_pool *p)
{
    return p->started;
}

void vc_pool_push(vc_pool *p, vc_item item)
{
    if (p->started == 0) {
        p->fn(p->ctx, 0, item); /* no thread: run it here */
        return;
    }
    pthread_mutex_lock(&p->mu);
    while (p->n == p->cap) {
        pthread_cond_wait(&p->not_full, &p->mu);
    }
    p->q[(p->head + p->n) % p->cap] = item;
    p->n++;
    pthread_cond_signal(&p->not_empty);
    pthread_mutex_unlock(&p->mu);
}

void vc_pool_finish(vc_pool *p)
{
    if (p == NULL) {
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->closed = 1;
    pthread_cond_broadcast(&p->not_empty);
    pthread_mutex_unlock(&p->mu);
    for (int t = 0; t < p->started; t++) {
        pthread_join(p->w[t].th, NULL);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->not_empty);
    pthread_cond_destroy(&p->not_full);
    free(p->q);
    free(p->w);
    free(p);
}

void vc_pool_for(int nthreads, size_t n, vc_work_fn fn, void *ctx)
{
    vc_pool *p = NULL;
    if (n == 0) {
        return;
    }
    if ((size_t)nthreads > n) {
        nthreads = (int)n;
    }
    /* one worker: here, in order (a thread per call costs more than the
     * work on a small record, and the 2.0 verifier calls this per step) */
    if (nthreads <= 1 || vc_pool_start(&p, nthreads, fn, ctx) != SC_OK) {
        /* or no memory for a pool: do the work here */
        for (size_t i = 0; i < n; i++) {
            fn(ctx, 0, (vc_item){NULL, NULL, i});
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        vc_pool_push(p, (vc_item){NULL, NULL, i});
    }
    vc_pool_finish(p);
}
