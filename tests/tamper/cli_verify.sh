#!/usr/bin/env bash
# `scrutin verify` end to end on a record made by `scrutin demo` (toy
# group): exit codes 0 valid / 1 invalid / 2 usage / 3 could not check,
# --json, --threads, refusal of test parameters without the flag.
# With the shared folder, also the dispatch of an egk 2.0 record to the
# 2.0 verifier.
# With a third argument "standard", the record is made on the standard
# group (slow) and verified without --allow-test-parameters.
# usage: cli_verify.sh /path/to/scrutin [shared-dir] [group]
set -u
S=${1:?usage: cli_verify.sh SCRUTIN [SHARED] [GROUP]}
SHARED=${2:-}
GROUP=${3:-toy-q64}
# --seed (deterministic nonces) is refused with the standard set
SEED="--seed 3"; [ "$GROUP" = standard ] && SEED=""
if [ "$GROUP" = standard ]; then
    A=""; NB=8
else
    A="--allow-test-parameters"; NB=40
fi
W=$(mktemp -d /tmp/sc_cli_verify.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect CODE cmd...
    local want=$1; shift
    "$@" >"$W/out.txt" 2>"$W/err.txt"; local got=$?
    if [ "$got" != "$want" ]; then
        cat "$W/out.txt" "$W/err.txt" >&2
        fail "exit $got, expected $want: $*"
    fi
}
R="$W/rec"
expect 0 "$S" demo --group "$GROUP" --ballots $NB $SEED --out "$R" --quiet
expect 0 "$S" verify $A --threads 2 "$R"
grep -q "^V6 .* ok$" "$W/out.txt" || fail "no V6 line"
grep -q "verdict: valid" "$W/out.txt" || fail "no verdict"
expect 0 "$S" verify $A --json "$R"
grep -Eq '"verdict": ?"valid"' "$W/out.txt" || fail "json verdict"
if [ -n "$A" ]; then
    expect 1 "$S" verify "$R" # toy parameters refused: V1.B
    grep -q "V1.B" "$W/out.txt" || fail "no V1.B"
fi
expect 2 "$S" verify
expect 2 "$S" verify --threads 0 "$R"
expect 2 "$S" verify --bogus "$R"
expect 0 "$S" verify --help
expect 3 "$S" verify $A "$W/nonexistent"
# tamper: a hash in hashes_ext.json
cp -r "$R" "$W/t1"
sed -i 's/"h_e":"\(.\)/"h_e":"0/; s/"h_e": "\(.\)/"h_e": "0/' "$W/t1/hashes_ext.json"
if ! cmp -s "$R/hashes_ext.json" "$W/t1/hashes_ext.json"; then
    expect 1 "$S" verify $A "$W/t1"
    grep -q "V4.A" "$W/out.txt" || fail "no V4.A"
fi
# could not check: the tally is missing
cp -r "$R" "$W/t2"
rm "$W/t2/tally.json"
expect 3 "$S" verify $A "$W/t2"
grep -q "could not check" "$W/out.txt" || fail "no 'could not check'"
if [ -n "$SHARED" ] && [ -d "$SHARED/records/egk-2.0/allAvailable" ]; then
    expect 0 "$S" verify --threads 2 "$SHARED/records/egk-2.0/allAvailable"
    grep -q "verdict: valid" "$W/out.txt" || fail "egk 2.0 record"
fi
echo "cli_verify: ok"
