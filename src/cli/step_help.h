/* The help of one step of a command with steps (`scrutin guardian init
 * --help`, `scrutin decrypt combine --help`, ...): each step has its own
 * usage, what it does and its options; the command's --help lists the
 * steps. */
#ifndef SC_CLI_STEP_HELP_H
#define SC_CLI_STEP_HELP_H

#include <stddef.h>

typedef struct cli_step_help {
    const char *step;
    const char *text; /* the whole help, from "usage: " */
} cli_step_help;

/** Print the help of `step` (NULL: none) on stdout and return 1; 0 if no
 *  step of the table has that name. */
int cli_print_step_help(const cli_step_help *steps, size_t n, const char *step);

/** The first of argv[1..argc) that names a step of the table (a command
 *  whose step may follow its options, getopt having permuted argv), or
 *  NULL. */
const char *cli_find_step(const cli_step_help *steps, size_t n, int argc,
                          char **argv);

#endif
