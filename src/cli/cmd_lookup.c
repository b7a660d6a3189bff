/* scrutin lookup: a voter finds a confirmation code in a record. */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "scrutin/core.h"
#include "scrutin/json.h"
#include "scrutin/record.h"
#include "code_prefix.h"
#include "util.h"

static void help(void)
{
    printf("usage: scrutin lookup -r DIR CODE\n"
           "\n"
           "Look up a ballot confirmation code (the 64 hex digits the voting\n"
           "device gave you, or any unique prefix of at least 8 of them;\n"
           "spaces, dashes and case do not matter) in an\n"
           "election record and say what became of the ballot: cast (it is\n"
           "counted in the tally) or challenged (it was opened: its "
           "decrypted\n"
           "selections are shown when the record has them). A code that is\n"
           "not in the record means your ballot is missing: tell the "
           "election\n"
           "officials.\n"
           "\n"
           "options:\n"
           "  -r, --record DIR   the election record\n"
           "      --board URL    look it up on a bulletin board instead\n"
           "                     (`scrutin lookup --board URL --help`)\n"
           "  -h, --help         show this help\n"
           "\n"
           "Exit status: 0 found, 1 not found, 2 usage, 3 unreadable "
           "record.\n");
}

/* Print the opened selections of a challenged ballot, if published; the
 * ballot is found by its selection encryption identifier id_B. */
static void show_opening(const char *dir, const sc_manifest *m, const char *id)
{
    char path[4096];
    if (sc_record_path(path, sizeof path, dir, SC_REC_CHALLENGED) != SC_OK) {
        return;
    }
    sc_ballot_reader *rd = NULL;
    if (sc_ballot_reader_open(&rd, path) != SC_OK) {
        printf("  (not opened yet: the record has no %s)\n", SC_REC_CHALLENGED);
        return;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, path, NULL);
    for (;;) {
        sc_json *j = NULL;
        if (sc_ballot_reader_next_json(rd, &ctx, &j) != SC_OK || j == NULL) {
            break;
        }
        json_t *jid = json_object_get(j, "selection_encryption_identifier");
        if (json_is_string(jid) && strcmp(json_string_value(jid), id) == 0) {
            json_t *cs = json_object_get(j, "contests");
            printf("  opened by the guardians; the ballot said:\n");
            for (size_t i = 0; i < json_array_size(cs); i++) {
                json_t *c = json_array_get(cs, i);
                json_int_t ind =
                    json_integer_value(json_object_get(c, "index"));
                json_t *sel = json_object_get(c, "selections");
                if (ind < 1 || (size_t)ind > m->n_contests) {
                    continue;
                }
                const sc_manifest_contest *mc = &m->contests[ind - 1];
                printf("    %s:", mc->label);
                int any = 0;
                for (size_t k = 0;
                     k < json_array_size(sel) && k < mc->n_options; k++) {
                    json_int_t v = json_integer_value(json_array_get(sel, k));
                    if (v > 0) {
                        printf("%s %s", any ? "," : "", mc->options[k].label);
                        if (v > 1) {
                            printf(" (%lld)", (long long)v);
                        }
                        any = 1;
                    }
                }
                printf("%s\n", any ? "" : " (no selection)");
            }
            sc_json_free(j);
            sc_ballot_reader_free(rd);
            return;
        }
        sc_json_free(j);
    }
    sc_ballot_reader_free(rd);
    printf("  (not among the opened ballots of %s)\n", SC_REC_CHALLENGED);
}

/* What became of the ballot j (a line of the device d's file). */
static void show_ballot(const char *dir, const sc_manifest *m,
                        const sc_device_info *dev, const sc_json *j)
{
    const char *code =
        json_string_value(json_object_get(j, "confirmation_code"));
    const char *id = json_string_value(json_object_get(j, "id"));
    const char *st = json_string_value(json_object_get(j, "state"));
    json_int_t seq = json_integer_value(json_object_get(j, "sequence"));
    /* labels and device names reach the terminal: control characters
     * (escape sequences) shown as '?' */
    char sid[256], sdev[256];
    sc_label_printable(sid, sizeof sid, id ? id : "?");
    sc_label_printable(sdev, sizeof sdev, dev->device);
    printf("confirmation code %s\n", code);
    printf("  ballot \"%s\" on device %u (\"%s\"), position %lld\n  %s\n", sid,
           (unsigned)dev->index, sdev, (long long)seq,
           st && strcmp(st, "Cast") == 0
               ? "CAST: it is counted in the tally"
               : "CHALLENGED: it is not counted; it was spoiled and opened "
                 "for checking");
    /* §3.7: the encryption time the device gave, if any (its form is
     * checked before it reaches the terminal) */
    const char *at = json_string_value(json_object_get(j, "encrypted_at"));
    if (at != NULL && sc_time_ok(at)) {
        printf("  encrypted at %s (the device's clock)\n", at);
    }
    if (st != NULL && strcmp(st, "Challenged") == 0 && id) {
        const char *idb = json_string_value(
            json_object_get(j, "selection_encryption_identifier"));
        if (idb != NULL) {
            show_opening(dir, m, idb);
        }
    }
}

int cmd_lookup(int argc, char **argv)
{
    static const struct option opts[] = {
        {"record", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int c;
    /* --board: look the code up on a bulletin board (cmd_lookup_board.c) */
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--board", 7) == 0) {
            return cmd_lookup_board(argc, argv);
        }
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': dir = optarg; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("lookup", c, argv);
        }
    }
    if (dir == NULL || argc - optind < 1) {
        return cli_usage_error("lookup", "give -r DIR and a confirmation code");
    }
    /* the code may be given in pieces: "AB12 CD34 ..." */
    char code[CLI_CODE_MAX + 1];
    if (cli_code_prefix(argc - optind, argv + optind, code) == 0) {
        return cli_usage_error("lookup", "%s", CLI_CODE_RULE);
    }
    size_t clen = strlen(code);
    char err[SC_ERRMAX];
    sc_record *rec = NULL;
    sc_devices ds = {0};
    sc_json *hit = NULL;
    int ret = EXIT_ERROR;
    sc_status rc = sc_record_open(&rec, dir, 0, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    rc = sc_devices_read(&ds, dir, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s", err);
        goto done;
    }
    /* every ballot whose code starts with the prefix: exactly one must */
    size_t nhit = 0, hdev = 0;
    for (size_t d = 0; d < ds.n; d++) {
        char name[64], path[4096];
        snprintf(name, sizeof name, "%s/device_%u.jsonl", SC_REC_BALLOTS_DIR,
                 (unsigned)ds.d[d].index);
        if (sc_record_path(path, sizeof path, dir, name) != SC_OK) {
            goto done;
        }
        sc_ballot_reader *rd = NULL;
        rc = sc_ballot_reader_open(&rd, path);
        if (rc != SC_OK) {
            cli_err("%s: cannot read: %s", path, sc_strerror(rc));
            goto done;
        }
        sc_jctx ctx;
        sc_jctx_init(&ctx, path, NULL);
        sc_ballot_reader_filter(rd, code);
        for (;;) {
            sc_json *j = NULL;
            rc = sc_ballot_reader_next_json(rd, &ctx, &j);
            if (rc != SC_OK) {
                cli_err("%s", ctx.msg);
                sc_ballot_reader_free(rd);
                goto done;
            }
            if (j == NULL) {
                break;
            }
            json_t *cc = json_object_get(j, "confirmation_code");
            if (json_is_string(cc) &&
                strncmp(json_string_value(cc), code, clen) == 0) {
                if (nhit++ == 0) {
                    hit = j;
                    hdev = d;
                    continue;
                }
            }
            sc_json_free(j);
        }
        sc_ballot_reader_free(rd);
    }
    if (nhit == 0) {
        printf("confirmation code %s is NOT in the record %s\n", code, dir);
        ret = EXIT_VERIFY;
    } else if (nhit > 1) {
        cli_code_ambiguous(code, nhit, 0);
        ret = EXIT_USAGE;
    } else {
        show_ballot(dir, rec->manifest, &ds.d[hdev], hit);
        ret = EXIT_OK;
    }
done:
    sc_json_free(hit);
    sc_devices_clear(&ds);
    sc_record_free(rec);
    return ret;
}
