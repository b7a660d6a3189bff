/* The verifier with the signs of the ballots' elements checked record-wide
 * (one square test per worker, docs/ARITH.md §5; verify/ballots.c): a
 * standard-group record of 40 ballots (about 800 elements: the subset
 * products, not a symbol each) where one alpha is replaced by p - alpha.
 * That element passes the range check and its ballot's batch without
 * signs (its order-l part is 1), and only the square test sees it; the
 * pass must then run again element by element, so the report names
 * exactly that ballot, option and condition (V6.A; S3.A for a challenged
 * ballot), with nothing left
 * over from the first run (no S1.I / V5.A duplicates, the counts of a
 * single run), and is byte-identical (text and --json) with 1 and 2
 * threads. Two positions: a ballot in the middle of device 2, the last
 * ballot of device 1. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen_record.h"
#include "scrutin/report.h"
#include "scrutin/verify.h"

static char g_dir[256];

static void rm_tree(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0) {
        fprintf(stderr, "cannot remove %s\n", path);
    }
}

/* The report of the record with `threads` threads: text and JSON. */
static sc_report *verify(int threads, char **text, char **json)
{
    sc_report *rep = NULL;
    assert_int_equal(sc_report_new(&rep, NULL), SC_OK);
    sc_verify_opts o;
    sc_verify_opts_default(&o);
    o.threads = threads;
    o.allow_test_parameters = 1;
    assert_int_equal(sc_verify_record(g_dir, &o, rep), SC_OK);
    size_t len = 0;
    FILE *f = open_memstream(text, &len);
    assert_non_null(f);
    sc_report_print_text(rep, f, 3);
    fclose(f);
    f = open_memstream(json, &len);
    assert_non_null(f);
    sc_report_print_json(rep, f);
    fclose(f);
    return rep;
}

/* Line `line` of the device's ballot file: its first alpha -> p - alpha.
 * Returns the ballot's label (static). */
static const char *negate_alpha(const sc_group *g, unsigned dev, size_t line)
{
    static char label[64];
    char path[512];
    snprintf(path, sizeof path, "%s/ballots/device_%u.jsonl", g_dir, dev);
    size_t len = 0;
    char *buf = t_read_file(path, &len);
    assert_non_null(buf);
    char *l = buf;
    for (size_t i = 1; i < line; i++) {
        l = strchr(l, '\n');
        assert_non_null(l);
        l++;
    }
    char *a = strstr(l, "\"alpha\":\"");
    assert_non_null(a);
    a += 9;
    size_t n = strspn(a, "0123456789ABCDEF");
    assert_int_equal(n, 2 * g->lp);
    char *hex = strndup(a, n);
    mpz_t x;
    mpz_init(x);
    t_mpz_hex(x, hex);
    mpz_sub(x, g->p, x);
    assert_int_equal(mpz_jacobi(x, g->p), -1);
    char *neg = malloc(n + 1);
    sc_elem_to_hex(g, neg, x);
    memcpy(a, neg, n);
    char *id = strstr(l, "\"id\":\"");
    assert_non_null(id);
    snprintf(label, sizeof label, "%.*s", (int)strcspn(id + 6, "\""), id + 6);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
    mpz_clear(x);
    free(neg);
    free(hex);
    free(buf);
    return label;
}

static void make_record(void)
{
    rm_tree(g_dir);
    char sec[300];
    snprintf(sec, sizeof sec, "%s.secrets", g_dir);
    rm_tree(sec);
    tg_opts o = {SC_GROUP_STANDARD, 20, 2, 5, 7, 11, 0};
    assert_int_equal(tg_make_record(g_dir, &o), SC_OK);
}

static void one_negated_element(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    static const struct {
        unsigned dev;
        size_t line;
        const char *cond; /* a cast ballot (V6.A), a challenged one (S3.A) */
    } at[] = {{2, 7, "V6.A"}, {1, 20, "S3.A"}};
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        make_record();
        char *t1, *j1, *t2, *j2;
        sc_report *rep = verify(1, &t1, &j1);
        assert_int_equal(sc_report_exit_code(rep), SC_EXIT_VALID);
        sc_report_free(rep);
        free(t1);
        free(j1);
        const char *label = negate_alpha(g, at[k].dev, at[k].line);
        rep = verify(1, &t1, &j1);
        char want[160];
        snprintf(want, sizeof want,
                 "%s ballot %s contest 1 option 1: alpha is not in Z_p^r",
                 at[k].cond, label);
        if (strstr(t1, want) == NULL ||
            sc_report_failures(rep, at[k].cond) != 1) {
            fputs(t1, stderr);
            fail_msg("expected one finding \"%s\"", want);
        }
        assert_int_equal(sc_report_failures(rep, "V5"), 0);
        assert_int_equal(sc_report_failures(rep, "S1"), 0);
        assert_int_equal(sc_report_errors(rep, NULL), 0);
        /* the counts of one run: 40 ballots, 2 device files */
        assert_non_null(strstr(t1, "selection encryption ids           40/40"));
        assert_non_null(strstr(t1, "record consistency                 2/2"));
        assert_int_equal(sc_report_exit_code(rep), SC_EXIT_INVALID);
        sc_report_free(rep);
        rep = verify(2, &t2, &j2);
        assert_string_equal(t1, t2);
        assert_string_equal(j1, j2);
        sc_report_free(rep);
        free(t1);
        free(j1);
        free(t2);
        free(j2);
    }
    sc_group_free(g);
}

int main(void)
{
    assert_int_equal(sc_init(), SC_OK);
    snprintf(g_dir, sizeof g_dir, "/tmp/sc_verify_signs_%d", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_negated_element),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rm_tree(g_dir);
    char sec[300];
    snprintf(sec, sizeof sec, "%s.secrets", g_dir);
    rm_tree(sec);
    return rc;
}
