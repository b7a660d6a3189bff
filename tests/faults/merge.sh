#!/bin/bash
# Parallel devices without the board (issue 12 item 12): each device
# encrypts on its own copy of the record made after the key ceremony
# (`encrypt --parallel`, the device number assigned by the official), and
# `scrutin merge` merges their outputs: the merged record tallies,
# decrypts and verifies; merging again is harmless; conflicts are refused
# with nothing written (a device number used twice, a ballot label or a
# confirmation code twice, a broken chain, another election, a gap, a
# tallied record); a crash or a full disk at any instant of a merge leaves
# the whole merge or none of it (strace: kill at each rename, ENOSPC at
# openat calls), and the next merge finishes.
# usage: merge.sh SCRUTIN EXAMPLES_DIR
set -u
S=$1
E=$2
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
. "$(dirname "$0")/../lib/preamble.sh"
# a digest of every file of a record (names and contents)
digest() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum; }

printf 'merge test passphrase\n' >pass
chmod 600 pass
"$S" ceremony --guardians 2 --quorum 2 --out base --secrets sec \
    --manifest "$E/manifest.json" --group toy-q64 --passphrase-file pass \
    --kdf interactive >/dev/null || { echo "ceremony failed"; exit 3; }
ballots() { sed "s/\"id\":\"b-/\"id\":\"$1-/" "$E/ballots.jsonl"; }
ballots a >a.jsonl; ballots b >b.jsonl; ballots c >c.jsonl

# each device on its own copy, its number assigned by the official
cp -a base devA; cp -a base devB; cp -a base devC
expect 0 "device 1 on its copy" "$S" encrypt -q -r devA -d 1 a.jsonl
expect 3 "device 2 on its copy without --parallel" "$S" encrypt -q -r devB -d 2 b.jsonl
grep -q -- "--parallel" err.txt && ok "the refusal names --parallel" ||
    bad "message: $(cat err.txt)"
expect 0 "device 2 on its copy, --parallel" "$S" encrypt -q -r devB -d 2 --parallel b.jsonl
expect 0 "device 3 on its copy, no chaining" "$S" encrypt -q -r devC -d 3 \
    --parallel -c none c.jsonl

# conflicts: nothing written, exit 1, one line
refused() { # refused NAME TEXT INPUT...: merging into a copy of base fails
    name=$1; text=$2; shift 2
    rm -rf r && cp -a base r
    before=$(digest r)
    expect 1 "$name: refused" "$S" merge -r r "$@"
    grep -q -- "$text" err.txt && [ "$(wc -l <err.txt)" -eq 1 ] &&
        ok "$name: says '$text'" || bad "$name: message: $(cat err.txt)"
    [ "$(digest r)" = "$before" ] && ok "$name: nothing written" ||
        bad "$name: the record changed"
}
cp -a base devA2
"$S" encrypt -q -r devA2 -d 1 b.jsonl >/dev/null
refused "one device number, two devices" "hold different ballots" devA devA2 devB devC
cp -a base devDup
"$S" encrypt -q -r devDup -d 4 --parallel a.jsonl >/dev/null
refused "a ballot label twice" 'ballot label "a-0001"' devA devB devC devDup
# a confirmation code twice: device 3 (no chaining) given device 1's first code
cp -a devC devCode
c1=$(head -n 1 devA/ballots/device_1.jsonl | grep -o '"confirmation_code":"[0-9A-F]*"')
sed -i "1s/\"confirmation_code\":\"[0-9A-F]*\"/$c1/" devCode/ballots/device_3.jsonl
refused "a confirmation code twice" "confirmation code" devA devB devCode
# a broken chain: a ballot removed from device 2's file
cp -a devB devCut
sed -i '$d' devCut/ballots/device_2.jsonl
refused "a ballot missing" "devices.json says" devA devCut devC
cp -a devB devSeq
sed -i '2s/"sequence":2/"sequence":7/' devSeq/ballots/device_2.jsonl
refused "a sequence out of place" "chain is broken" devA devSeq devC
# the closing of device 2 does not match its last ballot
cp -a devB devClose
# (its first digit changed: to 1 if it is 0, else to 0; the keys are
# random, and "0" alone left one run in 16 unchanged)
sed -i -E '0,/"hash": *"[0-9A-F]/s/("hash": *")([0-9A-F])/\1Z\2/' devClose/devices.json
sed -i -E 's/"hash": *"Z0/"hash": "1/; s/"hash": *"Z[0-9A-F]/"hash": "0/' devClose/devices.json
refused "a closing that does not match" "closing" devA devClose devC
# another election (another key ceremony)
"$S" ceremony --guardians 2 --quorum 2 --out other --secrets sec2 \
    --manifest "$E/manifest.json" --group toy-q64 --passphrase-file pass \
    --kdf interactive >/dev/null
cp -a other devOther
"$S" encrypt -q -r devOther -d 2 --parallel b.jsonl >/dev/null
refused "another election" "not a copy of this election" devA devOther devC
refused "a gap" "device 2 is missing" devA devC

# the merge
rm -rf rec && cp -a base rec
expect 0 "merge three devices" "$S" merge -r rec devC devA devB
grep -q "merged 3 devices (15 ballots)" out.txt && ok "summary" ||
    bad "summary: $(cat out.txt)"
d1=$(digest rec)
expect 0 "merge again" "$S" merge -r rec devA devB devC
grep -q "merged 0 devices (0 ballots) into rec; 3 already there" out.txt &&
    [ "$(digest rec)" = "$d1" ] && ok "merging again changes nothing" ||
    bad "merge again: $(cat out.txt)"
expect 0 "tally" "$S" tally -q -r rec
expect 0 "decrypt" "$S" decrypt all --record rec --present 1,2 --secrets sec \
    --passphrase-file pass
expect 0 "verify the merged record" "$S" verify --allow-test-parameters rec
expect 1 "merge into a tallied record" "$S" merge -r rec devA
grep -q "already tallied" err.txt && ok "says tallied" || bad "$(cat err.txt)"

# faults: a merge killed at each rename or failing at openat calls; the
# record then holds all of it or none of it, and the next merge finishes
if command -v strace >/dev/null; then
    rm -rf probe && cp -a base probe
    strace -f -qq -c -e trace=openat,rename -o calls.txt \
        "$S" merge -q -r probe devA devB devC
    nopen=$(awk '$NF=="openat"{print $4}' calls.txt)
    nren=$(awk '$NF=="rename"{print $4}' calls.txt)
    want=$(digest probe)
    fcheck() { # fcheck NAME: r is base or the merge; the next merge finishes
        got=$(digest r)
        n=$(grep -o '"ballots": *[0-9]*' r/devices.json 2>/dev/null | wc -l)
        case $n in 0|3) ;; *) bad "$1: $n devices after the fault"; return ;; esac
        "$S" merge -q -r r devA devB devC 2>m.err ||
            { bad "$1: the next merge fails: $(cat m.err)"; return; }
        [ "$(digest r)" = "$want" ] || { bad "$1: not the merged record"; return; }
        left=$(find r -name '*.tmp.*' -o -name '.commit*')
        [ -z "$left" ] || { bad "$1: left in the record: $left"; return; }
        ok "$1 ($n devices after the fault)"
    }
    for i in $(seq 1 "$nren"); do
        rm -rf r && cp -a base r
        { strace -f -qq -o /dev/null -e inject=rename:signal=KILL:when=$i \
            "$S" merge -q -r r devA devB devC; } 2>/dev/null
        fcheck "kill at rename $i of $nren"
    done
    : >msgs.txt
    # the first openat calls read the record and the copies: sampled; the
    # last ones (temporary files, the journal, devices.json) all
    for i in 1 5 $(seq 10 10 $((nopen - 21))) $(seq $((nopen - 20)) "$nopen"); do
        rm -rf r && cp -a base r
        strace -f -qq -o /dev/null -e inject=openat:error=ENOSPC:when=$i \
            "$S" merge -q -r r devA devB devC 2>m.err
        rc=$?
        cat m.err >>msgs.txt
        [ $rc -eq 0 ] || [ -s m.err ] || bad "ENOSPC at openat $i: no message"
        fcheck "ENOSPC at openat $i of $nopen (exit $rc)"
    done
    grep -q "No space left on device" msgs.txt && ok "ENOSPC named" ||
        bad "ENOSPC never named"
else
    bad "strace is not installed (make deps installs it)"
fi

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
