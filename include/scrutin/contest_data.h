/* Scrutin: the plaintext of a contest's contest data D_Λ (spec §3.3.10,
 * eq 63; docs/RECORD.md "Contest data encoding", record format 2).
 *
 * The spec leaves the byte layout to the implementation ("It is incumbent
 * upon the device calling ElectionGuard to fill these 32·b_Λ bytes
 * unambiguously"). Scrutin's layout, for a contest with n options of
 * which w are write-in options (n = n_real: supplemental fields are not
 * options), in 32·b_Λ bytes:
 *
 *   byte 0         flags: 0x01 overvote, 0x02 undervote, 0x04 null vote
 *   bytes 1..2n    b(σ_j, 2) for j = 1..n: the voter's selections when the
 *                  contest was overvoted (its encrypted fields are then all
 *                  zero, §3.3.5), zero otherwise
 *   then, per write-in option in manifest order: b(len, 2) ‖ len bytes of
 *                  UTF-8 text (len = 0: no text written)
 *   then 0x00 up to 32·b_Λ bytes.
 *
 * Every length is explicit, so padding cannot be confused with data; the
 * decoder rejects unknown flags, inconsistent flags, selections without
 * the overvote flag, overlong or non-UTF-8 text and non-zero padding.
 * Flags: overvote iff Σσ > L or some σ_j > R_j; undervote iff not
 * overvoted and Σσ < L; null vote iff not overvoted and Σσ = 0 (a null
 * vote is an undervote too, §3.3.9). A contest missing from the plaintext
 * ballot is a null vote. */
#ifndef SCRUTIN_CONTEST_DATA_H
#define SCRUTIN_CONTEST_DATA_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>

#include "scrutin/json.h"
#include "scrutin/manifest.h"
#include "scrutin/status.h"

/* eq 66: b_Λ · 256 < 2^32, so b_Λ < 2^24. */
#define SC_CONTEST_DATA_MAX_BLOCKS (1u << 24)

#define SC_CD_OVERVOTE 0x01u
#define SC_CD_UNDERVOTE 0x02u
#define SC_CD_NULL_VOTE 0x04u

/** Smallest D_Λ length in bytes for this contest: 1 + 2n + 2w. */
SC_API size_t sc_contest_data_min_bytes(const sc_manifest_contest *mc);

/** Flags of the encoding for selections sel (n_options values; NULL: the
 *  contest is absent from the ballot). */
SC_API uint8_t sc_contest_data_flags(const sc_manifest_contest *mc,
                                     const uint32_t *sel);

/** Encode D_Λ into D (32 · mc->data_blocks bytes). sel: the voter's
 *  selections (NULL: contest absent); write_ins: n_real entries, the
 *  text of write-in option j or NULL (may itself be NULL). SECRET in and
 *  out. SC_E_INVALID_LENGTH if the text does not fit, SC_E_MISUSE if the
 *  contest has no contest data or text is given for a non-write-in
 *  option. */
SC_API SC_MUST_USE sc_status
sc_contest_data_encode(const sc_manifest_contest *mc, const uint32_t *sel,
                       const char *const *write_ins, uint8_t *D);

/** Decode and validate D (len bytes, = 32 · data_blocks) into a JSON
 *  object {"overvote":b,"undervote":b,"null_vote":b[,"selections":[...]]
 *  [,"write_ins":{"<ind_o>":"text",...}]} (selections only when
 *  overvoted; write-ins only those with text). SC_E_INVALID if D is not
 *  a well-formed encoding for this contest. */
SC_API SC_MUST_USE sc_status sc_contest_data_decode(
    const sc_manifest_contest *mc, const uint8_t *D, size_t len, sc_json **out);

#endif
