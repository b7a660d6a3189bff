/* The board: create, open (start-up checks), receipts, local submission. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "board/board_int.h"
#include "scrutin/json.h"

void bd_hex(char *out, const uint8_t *in, size_t n)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[in[i] >> 4];
        out[2 * i + 1] = d[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void bd_refuse(bjob *j, unsigned status, const char *fmt, ...)
{
    j->ans.status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->ans.why, sizeof j->ans.why, fmt, ap);
    va_end(ap);
    for (char *p = j->ans.why; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20) {
            *p = ' ';
        }
    }
}

void bd_count(sc_board *b, unsigned status)
{
    int m;
    switch (status) {
    case 200: m = M_ACCEPTED; break;
    case 400: m = M_R400; break;
    case 401: m = M_R401; break;
    case 403: m = M_R403; break;
    case 404: m = M_R404; break;
    case 409: m = M_R409; break;
    case 411: m = M_R411; break;
    case 413: m = M_R413; break;
    case 422: m = M_R422; break;
    case 429: m = M_R429; break;
    default: m = M_R503; break;
    }
    atomic_fetch_add(&b->metrics[m], 1);
}

sc_bdb *bd_rdb(sc_board *b)
{
    sc_bdb *db = pthread_getspecific(b->rdb_key);
    if (db != NULL) {
        return db;
    }
    char path[600], err[256];
    snprintf(path, sizeof path, "%s/%s", b->state_dir, SC_BOARD_DB);
    if (sc_bdb_open(&db, path, SC_BDB_READONLY, err, sizeof err) != SC_OK) {
        return NULL;
    }
    pthread_mutex_lock(&b->mu);
    if (b->nrdb < sizeof b->rdbs / sizeof b->rdbs[0]) {
        b->rdbs[b->nrdb++] = db;
        pthread_setspecific(b->rdb_key, db);
    } else {
        pthread_mutex_unlock(&b->mu);
        sc_bdb_close(db);
        return NULL;
    }
    pthread_mutex_unlock(&b->mu);
    return db;
}

sc_status bd_checkpoint_text(sc_board *b, sc_bdb *db, uint64_t *size,
                             char **out)
{
    (void)b;
    *out = NULL;
    uint8_t root[32];
    char *note = NULL, *cos = NULL;
    sc_status rc = sc_bdb_checkpoint_latest(db, size, root, &note);
    if (rc == SC_OK) {
        rc = sc_bdb_cosigs(db, *size, &cos);
    }
    if (rc == SC_OK) {
        size_t nl = strlen(note), cl = strlen(cos);
        char *t = malloc(nl + cl + 1);
        if (t == NULL) {
            rc = SC_E_NOMEM;
        } else {
            memcpy(t, note, nl);
            memcpy(t + nl, cos, cl + 1);
            *out = t;
        }
    }
    free(note);
    free(cos);
    return rc;
}

/* The checkpoint a receipt for entry idx carries: the newest one whose
 * cosignatures make the policy's quorum, if one covers idx; else the
 * newest checkpoint with the board's signature alone (docs/BOARD.md §3.4:
 * a receipt never carries cosignatures short of the quorum). */
static sc_status receipt_checkpoint(sc_board *b, sc_bdb *db, uint64_t idx,
                                    uint64_t *size, char **out)
{
    uint64_t sizes[4];
    size_t ns = 0;
    if (b->has_policy &&
        sc_bdb_cosigned_sizes(db, idx, sizes, 4, &ns) == SC_OK) {
        for (size_t i = 0; i < ns; i++) {
            uint8_t root[32];
            char *note = NULL, *cos = NULL;
            sc_status rc = sc_bdb_checkpoint_get(db, sizes[i], root, &note);
            if (rc == SC_OK) {
                rc = sc_bdb_cosigs(db, sizes[i], &cos);
            }
            char *t = NULL;
            if (rc == SC_OK) {
                size_t nl = strlen(note), cl = strlen(cos);
                t = malloc(nl + cl + 1);
                if (t != NULL) {
                    memcpy(t, note, nl);
                    memcpy(t + nl, cos, cl + 1);
                }
            }
            free(note);
            free(cos);
            if (t != NULL && bd_quorum_met(b, t)) {
                *size = sizes[i];
                *out = t;
                return SC_OK;
            }
            free(t);
        }
    }
    uint8_t root[32];
    return sc_bdb_checkpoint_latest(db, size, root, out);
}

sc_status bd_receipt(sc_board *b, sc_bdb *db, uint64_t idx, char **out)
{
    *out = NULL;
    uint64_t size = 0;
    char *cp = NULL;
    sc_status rc = receipt_checkpoint(b, db, idx, &size, &cp);
    if (rc != SC_OK) {
        return rc;
    }
    uint8_t proof[SC_TLOG_MAX_PROOF][32];
    size_t n = 0;
    rc = sc_tlog_inclusion_proof(proof, &n, sc_bdb_node_cb, db, idx, size);
    if (rc != SC_OK) {
        free(cp);
        return rc;
    }
    size_t cap = 64 + n * 46 + strlen(cp) + 2;
    char *t = malloc(cap);
    if (t == NULL) {
        free(cp);
        return SC_E_NOMEM;
    }
    size_t len =
        (size_t)snprintf(t, cap, "c2sp.org/tlog-proof@v1\nindex %llu\n",
                         (unsigned long long)idx);
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        rc = sc_b64_encode(t + len, cap - len, proof[i], 32);
        len += strlen(t + len);
        t[len++] = '\n';
    }
    t[len++] = '\n';
    memcpy(t + len, cp, strlen(cp) + 1);
    free(cp);
    if (rc != SC_OK) {
        free(t);
        return rc;
    }
    *out = t;
    return SC_OK;
}

/* ------------------------------------------------------- start-up checks */

/* checkpoint.latest: "<size>\n<hex root>\n", written after each commit. */
static int latest_read(const char *dir, uint64_t *size, uint8_t root[32])
{
    char path[600], buf[200];
    snprintf(path, sizeof path, "%s/%s", dir, SC_BOARD_LATEST);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    unsigned long long s = 0;
    char hex[65];
    if (sscanf(buf, "%llu\n%64s", &s, hex) != 2 || !bd_unhex(root, 32, hex)) {
        return -1;
    }
    *size = s;
    return 1;
}

sc_status bd_latest_write(sc_board *b, uint64_t size, const uint8_t root[32])
{
    char path[600], buf[120], hex[65];
    snprintf(path, sizeof path, "%s/%s", b->state_dir, SC_BOARD_LATEST);
    bd_hex(hex, root, 32);
    int n =
        snprintf(buf, sizeof buf, "%llu\n%s\n", (unsigned long long)size, hex);
    return sc_file_write_atomic_mode(path, buf, (size_t)n, 0644);
}

/* Recompute the root at the newest checkpoint from the entries themselves
 * and from the stored hashes; both must equal the signed root. */
static sc_status check_root(sc_board *b, char *err, size_t errlen)
{
    uint64_t size = 0, count = 0;
    uint8_t root[32], r1[32], r2[32];
    char *note = NULL;
    sc_status rc = sc_bdb_checkpoint_latest(b->wdb, &size, root, &note);
    free(note);
    if (rc == SC_E_RANGE) {
        snprintf(err, errlen, "board.db holds no checkpoint");
        return SC_E_VERIFY;
    }
    if (rc == SC_OK) {
        rc = sc_bdb_entry_count(b->wdb, &count);
    }
    if (rc != SC_OK) {
        snprintf(err, errlen, "board.db: %s", sc_bdb_errmsg(b->wdb));
        return rc;
    }
    if (count != size) {
        snprintf(err, errlen,
                 "board.db holds %llu entries but its newest checkpoint has "
                 "size %llu",
                 (unsigned long long)count, (unsigned long long)size);
        return SC_E_VERIFY;
    }
    sc_tlog_mem *m = NULL;
    rc = sc_tlog_mem_new(&m);
    for (uint64_t i = 0; i < size && rc == SC_OK; i++) {
        sc_bdb_entry e;
        uint8_t leaf[32];
        rc = sc_bdb_entry_get(b->wdb, i, &e);
        if (rc == SC_E_RANGE) {
            snprintf(err, errlen, "board.db: entry %llu is missing",
                     (unsigned long long)i);
            rc = SC_E_VERIFY;
            break;
        }
        if (rc == SC_OK) {
            sc_tlog_leaf_hash(leaf, e.entry, sizeof e.entry);
            rc = sc_tlog_mem_append(m, leaf);
        }
    }
    if (rc == SC_OK) {
        rc = sc_tlog_root(r1, sc_tlog_mem_get, m, size);
    }
    sc_tlog_mem_free(m);
    if (rc == SC_OK) {
        rc = sc_tlog_root(r2, sc_bdb_node_cb, b->wdb, size);
    }
    if (rc != SC_OK) {
        if (err[0] == '\0') {
            snprintf(err, errlen, "board.db: cannot recompute the root (%s)",
                     sc_strerror(rc));
        }
        return rc;
    }
    if (memcmp(r1, root, 32) != 0 || memcmp(r2, root, 32) != 0) {
        snprintf(err, errlen,
                 "board.db: the root recomputed at size %llu differs from "
                 "the signed checkpoint",
                 (unsigned long long)size);
        return SC_E_VERIFY;
    }
    uint64_t lsize = 0;
    uint8_t lroot[32];
    int lr = latest_read(b->state_dir, &lsize, lroot);
    if (lr < 0) {
        snprintf(err, errlen, "%s is malformed", SC_BOARD_LATEST);
        return SC_E_VERIFY;
    }
    if (lr > 0 && !b->cfg.force) {
        if (lsize > size) {
            snprintf(err, errlen,
                     "board.db is older than the last checkpoint signed "
                     "(size %llu < %llu): a restored copy? refusing to start",
                     (unsigned long long)size, (unsigned long long)lsize);
            return SC_E_VERIFY;
        }
        if (lsize == size && memcmp(lroot, root, 32) != 0) {
            snprintf(err, errlen,
                     "board.db's checkpoint of size %llu differs from the "
                     "last one signed; refusing to start",
                     (unsigned long long)size);
            return SC_E_VERIFY;
        }
    }
    return SC_OK;
}

static void load_meta(sc_board *b)
{
    char *v = NULL;
    size_t len = 0;
    if (sc_bdb_meta_get(b->wdb, "phase", &v, &len) == SC_OK) {
        atomic_store(&b->phase, atoi(v));
    }
    free(v);
    v = NULL;
    if (sc_bdb_meta_get(b->wdb, "policy", &v, &len) == SC_OK) {
        char msg[200];
        if (sc_witness_policy_parse(&b->policy, v, len, msg, sizeof msg) ==
            SC_OK) {
            b->has_policy = 1;
            b->policy_json = v;
            v = NULL;
        }
    }
    free(v);
}

static sc_status board_alloc(sc_board **out, const sc_board_cfg *cfg,
                             const uint8_t board_sk[64])
{
    sc_board *b = calloc(1, sizeof *b);
    if (b == NULL) {
        return SC_E_NOMEM;
    }
    b->cfg = *cfg;
    snprintf(b->state_dir, sizeof b->state_dir, "%s", cfg->state_dir);
    b->cfg.state_dir = b->state_dir;
    b->board_sk = sodium_malloc(64);
    if (b->board_sk == NULL) {
        free(b);
        return SC_E_NOMEM;
    }
    memcpy(b->board_sk, board_sk, 64);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->seq_cv, NULL);
    pthread_cond_init(&b->work_cv, NULL);
    pthread_cond_init(&b->local_cv, NULL);
    pthread_cond_init(&b->pub_cv, NULL);
    pthread_key_create(&b->rdb_key, NULL);
    *out = b;
    return SC_OK;
}

static sc_status open_db(sc_board *b, int flags, char *err, size_t errlen)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", b->state_dir, SC_BOARD_DB);
    sc_status rc = sc_bdb_open(&b->wdb, path, flags, err, errlen);
    if (rc == SC_OK && b->cfg.max_pages != 0) {
        rc = sc_bdb_limit_pages(b->wdb, b->cfg.max_pages);
    }
    return rc;
}

static sc_status read_identity(sc_board *b, char *err, size_t errlen)
{
    char *v = NULL;
    size_t len = 0;
    sc_status rc = sc_bdb_meta_get(b->wdb, "origin", &v, &len);
    if (rc != SC_OK || len == 0 || len > SC_TLOG_NAME_MAX) {
        free(v);
        snprintf(err, errlen, "board.db: no origin");
        return SC_E_INVALID;
    }
    memcpy(b->origin, v, len + 1);
    free(v);
    uint8_t pk[32];
    crypto_sign_ed25519_sk_to_pk(pk, b->board_sk);
    rc = sc_vkey_make(&b->board_vkey, b->origin, SC_NOTE_ED25519, pk);
    if (rc == SC_OK) {
        rc = sc_bdb_meta_get(b->wdb, "board_pk", &v, &len);
        if (rc == SC_OK && (len != 32 || memcmp(v, pk, 32) != 0)) {
            snprintf(err, errlen, "the board key is not this board's");
            rc = SC_E_AUTH;
        }
        free(v);
        v = NULL;
    }
    if (rc == SC_OK) {
        rc = sc_bdb_meta_get(b->wdb, "authority_pk", &v, &len);
        if (rc == SC_OK && len == 32) {
            memcpy(b->auth_pk, v, 32);
        } else if (rc == SC_OK) {
            rc = SC_E_INVALID;
        }
        free(v);
    }
    if (rc != SC_OK && err[0] == '\0') {
        snprintf(err, errlen, "board.db: meta: %s", sc_strerror(rc));
    }
    return rc;
}

sc_status sc_board_create(const char *state_dir, const char *origin,
                          const uint8_t board_sk[64], const uint8_t auth_sk[64],
                          const uint8_t *election, size_t len, char *err,
                          size_t errlen)
{
    err[0] = '\0';
    sc_board_cfg cfg = {.state_dir = state_dir};
    sc_board *b = NULL;
    sc_status rc = board_alloc(&b, &cfg, board_sk);
    if (rc != SC_OK) {
        return rc;
    }
    rc = open_db(b, SC_BDB_CREATE, err, errlen);
    uint8_t bpk[32], apk[32];
    crypto_sign_ed25519_sk_to_pk(bpk, board_sk);
    crypto_sign_ed25519_sk_to_pk(apk, auth_sk);
    sc_bdb_signer auth = {.role = SC_ROLE_AUTHORITY};
    memcpy(auth.pubkey, apk, 32);
    snprintf(auth.name, sizeof auth.name, "authority");
    if (rc == SC_OK) {
        rc = sc_bdb_begin(b->wdb);
    }
    if (rc == SC_OK) {
        rc = sc_bdb_meta_put(b->wdb, "origin", origin, strlen(origin));
    }
    if (rc == SC_OK) {
        rc = sc_bdb_meta_put(b->wdb, "board_pk", bpk, 32);
    }
    if (rc == SC_OK) {
        rc = sc_bdb_meta_put(b->wdb, "authority_pk", apk, 32);
    }
    if (rc == SC_OK) {
        rc = sc_bdb_meta_put(b->wdb, "phase", "0", 1);
    }
    if (rc == SC_OK) {
        rc = sc_bdb_signer_put(b->wdb, &auth);
    }
    if (rc == SC_OK) {
        rc = sc_bdb_commit(b->wdb);
    }
    if (rc == SC_OK) {
        rc = read_identity(b, err, errlen);
    }
    if (rc == SC_OK) {
        sc_board_answer a;
        rc = sc_board_submit_local(b, SC_ENTRY_ELECTION, election, len, NULL,
                                   auth_sk, 1, &a);
        if (rc == SC_OK && a.status != 200) {
            snprintf(err, errlen, "entry 0: %s", a.why);
            rc = SC_E_INVALID;
        }
        free(a.receipt);
    }
    if (rc != SC_OK && err[0] == '\0') {
        snprintf(err, errlen, "cannot create the board: %s", sc_strerror(rc));
    }
    sc_board_close(b);
    return rc;
}

sc_status sc_board_open(sc_board **out, const sc_board_cfg *cfg,
                        const uint8_t board_sk[64], char *err, size_t errlen)
{
    *out = NULL;
    err[0] = '\0';
    sc_board *b = NULL;
    sc_status rc = board_alloc(&b, cfg, board_sk);
    if (rc != SC_OK) {
        return rc;
    }
    rc = open_db(b, 0, err, errlen);
    if (rc == SC_OK) {
        rc = read_identity(b, err, errlen);
    }
    if (rc == SC_OK) {
        rc = check_root(b, err, errlen);
    }
    if (rc == SC_OK) {
        load_meta(b);
        rc = bd_door_open(b, err, errlen);
    }
    if (rc != SC_OK) {
        sc_board_close(b);
        return rc;
    }
    *out = b;
    return SC_OK;
}

void sc_board_close(sc_board *b)
{
    if (b == NULL) {
        return;
    }
    if (b->serving) {
        bd_threads_stop(b);
    }
    bd_door_free(b);
    for (size_t i = 0; i < b->nrdb; i++) {
        sc_bdb_close(b->rdbs[i]);
    }
    sc_bdb_close(b->wdb);
    if (b->has_policy) {
        sc_witness_policy_clear(&b->policy);
    }
    free(b->policy_json);
    free(b->busy);
    sodium_free(b->board_sk);
    pthread_key_delete(b->rdb_key);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->seq_cv);
    pthread_cond_destroy(&b->work_cv);
    pthread_cond_destroy(&b->local_cv);
    pthread_cond_destroy(&b->pub_cv);
    free(b);
}

sc_status sc_board_submit_local(sc_board *b, unsigned type,
                                const uint8_t *payload, size_t len,
                                const uint8_t key[32], const uint8_t sk[64],
                                uint32_t seq, sc_board_answer *a)
{
    memset(a, 0, sizeof *a);
    if (b->serving) {
        return SC_E_MISUSE;
    }
    bjob *j = calloc(1, sizeof *j);
    if (j == NULL) {
        return SC_E_NOMEM;
    }
    j->payload = malloc(len + 1);
    if (j->payload == NULL) {
        free(j);
        return SC_E_NOMEM;
    }
    memcpy(j->payload, payload, len);
    j->payload[len] = 0;
    j->len = len;
    j->e.version = SC_ENTRY_VERSION;
    j->e.type = (uint8_t)type;
    crypto_sign_ed25519_sk_to_pk(j->e.signer, sk);
    if (seq == 0) {
        sc_bdb_signer s;
        seq = sc_bdb_signer_get(b->wdb, j->e.signer, &s) == SC_OK
                  ? s.last_seq + 1
                  : 1;
    }
    j->e.seq = seq;
    j->e.payload_len = (uint32_t)len;
    crypto_hash_sha256(j->e.payload_sha256, payload, len);
    j->hashed = 1;
    if (key != NULL) {
        memcpy(j->e.key, key, 32);
    }
    sc_status rc = sc_entry_sign(&j->e, b->origin, sk);
    if (rc != SC_OK) {
        sc_json_free(j->json);
        free(j->payload);
        free(j);
        return rc;
    }
    int replayed = 0;
    if (bd_door(b, b->wdb, j, &replayed) == 0 && !replayed &&
        bd_door_proofs(b, b->wdb, j) == 0) {
        bjob *one[1] = {j};
        bd_commit_batch(b, one, 1);
    }
    *a = j->ans;
    sc_json_free(j->json);
    free(j->payload);
    free(j);
    return SC_OK;
}

sc_status sc_board_device_count(sc_board *b, uint32_t *n)
{
    return sc_bdb_device_count(b->wdb, n);
}
