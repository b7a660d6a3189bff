/* The process-wide group cache behind sc_group_new / sc_group_free.
 *
 * A group is read-only once built (scrutin/group.h), and building one is
 * not free: g's fixed-base table is k = ceil(|q| / w) windows of 2^w
 * entries. A verifier, a record reader or a fuzz target that opens a
 * group per call rebuilt it every time (40 % of the 2.0 verifier's fuzz
 * input). So each parameter set is built once, on first use, and handed
 * out with a reference count. The key is the parameter set (its p, q, g
 * come only from params.c, so the id names them exactly) and whether the
 * IFMA kernel may be used (sc_mont_ifma_enabled: tests and the fallback
 * runs switch it off for the groups they make then). A verifier still
 * compares a record's parameters with the set, value by value (S1,
 * v01_params.c; V1 in verify20).
 *
 * The cache holds one reference of its own, dropped at exit (atexit);
 * the object is freed when the last reference goes, so a group freed
 * after exit handlers ran, or held by a thread still running, stays
 * valid until then. */
#include <pthread.h>
#include <stdlib.h>

#include "arith/mont.h"
#include "group/cache.h"
#include "scrutin/core.h"

typedef struct slot {
    sc_group *grp;
    unsigned refs; /* callers' references + the cache's (cached) */
    int cached;    /* the cache's own reference is held */
} slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static slot slots[SC_GROUP_COUNT][2]; /* [id][IFMA allowed] */
static int exit_hooked;
static int exited; /* cache_drop ran: new groups are not cached */

static void slot_release(slot *s)
{
    if (--s->refs == 0) {
        sc_group_destroy(s->grp);
        s->grp = NULL;
    }
}

static void cache_drop(void)
{
    pthread_mutex_lock(&lock);
    exited = 1;
    for (int i = 0; i < SC_GROUP_COUNT; i++) {
        for (int j = 0; j < 2; j++) {
            slot *s = &slots[i][j];
            if (s->grp != NULL && s->cached) {
                s->cached = 0;
                slot_release(s);
            }
        }
    }
    pthread_mutex_unlock(&lock);
}

sc_status sc_group_new(sc_group **out, sc_group_id id)
{
    if (out == NULL) {
        return SC_E_MISUSE;
    }
    *out = NULL;
    if ((int)id < 0 || id >= SC_GROUP_COUNT) {
        return SC_E_MISUSE;
    }
    sc_status rc = sc_init();
    if (rc != SC_OK) {
        return rc;
    }
    pthread_mutex_lock(&lock);
    slot *s = &slots[id][sc_mont_ifma_enabled() ? 1 : 0];
    if (s->grp == NULL) {
        rc = sc_group_build(&s->grp, id);
        if (rc == SC_OK) {
            s->refs = 0;
            s->cached = !exited;
            s->refs += (unsigned)s->cached;
            if (s->cached && !exit_hooked) {
                exit_hooked = atexit(cache_drop) == 0;
            }
        }
    }
    if (rc == SC_OK) {
        s->refs++;
        *out = s->grp;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

void sc_group_free(sc_group *grp)
{
    if (grp == NULL) {
        return;
    }
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SC_GROUP_COUNT; i++) {
        for (int j = 0; j < 2; j++) {
            if (slots[i][j].grp == grp) {
                slot_release(&slots[i][j]);
                i = SC_GROUP_COUNT; /* found: stop */
                break;
            }
        }
    }
    pthread_mutex_unlock(&lock);
}
