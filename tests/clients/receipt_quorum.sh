#!/bin/sh
# A receipt carries witness cosignatures only when they make the policy's
# quorum (docs/BOARD.md §3.4). Policy k-of-n:2 with two witnesses
# (tests/clients/fake_witness.c): while both cosign, a receipt (GET
# /v1/entry/<i>, the same code as the submission's answer) carries both
# cosignatures; once one witness is down, the board still stores the
# other's cosignature of the new checkpoint (GET /checkpoint shows it),
# but the receipt of an entry that only that checkpoint covers carries
# the board's signature alone: one cosignature, short of the quorum,
# must never be in it.
# usage: receipt_quorum.sh SCRUTIN FAKE_WITNESS BOARD_PROBE EXAMPLES_DIR
set -u
S=$1
W=$2
P=$3
E=$4
NB=4
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-quorum.XXXXXX")
. "$(dirname "$0")/../board/lib.sh"
trap cleanup EXIT
cd "$T" || exit 3
fails=0
board_setup
"$W" serve w1 101 "$VKEY" w1.port & W1=$!
"$W" serve w2 102 "$VKEY" w2.port & W2=$!
wait_file w1.port && wait_file w2.port || { echo "witnesses"; exit 3; }
cat >policy.json <<EOF
{"type":"witness_policy","witnesses":[
 {"name":"w1","party":"A","vkey":"$("$W" vkey w1 101)","url":"http://127.0.0.1:$(cat w1.port)"},
 {"name":"w2","party":"B","vkey":"$("$W" vkey w2 102)","url":"http://127.0.0.1:$(cat w2.port)"}],
 "quorum":"k-of-n:2"}
EOF
"$S" board set-policy --state st --passphrase-file pass --policy policy.json \
    >/dev/null 2>err.txt || { cat err.txt; exit 3; }
start || { echo "serve"; cat serve.log; exit 3; }

# cosignature lines of witness NAME in the proof of /v1/entry/I
cosigs() { # I NAME
    curl -s "$URL/v1/entry/$1" >entry.json
    grep -o "— $2 " entry.json | wc -l
}
# wait until GET /checkpoint has size N and the cosignature of NAME
wait_cosig() { # N NAME
    n=0
    while [ $n -lt 600 ]; do
        curl -s "$URL/checkpoint" >cp.txt
        if [ "$(sed -n 2p cp.txt)" = "$1" ] && grep -q "^— $2 " cp.txt; then
            return 0
        fi
        sleep 0.05
        n=$((n + 1))
    done
    return 1
}

# both witnesses up: the quorum is met, the receipt carries both
head -n 2 "$B" >first.jsonl
"$P" device "$URL" dev.sk first.jsonl "$VKEY" ack.txt >probe.log 2>&1 ||
    { bad "first ballots"; cat probe.log; }
SIZE=$(curl -s "$URL/v1/status" | sed 's/.*"size":\([0-9]*\).*/\1/')
# entries: election, device, policy, then the two ballots
[ "$SIZE" -eq 5 ] || bad "size $SIZE, wanted 5"
wait_cosig "$SIZE" w1 && wait_cosig "$SIZE" w2 &&
    ok "both witnesses cosigned size $SIZE" || bad "no cosignatures: $(cat cp.txt)"
c1=$(cosigs 4 w1)
c2=$(cosigs 4 w2)
[ "$c1" -eq 1 ] && [ "$c2" -eq 1 ] &&
    ok "quorum met: the receipt of entry 4 carries both cosignatures" ||
    bad "receipt of entry 4: w1 $c1, w2 $c2 cosignatures; wanted 1 and 1"

# one witness down: one cosignature is short of k-of-n:2
kill "$W2" 2>/dev/null
wait "$W2" 2>/dev/null
W2=""
head -n 4 "$B" >second.jsonl
"$P" device "$URL" dev.sk second.jsonl "$VKEY" ack.txt 3 >probe.log 2>&1 ||
    { bad "second ballots"; cat probe.log; }
wait_cosig 7 w1 && ok "w1 cosigned size 7 (w2 is down)" ||
    bad "w1 did not cosign size 7: $(cat cp.txt)"
grep -q "^— w2 " cp.txt && bad "w2 cosigned while down"
c1=$(cosigs 6 w1)
c2=$(cosigs 6 w2)
if [ "$c1" -eq 0 ] && [ "$c2" -eq 0 ]; then
    ok "quorum not met: the receipt of entry 6 carries no cosignature"
else
    bad "receipt of entry 6 carries $c1 + $c2 cosignatures short of the quorum"
    cat entry.json
fi
grep -q "— $ORIGIN " entry.json && ok "it carries the board's signature" ||
    bad "no board signature in the receipt of entry 6"
# the earlier entry keeps its quorum-cosigned checkpoint (size 5)
[ "$(cosigs 4 w1)" -eq 1 ] && [ "$(cosigs 4 w2)" -eq 1 ] &&
    ok "entry 4's receipt still carries the quorum of size 5" ||
    bad "entry 4's receipt lost its quorum"
stop
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
