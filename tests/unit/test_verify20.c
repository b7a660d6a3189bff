/* The ElectionGuard 2.0.0 verifier on egk's published records: both
 * samples verify completely; tampered copies fail at the step the change
 * belongs to; malformed input is "could not check" (or invalid) with a
 * message naming the file and field, never a crash.
 *
 * Tampered cases switch off steps they cannot affect (SC_V20_SKIP) so the
 * suite stays fast; each case still runs the step it asserts. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scrutin/report.h"
#include "scrutin/verify20.h"
#include "verify20/eghash20.h"

#define EGK SC_SHARED_DIR "/records/egk-2.0"
#define DEV "encrypted_ballots/runWorkflowChainedJson"
#define DEV_ALL "encrypted_ballots/runWorkflowAllAvailableJson"

/* Skip sets: every step except the listed ones. */
#define ALL_STEPS 0x7FFEu
#define ONLY(m) (ALL_STEPS & ~(uint32_t)(m))
#define S(n) SC_V20_SKIP(n)

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    assert_int_equal(sc_init(), SC_OK);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sc_v20_XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Copy a sample record (without private_data) to tmpdir/name. */
static void copy_record(const char *sample, const char *name, char *out,
                        size_t cap)
{
    char cmd[1024];
    snprintf(out, cap, "%s/%s", tmpdir, name);
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s' && mkdir -p '%s' && cd '%s/%s' && "
             "cp -r $(ls | grep -v private_data) '%s' && chmod -R u+w '%s'",
             out, out, EGK, sample, out, out);
    assert_int_equal(system(cmd), 0);
}

/* Remove every encrypted ballot of `dev` except `keep` (for tests of the
 * per-ballot steps 5-7, so they run on one ballot). */
static void keep_only(const char *dir, const char *dev, const char *keep)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s/%s' && for f in eballot-*.json; do "
             "[ \"$f\" = '%s' ] || rm -f \"$f\"; done",
             dir, dev, keep);
    assert_int_equal(system(cmd), 0);
}

static char *read_all(const char *path, size_t *len)
{
    char *s = t_read_file(path, len);
    assert_non_null(s);
    return s;
}

static void write_all(const char *path, const char *s, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Change one hex digit of the value of the n-th (0-based) `"key": "` in
 * file `rel` of record `dir`, at digit position `pos`. */
static void flip_hex(const char *dir, const char *rel, const char *key, int n,
                     size_t pos)
{
    char path[1024];
    char needle[128];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    snprintf(needle, sizeof needle, "\"%s\": \"", key);
    char *s = read_all(path, &len);
    char *p = s;
    for (int i = 0; i <= n; i++) {
        p = strstr(i == 0 ? p : p + 1, needle);
        assert_non_null(p);
    }
    p += strlen(needle) + pos;
    *p = *p == '1' ? '2' : '1';
    write_all(path, s, len);
    free(s);
}

/* Overwrite n bytes at `off` past the first `needle` in file `rel`. */
static void patch_after(const char *dir, const char *rel, const char *needle,
                        size_t off, const char *bytes, size_t n)
{
    char path[1024];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *s = read_all(path, &len);
    char *p = strstr(s, needle);
    assert_non_null(p);
    p += strlen(needle) + off;
    assert_true((size_t)(p - s) + n <= len);
    memcpy(p, bytes, n);
    write_all(path, s, len);
    free(s);
}

typedef struct result {
    int exit_code;
    sc_status rc;
    sc_report *rep;
    char *text;
} result;

static result run(const char *dir, uint32_t skip)
{
    result r = {0};
    sc_verify20_opts o = {.threads = 2, .skip_steps = skip};
    assert_int_equal(sc_report_new(&r.rep, NULL), SC_OK);
    r.rc = sc_verify20_record(dir, &o, r.rep);
    r.exit_code = sc_report_exit_code(r.rep);
    size_t len = 0;
    FILE *f = open_memstream(&r.text, &len);
    sc_report_print_text(r.rep, f, 20);
    fclose(f);
    return r;
}

static void done_result(result *r)
{
    sc_report_free(r->rep);
    free(r->text);
}

/* ---- hash rows ---- */

static void hashes_match_sample(void **state)
{
    (void)state;
    sc_group *g = t_group(SC_GROUP_STANDARD);
    uint8_t hp[32], hm[32], hb[32];
    sc_eg20_param_base_hash(g, hp);
    t_assert_digest(hp, "2B3B025E50E09C119CBA7E9448ACD1CABC9447EF39BF06327D8"
                        "1C665CDD86296");
    size_t len = 0;
    char *man = read_all(EGK "/chained/manifest.json", &len);
    sc_eg20_manifest_hash(hp, (const uint8_t *)man, len, hm);
    t_assert_digest(hm, "16DDFBCA54759FDDFBF392EDE7660CBF94B4330453D18337E70"
                        "75D61D129716B");
    sc_eg20_election_base_hash(hp, hm, 3, 3, hb);
    t_assert_digest(hb, "B6E950F3BFD3526BEDB5690A21ECB24422953A9FE51E908D870"
                        "87DEA33E85204");
    free(man);
    sc_group_free(g);
}

/* ---- complete records ---- */

static void assert_all_ok(result *r)
{
    if (r->exit_code != SC_EXIT_VALID) {
        fprintf(stderr, "%s", r->text);
    }
    assert_int_equal(r->rc, SC_OK);
    assert_int_equal(r->exit_code, SC_EXIT_VALID);
    assert_int_equal(sc_report_errors(r->rep, NULL), 0);
    assert_null(sc_report_first_failure(r->rep));
}

static void valid_all_available(void **state)
{
    (void)state;
    result r = run(EGK "/allAvailable", 0);
    assert_all_ok(&r);
    /* 11 ballots x 100 selections, 20 contests each */
    assert_non_null(strstr(r.text, "1100/1100 ok"));
    done_result(&r);
}

static void valid_chained(void **state)
{
    (void)state;
    result r = run(EGK "/chained", 0);
    assert_all_ok(&r);
    done_result(&r);
}

static void is_record(void **state)
{
    (void)state;
    assert_true(sc_verify20_is_record(EGK "/chained"));
    assert_false(sc_verify20_is_record(EGK "/startManifest"));
    assert_false(sc_verify20_is_record("/nonexistent/record"));
}

/* ---- tampered copies ---- */

static void tampered_selection_proof(void **state)
{
    (void)state;
    char dir[512];
    copy_record("chained", "proof", dir, sizeof dir);
    /* the 3rd response of ballot 5: a selection's range proof */
    flip_hex(dir, DEV "/eballot-id-5.json", "response", 2, 10);
    keep_only(dir, DEV, "eballot-id-5.json");
    result r = run(dir, ONLY(S(5)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V5.D"), 1);
    assert_string_equal(sc_report_first_failure(r.rep), "V5.D");
    done_result(&r);
}

static void tampered_ciphertext(void **state)
{
    (void)state;
    char dir[512];
    copy_record("allAvailable", "ct", dir, sizeof dir);
    flip_hex(dir, DEV_ALL "/eballot-id-2.json", "data", 7, 200);
    result r = run(dir, ONLY(S(7) | S(8)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V7.A"), 1);
    assert_int_equal(sc_report_failures(r.rep, "V7.B"), 0);
    assert_int_equal(sc_report_failures(r.rep, "V8.B"), 1);
    assert_int_equal(sc_report_failures(r.rep, "V8.A"), 0);
    done_result(&r);
    keep_only(dir, DEV_ALL, "eballot-id-2.json");
    r = run(dir, ONLY(S(5) | S(6)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_true(sc_report_failures(r.rep, "V5") >= 1);
    assert_true(sc_report_failures(r.rep, "V6") >= 1);
    done_result(&r);
}

static void non_member(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    size_t len;
    copy_record("allAvailable", "member", dir, sizeof dir);
    char two[1024];
    memset(two, '0', sizeof two);
    two[1023] = '2'; /* 2 is not in the order-q subgroup */
    patch_after(dir, DEV_ALL "/eballot-id-3.json", "\"pad\": \"", 0, two,
                sizeof two);
    keep_only(dir, DEV_ALL, "eballot-id-3.json");
    result r = run(dir, ONLY(S(5)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V5.A"), 1);
    done_result(&r);
}

/* Scrutin's V5.F (election_id = H_E) and V5.G (a cast ballot's contest
 * data C_0 in Z_p^r), issue 11. */
static void cast_contest_data_and_election_id(void **state)
{
    (void)state;
    char dir[512];
    copy_record("allAvailable", "eid", dir, sizeof dir);
    keep_only(dir, DEV_ALL, "eballot-id-3.json");
    flip_hex(dir, DEV_ALL "/eballot-id-3.json", "election_id", 0, 10);
    result r = run(dir, ONLY(S(5)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V5.F"), 1);
    assert_int_equal(sc_report_failures(r.rep, "V5.G"), 0);
    done_result(&r);
    copy_record("allAvailable", "cd0", dir, sizeof dir);
    keep_only(dir, DEV_ALL, "eballot-id-3.json");
    char two[1024];
    memset(two, '0', sizeof two);
    two[1023] = '2'; /* 2 is not in the order-q subgroup */
    patch_after(dir, DEV_ALL "/eballot-id-3.json", "\"c0\": \"", 0, two,
                sizeof two);
    r = run(dir, ONLY(S(5)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V5.G"), 1);
    assert_int_equal(sc_report_failures(r.rep, "V5.F"), 0);
    done_result(&r);
}

static void tampered_commitment(void **state)
{
    (void)state;
    char dir[512];
    copy_record("allAvailable", "commit", dir, sizeof dir);
    /* guardian 1, coefficient 1: not the public key, so only V2 is hit */
    flip_hex(dir, "election_initialized.json", "public_key", 2, 300);
    result r = run(dir, ALL_STEPS);
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_true(sc_report_failures(r.rep, "V2.C") == 1);
    assert_int_equal(sc_report_failures(r.rep, "V3"), 0);
    assert_int_equal(sc_report_failures(r.rep, "V4"), 0);
    done_result(&r);
}

static void tampered_joint_key(void **state)
{
    (void)state;
    char dir[512];
    copy_record("allAvailable", "joint", dir, sizeof dir);
    flip_hex(dir, "election_initialized.json", "joint_public_key", 0, 900);
    result r = run(dir, ALL_STEPS);
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_true(sc_report_failures(r.rep, "V3.B") >= 1);
    assert_int_equal(sc_report_failures(r.rep, "V4.A"), 1);
    done_result(&r);
}

static void tampered_confirmation_code(void **state)
{
    (void)state;
    char dir[512];
    copy_record("chained", "code", dir, sizeof dir);
    flip_hex(dir, DEV "/eballot-id-4.json", "confirmation_code", 0, 5);
    result r = run(dir, ONLY(S(7)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V7.B"), 1);
    /* ballot 5's B_aux no longer links to ballot 4's code */
    assert_int_equal(sc_report_failures(r.rep, "V7.E"), 1);
    done_result(&r);
}

static void tampered_chain_close(void **state)
{
    (void)state;
    char dir[512];
    copy_record("chained", "close", dir, sizeof dir);
    flip_hex(dir, DEV "/ballot_chain.json", "closing_hash", 0, 0);
    result r = run(dir, ONLY(S(7)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V7.G"), 1);
    assert_int_equal(sc_report_failures(r.rep, "V7"), 1);
    done_result(&r);
}

static void tampered_tally_value(void **state)
{
    (void)state;
    char dir[512];
    copy_record("allAvailable", "tally", dir, sizeof dir);
    /* T = K^t of contest 1 option 4 */
    flip_hex(dir, "tally.json", "b_over_m", 3, 40);
    result r = run(dir, ONLY(S(9) | S(10)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V10.A"), 1);
    assert_int_equal(sc_report_failures(r.rep, "V9.B"), 1);
    done_result(&r);
}

static void tampered_tally_count(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    size_t len;
    copy_record("allAvailable", "count", dir, sizeof dir);
    /* the first tally is 2 in the sample: make it 1 */
    patch_after(dir, "tally.json", "\"tally\": ", 0, "1", 1);
    result r = run(dir, ONLY(S(10)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V10.A"), 1);
    done_result(&r);
}

static void removed_ballot(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    copy_record("allAvailable", "removed", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, DEV_ALL "/eballot-id-7.json");
    assert_int_equal(unlink(path), 0);
    result r = run(dir, ONLY(S(8)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_true(sc_report_failures(r.rep, "V8.A") >= 1);
    assert_non_null(strstr(r.text, "ballot id-7"));
    done_result(&r);
}

static void removed_chained_ballot(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    copy_record("chained", "removed2", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, DEV "/eballot-id-5.json");
    assert_int_equal(unlink(path), 0);
    result r = run(dir, ONLY(S(7) | S(8)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_true(sc_report_failures(r.rep, "V7.E") >= 1);
    assert_true(sc_report_failures(r.rep, "V8.A") >= 1);
    done_result(&r);
}

static void tampered_challenged(void **state)
{
    (void)state;
    char dir[512];
    copy_record("chained", "chal", dir, sizeof dir);
    flip_hex(dir, "challenged_ballots/dballot-id-6.json", "response", 4, 3);
    /* the contest data proof of the first contest of ballot 9 */
    flip_hex(dir, "challenged_ballots/dballot-id-9.json", "beta", 0, 100);
    /* the published plaintext of ballot 3's first contest data */
    patch_after(dir, "challenged_ballots/dballot-id-3.json", "\"status\": \"",
                0, "x", 1); /* "normal" -> "xormal" */
    result r = run(dir, ONLY(S(12) | S(14)));
    assert_int_equal(r.exit_code, SC_EXIT_INVALID);
    assert_int_equal(sc_report_failures(r.rep, "V12.B"), 1);
    /* a wrong beta breaks the proof and the decryption */
    assert_int_equal(sc_report_failures(r.rep, "V14.B"), 1);
    assert_int_equal(sc_report_failures(r.rep, "V14.C"), 2);
    done_result(&r);
}

/* ---- malformed input ---- */

static void truncated_tally(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    size_t len;
    copy_record("allAvailable", "trunc", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/tally.json", dir);
    char *s = read_all(path, &len);
    write_all(path, s, len / 2);
    free(s);
    result r = run(dir, ONLY(S(9) | S(10)));
    assert_int_equal(r.exit_code, SC_EXIT_CANNOT_CHECK);
    assert_int_equal(r.rc, SC_OK);
    assert_true(sc_report_errors(r.rep, "V9") >= 1);
    assert_non_null(strstr(r.text, "tally.json: not valid JSON"));
    done_result(&r);
}

static void truncated_ballot(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    size_t len;
    copy_record("allAvailable", "truncb", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, DEV_ALL "/eballot-id-4.json");
    char *s = read_all(path, &len);
    write_all(path, s, 1000);
    free(s);
    keep_only(dir, DEV_ALL, "eballot-id-4.json");
    result r = run(dir, ONLY(S(5)));
    assert_true(r.exit_code == SC_EXIT_CANNOT_CHECK ||
                r.exit_code == SC_EXIT_INVALID);
    assert_true(sc_report_errors(r.rep, "V5") >= 1);
    assert_non_null(strstr(r.text, "eballot-id-4.json: not valid JSON"));
    done_result(&r);
}

static void wrong_hex_length(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    size_t len;
    copy_record("allAvailable", "hexlen", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/election_initialized.json", dir);
    char *s = read_all(path, &len);
    char *p = strstr(s, "\"joint_public_key\": \"");
    assert_non_null(p);
    p += strlen("\"joint_public_key\": \"");
    memmove(p, p + 1, len - (size_t)(p + 1 - s)); /* drop one digit */
    write_all(path, s, len - 1);
    free(s);
    result r = run(dir, ALL_STEPS);
    assert_int_equal(r.exit_code, SC_EXIT_CANNOT_CHECK);
    assert_non_null(strstr(r.text, "election_initialized.json: field "
                                   "'joint_public_key': expected 1024 hex "
                                   "digits, got 1023"));
    done_result(&r);
}

static void wrong_hex_in_ballot(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    size_t len;
    copy_record("allAvailable", "hexb", dir, sizeof dir);
    patch_after(dir, DEV_ALL "/eballot-id-8.json", "\"challenge\": \"", 5, "G",
                1);
    keep_only(dir, DEV_ALL, "eballot-id-8.json");
    result r = run(dir, ONLY(S(5)));
    assert_true(sc_report_errors(r.rep, "V5") >= 1);
    assert_non_null(strstr(r.text, "eballot-id-8.json: field 'contests[0]."
                                   "selections[0].proof.proofs[0].challenge'"
                                   ": not a hex digit at position 5"));
    done_result(&r);
}

static void preencrypted_not_supported(void **state)
{
    (void)state;
    char dir[512];
    char path[1024];
    size_t len;
    copy_record("allAvailable", "pre", dir, sizeof dir);
    keep_only(dir, DEV_ALL, "eballot-id-6.json");
    patch_after(dir, DEV_ALL "/eballot-id-6.json", "\"is_preencrypt\": ", 0,
                "true ", 5);
    result r = run(dir, ONLY(S(5)));
    assert_int_equal(r.exit_code, SC_EXIT_CANNOT_CHECK);
    assert_non_null(strstr(r.text, "Verifications 15-18 are not supported"));
    done_result(&r);
}

static void missing_files(void **state)
{
    (void)state;
    result r = run("/nonexistent/record", 0);
    assert_int_equal(r.exit_code, SC_EXIT_CANNOT_CHECK);
    assert_int_equal(r.rc, SC_OK);
    assert_true(sc_report_errors(r.rep, "V1") >= 1);
    done_result(&r);
    char dir[512];
    char path[1024];
    copy_record("allAvailable", "nomanifest", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    assert_int_equal(unlink(path), 0);
    r = run(dir, 0);
    assert_int_equal(r.exit_code, SC_EXIT_CANNOT_CHECK);
    assert_non_null(strstr(r.text, "manifest.json: cannot open"));
    done_result(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hashes_match_sample),
        cmocka_unit_test(is_record),
        cmocka_unit_test(valid_all_available),
        cmocka_unit_test(valid_chained),
        cmocka_unit_test(tampered_selection_proof),
        cmocka_unit_test(tampered_ciphertext),
        cmocka_unit_test(non_member),
        cmocka_unit_test(cast_contest_data_and_election_id),
        cmocka_unit_test(tampered_commitment),
        cmocka_unit_test(tampered_joint_key),
        cmocka_unit_test(tampered_confirmation_code),
        cmocka_unit_test(tampered_chain_close),
        cmocka_unit_test(tampered_tally_value),
        cmocka_unit_test(tampered_tally_count),
        cmocka_unit_test(removed_ballot),
        cmocka_unit_test(removed_chained_ballot),
        cmocka_unit_test(tampered_challenged),
        cmocka_unit_test(truncated_tally),
        cmocka_unit_test(truncated_ballot),
        cmocka_unit_test(wrong_hex_length),
        cmocka_unit_test(wrong_hex_in_ballot),
        cmocka_unit_test(preencrypted_not_supported),
        cmocka_unit_test(missing_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
