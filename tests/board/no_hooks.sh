#!/bin/sh
# The release scrutin holds none of the board's test hooks (issue 9): no
# option string, no hook function. The test-hook build must hold them, so
# that this check can fail.
# usage: no_hooks.sh SCRUTIN SCRUTIN_TESTHOOKS
set -u
fails=0
for s in test-fork-witness test-accept-invalid-ballots; do
    if strings "$1" | grep -q -- "$s"; then
        echo "FAIL release binary holds '$s'"; fails=$((fails + 1))
    fi
    strings "$2" | grep -q -- "$s" ||
        { echo "FAIL control: the test-hook binary lacks '$s'"; fails=$((fails + 1)); }
done
if nm "$1" 2>/dev/null | grep -qw 'forked_note\|listed'; then
    echo "FAIL release binary has the fork functions"; fails=$((fails + 1))
fi
"$1" board --help | grep -q -- '--test-fork' &&
    { echo "FAIL release help names a test hook"; fails=$((fails + 1)); }
[ $fails -eq 0 ] && echo "ok   no test hook in $1"
[ $fails -eq 0 ]
