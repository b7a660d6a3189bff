/* Fuzz target: reading a record directory through the library's record
 * API (src/lib/record: sc_record_open, sc_devices_read, sc_record_tally;
 * src/lib/decrypt: sc_decrypt_job_load, which reads guardians/,
 * hashes*.json, joint_election_public_key.json, encrypted_tally.json and
 * the challenged ballots of ballots/device_<d>.jsonl).
 *
 * Input: an archive (fuzz_util.h) of record files, unpacked into a fresh
 * directory; the seeds are the tamper-test toy-q64 record. Mutations of
 * ballots/, devices.json or encrypted_tally.json keep the hashes valid, so
 * the deeper readers are reached.
 *
 * Invariants: every call returns SC_OK or an error with a message (never
 * a crash, leak or hang); an opened record has 1 <= k <= n, a manifest
 * whose canonical bytes are the file's, keys iff has_keys; devices are
 * ascending; sc_devices_update adds a device and keeps every other entry
 * as it was (re-read equal); a tally counts at most the ballots listed. */
#include <stdint.h>
#include <string.h>

#include "ceremony/jsonio.h"
#include "fuzz_util.h"
#include "scrutin/decrypt.h"
#include "scrutin/record.h"
#include "scrutin/tally.h"

static void same_info(const sc_device_info *a, const sc_device_info *b)
{
    FZ_ASSERT(a->index == b->index && a->mode == b->mode &&
              a->ballots == b->ballots && a->closed == b->closed);
    FZ_ASSERT(strcmp(a->device, b->device) == 0);
    FZ_ASSERT(memcmp(a->h_di, b->h_di, 32) == 0);
    if (a->closed) {
        FZ_ASSERT(memcmp(a->close_bc, b->close_bc, SC_BC_BYTES) == 0 &&
                  memcmp(a->close_h, b->close_h, 32) == 0);
    }
}

static void devices(const char *dir)
{
    sc_devices ds, again;
    char err[SC_ERRMAX];
    err[0] = '\0';
    sc_status rc = sc_devices_read(&ds, dir, err, sizeof err);
    if (rc != SC_OK) {
        FZ_ASSERT(ds.n == 0 && ds.d == NULL);
        FZ_ASSERT(err[0] != '\0');
        return;
    }
    for (size_t i = 0; i < ds.n; i++) {
        FZ_ASSERT(ds.d[i].index >= 1);
        FZ_ASSERT(i == 0 || ds.d[i].index > ds.d[i - 1].index);
        FZ_ASSERT(ds.d[i].device != NULL);
    }
    /* add one device: nothing else may change */
    uint32_t idx = ds.n == 0 ? 1 : ds.d[ds.n - 1].index + 1;
    if (idx == 0) {
        sc_devices_clear(&ds);
        return;
    }
    uint8_t h_e[32] = {1};
    sc_device dev;
    FZ_ASSERT(sc_device_init(&dev, h_e, idx, "fuzz device", SC_CHAIN_SIMPLE) ==
              SC_OK);
    sc_devices before;
    before.n = ds.n;
    before.d = calloc(ds.n + 1, sizeof *before.d);
    FZ_ASSERT(before.d != NULL);
    for (size_t i = 0; i < ds.n; i++) {
        before.d[i] = ds.d[i];
        before.d[i].device = strdup(ds.d[i].device);
    }
    FZ_ASSERT(sc_devices_update(&ds, dir, &dev, h_e) == SC_OK);
    FZ_ASSERT(ds.n == before.n + 1);
    rc = sc_devices_read(&again, dir, err, sizeof err);
    if (rc != SC_OK) {
        fprintf(stderr,
                "devices.json written by sc_devices_update does not "
                "read back: %s\n",
                err);
        FZ_ASSERT(0);
    }
    FZ_ASSERT(again.n == before.n + 1);
    for (size_t i = 0; i < before.n; i++) {
        same_info(&before.d[i], &again.d[i]);
    }
    FZ_ASSERT(again.d[before.n].index == idx);
    sc_device_clear(&dev);
    sc_devices_clear(&again);
    sc_devices_clear(&before);
    sc_devices_clear(&ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sc_group *g = fz_group(SC_GROUP_TOY_Q64);
    const char *dir = fz_reset();
    fz_unpack(dir, data, size, "record.json");
    char err[SC_ERRMAX];

    for (int flags = 0; flags <= SC_RECORD_NEED_KEYS; flags++) {
        sc_record *r = NULL;
        err[0] = '\0';
        sc_status rc = sc_record_open(&r, dir, flags, err, sizeof err);
        if (rc != SC_OK) {
            FZ_ASSERT(r == NULL && err[0] != '\0');
            continue;
        }
        FZ_ASSERT(r->k >= 1 && r->k <= r->n);
        FZ_ASSERT(r->grp != NULL && r->manifest != NULL);
        FZ_ASSERT((r->K != NULL) == (r->has_keys != 0));
        FZ_ASSERT(!(flags & SC_RECORD_NEED_KEYS) || r->has_keys);
        if (flags == 0) {
            sc_tally *t = NULL;
            err[0] = '\0';
            rc = sc_record_tally(r, &t, err, sizeof err);
            if (rc == SC_OK) {
                FZ_ASSERT(t != NULL);
                FZ_ASSERT(t->n_options ==
                          sc_manifest_option_count(r->manifest));
                FZ_ASSERT(t->weight_total >= t->cast);
                sc_tally_free(t);
            } else {
                FZ_ASSERT(t == NULL && err[0] != '\0');
            }
        }
        sc_record_free(r);
    }

    sc_decrypt_job *job = NULL;
    sc_jio_clear();
    sc_status rc = sc_decrypt_job_load(&job, g, dir);
    if (rc == SC_OK) {
        FZ_ASSERT(job != NULL && job->k >= 1 && job->k <= job->n);
        for (size_t i = 0; i < job->n_items; i++) {
            FZ_ASSERT(sc_elem_is_member(g, job->items[i].AB.alpha));
            FZ_ASSERT(sc_elem_is_member(g, job->items[i].AB.beta));
        }
        sc_decrypt_job_free(job);
    } else {
        FZ_ASSERT(job == NULL);
        FZ_ASSERT(sc_ceremony_errdetail()[0] != '\0' ||
                  SC_STATUS_CLASS(rc) != SC_E_INVALID);
    }

    devices(dir); /* last: it rewrites devices.json */
    return 0;
}
