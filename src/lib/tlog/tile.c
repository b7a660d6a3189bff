/* C2SP tlog-tiles: tile paths and hash tile contents. */
#include <stdio.h>
#include <string.h>

#include "scrutin/tlog.h"

/* N in 3-digit groups, all but the last prefixed by 'x': 1234067 ->
 * x001/x234/067. */
static size_t put_index(char *out, uint64_t n)
{
    unsigned groups[7];
    size_t k = 0;
    do {
        groups[k++] = (unsigned)(n % 1000);
        n /= 1000;
    } while (n > 0);
    size_t len = 0;
    while (k-- > 0) {
        len += (size_t)sprintf(out + len, k > 0 ? "x%03u/" : "%03u", groups[k]);
    }
    return len;
}

sc_status sc_tile_path(char *out, size_t cap, int level, uint64_t n,
                       unsigned width)
{
    if (out == NULL || level < SC_TILE_ENTRIES || level > 63 || width == 0 ||
        width > 256) {
        return SC_E_MISUSE;
    }
    char buf[SC_TILE_PATH_MAX + 16];
    size_t len;
    if (level == SC_TILE_ENTRIES) {
        len = (size_t)sprintf(buf, "tile/entries/");
    } else {
        len = (size_t)sprintf(buf, "tile/%d/", level);
    }
    len += put_index(buf + len, n);
    if (width < 256) {
        len += (size_t)sprintf(buf + len, ".p/%u", width);
    }
    if (len + 1 > cap) {
        return SC_E_RANGE;
    }
    memcpy(out, buf, len + 1);
    return SC_OK;
}

/* A decimal without leading zeros in [0, max]; advances *p. */
static int get_dec(const char **p, const char *end, uint64_t max, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    if (s == end || *s < '0' || *s > '9' ||
        (s[0] == '0' && s + 1 < end && s[1] >= '0' && s[1] <= '9')) {
        return 0;
    }
    while (s < end && *s >= '0' && *s <= '9') {
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10) {
            return 0;
        }
        v = v * 10 + d;
        s++;
    }
    *p = s;
    *out = v;
    return 1;
}

static int get_group(const char *s, const char *end, unsigned *g)
{
    if (end - s < 3) {
        return 0;
    }
    *g = 0;
    for (int i = 0; i < 3; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        *g = *g * 10 + (unsigned)(s[i] - '0');
    }
    return 1;
}

sc_status sc_tile_path_parse(int *level, uint64_t *n, unsigned *width,
                             const char *path, size_t len)
{
    if (level == NULL || n == NULL || width == NULL || path == NULL) {
        return SC_E_MISUSE;
    }
    const char *p = path, *end = path + len;
    if (len < 5 || memcmp(p, "tile/", 5) != 0) {
        return SC_E_INVALID;
    }
    p += 5;
    if ((size_t)(end - p) >= 8 && memcmp(p, "entries/", 8) == 0) {
        *level = SC_TILE_ENTRIES;
        p += 8;
    } else {
        uint64_t l;
        if (!get_dec(&p, end, 63, &l) || p == end || *p != '/') {
            return SC_E_INVALID;
        }
        *level = (int)l;
        p++;
    }
    uint64_t v = 0;
    size_t groups = 0;
    for (;;) {
        unsigned g;
        int more = (p < end && *p == 'x');
        if (more) {
            p++;
        }
        if (!get_group(p, end, &g)) {
            return SC_E_INVALID;
        }
        p += 3;
        if (groups == 0 && more && g == 0) {
            return SC_E_INVALID; /* leading zero group: not canonical */
        }
        if (v > (UINT64_MAX - g) / 1000) {
            return SC_E_INVALID;
        }
        v = v * 1000 + g;
        groups++;
        if (!more) {
            break;
        }
        if (p == end || *p != '/') {
            return SC_E_INVALID;
        }
        p++;
    }
    *n = v;
    *width = 256;
    if (p < end) {
        uint64_t w;
        if (end - p < 3 || memcmp(p, ".p/", 3) != 0) {
            return SC_E_INVALID;
        }
        p += 3;
        if (!get_dec(&p, end, 255, &w) || w == 0) {
            return SC_E_INVALID;
        }
        *width = (unsigned)w;
    }
    return p == end ? SC_OK : SC_E_INVALID;
}

unsigned sc_tile_width(int level, uint64_t n, uint64_t size)
{
    if (level == SC_TILE_ENTRIES) {
        level = 0;
    }
    if (level < 0 || level > 63 || n > (UINT64_MAX >> 8) - 1) {
        return 0;
    }
    unsigned shift = 8u * (unsigned)level;
    uint64_t hashes = shift >= 64 ? 0 : size >> shift;
    uint64_t start = n << 8;
    if (hashes >= start + 256) {
        return 256;
    }
    return hashes > start ? (unsigned)(hashes - start) : 0;
}

sc_status sc_tile_read(uint8_t *out, sc_tlog_get_node get, void *ctx, int level,
                       uint64_t n, unsigned width)
{
    if (out == NULL || get == NULL || level < 0 || level > 7 || width == 0 ||
        width > 256 || n > (UINT64_MAX >> 8) - 1) {
        return SC_E_MISUSE;
    }
    for (unsigned j = 0; j < width; j++) {
        sc_status rc =
            get(ctx, 8u * (unsigned)level, (n << 8) + j, out + 32 * (size_t)j);
        if (rc != SC_OK) {
            return rc;
        }
    }
    return SC_OK;
}
