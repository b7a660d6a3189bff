#!/bin/sh
# Refused input writes nothing and says why in one line:
# - option values out of their range are usage errors (exit 2) naming the
#   option, before anything is read or written: --kdf of every command
#   that seals a secret, the board's --workers and --test-disk-pages (a
#   number with trailing junk, 0, a negative or a huge one once started a
#   board with the default or 2^32-1 threads);
# - a refused passphrase file (too weak, a second line, not mode 0600)
#   leaves no record, board or witness state behind (ceremony, board init
#   and witness init once did), with the reason, not "invalid input";
# - serve on a state directory that does not exist says so.
# usage: bad_options.sh SCRUTIN
set -u
S=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
M=$(cd "$(dirname "$0")/../../examples" && pwd)/manifest.json
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
# a passphrase file that is refused (too weak, a second line, not
# mode 0600) leaves no record behind (it once left a half-made record)
mkdir pp
printf 'a\n' >pp/weak
printf 'correct horse battery staple\nextra\n' >pp/two
printf 'correct horse battery staple\n' >pp/open
chmod 600 pp/weak pp/two
chmod 644 pp/open
for f in weak two open; do
    err=$("$S" ceremony --guardians 3 --quorum 2 --out r --secrets s \
        --manifest "$M" --passphrase-file pp/$f --kdf interactive 2>&1)
    rc=$?
    left=$(ls -A | grep -v '^pp$')
    if [ $rc -eq 0 ] || [ -n "$left" ]; then
        bad "ceremony with the $f passphrase file: exit $rc, left: $left ($err)"
        rm -rf r s
    else
        ok "ceremony with the $f passphrase file: refused, nothing written"
    fi
done
# board init and witness init likewise, and every refusal says why
printf 'correct horse battery staple\n' >pp/good
chmod 600 pp/good
"$S" ceremony --guardians 3 --quorum 2 --out pp/rec --secrets pp/sec \
    --manifest "$M" --group toy-q64 --passphrase-file pp/good \
    --kdf interactive >/dev/null || bad "ceremony with a good passphrase"
for f in weak two open; do
    for c in "board init --record pp/rec --state st" \
        "witness init --name w.example --state w"; do
        # shellcheck disable=SC2086
        err=$("$S" $c --passphrase-file pp/$f --kdf interactive 2>&1)
        rc=$?
        left=$(ls -A | grep -v '^pp$')
        case "$rc:$left:$err" in
        3::*"too weak"* | 3::*"more than one line"* | 3::*"mode 0600"*)
            ok "${c%% --*} with the $f passphrase file: refused, nothing written" ;;
        *)
            bad "${c%% --*} with the $f passphrase file: exit $rc, left: $left ($err)"
            rm -rf st w ;;
        esac
    done
done
rm -rf pp
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
