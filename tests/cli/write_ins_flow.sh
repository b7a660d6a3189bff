#!/bin/sh
# Reading write-ins through the CLI (docs/RECORD.md "Reading write-ins"):
# a manifest whose contest says "read_write_ins"; ballots with and
# without a write-in; the tally decryption (which decrypts each cast
# ballot's write-in count) and then `decrypt --write-ins` round by round
# (begin, reveal, respond, combine) by guardians 1 and 3 of 3 (quorum 2);
# only the ballots with a write-in are opened, the record verifies, and a
# counts file edited before the second decryption makes the guardians
# refuse. Usage: write_ins_flow.sh SCRUTIN
set -u
S=$1
D=$(cd "$(dirname "$0")" && pwd)
. "$D/../lib/preamble.sh"
echo 'write-ins flow passphrase' >pass
chmod 600 pass
# the election and ballots shared with tests/clients/write_ins_board.sh
cp "$D/write_ins_manifest.json" m.json && cp "$D/write_ins_ballots.jsonl" b.jsonl ||
    exit 3
expect 0 "ceremony" "$S" ceremony --guardians 3 --quorum 2 --out rec \
    --secrets sec --manifest m.json --group toy-q64 --passphrase-file pass \
    --kdf interactive
expect 0 "encrypt" "$S" encrypt -r rec -d 1 --challenge-rate 0 b.jsonl
expect 0 "tally" "$S" tally -r rec
expect 0 "decrypt the tally (and the write-in counts)" "$S" decrypt all \
    --record rec --present 1,3 --secrets sec --passphrase-file pass
[ "$(wc -l <rec/write_in_counts.jsonl)" -eq 4 ] &&
    ok "a count for each of the 4 cast ballots" || bad "write_in_counts.jsonl"
[ ! -e rec/write_ins.jsonl ] && ok "nothing opened yet" ||
    bad "write_ins.jsonl before --write-ins"
# round by round, each guardian on a copy of the record
mkdir -p board
for i in 1 3; do
    mkdir -p "g$i/ex"; cp -r rec "g$i/rec"
    expect 0 "begin $i" "$S" decrypt begin --write-ins --record "g$i/rec" \
        --secret "sec/guardian_$i.secret" --passphrase-file pass \
        --present 1,3 --exchange "g$i/ex" --kdf interactive
    cp "g$i/ex/decrypt_a_$i.json" board/
done
for r in reveal respond; do
    for i in 1 3; do cp board/*.json "g$i/ex/"; done
    for i in 1 3; do
        expect 0 "$r $i" "$S" decrypt "$r" --write-ins --record "g$i/rec" \
            --secret "sec/guardian_$i.secret" --passphrase-file pass \
            --exchange "g$i/ex"
        cp "g$i"/ex/decrypt_[bc]_"$i".json board/ 2>/dev/null
    done
done
expect 0 "combine" "$S" decrypt combine --write-ins --record rec --exchange board
n=$(wc -l <rec/write_ins.jsonl)
[ "$n" -eq 2 ] && ok "the 2 ballots with a write-in opened" ||
    bad "write_ins.jsonl has $n lines"
grep -q '"id":"b1"' rec/write_ins.jsonl && bad "b1 (no write-in) opened"
grep -q '"id":"b3"' rec/write_ins.jsonl && bad "b3 (no write-in) opened"
hex=$(printf 'Niklaus Wirth' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
grep -q "$hex" rec/write_ins.jsonl && ok "b2's write-in read" ||
    bad "b2's write-in text not in D"
expect 0 "verify" "$S" verify --allow-test-parameters rec
grep -q "V12 .*4/4 ok" out.txt && ok "V12 4/4" || bad "V12: $(grep V12 out.txt)"
# an edited count: the guardians refuse before opening anything
cp -r rec rec_e
sed -i '1s/"value":0/"value":1/' rec_e/write_in_counts.jsonl
expect 1 "guardians refuse an edited count" "$S" decrypt all --write-ins \
    --record rec_e --present 1,3 --secrets sec --passphrase-file pass
grep -q "write-in count does not verify" err.txt && ok "message says why" ||
    bad "message: $(cat err.txt)"
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
