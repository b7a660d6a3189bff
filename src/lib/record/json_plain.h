/* The JSON layer's fast reader of plain JSON (json_plain.c); only
 * record/json.c calls it. */
#ifndef SC_RECORD_JSON_PLAIN_H
#define SC_RECORD_JSON_PLAIN_H

#include <stddef.h>

#include <jansson.h>

/** The tree json_loadb(text, len, JSON_REJECT_DUPLICATES) builds, if the
 *  text is plain JSON (json_plain.c says which); NULL if declined or out
 *  of memory, and the caller asks jansson. */
json_t *sc_json_plain_parse(const char *text, size_t len);

#endif
