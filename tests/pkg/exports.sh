#!/bin/sh
# libscrutin.so exports exactly the public API: every function declared in
# include/scrutin/*.h (as gcc -aux-info lists them) is exported, and every
# exported symbol is declared there. The library is built with
# -fvisibility=hidden, so a declaration without SC_API (scrutin/api.h) is
# not exported, and an internal function never is. A declaration that
# libscrutin.a does not define (yet) is listed, not failed: it is work in
# progress, and any program calling it fails to link.
# usage: exports.sh GCC INCLUDE_DIR LIBSCRUTIN_SO LIBSCRUTIN_A
set -u
CC=$1
INC=$2
LIB=$3
ARCHIVE=$4
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-exports.XXXXXX")
trap 'rm -rf "$T"' EXIT
deps=$(pkg-config --cflags gmp libsodium) || exit 1
: >"$T/declared"
for h in "$INC"/scrutin/*.h; do
    n=${h##*/}
    printf '#include "scrutin/%s"\ntypedef int t_nonempty;\n' "$n" >"$T/t.c"
    # shellcheck disable=SC2086
    "$CC" -std=c11 -fsyntax-only -aux-info "$T/aux" -I"$INC" $deps \
        "$T/t.c" || exit 1
    # /* include/scrutin/core.h:17:NC */ extern sc_status sc_init (void);
    sed -n 's|^/\* .*\(scrutin/[A-Za-z0-9_]*\.h:[0-9]*\):[A-Z]* \*/ extern [^(]*[ *]\([A-Za-z_][A-Za-z0-9_]*\) (.*|\2 \1|p' \
        "$T/aux" >>"$T/declared"
done
sort -u "$T/declared" -o "$T/declared"
cut -d' ' -f1 "$T/declared" | sort -u >"$T/declared.names"
nm -D --defined-only "$LIB" | awk '$2 ~ /^[TWDBRVi]$/ {print $3}' |
    sed 's/@.*//' | sort -u >"$T/exported"
nm --defined-only "$ARCHIVE" 2>/dev/null | awk '$2 ~ /^[TWDBRV]$/ {print $3}' |
    sort -u >"$T/defined"
fail=0 undefined=0
for s in $(comm -23 "$T/declared.names" "$T/exported"); do
    where=$(grep "^$s " "$T/declared" | cut -d' ' -f2 | head -1)
    if grep -qx "$s" "$T/defined"; then
        echo "FAIL $s ($where) is not exported by ${LIB##*/}: put SC_API" \
             "first on its declaration (see scrutin/api.h)"
        fail=$((fail + 1))
    else
        echo "note $s ($where) is declared but not defined in ${ARCHIVE##*/}"
        undefined=$((undefined + 1))
    fi
done
for s in $(comm -13 "$T/declared.names" "$T/exported"); do
    echo "FAIL ${LIB##*/} exports $s, which no public header declares:" \
         "internal functions must not carry SC_API"
    fail=$((fail + 1))
done
pass=$(comm -12 "$T/declared.names" "$T/exported" | wc -l)
[ "$undefined" -eq 0 ] || echo "$undefined declared, not defined yet"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
