/* Merging the outputs of devices that encrypted in parallel, each on its
 * own copy of the record made after the key ceremony (docs/RECORD.md
 * "Parallel devices"). Everything is checked before anything is written;
 * the new ballot files and devices.json are then committed at one point
 * (commit.c). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scrutin/ballot.h"
#include "scrutin/files.h"
#include "scrutin/json.h"
#include "scrutin/record.h"

typedef struct mdev {
    sc_device_info info; /* info.device owned */
    const char *src;     /* the record it comes from (borrowed) */
    char *data;          /* its ballot file */
    size_t len;
    int pending; /* to be added to the record */
} mdev;

typedef struct merge {
    const char *dir;
    const sc_record *rec;
    mdev *d;
    size_t n, cap;
    size_t same; /* devices met again, identical */
    sc_labelset *ids, *codes;
    char *err;
    size_t errlen;
} merge;

static sc_status failf(merge *m, sc_status rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sc_status failf(merge *m, sc_status rc, const char *fmt, ...)
{
    if (m->errlen > 0 && m->err[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->err, m->errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* The files of the election before any ballot: byte for byte the same in
 * every input. */
static sc_status same_election(merge *m, const char *in)
{
    const char *base[] = {SC_REC_RECORD, SC_REC_PARAMS,    SC_REC_MANIFEST,
                          SC_REC_HASHES, SC_REC_JOINT_KEY, SC_REC_HASHES_EXT};
    size_t nb = sizeof base / sizeof base[0];
    for (size_t i = 0; i < nb + m->rec->n; i++) {
        char name[64], a[4096], b[4096];
        if (i < nb) {
            snprintf(name, sizeof name, "%s", base[i]);
        } else {
            snprintf(name, sizeof name, "guardians/guardian_%zu.json",
                     i - nb + 1);
        }
        char *x = NULL, *y = NULL;
        size_t lx = 0, ly = 0;
        sc_status rc = sc_record_path(a, sizeof a, m->dir, name);
        if (rc == SC_OK) {
            rc = sc_record_path(b, sizeof b, in, name);
        }
        if (rc == SC_OK) {
            rc = sc_file_read_all(a, &x, &lx);
        }
        if (rc == SC_OK) {
            rc = sc_file_read_all(b, &y, &ly);
            if (rc != SC_OK) {
                failf(m, rc, "%s: cannot read: %s", b, sc_strerror(rc));
            }
        }
        int same = rc == SC_OK && lx == ly && memcmp(x, y, lx) == 0;
        free(x);
        free(y);
        if (rc != SC_OK) {
            return failf(m, rc, "%s: cannot read: %s", a, sc_strerror(rc));
        }
        if (!same) {
            return failf(m, SC_E_DUPLICATE,
                         "%s: %s differs from %s's: not a copy of this "
                         "election's record",
                         in, name, m->dir);
        }
    }
    return SC_OK;
}

static int same_info(const sc_device_info *a, const sc_device_info *b)
{
    return strcmp(a->device, b->device) == 0 &&
           memcmp(a->h_di, b->h_di, 32) == 0 && a->mode == b->mode &&
           a->ballots == b->ballots && a->closed == b->closed &&
           (!a->closed || (memcmp(a->close_bc, b->close_bc, SC_BC_BYTES) == 0 &&
                           memcmp(a->close_h, b->close_h, 32) == 0));
}

/* One line of a device file: its device number and position, its label
 * and code unique in the election; *last its code. */
static sc_status check_line(merge *m, const mdev *x, const char *path,
                            const char *line, size_t len, uint64_t pos,
                            uint8_t last[32])
{
    sc_jctx ctx;
    sc_json *j = NULL;
    uint32_t dev = 0;
    uint64_t seq = 0;
    const char *id = NULL, *code = NULL;
    sc_jctx_init(&ctx, path, NULL);
    sc_jctx_where(&ctx, "line %llu: ", (unsigned long long)pos);
    sc_status rc = sc_json_parse(&ctx, line, len, &j);
    if (rc == SC_OK) {
        rc = sc_json_get_u32(&ctx, j, "device", &dev);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_u64(&ctx, j, "sequence", &seq);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_str(&ctx, j, "id", &id);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_str(&ctx, j, "confirmation_code", &code);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_hash(&ctx, j, "confirmation_code", last);
    }
    if (rc != SC_OK) {
        failf(m, SC_E_INVALID, "%s", ctx.msg);
    } else if (dev != x->info.index || seq != pos) {
        rc = failf(m, SC_E_INVALID,
                   "%s: line %llu: device %u, sequence %llu: expected device "
                   "%u, sequence %llu (the device's chain is broken)",
                   path, (unsigned long long)pos, (unsigned)dev,
                   (unsigned long long)seq, (unsigned)x->info.index,
                   (unsigned long long)pos);
    } else {
        int a = sc_labelset_add(m->ids, id),
            b = sc_labelset_add(m->codes, code);
        if (a < 0 || b < 0) {
            rc = SC_E_NOMEM;
        } else if (a == 0 || b == 0) {
            char shown[256];
            sc_label_printable(shown, sizeof shown, a == 0 ? id : code);
            rc = failf(m, SC_E_DUPLICATE,
                       "%s: line %llu: %s \"%s\" is already on another "
                       "ballot of the election",
                       path, (unsigned long long)pos,
                       a == 0 ? "ballot label" : "confirmation code", shown);
        }
    }
    sc_json_free(j);
    return rc;
}

/* A device's file against its devices.json entry: one line per ballot,
 * device numbers and sequence, H_DI (eq 72) and the closing (eq 77-78)
 * recomputed from the last code. */
static sc_status check_device(merge *m, const mdev *x)
{
    char path[4096], name[64];
    snprintf(name, sizeof name, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
             (unsigned)x->info.index);
    if (sc_record_path(path, sizeof path, x->src, name) != SC_OK) {
        return failf(m, SC_E_RANGE, "%s: path too long", x->src);
    }
    uint8_t last[32] = {0};
    uint64_t pos = 0;
    for (size_t off = 0; off < x->len;) {
        const char *nl = memchr(x->data + off, '\n', x->len - off);
        size_t end = nl != NULL ? (size_t)(nl - x->data) : x->len;
        if (end > off) {
            sc_status rc =
                check_line(m, x, path, x->data + off, end - off, ++pos, last);
            if (rc != SC_OK) {
                return rc;
            }
        }
        off = end + 1;
    }
    if (pos != x->info.ballots) {
        return failf(m, SC_E_INVALID, "%s: %llu ballots, its %s says %llu",
                     path, (unsigned long long)pos, SC_REC_DEVICES,
                     (unsigned long long)x->info.ballots);
    }
    sc_device dev;
    memset(&dev, 0, sizeof dev);
    sc_status rc = sc_device_init(&dev, m->rec->h_e, x->info.index,
                                  x->info.device, x->info.mode);
    if (rc != SC_OK) {
        return rc;
    }
    sc_device_resume(&dev, pos, last);
    int ok = memcmp(dev.h_di, x->info.h_di, 32) == 0 &&
             x->info.closed == (x->info.mode == SC_CHAIN_SIMPLE);
    if (ok && x->info.closed) {
        uint8_t bc[SC_BC_BYTES], h[32];
        sc_device_close(&dev, m->rec->h_e, bc, h);
        ok = memcmp(bc, x->info.close_bc, SC_BC_BYTES) == 0 &&
             memcmp(h, x->info.close_h, 32) == 0;
    }
    sc_device_clear(&dev);
    if (!ok) {
        return failf(m, SC_E_INVALID,
                     "%s/%s: device %u: H_DI or closing (eq 72, 77-78) does "
                     "not match its ballots",
                     x->src, SC_REC_DEVICES, (unsigned)x->info.index);
    }
    return SC_OK;
}

/* Take the devices of record src: new ones are checked and added;
 * one already taken must be identical. */
static sc_status take(merge *m, const char *src, int pending)
{
    sc_devices ds = {0};
    char derr[SC_ERRMAX] = "";
    sc_status rc = sc_devices_read(&ds, src, derr, sizeof derr);
    if (rc != SC_OK) {
        return failf(m, rc, "%s", *derr ? derr : sc_strerror(rc));
    }
    for (size_t i = 0; i < ds.n && rc == SC_OK; i++) {
        mdev x;
        memset(&x, 0, sizeof x);
        x.info = ds.d[i];
        x.src = src;
        x.pending = pending;
        char path[4096], name[64];
        snprintf(name, sizeof name, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
                 (unsigned)x.info.index);
        rc = sc_record_path(path, sizeof path, src, name);
        if (rc == SC_OK && x.info.ballots == 0 && access(path, F_OK) != 0) {
            x.data = calloc(1, 1);
            rc = x.data != NULL ? SC_OK : SC_E_NOMEM;
        } else if (rc == SC_OK) {
            rc = sc_file_read_all(path, &x.data, &x.len);
            if (rc != SC_OK) {
                failf(m, rc, "%s: cannot read: %s", path, sc_strerror(rc));
            }
        }
        mdev *have = NULL;
        for (size_t k = 0; rc == SC_OK && k < m->n; k++) {
            if (m->d[k].info.index == x.info.index) {
                have = &m->d[k];
            }
        }
        if (rc == SC_OK && have != NULL) {
            if (!same_info(&have->info, &x.info) || have->len != x.len ||
                memcmp(have->data, x.data, x.len) != 0) {
                rc = failf(m, SC_E_DUPLICATE,
                           "device %u: %s and %s hold different ballots for "
                           "it; a device number belongs to one device",
                           (unsigned)x.info.index, have->src, src);
            }
            m->same += pending;
            free(x.data);
            continue;
        }
        if (rc == SC_OK) {
            rc = check_device(m, &x);
        }
        if (rc == SC_OK && m->n == m->cap) {
            size_t nc = m->cap ? 2 * m->cap : 8;
            mdev *nd = realloc(m->d, nc * sizeof *nd);
            if (nd == NULL) {
                rc = SC_E_NOMEM;
            } else {
                m->d = nd;
                m->cap = nc;
            }
        }
        if (rc != SC_OK) {
            free(x.data);
            break;
        }
        m->d[m->n++] = x;
        ds.d[i].device = NULL; /* now owned by m->d[] */
    }
    sc_devices_clear(&ds);
    return rc;
}

static int by_index(const void *a, const void *b)
{
    uint32_t x = ((const mdev *)a)->info.index,
             y = ((const mdev *)b)->info.index;
    return x < y ? -1 : x > y;
}

/* A temporary file for a new device file, written and synced; its flock
 * keeps other runs from sweeping it (commit.c). */
static sc_status write_temp(merge *m, const mdev *x, char *tmp, size_t n,
                            int *fd_out)
{
    char path[4096], name[64];
    snprintf(name, sizeof name, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
             (unsigned)x->info.index);
    if (sc_record_path(path, sizeof path, m->dir, name) != SC_OK) {
        return failf(m, SC_E_RANGE, "%s: path too long", m->dir);
    }
    if ((size_t)snprintf(tmp, n, "%s.tmp.XXXXXX", path) >= n) {
        return SC_E_RANGE;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        sc_status rc = sc_io_fail();
        return failf(m, rc, "%s: cannot write: %s", path, sc_strerror(rc));
    }
    *fd_out = fd;
    (void)flock(fd, LOCK_EX);
    sc_status rc = fchmod(fd, SC_PUBLIC_FILE_MODE) == 0 ? SC_OK : sc_io_fail();
    for (size_t off = 0; rc == SC_OK && off < x->len;) {
        ssize_t w = write(fd, x->data + off, x->len - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            rc = sc_io_fail();
            break;
        }
        off += (size_t)w;
    }
    if (rc == SC_OK && fsync(fd) != 0) {
        rc = sc_io_fail();
    }
    if (rc != SC_OK) {
        failf(m, rc, "%s: cannot write: %s; nothing written", path,
              sc_strerror(rc));
    }
    return rc;
}

/* Write the pending devices at one commit point. */
static sc_status commit(merge *m, sc_merge_stats *st)
{
    size_t np = 0;
    for (size_t i = 0; i < m->n; i++) {
        np += m->d[i].pending;
    }
    if (np == 0) {
        return SC_OK;
    }
    sc_status rc = SC_OK;
    char **from = calloc(np, sizeof *from), **to = calloc(np, sizeof *to);
    int *fds = calloc(np, sizeof *fds);
    sc_devices ds = {0};
    char *text = NULL, bdir[4096];
    size_t k = 0;
    SC_ENSURE(from != NULL && to != NULL && fds != NULL, SC_E_NOMEM);
    for (size_t i = 0; i < np; i++) {
        fds[i] = -1;
    }
    SC_CHECK(sc_record_path(bdir, sizeof bdir, m->dir, SC_REC_BALLOTS_DIR));
    if (mkdir(bdir, 0755) != 0 && errno != EEXIST) {
        rc = sc_io_fail();
        failf(m, rc, "%s: cannot make: %s", bdir, sc_strerror(rc));
        goto done;
    }
    ds.n = m->n;
    ds.d = calloc(m->n, sizeof *ds.d);
    SC_ENSURE(ds.d != NULL, SC_E_NOMEM);
    for (size_t i = 0; i < m->n; i++) {
        ds.d[i] = m->d[i].info; /* borrowed: ds is not cleared */
        if (!m->d[i].pending) {
            continue;
        }
        from[k] = malloc(PATH_MAX);
        to[k] = malloc(64);
        SC_ENSURE(from[k] != NULL && to[k] != NULL, SC_E_NOMEM);
        snprintf(to[k], 64, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
                 (unsigned)m->d[i].info.index);
        SC_CHECK(write_temp(m, &m->d[i], from[k], PATH_MAX, &fds[k]));
        k++;
        st->added++;
        st->ballots += m->d[i].info.ballots;
    }
    SC_CHECK(sc_devices_text(&ds, m->rec->h_e, &text));
    rc = sc_record_commit_files(m->dir, np, (const char *const *)from,
                                (const char *const *)to, text, m->err,
                                m->errlen);
    if (rc == SC_OK || sc_record_interrupted(m->dir)) {
        k = 0; /* the journal owns the temporary files now */
    }
done:
    for (size_t i = 0; i < np && fds != NULL; i++) {
        if (i < k && from[i] != NULL) {
            unlink(from[i]);
        }
        if (fds[i] >= 0) {
            close(fds[i]);
        }
    }
    for (size_t i = 0; i < np && from != NULL && to != NULL; i++) {
        free(from[i]);
        free(to[i]);
    }
    free(from);
    free(to);
    free(fds);
    free(ds.d);
    free(text);
    return rc;
}

sc_status sc_record_merge(const char *dir, size_t n, const char *const *inputs,
                          sc_merge_stats *st, char *err, size_t errlen)
{
    merge m;
    memset(&m, 0, sizeof m);
    memset(st, 0, sizeof *st);
    m.dir = dir;
    m.err = err;
    m.errlen = errlen;
    if (errlen > 0) {
        err[0] = '\0';
    }
    sc_record *rec = NULL;
    int finished = 0;
    /* opened first: sc_record_open takes the lock itself to finish an
     * interrupted run */
    sc_status rc = sc_record_open(&rec, dir, SC_RECORD_NEED_KEYS, err, errlen);
    if (rc != SC_OK) {
        return rc;
    }
    int lock = sc_record_lock(dir);
    if (lock < 0) {
        rc = SC_E_IO;
        failf(&m, rc, "%s: cannot lock the record: %s", dir, sc_strerror(rc));
        sc_record_free(rec);
        return rc;
    }
    SC_CHECK(sc_record_recover(dir, &finished, err, errlen));
    m.rec = rec;
    char p[4096];
    SC_CHECK(sc_record_path(p, sizeof p, dir, SC_REC_ENC_TALLY));
    if (access(p, F_OK) == 0) {
        rc = failf(&m, SC_E_INVALID,
                   "%s: already tallied (%s): devices cannot be added", dir,
                   SC_REC_ENC_TALLY);
        goto done;
    }
    SC_CHECK(sc_labelset_new(&m.ids));
    SC_CHECK(sc_labelset_new(&m.codes));
    SC_CHECK(take(&m, dir, 0));
    for (size_t i = 0; i < n; i++) {
        if (sc_record_interrupted(inputs[i])) {
            rc = failf(&m, SC_E_INVALID,
                       "%s: holds an unfinished commit: run `scrutin "
                       "encrypt` on it again first",
                       inputs[i]);
            goto done;
        }
        SC_CHECK(same_election(&m, inputs[i]));
        SC_CHECK(take(&m, inputs[i], 1));
    }
    if (m.n > 1) { /* m.d is NULL when no input holds a device */
        qsort(m.d, m.n, sizeof *m.d, by_index);
    }
    for (size_t i = 0; i < m.n; i++) {
        if (m.d[i].info.index != i + 1) {
            rc = failf(&m, SC_E_INVALID,
                       "device %zu is missing (devices are numbered 1, 2, "
                       "... with no gap): merge its output too",
                       i + 1);
            goto done;
        }
    }
    st->same = m.same;
    rc = commit(&m, st);
done:
    for (size_t i = 0; i < m.n; i++) {
        free(m.d[i].info.device);
        free(m.d[i].data);
    }
    free(m.d);
    sc_labelset_free(m.ids);
    sc_labelset_free(m.codes);
    sc_record_free(rec);
    sc_record_unlock(lock);
    return rc;
}
