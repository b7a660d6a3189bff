/* The 2.0 verifier, contest data of a decrypted tally (V11) or challenged
 * ballot (V14): the Chaum-Pedersen proof of the decryption of C_0 (11.A-B /
 * 14.A-B, eq 81 with egk's hash of row 8 of docs/EGK20.md) and the
 * decryption itself (11.C / 14.C, Scrutin's: egk's KDF of row 10, the MAC
 * C_2, the ContestData protobuf against the published contest_data). */
#include <stdlib.h>
#include <string.h>

#include "verify20/v20.h"

/* egk's contest data plaintext is a protobuf message ContestData
 * {1: status enum, 2: repeated int32 over_votes, 3: repeated string
 * write_ins, 4: string filler}. A bounded reader of just that. */
typedef struct v20_cdata {
    uint64_t status;
    size_t nover;
    int64_t over[64];
    size_t nwrite;
    const uint8_t *write[64];
    size_t wlen[64];
} v20_cdata;

static int pb_varint(const uint8_t *p, size_t n, size_t *pos, uint64_t *out)
{
    uint64_t x = 0;
    for (int sh = 0; sh < 64; sh += 7) {
        if (*pos >= n) {
            return 0;
        }
        uint8_t b = p[(*pos)++];
        x |= (uint64_t)(b & 0x7f) << sh;
        if ((b & 0x80) == 0) {
            *out = x;
            return 1;
        }
    }
    return 0;
}

static int pb_contest_data(const uint8_t *p, size_t n, v20_cdata *cd)
{
    size_t pos = 0;
    memset(cd, 0, sizeof *cd);
    while (pos < n) {
        uint64_t key;
        uint64_t val;
        if (!pb_varint(p, n, &pos, &key)) {
            return 0;
        }
        uint64_t field = key >> 3;
        switch (key & 7) {
        case 0:
            if (!pb_varint(p, n, &pos, &val)) {
                return 0;
            }
            if (field == 1) {
                cd->status = val;
            } else if (field == 2) {
                if (cd->nover == 64) {
                    return 0;
                }
                cd->over[cd->nover++] = (int32_t)(uint32_t)val;
            }
            break;
        case 2: {
            if (!pb_varint(p, n, &pos, &val) || val > n - pos) {
                return 0;
            }
            size_t end = pos + (size_t)val;
            if (field == 2) { /* packed */
                while (pos < end) {
                    if (cd->nover == 64 || !pb_varint(p, end, &pos, &val)) {
                        return 0;
                    }
                    cd->over[cd->nover++] = (int32_t)(uint32_t)val;
                }
            } else if (field == 3) {
                if (cd->nwrite == 64) {
                    return 0;
                }
                cd->write[cd->nwrite] = p + pos;
                cd->wlen[cd->nwrite++] = (size_t)val;
            }
            pos = end;
            break;
        }
        case 1:
            if (n - pos < 8) {
                return 0;
            }
            pos += 8;
            break;
        case 5:
            if (n - pos < 4) {
                return 0;
            }
            pos += 4;
            break;
        default: return 0;
        }
    }
    return 1;
}

/* Decrypt the contest data with beta (eq 86-89, egk's KDF, docs/EGK20.md
 * row 10), check the MAC C_2 (eq 55) and compare the plaintext with the
 * published contest_data. Condition `step`.C (Scrutin's). Returns 1 ok. */
static int check_data_plain(v20 *v, const char *step, const char *where,
                            const char *contest_id, json_t *jd, const mpz_t c0,
                            const uint8_t *c1, size_t c1len,
                            const uint8_t c2[32], uint32_t num_bytes,
                            const mpz_t beta)
{
    static const char *const names[4] = {"normal", "null_vote", "over_vote",
                                         "under_vote"};
    char cond[12];
    uint8_t k[32];
    uint8_t ki[32];
    uint8_t mac[32];
    int ok = 0;
    v20_sfmt(cond, sizeof cond, "%s.C", step);
    size_t idl = strlen(contest_id);
    if (num_bytes > c1len || c1len % 32 != 0 || c1len - num_bytes >= 32) {
        sc_report_fail(v->rep, cond, where,
                       "numBytes %u does not fit C_1 of %zu bytes", num_bytes,
                       c1len);
        return 0;
    }
    uint8_t *d = malloc(c1len + 1);
    if (d == NULL) {
        v20_set_fatal(v, SC_E_NOMEM);
        return 0;
    }
    sc_eg20_data_key(v->grp, v->he, v->K, c0, beta, k);
    sc_eg20_data_kdf(k, 0, contest_id, idl, num_bytes, ki);
    sc_eg20_data_mac(v->grp, ki, c0, c1, c1len, mac);
    if (memcmp(mac, c2, 32) != 0) {
        sc_report_fail(v->rep, cond, where,
                       "C_2 is not HMAC(k_0, C_0 ‖ C_1) for the key from "
                       "beta: the contest data does not decrypt");
        goto done;
    }
    for (size_t b = 0; b < c1len / 32; b++) {
        sc_eg20_data_kdf(k, (uint32_t)b + 1, contest_id, idl, num_bytes, ki);
        for (size_t j = 0; j < 32; j++) {
            d[32 * b + j] = c1[32 * b + j] ^ ki[j];
        }
    }
    v20_cdata cd;
    json_t *pub = json_object_get(jd, "contest_data");
    json_t *st = json_object_get(pub, "status");
    json_t *ov = json_object_get(pub, "over_votes");
    json_t *wi = json_object_get(pub, "write_ins");
    if (!pb_contest_data(d, num_bytes, &cd)) {
        sc_report_fail(v->rep, cond, where,
                       "decrypted contest data is not a ContestData "
                       "message");
        goto done;
    }
    if (!json_is_string(st) || cd.status > 3 ||
        strcmp(json_string_value(st), names[cd.status]) != 0) {
        sc_report_fail(v->rep, cond, where,
                       "contest_data.status differs from the decryption "
                       "('%s')",
                       cd.status <= 3 ? names[cd.status] : "?");
        goto done;
    }
    int same = json_is_array(ov) && json_array_size(ov) == cd.nover &&
               json_is_array(wi) && json_array_size(wi) == cd.nwrite;
    for (size_t i = 0; same && i < cd.nover; i++) {
        json_t *x = json_array_get(ov, i);
        same = json_is_integer(x) && json_integer_value(x) == cd.over[i];
    }
    for (size_t i = 0; same && i < cd.nwrite; i++) {
        json_t *x = json_array_get(wi, i);
        same = json_is_string(x) && json_string_length(x) == cd.wlen[i] &&
               memcmp(json_string_value(x), cd.write[i], cd.wlen[i]) == 0;
    }
    if (!same) {
        sc_report_fail(v->rep, cond, where,
                       "contest_data over_votes / write_ins differ from "
                       "the decryption");
        goto done;
    }
    ok = 1;
done:
    free(d);
    return ok;
}

/* Contest-data decryption proof (eq 11.1-11.2 / 14.1-14.2, 81). */
void v20_check_data_decryption(v20 *v, const char *step, const char *where,
                               const char *contest_id, const v20_loc *lc,
                               json_t *jd)
{
    long long nbytes = 0;
    char cond[12];
    json_t *ec;
    json_t *pr;
    v20_loc le;
    v20_loc lp;
    uint8_t *c1 = NULL;
    size_t c1len = 0;
    uint8_t c2[32];
    mpz_t c0, beta, c, r, a, b, ch;
    mpz_inits(c0, beta, c, r, a, b, ch, NULL);
    v20_loc_key(&le, lc, "encrypted_contest_data");
    v20_loc_key(&lp, lc, "proof");
    sc_status rc = v20_get(lc, jd, "encrypted_contest_data", &ec);
    if (rc == SC_OK) {
        rc = v20_get_elem(&le, v->grp, ec, "c0", c0);
    }
    if (rc == SC_OK) {
        rc = v20_get_bytes(&le, ec, "c1", &c1, &c1len);
    }
    if (rc == SC_OK) {
        rc = v20_get_hash(&le, ec, "c2", c2);
    }
    if (rc == SC_OK) {
        rc = v20_get_int(&le, ec, "numBytes", 0, 1 << 24, &nbytes);
    }
    if (rc == SC_OK) {
        rc = v20_get_elem(lc, v->grp, jd, "beta", beta);
    }
    if (rc == SC_OK) {
        rc = v20_get(lc, jd, "proof", &pr);
    }
    if (rc == SC_OK) {
        rc = v20_get_u256(&lp, pr, "challenge", c);
    }
    if (rc == SC_OK) {
        rc = v20_get_u256(&lp, pr, "response", r);
    }
    if (rc != SC_OK) {
        v20_rep_err(v, step, lc->msg);
        goto done;
    }
    int ok = 1;
    if (!sc_scalar_in_range(v->grp, r)) { /* 11.A / 14.A */
        v20_sfmt(cond, sizeof cond, "%s.A", step);
        sc_report_fail(v->rep, cond, where, "response v >= q");
        ok = 0;
    }
    /* 11.1-11.2 / 14.1-14.2: a = g^v K^c, b = C_0^v beta^c (shared) */
    vc_cp_commitments(v->grp, v->fbK, c0, beta, c, r, a, b);
    sc_eg20_data_decrypt_challenge_q(v->grp, v->he, v->K, c0, c1, c1len, c2, a,
                                     b, beta, ch);
    mpz_mod(c, c, v->grp->q);
    if (mpz_cmp(ch, c) != 0) { /* 11.B / 14.B */
        v20_sfmt(cond, sizeof cond, "%s.B", step);
        sc_report_fail(v->rep, cond, where,
                       "challenge differs from H(H_E; 0x31, K, C_0, C_1, "
                       "C_2, a, b, beta)");
        ok = 0;
    }
    if (!check_data_plain(v, step, where, contest_id, jd, c0, c1, c1len, c2,
                          (uint32_t)nbytes, beta)) {
        ok = 0;
    }
    if (ok) {
        sc_report_pass(v->rep, step, 1);
    }
done:
    free(c1);
    mpz_clears(c0, beta, c, r, a, b, ch, NULL);
}
