/* Fuzz target: the manifest parser and canonicaliser (scrutin/manifest.h),
 * and the verifier's own manifest reader (src/lib/verify/reader.c) as a
 * differential check.
 *
 * Invariants on every input:
 *  - sc_manifest_parse returns a manifest or an error with a message;
 *  - an accepted manifest satisfies the header's promises (labels
 *    non-empty, limits 1..2^31-1, effective limits <= stated ones, styles
 *    non-empty, ascending, in range);
 *  - the canonical form is a fixed point: parsing it gives a manifest with
 *    the same canonical bytes and the same effective limits
 *    (encode(decode(x)) == x on canonical input);
 *  - the verifier's reader accepts the canonical bytes whenever every
 *    effective limit is <= 1000 (its documented bound) and derives the
 *    same effective limits and styles. */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "scrutin/manifest.h"
#include "verify/vctx.h"

static void check_manifest(const sc_manifest *m)
{
    FZ_ASSERT(m->label != NULL && m->label[0] != '\0');
    FZ_ASSERT(m->n_contests > 0 && m->n_styles > 0);
    FZ_ASSERT(m->canonical != NULL && m->canonical_len > 0);
    for (size_t i = 0; i < m->n_contests; i++) {
        const sc_manifest_contest *c = &m->contests[i];
        FZ_ASSERT(c->label != NULL && c->label[0] != '\0');
        FZ_ASSERT(c->n_options > 0);
        FZ_ASSERT(c->stated <= SC_LIMIT_MAX);
        FZ_ASSERT(c->limit <= SC_LIMIT_MAX);
        if (c->stated != 0) {
            FZ_ASSERT(c->limit <= c->stated);
        }
        for (size_t j = 0; j < c->n_options; j++) {
            const sc_manifest_option *o = &c->options[j];
            FZ_ASSERT(o->label != NULL && o->label[0] != '\0');
            FZ_ASSERT(o->stated <= SC_LIMIT_MAX);
            FZ_ASSERT(o->limit >= 1);
            if (o->stated != 0) {
                FZ_ASSERT(o->limit <= o->stated);
            }
            FZ_ASSERT(!(o->stated == 0 && c->stated == 0));
        }
        FZ_ASSERT(c->limit >= 1);
    }
    for (size_t s = 0; s < m->n_styles; s++) {
        const sc_manifest_style *st = &m->styles[s];
        FZ_ASSERT(st->label != NULL && st->label[0] != '\0');
        FZ_ASSERT(st->n_contests > 0);
        for (size_t j = 0; j < st->n_contests; j++) {
            FZ_ASSERT(st->contests[j] >= 1 && st->contests[j] <= m->n_contests);
            FZ_ASSERT(j == 0 || st->contests[j] > st->contests[j - 1]);
            FZ_ASSERT(
                sc_manifest_style_has(m, (uint32_t)(s + 1), st->contests[j]));
        }
        FZ_ASSERT(sc_manifest_style_find(m, st->label) != 0);
    }
    FZ_ASSERT(sc_manifest_style_at(m, 0) == NULL);
    FZ_ASSERT(sc_manifest_style_at(m, (uint32_t)m->n_styles + 1) == NULL);
}

static void same_limits(const sc_manifest *a, const sc_manifest *b)
{
    FZ_ASSERT(a->n_contests == b->n_contests && a->n_styles == b->n_styles);
    for (size_t i = 0; i < a->n_contests; i++) {
        FZ_ASSERT(a->contests[i].limit == b->contests[i].limit);
        FZ_ASSERT(a->contests[i].stated == b->contests[i].stated);
        FZ_ASSERT(a->contests[i].n_options == b->contests[i].n_options);
        FZ_ASSERT(strcmp(a->contests[i].label, b->contests[i].label) == 0);
        for (size_t j = 0; j < a->contests[i].n_options; j++) {
            FZ_ASSERT(a->contests[i].options[j].limit ==
                      b->contests[i].options[j].limit);
            FZ_ASSERT(strcmp(a->contests[i].options[j].label,
                             b->contests[i].options[j].label) == 0);
        }
    }
}

static void differential(const sc_manifest *m)
{
    int small = 1;
    for (size_t i = 0; i < m->n_contests; i++) {
        small &= m->contests[i].limit <= 1000;
    }
    vr_manifest vm;
    char err[256];
    sc_status rc =
        vr_manifest_parse(&vm, m->canonical, m->canonical_len, err, sizeof err);
    if (!small) {
        if (rc == SC_OK) {
            vr_manifest_free(&vm);
        }
        return;
    }
    FZ_ASSERT(rc == SC_OK);
    FZ_ASSERT(vm.ncontests == m->n_contests && vm.nstyles == m->n_styles);
    FZ_ASSERT(vm.nopt_total == sc_manifest_option_count(m));
    for (size_t i = 0; i < m->n_contests; i++) {
        FZ_ASSERT(vm.c[i].limit == m->contests[i].limit);
        FZ_ASSERT(vm.c[i].nopt == m->contests[i].n_options);
        for (size_t j = 0; j < m->contests[i].n_options; j++) {
            FZ_ASSERT(vm.c[i].opt[j].limit == m->contests[i].options[j].limit);
        }
    }
    for (size_t s = 0; s < m->n_styles; s++) {
        FZ_ASSERT(vm.s[s].n == m->styles[s].n_contests);
        FZ_ASSERT(memcmp(vm.s[s].contests, m->styles[s].contests,
                         vm.s[s].n * sizeof(uint32_t)) == 0);
    }
    vr_manifest_free(&vm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_init();
    sc_manifest *m = NULL;
    char err[512];
    err[0] = 'x';
    sc_status rc = sc_manifest_parse(&m, (const char *)data, size, "fuzz.json",
                                     err, sizeof err);
    if (rc != SC_OK) {
        FZ_ASSERT(m == NULL);
        FZ_ASSERT(SC_STATUS_CLASS(rc) == SC_E_INVALID);
        FZ_ASSERT(err[0] != '\0' && memchr(err, '\0', sizeof err) != NULL);
        /* the verifier's reader must not crash either */
        vr_manifest vm;
        if (vr_manifest_parse(&vm, data, size, err, sizeof err) == SC_OK) {
            vr_manifest_free(&vm);
        }
        return 0;
    }
    check_manifest(m);
    /* canonical form is a fixed point */
    sc_manifest *m2 = NULL;
    rc = sc_manifest_parse(&m2, (const char *)m->canonical, m->canonical_len,
                           "canonical", err, sizeof err);
    if (rc != SC_OK) {
        fprintf(stderr, "canonical form rejected: %s\n", err);
    }
    FZ_ASSERT(rc == SC_OK);
    FZ_ASSERT(m2->canonical_len == m->canonical_len &&
              memcmp(m2->canonical, m->canonical, m->canonical_len) == 0);
    same_limits(m, m2);
    if (size == m->canonical_len && memcmp(data, m->canonical, size) == 0) {
        /* input already canonical: nothing was lost or added */
        FZ_ASSERT(m2->canonical_len == size);
    }
    differential(m);
    sc_manifest_free(m2);
    sc_manifest_free(m);
    return 0;
}
