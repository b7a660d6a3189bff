#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include "scrutin/core.h"

/* GMP allocator that wipes: secrets held in mpz_t (keys, nonces, shares)
 * must not survive in freed heap blocks. GMP's contract: abort on failure. */
static void *wipe_alloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        abort();
    }
    return p;
}

static void *wipe_realloc(void *old, size_t old_n, size_t new_n)
{
    void *p = wipe_alloc(new_n);
    if (old != NULL) {
        memcpy(p, old, old_n < new_n ? old_n : new_n);
        sodium_memzero(old, old_n);
        free(old);
    }
    return p;
}

static void wipe_free(void *p, size_t n)
{
    if (p != NULL) {
        sodium_memzero(p, n);
        free(p);
    }
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = -1;

static void do_init(void)
{
    mp_set_memory_functions(wipe_alloc, wipe_realloc, wipe_free);
    init_result = sodium_init() < 0 ? -1 : 0;
}

sc_status sc_init(void)
{
    pthread_once(&init_once, do_init);
    return init_result == 0 ? SC_OK : SC_E_INTERNAL;
}

void sc_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0) {
        sodium_memzero(p, n);
    }
}

int sc_ct_eq(const void *a, const void *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}
