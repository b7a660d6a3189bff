#!/bin/sh
# The witness on loopback (docs/BOARD.md §5): init, add-log, serve; an
# honest sequence cosigned; 409 with the size body; 422 on a fork and on
# an equivocation, kept as evidence; a rollback kept as evidence; 403 bad
# signature; 404 unknown origin; 400 old > size; `witness evidence
# --check` and `--check-file` (and a tampered file fails); then kill -9 of
# the witness during add-checkpoint in a loop: after every restart it never
# cosigned two roots for one size and never went back in size.
# usage: witness_test.sh SCRUTIN WITNESS_CLIENT [KILL_ITERATIONS]
S=$1
C=$2
N=${3:-30}
. "$(dirname "$0")/../lib/preamble.sh"
WPID=""
trap 'kill -9 $WPID 2>/dev/null; rm -rf "$T"' EXIT
is() { # is NAME WANT GOT
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: want '$2', got '$3'"; fi
}

echo 'witness test passphrase' >pass
chmod 600 pass
WITNESS_VKEY=$("$S" witness init --state st --name w.test \
    --passphrase-file pass --kdf interactive) || { echo "init failed"; exit 3; }
export WITNESS_VKEY
case "$WITNESS_VKEY" in w.test+*) ok "init prints the vkey";;
    *) bad "init: $WITNESS_VKEY";; esac
"$S" witness init --state st --name w.test --passphrase-file pass \
    --kdf interactive >/dev/null 2>&1 && bad "second init overwrote the key"
BVKEY=$("$C" vkey)
ORIGIN=${BVKEY%%+*}
"$S" witness add-log --state st --origin "$ORIGIN" --vkey "$BVKEY" >/dev/null ||
    bad "add-log"
"$S" witness add-log --state st --origin "$ORIGIN" --vkey "$BVKEY" \
    >/dev/null 2>&1 && bad "add-log twice accepted"
"$S" witness add-log --state st --origin other.log --vkey "$BVKEY" \
    >/dev/null 2>&1 && bad "add-log with a vkey of another name accepted"

# start: serve, and wait for the port file (an event: the client watches
# the file and the witness process; no polling interval, no time limit but
# ctest's)
start() {
    rm -f port
    "$S" witness serve --state st --listen 127.0.0.1:0 --passphrase-file pass \
        --port-file port 2>>serve.err &
    WPID=$!
    "$C" wait-port port "$WPID" ||
        { echo "witness did not start"; cat serve.err; exit 3; }
    URL="http://127.0.0.1:$(cat port)"
}
start

# status of a post: first line of the answer
st() { "$C" post "$URL" "$@" | head -1; }

R=$("$C" post "$URL" 5 0)
is "first checkpoint (old 0) cosigned" "200" "$(echo "$R" | head -1)"
echo "$R" | grep -q '^cosig ok$' && ok "the answer is a valid cosignature" ||
    bad "cosignature line: $R"
R=$("$C" post "$URL" 10 5)
is "10 from 5 with a proof cosigned" "200" "$(echo "$R" | head -1)"
echo "$R" | grep -q '^cosig ok$' || bad "cosignature of size 10"
R=$("$C" post "$URL" 12 5)
is "stale old: 409" "409" "$(echo "$R" | head -1)"
is "409 body is the size" "10" "$(echo "$R" | sed -n 2p)"
is "409 content type" "ctype text/x.tlog.size" "$(echo "$R" | sed -n 3p)"
is "fork at 12 from 10: 422" "422" "$(st 12 10 fork)"
is "same size 10, another root: 422" "422" "$(st 10 10 fork)"
is "rollback to 8: 409" "409" "$(st 8 8)"
is "bad board signature: 403" "403" "$(st 12 10 badsig)"
is "no board signature: 403" "403" "$(st 12 10 nosig)"
is "unknown origin: 404" "404" "$(st 12 10 unknown)"
is "old > size: 400" "400" "$(st 9 10)"
is "same size, same root: cosigned again" "200" "$(st 10 10)"
is "honest 20 from 10" "200" "$(st 20 10)"
is "old 0 now: 409" "409" "$(st 25 0)"

"$S" witness evidence --state st --check >check.txt
is "evidence --check exit" "0" "$?"
is "evidence items" "3" "$(grep -c '^evidence [0-9]*: VERIFIED' check.txt)"
grep -q 'EQUIVOCATION proved' check.txt && ok "equivocation named" ||
    bad "no equivocation in: $(cat check.txt)"
grep -q 'INCONSISTENT' check.txt && ok "inconsistent proof named" ||
    bad "no inconsistency in: $(cat check.txt)"
grep -q 'ROLLBACK' check.txt && ok "rollback named" ||
    bad "no rollback in: $(cat check.txt)"
"$S" witness evidence --state st >ev.txt || bad "evidence print"
"$S" witness evidence --check-file ev.txt --vkey "$BVKEY" >cf.txt
is "evidence --check-file with the board key" "0" "$?"
is "check-file items" "3" "$(grep -c 'VERIFIED' cf.txt)"
# one character of a board signature changed: that item no longer verifies
# one character of the first board signature changed (after the key id)
L1=$(grep -m1 "^— $ORIGIN " ev.txt)
SIG=${L1##* }
C10=$(printf %s "$SIG" | cut -c10)
[ "$C10" = A ] && R10=B || R10=A
NEWSIG="$(printf %s "$SIG" | cut -c1-9)$R10$(printf %s "$SIG" | cut -c11-)"
awk -v old="$SIG" -v new="$NEWSIG" '!done && (i = index($0, old)) {
    $0 = substr($0, 1, i - 1) new substr($0, i + length(old)); done = 1 }
    { print }' ev.txt >ev2.txt
cmp -s ev.txt ev2.txt && bad "tampering did not change the file"
"$S" witness evidence --check-file ev2.txt --vkey "$BVKEY" >cf2.txt
is "a tampered evidence file fails" "1" "$?"
"$S" witness evidence --check-file ev.txt --vkey "$WITNESS_VKEY" \
    >/dev/null 2>&1 && bad "evidence verified under another key"

"$C" check "$URL" /dev/null >/dev/null || bad "GET checkpoint"

# kill -9 during add-checkpoint, N times. Each round is one client process
# (witness_client round): it waits for the restarted witness's port file
# (inotify and a pidfd: an event), checks it against every cosignature
# logged so far (never two roots for one size, never back in size), then
# streams add-checkpoint requests and kills the witness 0..90 ms after the
# first cosignature of the round, so that the kill lands in the middle of
# the stream. Few processes: under ASan each costs ~0.1 s of CPU, and the
# test's time under load is its CPU time times the load.
: >cosigned.log
i=0
while [ $i -lt "$N" ]; do
    before=$(wc -l <cosigned.log)
    "$C" round port "$WPID" cosigned.log 400 $i "$((i % 10))0" \
        >chk.txt 2>>run.err
    rc=$?
    if [ $rc -eq 1 ]; then bad "iteration $i: $(cat chk.txt run.err)"; break; fi
    [ $rc -eq 4 ] || [ $rc -eq 0 ] || bad "client exit $rc at iteration $i"
    kill -9 $WPID 2>/dev/null # if the run ended before its kill
    wait $WPID 2>/dev/null
    [ "$(wc -l <cosigned.log)" -gt "$before" ] ||
        bad "iteration $i: no cosignature before the kill"
    echo "round $i: $(head -n 1 chk.txt)"
    rm -f port
    "$S" witness serve --state st --listen 127.0.0.1:0 --passphrase-file pass \
        --port-file port 2>>serve.err &
    WPID=$!
    i=$((i + 1))
done
"$C" wait-port port "$WPID" || { bad "witness did not restart"; cat serve.err; }
URL="http://127.0.0.1:$(cat port)"
"$C" check "$URL" cosigned.log >chk.txt 2>&1 || bad "after the loop: $(cat chk.txt)"
ok "$N kill -9 iterations: $(cat chk.txt)"
is "a cosignature before every kill" "yes" \
    "$([ "$(wc -l <cosigned.log)" -ge "$N" ] && echo yes || echo no)"
"$S" witness evidence --state st --check >/dev/null
is "evidence still verifies after the loop" "0" "$?"
kill $WPID
wait $WPID
is "SIGTERM stops the witness cleanly" "0" "$?"
WPID=""
[ $fails -eq 0 ] && echo "all witness checks passed" || echo "$fails failed"
exit $((fails > 0))
