#!/usr/bin/env bash
# The verifier's report (issue 12 item 17, docs/VERIFIER.md "Reading the
# report", "JSON report"):
#  1. one changed candidate name: the root cause (V1.F) in the first lines,
#     the follow-on failures folded, under 60 lines in all;
#  2. egk's allAvailable record with all 11 ballots tampered: every ballot
#     named, whatever --max-failures;
#  3. --json of both validates against the schema in docs/VERIFIER.md and
#     holds every finding (per step, failed + errors).
# usage: verify_report.sh SCRUTIN DOCS_DIR [SHARED]
set -u
S=${1:?usage: verify_report.sh SCRUTIN DOCS_DIR [SHARED]}
DOCS=${2:?docs dir}
SHARED=${3:-}
W=$(mktemp -d /tmp/sc_verify_report.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
A=--allow-test-parameters

# -- 1. a changed candidate name
"$S" demo --group toy-q64 --ballots 40 --seed 5 --out "$W/rec" --quiet \
    >/dev/null || fail "demo"
cp -r "$W/rec" "$W/cand"
M="$W/cand/election_manifest_canonical.bin"
first=$(grep -o '"options":\[{"label":"[^"]*"' "$M" | head -1 |
        sed 's/.*"label":"//; s/"$//')
[ -n "$first" ] || fail "no option label in the manifest"
sed -i "0,/\"label\":\"$first\"/s//\"label\":\"${first}x\"/" "$M"
cmp -s "$W/rec/election_manifest_canonical.bin" "$M" && fail "not changed"
"$S" verify $A "$W/cand" >"$W/cand.txt"; rc=$?
[ $rc = 1 ] || { cat "$W/cand.txt"; fail "changed name: exit $rc"; }
head -3 "$W/cand.txt" | grep -q '^first cause: V1\.F ' ||
    { cat "$W/cand.txt"; fail "V1.F is not the first cause"; }
head -3 "$W/cand.txt" | grep -q 'later failures in .* follow from it' ||
    fail "no folded count"
n=$(wc -l <"$W/cand.txt")
[ "$n" -lt 60 ] || { cat "$W/cand.txt"; fail "$n lines (>= 60)"; }
grep -q '^  V5\.B\|^  V6\.' "$W/cand.txt" && fail "follow-on failures listed"
tail -1 "$W/cand.txt" | grep -q '^verdict: INVALID$' || fail "no verdict"
"$S" verify $A --json "$W/cand" >"$W/cand.json"
[ $? = 1 ] || fail "json exit"
JSONS="$W/cand.json"

# -- 2. egk's record, each of its 11 ballots tampered
if [ -n "$SHARED" ] && [ -d "$SHARED/records/egk-2.0/allAvailable" ]; then
    E="$W/egk"
    cp -r "$SHARED/records/egk-2.0/allAvailable" "$E"
    # the last digit of every 1024-digit "data": 0 -> 1, else -> 0
    for f in "$E"/encrypted_ballots/*/*.json; do
        sed -i -E 's/("data": "[0-9A-F]{1023})0"/\1#1"/;
                   s/("data": "[0-9A-F]{1023})[1-9A-F]"/\10"/; s/#1"/1"/' "$f"
    done
    nb=$(ls "$E"/encrypted_ballots/*/*.json | wc -l)
    [ "$nb" = 11 ] || fail "egk record has $nb ballots"
    # (the cap per ballot for other values: tests/unit/test_report.c)
    for m in "" "--max-failures 0"; do
        "$S" verify $A $m "$E" >"$W/egk.txt"; rc=$?
        [ $rc = 1 ] || fail "egk $m: exit $rc"
        for i in $(seq 1 11); do
            grep -q "ballot id-$i[ :]" "$W/egk.txt" ||
                { cat "$W/egk.txt"; fail "egk $m: ballot id-$i not named"; }
        done
        grep -q '^11 ballots with findings$' "$W/egk.txt" ||
            fail "egk $m: no ballot count"
    done
    "$S" verify $A --json "$E" >"$W/egk.json"
    [ $? = 1 ] || fail "egk json exit"
    JSONS="$JSONS $W/egk.json"
fi

# -- 3. the JSON reports against the documented schema
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    echo "verify_report: python3 jsonschema missing; schema not checked" >&2
    exit 77
fi
sed -n '/<!-- report-schema-begin -->/,/<!-- report-schema-end -->/p' \
    "$DOCS/VERIFIER.md" | sed '1,2d;$d' | sed '$d' >"$W/schema.json"
python3 - "$W/schema.json" $JSONS <<'PY' || fail "json report"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
for path in sys.argv[2:]:
    rep = json.load(open(path))
    jsonschema.validate(rep, schema, cls=jsonschema.Draft202012Validator)
    assert rep["findings_omitted"] == 0, path
    for st in rep["steps"]:
        n = sum(1 for f in rep["findings"] if f["step"] == st["id"])
        assert n == st["failed"] + st["errors"], (path, st["id"], n)
    fc = rep["first_cause"]
    assert fc is not None and rep["findings"][fc]["follows"] is None, path
    for c in rep["causes"]:
        n = sum(1 for f in rep["findings"] if f["follows"] == c["condition"])
        assert n == c["explains"], (path, c)
    if "cand" in path:
        assert rep["findings"][fc]["condition"] == "V1.F", path
        assert rep["causes"] and rep["causes"][0]["condition"] == "V1.F"
    else:
        named = {f["ballot"] for f in rep["findings"] if f["ballot"]}
        assert named == {"id-%d" % i for i in range(1, 12)}, named
    print(path, len(rep["findings"]), "findings")
PY
echo "verify_report: ok"
