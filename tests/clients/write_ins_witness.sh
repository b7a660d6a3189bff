#!/bin/sh
# A live verifying witness over write-ins (issue 8; docs/BOARD.md §3.3,
# §3.5, §4.3): the election of write_ins_board.sh on a board whose policy
# is one witness, wC, run as `scrutin witness serve --verify-board`. wC
# checks every entry (ballots, device close, tally, decryption,
# write_in_count, challenged, write_in, result, close) and cosigns the
# final checkpoint; the export verifies under that policy (L3).
# Then the same board from before its write-in entries, and wC from the
# same point: a board built with the test hooks commits a write_in before
# its write_in_count (a rule the door enforces: the release board refuses
# it, 409); wC refuses to cosign and keeps the board-signed checkpoint as
# INVALID ENTRY evidence naming the rule.
# usage: write_ins_witness.sh SCRUTIN SCRUTIN_TESTHOOKS
set -u
S=$1
H=$2
D=$(cd "$(dirname "$0")" && pwd)
. "$D/../lib/preamble.sh"
. "$D/../board/lib.sh"
trap cleanup EXIT
. "$D/write_ins_lib.sh"
# a fixed board port: the verifying witness is told the board's URL
BPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + $$ % 30000)))
LISTEN=127.0.0.1:$BPORT
wserve() { # -> pid in WC; wC.port kept across restarts
    [ -s wC.port ] && l=127.0.0.1:$(cat wC.port) || l=127.0.0.1:0
    rm -f wC.port
    "$S" witness serve --state wC --listen "$l" --port-file wC.port \
        --passphrase-file pass --verify-board "http://$LISTEN" 2>>wC.log &
    WC=$!
    wait_file wC.port
}
wstop() { kill "$WC" 2>/dev/null; wait "$WC" 2>/dev/null; WC=""; }
# "wC" once the board's newest checkpoint carries wC's cosignature (the
# board calls its witnesses after it answers), else ""
cosigned() {
    k=0
    while :; do
        c=$(curl -s "$URL/checkpoint" | sed -n 's/^— \(wC\) .*/\1/p')
        [ -n "$c" ] || [ $k -ge 40 ] && break
        sleep 0.1
        k=$((k + 1))
    done
    echo "$c"
}

wi_election
"$S" witness init --state wC --name wC --passphrase-file pass \
    --kdf interactive >wC.vkey 2>err.txt &&
    "$S" witness add-log --state wC --origin "$ORIGIN" --vkey "$VKEY" \
        >/dev/null 2>>err.txt || { echo "witness init"; cat err.txt; exit 3; }
wserve || { echo "witness serve"; cat wC.log; exit 3; }
printf '{"type":"witness_policy","witnesses":[{"name":"wC","party":"C","vkey":"%s","url":"http://127.0.0.1:%s"}],"quorum":"k-of-n:1"}' \
    "$(grep + wC.vkey | tail -n1)" "$(cat wC.port)" >policy.json
expect 0 "set-policy" "$S" board set-policy --state st --passphrase-file pass \
    --policy policy.json
expect 0 "device init" "$S" device init --out d1.key --passphrase-file pass \
    --kdf interactive
expect 0 "register device 1" "$S" board register-device --state st \
    --passphrase-file pass --device-key "$(cat out.txt)" --name "Precinct 1"
start || { bad "serve"; cat serve.log; exit 1; }
expect 0 "encrypt --board (4 cast, 1 challenged)" "$S" encrypt --board "$URL" \
    --device-key d1.key --passphrase-file pass b.jsonl
expect 0 "device close" "$S" device close --board "$URL" --device-key d1.key \
    --passphrase-file pass
[ "$(cosigned)" = wC ] && ok "wC cosigns the voting phase" ||
    { bad "voting phase not cosigned"; tail -n3 wC.log serve.log; }
expect 0 "export for the guardians" "$S" board export --board "$URL" --out x0
stop

# --- the guardians, offline; the authority posts the counting phase ---
wi_guardians
expect 0 "post tally" post tally work/encrypted_tally.json
expect 0 "post decryption" post decryption work/tally.json
# the board and wC as they are before any write-in entry
wstop
cp -r st st.pre && cp -r wC wC.pre || exit 3
wserve || { bad "witness restart"; cat wC.log; exit 1; }

# --- honest: wC follows the board through the write-in entries ---
expect 0 "post write_in_count" post write_in_count work/write_in_counts.jsonl
expect 0 "post challenged" post challenged work/challenged.jsonl
expect 0 "post write_in" post write_in work/write_ins.jsonl
expect 0 "post result" post result work/results.json
expect 0 "close" "$S" board close --state st --passphrase-file pass
start || { bad "serve"; cat serve.log; exit 1; }
SIZE=$(curl -s "$URL/checkpoint" | sed -n 2p)
[ "$(cosigned)" = wC ] && ok "wC cosigns the final checkpoint (size $SIZE)" ||
    { bad "final checkpoint not cosigned"; tail -n3 wC.log serve.log; }
grep -q "verified entries [0-9]*\.\.$((SIZE - 1)) " wC.log &&
    ok "wC verified up to entry $((SIZE - 1)): $(grep verified wC.log | tail -n1)" ||
    bad "wC did not verify the last entries: $(tail -n2 wC.log)"
expect 0 "export" "$S" board export --board "$URL" --out x1
stop
expect 0 "the export verifies under wC's policy" "$S" verify \
    --allow-test-parameters x1
for s in L3 V12; do
    grep -Eq "^$s .* ok" out.txt && ok "verify: $s ok" ||
        bad "verify: $s: $(grep "^$s " out.txt)"
done
"$S" witness evidence --state wC --check >ev.txt 2>&1
grep -q 'INVALID ENTRY' ev.txt && bad "wC kept evidence of the honest board: $(cat ev.txt)"

# --- a board that commits a write_in before its count ---
wstop
rm -rf st wC && cp -r st.pre st && cp -r wC.pre wC || exit 3
wserve || { bad "witness restart"; cat wC.log; exit 1; }
head -n 1 work/write_ins.jsonl >open1.jsonl
expect 1 "control: the release door refuses a write_in before its count" \
    post write_in open1.jsonl
grep -q "(409).*no write_in_count" err.txt && ok "  says: $(cat err.txt)" ||
    bad "control message: $(cat err.txt)"
expect 0 "the test board commits it" "$H" board post --state st \
    --passphrase-file pass --type write_in --test-accept-invalid-write-ins \
    open1.jsonl
start || { bad "serve"; cat serve.log; exit 1; }
SIZE=$(curl -s "$URL/checkpoint" | sed -n 2p)
sleep 0.3
[ -z "$(cosigned)" ] && ok "wC refuses to cosign size $SIZE" ||
    { bad "wC cosigned the invalid write_in"; tail -n3 wC.log; }
stop
"$S" witness evidence --state wC --check >ev.txt 2>&1
grep -q "INVALID ENTRY.*entry $((SIZE - 1)): write_in: no write_in_count" ev.txt &&
    ok "wC keeps it as evidence: $(grep -o 'INVALID ENTRY.*' ev.txt | cut -c1-160)" ||
    { bad "wC evidence"; cat ev.txt; }
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
