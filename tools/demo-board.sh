#!/bin/sh
# scrutin demo --board: the demo election through a live board on
# loopback, every party a separate process: the board, three witnesses
# (one per party, all-parties quorum), two voting devices submitting at
# the same time; then the devices close, the guardians decrypt the tally
# from an export of the log, the authority posts tally, decryption,
# openings and results.json (docs/BOARD.md 3.5), closes the board, and an
# observer exports the record from the board's public API and verifies it,
# log steps included.
# usage: demo-board.sh SCRUTIN EXAMPLES_DIR [BALLOTS_PER_DEVICE] [OUTDIR]
set -u
S=$1
E=$2
NB=${3:-10}
OUT=${4:-scrutin-board-demo-$(date +%Y%m%d-%H%M%S)}
GROUP=${SCRUTIN_DEMO_GROUP:-standard}
[ -e "$OUT" ] && { echo "scrutin: $OUT exists; give another directory" >&2; exit 2; }
mkdir -p "$OUT" && cd "$OUT" || exit 3
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM
step() { printf '\n== %s\n' "$*"; }
die() { echo "scrutin demo --board: $*" >&2; exit 3; }
wait_file() {
    n=0
    while [ ! -s "$1" ] && [ $n -lt 300 ]; do sleep 0.05; n=$((n + 1)); done
    [ -s "$1" ]
}
serve_board() {
    rm -f board.port
    "$S" board serve --state board --listen 127.0.0.1:0 --port-file board.port \
        --passphrase-file pass --web "$E/../web" 2>>board.log &
    BPID=$!
    PIDS="$PIDS $BPID"
    wait_file board.port || die "the board did not start (board.log)"
    URL="http://127.0.0.1:$(cat board.port)"
}
stop_board() { kill "$BPID" 2>/dev/null; wait "$BPID" 2>/dev/null; }
# Demo only: one passphrase file for every key (each party has its own in
# a real election, on its own machine).
echo "scrutin board demo passphrase, not for real use" >pass
chmod 600 pass

step "key ceremony (3 guardians, quorum 2, group $GROUP)"
"$S" ceremony --guardians 3 --quorum 2 --out rec --secrets guardians \
    --manifest "$E/manifest.json" --group "$GROUP" --passphrase-file pass \
    --kdf interactive >ceremony.log || die "ceremony (ceremony.log)"

step "board: init"
"$S" board init --record rec --state board --passphrase-file pass \
    --kdf interactive | tee init.txt || die "board init"
VKEY=$(sed -n 's/^board key //p' init.txt)
ORIGIN=${VKEY%%+*}

step "witnesses: one per party, each its own process and database"
POL=""
for w in party-a party-b party-c; do
    "$S" witness init --state "w-$w" --name "scrutin-demo-witness-$w" \
        --passphrase-file pass --kdf interactive >"w-$w.vkey" ||
        die "witness init $w"
    "$S" witness add-log --state "w-$w" --origin "$ORIGIN" --vkey "$VKEY" \
        >/dev/null || die "witness add-log $w"
    "$S" witness serve --state "w-$w" --listen 127.0.0.1:0 \
        --port-file "w-$w.port" --passphrase-file pass 2>>"w-$w.log" &
    PIDS="$PIDS $!"
    wait_file "w-$w.port" || die "witness $w did not start"
    POL="$POL${POL:+,}{\"name\":\"scrutin-demo-witness-$w\",\"party\":\"$w\",\"vkey\":\"$(tail -n1 "w-$w.vkey")\",\"url\":\"http://127.0.0.1:$(cat "w-$w.port")\"}"
    echo "  $w: http://127.0.0.1:$(cat "w-$w.port")"
done
printf '{"type":"witness_policy","witnesses":[%s],"quorum":"all-parties"}\n' \
    "$POL" >policy.json
"$S" board set-policy --state board --passphrase-file pass \
    --policy policy.json || die "set-policy"

step "devices: keys, registered by the authority"
for d in 1 2; do
    "$S" device init --out "dev$d.key" --passphrase-file pass \
        --kdf interactive >"dev$d.pub" || die "device init"
    "$S" board register-device --state board --passphrase-file pass \
        --device-key "$(cat "dev$d.pub")" --name "Riverton polling place $d" \
        >/dev/null || die "register-device $d"
done

mk_ballots() { # PREFIX N FILE: the example ballots, every 5th challenged
    : >"$3"
    i=0
    while [ $i -lt "$2" ]; do
        line=$(sed -n "$((i % 5 + 1))p" "$E/ballots.jsonl" |
            sed 's/"device":"[^"]*",//; s/"challenge":true,//')
        ch=""
        [ $((i % 5)) -eq 4 ] && ch=',"challenge":true'
        echo "$line" | sed "s/\"id\":\"[^\"]*\"/\"id\":\"$1-$i\"$ch/" >>"$3"
        i=$((i + 1))
    done
}
mk_ballots p1 "$NB" ballots1.jsonl
mk_ballots p2 "$NB" ballots2.jsonl

serve_board
step "voting: both devices submit at the same time to $URL"
echo "  voter and observer page: $URL/"
"$S" encrypt --board "$URL" --device-key dev1.key --passphrase-file pass \
    ballots1.jsonl >dev1.log 2>&1 &
E1=$!
"$S" encrypt --board "$URL" --device-key dev2.key --passphrase-file pass \
    ballots2.jsonl >dev2.log 2>&1 &
E2=$!
wait $E1 || { cat dev1.log; die "device 1"; }
wait $E2 || { cat dev2.log; die "device 2"; }
tail -n2 dev1.log dev2.log
C=$(grep '"state":"cast"' dev1.key.receipts | head -n1 |
    sed 's/.*"code":"\([0-9A-F]*\)".*/\1/')
step "a voter looks up the first 10 characters of a code"
"$S" lookup --board "$URL" --state voter.cp "$(echo "$C" | cut -c1-10)" ||
    die "lookup"
for d in 1 2; do
    "$S" device close --board "$URL" --device-key "dev$d.key" \
        --passphrase-file pass >/dev/null || die "device close $d"
done

step "tally and decryption by the guardians (2 of 3), from the log's export"
"$S" board export --board "$URL" --out exported >/dev/null || die "export"
stop_board
cp -r exported work && rm -rf work/log
"$S" tally -r work >/dev/null || die "tally"
"$S" decrypt all --record work --present 1,3 --secrets guardians \
    --passphrase-file pass >/dev/null || die "decrypt"
"$S" board results --record work || die "board results"
for t in "tally work/encrypted_tally.json" "decryption work/tally.json" \
    "challenged work/challenged.jsonl" "result work/results.json"; do
    set -- $t
    # no challenged ballot: nothing to post (board post refuses an empty file)
    [ -s "$2" ] || continue
    "$S" board post --state board --passphrase-file pass --type "$1" "$2" \
        >/dev/null || die "post $1"
done
"$S" board close --state board --passphrase-file pass >/dev/null ||
    die "board close"

step "an observer exports the record from the board and verifies it"
serve_board
"$S" board export --board "$URL" --out record >/dev/null || die "export"
mkdir -p observer.cp
rc=0
if [ "$GROUP" = standard ]; then "$S" verify --state observer.cp record || rc=$?
else "$S" verify --allow-test-parameters --state observer.cp record || rc=$?; fi
step "witness evidence (none expected in an honest run)"
for w in party-a party-b party-c; do
    n=$("$S" witness evidence --state "w-$w" | grep -c .)
    echo "  $w: $n line(s) of evidence"
done
echo
echo "record: $OUT/record   board: $OUT/board   exit $rc"
exit $rc
