/* Scrutin internal: pieces of the ceremony shared with src/lib/decrypt. */
#ifndef SC_CEREMONY_INTERNAL_H
#define SC_CEREMONY_INTERNAL_H

#include "scrutin/ceremony.h"

/** K, K-hat (eq 25-26), H_G (eq 27), H_E (eq 30) from the n records (not
 *  checked here). */
SC_MUST_USE sc_status sc_ceremony_joint(const sc_ceremony_ctx *ctx,
                                        const sc_guardian_public *pubs,
                                        sc_guardian_result *res);
/** Verification 2 on all n records; *culprit = first bad guardian. */
SC_MUST_USE sc_status sc_ceremony_check_publics(const sc_ceremony_ctx *ctx,
                                                const sc_guardian_public *pubs,
                                                uint32_t *culprit);

#endif
