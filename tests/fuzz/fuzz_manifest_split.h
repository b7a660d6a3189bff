/* Ballot fuzz targets: an input may start with its own manifest, ended by
 * a NUL byte; otherwise the target's default manifest is used. */
#ifndef SC_FUZZ_MANIFEST_SPLIT_H
#define SC_FUZZ_MANIFEST_SPLIT_H

#include <stdint.h>
#include <string.h>

#include "scrutin/manifest.h"

/* *m = the manifest to use (a parsed prefix in *own, to be freed by the
 * caller, or dflt); *data and *size skip the prefix. Returns 0 when the
 * prefix does not parse (nothing more to test for this input). */
static __attribute__((unused)) int
fz_split_manifest(const uint8_t **data, size_t *size, const sc_manifest *dflt,
                  sc_manifest **own, const sc_manifest **m)
{
    *own = NULL;
    *m = dflt;
    const uint8_t *nul = memchr(*data, '\0', *size);
    if (nul == NULL) {
        return 1;
    }
    char err[256];
    size_t ml = (size_t)(nul - *data);
    if (sc_manifest_parse(own, (const char *)*data, ml, NULL, err,
                          sizeof err) != SC_OK) {
        return 0;
    }
    *m = *own;
    *data = nul + 1;
    *size -= ml + 1;
    return 1;
}

#endif
