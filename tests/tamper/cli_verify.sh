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
# S1.I through the command, each failing that condition alone: a ballot
# label with an escape sequence (which must not reach the terminal), and
# device 2's first ballot with the label of device 1's first
only_s1i() { # only_s1i DIR WHAT (one verify run: it is slow under ASan)
    expect 1 "$S" verify $A "$1"
    grep -q "^first cause: S1.I " "$W/out.txt" || fail "$2: first cause not S1.I"
    # every step ok (or not applicable) but S1, and S1 with one failure
    bad_steps=$(awk '/^[VS][0-9]+ / && $NF != "ok" && !/ not applicable: / {print $1, $(NF-1)}' \
        "$W/out.txt" | tr '\n' ' ')
    case $bad_steps in
    "S1 "*)
        n=${bad_steps#S1 }; n=${n%% *}
        [ "${n%/*}" -eq $((${n#*/} - 1)) ] && [ "$bad_steps" = "S1 $n " ] ||
            fail "$2: failed steps '$bad_steps', wanted S1.I alone" ;;
    *) fail "$2: failed steps '$bad_steps', wanted S1.I alone" ;;
    esac
    ! grep -q "$(printf '\033')" "$W/out.txt" "$W/err.txt" ||
        fail "$2: an escape character reached the terminal"
}
if [ -f "$R/ballots/device_2.jsonl" ]; then
    cp -r "$R" "$W/t3"
    sed -i '1s/"id":"[^"]*"/"id":"b\\u001b[2Jx"/' "$W/t3/ballots/device_2.jsonl"
    grep -q 'u001b' "$W/t3/ballots/device_2.jsonl" || fail "t3 not tampered"
    only_s1i "$W/t3" "escape sequence in a label"
    cp -r "$R" "$W/t4"
    id1=$(head -n 1 "$R/ballots/device_1.jsonl" | grep -o '"id":"[^"]*"')
    sed -i "1s/\"id\":\"[^\"]*\"/$id1/" "$W/t4/ballots/device_2.jsonl"
    cmp -s "$R/ballots/device_2.jsonl" "$W/t4/ballots/device_2.jsonl" &&
        fail "t4 not tampered"
    only_s1i "$W/t4" "one label on two devices"
else fail "the demo record has no device 2"; fi
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
