#!/bin/bash
# Faults (issue 12 items 1 and 3): a crash of `scrutin encrypt` at any
# instant leaves the record with the whole run or none of it, the receipts
# exist whenever the run's ballots do, the next run works, and no
# temporary or lock file stays in the record. Crashes are injected with
# strace: every openat in turn fails with ENOSPC, and the process is killed
# at each rename. Also: public files are 0644 under umask 000, and a full
# disk is reported as such.
# usage: encrypt_crash.sh SCRUTIN EXAMPLES_DIR
set -u
S=$1
E=$2
command -v strace >/dev/null || { echo "strace missing"; exit 3; }
# LeakSanitizer cannot run under strace (ptrace): leaks are checked elsewhere
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
. "$(dirname "$0")/../lib/preamble.sh"

printf 'fault test passphrase\n' >pass
chmod 600 pass
"$S" ceremony --guardians 2 --quorum 2 --out base --secrets sec \
    --manifest "$E/manifest.json" --group toy-q64 --passphrase-file pass \
    --kdf interactive >/dev/null || { echo "ceremony failed"; exit 3; }
# ballots with fresh labels: run R uses labels rR-...
ballots() { head -n 3 "$E/ballots.jsonl" | sed "s/\"id\":\"b-/\"id\":\"r$1-/"; }
ballots 0 >b0.jsonl
"$S" encrypt -q -r base -d 1 b0.jsonl || { echo "first run failed"; exit 3; }

# count DIR: ballots devices.json gives device 1 (after any recovery)
count() { grep -o '"ballots": *[0-9]*' "$1/devices.json" | grep -o '[0-9]*$'; }
lines() { grep -c . "$1/ballots/device_1.jsonl"; }

# check NAME DIR: after an injected fault, the next run (which finishes or
# undoes the interrupted one) works and the record is whole
check() {
    name=$1; d=$2
    ballots 2 >b2.jsonl
    "$S" encrypt -q -r "$d" -d 1 b2.jsonl 2>enc2.err || {
        bad "$name: the next run fails: $(cat enc2.err)"; return; }
    c=$(count "$d"); l=$(lines "$d")
    if [ "$c" != "$l" ]; then bad "$name: devices.json $c, file $l"; return; fi
    if [ "$c" = 6 ]; then :
    elif [ "$c" = 9 ]; then
        # committed: the receipts must be there, one per new ballot
        if [ "$(grep -c '^r1-' "$d.codes" 2>/dev/null)" != 3 ]; then
            bad "$name: committed without its receipts"; return; fi
    else bad "$name: $c ballots (neither 6 nor 9)"; return; fi
    left=$(find "$d" -name '*.tmp.*' -o -name '*.lock' -o -name '.commit*')
    if [ -n "$left" ]; then bad "$name: left in the record: $left"; return; fi
    echo "ok   $name (run committed: $([ "$c" = 9 ] && echo yes || echo no))"
}

ballots 1 >b1.jsonl
# the number of openat and rename calls of a normal run
rm -rf probe && cp -a base probe
strace -f -qq -c -e trace=openat,rename -o calls.txt \
    "$S" encrypt -q -r probe -d 1 --codes probe.codes b1.jsonl
nopen=$(awk '$NF=="openat"{print $4}' calls.txt)
nren=$(awk '$NF=="rename"{print $4}' calls.txt)
[ -n "$nopen" ] && [ -n "$nren" ] || { echo "cannot count calls"; exit 3; }
echo "a run makes $nopen openat and $nren rename calls"

for i in $(seq 1 "$nren"); do
    rm -rf r r.codes && cp -a base r
    { strace -f -qq -o /dev/null -e inject=rename:signal=KILL:when=$i \
        "$S" encrypt -q -r r -d 1 --codes r.codes b1.jsonl; } 2>/dev/null
    check "kill at rename $i" r
done
# ENOSPC at each openat of the writing phase (the first ones read the
# record: sampled)
: >msgs.txt
for i in 1 10 20 30 $(seq $((nopen - 16)) "$nopen"); do
    rm -rf r r.codes && cp -a base r
    strace -f -qq -o /dev/null -e inject=openat:error=ENOSPC:when=$i \
        "$S" encrypt -q -r r -d 1 --codes r.codes b1.jsonl 2>enc.err
    rc=$?
    cat enc.err >>msgs.txt
    [ $rc -eq 0 ] || [ -s enc.err ] || bad "ENOSPC at openat $i: no message"
    check "ENOSPC at openat $i (exit $rc)" r
done
grep -q "No space left on device" msgs.txt && ok "ENOSPC named" ||
    bad "ENOSPC never named"
grep -q "nput/output error" msgs.txt && bad "a generic I/O message" ||
    ok "no generic I/O message"

# umask 000: public files are 0644, never writable by others
rm -rf u && cp -a base u
(umask 000 && "$S" encrypt -q -r u -d 1 --codes u.codes b1.jsonl)
perm=$(stat -c %a u/devices.json u/ballots/device_1.jsonl u.codes | sort -u)
[ "$perm" = 644 ] && ok "0644 under umask 000" || bad "modes under umask 000: $perm"

# a read-only record: the real cause, nothing half-written
rm -rf ro && cp -a base ro && chmod a-w ro ro/ballots
if [ "$(id -u)" != 0 ]; then
    "$S" encrypt -q -r ro -d 1 b1.jsonl 2>enc.err
    grep -q "Permission denied\|Read-only" enc.err && ok "read-only named" ||
        bad "read-only not named: $(cat enc.err)"
fi
chmod u+w ro ro/ballots

# labels are unique in an election and hold no control character (item 7)
rm -rf l && cp -a base l
"$S" encrypt -q -r l -d 2 b0.jsonl 2>enc.err &&
    bad "a label of device 1 accepted on device 2" ||
    { grep -q "already in the record" enc.err && ok "repeated label refused" ||
        bad "repeated label message: $(cat enc.err)"; }
{ head -n 1 b1.jsonl; head -n 1 b1.jsonl; } >dup.jsonl
"$S" encrypt -q -r l -d 1 dup.jsonl 2>enc.err &&
    bad "a label repeated in the input accepted" || ok "repeated input label refused"
printf '%s\n' "$(head -n 1 b1.jsonl | sed 's/"id":"r1-0001"/"id":"x\\u001b[2Jy"/')" >ctl.jsonl
"$S" encrypt -q -r l -d 1 ctl.jsonl 2>enc.err &&
    bad "a control character in a label accepted" ||
    { grep -q "control character" enc.err && ok "control character refused" ||
        bad "control character message: $(cat enc.err)"; }
[ "$(count l)" = 3 ] && ok "nothing written" || bad "written after a refusal"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
