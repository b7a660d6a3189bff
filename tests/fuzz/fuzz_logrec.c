/* Fuzz target: the record as a function of the board's log
 * (scrutin/logrec.h sc_logrec_build): entry checks and the payload
 * parsers of every entry type (election files, device, ballot,
 * device_close, challenged, policy, write_in_count, write_in).
 *
 * Input: entries separated by "\n=== " lines; each starts with its type
 * as one letter ('a' + type - 1; an upper-case letter: signed by the
 * second device) then a newline, then the payload. The harness signs
 * every entry with fixed keys (authority for its types, device 1 or 2
 * for ballots and closings, sequence numbers counted per signer), sets a
 * ballot's entry key to the payload's confirmation code when it has one,
 * and takes the origin from the first payload, so mutations reach the
 * parsers behind the signature and hash checks. Seeds: the toy log of
 * tests/clients/test_logrec.c (SC_FUZZ_SEED_DIR).
 *
 * Invariants: SC_OK, SC_E_VERIFY (with an "L1." condition and a message),
 * SC_E_IO or SC_E_NOMEM only; an accepted log gives sorted, distinct file
 * names, and building it again gives the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "fuzz_util.h"
#include "scrutin/entry.h"
#include "scrutin/logrec.h"

#define MAXE 64

typedef struct flog {
    uint8_t ent[MAXE * SC_ENTRY_BYTES];
    const uint8_t *pay[MAXE];
    size_t plen[MAXE];
    uint8_t sha[MAXE][32]; /* of each payload, hashed once */
    size_t n;
} flog;

static sc_status get(void *ctx, const uint8_t sha[32], uint32_t len,
                     uint8_t **data, size_t *dlen)
{
    const flog *l = ctx;
    (void)len;
    for (size_t i = 0; i < l->n; i++) {
        if (memcmp(l->sha[i], sha, 32) == 0) {
            *data = malloc(l->plen[i] + 1);
            if (*data == NULL) {
                return SC_E_NOMEM;
            }
            memcpy(*data, l->pay[i], l->plen[i]);
            *dlen = l->plen[i];
            return SC_OK;
        }
    }
    return SC_E_IO;
}

static void keys(uint8_t sk[3][64], uint8_t pk[3][32])
{
    for (int i = 0; i < 3; i++) {
        uint8_t seed[32];
        memset(seed, 0x11 * (i + 1), 32);
        crypto_sign_seed_keypair(pk[i], sk[i], seed);
    }
}

static void same(const sc_logrec *a, const sc_logrec *b)
{
    FZ_ASSERT(a->n == b->n);
    for (size_t i = 0; i < a->n; i++) {
        FZ_ASSERT(strcmp(a->f[i].name, b->f[i].name) == 0);
        FZ_ASSERT(a->f[i].len == b->f[i].len);
        FZ_ASSERT(a->f[i].len == 0 ||
                  memcmp(a->f[i].data, b->f[i].data, a->f[i].len) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_init();
    static uint8_t sk[3][64], pk[3][32];
    static int ready;
    if (!ready) {
        keys(sk, pk);
        ready = 1;
    }
    flog *l = calloc(1, sizeof *l);
    if (l == NULL) {
        return 0;
    }
    /* split */
    const uint8_t *p = data, *end = data + size;
    char origin[256] = "scrutin.board/0000000000000000";
    uint32_t seq[3] = {0, 0, 0};
    while (p < end && l->n < MAXE) {
        const uint8_t *sep = NULL;
        for (const uint8_t *q = p; q + 5 <= end; q++) {
            if (memcmp(q, "\n=== ", 5) == 0) {
                sep = q;
                break;
            }
        }
        const uint8_t *stop = sep ? sep : end;
        if (stop - p < 2 || p[1] != '\n') {
            break;
        }
        int upper = p[0] >= 'A' && p[0] <= 'Z';
        unsigned type = (unsigned)((upper ? p[0] - 'A' : p[0] - 'a') + 1);
        const uint8_t *pl = p + 2;
        size_t plen = (size_t)(stop - pl);
        if (l->n == 0) {
            json_t *j = json_loadb((const char *)pl, plen, 0, NULL);
            const char *o = json_string_value(json_object_get(j, "origin"));
            if (o != NULL && strlen(o) > 0 && strlen(o) < sizeof origin &&
                strchr(o, '\n') == NULL) {
                memcpy(origin, o, strlen(o) + 1);
            }
            json_decref(j);
        }
        int who = sc_entry_type_by_authority(type) ? 0 : (upper ? 2 : 1);
        sc_entry e;
        memset(&e, 0, sizeof e);
        e.version = SC_ENTRY_VERSION;
        e.type = (uint8_t)type;
        e.index = l->n;
        e.payload_len = (uint32_t)plen;
        e.seq = ++seq[who];
        crypto_hash_sha256(e.payload_sha256, pl, plen);
        if (type == SC_ENTRY_BALLOT) {
            json_t *j = json_loadb((const char *)pl, plen, 0, NULL);
            const char *c =
                json_string_value(json_object_get(j, "confirmation_code"));
            if (c != NULL && strlen(c) == 64) {
                if (sc_hex_decode(e.key, 32, c, 64) != SC_OK) {
                    memset(e.key, 0, 32);
                }
            }
            json_decref(j);
        }
        if (type >= 1 && type <= SC_ENTRY_WRITE_IN &&
            sc_entry_sign(&e, origin, sk[who]) == SC_OK) {
            sc_entry_encode(l->ent + l->n * SC_ENTRY_BYTES, &e);
        } else {
            memset(l->ent + l->n * SC_ENTRY_BYTES, 0, SC_ENTRY_BYTES);
        }
        l->pay[l->n] = pl;
        l->plen[l->n] = plen;
        memcpy(l->sha[l->n], e.payload_sha256, 32);
        l->n++;
        p = sep ? sep + 5 : end;
    }
    sc_logrec a, b;
    sc_status rc = sc_logrec_build(&a, l->ent, l->n, get, l);
    FZ_ASSERT(rc == SC_OK || rc == SC_E_VERIFY || rc == SC_E_IO ||
              rc == SC_E_NOMEM);
    if (getenv("SC_FUZZ_SHOW") != NULL) {
        fprintf(stderr, "%zu entries: %d %s %s\n", l->n, (int)rc, a.fail_cond,
                a.fail);
    }
    if (rc == SC_E_VERIFY) {
        FZ_ASSERT(strncmp(a.fail_cond, "L1.", 3) == 0 && a.fail[0] != '\0');
    }
    if (rc == SC_OK) {
        for (size_t i = 1; i < a.n; i++) {
            FZ_ASSERT(strcmp(a.f[i - 1].name, a.f[i].name) < 0);
        }
        FZ_ASSERT(sc_logrec_build(&b, l->ent, l->n, get, l) == SC_OK);
        same(&a, &b);
        sc_logrec_free(&b);
    }
    sc_logrec_free(&a);
    free(l);
    return 0;
}
