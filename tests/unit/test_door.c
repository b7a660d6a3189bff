/* The ballot check at the door (scrutin/verify.h sc_door_*): every ballot
 * of a toy record (made with the pipeline's library, tests/tamper/
 * gen_record.c) passes in device order, also from several threads at
 * once on one door; each tampered ballot fails at the condition its
 * change violates, named in the verdict, the step and the reason; the
 * elements 0, 1, p - 1, p and non-members are refused. */
#include "testlib.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen_record.h"
#include "scrutin/verify.h"

static char g_dir[512];
static sc_door *g_door;
static sc_group *g_grp;

typedef struct dev_lines {
    sc_door_device dev;
    char **l;
    size_t n;
} dev_lines;
static dev_lines g_dev[2];

static void load_devices(void)
{
    char path[700];
    snprintf(path, sizeof path, "%s/devices.json", g_dir);
    json_t *j = json_load_file(path, 0, NULL);
    assert_non_null(j);
    json_t *ds = json_object_get(j, "devices");
    assert_int_equal(json_array_size(ds), 2);
    for (size_t d = 0; d < 2; d++) {
        json_t *x = json_array_get(ds, d);
        const char *s = json_string_value(json_object_get(x, "device"));
        const char *ch = json_string_value(json_object_get(x, "chaining"));
        sc_door_device_init(g_door, &g_dev[d].dev, (uint32_t)d + 1, s,
                            strlen(s),
                            strcmp(ch, "simple") == 0 ? SC_DOOR_CHAIN_SIMPLE
                                                      : SC_DOOR_CHAIN_NONE);
        /* the door's H_DI is the record's (eq 72) */
        uint8_t h[32];
        t_bytes_hex(h, 32, json_string_value(json_object_get(x, "h_di")));
        assert_memory_equal(h, g_dev[d].dev.h_di, 32);
        snprintf(path, sizeof path, "%s/ballots/device_%zu.jsonl", g_dir,
                 d + 1);
        size_t len = 0;
        char *buf = t_read_file(path, &len);
        assert_non_null(buf);
        char *save = NULL;
        for (char *s2 = strtok_r(buf, "\n", &save); s2 != NULL;
             s2 = strtok_r(NULL, "\n", &save)) {
            g_dev[d].l = realloc(g_dev[d].l, (g_dev[d].n + 1) * sizeof(char *));
            g_dev[d].l[g_dev[d].n++] = strdup(s2);
        }
        free(buf);
    }
    assert_int_equal(g_dev[0].dev.chaining, SC_DOOR_CHAIN_SIMPLE);
    assert_int_equal(g_dev[1].dev.chaining, SC_DOOR_CHAIN_NONE);
    json_decref(j);
}

/* Check line `s` as ballot `seq` of device d (0-based) with prev. */
static sc_door_result check(size_t d, uint64_t seq, const uint8_t *prev,
                            const char *s)
{
    sc_door_result r, rj;
    assert_int_equal(
        sc_door_check(g_door, &g_dev[d].dev, seq, prev, s, strlen(s), &r),
        SC_OK);
    /* The board parses the line once and hands it over: same answer. */
    json_t *j = json_loadb(s, strlen(s), JSON_REJECT_DUPLICATES, NULL);
    assert_int_equal(
        sc_door_check_json(g_door, &g_dev[d].dev, seq, prev, j, &rj), SC_OK);
    json_decref(j);
    assert_int_equal(rj.verdict, r.verdict);
    assert_string_equal(rj.step, r.step);
    assert_string_equal(rj.reason, r.reason);
    assert_memory_equal(rj.code, r.code, 32);
    return r;
}

/* The confirmation code of line i of device d. */
static void code_of(size_t d, size_t i, uint8_t out[32])
{
    json_t *j = json_loads(g_dev[d].l[i], 0, NULL);
    t_bytes_hex(out, 32,
                json_string_value(json_object_get(j, "confirmation_code")));
    json_decref(j);
}

static void all_pass(void **state)
{
    (void)state;
    for (size_t d = 0; d < 2; d++) {
        uint8_t prev[32];
        sc_door_chain_start(g_door, &g_dev[d].dev, prev);
        size_t nch = 0;
        for (size_t i = 0; i < g_dev[d].n; i++) {
            sc_door_result r = check(d, i + 1, prev, g_dev[d].l[i]);
            if (r.verdict != SC_DOOR_ACCEPT) {
                fail_msg("device %zu ballot %zu: %s", d + 1, i + 1, r.reason);
            }
            assert_string_equal(r.step, "");
            assert_int_equal(r.sequence, i + 1);
            assert_int_equal(r.device, d + 1);
            uint8_t code[32];
            code_of(d, i, code);
            assert_memory_equal(code, r.code, 32);
            memcpy(prev, r.code, 32);
            nch += (size_t)r.challenged;
        }
        assert_true(nch > 0); /* challenged ballots (S3, S4) were met */
    }
}

/* ------------------------------------------------------------------ */
/* Several threads on one door. */

static void *thread_all(void *arg)
{
    long bad = 0;
    (void)arg;
    for (size_t d = 0; d < 2; d++) {
        uint8_t prev[32];
        sc_door_chain_start(g_door, &g_dev[d].dev, prev);
        for (size_t i = 0; i < g_dev[d].n; i++) {
            sc_door_result r;
            if (sc_door_check(g_door, &g_dev[d].dev, i + 1, prev, g_dev[d].l[i],
                              strlen(g_dev[d].l[i]), &r) != SC_OK ||
                r.verdict != SC_DOOR_ACCEPT) {
                bad++;
            }
            memcpy(prev, r.code, 32);
        }
    }
    return (void *)bad;
}

static void concurrent(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, thread_all, NULL), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *bad = NULL;
        pthread_join(t[i], &bad);
        assert_int_equal((long)bad, 0);
    }
}

/* ------------------------------------------------------------------ */
/* Tampering. */

static json_t *jpath(json_t *root, const char *path, const char **last)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    char *dot = strrchr(buf, '.');
    json_t *cur = root;
    *last = buf;
    if (dot != NULL) {
        *dot = '\0';
        *last = dot + 1;
        char *save = NULL;
        for (char *t = strtok_r(buf, ".", &save); t != NULL;
             t = strtok_r(NULL, ".", &save)) {
            cur = json_is_array(cur) ? json_array_get(cur, (size_t)atoi(t))
                                     : json_object_get(cur, t);
            assert_non_null(cur);
        }
    }
    return cur;
}

static void jset(json_t *root, const char *path, json_t *v)
{
    const char *key;
    json_t *parent = jpath(root, path, &key);
    if (json_is_array(parent)) {
        assert_int_equal(json_array_set_new(parent, (size_t)atoi(key), v), 0);
    } else {
        assert_int_equal(json_object_set_new(parent, key, v), 0);
    }
}

static const char *jget(json_t *root, const char *path)
{
    const char *key;
    json_t *parent = jpath(root, path, &key);
    json_t *v = json_is_array(parent)
                    ? json_array_get(parent, (size_t)atoi(key))
                    : json_object_get(parent, key);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

enum op { FLIP, SC_INC, SC_Q, EL_ZERO, EL_ONE, EL_PM1, EL_P, EL_MUL_G };

static char *tampered(size_t d, size_t i, const char *path, enum op op)
{
    json_t *j = json_loads(g_dev[d].l[i], 0, NULL);
    assert_non_null(j);
    char *v = strdup(jget(j, path));
    size_t n = strlen(v);
    char out[1100];
    mpz_t x;
    mpz_init_set_str(x, v, 16);
    switch (op) {
    case FLIP:
        v[n - 1] = v[n - 1] == '0' ? '1' : '0';
        snprintf(out, sizeof out, "%s", v);
        break;
    case SC_INC:
        mpz_add_ui(x, x, 1);
        mpz_mod(x, x, g_grp->q);
        sc_scalar_to_hex(g_grp, out, x);
        break;
    case SC_Q: sc_scalar_to_hex(g_grp, out, g_grp->q); break;
    case EL_ZERO: mpz_set_ui(x, 0); goto elem;
    case EL_ONE: mpz_set_ui(x, 1); goto elem;
    case EL_PM1: mpz_sub_ui(x, g_grp->p, 1); goto elem;
    case EL_P: mpz_set(x, g_grp->p); goto elem;
    case EL_MUL_G:
        mpz_mul(x, x, g_grp->g);
        mpz_mod(x, x, g_grp->p);
    elem:
        sc_elem_to_hex(g_grp, out, x);
        break;
    }
    mpz_clear(x);
    free(v);
    jset(j, path, json_string(out));
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

/* Index of the first line of device d with this state. */
static size_t first(size_t d, const char *state)
{
    for (size_t i = 0; i < g_dev[d].n; i++) {
        if (strstr(g_dev[d].l[i], state) != NULL) {
            return i;
        }
    }
    fail_msg("no %s ballot on device %zu", state, d + 1);
    return 0;
}

/* Ballot i of device d, changed, checked in its right place. */
static sc_door_result check_at(size_t d, size_t i, const char *s)
{
    uint8_t prev[32];
    if (i == 0) {
        sc_door_chain_start(g_door, &g_dev[d].dev, prev);
    } else {
        code_of(d, i - 1, prev);
    }
    return check(d, i + 1, prev, s);
}

static void expect(sc_door_result r, sc_door_verdict v, const char *step)
{
    if (r.verdict != v || strcmp(r.step, step) != 0) {
        fail_msg("want %s (verdict %d), got %s (verdict %d): %s", step, (int)v,
                 r.step, (int)r.verdict, r.reason);
    }
    /* the reason names the step and is one line */
    assert_int_equal(strncmp(r.reason, step, strlen(step)), 0);
    assert_null(strchr(r.reason, '\n'));
}

static void tamper_steps(void **state)
{
    (void)state;
    static const struct {
        size_t d;
        const char *state, *path;
        enum op op;
        const char *step;
    } cs[] = {
        {1, "\"Cast\"", "h_i", FLIP, "V5.B"},
        {1, "\"Challenged\"", "h_i", FLIP, "V5.B"},
        {1, "\"Cast\"", "contests.0.fields.0.alpha", EL_PM1, "V6.A"},
        {1, "\"Cast\"", "contests.0.fields.0.beta", EL_ZERO, "V6.A"},
        {1, "\"Cast\"", "contests.0.fields.0.alpha", EL_P, "V6.A"},
        {0, "\"Cast\"", "contests.0.fields.0.beta", EL_PM1, "V6.A"},
        {1, "\"Cast\"", "contests.0.fields.0.proof.c.0", SC_Q, "V6.B"},
        {1, "\"Cast\"", "contests.0.fields.0.proof.v.1", SC_Q, "V6.C"},
        {1, "\"Cast\"", "contests.0.fields.0.proof.v.0", SC_INC, "V6.D"},
        {1, "\"Cast\"", "contests.0.fields.0.beta", EL_MUL_G, "V6.D"},
        {1, "\"Cast\"", "contests.0.limit_proof.c.0", SC_Q, "V7.B"},
        {1, "\"Cast\"", "contests.0.limit_proof.v.1", SC_Q, "V7.C"},
        {1, "\"Cast\"", "contests.0.limit_proof.v.0", SC_INC, "V7.D"},
        {1, "\"Cast\"", "contests.0.contest_hash", FLIP, "V8.A"},
        {1, "\"Cast\"", "confirmation_code", FLIP, "V8.B"},
        {0, "\"Cast\"", "confirmation_code", FLIP, "V8.B"},
        {1, "\"Cast\"", "chaining_field", FLIP, "V8.D"},
        {1, "\"Cast\"", "ballot_nonce.c0", EL_PM1, "S2.A"},
        {1, "\"Cast\"", "ballot_nonce.v", SC_Q, "S2.B"},
        {1, "\"Cast\"", "ballot_nonce.c1", FLIP, "S2.C"},
        {1, "\"Challenged\"", "contests.0.fields.0.proof.v.0", SC_INC, "S3.D"},
        {1, "\"Challenged\"", "contests.0.fields.0.alpha", EL_ZERO, "S3.A"},
        {1, "\"Challenged\"", "contests.0.limit_proof.v.0", SC_INC, "S4.D"},
    };
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        size_t i = first(cs[k].d, cs[k].state);
        char *s = tampered(cs[k].d, i, cs[k].path, cs[k].op);
        sc_door_result r = check_at(cs[k].d, i, s);
        expect(r, SC_DOOR_INVALID, cs[k].step);
        free(s);
    }
}

/* Elements 0, 1, p - 1, p, a non-member: every one refused, wherever it
 * stands (α, β of a selection, C_0 of the ballot nonce). */
static void bad_elements(void **state)
{
    (void)state;
    static const char *const paths[] = {"contests.0.fields.0.alpha",
                                        "contests.0.fields.1.beta",
                                        "ballot_nonce.c0"};
    static const enum op ops[] = {EL_ZERO, EL_ONE, EL_PM1, EL_P, EL_MUL_G};
    size_t i = first(1, "\"Cast\"");
    for (size_t a = 0; a < 3; a++) {
        for (size_t o = 0; o < 5; o++) {
            char *s = tampered(1, i, paths[a], ops[o]);
            sc_door_result r = check_at(1, i, s);
            if (r.verdict != SC_DOOR_INVALID) {
                fail_msg("%s op %zu accepted or misclassed: %s", paths[a], o,
                         r.reason);
            }
            free(s);
        }
    }
    /* not in [1, p): the membership condition itself fails */
    char *s = tampered(1, i, "contests.0.fields.0.alpha", EL_ZERO);
    expect(check_at(1, i, s), SC_DOOR_INVALID, "V6.A");
    free(s);
}

static void position(void **state)
{
    (void)state;
    uint8_t prev[32], h0[32];
    sc_door_chain_start(g_door, &g_dev[0].dev, h0);
    /* S1.A: checked as the wrong sequence number */
    code_of(1, 0, prev);
    expect(check(1, 3, prev, g_dev[1].l[1]), SC_DOOR_POSITION, "S1.A");
    /* S1.D: device 2's ballot at device 1's door */
    code_of(0, 0, prev);
    expect(check(0, 2, prev, g_dev[1].l[1]), SC_DOOR_POSITION, "S1.D");
    /* 8.F: the first chained ballot's field changed */
    char *s = tampered(0, 0, "chaining_field", FLIP);
    expect(check(0, 1, h0, s), SC_DOOR_POSITION, "V8.F");
    free(s);
    /* 8.E: ballot 3 after ballot 1 (as if 2 were skipped): its field names
     * ballot 2, sequence says 3 */
    code_of(0, 0, prev);
    expect(check(0, 3, prev, g_dev[0].l[2]), SC_DOOR_POSITION, "V8.E");
    /* 8.E: a fork, ballot 2 with another predecessor code */
    code_of(0, 2, prev);
    expect(check(0, 2, prev, g_dev[0].l[1]), SC_DOOR_POSITION, "V8.E");
    /* the right previous code is needed */
    sc_door_result r;
    assert_int_equal(sc_door_check(g_door, &g_dev[0].dev, 2, NULL,
                                   g_dev[0].l[1], strlen(g_dev[0].l[1]), &r),
                     SC_E_MISUSE);
}

static void malformed(void **state)
{
    (void)state;
    uint8_t h0[32];
    sc_door_chain_start(g_door, &g_dev[1].dev, h0);
    static const char *const bad[] = {
        "",
        "not json",
        "[1,2]",
        "{}",
        "{\"id\":\"x\",\"state\":\"Cast\"}",
        "{\"id\":\"a\nb\",\"sequence\":1,\"device\":2}"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        sc_door_result r = check(1, 1, h0, bad[k]);
        if (r.verdict != SC_DOOR_MALFORMED) {
            fail_msg("input %zu: verdict %d %s", k, (int)r.verdict, r.reason);
        }
        assert_null(strchr(r.reason, '\n'));
    }
    /* S1.C: one contest dropped */
    json_t *j = json_loads(g_dev[1].l[0], 0, NULL);
    json_array_remove(json_object_get(j, "contests"), 0);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    expect(check(1, 1, h0, s), SC_DOOR_MALFORMED, "S1.C");
    free(s);
    /* a hex value one digit short: cannot be read */
    j = json_loads(g_dev[1].l[0], 0, NULL);
    const char *hc = json_string_value(json_object_get(j, "confirmation_code"));
    json_object_set_new(j, "confirmation_code", json_string(hc + 1));
    s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    sc_door_result r = check(1, 1, h0, s);
    assert_int_equal(r.verdict, SC_DOOR_MALFORMED);
    free(s);
}

static void construction(void **state)
{
    (void)state;
    char err[256];
    sc_door *d = NULL;
    /* the standard parameters only, unless test sets are allowed */
    assert_int_not_equal(sc_door_new_from_dir(&d, g_dir, 0, err, sizeof err),
                         SC_OK);
    assert_null(d);
    assert_int_not_equal(
        sc_door_new_from_dir(&d, "/nonexistent", 1, err, sizeof err), SC_OK);
    /* a published H_E that is not H(H_B; 0x14, K, K-hat) is refused */
    char path[700];
    snprintf(path, sizeof path, "%s/hashes_ext.json", g_dir);
    size_t len = 0;
    char *orig = t_read_file(path, &len);
    json_t *j = json_loads(orig, 0, NULL);
    char he[65];
    snprintf(he, sizeof he, "%s", json_string_value(json_object_get(j, "h_e")));
    he[0] = he[0] == '0' ? '1' : '0';
    json_object_set_new(j, "h_e", json_string(he));
    json_dump_file(j, path, JSON_COMPACT);
    json_decref(j);
    assert_int_equal(sc_door_new_from_dir(&d, g_dir, 1, err, sizeof err),
                     SC_E_VERIFY);
    assert_non_null(strstr(err, "h_e"));
    FILE *f = fopen(path, "wb");
    fwrite(orig, 1, len, f);
    fclose(f);
    free(orig);
    assert_int_equal(sc_door_new_from_dir(&d, g_dir, 1, err, sizeof err),
                     SC_OK);
    assert_memory_equal(sc_door_h_e(d), sc_door_h_e(g_door), 32);
    sc_door_free(d);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/sc_door_%d", (int)getpid());
    tg_opts o = {SC_GROUP_TOY_Q64, 6, 2, 3, 4, 11, 0};
    if (tg_make_record(g_dir, &o) != SC_OK) {
        return -1;
    }
    char err[256];
    if (sc_door_new_from_dir(&g_door, g_dir, 1, err, sizeof err) != SC_OK) {
        fprintf(stderr, "door: %s\n", err);
        return -1;
    }
    g_grp = t_group(SC_GROUP_TOY_Q64);
    load_devices();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s.secrets'", g_dir, g_dir);
    if (system(cmd) != 0) {
        return -1;
    }
    for (size_t d = 0; d < 2; d++) {
        for (size_t i = 0; i < g_dev[d].n; i++) {
            free(g_dev[d].l[i]);
        }
        free(g_dev[d].l);
    }
    sc_door_free(g_door);
    sc_group_free(g_grp);
    return 0;
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_pass),     cmocka_unit_test(concurrent),
        cmocka_unit_test(tamper_steps), cmocka_unit_test(bad_elements),
        cmocka_unit_test(position),     cmocka_unit_test(malformed),
        cmocka_unit_test(construction),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
