/* Scrutin: the one way input files are read, by the library and the tool.
 *
 * Every input is a regular file: a FIFO, a device (/dev/zero), a socket or
 * a directory is refused, and the open never blocks (O_NONBLOCK), so a FIFO
 * cannot hang a command. Sizes are capped (docs/RECORD.md "Limits"):
 *   - SC_FILE_MAX for a file read whole (JSON files, manifests),
 *   - SC_LINE_MAX for one line of a .jsonl file or plaintext ballot,
 *   - callers pass smaller caps where they know better (passphrase files).
 *
 * I/O failures return SC_E_IO and keep the operating system's cause
 * (errno) for this thread, so sc_strerror(SC_E_IO) says "No space left on
 * device" or "Read-only file system" instead of a generic text. */
#ifndef SCRUTIN_FILES_H
#define SCRUTIN_FILES_H

#include "scrutin/api.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "scrutin/status.h"

#define SC_FILE_MAX ((size_t)256 << 20) /* 256 MiB: a file read whole */
#define SC_LINE_MAX ((size_t)16 << 20)  /* 16 MiB: one line */

/** Open `path` for reading: a regular file only. SC_E_IO (errno kept) or
 *  SC_E_IO_NOT_REGULAR. */
SC_API SC_MUST_USE sc_status sc_input_open(const char *path, FILE **out);
/** The same as a descriptor (for secrets read without stdio buffers);
 *  `flags` are added to the open flags (e.g. O_NOFOLLOW). *st gets the
 *  file's status. */
SC_API SC_MUST_USE sc_status sc_input_open_fd(const char *path, int flags,
                                              int *fd, struct stat *st);
/** The rest of f, at most `max` bytes, NUL added after *len bytes (never
 *  NULL on success). SC_E_IO_TOO_LARGE beyond max. Does not close f. */
SC_API SC_MUST_USE sc_status sc_input_read(FILE *f, size_t max, uint8_t **out,
                                           size_t *len);
/** sc_input_open + sc_input_read + close. */
SC_API SC_MUST_USE sc_status sc_input_read_file(const char *path, size_t max,
                                                char **out, size_t *len);
/** Like getline(3), but a line longer than `max` bytes is refused: returns
 *  the length (newline included), -1 at the end or on a read error
 *  (ferror), -2 when the line is too long (the stream is then left in the
 *  middle of the line). *line is NUL-ended. */
SC_API ssize_t sc_input_getline(char **line, size_t *cap, FILE *f, size_t max);

/** Record errno (the cause of an I/O failure) for this thread and return
 *  SC_E_IO. */
SC_API sc_status sc_io_fail(void);
/** The cause recorded by the last sc_io_fail of this thread, 0 if none. */
SC_API int sc_io_errno(void);

#endif
