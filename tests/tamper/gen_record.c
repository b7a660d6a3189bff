/* Test-only record generator (see gen_record.h). */
#include "gen_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scrutin/ballot.h"
#include "scrutin/ceremony.h"
#include "scrutin/decrypt.h"
#include "scrutin/manifest.h"
#include "scrutin/record.h"
#include "scrutin/rng.h"
#include "scrutin/tally.h"

/* Three contests; style 2 omits contest 2 (so ind_c differs from the
 * position on the ballot, AMBIGUITIES 1); contest 3 has an option with
 * R = 2 and a limit L = 3. Contests 2 and 3 carry contest data (format
 * 2, eq 63-69): 2 blocks with a write-in option in contest 2, 1 block in
 * contest 3; and supplemental fields (§3.3.9): all four on contest 2, an
 * overvote indicator on contest 3. With read_write_ins, contest 2 reads
 * its write-ins (write_in_counts.jsonl, write_ins.jsonl; V12). */
#define TG_MANIFEST(READ)                                                      \
    "{\"label\":\"Tamper test election\",\"contests\":["                       \
    "{\"label\":\"Mayor\",\"options\":[{\"label\":\"Ada\"},"                   \
    "{\"label\":\"Grace\"}]},"                                                 \
    "{\"label\":\"Council\",\"selection_limit\":2,\"options\":["               \
    "{\"label\":\"Alan\"},{\"label\":\"Barbara\"},{\"label\":\"Edsger\","      \
    "\"write_in\":true}],\"contest_data_blocks\":2,\"supplemental\":["         \
    "\"undervote\",\"overvote\",\"null_vote\",\"write_ins\"]" READ "},"        \
    "{\"label\":\"Budget\",\"selection_limit\":3,\"options\":["                \
    "{\"label\":\"Parks\",\"selection_limit\":2},{\"label\":\"Roads\"}],"      \
    "\"contest_data_blocks\":1,\"supplemental\":[\"overvote\"]}],"             \
    "\"ballot_styles\":[{\"label\":\"North\",\"contests\":[1,2,3]},"           \
    "{\"label\":\"South\",\"contests\":[1,3]}]}"
static const char k_manifest[] = TG_MANIFEST("");
static const char k_manifest_read[] = TG_MANIFEST(",\"read_write_ins\":true");

#define FAIL(what)                                                             \
    do {                                                                       \
        fprintf(stderr, "gen_record: %s failed (%s) %s\n", what,               \
                sc_strerror(rc), err);                                         \
        goto done;                                                             \
    } while (0)

sc_status tg_make_record(const char *dir, const tg_opts *o)
{
    sc_status rc = SC_OK;
    char err[SC_ERRMAX] = "", path[4096], sdir[2048];
    sc_group *grp = NULL;
    sc_manifest *m = NULL;
    sc_record *r = NULL;
    sc_rng *rng = NULL;
    sc_tally *t = NULL;
    sc_devices ds;
    uint8_t *man = NULL;
    memset(&ds, 0, sizeof ds);
    const uint32_t n = 3, k = 2;
    static const char pass[] = "tamper";

    rc = sc_group_new(&grp, o->group);
    if (rc != SC_OK) {
        FAIL("group");
    }
    uint8_t seed[8];
    for (int i = 0; i < 8; i++) {
        seed[i] = (uint8_t)(o->seed >> (8 * i));
    }
    rc = sc_rng_new_seeded(&rng, seed, sizeof seed);
    if (rc != SC_OK) {
        FAIL("rng");
    }
    const char *mt = o->read_write_ins ? k_manifest_read : k_manifest;
    rc = sc_manifest_parse(&m, mt, strlen(mt), "manifest", err, sizeof err);
    if (rc != SC_OK) {
        FAIL("manifest");
    }
    rc = sc_record_init(dir, grp, m, n, k, "tamper test", err, sizeof err);
    if (rc != SC_OK) {
        FAIL("record_init");
    }
    snprintf(path, sizeof path, "%s/election_manifest_canonical.bin", dir);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        rc = SC_E_IO;
        FAIL("manifest read");
    }
    man = malloc(1 << 20);
    size_t manlen = man ? fread(man, 1, 1 << 20, f) : 0;
    fclose(f);
    sc_ceremony_ctx cc;
    rc = sc_ceremony_ctx_init(&cc, grp, n, k, man, manlen);
    if (rc != SC_OK) {
        FAIL("ceremony ctx");
    }
    snprintf(sdir, sizeof sdir, "%s.secrets", dir);
    rc = sc_ceremony_run_all(&cc, sdir, pass, sizeof pass - 1,
                             SC_KDF_INTERACTIVE, rng, dir, NULL);
    if (rc != SC_OK) {
        FAIL("ceremony");
    }
    rc = sc_record_open(&r, dir, SC_RECORD_NEED_KEYS, err, sizeof err);
    if (rc != SC_OK) {
        FAIL("record_open");
    }
    sc_election e;
    sc_record_election(r, &e);
    uint64_t serial = 0;
    for (uint32_t d = 1; d <= o->devices; d++) {
        sc_device dev;
        char sdev[64];
        snprintf(sdev, sizeof sdev, "Precinct %u unit 1", d);
        rc = sc_device_init(&dev, r->h_e, d, sdev,
                            d == 1 ? SC_CHAIN_SIMPLE : SC_CHAIN_NONE);
        if (rc != SC_OK) {
            FAIL("device");
        }
        sc_ballot_writer *w = NULL;
        snprintf(path, sizeof path, "%s/ballots/device_%u.jsonl", dir, d);
        rc = sc_ballot_writer_open(&w, path, 0);
        for (uint32_t b = 0; rc == SC_OK && b < o->ballots; b++) {
            serial++;
            char text[512];
            uint32_t style = 1 + (uint32_t)(serial % 2);
            int chal = o->challenge_every && serial % o->challenge_every == 0;
            int w2 = !chal && o->weight_every && serial % o->weight_every == 0;
            uint64_t x = sc_rng_u64(rng);
            int mayor = (int)(x % 3); /* 2: undervote */
            if (style == 1) {
                snprintf(text, sizeof text,
                         "{\"id\":\"b-%05llu\",\"style\":1,%s%s"
                         "\"contest_fields_plaintexts\":{"
                         "\"1\":{\"field_values\":[%d,%d]},"
                         "\"2\":{\"field_values\":[%d,%d,%d]%s},"
                         "\"3\":{\"field_values\":[%d,%d]}}}",
                         (unsigned long long)serial,
                         chal ? "\"challenge\":true," : "",
                         w2 ? "\"weight\":2," : "", mayor == 0, mayor == 1,
                         (int)(x >> 8) & 1,
                         serial % 7 == 0 ? 0 : (int)(x >> 9) & 1,
                         serial % 7 == 0 ? 1 : 0,
                         serial % 7 == 0 ? ",\"write_ins\":{\"3\":\"Niklaus "
                                           "Wirth\"}"
                                         : "",
                         (int)((x >> 10) % 3), (int)(x >> 12) & 1);
            } else {
                snprintf(text, sizeof text,
                         "{\"id\":\"b-%05llu\",\"style\":2,%s%s"
                         "\"contest_fields_plaintexts\":{"
                         "\"1\":{\"field_values\":[%d,%d]},"
                         "\"3\":{\"field_values\":[%d,%d]}}}",
                         (unsigned long long)serial,
                         chal ? "\"challenge\":true," : "",
                         w2 ? "\"weight\":2," : "", mayor == 0, mayor == 1,
                         (int)((x >> 10) % 3), (int)(x >> 12) & 1);
            }
            sc_jctx jc;
            sc_jctx_init(&jc, "plain", grp);
            sc_plain_ballot *p = NULL;
            sc_enc_ballot *eb = NULL;
            rc = sc_plain_ballot_parse(&jc, m, text, strlen(text), &p);
            if (rc == SC_OK) {
                rc = sc_enc_ballot_new(&eb);
            }
            if (rc == SC_OK) {
                rc = sc_ballot_encrypt(&e, p, rng, eb);
            }
            if (rc == SC_OK) {
                sc_device_chain(&dev, r->h_e, eb);
                rc = sc_ballot_writer_put(w, grp, eb);
            }
            if (rc != SC_OK) {
                snprintf(err, sizeof err, "%s", jc.msg);
            }
            sc_enc_ballot_free(eb);
            sc_plain_ballot_free(p);
        }
        if (rc == SC_OK) {
            rc = sc_ballot_writer_commit(w);
        }
        sc_ballot_writer_free(w);
        if (rc == SC_OK) {
            rc = sc_devices_update(&ds, dir, &dev, r->h_e);
        }
        sc_device_clear(&dev);
        if (rc != SC_OK) {
            FAIL("ballots");
        }
    }
    rc = sc_record_tally(r, &t, err, sizeof err);
    if (rc == SC_OK) {
        rc = sc_tally_write(t, dir);
    }
    if (rc != SC_OK) {
        FAIL("tally");
    }
    const uint32_t U[2] = {1, 3};
    char p1[4096], p3[4096];
    snprintf(p1, sizeof p1, "%s/guardian_1.secret", sdir);
    snprintf(p3, sizeof p3, "%s/guardian_3.secret", sdir);
    const char *const paths[2] = {p1, p3};
    const char *const passes[2] = {pass, pass};
    uint32_t culprit = 0;
    rc = sc_decrypt_all(grp, dir, 2, U, paths, passes, rng, NULL, &culprit);
    if (rc == SC_OK && o->read_write_ins) { /* contest 2 reads write-ins */
        rc = sc_decrypt_all_write_ins(grp, dir, 2, U, paths, passes, rng, NULL,
                                      &culprit);
    }
    if (rc != SC_OK) {
        FAIL("decrypt");
    }
done:
    free(man);
    sc_devices_clear(&ds);
    sc_tally_free(t);
    sc_record_free(r);
    sc_manifest_free(m);
    sc_rng_free(rng);
    sc_group_free(grp);
    return rc;
}
