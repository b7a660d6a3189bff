#!/bin/sh
# The page against a real board: a toy election, `scrutin board init`, a
# device registered, a witness policy naming a test witness (witness.mjs),
# `scrutin board serve --web web/`, the ballots submitted by board_probe,
# then real.mjs in Chromium. Exit 77 (skipped) when scrutin has no board
# or playwright-core is not installed.
# usage: board_e2e.sh SCRUTIN BOARD_PROBE EXAMPLES_DIR NODE
set -u
S=$1
P=$2
E=$3
NODE=$4
D=$(cd "$(dirname "$0")" && pwd)
"$S" board --help >/dev/null 2>&1 || { echo "scrutin has no board command (skipped)"; exit 77; }
# without playwright-core, skip here: real.mjs would exit 77 after the
# election is made, and `|| die` below would call that a failure
(cd "$D" && "$NODE" --input-type=module -e 'await import("playwright-core")') \
    >/dev/null 2>&1 || {
    echo "playwright-core is not installed in tests/web/node_modules: run \`make deps\` (skipped)"
    exit 77
}
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-web-board.XXXXXX")
SPID=""
SPID2=""
WPID=""
cleanup() {
    [ -n "$SPID" ] && kill "$SPID" 2>/dev/null
    [ -n "$SPID2" ] && kill "$SPID2" 2>/dev/null
    [ -n "$WPID" ] && kill "$WPID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 3
die() { echo "FAIL $*"; cat ./*.err 2>/dev/null; exit 1; }
. "$D/../lib/checks.sh"

echo 'web board test passphrase' >pass
chmod 600 pass
"$S" ceremony --guardians 3 --quorum 2 --out rec --secrets sec \
    --manifest "$E/manifest.json" --group toy-q64 --passphrase-file pass \
    --kdf interactive >/dev/null 2>ceremony.err || die "ceremony"
"$S" encrypt -r rec -d 1 -D "Precinct 1 unit 1" --seed 7 \
    --challenge-rate 0.4 --codes codes.txt -q "$E/ballots.jsonl" \
    2>encrypt.err || die "encrypt"
grep -q challenged codes.txt && grep -q cast codes.txt || die "want both states"
"$S" board init --record rec --state st --passphrase-file pass \
    --kdf interactive >init.txt 2>init.err || die "board init"
VKEY=$(sed -n 's/^board key //p' init.txt)
"$NODE" "$D/witness.mjs" w1.test w1.port w1.vkey &
WPID=$!
wait_file w1.port || die "witness"
printf '{"type":"witness_policy","witnesses":[{"name":"w1.test","party":"Party A","vkey":"%s","url":"http://127.0.0.1:%s"}],"quorum":"all-parties"}' \
    "$(cat w1.vkey)" "$(cat w1.port)" >policy.json
DEVPUB=$("$P" keygen dev.sk) || die "keygen"
"$S" board register-device --state st --passphrase-file pass \
    --device-key "$DEVPUB" --name "Precinct 1 unit 1" >/dev/null \
    2>register.err || die "register-device"
"$S" board set-policy --state st --passphrase-file pass --policy policy.json \
    >/dev/null 2>policy.err || die "set-policy"
"$S" board serve --state st --listen 127.0.0.1:0 --port-file port \
    --passphrase-file pass --web "$D/../../web" --workers 1 2>serve.err &
SPID=$!
wait_file port || die "serve"
URL="http://127.0.0.1:$(cat port)"
"$P" device "$URL" dev.sk rec/ballots/device_1.jsonl "$VKEY" ack.txt \
    >probe.out 2>probe.err || die "ballots submitted"
"$NODE" "$D/real.mjs" open "$URL" codes.txt w1.test . || die "page while voting"

# The close, as an authority runs it (docs/BOARD.md §3.5): export, tally
# and decryption by the guardians, results.json, the authority's entries,
# close. A copy of the board gets a results.json with one vote added
# (signed by the authority all the same): the page must refuse it.
N=$(wc -l <rec/ballots/device_1.jsonl)
"$NODE" -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).devices[0];
process.stdout.write(JSON.stringify({ type: "device_close", device: 1, ballots: d.ballots, closing: d.closing }));' \
    rec/devices.json >close.json || die "device_close payload"
"$P" submit "$URL" dev.sk device_close $((N + 1)) close.json "${VKEY%%+*}" \
    >close.out 2>&1 || { cat close.out; die "device close"; }
"$S" board export --board "$URL" --out exported >/dev/null 2>export.err ||
    die "export"
kill "$SPID" && wait "$SPID" 2>/dev/null
SPID=""
cp -r exported work && rm -rf work/log
"$S" tally -r work >/dev/null 2>tally.err || die "tally"
"$S" decrypt all --record work --present 1,3 --secrets sec \
    --passphrase-file pass >/dev/null 2>decrypt.err || die "decrypt"
"$S" board results --record work 2>results.err || die "board results"
post() { # STATE TYPE FILE
    "$S" board post --state "$1" --passphrase-file pass --type "$2" "$3" \
        >/dev/null 2>>post.err || die "post $2 to $1"
}
post st tally work/encrypted_tally.json
post st decryption work/tally.json
post st challenged work/challenged.jsonl
cp -r st st2
post st result work/results.json
# one more vote for the first option of the first contest
"$NODE" -e 'const fs = require("fs"); const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
r.contests[0].options[0].votes += 1; fs.writeFileSync(process.argv[2], JSON.stringify(r) + "\n");' \
    work/results.json bad-results.json || die "tampered results.json"
cmp -s work/results.json bad-results.json && die "tampered results.json"
post st2 result bad-results.json
for st in st st2; do
    "$S" board close --state "$st" --passphrase-file pass >/dev/null \
        2>>close.err || die "close $st"
done
"$S" board serve --state st --listen 127.0.0.1:0 --port-file port2 \
    --passphrase-file pass --web "$D/../../web" --workers 1 2>>serve.err &
SPID=$!
"$S" board serve --state st2 --listen 127.0.0.1:0 --port-file port3 \
    --passphrase-file pass --web "$D/../../web" --workers 1 2>>serve.err &
SPID2=$!
wait_file port2 && wait_file port3 || die "serve after the close"
"$NODE" "$D/real.mjs" closed "http://127.0.0.1:$(cat port2)" codes.txt \
    w1.test . work "http://127.0.0.1:$(cat port3)"
