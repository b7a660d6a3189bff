/* Helpers shared by the fuzz targets (header only: every target is one
 * translation unit plus the replay driver or libFuzzer).
 *
 *  - fz_group(id): the toy groups, created once per process;
 *  - fz_dir(): one private temporary directory per process (removed at
 *    exit), emptied before each input by fz_reset();
 *  - fz_unpack(): a tiny archive format so that one fuzz input can be a
 *    whole directory (a record, a guardian's round files):
 *
 *        === record.json
 *        {...}
 *        === ballots/device_1.jsonl
 *        {...}
 *
 *    A line "=== NAME" starts a file; its content runs up to (not
 *    including) the newline before the next "=== " line, or to the end.
 *    Names are relative paths of [A-Za-z0-9._-] components (at most 3
 *    deep, each 1..255 bytes, no "." or ".." component); anything else
 *    is skipped. Input that does not start with "=== " is one file named
 *    `dflt`.
 *
 * Nothing here reads the clock or the system RNG (mkdtemp's name is the
 * only random thing, and it does not change what a target does). */
#ifndef SC_FUZZ_UTIL_H
#define SC_FUZZ_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scrutin/core.h"
#include "scrutin/group.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ASan's defaults for every target (ASAN_OPTIONS still overrides them):
 * a 16 MB quarantine instead of 256 MB. The library allocates and frees
 * tables of tens of kilobytes per input (a group's fixed-base table, the
 * keys'); with the large quarantine each input touches fresh pages, and
 * page faults took a third of the verifier targets' time (issue 12 item
 * 11: hundreds of inputs per second). A use after free within one input
 * (a few megabytes) is still caught. */
__attribute__((used, visibility("default"))) const char *
__asan_default_options(void);
__attribute__((used, visibility("default"))) const char *
__asan_default_options(void)
{
    return "quarantine_size_mb=16";
}

#define FZ_ASSERT(cond)                                                        \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            __builtin_trap();                                                  \
        }                                                                      \
    } while (0)

/* FZ_SKIP_KNOWN=1 in the environment: do not stop on the known bugs of
 * crashes/README.md (to keep fuzzing past them). Unset (ctest, make
 * fuzz): every invariant is checked. */
static __attribute__((unused)) int fz_skip_known(void)
{
    const char *e = getenv("FZ_SKIP_KNOWN");
    return e != NULL && e[0] == '1';
}

/* FZ_REPORT=1 in the environment: the verifier targets print their
 * report on stderr, to check that a seed reaches the steps it should. */
static __attribute__((unused)) int fz_report(void)
{
    const char *e = getenv("FZ_REPORT");
    return e != NULL && e[0] == '1';
}

static __attribute__((unused)) void fz_init(void)
{
    static int done;
    if (!done) {
        FZ_ASSERT(sc_init() == SC_OK);
        done = 1;
    }
}

static sc_group *fz_groups[SC_GROUP_COUNT];

static __attribute__((unused)) void fz_free_groups(void)
{
    for (int i = 0; i < SC_GROUP_COUNT; i++) {
        sc_group_free(fz_groups[i]);
        fz_groups[i] = NULL;
    }
}

static __attribute__((unused)) const sc_group *fz_group(sc_group_id id)
{
    fz_init();
    if (fz_groups[id] == NULL) {
        static int registered;
        if (!registered) {
            atexit(fz_free_groups);
            registered = 1;
        }
        FZ_ASSERT(sc_group_new(&fz_groups[id], id) == SC_OK);
    }
    return fz_groups[id];
}

/* Remove everything below path (not path itself). */
static __attribute__((unused)) void fz_rmtree_in(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            chmod(p, 0700);
            fz_rmtree_in(p);
            rmdir(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
}

static char fz_dir_buf[64];

static __attribute__((unused)) void fz_dir_cleanup(void)
{
    if (fz_dir_buf[0] != '\0') {
        fz_rmtree_in(fz_dir_buf);
        rmdir(fz_dir_buf);
    }
}

/* The process's scratch directory (created on first use). */
static __attribute__((unused)) const char *fz_dir(void)
{
    if (fz_dir_buf[0] == '\0') {
        /* tmpfs when there is one: the atomic writers fsync */
        const char *t = getenv("TMPDIR");
        if (t == NULL || strlen(t) >= 40) {
            t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        }
        snprintf(fz_dir_buf, sizeof fz_dir_buf, "%s/scfuzz.XXXXXX", t);
        FZ_ASSERT(mkdtemp(fz_dir_buf) != NULL);
        atexit(fz_dir_cleanup);
    }
    return fz_dir_buf;
}

/* Empty the scratch directory and return it. */
static __attribute__((unused)) const char *fz_reset(void)
{
    const char *d = fz_dir();
    fz_rmtree_in(d);
    return d;
}

static __attribute__((unused)) int fz_write(const char *dir, const char *name,
                                            const void *data, size_t len)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (f == NULL) {
        return -1;
    }
    if (len > 0 && fwrite(data, 1, len, f) != len) {
        fclose(f);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* Read a whole file (malloc'd, NUL added); NULL if missing. */
static __attribute__((unused)) char *fz_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, n = 0, got;
    char *b = malloc(cap);
    while (b != NULL && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            char *nb = realloc(b, cap * 2);
            if (nb == NULL) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b != NULL) {
        b[n] = '\0';
        *len = n;
    }
    return b;
}

static __attribute__((unused)) int fz_name_ok(const char *name)
{
    int depth = 0;
    const char *c = name;
    if (*c == '\0') {
        return 0;
    }
    while (*c) {
        const char *s = c;
        while (*c && *c != '/') {
            char ch = *c;
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
                  ch == '-')) {
                return 0;
            }
            c++;
        }
        size_t n = (size_t)(c - s);
        if (n == 0 || n > 255 || (n == 1 && s[0] == '.') ||
            (n == 2 && s[0] == '.' && s[1] == '.') || ++depth > 3) {
            return 0;
        }
        if (*c == '/') {
            c++;
            if (*c == '\0') {
                return 0;
            }
        }
    }
    return 1;
}

/* mkdir -p of the parent directories of dir/name. */
static __attribute__((unused)) void fz_mkparents(const char *dir,
                                                 const char *name)
{
    char p[4096];
    int n = snprintf(p, sizeof p, "%s/%s", dir, name);
    size_t base = strlen(dir) + 1;
    for (size_t i = base; i < (size_t)n; i++) {
        if (p[i] == '/') {
            p[i] = '\0';
            mkdir(p, 0700);
            p[i] = '/';
        }
    }
}

/* Unpack an archive (see above) into dir. Returns the number of files. */
static __attribute__((unused)) int
fz_unpack(const char *dir, const uint8_t *data, size_t size, const char *dflt)
{
    static const char mark[] = "=== ";
    if (size < 4 || memcmp(data, mark, 4) != 0) {
        return fz_write(dir, dflt, data, size) == 0 ? 1 : 0;
    }
    int files = 0;
    size_t pos = 0;
    while (pos + 4 <= size && memcmp(data + pos, mark, 4) == 0) {
        size_t ns = pos + 4, ne = ns;
        while (ne < size && data[ne] != '\n') {
            ne++;
        }
        char name[1024];
        size_t nl = ne - ns < sizeof name - 1 ? ne - ns : sizeof name - 1;
        memcpy(name, data + ns, nl);
        name[nl] = '\0';
        size_t cs = ne < size ? ne + 1 : size, ce = cs;
        /* content ends at "\n=== " or the end */
        while (ce < size) {
            if (data[ce] == '\n' && ce + 5 <= size &&
                memcmp(data + ce + 1, mark, 4) == 0) {
                break;
            }
            ce++;
        }
        if (nl == ne - ns && memchr(name, '\0', nl) == NULL &&
            fz_name_ok(name)) {
            fz_mkparents(dir, name);
            if (fz_write(dir, name, data + cs, ce - cs) == 0) {
                files++;
            }
        }
        pos = ce < size ? ce + 1 : size;
    }
    return files;
}

#endif
