/* The 2.0 verifier, Verifications 12-14 for the challenged (SPOILED)
 * ballots: each decrypted ballot of challenged_ballots/ is checked by the
 * decryption reader (v20_decrypt.c), bound to a SPOILED ballot of
 * encrypted_ballots/ by its ciphertexts (V12.B), and every SPOILED ballot
 * must have a decryption (§3.6.5). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "verify20/v20.h"

static void challenged_task(v20 *v, v20_worker *w, size_t idx, void *arg)
{
    (void)w;
    char msg[V20_MSG];
    char path[4800];
    char where[V20_WHERE];
    char **files = arg;
    const char *id;
    v20_dec d = {.file = files[idx], .ballot = 1};
    v20_loc root = {.file = files[idx], .path = "", .msg = msg};
    v20_path(v, path, sizeof path, files[idx]);
    sc_status rc = v20_load(path, files[idx], &d.root, msg);
    if (rc == SC_OK) {
        rc = v20_get_str(&root, d.root, "id", &id);
    }
    if (rc != SC_OK) {
        v20_rep_err(v, "V12", msg);
        goto done;
    }
    d.id = id;
    v20_sfmt(where, sizeof where, "ballot %s", id);
    pthread_mutex_lock(&v->mu);
    v20_sum *s = v20_sum_by_id(v, NULL, id);
    if (s != NULL) {
        s->used_dec |= 1;
    }
    pthread_mutex_unlock(&v->mu);
    if (s == NULL || s->state != V20_SPOILED) {
        sc_report_fail(v->rep, "V12.B", where,
                       "decrypted ballot is not a challenged (SPOILED) "
                       "ballot of encrypted_ballots/");
    }
    d.enc = s;
    v20_run_dec(v, &d, "V12");
    if (s != NULL && s->parsed && memcmp(d.dig, s->ctdig, 32) != 0) {
        sc_report_fail(v->rep, "V12.B", where,
                       "the decrypted ciphertexts are not those of the "
                       "encrypted ballot");
    }
done:
    json_decref(d.root);
}

void v20_steps12to14_challenged(v20 *v)
{
    char path[4200];
    char **files = NULL;
    size_t n = 0;
    size_t cap = 0;
    v20_path(v, path, sizeof path, "challenged_ballots");
    if (v20_file_exists(path)) {
        if (v20_list_files(v->dir, "challenged_ballots", "", &files, &n,
                           &cap) != SC_OK) {
            sc_report_error(v->rep, "V12", "challenged_ballots",
                            "challenged_ballots/: cannot list");
            goto done;
        }
    }
    if (n > 1) {
        qsort(files, n, sizeof *files, v20_cmp_str);
    }
    v20_pool_run(v, n, challenged_task, files);
    /* every challenged ballot must be decrypted (§3.6.5) */
    size_t nspoiled = 0;
    for (size_t i = 0; i < v->nballots; i++) {
        const v20_sum *s = &v->sums[i];
        if (s->parsed && s->state == V20_SPOILED) {
            nspoiled++;
            if (!(s->used_dec & 1)) {
                char where[V20_WHERE];
                v20_sfmt(where, sizeof where, "ballot %s", s->id);
                sc_report_fail(v->rep, "V12.B", where,
                               "challenged ballot has no decryption in "
                               "challenged_ballots/");
            }
        }
    }
    if (n > 0 && !atomic_load(&v->data_ballot) && !v20_skipped(v, 14)) {
        sc_report_skip(v->rep, "V14",
                       "no contest data on the challenged "
                       "ballots");
    }
    if (n == 0 && nspoiled == 0) {
        sc_report_skip(v->rep, "V12", "no challenged ballots");
        sc_report_skip(v->rep, "V13", "no challenged ballots");
        sc_report_skip(v->rep, "V14", "no challenged ballots");
    }
done:
    for (size_t i = 0; i < n; i++) {
        free(files[i]);
    }
    free(files);
}
