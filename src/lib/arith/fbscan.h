/* Scrutin: constant-time scan of a blocked fixed-base table row on
 * AVX-512 (fbscan.c). Not public. */
#ifndef SC_ARITH_FBSCAN_H
#define SC_ARITH_FBSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "arith/mont.h"

#ifdef SC_HAVE_IFMA
/** 1 if rows of n limbs (8-limb blocks) have a vector scan: n = 64 or 48. */
int sc_fbscan_ok(mp_size_t n);
/** out = entry d of a row of cnt entries of n limbs stored
 * [block][entry][8 limbs] (every entry read; d chooses by mask only).
 * Only where the CPU has AVX-512 F (m->ifma); row 64-byte aligned. */
void sc_fbscan(uint64_t *out, const uint64_t *row, size_t cnt, mp_size_t n,
               size_t d);
/** The same for two digits in one pass over the row. */
void sc_fbscan2(uint64_t *out0, uint64_t *out1, const uint64_t *row, size_t cnt,
                mp_size_t n, size_t d0, size_t d1);
#endif

#endif
