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
# 2. no write-in text in the clear anywhere in the record; as hex of the
# plaintext contest data only where it is public by design: the openings
# of challenged ballots (challenged.jsonl, §3.6.7) and the write-ins read
# from cast ballots (write_ins.jsonl), because the demo manifest says
# "read_write_ins" for the mayoral race (docs/RECORD.md "Reading
# write-ins"; the verifier's 12.D fails an opening anywhere else)
grep -q '"read_write_ins":true' "$rec/election_manifest_canonical.bin" ||
    bad "the demo manifest reads no write-ins"
[ -s "$rec/write_ins.jsonl" ] || bad "the demo read no write-ins"
for name in "Zoe Adeyemi" "Marcus Holt" "Priya Natarajan"; do
    hex=$(printf '%s' "$name" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
    if grep -rlF "$name" "$rec"; then
        bad "write-in text \"$name\" in the clear"
    fi
    if grep -rlF "$hex" "$rec" | grep -vE '/(write_ins|challenged)\.jsonl$'; then
        bad "write-in text \"$name\" as hex outside the openings"
    fi
done
# 2b. the cast ballots' contest data is opened only in the contest whose
# manifest entry reads write-ins (contest 1), and the published counts are
# only those of that contest's write-in field (0..1 here)
if grep -oE '"index":[0-9]+' "$rec/write_ins.jsonl" "$rec/write_in_counts.jsonl" |
    grep -v ':"index":1$'; then
    bad "write-ins or counts published for a contest that reads none"
fi
if grep -oE '"value":[0-9]+' "$rec/write_in_counts.jsonl" | grep -vE ':(0|1)$'; then
    bad "a write-in count outside 0..1"
fi
# 3. ballot lines hold only the encrypted schema: no plaintext values
if grep -rlE '"(selections|field_values|value|values|write_ins|sigma|plaintext|data_nonce|nonces)"' \
    "$rec/ballots"; then
    bad "a ballot file has a plaintext field"
fi
# 4. every property name in the ballot files is one docs/RECORD.md lists
keys=$(cat "$rec"/ballots/*.jsonl | grep -oE '"[a-z_0-9]+":' | sort -u |
    tr -d '":' | tr '\n' ' ')
for k in $keys; do
    case " id state style device sequence weight encrypted_at selection_encryption_identifier h_i contests index fields alpha beta proof c v limit_proof supplemental_proofs contest_data c0 c1 contest_hash ballot_nonce chaining_field confirmation_code " in
    *" $k "*) ;;
    *) bad "unexpected property \"$k\" in a ballot file" ;;
    esac
done
# 5. the write-in files hold only what docs/RECORD.md lists
for f in write_ins write_in_counts; do
    keys=$(grep -oE '"[a-z_0-9]+":' "$rec/$f.jsonl" | sort -u | tr -d '":' |
        tr '\n' ' ')
    for k in $keys; do
        case " id selection_encryption_identifier contests index value beta proof challenge response data " in
        *" $k "*) ;;
        *) bad "unexpected property \"$k\" in $f.jsonl" ;;
        esac
    done
done
[ $fail -eq 0 ] && echo "ok: nothing about a vote in the clear"
exit $fail
