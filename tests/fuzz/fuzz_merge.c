/* Fuzz target: `scrutin merge` (src/cli/cmd_merge.c calls
 * sc_record_merge, src/lib/record/merge.c): the devices.json of the
 * record and of each device's copy, each device's ballot file read line
 * by line (device number, sequence, label, confirmation code), H_DI and
 * the closing recomputed, the same-election check, the commit.
 *
 * Input: an archive (fuzz_util.h) whose names start with "r/" (the
 * election record DIR) or "d1/" .. "d3/" (devices' copies). A ceremony
 * file (record.json, election_parameters.json, the manifest, hashes.json,
 * joint_election_public_key.json, hashes_ext.json, guardians/) that a
 * device's copy lacks is copied from r/, so that the fuzzer's mutations
 * go to what differs between copies: devices.json and ballots/. Seeds: a
 * 2-guardian toy-q64 ceremony and three devices that encrypted in
 * parallel (made by `scrutin`, tests/fuzz/mkseeds.py), and conflicts.
 *
 * Invariants (record.h): a refusal says why in one line and leaves the
 * record as it was, byte for byte; after a merge the record's devices.json
 * reads back with devices 1..n, and merging the same copies again adds
 * nothing and changes nothing. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"
#include "scrutin/record.h"

enum { MAX_DEV = 3 };

static const char *const ceremony[] = {SC_REC_RECORD,
                                       SC_REC_PARAMS,
                                       SC_REC_MANIFEST,
                                       SC_REC_HASHES,
                                       SC_REC_JOINT_KEY,
                                       SC_REC_HASHES_EXT,
                                       "guardians/guardian_1.json",
                                       "guardians/guardian_2.json",
                                       "guardians/guardian_3.json"};

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void copy_missing(const char *from, const char *to)
{
    for (size_t i = 0; i < sizeof ceremony / sizeof ceremony[0]; i++) {
        char a[4096], b[4096];
        snprintf(a, sizeof a, "%s/%s", from, ceremony[i]);
        snprintf(b, sizeof b, "%s/%s", to, ceremony[i]);
        if (exists(b) || !exists(a)) {
            continue;
        }
        size_t len = 0;
        char *data = fz_read(a, &len);
        if (data != NULL) {
            fz_mkparents(to, ceremony[i]);
            FZ_ASSERT(fz_write(to, ceremony[i], data, len) == 0);
            free(data);
        }
    }
}

/* A digest of every file below dir (names, sizes, contents): FNV-1a. */
static uint64_t digest(const char *dir, uint64_t h)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return h;
    }
    char names[64][256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0],
          (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < n; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        for (const char *c = names[i]; *c; c++) {
            h = (h ^ (uint8_t)*c) * 0x100000001B3ull;
        }
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            h = digest(p, h ^ 0x2F);
            continue;
        }
        size_t len = 0;
        char *data = fz_read(p, &len);
        for (size_t k = 0; data != NULL && k < len; k++) {
            h = (h ^ (uint8_t)data[k]) * 0x100000001B3ull;
        }
        h = (h ^ len) * 0x100000001B3ull;
        free(data);
    }
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_init();
    const char *top = fz_reset();
    fz_unpack(top, data, size, "r/devices.json");
    char dir[256], devs[MAX_DEV][256];
    const char *inputs[MAX_DEV];
    size_t n = 0;
    snprintf(dir, sizeof dir, "%s/r", top);
    if (!exists(dir)) {
        return 0;
    }
    for (int i = 0; i < MAX_DEV; i++) {
        snprintf(devs[n], sizeof devs[n], "%s/d%d", top, i + 1);
        if (exists(devs[n])) {
            copy_missing(dir, devs[n]);
            inputs[n] = devs[n];
            n++;
        }
    }
    /* what the merge finishes first (an interrupted run, stale temporary
     * files: sc_record_recover) is not the merge's doing: done here */
    char err[SC_ERRMAX] = "";
    int lock = sc_record_lock(dir), finished = 0;
    sc_status rec_rc =
        lock < 0 ? SC_E_IO : sc_record_recover(dir, &finished, err, sizeof err);
    sc_record_unlock(lock);
    if (rec_rc != SC_OK) {
        return 0;
    }
    uint64_t before = digest(dir, 0xCBF29CE484222325ull);

    sc_merge_stats st;
    err[0] = '\0';
    sc_status rc = sc_record_merge(dir, n, inputs, &st, err, sizeof err);
    if (fz_report()) {
        fprintf(stderr, "merge: %s: %zu added, %zu same: %s\n", sc_strerror(rc),
                st.added, st.same, err);
    }
    if (rc != SC_OK) {
        FZ_ASSERT(err[0] != '\0' && strchr(err, '\n') == NULL);
        FZ_ASSERT(digest(dir, 0xCBF29CE484222325ull) == before);
        return 0;
    }
    FZ_ASSERT(st.added + st.same <= 64);
    sc_devices ds = {0};
    char derr[SC_ERRMAX] = "";
    FZ_ASSERT(sc_devices_read(&ds, dir, derr, sizeof derr) == SC_OK);
    for (size_t i = 0; i < ds.n; i++) {
        FZ_ASSERT(ds.d[i].index == i + 1);
    }
    sc_devices_clear(&ds);
    /* merging again: harmless */
    uint64_t after = digest(dir, 0xCBF29CE484222325ull);
    sc_merge_stats again;
    rc = sc_record_merge(dir, n, inputs, &again, err, sizeof err);
    FZ_ASSERT(rc == SC_OK && again.added == 0 && again.ballots == 0);
    FZ_ASSERT(digest(dir, 0xCBF29CE484222325ull) == after);
    return 0;
}
