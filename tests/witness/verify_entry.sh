#!/bin/sh
# Makes a toy record with two ballots of a chained device "P1" and runs
# test_verify_entry on it (the verifying witness's rules, one tamper each).
# usage: verify_entry.sh SCRUTIN TEST_VERIFY_ENTRY EXAMPLES
set -u
S=$1
X=$2
E=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-vent.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 3
echo 'verify entry test passphrase' >pass
chmod 600 pass
"$S" ceremony --guardians 3 --quorum 2 --out rec --secrets sec \
    --manifest "$E/manifest.json" --group toy-q64 --passphrase-file pass \
    --kdf interactive >/dev/null || { echo "ceremony failed"; exit 3; }
for i in 1 2; do
    tr -d '\n' <"$E/ballot.json" | sed "s/\"id\": *\"[^\"]*\"/\"id\":\"b-$i\"/"
    echo
done >plain.jsonl
cp -r rec rec2
"$S" encrypt -r rec -d 1 -D P1 --seed 5 --challenge-rate 0 -q plain.jsonl ||
    { echo "encrypt failed"; exit 3; }
# device 2's ballots carry the same ids: made in a copy of the record (the
# CLI refuses a duplicate id), for the verifier's uniqueness rule
sed 's/"b-/"c-/' plain.jsonl >other.jsonl
"$S" encrypt -r rec2 -d 1 -D P1 --seed 5 -q other.jsonl ||
    { echo "encrypt (copy) failed"; exit 3; }
"$S" encrypt -r rec2 -d 2 -D P2 --seed 6 --challenge-rate 0 -q plain.jsonl ||
    { echo "encrypt (device 2) failed"; exit 3; }
cp rec2/ballots/device_2.jsonl rec/ballots/
BC=$(sed -n 's/.*"chaining_field": *"\([0-9A-F]*\)".*/\1/p' rec/devices.json | head -n1)
H=$(sed -n 's/.*"hash": *"\([0-9A-F]*\)".*/\1/p' rec/devices.json | head -n1)
exec "$X" rec "$BC" "$H"
