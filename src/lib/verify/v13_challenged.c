/* Verification 13 (correctness of decryptions for challenged ballots)
 * and 14 (well-formedness and content of challenged ballots), spec
 * §6.2.7, from the openings of challenged.jsonl (§3.6.7: the guardians
 * decrypted ξ_B and published the derived nonces ξ_i,j).
 *
 * 13: (13.1) α_i,j = g^ξ_i,j, (13.2) β_i,j = K^(σ_i,j + ξ_i,j),
 * (13.3) χ_i from them, (13.B) H_C = H(H_I; 0x29, χ_1, ..., B_C). A contest
 * not opened, or only partly opened (an option missing), uses its
 * published χ (RLA rule, AMBIGUITIES 12). Contest data (format 2): the
 * opening gives the contest data nonce ξ_i = H_q(H_I; 0x25, ind_c, ξ_B)
 * (eq 64) and the decrypted D; (13.4) α = g^ξ_i, (13.5) β = K̂^ξ_i,
 * (13.6) h = H(H_I; 0x26, ind_c, α, β), (13.7) k_l (eq 66, 1-based,
 * AMBIGUITIES 4) and (13.A) C_1 = D_1 ⊕ k_1 ‖ ... . 13.A as written does
 * not tie ξ_i to the ballot: any ξ' with D' = C_1 ⊕ k(ξ') would pass, so
 * Scrutin reads 13.A as also requiring α = C_0 (the opening decrypts this
 * ciphertext).
 *
 * 14 works on contest and option indices (the opening names them by
 * index; labels come from the manifest): 14.A the contest is in the
 * ballot's style, 14.B every contest of the style is opened (AMBIGUITIES
 * 5: "the decrypted challenged ballot"), 14.C no option beyond the
 * manifest's, 14.D every manifest option present, 14.E 0 <= σ <= R,
 * 14.F Σ σ <= L. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

/* Recompute (13.1)-(13.3) for one fully opened contest; *diff names the
 * first option whose recomputed encryption differs from the ballot's. */
static void recompute_contest(const vr_ctx *ctx, const vr_ballot *b,
                              const vr_bcontest *bc, const json_t *sel,
                              const mpz_t *xi, uint8_t chi[32], int *diff)
{
    mpz_t *al = calloc(bc->nf, sizeof *al), *be = calloc(bc->nf, sizeof *be);
    mpz_t e;
    mpz_init(e);
    *diff = 0;
    if (al == NULL || be == NULL) {
        free(al);
        free(be);
        mpz_clear(e);
        memcpy(chi, bc->chi, 32);
        return;
    }
    for (uint32_t j = 0; j < bc->nf; j++) {
        mpz_inits(al[j], be[j], NULL);
        json_int_t s = json_integer_value(json_array_get(sel, j));
        mpz_mod(e, xi[j], ctx->grp->q);
        sc_fb_pow(ctx->grp->g_fb, al[j], e); /* (13.1) */
        mpz_add_ui(e, e, (unsigned long)(s < 0 ? 0 : s));
        mpz_mod(e, e, ctx->grp->q);
        sc_fb_pow(ctx->K_fb, be[j], e); /* (13.2) */
        if (*diff == 0 && (mpz_cmp(al[j], bc->f[j].alpha) != 0 ||
                           mpz_cmp(be[j], bc->f[j].beta) != 0)) {
            *diff = (int)j + 1;
        }
    }
    /* (13.3) χ_i = H(H_I; 0x28, ind_c, α_i,1, β_i,1, ..., [C_0, C_1,
     * C_2]) with the ballot's contest data. */
    sc_contest_data_ct cdv;
    sc_eg_contest_hash(ctx->grp, b->hi, bc->index, bc->nf, (const mpz_t *)al,
                       (const mpz_t *)be, vr_contest_data_view(bc, &cdv), chi);
    for (uint32_t j = 0; j < bc->nf; j++) {
        mpz_clears(al[j], be[j], NULL);
    }
    free(al);
    free(be);
    mpz_clear(e);
}

/* 13.4-13.7 and 13.A for one opened contest with contest data: 1 if the
 * published decryption is correct, 0 if it failed (reported), -1 if it
 * could not be read (reported). */
static int check_data(const vr_ctx *ctx, const vr_ballot *b,
                      const vr_bcontest *bc, const json_t *oc, const char *w)
{
    const json_t *jn = json_object_get(oc, "data_nonce");
    const json_t *jd = json_object_get(oc, "data");
    if (jn == NULL && jd == NULL) {
        sc_report_fail(ctx->rep, "V13.A", w,
                       "the opening gives no decryption of the contest "
                       "data");
        return 0;
    }
    int ret = 1;
    uint8_t *D = malloc(bc->cd_len);
    uint8_t h[32], k[32];
    mpz_t xi, alpha, beta;
    mpz_inits(xi, alpha, beta, NULL);
    if (D == NULL || vr_hex_mpz(xi, jn, ctx->grp->lq) != SC_OK ||
        vr_hex_bytes(D, jd, bc->cd_len) != SC_OK) {
        sc_report_error(ctx->rep, "V13", w,
                        "data_nonce / data: not %zu / %zu hex digits",
                        2 * ctx->grp->lq, 2 * bc->cd_len);
        ret = -1;
        goto done;
    }
    mpz_mod(xi, xi, ctx->grp->q);
    sc_fb_pow(ctx->grp->g_fb, alpha, xi); /* (13.4) */
    sc_fb_pow(ctx->Khat_fb, beta, xi);    /* (13.5) */
    if (mpz_cmp(alpha, bc->cd_c0) != 0) {
        sc_report_fail(ctx->rep, "V13.A", w,
                       "contest data nonce: g^xi is not the ballot's C_0");
        ret = 0;
        goto done;
    }
    sc_eg_contest_data_key(ctx->grp, b->hi, bc->index, alpha, beta,
                           h); /* (13.6) */
    for (size_t l = 1; l <= bc->cd_len / 32 && ret == 1; l++) {
        sc_eg_contest_data_kdf(h, (uint32_t)l, bc->index,
                               (uint32_t)(bc->cd_len / 32), k); /* (13.7) */
        for (size_t i = 0; i < 32; i++) {
            if ((uint8_t)(D[32 * (l - 1) + i] ^ k[i]) !=
                bc->cd_c1[32 * (l - 1) + i]) {
                sc_report_fail(ctx->rep, "V13.A", w,
                               "contest data: C_1 is not D xor k (block %zu "
                               "differs)",
                               l);
                ret = 0;
                break;
            }
        }
    }
done:
    free(D);
    mpz_clears(xi, alpha, beta, NULL);
    return ret;
}

void vr_check_challenged(vr_ctx *ctx, const vr_ballot *b, const json_t *op,
                         const char *where)
{
    sc_report *rep = ctx->rep;
    const vr_style *st = &ctx->man.s[b->style - 1];
    const json_t *cs = json_object_get(op, "contests");
    uint8_t *chis = calloc(b->nc ? b->nc : 1, 32);
    uint8_t *opened = calloc(b->nc ? b->nc : 1, 1);
    int ok14 = 1, diff_contest = 0, diff_option = 0, err13 = 0, bad13a = 0;
    char w[160];
    if (chis == NULL || opened == NULL) {
        sc_report_error(rep, "V13", where, "out of memory");
        goto done;
    }
    if (!json_is_array(cs)) {
        sc_report_error(rep, "V13", where, "opening has no contests list");
        goto done;
    }
    for (uint32_t l = 0; l < b->nc; l++) {
        memcpy(chis + 32 * (size_t)l, b->c[l].chi, 32);
    }
    for (size_t k = 0; k < json_array_size(cs); k++) {
        const json_t *oc = json_array_get(cs, k);
        uint32_t idx = 0;
        if (vr_u32(json_object_get(oc, "index"), &idx) != SC_OK) {
            sc_report_error(rep, "V14", where, "opened contest %zu: no index",
                            k + 1);
            ok14 = 0;
            continue;
        }
        snprintf(w, sizeof w, "%s contest %u", where, idx);
        uint32_t pos = b->nc;
        for (uint32_t l = 0; l < b->nc; l++) {
            if (b->c[l].index == idx) {
                pos = l;
            }
        }
        /* 14.A: the contest is one of the ballot style's contests. */
        if (pos == b->nc || idx < 1 || idx > ctx->man.ncontests) {
            sc_report_fail(rep, "V14.A", w,
                           "opened contest is not in ballot style %u",
                           b->style);
            ok14 = 0;
            continue;
        }
        if (opened[pos]) {
            sc_report_fail(rep, "V14.A", w, "contest opened twice");
            ok14 = 0;
            continue;
        }
        opened[pos] = 1;
        const vr_contest *mc = &ctx->man.c[idx - 1];
        const vr_bcontest *bc = &b->c[pos];
        const json_t *sel = json_object_get(oc, "selections");
        const json_t *non = json_object_get(oc, "nonces");
        if (!json_is_array(sel) || !json_is_array(non)) {
            sc_report_error(rep, "V13", w, "selections / nonces missing");
            ok14 = 0;
            err13 = 1;
            continue;
        }
        if (json_array_size(non) != json_array_size(sel)) {
            sc_report_error(rep, "V13", w, "%zu nonces for %zu selections",
                            json_array_size(non), json_array_size(sel));
            err13 = 1;
        }
        size_t ns = json_array_size(sel);
        /* 14.C / 14.D: options against the manifest's. */
        if (ns > mc->nopt) {
            sc_report_fail(rep, "V14.C", w,
                           "%zu selections, the manifest contest has %u "
                           "options",
                           ns, mc->nopt);
            ok14 = 0;
        } else if (ns < mc->nopt) {
            sc_report_fail(rep, "V14.D", w,
                           "%zu selections: manifest options %zu..%u are "
                           "missing",
                           ns, ns + 1, mc->nopt);
            ok14 = 0;
        }
        /* 14.E / 14.F: each σ in 0..R, Σ σ <= L. */
        uint64_t sum = 0;
        int sel_ok = 1;
        for (size_t j = 0; j < ns; j++) {
            const json_t *s = json_array_get(sel, j);
            json_int_t v = json_integer_value(s);
            uint32_t R = j < mc->nopt ? mc->opt[j].limit : 0;
            if (!json_is_integer(s) || v < 0 || v > (json_int_t)R) {
                sc_report_fail(rep, "V14.E", w,
                               "option %zu: selection %lld not in 0..%u", j + 1,
                               (long long)v, R);
                ok14 = 0;
                sel_ok = 0;
            } else if (j < mc->nreal) {
                sum += (uint64_t)v; /* 14.F: the voter's options */
            }
        }
        if (sum > mc->limit) {
            sc_report_fail(rep, "V14.F", w,
                           "selections sum to %llu, the contest limit is %u",
                           (unsigned long long)sum, mc->limit);
            ok14 = 0;
        }
        /* 13.4-13.7, 13.A: the contest data's decryption. */
        if (bc->has_data) {
            int r = check_data(ctx, b, bc, oc, w);
            err13 |= r < 0;
            bad13a |= r == 0;
        }
        /* 13.1-13.3 for a fully opened contest; otherwise the published
         * χ stays (AMBIGUITIES 12). */
        if (ns != mc->nopt || json_array_size(non) != ns || !sel_ok) {
            continue;
        }
        mpz_t *xi = calloc(ns, sizeof *xi);
        if (xi == NULL) {
            continue;
        }
        int nonce_ok = 1;
        for (size_t j = 0; j < ns; j++) {
            mpz_init(xi[j]);
            if (vr_hex_mpz(xi[j], json_array_get(non, j), ctx->grp->lq) !=
                SC_OK) {
                nonce_ok = 0;
            }
        }
        if (!nonce_ok) {
            sc_report_error(rep, "V13", w, "nonces: not %zu-digit hex",
                            2 * ctx->grp->lq);
            err13 = 1;
        } else {
            int diff = 0;
            recompute_contest(ctx, b, bc, sel, (const mpz_t *)xi,
                              chis + 32 * (size_t)pos, &diff);
            if (diff && !diff_contest) {
                diff_contest = (int)idx;
                diff_option = diff;
            }
        }
        for (size_t j = 0; j < ns; j++) {
            mpz_clear(xi[j]);
        }
        free(xi);
    }
    /* 14.B: every contest of the style is on the decrypted ballot. */
    for (uint32_t l = 0; l < b->nc; l++) {
        if (!opened[l]) {
            snprintf(w, sizeof w, "%s contest %u", where, st->contests[l]);
            sc_report_fail(rep, "V14.B", w,
                           "contest of the ballot style is not opened");
            ok14 = 0;
        }
    }
    if (ok14) {
        sc_report_pass(rep, "V14", 1);
    }
    /* 13.B: H_C from the recomputed (or, unopened, published) χ. */
    uint8_t hc[32];
    sc_eg_confirmation_code(b->hi, b->nc, chis, b->bc, hc);
    if (err13) {
        /* an unreadable opening: 13.B cannot be decided (reported) */
    } else if (memcmp(hc, b->hc, 32) != 0) {
        if (diff_contest) {
            sc_report_fail(rep, "V13.B", where,
                           "H_C does not match the opening: contest %d "
                           "option %d re-encrypts (13.1-13.2) to a "
                           "different (alpha, beta)",
                           diff_contest, diff_option);
        } else {
            sc_report_fail(rep, "V13.B", where,
                           "H_C does not match the contest hashes "
                           "recomputed from the opening");
        }
    } else if (!bad13a) {
        sc_report_pass(rep, "V13", 1);
    }
done:
    free(chis);
    free(opened);
}
