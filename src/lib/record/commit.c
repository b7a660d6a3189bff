/* One commit point per run (docs/RECORD.md "Commits"): a run that changes
 * several files of a record prepares each new file under a temporary
 * name, then writes the journal DIR/.commit.json listing what replaces
 * what. Writing the journal (atomically) is the commit point: before it
 * the record is unchanged and the temporary files are removed by the next
 * run; after it any run finishes the replacements from the journal. The
 * record is locked with flock on its directory (no lock file). */
#include "scrutin/record.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "scrutin/files.h"

#define JOURNAL ".commit.json"

static void fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err != NULL && errlen > 0 && err[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
}

int sc_record_lock(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        (void)sc_io_fail();
        return -1;
    }
    if (flock(fd, LOCK_EX) != 0) {
        (void)sc_io_fail();
        close(fd);
        return -1;
    }
    return fd;
}

void sc_record_unlock(int fd)
{
    if (fd >= 0) {
        close(fd); /* releases the flock */
    }
}

/* A journal path: relative names are inside the record. */
static int jpath(char *out, size_t n, const char *dir, const char *p)
{
    int w = p[0] == '/' ? snprintf(out, n, "%s", p)
                        : snprintf(out, n, "%s/%s", dir, p);
    return w > 0 && (size_t)w < n;
}

/* Carry out a journal: each rename whose source is still there, then each
 * write; then remove the journal. Idempotent. */
static sc_status apply(const char *dir, const json_t *j, char *err,
                       size_t errlen)
{
    char from[PATH_MAX + 64], to[PATH_MAX + 64];
    const json_t *ren = json_object_get(j, "renames");
    const json_t *wr = json_object_get(j, "writes");
    if (!json_is_array(ren) || !json_is_array(wr)) {
        fail(err, errlen, "%s/%s: not a commit journal", dir, JOURNAL);
        return SC_E_INVALID;
    }
    size_t i;
    const json_t *e;
    json_array_foreach(ren, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "from"));
        const char *t = json_string_value(json_object_get(e, "to"));
        if (f == NULL || t == NULL || !jpath(from, sizeof from, dir, f) ||
            !jpath(to, sizeof to, dir, t)) {
            fail(err, errlen, "%s/%s: bad rename entry", dir, JOURNAL);
            return SC_E_INVALID;
        }
        if (access(from, F_OK) == 0) {
            if (rename(from, to) != 0) {
                sc_status rc = sc_io_fail();
                fail(err, errlen, "%s: cannot replace: %s", to,
                     sc_strerror(rc));
                return rc;
            }
            sc_file_sync_dir_of(to);
        }
    }
    json_array_foreach(wr, i, e)
    {
        const char *t = json_string_value(json_object_get(e, "to"));
        const json_t *tx = json_object_get(e, "text");
        if (t == NULL || !json_is_string(tx) || !jpath(to, sizeof to, dir, t)) {
            fail(err, errlen, "%s/%s: bad write entry", dir, JOURNAL);
            return SC_E_INVALID;
        }
        sc_status rc = sc_file_write_atomic(to, json_string_value(tx),
                                            json_string_length(tx));
        if (rc != SC_OK) {
            fail(err, errlen, "%s: cannot write: %s", to, sc_strerror(rc));
            return rc;
        }
    }
    if (!jpath(to, sizeof to, dir, JOURNAL) || unlink(to) != 0) {
        sc_status rc = sc_io_fail();
        fail(err, errlen, "%s: cannot remove: %s", to, sc_strerror(rc));
        return rc;
    }
    sc_file_sync_dir_of(to);
    return SC_OK;
}

/* name ends in ".tmp." and six more characters (mkstemp's names) */
static int is_temp(const char *name)
{
    size_t n = strlen(name);
    return n > 11 && memcmp(name + n - 11, ".tmp.", 5) == 0;
}

/* Remove the temporary files nobody holds (their writer was killed or
 * failed): each writer keeps a flock on its temporary file. */
static void sweep(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return;
    }
    struct dirent *de;
    char p[PATH_MAX + 300];
    while ((de = readdir(d)) != NULL) {
        if (!is_temp(de->d_name)) {
            continue;
        }
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        int fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            continue;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            flock(fd, LOCK_EX | LOCK_NB) == 0) {
            unlink(p);
        }
        close(fd);
    }
    closedir(d);
}

sc_status sc_record_recover(const char *dir, int *finished, char *err,
                            size_t errlen)
{
    char p[PATH_MAX + 64];
    *finished = 0;
    if (snprintf(p, sizeof p, "%s/%s", dir, JOURNAL) >= (int)sizeof p) {
        return SC_E_RANGE;
    }
    if (access(p, F_OK) == 0) {
        char *data = NULL;
        size_t len = 0;
        sc_status rc = sc_file_read_all(p, &data, &len);
        if (rc != SC_OK) {
            fail(err, errlen, "%s: cannot read: %s", p, sc_strerror(rc));
            return rc;
        }
        json_error_t je;
        json_t *j = json_loadb(data, len, 0, &je);
        free(data);
        if (j == NULL) {
            fail(err, errlen, "%s: damaged journal: %s", p, je.text);
            return SC_E_INVALID_JSON;
        }
        rc = apply(dir, j, err, errlen);
        json_decref(j);
        if (rc != SC_OK) {
            return rc;
        }
        *finished = 1;
    }
    sweep(dir);
    if (snprintf(p, sizeof p, "%s/%s", dir, SC_REC_BALLOTS_DIR) <
        (int)sizeof p) {
        sweep(p);
    }
    return SC_OK;
}

int sc_record_interrupted(const char *dir)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s", dir, JOURNAL);
    return access(p, F_OK) == 0;
}

/* The receipts' temporary file, written before the commit point so that
 * a write error is seen while nothing is committed. */
static sc_status receipts_temp(const char *path, const char *text, size_t len,
                               char **abs_to, char **abs_tmp, int *fd_out)
{
    sc_status rc = SC_OK;
    char *c1 = strdup(path), *c2 = strdup(path), *real = NULL;
    *abs_to = *abs_tmp = NULL;
    *fd_out = -1;
    SC_ENSURE(c1 != NULL && c2 != NULL, SC_E_NOMEM);
    real = realpath(dirname(c1), NULL);
    SC_ENSURE(real != NULL, sc_io_fail());
    const char *base = basename(c2);
    size_t n = strlen(real) + strlen(base) + 2;
    *abs_to = malloc(n);
    *abs_tmp = malloc(n + 12);
    SC_ENSURE(*abs_to != NULL && *abs_tmp != NULL, SC_E_NOMEM);
    snprintf(*abs_to, n, "%s/%s", real, base);
    snprintf(*abs_tmp, n + 12, "%s.tmp.XXXXXX", *abs_to);
    int fd = mkstemp(*abs_tmp);
    SC_ENSURE(fd >= 0, sc_io_fail());
    *fd_out = fd;
    (void)flock(fd, LOCK_EX);
    SC_ENSURE(fchmod(fd, SC_PUBLIC_FILE_MODE) == 0, sc_io_fail());
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        SC_ENSURE(w > 0, sc_io_fail());
        off += (size_t)w;
    }
    SC_ENSURE(fsync(fd) == 0, sc_io_fail());
done:
    if (rc != SC_OK && *fd_out >= 0) {
        unlink(*abs_tmp);
        close(*fd_out);
        *fd_out = -1;
    }
    free(c1);
    free(c2);
    free(real);
    return rc;
}

/* path relative to dir if it lies in it (dir + "/" + rest), else as is */
static const char *rel(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (strncmp(path, dir, n) == 0 && path[n] == '/') {
        return path + n + 1;
    }
    return path;
}

/* Write the journal j (the commit point), then carry it out. *committed:
 * whether the commit point was passed (the journal then owns the
 * temporary files, whatever happens next). */
static sc_status commit_journal(const char *dir, json_t *j, int *committed,
                                char *err, size_t errlen)
{
    char jp[PATH_MAX + 64];
    *committed = 0;
    char *jt = json_dumps(j, JSON_COMPACT);
    if (jt == NULL) {
        return SC_E_NOMEM;
    }
    snprintf(jp, sizeof jp, "%s/%s", dir, JOURNAL);
    sc_status rc = sc_file_write_atomic(jp, jt, strlen(jt));
    free(jt);
    if (rc != SC_OK) {
        fail(err, errlen, "%s: cannot write: %s; nothing written", jp,
             sc_strerror(rc));
        return rc;
    }
    *committed = 1;
    rc = apply(dir, j, err, errlen);
    if (rc != SC_OK) {
        size_t l = err != NULL ? strlen(err) : 0;
        if (err != NULL && l + 1 < errlen) {
            snprintf(err + l, errlen - l,
                     " (committed: the next scrutin command on the record "
                     "finishes the commit)");
        }
    }
    return rc;
}

sc_status sc_device_commit(const char *dir, sc_ballot_writer *w,
                           const sc_device *dev, const uint8_t h_e[32],
                           uint64_t before, const char *receipts_path,
                           const char *receipts, size_t receipts_len, char *err,
                           size_t errlen)
{
    sc_status rc = SC_OK;
    sc_devices ds = {0};
    char *devtext = NULL, *r_to = NULL, *r_tmp = NULL;
    int r_fd = -1, finished = 0;
    json_t *j = NULL;
    int lock = sc_record_lock(dir);
    if (lock < 0) {
        rc = SC_E_IO;
        fail(err, errlen, "%s: cannot lock the record: %s", dir,
             sc_strerror(rc));
        return rc;
    }
    SC_CHECK(sc_record_recover(dir, &finished, err, errlen));
    /* other devices may have committed meanwhile; this one must not */
    SC_CHECK(sc_devices_read(&ds, dir, err, errlen));
    uint64_t now = 0;
    for (size_t i = 0; i < ds.n; i++) {
        if (ds.d[i].index == dev->index) {
            now = ds.d[i].ballots;
        }
    }
    if (now != before) {
        fail(err, errlen,
             "%s/%s: device %u was changed by another run meanwhile; "
             "nothing written",
             dir, SC_REC_DEVICES, (unsigned)dev->index);
        rc = SC_E_DUPLICATE;
        goto done;
    }
    SC_CHECK(sc_devices_set(&ds, dev, h_e, &devtext));
    const char *tmp = NULL, *path = NULL;
    rc = sc_ballot_writer_finish(w, &tmp, &path);
    if (rc != SC_OK) {
        fail(err, errlen, "%s: cannot write: %s", tmp, sc_strerror(rc));
        goto done;
    }
    if (receipts_path != NULL) {
        rc = receipts_temp(receipts_path, receipts, receipts_len, &r_to, &r_tmp,
                           &r_fd);
        if (rc != SC_OK) {
            fail(err, errlen, "%s: cannot write: %s", receipts_path,
                 sc_strerror(rc));
            goto done;
        }
    }
    j = json_pack("{s:s, s:[{s:s, s:s}], s:[{s:s, s:s}]}", "format",
                  "scrutin-commit", "renames", "from", rel(dir, tmp), "to",
                  rel(dir, path), "writes", "to", SC_REC_DEVICES, "text",
                  devtext);
    SC_ENSURE(j != NULL, SC_E_NOMEM);
    if (r_to != NULL) {
        json_t *e = json_pack("{s:s, s:s}", "from", r_tmp, "to", r_to);
        SC_ENSURE(e != NULL, SC_E_NOMEM);
        SC_ENSURE(json_array_append_new(json_object_get(j, "renames"), e) == 0,
                  SC_E_NOMEM);
    }
    int committed = 0;
    rc = commit_journal(dir, j, &committed, err, errlen);
    if (committed) { /* the journal owns the temporary files now */
        sc_ballot_writer_renamed(w);
        if (r_fd >= 0) {
            close(r_fd);
            r_fd = -1;
        }
    }
done:
    if (r_fd >= 0) {
        unlink(r_tmp);
        close(r_fd);
    }
    free(r_to);
    free(r_tmp);
    json_decref(j);
    free(devtext);
    sc_devices_clear(&ds);
    sc_record_unlock(lock);
    return rc;
}

sc_status sc_record_commit_files(const char *dir, size_t n,
                                 const char *const *from, const char *const *to,
                                 const char *devices_text, char *err,
                                 size_t errlen)
{
    sc_status rc = SC_OK;
    json_t *j = json_pack("{s:s, s:[], s:[{s:s, s:s}]}", "format",
                          "scrutin-commit", "renames", "writes", "to",
                          SC_REC_DEVICES, "text", devices_text);
    SC_ENSURE(j != NULL, SC_E_NOMEM);
    for (size_t i = 0; i < n; i++) {
        json_t *e =
            json_pack("{s:s, s:s}", "from", rel(dir, from[i]), "to", to[i]);
        SC_ENSURE(e != NULL, SC_E_NOMEM);
        SC_ENSURE(json_array_append_new(json_object_get(j, "renames"), e) == 0,
                  SC_E_NOMEM);
    }
    int committed = 0;
    rc = commit_journal(dir, j, &committed, err, errlen);
done:
    json_decref(j);
    return rc;
}
