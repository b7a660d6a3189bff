/* Internal: building and destroying one group object (group.c); the
 * shared objects sc_group_new hands out (group_cache.c). */
#ifndef SC_GROUP_CACHE_H
#define SC_GROUP_CACHE_H

#include "scrutin/group.h"

/** A new, unshared group for parameter set id (valid). *out = NULL on
 *  failure. */
sc_status sc_group_build(sc_group **out, sc_group_id id);
/** Free a group from sc_group_build (NULL is a no-op). */
void sc_group_destroy(sc_group *grp);

#endif
