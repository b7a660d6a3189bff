/* The helps of the steps of `scrutin board` (board_help.c). */
#ifndef SC_CLI_BOARD_HELP_H
#define SC_CLI_BOARD_HELP_H

#include "step_help.h"

extern const cli_step_help BOARD_STEPS[];
extern const size_t BOARD_NSTEPS;

#endif
