/* The helps of the steps of a command (step_help.h). */
#include "step_help.h"

#include <stdio.h>
#include <string.h>

int cli_print_step_help(const cli_step_help *steps, size_t n, const char *step)
{
    for (size_t i = 0; step != NULL && i < n; i++) {
        if (strcmp(steps[i].step, step) == 0) {
            fputs(steps[i].text, stdout);
            return 1;
        }
    }
    return 0;
}
