#ifndef SC_GROUP_PARAMS_H
#define SC_GROUP_PARAMS_H
#include "scrutin/group.h"

typedef struct sc_param_hex {
    const char *name;
    const char *p, *q, *g; /* uppercase hex, no prefix */
} sc_param_hex;

extern const sc_param_hex sc_param_sets[SC_GROUP_COUNT];
#endif
