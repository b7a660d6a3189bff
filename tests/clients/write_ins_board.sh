#!/bin/sh
# Write-ins through the board (docs/BOARD.md §3.3, §3.5): an election
# whose manifest reads write-ins runs on a board (one device, a test
# witness); the guardians tally and decrypt an export of the log (the
# counts), read the write-ins (`decrypt --write-ins`), and the authority
# posts tally, decryption, write_in_count, challenged, write_in and result
# entries; the observer's export verifies (L1-L4, V12, S7) and its files
# are the guardians' offline record's, byte for byte. The door refuses,
# each with its rule: a count before the tally (403), a device's count
# (403), a malformed line (400), an opening before its count (409), a
# count naming no ballot on the board (409), a
# second count or opening of one ballot (409); an empty file is refused
# by board post, set-policy and encrypt --board. A record whose write-in
# files are missing, changed or not in the log fails L4.
# usage: write_ins_board.sh SCRUTIN FAKE_WITNESS BOARD_PROBE
set -u
S=$1
W=$2
P=$3
D=$(cd "$(dirname "$0")" && pwd)
. "$D/../lib/preamble.sh"
. "$D/../board/lib.sh"
trap cleanup EXIT
says() { # TEXT: the last command's stderr says it
    grep -q "$1" err.txt && ok "  says: $(cat err.txt)" ||
        bad "message: wanted '$1', got: $(cat err.txt)"
}
. "$D/write_ins_lib.sh"

wi_election
"$W" serve w1 101 "$VKEY" w1.port & W1=$!
wait_file w1.port || { echo "witness"; exit 3; }
cat >policy.json <<EOF
{"type":"witness_policy","witnesses":[
 {"name":"w1","party":"A","vkey":"$("$W" vkey w1 101)","url":"http://127.0.0.1:$(cat w1.port)"}],
 "quorum":"k-of-n:1"}
EOF
expect 0 "set-policy" "$S" board set-policy --state st --passphrase-file pass \
    --policy policy.json
expect 0 "device init" "$S" device init --out d1.key --passphrase-file pass \
    --kdf interactive
expect 0 "register device 1" "$S" board register-device --state st \
    --passphrase-file pass --device-key "$(cat out.txt)" --name "Precinct 1"
# a second device whose raw key the test client holds (for the 403 below)
D2=$("$P" keygen d2.sk)
expect 0 "register device 2" "$S" board register-device --state st \
    --passphrase-file pass --device-key "$D2" --name "Precinct 2" \
    --chaining none
start || { bad "serve"; cat serve.log; exit 1; }
# an empty ballot file is refused, as offline (issue 12: bad input)
: >empty.jsonl
expect 3 "encrypt --board of an empty file" "$S" encrypt --board "$URL" \
    --device-key d1.key --passphrase-file pass empty.jsonl
says "empty.jsonl: no ballots"
expect 0 "encrypt --board (4 cast, 1 challenged)" "$S" encrypt --board "$URL" \
    --device-key d1.key --passphrase-file pass b.jsonl
expect 0 "device close" "$S" device close --board "$URL" --device-key d1.key \
    --passphrase-file pass
expect 0 "export for the guardians" "$S" board export --board "$URL" --out x0
stop

# --- the guardians, offline, on the export ---
wi_guardians
expect 0 "the offline record verifies" "$S" verify --allow-test-parameters work

# --- the authority posts, the door checks ---
head -n 1 work/write_in_counts.jsonl >count1.jsonl
head -n 1 work/write_ins.jsonl >open1.jsonl
expect 1 "door: a write_in_count before the tally" post write_in_count \
    count1.jsonl
says "(403).*only after the tally"
# an empty file posts nothing: refused with one line (issue 12)
expect 3 "post of an empty file" post tally empty.jsonl
says "empty.jsonl: empty: nothing to post"
[ "$(wc -l <err.txt)" -eq 1 ] || bad "more than one line: $(cat err.txt)"
printf '\n\n' >blank.jsonl
expect 3 "post of a file of empty lines" post write_in_count blank.jsonl
says "blank.jsonl: empty: nothing to post"
expect 3 "set-policy with an empty file" "$S" board set-policy --state st \
    --passphrase-file pass --policy empty.jsonl
says "empty.jsonl: empty: nothing to post"
expect 0 "post tally" post tally work/encrypted_tally.json
expect 0 "post decryption" post decryption work/tally.json
expect 1 "door: a write_in before its count" post write_in open1.jsonl
says "(409).*no write_in_count"
sed 's/"selection_encryption_identifier":"[0-9A-F]*",//' count1.jsonl >noidb.jsonl
expect 1 "door: a count without id_B" post write_in_count noidb.jsonl
says "(400).*write_in_count: "
X64=$(printf 'A%.0s' $(seq 64))
sed "s/\"selection_encryption_identifier\":\"[0-9A-F]*\"/\"selection_encryption_identifier\":\"$X64\"/" \
    count1.jsonl >strange.jsonl
grep -q "$X64" strange.jsonl || bad "strange.jsonl: id_B not replaced"
expect 1 "door: a count of a ballot not on the board" post write_in_count \
    strange.jsonl
says "(409).*no ballot on the board has this selection_encryption_identifier"
expect 0 "post write_in_count" post write_in_count work/write_in_counts.jsonl
expect 1 "door: a second count of one ballot" post write_in_count count1.jsonl
says "(409).*duplicate write_in_count"
expect 0 "post challenged" post challenged work/challenged.jsonl
expect 0 "post write_in" post write_in work/write_ins.jsonl
expect 1 "door: a second opening of one ballot" post write_in open1.jsonl
says "(409).*duplicate write_in for"
start || { bad "serve"; cat serve.log; exit 1; }
printf '%s' "$(head -n 1 work/write_in_counts.jsonl)" >dline.json
"$P" submit "$URL" d2.sk write_in_count 1 dline.json "$ORIGIN" >sub.txt
[ "$(head -n 1 sub.txt)" = 403 ] && ok "door: a device's write_in_count: 403 \
$(tail -n 1 sub.txt)" || bad "device's write_in_count: $(cat sub.txt)"
stop
expect 0 "post result" post result work/results.json
expect 0 "close" "$S" board close --state st --passphrase-file pass

# --- the observer's export ---
start || { bad "serve"; cat serve.log; exit 1; }
expect 0 "export" "$S" board export --board "$URL" --out x1
stop
expect 0 "the export verifies" "$S" verify --allow-test-parameters x1
for s in L1 L2 L3 L4 V12 S7; do
    grep -Eq "^$s .* ok" out.txt && ok "verify: $s ok" ||
        bad "verify: $s: $(grep "^$s " out.txt)"
done
# the export = the guardians' record, file for file, byte for byte
diff -r -x log work x1 >diff.txt && ok "export = the offline record" ||
    { bad "export differs from the offline record"; head -20 diff.txt; }
for f in write_in_counts.jsonl write_ins.jsonl; do
    cmp -s "work/$f" "x1/$f" && ok "$f identical" || bad "$f differs"
done
# L4 both ways for the write-in files
cp -r x1 x2 && rm x2/write_ins.jsonl
expect 1 "write_ins.jsonl removed" "$S" verify --allow-test-parameters x2
grep -q "L4.C write_ins.jsonl" out.txt && ok "  L4.C" ||
    bad "not L4.C: $(grep -E '^(first|L4)' out.txt)"
rm -rf x2 && cp -r x1 x2
sed -i '1s/"id":"b1"/"id":"b9"/' x2/write_in_counts.jsonl
expect 1 "write_in_counts.jsonl changed" "$S" verify --allow-test-parameters x2
grep -q "L4.A write_in_counts.jsonl" out.txt && ok "  L4.A" ||
    bad "not L4.A: $(grep -E '^(first|L4)' out.txt)"
# (x0: the log before the tally, so other steps fail too)
rm -rf x2 && cp -r x0 x2 && cp work/write_in_counts.jsonl x2/
"$S" verify --allow-test-parameters x2 >out.txt 2>err.txt
grep -q "L4.B write_in_counts.jsonl" out.txt &&
    ok "write_in_counts.jsonl not in the log: L4.B" ||
    bad "not L4.B: $(grep -E '^(first|L4)' out.txt)"
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
