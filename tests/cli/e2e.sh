#!/bin/sh
# End-to-end test of the scrutin CLI on a toy group: manifest, ceremony,
# encryption on two devices (one added to in two runs), tally, decryption
# with a guardian absent, verification, lookup; and the error paths of
# encryption: one clear line naming the file and field, a non-zero exit,
# and nothing written.
# usage: e2e.sh SCRUTIN EXAMPLES_DIR
set -u
S=$1
E=$2
. "$(dirname "$0")/../lib/preamble.sh"
# err_has TEXT: the last command's stderr is one line containing TEXT
err_has() {
    if grep -qF -- "$1" err.txt && [ "$(wc -l <err.txt)" -eq 1 ]; then
        ok "message: $1"
    else bad "message lacks '$1':"; cat err.txt; fi
}

echo 'e2e test passphrase' >pass
chmod 600 pass

expect 0 "manifest check" "$S" manifest check "$E/manifest.json"
expect 0 "manifest --help" "$S" manifest --help
expect 2 "manifest without args" "$S" manifest
printf '{"label":"x","contests":[],"ballot_styles":[]}' >badm.json
expect 3 "bad manifest" "$S" manifest check badm.json
err_has "badm.json: field contests: the manifest has no contests"
expect 0 "manifest canonical" "$S" manifest canonical -o canon.bin \
    "$E/manifest.json"
expect 0 "ceremony" "$S" ceremony --guardians 3 --quorum 2 --out rec \
    --secrets sec --manifest "$E/manifest.json" --group toy-q64 \
    --passphrase-file pass --kdf interactive
if cmp -s canon.bin rec/election_manifest_canonical.bin; then
    ok "canonical manifest in the record"
else bad "canonical manifest differs"; fi

# manifest init: a record without keys yet; encryption must wait for them
expect 2 "init: quorum above guardians" "$S" manifest init -r rec0 -n 2 -k 3 \
    "$E/manifest.json"
expect 0 "manifest init" "$S" manifest init -r rec0 -n 3 -k 2 -g toy-q64 \
    "$E/manifest.json"
[ -f rec0/hashes.json ] && [ -f rec0/election_parameters.json ] &&
    ok "init wrote the record" || bad "init files missing"
expect 3 "init over an existing record" "$S" manifest init -r rec0 -n 3 \
    -k 2 -g toy-q64 "$E/manifest.json"
err_has "rec0: already holds an election record"
expect 3 "encrypt before the ceremony" "$S" encrypt -r rec0 -d 1 \
    "$E/ballots.jsonl"
err_has "rec0/joint_election_public_key.json: cannot read"

# --- encryption errors: nothing may be written ---
expect 2 "encrypt without device" "$S" encrypt -r rec "$E/ballots.jsonl"
printf '%s\n' '{"id":"a","style":1,"contest_fields_plaintexts":{"1":{"field_values":[1,0,0,0]}}}' \
    '{"id":"b","style":1,' >malformed.jsonl
expect 3 "malformed JSON" "$S" encrypt -r rec -d 1 malformed.jsonl
err_has "malformed.jsonl:2: "
printf '%s\n' '{"id":"a","style":1,"contest_fields_plaintexts":{"1":{"field_values":[1,0,0,0]}}}' \
    '{"id":"c","style":1,"contest_fields_plaintexts":{"4":{"field_values":[1,0,0]}}}' >unknown.jsonl
expect 3 "contest not on the style" "$S" encrypt -r rec -d 1 unknown.jsonl
err_has "unknown.jsonl:2: field contest_fields_plaintexts.4: contest 4 is not on ballot style 1"
printf '%s\n' '{"id":"d","style":1,"contest_fields_plaintexts":{"9":{"field_values":[1]}}}' >nocontest.jsonl
expect 3 "contest not in the manifest" "$S" encrypt -r rec -d 1 nocontest.jsonl
err_has "no contest with index \"9\""
printf '%s\n' '{"id":"e","style":1,"contest_fields_plaintexts":{"1":{"field_values":[2,0,0,0]}}}' >toomany.jsonl
expect 3 "value above the option limit" "$S" encrypt -r rec -d 1 toomany.jsonl
err_has "toomany.jsonl:1: field contest_fields_plaintexts.1.field_values[0]: value 2 is above the option's selection limit 1"
if [ -e rec/ballots/device_1.jsonl ] || [ -e rec/devices.json ] ||
    ls rec/ballots | grep -q tmp; then
    bad "a failed encryption left files behind"; ls -la rec rec/ballots
else ok "nothing written by the failed runs"; fi

# --- the election ---
head -n 3 "$E/ballots.jsonl" >part1.jsonl
tail -n +4 "$E/ballots.jsonl" >part2.jsonl
expect 0 "encrypt device 1 (first part)" "$S" encrypt -r rec -d 1 \
    --codes codes1.txt --seed 7 part1.jsonl
expect 0 "encrypt device 1 (more)" "$S" encrypt -r rec -d 1 \
    --codes codes2.txt part2.jsonl
expect 3 "same device, other S_device" "$S" encrypt -r rec -d 1 \
    -D "another text" part2.jsonl
expect 0 "encrypt device 2 (stdin, no chaining, no time)" sh -c \
    "\"$S\" encrypt -r rec -d 2 -c none --challenge-rate 0 --no-time - <\"$E/ballot.json\""
# §3.7: each ballot's encryption time, where the device gives one
if [ "$(grep -cE '"encrypted_at":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"' rec/ballots/device_1.jsonl)" -eq 5 ]; then
    ok "device 1's ballots carry their encryption time"
else bad "device 1's ballots lack encrypted_at"; fi
if grep -q encrypted_at rec/ballots/device_2.jsonl; then
    bad "--no-time left a time in device 2's ballots"
else ok "--no-time: no encryption time"; fi
n1=$(wc -l <rec/ballots/device_1.jsonl)
[ "$n1" -eq 5 ] && ok "device 1 holds 5 ballots" || bad "device 1 holds $n1"
if grep -qi 'overvote' rec/ballots/device_1.jsonl; then
    bad "an overvote is visible in the clear"
else
    ok "no overvote in the clear (contest data, eq 63-69)"
fi
expect 0 "tally" "$S" tally -r rec
grep -Eq '"cast_ballots": ?5' rec/encrypted_tally.json &&
    ok "5 cast ballots tallied" || bad "cast_ballots wrong"
expect 0 "decrypt (guardian 2 absent)" "$S" decrypt all --record rec \
    --present 1,3 --secrets sec --passphrase-file pass
expect 0 "verify" "$S" verify --allow-test-parameters rec
code=$(head -n 1 codes1.txt | cut -f2)
expect 0 "lookup a cast ballot" "$S" lookup -r rec "$code"
grep -q "CAST" out.txt && ok "lookup says cast" || bad "lookup: $(cat out.txt)"
grep -qE "encrypted at [0-9-]{10}T[0-9:]{8}Z" out.txt &&
    ok "lookup shows the encryption time" || bad "lookup: $(cat out.txt)"
code=$(grep challenged codes2.txt | head -n 1 | cut -f2)
expect 0 "lookup a challenged ballot" "$S" lookup -r rec "$code"
grep -q "Hugo Martin, Ines Duarte" out.txt && ok "lookup shows the opening" ||
    bad "lookup: $(cat out.txt)"
expect 1 "lookup an unknown code" "$S" lookup -r rec \
    0000000000000000000000000000000000000000000000000000000000000000
expect 2 "lookup a malformed code" "$S" lookup -r rec 12AB
# a unique prefix of at least 8 digits will do, in any case, with dashes
# (issue 12 item 15: one rule offline and on the board)
code=$(head -n 1 codes1.txt | cut -f2)
pre=$(printf '%s' "$code" | cut -c1-10 | tr 'A-F' 'a-f' | sed 's/..../&-/')
expect 0 "lookup by the prefix $pre" "$S" lookup -r rec "$pre"
grep -q "confirmation code $code" out.txt && ok "the prefix finds the code" ||
    bad "lookup $pre: $(cat out.txt)"
expect 2 "lookup a 7-digit prefix" "$S" lookup -r rec "$(printf '%s' "$code" | cut -c1-7)"
# an ambiguous prefix: a copy of the record where a second code starts
# with the same 12 digits
cp -r rec rec_amb
c2=$(sed -n 2p codes1.txt | cut -f2)
sed -i "s/$c2/$(printf '%s' "$code" | cut -c1-12)$(printf '%s' "$c2" | cut -c13-)/" \
    rec_amb/ballots/device_1.jsonl
expect 2 "lookup an ambiguous prefix" "$S" lookup -r rec_amb \
    "$(printf '%s' "$code" | cut -c1-12)"
grep -q "start of 2 confirmation codes" err.txt && ok "ambiguity counted" ||
    bad "ambiguous prefix: $(cat err.txt)"
expect 0 "lookup the whole code in it" "$S" lookup -r rec_amb "$code"
rm -rf rec_amb

# an encryption time not of its form: S1.J (it is covered by no hash)
cp -r rec rect
sed -i '1s/"encrypted_at":"[^"]*"/"encrypted_at":"2026-02-30T10:00:00Z"/' \
    rect/ballots/device_1.jsonl
expect 1 "verify a malformed encryption time" "$S" verify \
    --allow-test-parameters rect
grep -q "S1.J" out.txt && ok "S1.J names it" || bad "S1.J: $(cat out.txt)"

# tamper with a ballot: the verifier must notice
sed -i '2s/"state":"Cast"/"state":"Challenged"/' rec/ballots/device_1.jsonl
expect 1 "verify a tampered record" "$S" verify --allow-test-parameters rec

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
