#!/usr/bin/env bash
# The verifier's report does not depend on the number of threads (issue
# 13 item 3; sc_report_order): a record tampered in many ballots of both
# devices (values, labels, sequence, chaining, a line that is not JSON)
# gives the same text report, the same --json and the same exit status
# with --threads 1, 2 and 3, run after run. Each tampering is also checked
# to be found, at its condition, so that the comparison has findings to
# order.
# usage: verify_threads.sh SCRUTIN
set -u
S=${1:?usage: verify_threads.sh SCRUTIN}
W=$(mktemp -d /tmp/sc_verify_threads.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A="--allow-test-parameters --no-state --max-failures 3"

"$S" demo --group toy-q64 --ballots 60 --seed 5 --out "$W/rec" --quiet \
    >/dev/null || fail "demo"
B="$W/rec/ballots"
[ "$(wc -l <"$B/device_1.jsonl")" -ge 20 ] || fail "too few ballots"
[ "$(wc -l <"$B/device_2.jsonl")" -ge 20 ] || fail "too few ballots"
# line L of file F: first hex digit after "KEY":" changed (0 <-> 1)
flip() {
    sed -i -E "$2s/(\"$3\":\"[^0-9A-F]*)0/\\1#/; $2s/(\"$3\":\"[^0-9A-F]*)[1-9A-F]/\\10/;
               $2s/#/1/" "$1"
}
flip "$B/device_1.jsonl" 3 alpha              # V6 (and V8 codes follow)
flip "$B/device_1.jsonl" 9 beta
flip "$B/device_2.jsonl" 4 alpha
flip "$B/device_2.jsonl" 17 c0                # S5 (contest data)
flip "$B/device_1.jsonl" 12 chaining_field    # V8.E
# a label of an earlier ballot (S1.I), a wrong sequence (S1.A)
lab=$(sed -n 2p "$B/device_1.jsonl" | grep -o '"id":"[^"]*"')
sed -i "6s/\"id\":\"[^\"]*\"/$lab/" "$B/device_2.jsonl"
sed -i '14s/"sequence":14,/"sequence":41,/' "$B/device_2.jsonl"
# a line that is not JSON (S1 error)
sed -i '20s/^{/[/' "$B/device_1.jsonl"

"$S" verify $A --threads 1 "$W/rec" >"$W/t1.txt"
rc1=$?
[ $rc1 = 1 ] || { cat "$W/t1.txt"; fail "threads 1: exit $rc1"; }
for c in V6.A V8.E S1.I S1.A 'S1 could not check' S5.A; do
    grep -Eq "^(  |first cause: )$c[ :]" "$W/t1.txt" ||
        { cat "$W/t1.txt"; fail "no $c finding"; }
done
"$S" verify $A --threads 1 --json "$W/rec" >"$W/t1.json"
[ $? = 1 ] || fail "threads 1 --json: exit"
for t in 2 3 2 3 2; do
    "$S" verify $A --threads $t "$W/rec" >"$W/t.txt"
    rc=$?
    [ $rc = $rc1 ] || fail "threads $t: exit $rc, threads 1: $rc1"
    cmp -s "$W/t1.txt" "$W/t.txt" ||
        { diff "$W/t1.txt" "$W/t.txt" | head -20; fail "threads $t: text differs"; }
    "$S" verify $A --threads $t --json "$W/rec" >"$W/t.json"
    cmp -s "$W/t1.json" "$W/t.json" || fail "threads $t: --json differs"
done
echo "verify_threads: same report with 1, 2 and 3 threads"
