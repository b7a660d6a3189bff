/* Scrutin internal: shared between decrypt.c and decrypt_io.c. */
#ifndef SC_DECRYPT_INTERNAL_H
#define SC_DECRYPT_INTERNAL_H

#include <dirent.h>

#include <jansson.h>

#include "scrutin/decrypt.h"

/** A state for nu guardians and n_items items, all zero. */
SC_MUST_USE sc_status sc_dec_state_alloc(sc_dec_state **out, size_t nu,
                                         size_t n_items);

/* decrypt_io.c */
/** The guardian records, keys and hashes of a record (Verifications 2-4):
 *  a job with no items yet. */
SC_MUST_USE sc_status sc_dec_job_load_keys(sc_decrypt_job **out,
                                           const sc_group *grp,
                                           const char *record);
void sc_dec_job_digest(sc_decrypt_job *job);
/** One ballot line (ciphertexts, ballot nonce, contest data), its
 *  elements tested for Z_p^r in one batch. */
SC_MUST_USE sc_status sc_dec_parse_ballot(const sc_decrypt_job *job,
                                          const json_t *o, const char *where,
                                          sc_challenged_ballot *b);
/** The same with the range check only, for a reader that tests many
 *  ballots in one batch (sc_dec_ballots_members). */
SC_MUST_USE sc_status sc_dec_parse_ballot_unchecked(const sc_decrypt_job *job,
                                                    const json_t *o,
                                                    const char *where,
                                                    sc_challenged_ballot *b);
/** Every element of bs[0..nb) in Z_p^r, one batch: SC_OK, or
 *  SC_E_INVALID_NOT_IN_SUBGROUP with the first bad ballot and its element
 *  (no message: sc_dec_ballot_not_member words it). */
SC_MUST_USE sc_status sc_dec_ballots_members(const sc_group *grp,
                                             const sc_challenged_ballot *bs,
                                             size_t nb, size_t *bad_ballot,
                                             size_t *bad_elem);
/** The error for element `elem` of b outside Z_p^r, as the checked
 *  parse words it. */
SC_MUST_USE sc_status sc_dec_ballot_not_member(const sc_challenged_ballot *b,
                                               size_t elem, const char *where);
void sc_dec_ballot_clear(sc_challenged_ballot *b);
/** scandir filter and order of ballots/device_<d>.jsonl. */
int sc_dec_device_filter(const struct dirent *e);
int sc_dec_device_cmp(const struct dirent **a, const struct dirent **b);
/** Append o as one compact line (takes o). */
SC_MUST_USE sc_status sc_dec_lines_append(char **lines, size_t *llen,
                                          size_t *lcap, json_t *o);

/* write_ins.c (docs/RECORD.md "Reading write-ins") */
/** COUNT items for the contests whose manifest reads write-ins. */
SC_MUST_USE sc_status sc_dec_add_counts(sc_decrypt_job *job,
                                        const char *record);
/** write_in_counts.jsonl from the COUNT items (nothing if none). */
SC_MUST_USE sc_status sc_dec_write_counts(const sc_decrypt_job *job,
                                          const char *record);
/** write_ins.jsonl from the DATA items. */
SC_MUST_USE sc_status sc_dec_write_write_ins(const sc_decrypt_job *job,
                                             const char *record);

#endif
