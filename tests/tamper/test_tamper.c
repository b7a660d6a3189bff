/* The tamper corpus of the 2.1 verifier. A small toy-group record (q64,
 * two devices, one chained, challenged and weighted ballots) is made at
 * test time with the pipeline's library (gen_record.c); each case copies
 * it, changes one thing, verifies, and asserts the verifier fails at
 * exactly the lettered condition that change violates (the first failure
 * of the report, and a failure count for that condition), or, for
 * malformed input, that it reports "could not check" without crashing.
 * docs/VERIFIER.md lists the conditions covered. */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen_record.h"
#include "scrutin/core.h"
#include "scrutin/ceremony.h"
#include "scrutin/decrypt.h"
#include "scrutin/eghash.h"
#include "scrutin/elgamal.h"
#include "scrutin/report.h"
#include "scrutin/results.h"
#include "scrutin/verify.h"

static char g_base[512];
static char g_work[512];
static sc_group *g_grp;
static char g_p[1024], g_q[64], g_pm1[1024], g_qp1[64];

/* ------------------------------------------------------------------ */
/* Files. */

static void copy_file(const char *from, const char *to)
{
    size_t len = 0;
    char *buf = t_read_file(from, &len);
    assert_non_null(buf);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
    free(buf);
}

static void copy_dir(const char *from, const char *to)
{
    DIR *d = opendir(from);
    assert_non_null(d);
    mkdir(to, 0700);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char a[1024], b[1024];
        struct stat st;
        snprintf(a, sizeof a, "%s/%s", from, e->d_name);
        snprintf(b, sizeof b, "%s/%s", to, e->d_name);
        assert_int_equal(stat(a, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            copy_dir(a, b);
        } else {
            copy_file(a, b);
        }
    }
    closedir(d);
}

static void rm_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        char a[1024];
        struct stat st;
        snprintf(a, sizeof a, "%s/%s", path, e->d_name);
        if (stat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
            rm_dir(a);
        } else {
            unlink(a);
        }
    }
    closedir(d);
    rmdir(path);
}

static void fresh_copy(void)
{
    rm_dir(g_work);
    copy_dir(g_base, g_work);
}

static char *wpath(const char *name)
{
    static char p[1024];
    snprintf(p, sizeof p, "%s/%s", g_work, name);
    return p;
}

static json_t *jload(const char *name)
{
    json_error_t je;
    json_t *j = json_load_file(wpath(name), 0, &je);
    assert_non_null(j);
    return j;
}

static void jsave(const char *name, json_t *j)
{
    assert_int_equal(json_dump_file(j, wpath(name), JSON_COMPACT), 0);
    json_decref(j);
}

/* Lines of a .jsonl file. */
typedef struct lines {
    char **l;
    size_t n;
} lines;

static lines lload(const char *name)
{
    lines L = {NULL, 0};
    size_t len = 0;
    char *buf = t_read_file(wpath(name), &len);
    assert_non_null(buf);
    char *save = NULL;
    for (char *s = strtok_r(buf, "\n", &save); s != NULL;
         s = strtok_r(NULL, "\n", &save)) {
        L.l = realloc(L.l, (L.n + 1) * sizeof *L.l);
        L.l[L.n++] = strdup(s);
    }
    free(buf);
    return L;
}

static void lsave(const char *name, lines *L)
{
    FILE *f = fopen(wpath(name), "wb");
    assert_non_null(f);
    for (size_t i = 0; i < L->n; i++) {
        if (L->l[i] != NULL) {
            fprintf(f, "%s\n", L->l[i]);
        }
    }
    fclose(f);
    for (size_t i = 0; i < L->n; i++) {
        free(L->l[i]);
    }
    free(L->l);
    L->l = NULL;
    L->n = 0;
}

/* ------------------------------------------------------------------ */
/* JSON paths: "contests.0.fields.1.proof.c.0". */

static json_t *jp(json_t *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = root;
    char *save = NULL;
    for (char *t = strtok_r(buf, ".", &save); t != NULL && cur != NULL;
         t = strtok_r(NULL, ".", &save)) {
        if (json_is_array(cur)) {
            cur = json_array_get(cur, (size_t)atoi(t));
        } else {
            cur = json_object_get(cur, t);
        }
    }
    assert_non_null(cur);
    return cur;
}

static void jset(json_t *root, const char *path, json_t *v)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    char *dot = strrchr(buf, '.');
    json_t *parent = root;
    const char *key = buf;
    if (dot != NULL) {
        *dot = '\0';
        parent = jp(root, buf);
        key = dot + 1;
    }
    if (json_is_array(parent)) {
        assert_int_equal(json_array_set_new(parent, (size_t)atoi(key), v), 0);
    } else {
        assert_int_equal(json_object_set_new(parent, key, v), 0);
    }
}

/* Operations on a hex string at a path. */
enum op {
    HEXFLIP,    /* change the last digit (hashes, byte strings) */
    ELEM_MUL_G, /* x -> x g mod p: another member of Z_p^r */
    ELEM_PM1,   /* p - 1: in range, not in Z_p^r */
    ELEM_ZERO,
    ELEM_P,
    SCALAR_INC, /* x -> x + 1 mod q */
    SCALAR_Q,   /* q: not in Z_q */
    SCALAR_QP1, /* q + 1 */
    HEX_SHORT,  /* one digit fewer */
    HEX_LOWER   /* lowercase */
};

static void hexop(json_t *root, const char *path, enum op op)
{
    json_t *s = jp(root, path);
    assert_true(json_is_string(s));
    char *v = strdup(json_string_value(s));
    size_t n = strlen(v);
    mpz_t x;
    mpz_init(x);
    assert_int_equal(mpz_set_str(x, v, 16), 0);
    char out[1100];
    switch (op) {
    case HEXFLIP:
        v[n - 1] = v[n - 1] == '0' ? '1' : '0';
        snprintf(out, sizeof out, "%s", v);
        break;
    case ELEM_MUL_G:
        mpz_mul(x, x, g_grp->g);
        mpz_mod(x, x, g_grp->p);
        sc_elem_to_hex(g_grp, out, x);
        break;
    case ELEM_PM1: snprintf(out, sizeof out, "%s", g_pm1); break;
    case ELEM_ZERO:
        memset(out, '0', n);
        out[n] = 0;
        break;
    case ELEM_P: snprintf(out, sizeof out, "%s", g_p); break;
    case SCALAR_INC:
        mpz_add_ui(x, x, 1);
        mpz_mod(x, x, g_grp->q);
        sc_scalar_to_hex(g_grp, out, x);
        break;
    case SCALAR_Q: snprintf(out, sizeof out, "%s", g_q); break;
    case SCALAR_QP1: snprintf(out, sizeof out, "%s", g_qp1); break;
    case HEX_SHORT: snprintf(out, sizeof out, "%s", v + 1); break;
    case HEX_LOWER:
        for (size_t i = 0; i < n; i++) {
            out[i] = (char)(v[i] >= 'A' && v[i] <= 'F' ? v[i] + 32 : v[i]);
        }
        out[n] = 0;
        if (strcmp(out, v) == 0) { /* all digits: force one letter */
            out[0] = 'a';
        }
        break;
    }
    jset(root, path, json_string(out));
    mpz_clear(x);
    free(v);
}

static void file_hexop(const char *name, const char *path, enum op op)
{
    json_t *j = jload(name);
    hexop(j, path, op);
    jsave(name, j);
}

/* Ballot line: device d, first line whose state and style match (style 0:
 * any). Returns the 0-based line index. */
static size_t find_ballot(lines *L, const char *state, int style)
{
    for (size_t i = 0; i < L->n; i++) {
        json_t *j = json_loads(L->l[i], 0, NULL);
        assert_non_null(j);
        int ok = strcmp(json_string_value(json_object_get(j, "state")),
                        state) == 0 &&
                 (style == 0 ||
                  json_integer_value(json_object_get(j, "style")) == style);
        json_decref(j);
        if (ok) {
            return i;
        }
    }
    fail_msg("no %s ballot of style %d", state, style);
    return 0;
}

static const char *devfile(int d)
{
    static char b[64];
    snprintf(b, sizeof b, "ballots/device_%d.jsonl", d);
    return b;
}

/* Apply op at `path` of the first ballot of device d with state/style. */
static void ballot_hexop(int d, const char *state, int style, const char *path,
                         enum op op)
{
    lines L = lload(devfile(d));
    size_t i = find_ballot(&L, state, style);
    json_t *j = json_loads(L.l[i], 0, NULL);
    hexop(j, path, op);
    free(L.l[i]);
    L.l[i] = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    lsave(devfile(d), &L);
}

static void ballot_set(int d, const char *state, int style, const char *path,
                       json_t *v)
{
    lines L = lload(devfile(d));
    size_t i = find_ballot(&L, state, style);
    json_t *j = json_loads(L.l[i], 0, NULL);
    jset(j, path, v);
    free(L.l[i]);
    L.l[i] = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    lsave(devfile(d), &L);
}

/* Line idx of a .jsonl file: op at path, or path set to v (v != NULL), or
 * fn applied (fn != NULL); drop: the line removed; append: a copy of the
 * edited line added at the end instead of replacing it. */
typedef struct ledit {
    const char *path;
    enum op op;
    json_t *v;
    void (*fn)(json_t *j);
    int drop, append;
} ledit;

static void jsonl_edit(const char *name, size_t idx, ledit e)
{
    lines L = lload(name);
    assert_true(idx < L.n);
    json_t *j = json_loads(L.l[idx], 0, NULL);
    assert_non_null(j);
    if (e.fn != NULL) {
        e.fn(j);
    } else if (e.v != NULL) {
        jset(j, e.path, e.v);
    } else if (e.path != NULL) {
        hexop(j, e.path, e.op);
    }
    if (e.append) {
        L.l = realloc(L.l, (L.n + 1) * sizeof *L.l);
        L.l[L.n++] = json_dumps(j, JSON_COMPACT);
    } else {
        free(L.l[idx]);
        L.l[idx] = e.drop ? NULL : json_dumps(j, JSON_COMPACT);
    }
    json_decref(j);
    lsave(name, &L);
}

/* A string at path of line idx of a .jsonl file (static buffer). */
static const char *jsonl_str(const char *name, size_t idx, const char *path)
{
    static char out[256];
    lines L = lload(name);
    assert_true(idx < L.n);
    json_t *j = json_loads(L.l[idx], 0, NULL);
    assert_true(json_is_string(jp(j, path)));
    snprintf(out, sizeof out, "%s", json_string_value(jp(j, path)));
    json_decref(j);
    lsave(name, &L); /* unchanged; frees L */
    return out;
}

/* First opening of challenged.jsonl, modified by fn. */
static void opening_edit(void (*fn)(json_t *op))
{
    jsonl_edit("challenged.jsonl", 0, (ledit){.fn = fn});
}

/* ------------------------------------------------------------------ */
/* Running the verifier. */

static sc_report *run(int allow)
{
    sc_report *rep = NULL;
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    sc_verify_opts o;
    sc_verify_opts_default(&o);
    o.threads = 2;
    o.allow_test_parameters = allow;
    assert_int_equal(sc_verify_record(g_work, &o, rep), SC_OK);
    return rep;
}

static void show(const sc_report *rep)
{
    sc_report_print_text(rep, stderr, 5);
}

/* Expect first failure `first`, and at least one failure of `also` (NULL:
 * same as first). */
static void expect_fail(const char *first, const char *also)
{
    sc_report *rep = run(1);
    const char *ff = sc_report_first_failure(rep);
    if (ff == NULL || strcmp(ff, first) != 0 ||
        sc_report_failures(rep, also ? also : first) == 0) {
        show(rep);
        fail_msg("expected first failure %s (and %s), got %s", first,
                 also ? also : first, ff ? ff : "none");
    }
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_INVALID);
    sc_report_free(rep);
}

/* The record fails `cond` and nothing else: no other condition of its
 * step, no other step (V1-V20, S1-S20: more than there are). */
static void expect_only(const char *cond)
{
    sc_report *rep = run(1);
    char step[8];
    snprintf(step, sizeof step, "%.*s", (int)strcspn(cond, "."), cond);
    uint64_t others =
        sc_report_failures(rep, step) - sc_report_failures(rep, cond);
    for (int k = 1; k <= 20; k++) {
        char id[8];
        for (int v = 0; v < 2; v++) {
            snprintf(id, sizeof id, "%c%d", v ? 'S' : 'V', k);
            if (strcmp(id, step) != 0) {
                others += sc_report_failures(rep, id);
            }
        }
    }
    if (sc_report_failures(rep, cond) == 0 || others != 0 ||
        sc_report_errors(rep, NULL) != 0) {
        show(rep);
        fail_msg("expected %s alone, got %s and %llu other failure(s)", cond,
                 sc_report_first_failure(rep) ? sc_report_first_failure(rep)
                                              : "none",
                 (unsigned long long)others);
    }
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_INVALID);
    sc_report_free(rep);
}

static void expect_cannot_check(const char *step)
{
    sc_report *rep = run(1);
    if (sc_report_exit_code(rep) != SC_EXIT_CANNOT_CHECK ||
        (step != NULL && sc_report_errors(rep, step) == 0)) {
        show(rep);
        fail_msg("expected 'could not check' in %s", step ? step : "any");
    }
    sc_report_free(rep);
}

/* ------------------------------------------------------------------ */
/* Mutations that need more than one hex change. */

static void op_nonce_inc(json_t *op)
{
    hexop(op, "contests.0.nonces.0", SCALAR_INC);
}
static void op_nonce_short(json_t *op)
{
    hexop(op, "contests.0.nonces.1", HEX_SHORT);
}
static void op_sel_flip(json_t *op)
{
    json_t *s = jp(op, "contests.0.selections");
    json_int_t a = json_integer_value(json_array_get(s, 0));
    json_int_t b = json_integer_value(json_array_get(s, 1));
    json_array_set_new(s, 0, json_integer(b));
    json_array_set_new(s, 1, json_integer(a));
    if (a == b) { /* 0,0 -> 1,0 */
        json_array_set_new(s, 0, json_integer(1 - a));
    }
}
static void op_drop_contest(json_t *op)
{
    json_array_remove(jp(op, "contests"), 0);
}
static void op_index_2_or_9(json_t *op)
{
    /* contest 1 is on every style; name a contest the style lacks or the
     * manifest does not have */
    jset(op, "contests.0.index", json_integer(9));
}
static void op_extra_sel(json_t *op)
{
    json_array_append_new(jp(op, "contests.0.selections"), json_integer(0));
    json_array_append_new(jp(op, "contests.0.nonces"),
                          json_string("0000000000000001"));
}
static void op_drop_sel(json_t *op)
{
    json_array_remove(jp(op, "contests.0.selections"), 1);
    json_array_remove(jp(op, "contests.0.nonces"), 1);
}
static void op_sel_5(json_t *op)
{
    jset(op, "contests.0.selections.0", json_integer(5));
}
static void op_overvote(json_t *op)
{
    /* Mayor, L = 1: both selected */
    jset(op, "contests.0.selections.0", json_integer(1));
    jset(op, "contests.0.selections.1", json_integer(1));
}

/* Recompute the contest hashes (eq 70, with contest data) and the
 * confirmation code (eq 71) of a ballot line from its published values,
 * so that a change to the contest data reaches only the step that checks
 * it. Only for a device without chaining (nothing else depends on H_C). */
static void hexbytes(const char *h, uint8_t *out, size_t n)
{
    assert_int_equal(strlen(h), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static void rehash(json_t *b)
{
    uint8_t hi[32], bc[SC_BC_BYTES], chis[32 * 8], hc[32];
    char hx[80];
    hexbytes(json_string_value(json_object_get(b, "h_i")), hi, 32);
    hexbytes(json_string_value(json_object_get(b, "chaining_field")), bc,
             SC_BC_BYTES);
    json_t *cs = json_object_get(b, "contests");
    size_t nc = json_array_size(cs);
    assert_true(nc <= 8);
    for (size_t l = 0; l < nc; l++) {
        json_t *c = json_array_get(cs, l);
        json_t *fs = json_object_get(c, "fields");
        size_t m = json_array_size(fs);
        mpz_t al[8], be[8];
        for (size_t i = 0; i < m; i++) {
            json_t *f = json_array_get(fs, i);
            mpz_init_set_str(
                al[i], json_string_value(json_object_get(f, "alpha")), 16);
            mpz_init_set_str(be[i],
                             json_string_value(json_object_get(f, "beta")), 16);
        }
        json_t *cd = json_object_get(c, "contest_data");
        sc_contest_data_ct ct;
        uint8_t c1[256];
        sc_contest_data_ct_init(&ct);
        if (cd != NULL) {
            const char *h1 = json_string_value(json_object_get(cd, "c1"));
            size_t n1 = strlen(h1) / 2;
            assert_true(n1 <= sizeof c1);
            hexbytes(h1, c1, n1);
            mpz_set_str(ct.c0, json_string_value(json_object_get(cd, "c0")),
                        16);
            mpz_set_str(ct.c2_c, json_string_value(json_object_get(cd, "c")),
                        16);
            mpz_set_str(ct.c2_v, json_string_value(json_object_get(cd, "v")),
                        16);
            ct.c1 = c1;
            ct.c1_len = n1;
        }
        uint32_t idx =
            (uint32_t)json_integer_value(json_object_get(c, "index"));
        sc_eg_contest_hash(g_grp, hi, idx, m, (const mpz_t *)al,
                           (const mpz_t *)be, cd != NULL ? &ct : NULL,
                           chis + 32 * l);
        ct.c1 = NULL;
        sc_contest_data_ct_clear(&ct);
        for (size_t i = 0; i < m; i++) {
            mpz_clears(al[i], be[i], NULL);
        }
        sc_hex_encode(hx, chis + 32 * l, 32);
        json_object_set_new(c, "contest_hash", json_string(hx));
    }
    sc_eg_confirmation_code(hi, nc, chis, bc, hc);
    sc_hex_encode(hx, hc, 32);
    json_object_set_new(b, "confirmation_code", json_string(hx));
}

/* Apply op at path of the first cast ballot of device 2 (no chaining),
 * then rehash it. */
static void cast_op_rehash(const char *path, enum op op, json_t *v)
{
    lines L = lload(devfile(2));
    size_t i = find_ballot(&L, "Cast", 0);
    json_t *j = json_loads(L.l[i], 0, NULL);
    if (v != NULL) {
        jset(j, path, v);
    } else {
        hexop(j, path, op);
    }
    rehash(j);
    free(L.l[i]);
    L.l[i] = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    lsave(devfile(2), &L);
}

/* Edit the first ballot of device d with state/style by fn, then rehash
 * it (chi, H_C) if `re`. */
static void ballot_edit(int d, const char *state, int style,
                        void (*fn)(json_t *b), int re)
{
    lines L = lload(devfile(d));
    size_t i = find_ballot(&L, state, style);
    json_t *j = json_loads(L.l[i], 0, NULL);
    fn(j);
    if (re) {
        rehash(j);
    }
    free(L.l[i]);
    L.l[i] = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    lsave(devfile(d), &L);
}

static void b_data_drop(json_t *j)
{
    json_object_del(jp(j, "contests.1"), "contest_data");
}
static void b_data_to_contest1(json_t *j)
{
    json_object_set(jp(j, "contests.0"), "contest_data",
                    jp(j, "contests.1.contest_data"));
}
static void b_data_block_more(json_t *j)
{
    /* one block more than the manifest's b_L */
    json_t *c1 = jp(j, "contests.1.contest_data.c1");
    char *v = malloc(json_string_length(c1) + 65);
    sprintf(v, "%s%064d", json_string_value(c1), 0);
    jset(j, "contests.1.contest_data.c1", json_string(v));
    free(v);
}
static void b_rel_v_inc(json_t *j)
{
    hexop(j, "contests.1.supplemental_proofs.1.v.0", SCALAR_INC);
}
static void b_rel_drop(json_t *j)
{
    json_array_remove(jp(j, "contests.1.supplemental_proofs"), 0);
}
static void b_swap_u_n(json_t *j)
{
    /* the undervote and null-vote fields' ciphertexts swapped, each
     * keeping its own proof */
    json_t *fs = jp(j, "contests.1.fields");
    json_t *u = json_deep_copy(json_array_get(fs, 3));
    json_t *n = json_deep_copy(json_array_get(fs, 5));
    json_object_set(n, "alpha",
                    json_object_get(json_array_get(fs, 3), "alpha"));
    json_object_set(n, "beta", json_object_get(json_array_get(fs, 3), "beta"));
    json_object_set(u, "alpha",
                    json_object_get(json_array_get(fs, 5), "alpha"));
    json_object_set(u, "beta", json_object_get(json_array_get(fs, 5), "beta"));
    json_array_set_new(fs, 3, u);
    json_array_set_new(fs, 5, n);
}

static void op_data_flip(json_t *op)
{
    hexop(op, "contests.1.data", HEXFLIP);
}
static void op_data_nonce_inc(json_t *op)
{
    hexop(op, "contests.1.data_nonce", SCALAR_INC);
}
static void op_data_drop(json_t *op)
{
    json_object_del(jp(op, "contests.1"), "data");
    json_object_del(jp(op, "contests.1"), "data_nonce");
}
static void op_data_short(json_t *op)
{
    hexop(op, "contests.1.data", HEX_SHORT);
}

/* ------------------------------------------------------------------ */
/* Cases. */

static void base_valid(void **state)
{
    (void)state;
    fresh_copy();
    sc_report *rep = run(1);
    if (sc_report_exit_code(rep) != SC_EXIT_VALID) {
        show(rep);
    }
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    sc_report_free(rep);
    /* one thread gives the same verdict */
    sc_verify_opts o;
    sc_verify_opts_default(&o);
    o.threads = 1;
    o.allow_test_parameters = 1;
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    assert_int_equal(sc_verify_record(g_work, &o, rep), SC_OK);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    sc_report_free(rep);
    /* without --allow-test-parameters the toy group is refused (1.B) */
    rep = run(0);
    assert_string_equal(sc_report_first_failure(rep), "V1.B");
    sc_report_free(rep);
}

static void v1(void **state)
{
    (void)state;
    json_t *j;
    fresh_copy();
    j = jload("record.json");
    jset(j, "electionguard", json_string("2.0.0"));
    jsave("record.json", j);
    expect_fail("V1.A", NULL);

    fresh_copy();
    j = jload("election_parameters.json");
    jset(j,
         "fixed_parameters.ElectionGuard_Design_Specification_version."
         "number.1",
         json_integer(0));
    jsave("election_parameters.json", j);
    expect_fail("V1.A", NULL);

    fresh_copy();
    file_hexop("election_parameters.json", "fixed_parameters.group.p", HEXFLIP);
    expect_fail("V1.B", NULL);
    fresh_copy();
    file_hexop("election_parameters.json", "fixed_parameters.group.q", HEXFLIP);
    expect_fail("V1.C", NULL);
    fresh_copy();
    file_hexop("election_parameters.json", "fixed_parameters.group.g",
               ELEM_MUL_G);
    expect_fail("V1.D", NULL);
    fresh_copy();
    file_hexop("hashes.json", "h_p", HEXFLIP);
    expect_fail("V1.E", NULL);
    fresh_copy();
    file_hexop("hashes.json", "h_b", HEXFLIP);
    expect_fail("V1.F", NULL);
    /* the manifest bytes themselves */
    fresh_copy();
    {
        size_t len = 0;
        char *m = t_read_file(wpath("election_manifest_canonical.bin"), &len);
        char *ada = strstr(m, "Ada");
        assert_non_null(ada);
        ada[2] = 'b';
        FILE *f = fopen(wpath("election_manifest_canonical.bin"), "wb");
        fwrite(m, 1, len, f);
        fclose(f);
        free(m);
    }
    expect_fail("V1.F", "V11.B");
    /* n changes H_P (1.E) */
    fresh_copy();
    j = jload("election_parameters.json");
    jset(j, "varying_parameters.k", json_integer(3));
    jsave("election_parameters.json", j);
    expect_fail("V1.E", NULL);
}

static void v2_v3_v4(void **state)
{
    (void)state;
    fresh_copy();
    file_hexop("guardians/guardian_2.json", "coefficient_commitments.1",
               ELEM_PM1);
    expect_fail("V2.A", NULL);
    fresh_copy();
    file_hexop("guardians/guardian_3.json", "communication_public_key",
               ELEM_ZERO);
    expect_fail("V2.A", NULL);
    fresh_copy();
    file_hexop("guardians/guardian_1.json", "data_coefficient_commitments.0",
               ELEM_P);
    expect_fail("V2.A", NULL);
    fresh_copy();
    file_hexop("guardians/guardian_1.json", "coefficient_proof.responses.0",
               SCALAR_Q);
    expect_fail("V2.B", NULL);
    fresh_copy();
    file_hexop("guardians/guardian_2.json",
               "data_coefficient_proof.responses.2", SCALAR_QP1);
    expect_fail("V2.B", NULL);
    fresh_copy();
    file_hexop("guardians/guardian_1.json", "coefficient_proof.challenge",
               SCALAR_INC);
    expect_fail("V2.C", NULL);
    fresh_copy();
    file_hexop("guardians/guardian_3.json", "coefficient_proof.responses.2",
               SCALAR_INC); /* the κ_i response (2.2) */
    expect_fail("V2.C", NULL);
    fresh_copy();
    file_hexop("guardians/guardian_2.json",
               "data_coefficient_proof.responses.1", SCALAR_INC); /* 2.3 */
    expect_fail("V2.C", NULL);
    fresh_copy();
    file_hexop("guardians/guardian_2.json", "coefficient_commitments.1",
               ELEM_MUL_G); /* a member, but not the proven one */
    expect_fail("V2.C", NULL);

    fresh_copy();
    file_hexop("joint_election_public_key.json", "joint_election_public_key",
               ELEM_MUL_G);
    expect_fail("V3.A", NULL);
    fresh_copy();
    file_hexop("joint_election_public_key.json", "joint_ballot_data_public_key",
               ELEM_MUL_G);
    expect_fail("V3.B", NULL);
    fresh_copy();
    file_hexop("hashes_ext.json", "h_e", HEXFLIP);
    expect_fail("V4.A", NULL);
    fresh_copy();
    file_hexop("hashes_ext.json", "h_g", HEXFLIP);
    expect_fail("S6.A", NULL);
}

static void v5(void **state)
{
    (void)state;
    /* 5.A: a ballot submitted twice (same id_B), as an extra line */
    fresh_copy();
    {
        lines L = lload(devfile(2));
        L.l = realloc(L.l, (L.n + 1) * sizeof *L.l);
        L.l[L.n] = strdup(L.l[1]);
        L.n++;
        lsave(devfile(2), &L);
    }
    expect_fail("V5.A", "S1.B");
    /* 5.A across devices: another ballot's id_B (its H_I then differs) */
    fresh_copy();
    {
        lines L = lload(devfile(1));
        json_t *a = json_loads(L.l[0], 0, NULL);
        char id[65];
        snprintf(id, sizeof id, "%s",
                 json_string_value(
                     json_object_get(a, "selection_encryption_identifier")));
        json_decref(a);
        L.l[0] = L.l[0]; /* unchanged */
        lsave(devfile(1), &L);
        lines M = lload(devfile(2));
        json_t *b = json_loads(M.l[2], 0, NULL);
        jset(b, "selection_encryption_identifier", json_string(id));
        free(M.l[2]);
        M.l[2] = json_dumps(b, JSON_COMPACT);
        json_decref(b);
        lsave(devfile(2), &M);
    }
    expect_fail("V5.A", "V5.B");
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "h_i", HEXFLIP);
    expect_fail("V5.B", NULL);
    fresh_copy();
    ballot_hexop(2, "Challenged", 0, "h_i", HEXFLIP);
    expect_fail("V5.B", NULL);
}

static void v6_v7(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        enum op op;
        const char *first, *also;
    } cs[] = {
        {"contests.0.fields.0.alpha", ELEM_PM1, "V6.A", "V7.A"},
        {"contests.0.fields.1.beta", ELEM_ZERO, "V6.A", "V7.A"},
        {"contests.1.fields.0.alpha", ELEM_P, "V6.A", "V7.A"},
        {"contests.0.fields.0.proof.c.0", SCALAR_Q, "V6.B", NULL},
        {"contests.0.fields.1.proof.c.1", SCALAR_QP1, "V6.B", NULL},
        {"contests.0.fields.0.proof.v.1", SCALAR_Q, "V6.C", NULL},
        {"contests.0.fields.0.proof.v.0", SCALAR_INC, "V6.D", NULL},
        {"contests.0.fields.1.proof.c.0", SCALAR_INC, "V6.D", NULL},
        {"contests.1.fields.0.proof.v.2", SCALAR_INC, "V6.D", NULL}, /* R=2 */
        {"contests.0.limit_proof.c.0", SCALAR_QP1, "V7.B", NULL},
        {"contests.0.limit_proof.v.1", SCALAR_Q, "V7.C", NULL},
        {"contests.0.limit_proof.v.0", SCALAR_INC, "V7.D", NULL},
        {"contests.1.limit_proof.c.3", SCALAR_INC, "V7.D", NULL}, /* L=3 */
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        fresh_copy();
        /* style 2: contests 1 and 3 */
        ballot_hexop(2, "Cast", 2, cs[i].path, cs[i].op);
        expect_fail(cs[i].first, cs[i].also);
    }
    /* beta moved to another member: the proof no longer holds (6.D), the
     * contest product neither (7.D), the contest hash neither (8.A) */
    fresh_copy();
    ballot_hexop(1, "Cast", 1, "contests.1.fields.2.beta", ELEM_MUL_G);
    expect_fail("V6.D", "V7.D");
}

static void v8(void **state)
{
    (void)state;
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "contests.0.contest_hash", HEXFLIP);
    expect_fail("V8.A", NULL);
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "confirmation_code", HEXFLIP);
    expect_fail("V8.B", NULL);
    fresh_copy();
    {
        json_t *j = jload("devices.json");
        hexop(j, "devices.1.h_di", HEXFLIP);
        jsave("devices.json", j);
    }
    expect_fail("V8.C", NULL);
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "chaining_field", HEXFLIP);
    expect_fail("V8.D", "V8.B");
    /* 8.E: a chained ballot's field no longer names its predecessor */
    fresh_copy();
    {
        lines L = lload(devfile(1));
        json_t *j = json_loads(L.l[3], 0, NULL);
        hexop(j, "chaining_field", HEXFLIP);
        free(L.l[3]);
        L.l[3] = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        lsave(devfile(1), &L);
    }
    expect_fail("V8.E", NULL);
    /* reordered chained ballots */
    fresh_copy();
    {
        lines L = lload(devfile(1));
        char *t = L.l[2];
        L.l[2] = L.l[3];
        L.l[3] = t;
        lsave(devfile(1), &L);
    }
    expect_fail("V8.E", "S1.A");
    /* a chained ballot missing */
    fresh_copy();
    {
        lines L = lload(devfile(1));
        free(L.l[4]);
        L.l[4] = NULL;
        lsave(devfile(1), &L);
    }
    expect_fail("V8.E", "S1.B");
    /* 8.F: the first ballot does not start from H_0 */
    fresh_copy();
    {
        lines L = lload(devfile(1));
        json_t *j = json_loads(L.l[0], 0, NULL);
        hexop(j, "chaining_field", HEXFLIP);
        free(L.l[0]);
        L.l[0] = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        lsave(devfile(1), &L);
    }
    expect_fail("V8.F", NULL);
    fresh_copy();
    {
        json_t *j = jload("devices.json");
        hexop(j, "devices.0.closing.hash", HEXFLIP);
        jsave("devices.json", j);
    }
    expect_fail("V8.G", NULL);
    fresh_copy();
    {
        json_t *j = jload("devices.json");
        hexop(j, "devices.0.closing.chaining_field", HEXFLIP);
        jsave("devices.json", j);
    }
    expect_fail("V8.G", NULL);
    /* S1.H: a closing entry on the unchained device 2 */
    fresh_copy();
    {
        json_t *j = jload("devices.json");
        json_t *d1 = json_array_get(json_object_get(j, "devices"), 0);
        json_t *d2 = json_array_get(json_object_get(j, "devices"), 1);
        json_object_set(d2, "closing", json_object_get(d1, "closing"));
        jsave("devices.json", j);
    }
    expect_fail("S1.H", NULL);
    /* the last chained ballot missing: only the closing shows it */
    fresh_copy();
    {
        lines L = lload(devfile(1));
        json_int_t n = (json_int_t)L.n - 1;
        free(L.l[L.n - 1]);
        L.l[L.n - 1] = NULL;
        lsave(devfile(1), &L);
        json_t *j = jload("devices.json");
        jset(j, "devices.0.ballots", json_integer(n));
        jsave("devices.json", j);
    }
    {
        sc_report *rep = run(1);
        assert_true(sc_report_failures(rep, "V8.G") > 0);
        sc_report_free(rep);
    }
}

static void v9_v10_v11(void **state)
{
    (void)state;
    fresh_copy();
    file_hexop("encrypted_tally.json", "contests.0.options.0.A", ELEM_MUL_G);
    expect_fail("V9.A", "V10.B");
    fresh_copy();
    file_hexop("encrypted_tally.json", "contests.2.options.1.B", ELEM_MUL_G);
    expect_fail("V9.B", "V10.B");
    /* a cast ballot missing (no chaining): the sums differ */
    fresh_copy();
    {
        lines L = lload(devfile(2));
        size_t i = find_ballot(&L, "Cast", 0);
        free(L.l[i]);
        L.l[i] = NULL;
        lsave(devfile(2), &L);
    }
    expect_fail("V9.A", "S1.A");
    /* weight changed */
    fresh_copy();
    ballot_set(2, "Cast", 0, "weight", json_integer(3));
    expect_fail("V9.A", "V9.B");

    fresh_copy();
    file_hexop("tally.json", "contests.1.options.2.proof.response", SCALAR_Q);
    expect_fail("V10.A", NULL);
    fresh_copy();
    file_hexop("tally.json", "contests.0.options.1.proof.challenge",
               SCALAR_INC);
    expect_fail("V10.B", NULL);
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        json_t *v = jp(j, "contests.0.options.0.value");
        jset(j, "contests.0.options.0.value",
             json_integer(json_integer_value(v) + 1));
        jsave("tally.json", j);
    }
    /* format 2 publishes T: a changed t with T kept fails 10.C only */
    expect_fail("V10.C", NULL);
    /* without T (format 1) a changed t fails 10.B */
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        json_t *v = jp(j, "contests.0.options.0.value");
        jset(j, "contests.0.options.0.value",
             json_integer(json_integer_value(v) + 1));
        json_object_del(jp(j, "contests.0.options.0"), "T");
        jsave("tally.json", j);
    }
    expect_fail("V10.B", NULL);

    fresh_copy();
    {
        json_t *j = jload("tally.json");
        jset(j, "contests.0.label", json_string("Major"));
        jsave("tally.json", j);
    }
    expect_fail("V11.A", NULL);
    /* a tally for a contest that is not in the manifest */
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        json_t *c = json_deep_copy(jp(j, "contests.0"));
        json_object_set_new(c, "index", json_integer(7));
        json_array_append_new(jp(j, "contests"), c);
        jsave("tally.json", j);
    }
    expect_fail("V11.A", NULL);
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        jset(j, "contests.1.options.1.label", json_string("Barbra"));
        jsave("tally.json", j);
    }
    expect_fail("V11.B", NULL);
    /* the labels of the encrypted tally too */
    fresh_copy();
    {
        json_t *j = jload("encrypted_tally.json");
        jset(j, "contests.2.label", json_string("Budgets"));
        jsave("encrypted_tally.json", j);
    }
    expect_fail("V11.A", NULL);
    fresh_copy();
    {
        json_t *j = jload("encrypted_tally.json");
        jset(j, "contests.0.options.1.label", json_string("Grace "));
        jsave("encrypted_tally.json", j);
    }
    expect_fail("V11.B", NULL);
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        json_array_remove(jp(j, "contests.1.options"), 2);
        jsave("tally.json", j);
    }
    expect_fail("V11.C", NULL);
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        json_array_remove(jp(j, "contests"), 1);
        jsave("tally.json", j);
    }
    expect_fail("V11.D", NULL);
}

static void v13_v14(void **state)
{
    (void)state;
    fresh_copy();
    opening_edit(op_nonce_inc);
    expect_fail("V13.B", NULL);
    fresh_copy();
    opening_edit(op_sel_flip);
    expect_fail("V13.B", NULL);
    /* the opening of a challenged ballot is missing */
    fresh_copy();
    {
        lines L = lload("challenged.jsonl");
        free(L.l[0]);
        L.l[0] = NULL;
        lsave("challenged.jsonl", &L);
    }
    expect_fail("V13.B", NULL);
    /* a challenged ballot's published alpha changed: its own proof (S3),
     * its contest hash (8.A) and the re-encryption (13.B) disagree */
    fresh_copy();
    ballot_hexop(2, "Challenged", 0, "contests.0.fields.0.alpha", ELEM_MUL_G);
    expect_fail("V8.A", "S3.D");

    fresh_copy();
    opening_edit(op_index_2_or_9);
    expect_fail("V14.A", "V14.B");
    fresh_copy();
    opening_edit(op_drop_contest);
    expect_fail("V14.B", NULL);
    fresh_copy();
    opening_edit(op_extra_sel);
    expect_fail("V14.C", NULL);
    fresh_copy();
    opening_edit(op_drop_sel);
    expect_fail("V14.D", NULL);
    fresh_copy();
    opening_edit(op_sel_5);
    expect_fail("V14.E", NULL);
    /* an overvote in an opening cannot re-encrypt to the ballot (13.B);
     * 14.F is reported as well */
    fresh_copy();
    opening_edit(op_overvote);
    expect_fail("V13.B", "V14.F");
}

static void supplementary(void **state)
{
    (void)state;
    /* S1 */
    fresh_copy();
    ballot_set(2, "Cast", 0, "sequence", json_integer(9));
    expect_fail("S1.A", NULL);
    fresh_copy();
    {
        json_t *j = jload("devices.json");
        jset(j, "devices.1.ballots", json_integer(99));
        jsave("devices.json", j);
    }
    expect_fail("S1.B", NULL);
    fresh_copy();
    ballot_set(2, "Cast", 2, "style", json_integer(1));
    expect_fail("S1.C", NULL);
    fresh_copy();
    {
        lines L = lload(devfile(2));
        size_t i = find_ballot(&L, "Cast", 1);
        json_t *j = json_loads(L.l[i], 0, NULL);
        json_array_remove(jp(j, "contests.0.limit_proof.c"), 0);
        json_array_remove(jp(j, "contests.0.limit_proof.v"), 0);
        free(L.l[i]);
        L.l[i] = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        lsave(devfile(2), &L);
    }
    expect_fail("S1.C", NULL);
    fresh_copy();
    ballot_set(2, "Cast", 0, "device", json_integer(1));
    expect_fail("S1.D", NULL);
    /* a ballot file no device of devices.json owns */
    fresh_copy();
    {
        char from[1024];
        snprintf(from, sizeof from, "%s", wpath(devfile(2)));
        copy_file(from, wpath("ballots/device_3.jsonl"));
    }
    expect_fail("S1.B", NULL);
    fresh_copy();
    {
        json_t *j = jload("encrypted_tally.json");
        json_t *v = jp(j, "cast_ballots");
        jset(j, "cast_ballots", json_integer(json_integer_value(v) + 1));
        jsave("encrypted_tally.json", j);
    }
    expect_fail("S1.E", NULL);
    fresh_copy();
    {
        lines L = lload("challenged.jsonl");
        json_t *j = json_loads(L.l[0], 0, NULL);
        hexop(j, "selection_encryption_identifier", HEXFLIP);
        L.l = realloc(L.l, (L.n + 1) * sizeof *L.l);
        L.l[L.n++] = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        lsave("challenged.jsonl", &L);
    }
    expect_fail("S1.F", NULL);
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        jset(j, "guardians_present", json_pack("[i]", 1)); /* k = 2 */
        jsave("tally.json", j);
    }
    expect_fail("S1.G", NULL);
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        jset(j, "guardians_present", json_pack("[i,i]", 1, 4)); /* n = 3 */
        jsave("tally.json", j);
    }
    expect_fail("S1.G", NULL);
    /* S1.I: a control character in a ballot label; a label used twice
     * (device 2's cast ballot takes the label of device 1's first one) */
    fresh_copy();
    ballot_set(2, "Cast", 0, "id", json_string("ballot\x1b[2Jx"));
    expect_only("S1.I");
    fresh_copy();
    {
        lines L = lload(devfile(1));
        json_t *j = json_loads(L.l[0], 0, NULL);
        assert_non_null(j);
        ballot_set(2, "Cast", 0, "id",
                   json_string(json_string_value(json_object_get(j, "id"))));
        json_decref(j);
        for (size_t i = 0; i < L.n; i++) {
            free(L.l[i]);
        }
        free(L.l);
    }
    expect_only("S1.I");
    /* S2: ballot nonce proof, cast and challenged */
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "ballot_nonce.c0", ELEM_PM1);
    expect_fail("S2.A", NULL);
    fresh_copy();
    ballot_hexop(1, "Challenged", 0, "ballot_nonce.v", SCALAR_Q);
    expect_fail("S2.B", NULL);
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "ballot_nonce.c1", HEXFLIP);
    expect_fail("S2.C", NULL);
    fresh_copy();
    ballot_hexop(2, "Challenged", 0, "ballot_nonce.c0", ELEM_MUL_G);
    expect_fail("S2.C", NULL);
    /* S3 / S4: proofs of challenged ballots (AMBIGUITIES 6) */
    static const struct {
        const char *path;
        enum op op;
        const char *first;
    } cs[] = {
        {"contests.0.fields.0.proof.c.0", SCALAR_Q, "S3.B"},
        {"contests.0.fields.1.proof.v.0", SCALAR_QP1, "S3.C"},
        {"contests.0.fields.1.proof.v.1", SCALAR_INC, "S3.D"},
        {"contests.0.limit_proof.c.1", SCALAR_Q, "S4.B"},
        {"contests.0.limit_proof.v.0", SCALAR_Q, "S4.C"},
        {"contests.0.limit_proof.c.0", SCALAR_INC, "S4.D"},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        fresh_copy();
        ballot_hexop(2, "Challenged", 0, cs[i].path, cs[i].op);
        expect_fail(cs[i].first, NULL);
    }
    fresh_copy();
    ballot_hexop(2, "Challenged", 0, "contests.0.fields.0.beta", ELEM_PM1);
    expect_fail("V8.A", "S3.A");
    {
        sc_report *rep = run(1);
        assert_true(sc_report_failures(rep, "S4.A") > 0);
        assert_int_equal(sc_report_failures(rep, "V6"), 0);
        sc_report_free(rep);
    }
}

/* Malformed input: "could not check" (exit 3) or a precise failure, never
 * a crash. */
static void malformed(void **state)
{
    (void)state;
    static const char *const files[] = {"record.json",
                                        "election_parameters.json",
                                        "hashes.json",
                                        "election_manifest_canonical.bin",
                                        "guardians/guardian_2.json",
                                        "joint_election_public_key.json",
                                        "hashes_ext.json",
                                        "devices.json",
                                        "ballots/device_2.jsonl",
                                        "encrypted_tally.json",
                                        "tally.json",
                                        "challenged.jsonl"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        /* missing */
        fresh_copy();
        unlink(wpath(files[i]));
        {
            sc_report *rep = run(1);
            int code = sc_report_exit_code(rep);
            if (code == SC_EXIT_VALID) {
                show(rep);
                fail_msg("missing %s accepted", files[i]);
            }
            sc_report_free(rep);
        }
        /* truncated in the middle */
        fresh_copy();
        {
            size_t len = 0;
            char *b = t_read_file(wpath(files[i]), &len);
            FILE *f = fopen(wpath(files[i]), "wb");
            fwrite(b, 1, len / 2, f);
            fclose(f);
            free(b);
            sc_report *rep = run(1);
            if (sc_report_exit_code(rep) == SC_EXIT_VALID) {
                show(rep);
                fail_msg("truncated %s accepted", files[i]);
            }
            sc_report_free(rep);
        }
        /* empty */
        fresh_copy();
        {
            FILE *f = fopen(wpath(files[i]), "wb");
            fclose(f);
            sc_report *rep = run(1);
            sc_report_free(rep);
        }
    }
    /* missing and unreadable files that can only be "could not check" */
    fresh_copy();
    unlink(wpath("tally.json"));
    expect_cannot_check("V10");
    fresh_copy();
    unlink(wpath("record.json"));
    expect_cannot_check("V1");
    fresh_copy();
    {
        json_t *j = jload("record.json");
        jset(j, "format_version", json_integer(3));
        jsave("record.json", j);
    }
    expect_cannot_check("V1");
    fresh_copy();
    unlink(wpath("guardians/guardian_3.json"));
    expect_cannot_check("V2");
    /* a truncated last ballot line */
    fresh_copy();
    {
        size_t len = 0;
        char *b = t_read_file(wpath(devfile(2)), &len);
        FILE *f = fopen(wpath(devfile(2)), "wb");
        fwrite(b, 1, len - 300, f);
        fclose(f);
        free(b);
    }
    expect_cannot_check("S1");
    /* garbage line */
    fresh_copy();
    {
        FILE *f = fopen(wpath(devfile(2)), "ab");
        fputs("\x01\x02 not json {{{\n", f);
        fclose(f);
        sc_report *rep = run(1);
        assert_int_not_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
        sc_report_free(rep);
    }
    /* wrong hex lengths and lowercase */
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "contests.0.fields.0.alpha", HEX_SHORT);
    expect_cannot_check("V6");
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "contests.0.fields.0.proof.v.0", HEX_LOWER);
    expect_cannot_check("V6");
    fresh_copy();
    ballot_hexop(1, "Cast", 0, "chaining_field", HEX_SHORT);
    expect_cannot_check("V8");
    fresh_copy();
    file_hexop("tally.json", "contests.0.options.0.proof.response", HEX_SHORT);
    expect_cannot_check("V10");
    fresh_copy();
    file_hexop("guardians/guardian_1.json", "coefficient_commitments.0",
               HEX_LOWER);
    expect_cannot_check("V2");
    fresh_copy();
    file_hexop("hashes_ext.json", "h_e", HEX_SHORT);
    expect_cannot_check("V4");
    fresh_copy();
    opening_edit(op_nonce_short);
    expect_cannot_check("V13");
    /* wrong JSON types */
    fresh_copy();
    ballot_set(2, "Cast", 0, "contests", json_string("x"));
    expect_cannot_check("V6");
    fresh_copy();
    ballot_set(2, "Cast", 0, "state", json_integer(1));
    expect_cannot_check(NULL);
    fresh_copy();
    ballot_set(2, "Cast", 0, "contests.0.fields.0.proof", json_null());
    expect_cannot_check("V6");
    fresh_copy();
    ballot_set(2, "Cast", 0, "contests.0.index", json_integer(-4));
    expect_cannot_check("V6");
    /* AMBIGUITIES 8: a limit proof may be missing only when L >= Σ R_j
     * (Budget: L = 3 = 2 + 1), not for Mayor (L = 1 < 2) */
    fresh_copy();
    {
        lines L = lload(devfile(2));
        size_t i = find_ballot(&L, "Cast", 2);
        json_t *j = json_loads(L.l[i], 0, NULL);
        json_object_del(jp(j, "contests.1"), "limit_proof");
        free(L.l[i]);
        L.l[i] = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        lsave(devfile(2), &L);
        sc_report *rep = run(1);
        assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
        sc_report_free(rep);
    }
    fresh_copy();
    {
        lines L = lload(devfile(2));
        size_t i = find_ballot(&L, "Cast", 2);
        json_t *j = json_loads(L.l[i], 0, NULL);
        json_object_del(jp(j, "contests.0"), "limit_proof");
        free(L.l[i]);
        L.l[i] = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        lsave(devfile(2), &L);
    }
    expect_cannot_check("V7");
    fresh_copy();
    ballot_set(2, "Cast", 0, "style", json_integer(77));
    expect_fail("S1.C", NULL);
    fresh_copy();
    {
        json_t *j = jload("tally.json");
        jset(j, "contests.0.options.0.value", json_integer(-1));
        jsave("tally.json", j);
    }
    expect_cannot_check("V10");
    fresh_copy();
    {
        json_t *j = jload("devices.json");
        jset(j, "devices.0.chaining", json_string("braided"));
        jsave("devices.json", j);
    }
    expect_cannot_check("V8");
}

/* Contest data (format 2; eq 63-70, S5, S1.C, 13.4-13.A). */
static void contest_data(void **state)
{
    (void)state;
    /* S5: the Schnorr proof of eq 69, with chi and H_C recomputed so that
     * only S5 can see the change */
    fresh_copy();
    cast_op_rehash("contests.1.contest_data.v", SCALAR_INC, NULL);
    expect_fail("S5.C", NULL);
    fresh_copy();
    cast_op_rehash("contests.1.contest_data.c1", HEXFLIP, NULL);
    expect_fail("S5.C", NULL);
    fresh_copy();
    cast_op_rehash("contests.1.contest_data.c0", ELEM_MUL_G, NULL);
    expect_fail("S5.C", NULL);
    fresh_copy();
    cast_op_rehash("contests.1.contest_data.c", SCALAR_Q, NULL);
    expect_fail("S5.B", NULL);
    fresh_copy();
    cast_op_rehash("contests.1.contest_data.v", SCALAR_QP1, NULL);
    expect_fail("S5.B", NULL);
    fresh_copy();
    cast_op_rehash("contests.1.contest_data.c0", ELEM_PM1, NULL);
    expect_fail("S5.A", NULL);
    /* eq 70: C_1 changed without rehashing: chi (8.A) and the proof */
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "contests.1.contest_data.c1", HEXFLIP);
    expect_fail("V8.A", "S5.C");
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "contests.1.contest_data.c0", ELEM_MUL_G);
    expect_fail("V8.A", "S5.C");
    /* contest data that does not fit the manifest: S1.C */
    fresh_copy();
    ballot_edit(2, "Cast", 0, b_data_drop, 1);
    expect_fail("S1.C", NULL);
    fresh_copy();
    ballot_edit(2, "Cast", 0, b_data_to_contest1, 1);
    expect_fail("S1.C", NULL);
    fresh_copy();
    ballot_edit(2, "Cast", 0, b_data_block_more, 1);
    expect_fail("S1.C", NULL);
    /* devices.json h_0 (format 2, §3.7) */
    fresh_copy();
    file_hexop("devices.json", "devices.0.h_0", HEXFLIP);
    expect_fail("V8.F", NULL);
    /* T changed (format 2): M differs, 10.B; 10.C too */
    fresh_copy();
    file_hexop("tally.json", "contests.0.options.0.T", ELEM_MUL_G);
    expect_fail("V10.B", "V10.B");
    /* supplemental fields (§3.3.9): a relation proof changed (7.D; the
     * proofs are not in chi), its own range proof (6.D), a proof missing
     * (S1.C), a relation proof of a challenged ballot (S4.D) */
    fresh_copy();
    ballot_edit(2, "Cast", 1, b_rel_v_inc, 0);
    expect_fail("V7.D", NULL);
    fresh_copy();
    ballot_hexop(2, "Cast", 1, "contests.1.supplemental_proofs.3.c.0",
                 SCALAR_INC);
    expect_fail("V7.D", NULL);
    fresh_copy();
    ballot_hexop(2, "Cast", 1, "contests.1.fields.4.proof.v.1", SCALAR_INC);
    expect_fail("V6.D", NULL);
    fresh_copy();
    ballot_hexop(2, "Cast", 1, "contests.1.supplemental_proofs.0.c.0",
                 SCALAR_Q);
    expect_fail("V7.B", NULL);
    fresh_copy();
    ballot_hexop(2, "Challenged", 0, "contests.1.supplemental_proofs.0.v.0",
                 SCALAR_INC);
    expect_fail("S4.D", NULL);
    fresh_copy();
    ballot_edit(2, "Cast", 1, b_rel_drop, 0);
    expect_fail("S1.C", NULL);
    /* an undervote indicator swapped with the null-vote indicator's
     * ciphertext (chi recomputed): the relation proofs fail (7.D) */
    fresh_copy();
    ballot_edit(2, "Cast", 1, b_swap_u_n, 1);
    {
        sc_report *rep = run(1);
        assert_true(sc_report_failures(rep, "V7") > 0 ||
                    sc_report_failures(rep, "V6") > 0);
        assert_int_equal(sc_report_exit_code(rep), SC_EXIT_INVALID);
        sc_report_free(rep);
    }
    /* a challenged ballot's contest data (13.4-13.7, 13.A) */
    fresh_copy();
    opening_edit(op_data_flip);
    expect_fail("V13.A", NULL);
    fresh_copy();
    opening_edit(op_data_nonce_inc);
    expect_fail("V13.A", NULL);
    fresh_copy();
    opening_edit(op_data_drop);
    expect_fail("V13.A", NULL);
    fresh_copy();
    opening_edit(op_data_short);
    expect_cannot_check("V13");
}

/* The first line of write_in_counts.jsonl whose count is w. */
static size_t count_line(uint64_t w)
{
    lines L = lload("write_in_counts.jsonl");
    size_t found = L.n;
    for (size_t i = 0; i < L.n && found == L.n; i++) {
        json_t *j = json_loads(L.l[i], 0, NULL);
        if (json_integer_value(jp(j, "contests.0.value")) == (json_int_t)w) {
            found = i;
        }
        json_decref(j);
    }
    lsave("write_in_counts.jsonl", &L);
    assert_true(found < (size_t)-1);
    return found;
}

/* Write-ins read from cast ballots (contest 2 says read_write_ins): V12
 * (12.A-12.C: the joint decryption of the contest data, eq 96-106),
 * 12.D (only ballots whose count is not 0 opened), 12.E (every count
 * published and proved against the ballot's E_w), 12.F (every ballot whose
 * count is not 0 opened); and the guardians' refusal to open ballots on an
 * edited counts file. */
static void write_ins(void **state)
{
    (void)state;
    static const char *W = "write_ins.jsonl", *C = "write_in_counts.jsonl";
    const char *sei = "selection_encryption_identifier";
    fresh_copy();
    jsonl_edit(W, 0,
               (ledit){.path = "contests.0.proof.response", .op = SCALAR_QP1});
    expect_fail("V12.A", NULL);
    fresh_copy();
    jsonl_edit(W, 0,
               (ledit){.path = "contests.0.proof.challenge", .op = SCALAR_INC});
    expect_fail("V12.B", NULL);
    fresh_copy();
    jsonl_edit(W, 0, (ledit){.path = "contests.0.beta", .op = ELEM_MUL_G});
    expect_fail("V12.B", NULL);
    fresh_copy();
    jsonl_edit(W, 0, (ledit){.path = "contests.0.data", .op = HEXFLIP});
    expect_fail("V12.C", NULL);
    /* 12.D: an opening for a cast ballot whose count is 0, for a
     * challenged ballot, and the same opening twice */
    fresh_copy();
    char id0[80];
    snprintf(id0, sizeof id0, "%s", jsonl_str(C, count_line(0), sei));
    jsonl_edit(W, 0, (ledit){.path = sei, .v = json_string(id0), .append = 1});
    expect_fail("V12.D", NULL);
    fresh_copy();
    snprintf(id0, sizeof id0, "%s", jsonl_str("challenged.jsonl", 0, sei));
    jsonl_edit(W, 0, (ledit){.path = sei, .v = json_string(id0), .append = 1});
    expect_fail("V12.D", NULL);
    fresh_copy();
    jsonl_edit(W, 0, (ledit){.append = 1});
    expect_fail("V12.D", NULL);
    fresh_copy(); /* contest 3's manifest entry reads no write-ins */
    jsonl_edit(W, 0, (ledit){.path = "contests.0.index", .v = json_integer(3)});
    expect_fail("V12.F", "V12.D");
    /* 12.E: a count changed (its proof fails), above W, its proof changed,
     * missing, for a challenged ballot */
    fresh_copy();
    jsonl_edit(C, count_line(0),
               (ledit){.path = "contests.0.value", .v = json_integer(1)});
    expect_fail("V12.E", NULL);
    fresh_copy();
    jsonl_edit(C, count_line(0),
               (ledit){.path = "contests.0.value", .v = json_integer(9)});
    expect_fail("V12.E", NULL);
    fresh_copy();
    jsonl_edit(C, count_line(0),
               (ledit){.path = "contests.0.proof.challenge", .op = SCALAR_INC});
    expect_fail("V12.E", NULL);
    fresh_copy();
    jsonl_edit(C, count_line(0), (ledit){.drop = 1});
    expect_fail("V12.E", NULL);
    fresh_copy();
    snprintf(id0, sizeof id0, "%s", jsonl_str("challenged.jsonl", 0, sei));
    jsonl_edit(C, 0, (ledit){.path = sei, .v = json_string(id0), .append = 1});
    expect_fail("V12.E", NULL);
    /* 12.F: a ballot whose count is not 0 left closed */
    fresh_copy();
    jsonl_edit(W, 0, (ledit){.drop = 1});
    expect_fail("V12.F", NULL);
    /* the guardians check the counts before opening anything */
    sc_decrypt_job *job = NULL;
    fresh_copy();
    assert_int_equal(sc_decrypt_job_load_write_ins(&job, g_grp, g_work), SC_OK);
    assert_int_equal(job->n_items, 1);
    sc_decrypt_job_free(job);
    jsonl_edit(C, count_line(0),
               (ledit){.path = "contests.0.value", .v = json_integer(1)});
    assert_int_equal(sc_decrypt_job_load_write_ins(&job, g_grp, g_work),
                     SC_E_VERIFY);
    fresh_copy();
    jsonl_edit(C, count_line(0), (ledit){.drop = 1});
    assert_int_equal(sc_decrypt_job_load_write_ins(&job, g_grp, g_work),
                     SC_E_INVALID);
    assert_null(job);
    /* a cast ballot's element outside Z_p^r (its ballot not the first of
     * the batch: device 1's come before it): the guardians' scan of the
     * cast ballots names its file, line and place */
    fresh_copy();
    ballot_hexop(2, "Cast", 0, "contests.0.fields.0.beta", ELEM_PM1);
    assert_int_equal(sc_decrypt_job_load_write_ins(&job, g_grp, g_work),
                     SC_E_INVALID_NOT_IN_SUBGROUP);
    assert_null(job);
    assert_non_null(strstr(sc_ceremony_errdetail(), "device_2.jsonl: line "));
    assert_non_null(strstr(sc_ceremony_errdetail(),
                           ": contests[0].fields[0]: beta: not in the "
                           "order-q subgroup"));
    fresh_copy();
}

/* 12.G: a device encrypted contest data that is no valid encoding (here
 * non-zero padding) for a ballot whose write-in count is 1: the eq 69
 * proof, chi and H_C are right, the guardians open it (its count is not
 * 0), and only 12.G can see it. */
static void ballot_bad_data(json_t *b)
{
    uint8_t hi[32], xib[SC_XIB_BYTES], D[64] = {0};
    char hx[300];
    json_t *cd = jp(b, "contests.1.contest_data");
    hexbytes(json_string_value(json_object_get(b, "h_i")), hi, 32);
    json_t *k = jload("joint_election_public_key.json");
    mpz_t Kh;
    mpz_init_set_str(
        Kh,
        json_string_value(json_object_get(k, "joint_ballot_data_public_key")),
        16);
    json_decref(k);
    sc_elgamal_key *khat = NULL;
    assert_int_equal(sc_elgamal_key_new(&khat, g_grp, Kh), SC_OK);
    memset(xib, 0x5A, sizeof xib);
    D[63] = 1; /* padding that is not zero */
    sc_contest_data_ct ct;
    sc_contest_data_ct_init(&ct);
    assert_int_equal(sc_contest_data_encrypt(khat, hi, 2, xib, D, 2, NULL, &ct),
                     SC_OK);
    sc_elem_to_hex(g_grp, hx, ct.c0);
    json_object_set_new(cd, "c0", json_string(hx));
    sc_hex_encode(hx, ct.c1, ct.c1_len);
    json_object_set_new(cd, "c1", json_string(hx));
    sc_scalar_to_hex(g_grp, hx, ct.c2_c);
    json_object_set_new(cd, "c", json_string(hx));
    sc_scalar_to_hex(g_grp, hx, ct.c2_v);
    json_object_set_new(cd, "v", json_string(hx));
    sc_contest_data_ct_clear(&ct);
    sc_elgamal_key_free(khat);
    mpz_clear(Kh);
}

static void write_ins_malformed(void **state)
{
    (void)state;
    fresh_copy();
    /* the opened ballot: the one line of write_ins.jsonl, on device 2 */
    char idb[80], p1[700], p3[700];
    snprintf(
        idb, sizeof idb, "%s",
        jsonl_str("write_ins.jsonl", 0, "selection_encryption_identifier"));
    lines L = lload(devfile(2));
    size_t i = 0;
    while (i < L.n && strstr(L.l[i], idb) == NULL) {
        i++;
    }
    assert_true(i < L.n);
    json_t *j = json_loads(L.l[i], 0, NULL);
    ballot_bad_data(j);
    rehash(j);
    free(L.l[i]);
    L.l[i] = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    lsave(devfile(2), &L);
    snprintf(p1, sizeof p1, "%s.secrets/guardian_1.secret", g_base);
    snprintf(p3, sizeof p3, "%s.secrets/guardian_3.secret", g_base);
    const char *const paths[2] = {p1, p3}, *const passes[2] = {"tamper",
                                                               "tamper"};
    const uint32_t U[2] = {1, 3};
    uint32_t culprit = 0;
    assert_int_equal(sc_decrypt_all_write_ins(g_grp, g_work, 2, U, paths,
                                              passes, NULL, NULL, &culprit),
                     SC_OK);
    expect_fail("V12.G", NULL);
}

/* S1.J: the encryption time (§3.7), covered by no hash, has its one
 * form; a valid one passes, on a format 2 record that had none. */
static void encryption_time(void **state)
{
    (void)state;
    fresh_copy();
    ballot_set(1, "Cast", 0, "encrypted_at",
               json_string("2026-12-04T12:00:59Z"));
    sc_report *rep = run(1);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    sc_report_free(rep);
    static const char *const bad[] = {
        "2026-02-29T12:00:00Z",   "2026-12-04T24:00:00Z",
        "2026-12-04 12:00:00Z",   "2026-12-04T12:00:00+01:00",
        "2026-12-04T12:00:00.5Z", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fresh_copy();
        ballot_set(2, "Cast", 0, "encrypted_at", json_string(bad[i]));
        expect_fail("S1.J", NULL);
    }
    fresh_copy();
    ballot_set(2, "Challenged", 0, "encrypted_at", json_integer(1));
    expect_fail("S1.J", NULL);
}

/* ------------------------------------------------------------------ */
/* S7: results.json = the decrypted tally (docs/BOARD.md §3.5). */

static void write_results(void)
{
    size_t el = 0, tl = 0, hl = 0, cl = 0;
    char *enc = t_read_file(wpath("encrypted_tally.json"), &el);
    char *tal = t_read_file(wpath("tally.json"), &tl);
    char *hx = t_read_file(wpath("hashes_ext.json"), &hl);
    char *ch = t_read_file(wpath("challenged.jsonl"), &cl);
    assert_non_null(enc);
    assert_non_null(tal);
    assert_non_null(hx);
    assert_non_null(ch);
    uint64_t nch = 0;
    for (size_t i = 0; i < cl; i++) {
        nch += ch[i] == '\n';
    }
    const char *he = strstr(hx, "\"h_e\"");
    assert_non_null(he);
    char hex[65];
    snprintf(hex, sizeof hex, "%s", strchr(he + 5, '"') + 1);
    uint8_t h_e[32];
    hexbytes(hex, h_e, 32);
    sc_jctx ctx;
    sc_jctx_init(&ctx, "results", NULL);
    char *out = NULL;
    assert_int_equal(sc_results_build(&ctx, h_e, enc, el, tal, tl, nch, &out),
                     SC_OK);
    FILE *f = fopen(wpath("results.json"), "wb");
    assert_non_null(f);
    fprintf(f, "%s\n", out);
    fclose(f);
    free(out);
    free(enc);
    free(tal);
    free(hx);
    free(ch);
}

/* A fresh copy with results.json, one change made by fn. */
static void results_case(void (*fn)(json_t *r), const char *first)
{
    fresh_copy();
    write_results();
    json_t *r = jload("results.json");
    fn(r);
    jsave("results.json", r);
    expect_fail(first, NULL);
}

static void rs_votes_inc(json_t *r)
{
    json_t *v = jp(r, "contests.0.options.1.votes");
    jset(r, "contests.0.options.1.votes",
         json_integer(json_integer_value(v) + 1));
}
static void rs_option_label(json_t *r)
{
    jset(r, "contests.1.options.0.label", json_string("Nobody"));
}
static void rs_option_extra(json_t *r)
{
    json_array_append_new(
        jp(r, "contests.0.options"),
        json_pack("{s:i,s:s,s:i}", "index", 99, "label", "Nobody", "votes", 0));
}
static void rs_option_twice(json_t *r)
{
    json_t *os = jp(r, "contests.0.options");
    json_array_append(os, json_array_get(os, 0));
}
static void rs_contest_label(json_t *r)
{
    jset(r, "contests.0.label", json_string("Dogcatcher"));
}
static void rs_contest_index(json_t *r)
{
    jset(r, "contests.0.index", json_integer(99));
}
static void rs_option_drop(json_t *r)
{
    json_array_remove(jp(r, "contests.1.options"), 0);
}
static void rs_tally_sha(json_t *r)
{
    hexop(r, "tally_sha256", HEXFLIP);
}
static void rs_h_e(json_t *r)
{
    jset(r, "h_e",
         json_string("00000000000000000000000000000000"
                     "00000000000000000000000000000000"));
}
static void rs_cast(json_t *r)
{
    json_t *v = jp(r, "cast_ballots");
    jset(r, "cast_ballots", json_integer(json_integer_value(v) + 1));
}
static void rs_challenged(json_t *r)
{
    json_t *v = jp(r, "challenged_ballots");
    jset(r, "challenged_ballots", json_integer(json_integer_value(v) + 1));
}
static void rs_format(json_t *r)
{
    jset(r, "format_version", json_integer(2));
}

static void results(void **state)
{
    (void)state;
    /* none: not applicable; as built: every count checked */
    fresh_copy();
    sc_report *rep = run(1);
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    sc_report_free(rep);
    write_results();
    rep = run(1);
    if (sc_report_exit_code(rep) != SC_EXIT_VALID) {
        show(rep);
    }
    assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
    sc_report_free(rep);
    results_case(rs_votes_inc, "S7.C");
    results_case(rs_option_drop, "S7.C");
    results_case(rs_option_label, "S7.B");
    results_case(rs_option_extra, "S7.B");
    results_case(rs_option_twice, "S7.B");
    results_case(rs_contest_label, "S7.B");
    results_case(rs_contest_index, "S7.B");
    results_case(rs_tally_sha, "S7.A");
    results_case(rs_h_e, "S7.A");
    results_case(rs_cast, "S7.A");
    results_case(rs_challenged, "S7.A");
    results_case(rs_format, "S7.A");
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_base, sizeof g_base, "/tmp/sc_tamper_%d_base", (int)getpid());
    snprintf(g_work, sizeof g_work, "/tmp/sc_tamper_%d_work", (int)getpid());
    rm_dir(g_base);
    char sec[600];
    snprintf(sec, sizeof sec, "%s.secrets", g_base);
    rm_dir(sec);
    tg_opts o = {SC_GROUP_TOY_Q64, 10, 2, 4, 3, 7, 1};
    if (tg_make_record(g_base, &o) != SC_OK) {
        return -1;
    }
    /* the secrets stay (test toy keys) for write_ins_malformed, which
     * makes the guardians decrypt again; teardown removes them */
    g_grp = t_group(SC_GROUP_TOY_Q64);
    mpz_t x;
    mpz_init(x);
    sc_elem_to_hex(g_grp, g_p, g_grp->p); /* p fits b(., lp) */
    mpz_sub_ui(x, g_grp->p, 1);
    sc_elem_to_hex(g_grp, g_pm1, x);
    sc_scalar_to_hex(g_grp, g_q, g_grp->q);
    mpz_add_ui(x, g_grp->q, 1);
    sc_scalar_to_hex(g_grp, g_qp1, x);
    mpz_clear(x);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char sec[600];
    snprintf(sec, sizeof sec, "%s.secrets", g_base);
    rm_dir(sec);
    rm_dir(g_base);
    rm_dir(g_work);
    sc_group_free(g_grp);
    return 0;
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_valid),
        cmocka_unit_test(v1),
        cmocka_unit_test(v2_v3_v4),
        cmocka_unit_test(v5),
        cmocka_unit_test(v6_v7),
        cmocka_unit_test(v8),
        cmocka_unit_test(v9_v10_v11),
        cmocka_unit_test(v13_v14),
        cmocka_unit_test(supplementary),
        cmocka_unit_test(malformed),
        cmocka_unit_test(contest_data),
        cmocka_unit_test(write_ins),
        cmocka_unit_test(write_ins_malformed),
        cmocka_unit_test(encryption_time),
        cmocka_unit_test(results),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
