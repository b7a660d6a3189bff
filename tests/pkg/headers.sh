#!/bin/sh
# Each public header compiles on its own (and twice in a row: include
# guard), as a program that includes only it would use it: -std=c11
# without feature macros, every warning an error.
# usage: headers.sh CC INCLUDE_DIR
set -u
CC=$1
INC=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-headers.XXXXXX")
trap 'rm -rf "$T"' EXIT
deps=$(pkg-config --cflags gmp libsodium) || exit 1
pass=0 fail=0
for h in "$INC"/scrutin/*.h; do
    n=${h##*/}
    printf '#include "scrutin/%s"\n#include "scrutin/%s"\ntypedef int t_nonempty;\n' \
        "$n" "$n" >"$T/t.c"
    # shellcheck disable=SC2086
    if "$CC" -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes -Werror \
        -fsyntax-only -I"$INC" $deps "$T/t.c" 2>"$T/err"; then
        pass=$((pass + 1))
    else
        echo "FAIL scrutin/$n does not compile on its own:"
        cat "$T/err"
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
