#!/bin/sh
# The page against a real board: a toy election, `scrutin board init`, a
# device registered, a witness policy naming a test witness (witness.mjs),
# `scrutin board serve --web web/`, the ballots submitted by board_probe,
# then real.mjs in Chromium. Exit 77 (skipped) when scrutin has no board.
# usage: board_e2e.sh SCRUTIN BOARD_PROBE EXAMPLES_DIR NODE
set -u
S=$1
P=$2
E=$3
NODE=$4
D=$(cd "$(dirname "$0")" && pwd)
"$S" board --help >/dev/null 2>&1 || { echo "scrutin has no board command (skipped)"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-web-board.XXXXXX")
SPID=""
WPID=""
cleanup() {
    [ -n "$SPID" ] && kill "$SPID" 2>/dev/null
    [ -n "$WPID" ] && kill "$WPID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 3
die() { echo "FAIL $*"; cat ./*.err 2>/dev/null; exit 1; }
# wait_file F: until F is non-empty (10 s)
wait_file() {
    n=0
    while [ ! -s "$1" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
    [ -s "$1" ]
}

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
"$NODE" "$D/real.mjs" "$URL" codes.txt w1.test
