#!/bin/sh
# scrutin results (issue 12 item 13): the table and chart of each contest
# with the counts of tally.json, the election's name and H_E, ties flagged,
# --json and --csv with the same counts; refusals (no tally, a tally that
# is not the manifest's); `verify` prints the results of a valid record
# only; --csv defuses labels that a spreadsheet would take for a formula.
# usage: results.sh SCRUTIN EXAMPLES_DIR
set -u
S=$1
E=$2
. "$(dirname "$0")/../lib/preamble.sh"
command -v jq >/dev/null || { echo "FAIL jq is not installed"; exit 1; }
expect 0 "a demo record" "$S" demo --group toy-q64 --ballots 24 --guardians 3 \
    --quorum 2 --seed 5 --out rec -q

expect 0 "results" "$S" results rec
label=$(jq -r .label rec/election_manifest_canonical.bin)
grep -qx "election: $label" out.txt && ok "names the election" ||
    bad "no election name '$label'"
he=$(jq -r .h_e rec/hashes_ext.json)
grep -qx "H_E $he" out.txt && ok "names H_E" || bad "no H_E $he"
# every real option's line: label, its votes from tally.json, a bar
jq -r '.contests[].options[] | select(.label | startswith("[") | not) |
       "\(.label)\t\(.value)"' rec/tally.json >want.txt
n=0
while IFS="$(printf '\t')" read -r lab val; do
    grep -Eq "^  $lab +$val +[0-9.]+%" out.txt || bad "no line '$lab $val'"
    n=$((n + 1))
done <want.txt
[ "$n" -gt 4 ] && ok "$n option lines match tally.json" || bad "only $n options"
grep -q '##############################$' out.txt && ok "a chart" ||
    bad "no bar of full width"

# JSON and CSV carry the same counts
expect 0 "results --json" "$S" results --json rec
jq -r '.contests[].options[] | "\(.label)\t\(.votes)"' out.txt >json.txt
cmp -s json.txt want.txt && ok "--json counts = tally.json" ||
    bad "--json counts differ: $(diff json.txt want.txt)"
[ "$(jq -r .h_e out.txt)" = "$he" ] && ok "--json h_e" || bad "--json h_e"
expect 0 "results --csv" "$S" results --csv rec
# (labels may hold commas: the last three fields are kind, votes, tie)
tr -d '\r' <out.txt | awk -F, 'NR > 1 && $(NF - 2) == "option" {
    print $(NF - 1) }' >csv.txt
cut -f2 want.txt | cmp -s csv.txt - && ok "--csv counts = tally.json" ||
    bad "--csv counts differ: $(cut -f2 want.txt | diff csv.txt -)"
tr -d '\r' <out.txt | grep -q '^1,"[^"]*",1,"[^"]*",option,[0-9]*,[01]$' &&
    ok "--csv quotes the labels" || bad "--csv: $(sed -n 2p out.txt)"
rows=$(jq '[.contests[].options[]] | length' rec/tally.json)
[ "$(($(wc -l <out.txt) - 1))" -eq "$rows" ] && ok "--csv: a row per field" ||
    bad "--csv rows: $(wc -l <out.txt), fields $rows"

# a tie for first place in contest 1: option 2 gets option 1's count
cp -r rec tie
jq -c '.contests[0].options[1].value = .contests[0].options[0].value' \
    rec/tally.json >tie/tally.json
a=$(jq -r '.contests[0].options[0].label' rec/tally.json)
b=$(jq -r '.contests[0].options[1].label' rec/tally.json)
v=$(jq -r '.contests[0].options[0].value' rec/tally.json)
top=$(jq '[.contests[0].options[] | select(.label | startswith("[") | not)
          | .value] | max' tie/tally.json)
expect 0 "results of a tie" "$S" results tie
if [ "$top" -eq "$v" ]; then
    grep -q "^  TIE for first place: .*$a, $b.* ($v votes each)$" out.txt &&
        ok "the tie is flagged" || bad "no TIE line: $(grep TIE out.txt)"
    expect 0 "results --json of a tie" "$S" results --json tie
    [ "$(jq -c '.contests[0] | [.tie_place, .tied_options[0:2]]' out.txt)" = \
        '[1,[1,2]]' ] && ok "--json: tie_place, tied_options" ||
        bad "--json tie: $(jq -c '.contests[0]' out.txt)"
else
    ok "(option 1 is not first: tie at the top not made)"
fi
# no tie flagged in the first contest of the demo record unless there is one
expect 1 "verify the record with a changed tally" "$S" verify \
    --allow-test-parameters tie
grep -q "^results" out.txt && bad "verify printed the results of an invalid record" ||
    ok "no results from an invalid record"

# verify prints the results it has just checked
expect 0 "verify" "$S" verify --allow-test-parameters rec
grep -q "^results (as checked above):" out.txt && grep -qx "H_E $he" out.txt &&
    ok "verify prints the results" || bad "verify: no results"
expect 0 "verify --json" "$S" verify --json --allow-test-parameters rec
jq -e . out.txt >/dev/null && ok "verify --json stays one JSON document" ||
    bad "verify --json is not JSON"

# refusals: one line, exit 3
cp -r rec bad
rm bad/tally.json
expect 3 "results without tally.json" "$S" results bad
grep -q "no decrypted tally" err.txt && ok "says the tally is missing" ||
    bad "message: $(cat err.txt)"
jq -c '.contests[0].options[0].label = "Someone else"' rec/tally.json \
    >bad/tally.json
expect 3 "results of a tally not of the manifest" "$S" results bad
[ "$(wc -l <err.txt)" -eq 1 ] && grep -q "tally.json" err.txt &&
    ok "one line naming tally.json" || bad "message: $(cat err.txt)"
expect 2 "results without a directory" "$S" results
expect 2 "results --bogus" "$S" results --bogus rec

# CSV injection (OWASP): a label starting with = + - @ (or TAB, CR) is a
# formula to Excel and LibreOffice; --csv writes it with a ' in front,
# inside the quotes, and no cell starts with one of them
printf 'results test passphrase\n' >pass
chmod 600 pass
jq '.contests[0].label = "=HYPERLINK(\"http://x.test\",\"see\")" |
    .contests[0].options[0].label = "+1+1" |
    .contests[0].options[1].label = "-2" |
    .contests[0].options[2].label = "@SUM(A1:A2)" |
    .contests[1].options[0].label = "a \"quoted\", name"' \
    "$E/manifest.json" >formula.json
"$S" ceremony --guardians 1 --quorum 1 --out frec --secrets fsec \
    --manifest formula.json --group toy-q64 --passphrase-file pass \
    --kdf interactive >/dev/null &&
    head -n 2 "$E/ballots.jsonl" >fballots.jsonl &&
    "$S" encrypt -q -r frec -d 1 fballots.jsonl >/dev/null &&
    "$S" tally -r frec >/dev/null &&
    "$S" decrypt all --record frec --present 1 --secrets fsec \
        --passphrase-file pass >/dev/null ||
    bad "a record with formula-like labels"
expect 0 "results --csv of formula-like labels" "$S" results --csv frec
tr -d '\r' <out.txt | grep -q '^1,"'"'"'=HYPERLINK(""http://x.test"",""see"")",1,"'"'"'+1+1",option,' &&
    ok "--csv: '= and '+ in front of formulas, quotes doubled" ||
    bad "--csv row 1: $(sed -n 2p out.txt)"
tr -d '\r' <out.txt | grep -q ',2,"'"'"'-2",option,' &&
    tr -d '\r' <out.txt | grep -q ',3,"'"'"'@SUM(A1:A2)",option,' &&
    ok "--csv: '- and '@ too" || bad "--csv: $(sed -n 3,4p out.txt)"
tr -d '\r' <out.txt | grep -q '^2,"[^"]*",1,"a ""quoted"", name",option,' &&
    ok "--csv: a label with quotes and a comma, not a formula, as is" ||
    bad "--csv: $(grep '^2,' out.txt | head -n 1)"
# no cell (quoted or not) starts with a formula character
tr -d '\r' <out.txt | grep -Eq '(^|,)"?[-=+@]' &&
    bad "--csv: a cell starts with a formula character" ||
    ok "--csv: no cell starts with = + - @"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
