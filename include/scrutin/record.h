/* Scrutin: reading and writing the election record (spec §3.7,
 * docs/RECORD.md) for the pipeline's parts: the election's parameters and
 * hashes, devices, encrypted ballots (streamed, one per line) and the
 * encrypted tally. The guardians' files are written by ceremony.h /
 * decrypt.h through json.h.
 *
 * Every file is written atomically (temporary file, fsync, rename). Every
 * reader checks widths, ranges and subgroup membership and reports the
 * first problem as "FILE: field X: what" in an error buffer. */
#ifndef SCRUTIN_RECORD_H
#define SCRUTIN_RECORD_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scrutin/ballot.h"
#include "scrutin/elgamal.h"
#include "scrutin/json.h"
#include "scrutin/manifest.h"
#include "scrutin/status.h"
#include "scrutin/tally.h"

#define SC_RECORD_FORMAT_VERSION 2
#define SC_ERRMAX 512

/* File names inside a record directory. */
#define SC_REC_RECORD "record.json"
#define SC_REC_PARAMS "election_parameters.json"
#define SC_REC_MANIFEST "election_manifest_canonical.bin"
#define SC_REC_HASHES "hashes.json"
#define SC_REC_JOINT_KEY "joint_election_public_key.json"
#define SC_REC_HASHES_EXT "hashes_ext.json"
#define SC_REC_DEVICES "devices.json"
#define SC_REC_BALLOTS_DIR "ballots"
#define SC_REC_ENC_TALLY "encrypted_tally.json"
#define SC_REC_TALLY "tally.json"
#define SC_REC_CHALLENGED "challenged.jsonl"

/* ------------------------------------------------------------------------
 * Creating a record: the parts known before the key ceremony
 * ---------------------------------------------------------------------- */

/** Create record_dir (and ballots/) if missing and write record.json,
 *  election_parameters.json (n, k, ballot_chaining "Allowed"), the
 *  canonical manifest and hashes.json (H_P eq 4, H_B eq 5). `info` may be
 *  NULL. A record is never overwritten: SC_E_DUPLICATE if record_dir
 *  already holds a record.json. */
SC_API SC_MUST_USE sc_status sc_record_init(const char *record_dir,
                                            const sc_group *grp,
                                            const sc_manifest *m, uint32_t n,
                                            uint32_t k, const char *info,
                                            char *err, size_t errlen);

/* ------------------------------------------------------------------------
 * An opened record
 * ---------------------------------------------------------------------- */

typedef struct sc_record {
    char *dir;
    sc_group *grp; /* owned: from record.json parameter_set */
    sc_manifest *manifest;
    uint32_t n, k;
    uint8_t h_p[32], h_b[32];
    int has_keys; /* the key ceremony's parts are present */
    uint8_t h_e[32];
    sc_elgamal_key *K, *Khat; /* owned, NULL unless has_keys */
} sc_record;

#define SC_RECORD_NEED_KEYS 1 /* fail unless K, K-hat and H_E are there */

/** Open a record: record.json (group), election_parameters.json (n, k),
 *  the canonical manifest (parsed and validated), hashes.json (H_P and H_B
 *  are recomputed and must match); then, if present or if flags has
 *  SC_RECORD_NEED_KEYS, joint_election_public_key.json and
 *  hashes_ext.json (H_E recomputed by eq 30 and compared). */
SC_API SC_MUST_USE sc_status sc_record_open(sc_record **out, const char *dir,
                                            int flags, char *err,
                                            size_t errlen);
SC_API void sc_record_free(sc_record *r);
/** dir/name into buf (SC_E_RANGE if it does not fit). */
SC_API SC_MUST_USE sc_status sc_record_path(char *buf, size_t len,
                                            const char *dir, const char *name);
/** An sc_election view (borrowing the record's keys) for encryption. */
SC_API void sc_record_election(const sc_record *r, sc_election *e);

/* ------------------------------------------------------------------------
 * Encrypted ballots: JSON form and streams
 * ---------------------------------------------------------------------- */

/** The docs/RECORD.md form of one ballot (compact line, caller frees). */
SC_API SC_MUST_USE sc_status sc_ballot_to_json(const sc_group *grp,
                                               const sc_enc_ballot *b,
                                               sc_json **out);
/** Read one ballot line's object: widths, ranges and membership of every
 *  element (batched), the style's contests in order, the number of
 *  fields and proof sizes per the manifest. Proofs are not verified. */
SC_API SC_MUST_USE sc_status sc_ballot_from_json(sc_jctx *ctx,
                                                 const sc_group *grp,
                                                 const sc_manifest *m,
                                                 const sc_json *obj,
                                                 sc_enc_ballot **out);

/** Writes ballots/device_<d>.jsonl: lines go to a temporary file that
 *  replaces the target at commit; abort (or free without commit) leaves
 *  the target as it was. With `append`, the existing file's lines are
 *  copied first. */
typedef struct sc_ballot_writer sc_ballot_writer;
SC_API SC_MUST_USE sc_status sc_ballot_writer_open(sc_ballot_writer **out,
                                                   const char *path,
                                                   int append);
SC_API SC_MUST_USE sc_status sc_ballot_writer_put(sc_ballot_writer *w,
                                                  const sc_group *grp,
                                                  const sc_enc_ballot *b);
/** Write one ready line (sc_encrypt_batch's lines; no newline in it). */
SC_API SC_MUST_USE sc_status sc_ballot_writer_put_line(sc_ballot_writer *w,
                                                       const char *line);
SC_API SC_MUST_USE sc_status sc_ballot_writer_commit(sc_ballot_writer *w);
/** Flush and fsync the lines; *tmp is the temporary file (kept open and
 *  locked until free), *path the target, for sc_device_commit. */
SC_API SC_MUST_USE sc_status sc_ballot_writer_finish(sc_ballot_writer *w,
                                                     const char **tmp,
                                                     const char **path);
/** The temporary file was renamed by someone else (a commit). */
SC_API void sc_ballot_writer_renamed(sc_ballot_writer *w);
SC_API void sc_ballot_writer_free(sc_ballot_writer *w); /* aborts if not done */

/** Reads a .jsonl ballot file line by line (constant memory). */
typedef struct sc_ballot_reader sc_ballot_reader;
SC_API SC_MUST_USE sc_status sc_ballot_reader_open(sc_ballot_reader **out,
                                                   const char *path);
/** Next ballot into *out (caller frees), or *out = NULL at the end.
 *  Errors name the file and line in ctx (ctx->file is replaced by
 *  "PATH:LINE" for the call). */
SC_API SC_MUST_USE sc_status sc_ballot_reader_next(sc_ballot_reader *r,
                                                   sc_jctx *ctx,
                                                   const sc_group *grp,
                                                   const sc_manifest *m,
                                                   sc_enc_ballot **out);
/** Same, but only the parsed JSON object (caller frees), for readers
 *  that want a few fields (e.g. lookup). */
SC_API SC_MUST_USE sc_status sc_ballot_reader_next_json(sc_ballot_reader *r,
                                                        sc_jctx *ctx,
                                                        sc_json **out);
SC_API uint64_t sc_ballot_reader_line(const sc_ballot_reader *r);
/** Make the _next calls skip, unparsed, every line that does not contain
 *  `needle` (borrowed; NULL: no filter). For fast look-ups. */
SC_API void sc_ballot_reader_filter(sc_ballot_reader *r, const char *needle);
SC_API void sc_ballot_reader_free(sc_ballot_reader *r);

/* ------------------------------------------------------------------------
 * devices.json
 * ---------------------------------------------------------------------- */

typedef struct sc_device_info {
    uint32_t index;
    char *device; /* S_device */
    uint8_t h_di[32];
    uint32_t mode;
    uint64_t ballots;
    int closed; /* closing present (simple chaining) */
    uint8_t close_bc[SC_BC_BYTES], close_h[32];
} sc_device_info;

typedef struct sc_devices {
    size_t n;
    sc_device_info *d; /* ascending index */
} sc_devices;

/** Read dir/devices.json (a missing file gives an empty list). */
SC_API SC_MUST_USE sc_status sc_devices_read(sc_devices *out, const char *dir,
                                             char *err, size_t errlen);
/** Add or replace the entry for dev (ballots = dev->count; closing
 *  computed for simple chaining) and write the file atomically. */
SC_API SC_MUST_USE sc_status sc_devices_update(sc_devices *ds, const char *dir,
                                               const sc_device *dev,
                                               const uint8_t h_e[32]);
/** The same entry update in memory: *text (malloc'd) is the new
 *  devices.json. */
SC_API SC_MUST_USE sc_status sc_devices_set(sc_devices *ds,
                                            const sc_device *dev,
                                            const uint8_t h_e[32], char **text);
/** The text of devices.json for ds (malloc'd in *text). */
SC_API SC_MUST_USE sc_status sc_devices_text(const sc_devices *ds,
                                             const uint8_t h_e[32],
                                             char **text);
SC_API void sc_devices_clear(sc_devices *ds);

/* ------------------------------------------------------------------------
 * Ballot labels (labels.c): unique in an election, no control characters
 * ---------------------------------------------------------------------- */

typedef struct sc_labelset sc_labelset;
SC_API SC_MUST_USE sc_status sc_labelset_new(sc_labelset **out);
/** 1 added, 0 already there, -1 out of memory. */
SC_API int sc_labelset_add(sc_labelset *s, const char *label);
/** The same for a 32-byte id (id_B): labels and ids never collide. */
SC_API int sc_labelset_add_key(sc_labelset *s, const uint8_t key[32]);
/** 1 if the 32-byte id is in the set, 0 if not. */
SC_API int sc_labelset_has_key(const sc_labelset *s, const uint8_t key[32]);
SC_API void sc_labelset_free(sc_labelset *s);
/** 1 if the label is not empty and has no control character (C0, DEL,
 *  C1): a label must never forge a line or reach a terminal as an escape
 *  sequence. */
SC_API int sc_label_ok(const char *label);
/** The label for printing, control characters shown as '?'. */
SC_API void sc_label_printable(char *out, size_t n, const char *label);

/* ------------------------------------------------------------------------
 * Commits (commit.c, docs/RECORD.md "Commits"): one commit point per run
 * ---------------------------------------------------------------------- */

/** Lock the record against other writing runs: flock on the directory
 *  itself (no lock file). Returns a descriptor for sc_record_unlock, or
 *  -1 (SC_E_IO; sc_strerror says why). */
SC_API int sc_record_lock(const char *dir);
SC_API void sc_record_unlock(int fd);
/** With the lock held: finish a run interrupted after its commit point
 *  (the journal DIR/.commit.json; *finished = 1), and remove the
 *  temporary files of runs interrupted before theirs. */
SC_API SC_MUST_USE sc_status sc_record_recover(const char *dir, int *finished,
                                               char *err, size_t errlen);
/** 1 if DIR holds the journal of an unfinished commit. */
SC_API int sc_record_interrupted(const char *dir);
/** Commit one device's run at one point: the writer's file replaces
 *  ballots/device_<d>.jsonl, devices.json gets dev's entry (ballots =
 *  dev->count), and the receipts text (if receipts_path is not NULL)
 *  replaces receipts_path. Under the lock; SC_E_DUPLICATE (nothing
 *  written) if devices.json no longer says `before` ballots for the
 *  device. After a crash at any instant the record holds the whole run or
 *  none of it, and the receipts exist whenever the ballots do. */
SC_API SC_MUST_USE sc_status sc_device_commit(
    const char *dir, sc_ballot_writer *w, const sc_device *dev,
    const uint8_t h_e[32], uint64_t before, const char *receipts_path,
    const char *receipts, size_t receipts_len, char *err, size_t errlen);

/** With the lock held: at one commit point, each temporary file from[i]
 *  (in DIR or DIR/ballots, named NAME.tmp.XXXXXX and kept under flock by
 *  the caller until this returns) replaces to[i] (relative to DIR), and
 *  devices.json becomes devices_text. */
SC_API SC_MUST_USE sc_status sc_record_commit_files(const char *dir, size_t n,
                                                    const char *const *from,
                                                    const char *const *to,
                                                    const char *devices_text,
                                                    char *err, size_t errlen);

/* ------------------------------------------------------------------------
 * Merging the outputs of devices that encrypted in parallel (merge.c,
 * docs/RECORD.md "Parallel devices")
 * ---------------------------------------------------------------------- */

typedef struct sc_merge_stats {
    size_t added;     /* devices added to the record */
    size_t same;      /* devices already there, identical */
    uint64_t ballots; /* ballots added */
} sc_merge_stats;

/** Merge the devices of each record inputs[i] (a copy of DIR made after
 *  the key ceremony, in which devices encrypted) into DIR, at one commit
 *  point: nothing is written unless everything merges. Refused
 *  (SC_E_DUPLICATE): inputs of another election (any ceremony file
 *  differs), a device in two places with different contents, a ballot
 *  label or confirmation code twice; refused (SC_E_INVALID): a device
 *  whose file does not match its devices.json entry (count, device
 *  numbers, sequence, H_DI, closing), a record already tallied, a gap in
 *  the device numbers of the result. A device already in DIR with the
 *  same contents is left as it is (merging again is harmless). */
SC_API SC_MUST_USE sc_status sc_record_merge(const char *dir, size_t n,
                                             const char *const *inputs,
                                             sc_merge_stats *st, char *err,
                                             size_t errlen);

/* ------------------------------------------------------------------------
 * Encrypted tally
 * ---------------------------------------------------------------------- */

/** Tally every ballots/device_<d>.jsonl of the record (cast ballots only),
 *  streaming. Ballots are read with every membership check. */
SC_API SC_MUST_USE sc_status sc_record_tally(const sc_record *r, sc_tally **out,
                                             char *err, size_t errlen);
/** Write encrypted_tally.json. */
SC_API SC_MUST_USE sc_status sc_tally_write(const sc_tally *t, const char *dir);

#endif
