/* The one rule for a confirmation code typed by a voter, offline
 * (`lookup -r DIR`) and on a board (`lookup --board URL`): the whole code
 * or a unique prefix of at least CLI_CODE_MIN hex digits; spaces, dashes,
 * colons and case do not matter; the code may come in several arguments. */
#ifndef SC_CLI_CODE_PREFIX_H
#define SC_CLI_CODE_PREFIX_H

#include <stddef.h>

enum { CLI_CODE_MIN = 8, CLI_CODE_MAX = 64 };

/** The hex digits of argv[0..argc-1], uppercase, NUL-ended, into out.
 *  Returns their number, or 0 if one is not hex or they are fewer than
 *  CLI_CODE_MIN or more than CLI_CODE_MAX. */
size_t cli_code_prefix(int argc, char **argv, char out[CLI_CODE_MAX + 1]);

/** The usage message for a bad code (for cli_usage_error). */
#define CLI_CODE_RULE                                                          \
    "a confirmation code is 64 hex digits; a unique prefix of at least 8 "     \
    "will do"

/** "PREFIX is the start of [more than ]N codes: give more digits" on
 *  stderr. */
void cli_code_ambiguous(const char *prefix, size_t n, int more);

#endif
