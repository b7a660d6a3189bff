/* Verification 8 (validation of confirmation codes), spec §6.2.4 and
 * §3.4: per ballot 8.A contest hashes χ_l (eq 70, l = ind_c per
 * AMBIGUITIES 1), 8.B H_C (eq 71); per device 8.C H_DI (eq 72); 8.D the
 * no-chaining field (eq 73); for simple chaining (eq 74-78) 8.E each
 * ballot's field B_C,j = 0x00000001 ‖ H_(j-1), 8.F H_0 and B_C,0 (seen
 * through the first ballot's field), 8.G the closing field and hash.
 * Chaining covers cast and challenged ballots in device order
 * (AMBIGUITIES 14). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/vctx.h"

#include "scrutin/core.h"

static void free_devices(vr_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ndev; i++) {
        free(ctx->dev[i].s_device);
    }
    free(ctx->dev);
    ctx->dev = NULL;
    ctx->ndev = 0;
}

sc_status vr_devices_load(vr_ctx *ctx)
{
    char err[512];
    json_t *j = NULL;
    sc_status rc = SC_OK;
    const char *f = "devices.json";
    rc = vr_load_json(ctx->dir, f, &j, err, sizeof err);
    if (rc != SC_OK) {
        sc_report_error(ctx->rep, "V8", f, "%s", err);
        return rc;
    }
    const json_t *ds = json_object_get(j, "devices");
    if (!json_is_array(ds)) {
        sc_report_error(ctx->rep, "V8", f, "no \"devices\" list");
        rc = SC_E_INVALID;
        goto done;
    }
    ctx->ndev = json_array_size(ds);
    ctx->dev = calloc(ctx->ndev ? ctx->ndev : 1, sizeof *ctx->dev);
    SC_ENSURE(ctx->dev != NULL, SC_E_NOMEM);
    for (size_t i = 0; i < ctx->ndev; i++) {
        const json_t *d = json_array_get(ds, i);
        vr_device *v = &ctx->dev[i];
        char where[64];
        const char *bad = "index";
        json_int_t nb;
        snprintf(where, sizeof where, "devices.json entry %zu", i + 1);
        rc = vr_u32(json_object_get(d, "index"), &v->index);
        if (rc == SC_OK && v->index != i + 1) {
            rc = SC_E_INVALID_RANGE; /* devices are listed 1, 2, ... */
        }
        const json_t *s = json_object_get(d, "device");
        if (rc == SC_OK && !json_is_string(s)) {
            bad = "device";
            rc = SC_E_INVALID;
        }
        const json_t *ch = json_object_get(d, "chaining");
        if (rc == SC_OK) {
            bad = "chaining";
            if (json_is_string(ch) &&
                strcmp(json_string_value(ch), "none") == 0) {
                v->chaining = VR_CHAIN_NONE;
            } else if (json_is_string(ch) &&
                       strcmp(json_string_value(ch), "simple") == 0) {
                v->chaining = VR_CHAIN_SIMPLE;
            } else {
                rc = SC_E_INVALID;
            }
        }
        const json_t *jb = json_object_get(d, "ballots");
        if (rc == SC_OK) {
            bad = "ballots";
            nb = json_integer_value(jb);
            if (!json_is_integer(jb) || nb < 0) {
                rc = SC_E_INVALID;
            } else {
                v->ballots = (uint64_t)nb;
            }
        }
        const json_t *cl = json_object_get(d, "closing");
        if (rc == SC_OK && v->chaining == VR_CHAIN_NONE && cl != NULL) {
            /* S1.H: a closing hash belongs to simple chaining only; one on
             * an unchained device is not checked by anything, so it must
             * not pass silently. */
            snprintf(where, sizeof where, "device %u", v->index);
            sc_report_fail(ctx->rep, "S1.H", where,
                           "\"closing\" given for a device without "
                           "chaining");
        }
        if (rc == SC_OK && v->chaining == VR_CHAIN_SIMPLE && cl != NULL) {
            bad = "closing";
            rc =
                vr_hex_bytes(v->close_bc, json_object_get(cl, "chaining_field"),
                             SC_BC_BYTES);
            if (rc == SC_OK) {
                rc = vr_hex_bytes(v->close_h, json_object_get(cl, "hash"), 32);
            }
            v->has_closing = rc == SC_OK;
        }
        if (rc == SC_OK && json_object_get(d, "h_0") != NULL) {
            bad = "h_0";
            rc = vr_hex_bytes(v->h0, json_object_get(d, "h_0"), 32);
            v->has_h0 = rc == SC_OK;
        }
        uint8_t pub[32];
        if (rc == SC_OK) {
            bad = "h_di";
            rc = vr_hex_bytes(pub, json_object_get(d, "h_di"), 32);
        }
        if (rc != SC_OK) {
            sc_report_error(ctx->rep, "V8", where, "%s: %s", bad, vr_what(rc));
            goto done;
        }
        v->s_len = json_string_length(s);
        v->s_device = malloc(v->s_len + 1);
        SC_ENSURE(v->s_device != NULL, SC_E_NOMEM);
        memcpy(v->s_device, json_string_value(s), v->s_len + 1);
        /* 8.C: H_DI = H(H_E; 0x2A, b(len, 4) ‖ S_device), eq (72). */
        sc_eg_device_hash(ctx->he, v->s_device, v->s_len, v->h_di);
        if (memcmp(pub, v->h_di, 32) != 0) {
            snprintf(where, sizeof where, "device %u", v->index);
            sc_report_fail(ctx->rep, "V8.C", where,
                           "h_di is not H(H_E; 0x2A, S_device)");
        }
    }
done:
    json_decref(j);
    if (rc != SC_OK) {
        free_devices(ctx);
    }
    return rc;
}

void vr_devices_free(vr_ctx *ctx)
{
    free_devices(ctx);
}

int vr_check_codes(const vr_ctx *ctx, const vr_ballot *b, const vr_device *dev,
                   const char *where)
{
    int ok = 1;
    uint8_t *chis = malloc(32 * (size_t)(b->nc ? b->nc : 1));
    if (chis == NULL) {
        sc_report_error(ctx->rep, "V8", where, "out of memory");
        return 0;
    }
    for (uint32_t l = 0; l < b->nc; l++) {
        const vr_bcontest *c = &b->c[l];
        mpz_t *al = calloc(c->nf ? c->nf : 1, sizeof *al);
        mpz_t *be = calloc(c->nf ? c->nf : 1, sizeof *be);
        uint8_t chi[32];
        if (al == NULL || be == NULL) {
            free(al);
            free(be);
            free(chis);
            sc_report_error(ctx->rep, "V8", where, "out of memory");
            return 0;
        }
        for (uint32_t i = 0; i < c->nf; i++) {
            al[i][0] = c->f[i].alpha[0];
            be[i][0] = c->f[i].beta[0];
        }
        /* 8.A: χ_l = H(H_I; 0x28, ind_c, α_1, β_1, ..., α_m, β_m, [C_0,
         * C_1, C_2]), eq 70 (C_2 = b(c, l_q) ‖ b(v, l_q), AMBIGUITIES
         * 2); contest data only where the manifest asks for it. */
        sc_contest_data_ct cdv;
        sc_eg_contest_hash(ctx->grp, b->hi, c->index, c->nf, (const mpz_t *)al,
                           (const mpz_t *)be, vr_contest_data_view(c, &cdv),
                           chi);
        free(al);
        free(be);
        if (memcmp(chi, c->chi, 32) != 0) {
            sc_report_fail(ctx->rep, "V8.A", where,
                           "contest %u: contest_hash is not H(H_I; 0x28, "
                           "ind_c, alpha_1, beta_1, ..., [C_0, C_1, C_2])",
                           c->index);
            ok = 0;
        }
        memcpy(chis + 32 * (size_t)l, c->chi, 32);
    }
    /* 8.D: no chaining: B_C = 0x00000000 ‖ H_DI (eq 73). */
    if (dev->chaining == VR_CHAIN_NONE) {
        uint8_t want[SC_BC_BYTES];
        sc_eg_chain_field(want, SC_CHAIN_NONE, dev->h_di);
        if (memcmp(want, b->bc, SC_BC_BYTES) != 0) {
            sc_report_fail(ctx->rep, "V8.D", where,
                           "chaining_field is not 0x00000000 ‖ H_DI of "
                           "device %u",
                           dev->index);
            ok = 0;
        }
    }
    /* 8.B: H_C = H(H_I; 0x29, χ_1 ‖ ... ‖ χ_mB ‖ B_C), eq 71, from the
     * published contest hashes (checked by 8.A) and chaining field. */
    uint8_t hc[32];
    sc_eg_confirmation_code(b->hi, b->nc, chis, b->bc, hc);
    if (memcmp(hc, b->hc, 32) != 0) {
        sc_report_fail(ctx->rep, "V8.B", where,
                       "confirmation_code is not H(H_I; 0x29, chi_1, ..., "
                       "B_C)");
        ok = 0;
    }
    free(chis);
    return ok;
}

void vr_chain_start(const vr_ctx *ctx, const vr_device *dev, vr_chain *ch)
{
    /* 8.F: B_C,0 = 0x00000001 ‖ H_DI, H_0 = H(H_E; 0x29, B_C,0) (eq 74). */
    sc_eg_chain_field(ch->bc0, SC_CHAIN_SIMPLE, dev->h_di);
    sc_eg_chain_hash(ctx->he, ch->bc0, ch->prev);
    /* format 2 publishes H_0 in devices.json (§3.7): it must be this */
    if (dev->has_h0 && memcmp(dev->h0, ch->prev, 32) != 0) {
        char where[64];
        snprintf(where, sizeof where, "device %u", dev->index);
        sc_report_fail(ctx->rep, "V8.F", where,
                       "devices.json h_0 is not H(H_E; 0x29, 0x00000001 ‖ "
                       "H_DI)");
    }
    ch->j = 0;
    ch->broken = 0;
    ch->unreadable = 0;
    ch->skip = 0;
}

void vr_chain_next(const vr_ctx *ctx, const vr_device *dev, vr_chain *ch,
                   const uint8_t bc[SC_BC_BYTES], const uint8_t hc[32],
                   const char *where)
{
    uint8_t want[SC_BC_BYTES];
    (void)dev;
    ch->j++;
    /* 8.E: B_C,j = 0x00000001 ‖ H_(j-1), H_(j-1) the previous ballot's
     * published H_C (eq 75-76), H_0 for the first (8.F). */
    sc_eg_chain_field(want, SC_CHAIN_SIMPLE, ch->prev);
    if (memcmp(want, bc, SC_BC_BYTES) != 0) {
        if (ch->j == 1) {
            sc_report_fail(ctx->rep, "V8.F", where,
                           "first ballot's chaining field is not "
                           "0x00000001 ‖ H_0, H_0 = H(H_E; 0x29, "
                           "0x00000001 ‖ H_DI)");
        } else {
            sc_report_fail(ctx->rep, "V8.E", where,
                           "chaining field is not 0x00000001 ‖ H_C of the "
                           "ballot before it (ballot %llu of the chain)",
                           (unsigned long long)ch->j);
        }
        ch->broken = 1;
    }
    memcpy(ch->prev, hc, 32);
}

void vr_chain_close(const vr_ctx *ctx, const vr_device *dev, vr_chain *ch)
{
    char where[64];
    uint8_t bc[SC_BC_BYTES], h[32];
    snprintf(where, sizeof where, "device %u closing", dev->index);
    if (ch->unreadable) {
        sc_report_error(ctx->rep, "V8", where,
                        "a ballot of the chain could not be read: the "
                        "closing (8.G) cannot be checked");
        return;
    }
    if (!dev->has_closing) {
        sc_report_fail(ctx->rep, "V8.G", where,
                       "simple chaining without a closing field and hash");
        return;
    }
    /* 8.G: B_C = 0x00000001 ‖ H(H_E; 0x2B, H_l, B_C,0) (eq 78),
     * H = H(H_E; 0x29, B_C) (eq 77). */
    sc_eg_chain_close_field(ctx->he, ch->prev, ch->bc0, bc);
    sc_eg_chain_hash(ctx->he, bc, h);
    if (memcmp(bc, dev->close_bc, SC_BC_BYTES) != 0) {
        sc_report_fail(ctx->rep, "V8.G", where,
                       "closing chaining field is not 0x00000001 ‖ "
                       "H(H_E; 0x2B, H_l, B_C,0)");
    } else if (memcmp(h, dev->close_h, 32) != 0) {
        sc_report_fail(ctx->rep, "V8.G", where,
                       "closing hash is not H(H_E; 0x29, B_C)");
    }
}
