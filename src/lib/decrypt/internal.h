/* Scrutin internal: shared between decrypt.c and decrypt_io.c. */
#ifndef SC_DECRYPT_INTERNAL_H
#define SC_DECRYPT_INTERNAL_H

#include "scrutin/decrypt.h"

/** A state for nu guardians and n_items items, all zero. */
SC_MUST_USE sc_status sc_dec_state_alloc(sc_dec_state **out, size_t nu,
                                         size_t n_items);

#endif
