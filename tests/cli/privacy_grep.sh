#!/bin/sh
# Nothing about a vote in the clear (issue 11): run the demo (which has
# overvotes, blank contests, write-ins, contest data and supplemental
# fields) and search its whole public record for anything that identifies
# a voter's choices on a cast or challenged ballot: an overvote flag,
# write-in text (plain or as hex of the UTF-8 bytes), a per-ballot plaintext
# count or selection in the ballot files. Challenged ballots' openings
# (challenged.jsonl) are public by design (§3.6.7) and are only checked
# for clear text. Usage: privacy_grep.sh SCRUTIN
set -u
S=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
"$S" demo --group toy-q64 --ballots 80 --seed 11 --out "$d/rec" -q \
    >"$d/out.txt" 2>&1 || { cat "$d/out.txt"; bad "demo failed"; exit 1; }
rec="$d/rec"
[ -d "$d/rec.secrets" ] || bad "secrets are not beside the record"
# the demo must have produced what we look for
grep -q '"write_in":true' "$rec/election_manifest_canonical.bin" ||
    bad "the demo manifest has no write-in option"
grep -q '"supplemental"' "$rec/election_manifest_canonical.bin" ||
    bad "the demo manifest has no supplemental fields"
grep -q '"contest_data"' "$rec"/ballots/device_1.jsonl ||
    bad "the ballots carry no contest data"
# 1. no overvote / undervote / null-vote flag anywhere in the ballots
if grep -rliE 'overvot|undervot|null_vote|"blank"' "$rec/ballots"; then
    bad "a ballot file names an over/undervote"
fi
# 2. no write-in text, in clear or as hex, anywhere in the record
for name in "Zoe Adeyemi" "Marcus Holt" "Priya Natarajan"; do
    hex=$(printf '%s' "$name" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
    if grep -rlF "$name" "$rec"; then
        bad "write-in text \"$name\" in the clear"
    fi
    if grep -rlF "$hex" "$rec/ballots"; then
        bad "write-in text \"$name\" as hex in a ballot"
    fi
done
# 3. ballot lines hold only the encrypted schema: no plaintext values
if grep -rlE '"(selections|field_values|value|values|write_ins|sigma|plaintext|data_nonce|nonces)"' \
    "$rec/ballots"; then
    bad "a ballot file has a plaintext field"
fi
# 4. every property name in the ballot files is one docs/RECORD.md lists
keys=$(cat "$rec"/ballots/*.jsonl | grep -oE '"[a-z_0-9]+":' | sort -u |
    tr -d '":' | tr '\n' ' ')
for k in $keys; do
    case " id state style device sequence weight selection_encryption_identifier h_i contests index fields alpha beta proof c v limit_proof supplemental_proofs contest_data c0 c1 contest_hash ballot_nonce chaining_field confirmation_code " in
    *" $k "*) ;;
    *) bad "unexpected property \"$k\" in a ballot file" ;;
    esac
done
[ $fail -eq 0 ] && echo "ok: nothing about a vote in the clear"
exit $fail
