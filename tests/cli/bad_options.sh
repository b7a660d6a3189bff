#!/bin/sh
# Option values out of their range are usage errors (exit 2) that name the
# option, before anything is read or written: --kdf of every command that
# seals a secret, the board's --workers and --test-disk-pages (a number
# with trailing junk, 0, a negative one or a huge one once started a
# board with the default or 2^32-1 threads).
# usage: bad_options.sh SCRUTIN
set -u
S=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-badopt.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 3
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
refuse() { # refuse OPTION-NAMED-IN-ERROR ARGS...
    opt=$1; shift
    err=$("$S" "$@" 2>&1 >/dev/null)
    rc=$?
    if [ $rc -ne 2 ]; then bad "$*: exit $rc ($err)"; return; fi
    printf '%s' "$err" | head -n 1 | grep -q -- "$opt" ||
        { bad "$*: first line does not name $opt: $err"; return; }
    [ -z "$(ls -A)" ] || { bad "$*: wrote $(ls -A)"; rm -rf ./*; return; }
    ok "$*"
}
for v in fast "" Moderate; do
    refuse --kdf ceremony --guardians 3 --quorum 2 --out r --secrets s --kdf "$v"
    refuse --kdf guardian init --kdf "$v"
    refuse --kdf decrypt begin --kdf "$v"
    refuse --kdf device init --kdf "$v"
    refuse --kdf board init --state st --kdf "$v"
    refuse --kdf witness init --state w --kdf "$v"
done
for v in 0 -1 abc 2x 257 4294967297 ""; do
    refuse --workers board serve --state st --listen 127.0.0.1:0 --workers "$v"
done
for v in 0 -5 x 1k ""; do
    refuse --test-disk-pages board serve --state st --listen 127.0.0.1:0 \
        --test-disk-pages "$v"
done
# a state directory that is not there is named as such, not "in use"
for c in board witness; do
    err=$("$S" $c serve --state nothere --listen 127.0.0.1:0 2>&1 >/dev/null)
    rc=$?
    case "$rc:$err" in
    3:*"nothere/$c.lock: No such file"*"$c init"*) ok "$c serve on a missing state" ;;
    *) bad "$c serve on a missing state: exit $rc: $err" ;;
    esac
done
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
