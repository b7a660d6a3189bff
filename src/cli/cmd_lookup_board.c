/* scrutin lookup --board: a voter finds a confirmation code on the
 * bulletin board (docs/BOARD.md §4) and checks what the board says:
 * the entry's inclusion proof against a checkpoint signed by the board
 * and cosigned by the quorum of the log's witness policy, the payload's
 * hash, and that the checkpoint is consistent with the largest one this
 * client has seen before (kept in a small state file), so a board that
 * rolls back or forks its log is caught. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "board_client.h"
#include "commands.h"
#include "net/httpc.h"
#include "scrutin/core.h"
#include "scrutin/json.h"
#include "scrutin/logrec.h"
#include "code_prefix.h"
#include "util.h"

static void help(void)
{
    printf(
        "usage: scrutin lookup --board URL [--state FILE] CODE\n"
        "\n"
        "Find a ballot confirmation code on the bulletin board at URL. CODE\n"
        "is the code or a unique prefix of at least 8 hex digits (spaces,\n"
        "dashes and case do not matter). The answer is checked: the entry\n"
        "is included in a checkpoint signed by the board and cosigned by\n"
        "the witnesses the log's policy requires, its payload is the one\n"
        "the entry commits to, and the checkpoint extends the largest one\n"
        "seen before (a rollback or a fork of the log is reported).\n"
        "\n"
        "options:\n"
        "      --board URL    the board (http://host:port)\n"
        "      --state FILE   where the largest checkpoint seen is kept\n"
        "                     (default ~/.cache/scrutin/<origin>.checkpoint)\n"
        "  -h, --help         show this help\n"
        "\n"
        "Exit status: 0 found, 1 not found or the board's answer does not\n"
        "check, 2 usage, 3 other error.\n");
}

/* The state file: the largest checkpoint seen (signed note). */
static int state_path(char *out, size_t cap, const char *given,
                      const char *origin)
{
    if (given != NULL) {
        snprintf(out, cap, "%s", given);
        return 1;
    }
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0') {
        return 0;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/.cache", home);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/.cache/scrutin", home);
    mkdir(dir, 0700);
    char name[SC_TLOG_NAME_MAX + 16];
    sc_logrec_state_name(name, sizeof name, origin);
    snprintf(out, cap, "%s/%s", dir, name);
    return 1;
}

/* Accept checkpoint cp (already checked) against the largest seen: the
 * same or larger, with a consistency proof from the board; keep it if
 * larger. Returns EXIT_OK or EXIT_VERIFY (printed). */
static int observe(const bc_board *b, const char *state,
                   const sc_checkpoint *cp, const char *msg, size_t len)
{
    char *old = NULL, err[512];
    size_t olen = 0;
    sc_checkpoint prev;
    if (sc_file_read_all(state, &old, &olen) == SC_OK) {
        if (bc_check_checkpoint(b, old, olen, BC_SIG_ONLY, &prev, NULL, err,
                                sizeof err) != SC_OK) {
            cli_err("%s: the checkpoint kept there does not check (%s); "
                    "remove the file to start afresh",
                    state, err);
            free(old);
            return EXIT_VERIFY;
        }
        free(old);
        if (prev.size > cp->size) {
            cli_err("ROLLBACK: the board shows a log of %llu entries, "
                    "smaller than the %llu it showed before (%s)",
                    (unsigned long long)cp->size, (unsigned long long)prev.size,
                    state);
            return EXIT_VERIFY;
        }
        uint8_t proof[SC_TLOG_MAX_PROOF][32];
        size_t np = 0;
        if (prev.size < cp->size && prev.size > 0) {
            char path[96];
            snprintf(path, sizeof path, "v1/consistency?from=%llu&to=%llu",
                     (unsigned long long)prev.size,
                     (unsigned long long)cp->size);
            char *u = sc_httpc_url(b->url, path);
            sc_httpc_resp r;
            sc_status rc =
                u ? sc_httpc_get(u, NULL, &r, err, sizeof err) : SC_E_NOMEM;
            free(u);
            if (rc != SC_OK || r.status != 200) {
                if (rc == SC_OK) {
                    sc_httpc_resp_free(&r);
                }
                cli_err("cannot get a consistency proof from %llu to %llu",
                        (unsigned long long)prev.size,
                        (unsigned long long)cp->size);
                return EXIT_ERROR;
            }
            char *save = NULL;
            for (char *l = strtok_r(r.body, "\n", &save); l != NULL;
                 l = strtok_r(NULL, "\n", &save)) {
                size_t n = 0;
                if (np == SC_TLOG_MAX_PROOF ||
                    sc_b64_decode(proof[np], 32, &n, l, strlen(l)) != SC_OK ||
                    n != 32) {
                    np = SC_TLOG_MAX_PROOF + 1;
                    break;
                }
                np++;
            }
            sc_httpc_resp_free(&r);
            if (np > SC_TLOG_MAX_PROOF) {
                cli_err("the consistency proof is malformed");
                return EXIT_VERIFY;
            }
        }
        if (prev.size > 0 && sc_tlog_consistency_verify(
                                 prev.size, prev.root, cp->size, cp->root,
                                 (const uint8_t(*)[32])proof, np) != SC_OK) {
            cli_err("FORK: the board's log of %llu entries does not extend "
                    "the log of %llu entries it showed before (%s)",
                    (unsigned long long)cp->size, (unsigned long long)prev.size,
                    state);
            return EXIT_VERIFY;
        }
        if (prev.size == cp->size) {
            return EXIT_OK;
        }
    }
    if (sc_file_write_atomic_mode(state, msg, len, 0600) != SC_OK) {
        cli_err("warning: %s: cannot keep the checkpoint", state);
    }
    return EXIT_OK;
}

/* The opening of a challenged ballot (a `challenged` entry with the same
 * id_B), printed; the entries come from the checked log. */
static void show_opening(const bc_board *b, const char *idb)
{
    sc_checkpoint cp;
    uint8_t *ents = NULL;
    char err[512];
    if (bc_log(b, BC_QUORUM_REQUIRED, &cp, NULL, NULL, &ents, err,
               sizeof err) != SC_OK) {
        printf("  opening: cannot be read (%s)\n", err);
        return;
    }
    int found = 0;
    for (uint64_t i = 0; i < cp.size && !found; i++) {
        sc_entry e;
        uint8_t *p = NULL;
        size_t plen = 0;
        if (sc_entry_decode(&e, ents + i * SC_ENTRY_BYTES, SC_ENTRY_BYTES) !=
                SC_OK ||
            e.type != SC_ENTRY_CHALLENGED ||
            bc_payload(b, e.payload_sha256, e.payload_len, &p, &plen, err,
                       sizeof err) != SC_OK) {
            continue;
        }
        sc_jctx ctx;
        sc_jctx_init(&ctx, "opening", NULL);
        sc_json *o = NULL, *cs = NULL;
        const char *id = NULL;
        size_t nc = 0;
        if (sc_json_parse(&ctx, (const char *)p, plen, &o) == SC_OK &&
            sc_json_get_str(&ctx, o, "selection_encryption_identifier", &id) ==
                SC_OK &&
            strcasecmp(id, idb) == 0 &&
            sc_json_get_arr(&ctx, o, "contests", &cs, &nc) == SC_OK) {
            found = 1;
            printf("  opened (entry %llu):\n", (unsigned long long)i);
            for (size_t k = 0; k < nc; k++) {
                const sc_json *c = sc_json_array_at(cs, k);
                uint32_t ci = 0;
                sc_json *sel = NULL;
                size_t ns = 0;
                if (sc_json_get_u32(&ctx, c, "index", &ci) != SC_OK ||
                    sc_json_get_arr(&ctx, c, "selections", &sel, &ns) !=
                        SC_OK) {
                    continue;
                }
                printf("    contest %u:", ci);
                for (size_t s = 0; s < ns; s++) {
                    uint32_t v = 0;
                    if (sc_json_as_u32(&ctx, sc_json_array_at(sel, s),
                                       "selection", &v) == SC_OK) {
                        printf(" %u", v);
                    }
                }
                printf("\n");
            }
        }
        sc_json_free(o);
        free(p);
    }
    if (!found) {
        printf("  not opened yet (no challenged entry for it on the "
               "board)\n");
    }
    free(ents);
}

int cmd_lookup_board(int argc, char **argv)
{
    enum { O_BOARD = 256, O_STATE };
    static const struct option opts[] = {
        {"board", required_argument, NULL, O_BOARD},
        {"state", required_argument, NULL, O_STATE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *url = NULL, *state_given = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case O_BOARD: url = optarg; break;
        case O_STATE: state_given = optarg; break;
        case 'h': help(); return EXIT_OK;
        default: return cli_bad_option("lookup", c, argv);
        }
    }
    char prefix[65];
    if (url == NULL || argc - optind < 1 ||
        cli_code_prefix(argc - optind, argv + optind, prefix) == 0) {
        return cli_usage_error("lookup", "give --board URL and a code: %s",
                               CLI_CODE_RULE);
    }
    char err[1024];
    bc_board b;
    sc_status rc = bc_open(&b, url, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s: %s", url, err);
        return rc == SC_E_IO || rc == SC_E_NOMEM ? EXIT_ERROR : EXIT_VERIFY;
    }
    int ret = EXIT_ERROR;
    char state[4096];
    char *msg = NULL;
    size_t mlen = 0;
    sc_json *o = NULL, *pl = NULL;
    uint8_t *payload = NULL;
    sc_checkpoint cp;
    if (!state_path(state, sizeof state, state_given, b.origin)) {
        cli_err("no HOME: give --state FILE");
        goto done;
    }
    /* The current checkpoint, against the largest seen. */
    rc = bc_checkpoint(&b, BC_QUORUM_REQUIRED, &cp, &msg, &mlen, err,
                       sizeof err);
    if (rc != SC_OK) {
        cli_err("%s: %s", url, err);
        ret = rc == SC_E_IO ? EXIT_ERROR : EXIT_VERIFY;
        goto done;
    }
    ret = observe(&b, state, &cp, msg, mlen);
    if (ret != EXIT_OK) {
        goto done;
    }
    ret = EXIT_ERROR;
    /* The code. */
    char path[96];
    snprintf(path, sizeof path, "v1/codes/%s", prefix);
    for (char *q = path; *q != '\0'; q++) { /* the board's digits */
        *q = (char)tolower((unsigned char)*q);
    }
    char *u = sc_httpc_url(b.url, path);
    sc_httpc_resp r;
    rc = u ? sc_httpc_get(u, NULL, &r, err, sizeof err) : SC_E_NOMEM;
    free(u);
    if (rc != SC_OK || r.status != 200) {
        cli_err("%s: cannot search the codes%s%s", url, rc ? ": " : "",
                rc ? err : "");
        if (rc == SC_OK) {
            sc_httpc_resp_free(&r);
        }
        goto done;
    }
    sc_jctx ctx;
    sc_jctx_init(&ctx, "/v1/codes", NULL);
    sc_json *ms = NULL;
    size_t nm = 0;
    int trunc = 0;
    rc = sc_json_parse(&ctx, r.body, r.len, &o);
    sc_httpc_resp_free(&r);
    if (rc == SC_OK) {
        rc = sc_json_get_arr(&ctx, o, "matches", &ms, &nm);
    }
    if (rc == SC_OK) {
        rc = sc_json_get_bool(&ctx, o, "truncated", &trunc);
    }
    if (rc != SC_OK) {
        cli_err("%s: %s", url, ctx.msg);
        goto done;
    }
    if (nm == 0) {
        printf("%s: not on the board (log of %llu entries). If this is "
               "your ballot's code, tell the election officials.\n",
               prefix, (unsigned long long)cp.size);
        ret = EXIT_VERIFY;
        goto done;
    }
    if (nm > 1 || trunc) {
        cli_code_ambiguous(prefix, nm, trunc);
        ret = EXIT_USAGE;
        goto done;
    }
    const sc_json *m = sc_json_array_at(ms, 0);
    uint64_t idx = 0;
    uint8_t code[32];
    const char *chex = NULL;
    if (sc_json_get_u64(&ctx, m, "index", &idx) != SC_OK ||
        sc_json_get_str(&ctx, m, "code", &chex) != SC_OK ||
        strlen(chex) != 64 || sc_hex_decode(code, 32, chex, 64) != SC_OK ||
        strncasecmp(chex, prefix, strlen(prefix)) != 0) {
        cli_err("%s: a malformed match", url);
        ret = EXIT_VERIFY;
        goto done;
    }
    /* The entry, its payload and its proof, and that checkpoint too. */
    sc_entry e;
    size_t plen = 0;
    sc_checkpoint ecp;
    char *emsg = NULL;
    size_t emlen = 0;
    rc = bc_entry(&b, idx, BC_QUORUM_REQUIRED, &e, &payload, &plen, &ecp, &emsg,
                  &emlen, err, sizeof err);
    if (rc != SC_OK) {
        cli_err("%s: entry %llu: %s", url, (unsigned long long)idx, err);
        ret = rc == SC_E_IO ? EXIT_ERROR : EXIT_VERIFY;
        goto done;
    }
    /* the entry's checkpoint must fit with the largest seen too */
    ret = observe(&b, state, &ecp, emsg, emlen);
    free(emsg);
    if (ret != EXIT_OK) {
        goto done;
    }
    ret = EXIT_ERROR;
    if (e.type != SC_ENTRY_BALLOT || memcmp(e.key, code, 32) != 0) {
        cli_err("%s: entry %llu is not the ballot with this code", url,
                (unsigned long long)idx);
        ret = EXIT_VERIFY;
        goto done;
    }
    sc_jctx_init(&ctx, "ballot", NULL);
    const char *id = NULL, *st = NULL, *idb = NULL;
    uint32_t dev = 0, seq = 0;
    uint8_t hc[32];
    if (sc_json_parse(&ctx, (const char *)payload, plen, &pl) != SC_OK ||
        sc_json_get_str(&ctx, pl, "id", &id) != SC_OK ||
        sc_json_get_str(&ctx, pl, "state", &st) != SC_OK ||
        sc_json_get_u32(&ctx, pl, "device", &dev) != SC_OK ||
        sc_json_get_u32(&ctx, pl, "sequence", &seq) != SC_OK ||
        sc_json_get_str(&ctx, pl, "selection_encryption_identifier", &idb) !=
            SC_OK ||
        sc_json_get_hash(&ctx, pl, "confirmation_code", hc) != SC_OK ||
        memcmp(hc, code, 32) != 0) {
        cli_err("entry %llu: the ballot cannot be read (%s)",
                (unsigned long long)idx, ctx.msg);
        ret = EXIT_VERIFY;
        goto done;
    }
    int challenged = strcmp(st, "Challenged") == 0;
    char upper[65];
    sc_hex_encode(upper, code, 32);
    printf("%s\n  %s: ballot \"%s\", device %u, ballot %u of that device\n"
           "  entry %llu of %llu, included in a checkpoint signed by the "
           "board and cosigned as the witness policy requires\n",
           upper, challenged ? "CHALLENGED" : "CAST", id, dev, seq,
           (unsigned long long)idx, (unsigned long long)ecp.size);
    if (challenged) {
        show_opening(&b, idb);
    }
    ret = EXIT_OK;
done:
    sc_json_free(o);
    sc_json_free(pl);
    free(payload);
    free(msg);
    bc_close(&b);
    return ret;
}
