/* The witness's evidence: see evidence.h. */
#include "witness/evidence.h"

#include <stdlib.h>
#include <string.h>

#include "scrutin/json.h"
#include "scrutin/tlog.h"

/* The head of an add-checkpoint body: "old" and the proof lines, up to
 * and without the blank line. */
static size_t request_head(const char *req)
{
    const char *blank = strstr(req, "\n\n");
    return blank ? (size_t)(blank - req) + 1 : strlen(req);
}

sc_status sc_wev_print(FILE *out, const sc_wev *e)
{
    const char *had = e->had ? e->had : "";
    const char *req = e->request ? e->request : "";
    size_t hl = request_head(req);
    int ok = fprintf(out,
                     "scrutin-witness-evidence v1\norigin %s\nlog-key %s\n"
                     "time %lld\nreason %s\nrefused %zu\n",
                     e->origin, e->vkey, (long long)e->time, e->reason,
                     strlen(e->refused)) > 0 &&
             fputs(e->refused, out) >= 0 &&
             fprintf(out, "had %zu\n", strlen(had)) > 0 &&
             fputs(had, out) >= 0 && fprintf(out, "proof %zu\n", hl) > 0 &&
             fwrite(req, 1, hl, out) == hl && fputs("end\n", out) >= 0;
    return ok ? SC_OK : SC_E_IO;
}

/* Parse "old <n>" and the proof lines of a request head. */
static int parse_head(const char *req, uint64_t *old, uint8_t proof[][32],
                      size_t *n)
{
    size_t hl = request_head(req);
    char *body = malloc(hl + 2);
    if (body == NULL) {
        return 0;
    }
    memcpy(body, req, hl);
    body[hl] = '\n'; /* the blank line, then a dummy note */
    sc_add_checkpoint a;
    /* the parser wants a note after the blank line: give it one byte */
    body[hl + 1] = 'x';
    int ok = sc_add_checkpoint_parse(&a, body, hl + 2) == SC_OK;
    if (ok) {
        *old = a.old;
        memcpy(proof, a.proof, 32 * a.nproof);
        *n = a.nproof;
        sc_add_checkpoint_clear(&a);
    }
    free(body);
    return ok;
}

sc_status sc_wev_check(const sc_wev *e, const char *vkey, char *verdict,
                       size_t cap)
{
    sc_vkey k;
    const char *vk = vkey ? vkey : e->vkey;
    if (vk == NULL || sc_vkey_parse(&k, vk, strlen(vk)) != SC_OK ||
        k.type != SC_NOTE_ED25519) {
        snprintf(verdict, cap, "the board key is not a valid vkey");
        return SC_E_INVALID;
    }
    if (strcmp(k.name, e->origin) != 0) {
        snprintf(verdict, cap, "the board key is named %s, not %s", k.name,
                 e->origin);
        return SC_E_VERIFY;
    }
    sc_checkpoint r, h;
    if (sc_checkpoint_open(&r, NULL, e->refused, strlen(e->refused), &k) !=
        SC_OK) {
        snprintf(verdict, cap,
                 "the refused checkpoint has no valid board signature");
        return SC_E_VERIFY;
    }
    if (strncmp(e->reason, "invalid entry ", 14) == 0) {
        /* a verifying witness (verify_board.h): the signed checkpoint
         * commits to that entry; anyone re-checks it from the board's
         * export (scrutin board export, scrutin verify) */
        snprintf(verdict, cap,
                 "INVALID ENTRY: the board signed size %llu, which commits "
                 "to %s; board signature valid; check that entry against "
                 "this checkpoint",
                 (unsigned long long)r.size, e->reason + 8);
        return SC_OK;
    }
    const char *had = e->had ? e->had : "";
    if (had[0] == '\0') {
        snprintf(verdict, cap,
                 "size %llu refused (%s); board signature valid; the "
                 "witness had cosigned nothing yet",
                 (unsigned long long)r.size, e->reason);
        return SC_OK;
    }
    if (sc_checkpoint_open(&h, NULL, had, strlen(had), &k) != SC_OK) {
        snprintf(verdict, cap,
                 "the checkpoint the witness had has no valid "
                 "board signature");
        return SC_E_VERIFY;
    }
    unsigned long long rs = r.size, hs = h.size;
    if (rs == hs && memcmp(r.root, h.root, 32) != 0) {
        snprintf(verdict, cap,
                 "EQUIVOCATION proved: the board signed two different "
                 "roots for size %llu",
                 rs);
    } else if (rs < hs) {
        snprintf(verdict, cap,
                 "ROLLBACK: the board showed size %llu after this witness "
                 "had cosigned size %llu; both board signatures valid",
                 rs, hs);
    } else if (rs == hs) {
        snprintf(verdict, cap,
                 "size %llu refused (%s); the roots are equal; both board "
                 "signatures valid",
                 rs, e->reason);
    } else {
        uint64_t old;
        uint8_t proof[SC_TLOG_WITNESS_MAX_PROOF][32];
        size_t n;
        const char *req = e->request ? e->request : "";
        if (!parse_head(req, &old, proof, &n)) {
            snprintf(verdict, cap,
                     "size %llu refused (%s); both board "
                     "signatures valid; no proof recorded",
                     rs, e->reason);
        } else if (old == hs && sc_tlog_consistency_verify(
                                    hs, h.root, rs, r.root,
                                    (const uint8_t(*)[32])proof, n) != SC_OK) {
            snprintf(verdict, cap,
                     "INCONSISTENT: both board signatures valid and the "
                     "board's consistency proof from size %llu to %llu "
                     "fails; unless the board shows a valid one, it forked",
                     hs, rs);
        } else {
            snprintf(verdict, cap,
                     "size %llu refused (%s); both board signatures valid; "
                     "the request was for old %llu",
                     rs, e->reason, (unsigned long long)old);
        }
    }
    return SC_OK;
}

/* ---- reading a printed file ---- */

/* "<key> <rest>\n": returns rest (NUL ended in place) or NULL. */
static char *field(char **p, char *end, const char *key)
{
    size_t kl = strlen(key);
    char *nl = memchr(*p, '\n', (size_t)(end - *p));
    if (nl == NULL || (size_t)(nl - *p) < kl + 1 || memcmp(*p, key, kl) != 0 ||
        (*p)[kl] != ' ') {
        return NULL;
    }
    char *v = *p + kl + 1;
    *nl = '\0';
    *p = nl + 1;
    return v;
}

static int dec(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    uint64_t v = 0;
    if (n == 0 || n > 19 || (n > 1 && s[0] == '0')) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 1;
}

/* "<key> <n>\n" then n bytes: returns a malloc'd NUL-ended copy. */
static char *block(char **p, char *end, const char *key)
{
    char *v = field(p, end, key);
    uint64_t n;
    if (v == NULL || !dec(v, &n) || n > (uint64_t)(end - *p)) {
        return NULL;
    }
    char *out = malloc((size_t)n + 1);
    if (out != NULL) {
        memcpy(out, *p, (size_t)n);
        out[n] = '\0';
        *p += n;
    }
    return out;
}

int sc_wev_check_file(const char *path, const char *vkey, FILE *out)
{
    char *text;
    size_t len;
    if (sc_file_read_all(path, &text, &len) != SC_OK) {
        fprintf(stderr, "scrutin witness evidence: cannot read %s\n", path);
        return 3;
    }
    char *p = text, *end = text + len;
    int ex = 0, items = 0;
    while (p < end && ex != 3) {
        char *refused = NULL, *had = NULL, *proof = NULL;
        sc_wev e = {0};
        uint64_t t = 0;
        char *hdr = field(&p, end, "scrutin-witness-evidence");
        int head_ok = hdr != NULL && strcmp(hdr, "v1") == 0 &&
                      (e.origin = field(&p, end, "origin")) != NULL &&
                      (e.vkey = field(&p, end, "log-key")) != NULL;
        const char *ts = head_ok ? field(&p, end, "time") : NULL;
        if (ts == NULL || !dec(ts, &t) ||
            (e.reason = field(&p, end, "reason")) == NULL ||
            (refused = block(&p, end, "refused")) == NULL ||
            (had = block(&p, end, "had")) == NULL ||
            (proof = block(&p, end, "proof")) == NULL ||
            (size_t)(end - p) < 4 || memcmp(p, "end\n", 4) != 0) {
            ex = 3;
        } else {
            p += 4;
            e.time = (int64_t)t;
            e.refused = refused;
            e.had = had;
            e.request = proof;
            char verdict[512];
            sc_status rc = sc_wev_check(&e, vkey, verdict, sizeof verdict);
            items++;
            fprintf(out, "evidence %d (%s): %s: %s\n", items, e.origin,
                    rc == SC_OK ? "VERIFIED" : "DOES NOT VERIFY", verdict);
            if (rc != SC_OK) {
                ex = 1;
            }
        }
        free(refused);
        free(had);
        free(proof);
    }
    if (ex == 3) {
        fprintf(stderr,
                "scrutin witness evidence: %s: malformed after item %d\n", path,
                items);
    } else if (vkey == NULL && items > 0) {
        fprintf(out, "note: checked with the log-key lines of the file; "
                     "check with --vkey and the board key published in the "
                     "election record\n");
    }
    free(text);
    return ex;
}
