/* Scrutin: homomorphic tally of the cast ballots (spec §3.5, eq 79-80).
 *
 * Streaming: ballots are added one at a time (constant memory: one
 * ciphertext per option), so a record of any size is tallied from its
 * ballot files line by line. Challenged ballots are not counted. A ballot
 * of weight W contributes (alpha^W, beta^W) (eq 80). */
#ifndef SCRUTIN_TALLY_H
#define SCRUTIN_TALLY_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/ballot.h"
#include "scrutin/elgamal.h"
#include "scrutin/manifest.h"
#include "scrutin/status.h"

typedef struct sc_tally {
    const sc_group *grp;   /* borrowed */
    const sc_manifest *m;  /* borrowed */
    size_t n_options;      /* all options of all contests */
    size_t *offset;        /* offset[c-1]: first option of contest c */
    sc_ciphertext *ab;     /* (A, B) per option, flattened */
    uint64_t cast;         /* cast ballots added */
    uint64_t weight_total; /* sum of their weights */
} sc_tally;

/** New tally: every (A, B) = (1, 1) (the empty product, AMBIGUITIES 12). */
SC_API SC_MUST_USE sc_status sc_tally_new(sc_tally **out, const sc_group *grp,
                                          const sc_manifest *m);
SC_API void sc_tally_free(sc_tally *t);
/** Add one ballot: counted only if it is Cast (returns SC_OK and does
 *  nothing for a challenged one). SC_E_INVALID if its contests do not
 *  match the manifest. */
SC_API SC_MUST_USE sc_status sc_tally_add(sc_tally *t, const sc_enc_ballot *b);
/** (A, B) of option ind_o of contest ind_c (1-based), or NULL. */
SC_API const sc_ciphertext *sc_tally_get(const sc_tally *t, uint32_t ind_c,
                                         uint32_t ind_o);
/** Merge another tally of the same manifest into t (parallel tallies). */
SC_API void sc_tally_merge(sc_tally *t, const sc_tally *other);

#endif
