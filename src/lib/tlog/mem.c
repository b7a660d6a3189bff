/* An in-memory stored-hash tree: level l keeps node(l, i) for every
 * complete subtree, i < size >> l. */
#include <stdlib.h>
#include <string.h>

#include "scrutin/tlog.h"

struct sc_tlog_mem {
    uint8_t (*level[64])[32];
    uint64_t cap[64];
    uint64_t size;
};

sc_status sc_tlog_mem_new(sc_tlog_mem **out)
{
    if (out == NULL) {
        return SC_E_MISUSE;
    }
    *out = calloc(1, sizeof **out);
    return *out ? SC_OK : SC_E_NOMEM;
}

void sc_tlog_mem_free(sc_tlog_mem *m)
{
    if (m == NULL) {
        return;
    }
    for (int l = 0; l < 64; l++) {
        free(m->level[l]);
    }
    free(m);
}

uint64_t sc_tlog_mem_size(const sc_tlog_mem *m)
{
    return m ? m->size : 0;
}

sc_status sc_tlog_mem_get(void *ctx, unsigned level, uint64_t index,
                          uint8_t out[32])
{
    const sc_tlog_mem *m = ctx;
    if (m == NULL || level >= 64) {
        return SC_E_MISUSE;
    }
    if (index >= (m->size >> level)) {
        return SC_E_RANGE;
    }
    memcpy(out, m->level[level][index], 32);
    return SC_OK;
}

sc_status sc_tlog_mem_append(sc_tlog_mem *m, const uint8_t leaf[32])
{
    if (m == NULL || leaf == NULL) {
        return SC_E_MISUSE;
    }
    uint8_t h[64][32];
    size_t count;
    sc_status rc =
        sc_tlog_append_hashes(h, &count, sc_tlog_mem_get, m, m->size, leaf);
    if (rc != SC_OK) {
        return rc;
    }
    for (size_t l = 0; l < count; l++) {
        uint64_t idx = m->size >> l;
        if (idx >= m->cap[l]) {
            uint64_t nc = m->cap[l] ? 2 * m->cap[l] : 16;
            void *p = realloc(m->level[l], nc * 32);
            if (p == NULL) {
                return SC_E_NOMEM;
            }
            m->level[l] = p;
            m->cap[l] = nc;
        }
        memcpy(m->level[l][idx], h[l], 32);
    }
    m->size++;
    return SC_OK;
}
