/* The 2.0 verifier on records it has never seen: this test writes complete
 * ElectionGuard 2.0.0 records in egk's JSON layout with the shapes the two
 * published samples do not have - n = 4 guardians with quorum k = 2 and a
 * tally and challenged ballot decrypted by a quorum with guardians missing
 * (Lagrange-combined, eq 66-76), two ballot styles (ballots without some
 * contests), a contest with selection limit L = 2 and option limit R = 2,
 * two devices each with its own chain, and a record without chaining -
 * then verifies them. The prover side follows the 2.0.0 equations (with
 * egk's departures, docs/EGK20.md), written here from the text. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scrutin/arith.h"
#include "scrutin/report.h"
#include "scrutin/verify20.h"
#include "verify20/eghash20.h"

#define NG 4 /* guardians */
#define KQ 2 /* quorum */
#define NC 3 /* contests */
#define MAXO 3

static const char *const c_ids[NC] = {"president", "council", "measure"};
static const uint32_t c_nopt[NC] = {3, 3, 2};
static const uint32_t c_L[NC] = {1, 2, 1};
static const uint32_t c_R[NC] = {1, 2, 1};
static const char *const c_dist[NC] = {"d1", "d1", "d2"};

typedef struct gen {
    sc_group *grp;
    sc_rng *rng;
    char dir[512];
    int chaining;
    mpz_t a[NG][KQ]; /* polynomial coefficients a_i,j */
    mpz_t K;
    mpz_t P[NG]; /* P(i) = sum_j P_j(i) */
    uint8_t hp[32], hm[32], hb[32], he[32];
    mpz_t aggA[NC][MAXO], aggB[NC][MAXO];
    json_t *cast_ids;
    int used_U[NG]; /* available guardians at decryption */
    int small;      /* one cast ballot and one challenged, on devA */
} gen;

static const uint8_t baux0[] = "device information";
#define BAUX0_LEN (sizeof baux0 - 1)

/* ---- small helpers ---- */

static json_t *jelem(const gen *g, const mpz_t x)
{
    char hex[2 * 512 + 1];
    assert_true(g->grp->lp <= 512);
    sc_elem_to_hex(g->grp, hex, x);
    return json_string(hex);
}

/* egk writes every scalar as 32 bytes, whatever the group's l_q */
static json_t *jq(const gen *g, const mpz_t x)
{
    char hex[65];
    char q[65];
    assert_true(g->grp->lq <= 32);
    sc_scalar_to_hex(g->grp, q, x);
    memset(hex, '0', 64);
    memcpy(hex + 64 - 2 * g->grp->lq, q, 2 * g->grp->lq + 1);
    return json_string(hex);
}

static json_t *jbytes(const uint8_t *b, size_t n)
{
    char *hex = malloc(2 * n + 1);
    assert_non_null(hex);
    sc_hex_encode(hex, b, n);
    json_t *s = json_string(hex);
    free(hex);
    return s;
}

static void write_json(const gen *g, const char *rel, json_t *j)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", g->dir, rel);
    assert_int_equal(json_dump_file(j, path, JSON_INDENT(4)), 0);
    json_decref(j);
}

static void gpow(const gen *g, mpz_t out, const mpz_t e)
{
    sc_fb_pow(g->grp->g_fb, out, e);
}

/* ---- election setup: guardians (eq 9-12), joint key (eq 8) ---- */

static void setup_election(gen *g)
{
    mpz_t u, h, c, t, x;
    mpz_inits(u, h, c, t, x, NULL);
    json_t *guardians = json_array();
    mpz_set_ui(g->K, 1);
    sc_eg20_param_base_hash(g->grp, g->hp);
    for (int i = 0; i < NG; i++) {
        json_t *proofs = json_array();
        for (int j = 0; j < KQ; j++) {
            sc_rng_scalar(g->rng, g->grp, g->a[i][j]);
            mpz_t Kij;
            mpz_init(Kij);
            gpow(g, Kij, g->a[i][j]);
            /* eq 11-12: h = g^u, c = H(H_P; 0x10, i, j, K_i,j, h) */
            sc_rng_scalar(g->rng, g->grp, u);
            gpow(g, h, u);
            sc_eg20_guardian_challenge_q(g->grp, g->hp, (uint32_t)i + 1,
                                         (uint32_t)j, Kij, h, c);
            mpz_mul(t, c, g->a[i][j]);
            mpz_sub(t, u, t);
            mpz_mod(t, t, g->grp->q);
            json_array_append_new(
                proofs, json_pack("{s:o,s:o,s:o}", "public_key", jelem(g, Kij),
                                  "challenge", jq(g, c), "response", jq(g, t)));
            if (j == 0) {
                sc_mulmod(g->grp, g->K, g->K, Kij);
            }
            mpz_clear(Kij);
        }
        char gid[32];
        snprintf(gid, sizeof gid, "guardian%d", i + 1);
        json_array_append_new(guardians,
                              json_pack("{s:s,s:i,s:o}", "guardian_id", gid,
                                        "x_coordinate", i + 1,
                                        "coefficient_proofs", proofs));
    }
    /* eq 22: P(l) = sum_i P_i(l) */
    for (int l = 0; l < NG; l++) {
        mpz_set_ui(g->P[l], 0);
        for (int i = 0; i < NG; i++) {
            mpz_set_ui(x, 1);
            for (int j = 0; j < KQ; j++) {
                mpz_mul(t, g->a[i][j], x);
                mpz_add(g->P[l], g->P[l], t);
                mpz_mul_ui(x, x, (unsigned long)l + 1);
            }
        }
        mpz_mod(g->P[l], g->P[l], g->grp->q);
    }

    /* manifest: two styles, the second with the extra district */
    json_t *contests = json_array();
    for (int c2 = 0; c2 < NC; c2++) {
        json_t *sels = json_array();
        for (uint32_t o = 0; o < c_nopt[c2]; o++) {
            char sid[64];
            snprintf(sid, sizeof sid, "%s-option%u", c_ids[c2], o + 1);
            json_array_append_new(sels, json_pack("{s:s,s:i,s:s}", "object_id",
                                                  sid, "sequence_order", o + 1,
                                                  "candidate_id", sid));
        }
        json_t *jc = json_pack("{s:s,s:i,s:s,s:s,s:i,s:i,s:s,s:o}", "object_id",
                               c_ids[c2], "sequence_order", c2 + 1,
                               "electoral_district_id", c_dist[c2],
                               "vote_variation", "n_of_m", "number_elected",
                               (int)c_L[c2], "votes_allowed", (int)c_L[c2],
                               "name", c_ids[c2], "ballot_selections", sels);
        if (c_R[c2] != 1) {
            json_object_set_new(jc, "option_selection_limit",
                                json_integer(c_R[c2]));
        }
        json_array_append_new(contests, jc);
    }
    json_t *man =
        json_pack("{s:s,s:s,s:s,s:o,s:[{s:s,s:[s]},{s:s,s:[s,s]}]}",
                  "election_scope_id", "generated", "spec_version", "v2.0.0",
                  "type", "general", "contests", contests, "ballot_styles",
                  "object_id", "style1", "geopolitical_unit_ids", "d1",
                  "object_id", "style2", "geopolitical_unit_ids", "d1", "d2");
    write_json(g, "manifest.json", man);
    char path[1024];
    snprintf(path, sizeof path, "%s/manifest.json", g->dir);
    size_t mlen = 0;
    char *mbytes = t_read_file(path, &mlen);
    assert_non_null(mbytes);
    sc_eg20_manifest_hash(g->hp, (const uint8_t *)mbytes, mlen, g->hm);
    free(mbytes);
    sc_eg20_election_base_hash(g->hp, g->hm, NG, KQ, g->hb);
    sc_eg20_extended_base_hash(g->grp, g->hb, g->K, g->he);

    json_t *b0 = json_array();
    for (size_t i = 0; i < BAUX0_LEN; i++) {
        json_array_append_new(b0, json_integer(baux0[i]));
    }
    write_json(g, "election_config.json",
               json_pack("{s:s,s:i,s:i,s:o,s:o,s:o,s:b,s:o}", "config_version",
                         "v2.0.0", "number_of_guardians", NG, "quorum", KQ,
                         "parameter_base_hash", jbytes(g->hp, 32),
                         "manifest_hash", jbytes(g->hm, 32),
                         "election_base_hash", jbytes(g->hb, 32),
                         "chain_confirmation_codes", g->chaining, "baux0", b0));
    write_json(g, "election_initialized.json",
               json_pack("{s:o,s:o,s:o}", "joint_public_key", jelem(g, g->K),
                         "extended_base_hash", jbytes(g->he, 32), "guardians",
                         guardians));
    json_t *cons = json_object();
    char *hx = malloc(2 * 600);
    assert_non_null(hx);
    mpz_t *vals[4] = {&g->grp->p, &g->grp->q, &g->grp->r, &g->grp->g};
    const char *names[4] = {"large_prime", "small_prime", "cofactor",
                            "generator"};
    for (int i = 0; i < 4; i++) {
        gmp_snprintf(hx, 2 * 600, "%ZX", *vals[i]);
        json_object_set_new(cons, names[i], json_string(hx));
    }
    free(hx);
    write_json(g, "constants.json", cons);
    mpz_clears(u, h, c, t, x, NULL);
}

/* ---- range proof 0..n-1 for (alpha, beta) = (g^xi, K^(ell+xi)) ---- */

static json_t *range_proof(gen *g, const mpz_t alpha, const mpz_t beta,
                           const mpz_t xi, uint32_t ell, uint32_t n)
{
    mpz_t a[8], b[8], c[8], v[8], u, w, t, sum, ch;
    assert_true(n <= 8 && ell < n);
    mpz_inits(u, w, t, sum, ch, NULL);
    mpz_set_ui(sum, 0);
    for (uint32_t j = 0; j < n; j++) {
        mpz_inits(a[j], b[j], c[j], v[j], NULL);
        if (j == ell) {
            sc_rng_scalar(g->rng, g->grp, u);
            gpow(g, a[j], u);
            sc_pow(g->grp, b[j], g->K, u);
            continue;
        }
        /* simulated part: pick c_j, v_j, derive (a_j, b_j) (eq 5.1-5.2) */
        sc_rng_scalar(g->rng, g->grp, c[j]);
        sc_rng_scalar(g->rng, g->grp, v[j]);
        gpow(g, a[j], v[j]);
        sc_pow(g->grp, t, alpha, c[j]);
        sc_mulmod(g->grp, a[j], a[j], t);
        mpz_mul_ui(w, c[j], j);
        mpz_sub(w, v[j], w);
        mpz_mod(w, w, g->grp->q);
        sc_pow(g->grp, b[j], g->K, w);
        sc_pow(g->grp, t, beta, c[j]);
        sc_mulmod(g->grp, b[j], b[j], t);
        mpz_add(sum, sum, c[j]);
    }
    sc_eg20_range_challenge_q(g->grp, g->he, g->K, alpha, beta, n,
                              (const mpz_t *)a, (const mpz_t *)b, ch);
    mpz_sub(c[ell], ch, sum);
    mpz_mod(c[ell], c[ell], g->grp->q);
    mpz_mul(t, c[ell], xi);
    mpz_sub(v[ell], u, t);
    mpz_mod(v[ell], v[ell], g->grp->q);
    json_t *ps = json_array();
    for (uint32_t j = 0; j < n; j++) {
        json_array_append_new(ps,
                              json_pack("{s:o,s:o}", "challenge", jq(g, c[j]),
                                        "response", jq(g, v[j])));
        mpz_clears(a[j], b[j], c[j], v[j], NULL);
    }
    mpz_clears(u, w, t, sum, ch, NULL);
    return json_pack("{s:o}", "proofs", ps);
}

/* ---- quorum decryption of (A, B) (eq 66-76), U = used_U ---- */

static void lagrange(const gen *g, int i, mpz_t w)
{
    mpz_t num, den;
    mpz_inits(num, den, NULL);
    mpz_set_ui(num, 1);
    mpz_set_ui(den, 1);
    for (int l = 0; l < NG; l++) {
        if (l == i || !g->used_U[l]) {
            continue;
        }
        mpz_mul_ui(num, num, (unsigned long)l + 1);
        mpz_mul_si(den, den, (long)(l - i));
    }
    mpz_mod(den, den, g->grp->q);
    assert_int_not_equal(mpz_invert(den, den, g->grp->q), 0);
    mpz_mul(w, num, den);
    mpz_mod(w, w, g->grp->q);
    mpz_clears(num, den, NULL);
}

/* Joint proof that M = A^s: returns M, c, v. With `data`, the challenge
 * is the contest-data one (eq 81) over (C_0 = A, c1, c2, beta = M). */
static void joint_decrypt(gen *g, const mpz_t A, const mpz_t B, mpz_t M,
                          mpz_t c, mpz_t v, const uint8_t *c1, size_t c1len,
                          const uint8_t *c2)
{
    mpz_t a, b, t, w, Mi, ui[NG], ai, bi;
    mpz_inits(a, b, t, w, Mi, ai, bi, NULL);
    mpz_set_ui(M, 1);
    mpz_set_ui(a, 1);
    mpz_set_ui(b, 1);
    for (int i = 0; i < NG; i++) {
        mpz_init(ui[i]);
        if (!g->used_U[i]) {
            continue;
        }
        sc_pow(g->grp, Mi, A, g->P[i]); /* eq 66 */
        lagrange(g, i, w);
        sc_pow(g->grp, t, Mi, w); /* eq 68 */
        sc_mulmod(g->grp, M, M, t);
        sc_rng_scalar(g->rng, g->grp, ui[i]); /* eq 69-70 */
        gpow(g, ai, ui[i]);
        sc_pow(g->grp, bi, A, ui[i]);
        sc_mulmod(g->grp, a, a, ai);
        sc_mulmod(g->grp, b, b, bi);
    }
    if (c1 == NULL) {
        sc_eg20_decrypt_challenge_q(g->grp, g->he, g->K, A, B, a, b, M, c);
    } else {
        sc_eg20_data_decrypt_challenge_q(g->grp, g->he, g->K, A, c1, c1len, c2,
                                         a, b, M, c);
    }
    mpz_set_ui(v, 0);
    for (int i = 0; i < NG; i++) {
        if (g->used_U[i]) {
            lagrange(g, i, w); /* eq 72-73, 76 */
            mpz_mul(t, c, w);
            mpz_mul(t, t, g->P[i]);
            mpz_sub(t, ui[i], t);
            mpz_add(v, v, t);
        }
        mpz_clear(ui[i]);
    }
    mpz_mod(v, v, g->grp->q);
    mpz_clears(a, b, t, w, Mi, ai, bi, NULL);
}

static json_t *dec_selection(gen *g, const char *sid, const mpz_t A,
                             const mpz_t B, long tally)
{
    mpz_t M, c, v, T;
    mpz_inits(M, c, v, T, NULL);
    joint_decrypt(g, A, B, M, c, v, NULL, 0, NULL);
    assert_int_equal(sc_invmod(g->grp, T, M), SC_OK);
    sc_mulmod(g->grp, T, T, B); /* T = B / M */
    json_t *j =
        json_pack("{s:s,s:i,s:o,s:{s:o,s:o},s:{s:o,s:o}}", "selection_id", sid,
                  "tally", (int)tally, "b_over_m", jelem(g, T),
                  "encrypted_vote", "pad", jelem(g, A), "data", jelem(g, B),
                  "proof", "challenge", jq(g, c), "response", jq(g, v));
    mpz_clears(M, c, v, T, NULL);
    return j;
}

/* ---- ballots ---- */

typedef struct chain {
    uint8_t prev[32];
    int n;
    json_t *ids;
} chain;

static void make_ballot(gen *g, const char *device, chain *ch, int bno,
                        int style, int spoiled, const uint32_t votes[NC][MAXO])
{
    mpz_t xi[MAXO], al[MAXO], be[MAXO], t, xs, abar, bbar;
    mpz_inits(t, xs, abar, bbar, NULL);
    for (int o = 0; o < MAXO; o++) {
        mpz_inits(xi[o], al[o], be[o], NULL);
    }
    char id[64];
    snprintf(id, sizeof id, "%s-b%d", device, bno);
    json_t *contests = json_array();
    json_t *dcontests = json_array();
    uint8_t chis[NC * 32];
    size_t nchi = 0;
    for (int c = 0; c < NC; c++) {
        if (style == 1 && strcmp(c_dist[c], "d2") == 0) {
            continue; /* style1 does not have this contest */
        }
        json_t *sels = json_array();
        json_t *dsels = json_array();
        uint32_t total = 0;
        mpz_set_ui(xs, 0);
        mpz_set_ui(abar, 1);
        mpz_set_ui(bbar, 1);
        for (uint32_t o = 0; o < c_nopt[c]; o++) {
            uint32_t s = votes[c][o];
            total += s;
            sc_rng_scalar(g->rng, g->grp, xi[o]); /* eq 24 */
            gpow(g, al[o], xi[o]);
            mpz_add_ui(t, xi[o], s);
            sc_pow(g->grp, be[o], g->K, t);
            char sid[64];
            snprintf(sid, sizeof sid, "%s-option%u", c_ids[c], o + 1);
            json_array_append_new(
                sels,
                json_pack("{s:s,s:i,s:{s:o,s:o},s:o}", "selection_id", sid,
                          "sequence_order", o + 1, "encrypted_vote", "pad",
                          jelem(g, al[o]), "data", jelem(g, be[o]), "proof",
                          range_proof(g, al[o], be[o], xi[o], s, c_R[c] + 1)));
            mpz_add(xs, xs, xi[o]);
            sc_mulmod(g->grp, abar, abar, al[o]);
            sc_mulmod(g->grp, bbar, bbar, be[o]);
            if (!spoiled) {
                sc_mulmod(g->grp, g->aggA[c][o], g->aggA[c][o], al[o]);
                sc_mulmod(g->grp, g->aggB[c][o], g->aggB[c][o], be[o]);
            } else {
                json_array_append_new(dsels,
                                      dec_selection(g, sid, al[o], be[o], s));
            }
        }
        assert_true(total <= c_L[c]);
        mpz_mod(xs, xs, g->grp->q);
        uint8_t chi[32];
        sc_eg20_contest_hash(g->grp, g->he, (uint32_t)c + 1, g->K, c_nopt[c],
                             (const mpz_t *)al, (const mpz_t *)be,
                             chi); /* eq 57 */
        memcpy(chis + 32 * nchi++, chi, 32);
        /* contest data (eq 49-55 with egk's KDF, docs/EGK20.md row 10):
         * the protobuf message {4: filler} padded to 64 bytes */
        mpz_t cxi, c0, beta, cc, cv;
        mpz_inits(cxi, c0, beta, cc, cv, NULL);
        sc_rng_scalar(g->rng, g->grp, cxi);
        gpow(g, c0, cxi);
        sc_pow(g->grp, beta, g->K, cxi);
        uint8_t dplain[64];
        dplain[0] = 0x22;
        dplain[1] = 62;
        memset(dplain + 2, '*', 62);
        uint8_t k[32];
        uint8_t ki[32];
        uint8_t c1[64];
        uint8_t c2[32];
        sc_eg20_data_key(g->grp, g->he, g->K, c0, beta, k);
        for (uint32_t b = 1; b <= 2; b++) {
            sc_eg20_data_kdf(k, b, c_ids[c], strlen(c_ids[c]), 64, ki);
            for (int j = 0; j < 32; j++) {
                c1[32 * (b - 1) + (uint32_t)j] =
                    dplain[32 * (b - 1) + (uint32_t)j] ^ ki[j];
            }
        }
        sc_eg20_data_kdf(k, 0, c_ids[c], strlen(c_ids[c]), 64, ki);
        sc_eg20_data_mac(g->grp, ki, c0, c1, sizeof c1, c2);
        json_t *ecd =
            json_pack("{s:o,s:o,s:o,s:i}", "c0", jelem(g, c0), "c1",
                      jbytes(c1, 64), "c2", jbytes(c2, 32), "numBytes", 64);
        json_array_append_new(
            contests,
            json_pack("{s:s,s:i,s:i,s:o,s:o,s:o,s:O}", "contest_id", c_ids[c],
                      "sequence_order", c + 1, "votes_allowed", (int)c_L[c],
                      "contest_hash", jbytes(chi, 32), "selections", sels,
                      "proof",
                      range_proof(g, abar, bbar, xs, total, c_L[c] + 1),
                      "encrypted_contest_data", ecd));
        if (spoiled) {
            joint_decrypt(g, c0, c0, beta, cc, cv, c1, sizeof c1, c2);
            json_t *dcd = json_pack(
                "{s:{s:[],s:[],s:s},s:O,s:{s:o,s:o},s:o}", "contest_data",
                "over_votes", "write_ins", "status", "normal",
                "encrypted_contest_data", ecd, "proof", "challenge", jq(g, cc),
                "response", jq(g, cv), "beta", jelem(g, beta));
            json_array_append_new(dcontests,
                                  json_pack("{s:s,s:o,s:o}", "contest_id",
                                            c_ids[c], "selections", dsels,
                                            "decrypted_contest_data", dcd));
        } else {
            json_decref(dsels);
        }
        json_decref(ecd); /* held by the contest (and dcd) */
        mpz_clears(cxi, c0, beta, cc, cv, NULL);
    }
    /* B_aux and the confirmation code (eq 58-60, egk rows 3-5) */
    uint8_t baux[32 + BAUX0_LEN];
    size_t blen;
    if (!g->chaining) {
        memcpy(baux, baux0, BAUX0_LEN);
        blen = BAUX0_LEN;
    } else if (ch->n == 0) {
        sc_eg20_chain_hash(g->he, baux0, BAUX0_LEN, baux);
        blen = 32;
    } else {
        memcpy(baux, ch->prev, 32);
        memcpy(baux + 32, baux0, BAUX0_LEN);
        blen = 32 + BAUX0_LEN;
    }
    uint8_t code[32];
    sc_eg20_confirmation_code(g->he, nchi, chis, baux, blen, code);
    memcpy(ch->prev, code, 32);
    ch->n++;
    json_array_append_new(ch->ids, json_string(id));
    json_t *jb =
        json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:b}", "ballot_id", id,
                  "ballot_style_id", style == 1 ? "style1" : "style2",
                  "encrypting_device", device, "code_baux", jbytes(baux, blen),
                  "confirmation_code", jbytes(code, 32), "election_id",
                  jbytes(g->he, 32), "contests", contests, "state",
                  spoiled ? "SPOILED" : "CAST", "is_preencrypt", 0);
    char rel[256];
    snprintf(rel, sizeof rel, "encrypted_ballots/%s/eballot-%s.json", device,
             id);
    write_json(g, rel, jb);
    if (spoiled) {
        snprintf(rel, sizeof rel, "challenged_ballots/dballot-%s.json", id);
        write_json(g, rel,
                   json_pack("{s:s,s:o}", "id", id, "contests", dcontests));
    } else {
        json_decref(dcontests);
        json_array_append_new(g->cast_ids, json_string(id));
    }
    for (int o = 0; o < MAXO; o++) {
        mpz_clears(xi[o], al[o], be[o], NULL);
    }
    mpz_clears(t, xs, abar, bbar, NULL);
}

static void close_chain(gen *g, const char *device, chain *ch)
{
    uint8_t buf[32 + BAUX0_LEN + 5];
    uint8_t close[32];
    memcpy(buf, ch->prev, 32);
    memcpy(buf + 32, baux0, BAUX0_LEN);
    memcpy(buf + 32 + BAUX0_LEN, "CLOSE", 5);
    sc_eg20_chain_hash(g->he, buf, sizeof buf, close); /* eq 61 */
    uint8_t h0[32];
    sc_eg20_chain_hash(g->he, baux0, BAUX0_LEN, h0);
    char rel[256];
    snprintf(rel, sizeof rel, "encrypted_ballots/%s/ballot_chain.json", device);
    write_json(g, rel,
               json_pack("{s:s,s:o,s:O,s:o,s:b,s:o}", "encrypting_device",
                         device, "baux0", jbytes(h0, 32), "ballot_ids", ch->ids,
                         "last_confirmation_code", jbytes(ch->prev, 32),
                         "chaining", 1, "closing_hash", jbytes(close, 32)));
}

/* U (the guardians present at decryption) is a bit mask: bit i-1 for G_i. */
static void make_record(gen *g, const char *name, int chaining, unsigned umask)
{
    char cmd[1200];
    snprintf(g->dir, sizeof g->dir, "%s/%s", getenv("SC_V20_TMP"), name);
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s' && mkdir -p '%s/encrypted_ballots/devA' "
             "'%s/encrypted_ballots/devB' '%s/challenged_ballots'",
             g->dir, g->dir, g->dir, g->dir);
    assert_int_equal(system(cmd), 0);
    g->chaining = chaining;
    setup_election(g);
    for (int c = 0; c < NC; c++) {
        for (int o = 0; o < MAXO; o++) {
            mpz_set_ui(g->aggA[c][o], 1);
            mpz_set_ui(g->aggB[c][o], 1);
        }
    }
    g->cast_ids = json_array();
    for (int i = 0; i < NG; i++) {
        g->used_U[i] = (umask >> i) & 1u;
    }
    static const uint32_t v1[NC][MAXO] = {{1, 0, 0}, {1, 1, 0}, {0, 1, 0}};
    static const uint32_t v2[NC][MAXO] = {{0, 0, 1}, {2, 0, 0}, {1, 0, 0}};
    static const uint32_t v3[NC][MAXO] = {{0, 0, 0}, {0, 0, 1}, {0, 0, 0}};
    static const struct {
        int dev, bno, style, spoiled;
        const uint32_t (*votes)[MAXO];
    } ballots[6] = {
        {0, 1, 2, 0, v1}, {0, 2, 1, 0, v2}, {0, 3, 2, 1, v2}, /* challenged */
        {0, 4, 2, 0, v3}, {1, 1, 1, 0, v3}, {1, 2, 2, 0, v1},
    };
    chain chains[2] = {{.n = 0, .ids = json_array()},
                       {.n = 0, .ids = json_array()}};
    static const char *const devs[2] = {"devA", "devB"};
    /* the small record (fuzz seeds): one cast and one challenged ballot */
    long tallies[NC][MAXO] = {{0}};
    for (int b = 0; b < 6; b++) {
        if (g->small && b >= 3) {
            break;
        }
        if (g->small && b == 1) {
            continue;
        }
        make_ballot(g, devs[ballots[b].dev], &chains[ballots[b].dev],
                    ballots[b].bno, ballots[b].style, ballots[b].spoiled,
                    ballots[b].votes);
        for (int c = 0; c < NC && !ballots[b].spoiled; c++) {
            if (ballots[b].style == 1 && strcmp(c_dist[c], "d2") == 0) {
                continue;
            }
            for (int o = 0; o < MAXO; o++) {
                tallies[c][o] += ballots[b].votes[c][o];
            }
        }
    }
    for (int d = 0; d < 2; d++) {
        if (chaining && chains[d].n > 0) {
            close_chain(g, devs[d], &chains[d]);
        }
        json_decref(chains[d].ids);
    }
    /* encrypted tally (eq 62) and its quorum decryption */
    json_t *etc = json_array();
    json_t *tc = json_array();
    for (int c = 0; c < NC; c++) {
        json_t *es = json_array();
        json_t *ts = json_array();
        for (uint32_t o = 0; o < c_nopt[c]; o++) {
            char sid[64];
            snprintf(sid, sizeof sid, "%s-option%u", c_ids[c], o + 1);
            json_array_append_new(
                es, json_pack("{s:s,s:i,s:{s:o,s:o}}", "selection_id", sid,
                              "sequence_order", o + 1, "encrypted_vote", "pad",
                              jelem(g, g->aggA[c][o]), "data",
                              jelem(g, g->aggB[c][o])));
            json_array_append_new(ts,
                                  dec_selection(g, sid, g->aggA[c][o],
                                                g->aggB[c][o], tallies[c][o]));
        }
        json_array_append_new(etc, json_pack("{s:s,s:i,s:o}", "contest_id",
                                             c_ids[c], "sequence_order", c + 1,
                                             "selections", es));
        json_array_append_new(tc, json_pack("{s:s,s:o}", "contest_id", c_ids[c],
                                            "selections", ts));
    }
    write_json(g, "encrypted_tally.json",
               json_pack("{s:s,s:o,s:o,s:o}", "tally_id", name, "contests", etc,
                         "cast_ballot_ids", g->cast_ids, "election_id",
                         jbytes(g->he, 32)));
    write_json(g, "tally.json",
               json_pack("{s:s,s:o,s:o}", "id", name, "contests", tc,
                         "election_id", jbytes(g->he, 32)));
}

/* ---- tests ---- */

static gen G;

static int setup(void **state)
{
    (void)state;
    assert_int_equal(sc_init(), SC_OK);
    static char tmp[128];
    snprintf(tmp, sizeof tmp, "/tmp/sc_v20gen_XXXXXX");
    assert_non_null(mkdtemp(tmp));
    setenv("SC_V20_TMP", tmp, 1);
    G.grp = t_group(SC_GROUP_STANDARD);
    G.rng = t_rng(2020);
    mpz_init(G.K);
    for (int i = 0; i < NG; i++) {
        mpz_init(G.P[i]);
        for (int j = 0; j < KQ; j++) {
            mpz_init(G.a[i][j]);
        }
    }
    for (int c = 0; c < NC; c++) {
        for (int o = 0; o < MAXO; o++) {
            mpz_inits(G.aggA[c][o], G.aggB[c][o], NULL);
        }
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", getenv("SC_V20_TMP"));
    int rc = system(cmd);
    mpz_clear(G.K);
    for (int i = 0; i < NG; i++) {
        mpz_clear(G.P[i]);
        for (int j = 0; j < KQ; j++) {
            mpz_clear(G.a[i][j]);
        }
    }
    for (int c = 0; c < NC; c++) {
        for (int o = 0; o < MAXO; o++) {
            mpz_clears(G.aggA[c][o], G.aggB[c][o], NULL);
        }
    }
    sc_rng_free(G.rng);
    sc_group_free(G.grp);
    return rc == 0 ? 0 : -1;
}

static sc_report *verify(const char *dir, int threads, uint32_t skip)
{
    sc_report *rep = NULL;
    sc_verify20_opts o = {.threads = threads, .skip_steps = skip};
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    assert_int_equal(sc_verify20_record(dir, &o, rep), SC_OK);
    if (sc_report_exit_code(rep) != SC_EXIT_VALID) {
        sc_report_print_text(rep, stderr, 20);
    }
    return rep;
}

static void chained_quorum_styles(void **state)
{
    (void)state;
    make_record(&G, "chained", 1, 0x1 | 0x4); /* U = {1, 3} */
    sc_report *rep = verify(G.dir, 2, 0);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    assert_int_equal(sc_report_errors(rep, NULL), 0);
    sc_report_free(rep);
    /* the same verdict with another thread count */
    rep = verify(G.dir, 3, SC_V20_SKIP(5) | SC_V20_SKIP(6));
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    sc_report_free(rep);
}

static void unchained(void **state)
{
    (void)state;
    make_record(&G, "plain", 0, 0x2 | 0x4 | 0x8); /* U = {2, 3, 4} */
    sc_report *rep = verify(G.dir, 1, 0);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    assert_int_equal(sc_report_errors(rep, NULL), 0);
    sc_report_free(rep);
}

static void below_quorum_decryption(void **state)
{
    (void)state;
    /* option 1 of contest 1 decrypted by guardian 1 alone (|U| < k): M is
     * not A^s, so the joint proof (9.B) and T = K^t (10.A) must fail */
    make_record(&G, "badquorum", 0, 0x1 | 0x8);
    memset(G.used_U, 0, sizeof G.used_U);
    G.used_U[0] = 1;
    char path[1024];
    snprintf(path, sizeof path, "%s/tally.json", G.dir);
    json_t *t = json_load_file(path, 0, NULL);
    assert_non_null(t);
    json_t *sels = json_object_get(
        json_array_get(json_object_get(t, "contests"), 0), "selections");
    json_t *old = json_array_get(sels, 0);
    long tally = (long)json_integer_value(json_object_get(old, "tally"));
    json_array_set_new(sels, 0,
                       dec_selection(&G, "president-option1", G.aggA[0][0],
                                     G.aggB[0][0], tally));
    assert_int_equal(json_dump_file(t, path, JSON_INDENT(4)), 0);
    json_decref(t);
    sc_report *rep =
        verify(G.dir, 2, 0x7FFEu & ~(SC_V20_SKIP(9) | SC_V20_SKIP(10)));
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(rep, "V9.B"), 1);
    assert_int_equal(sc_report_failures(rep, "V10.A"), 1);
    assert_int_equal(sc_report_failures(rep, "V9"), 1);
    sc_report_free(rep);
}

/* A record on the toy-q64 group (small: fuzz seeds, tests/fuzz/
 * mkseeds.py): valid when the caller allows test parameters, refused at
 * V1.B-E otherwise. SC_V20_TOY_OUT=DIR keeps a copy in DIR. */
static void toy_group(void **state)
{
    (void)state;
    sc_group *std = G.grp;
    G.grp = t_group(SC_GROUP_TOY_Q64);
    G.small = 1;
    make_record(&G, "toy", 1, 0x1 | 0x2);
    sc_report *rep = NULL;
    sc_verify20_opts o = {.threads = 1, .allow_test_parameters = 1};
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    assert_int_equal(sc_verify20_record(G.dir, &o, rep), SC_OK);
    if (sc_report_exit_code(rep) != SC_EXIT_VALID) {
        sc_report_print_text(rep, stderr, 20);
    }
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    assert_int_equal(sc_report_errors(rep, NULL), 0);
    sc_report_free(rep);
    o.allow_test_parameters = 0;
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    assert_int_equal(sc_verify20_record(G.dir, &o, rep), SC_OK);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(rep, "V1.B"), 1);
    assert_int_equal(sc_report_failures(rep, "V1.E"), 1);
    sc_report_free(rep);
    const char *keep = getenv("SC_V20_TOY_OUT");
    if (keep != NULL) {
        char cmd[2200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", keep, G.dir,
                 keep);
        assert_int_equal(system(cmd), 0);
    }
    sc_group_free(G.grp);
    G.grp = std;
    G.small = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chained_quorum_styles),
        cmocka_unit_test(unchained),
        cmocka_unit_test(below_quorum_decryption),
        cmocka_unit_test(toy_group),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
