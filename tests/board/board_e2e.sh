#!/bin/sh
# The board end to end, on loopback: init from a toy election, register a
# device, serve; the device's ballots are accepted and every receipt
# verifies; replays get their receipts; each kind of bad entry is refused
# with its status and one line; kill -9 while a device submits (KILLS
# rounds): after every restart each acknowledged ballot is in the log
# exactly once and the root verifies; a restored old board.db refuses to
# start; a full disk turns the board read-only; the authority's close
# makes it read-only for good.
# usage: board_e2e.sh SCRUTIN BOARD_PROBE EXAMPLES_DIR [KILLS] [BALLOTS]
set -u
S=$1
P=$2
E=$3
KILLS=${4:-20}
NB=${5:-40}
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-board.XXXXXX")
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT
cd "$T" || exit 3
fails=0
board_setup
[ "$(wc -l <$B)" -eq "$NB" ] && ok "encrypted $NB ballots" || bad "encrypt"
# init
"$S" board init --record rec --state st --passphrase-file pass \
    --kdf interactive >/dev/null 2>err.txt && bad "init twice" ||
    ok "init refuses to overwrite: $(cat err.txt)"
grep -q "c2sp.org/tlog-proof@v1" reg.txt && ok "registration receipt" ||
    bad "registration receipt"

start && ok "serve" || { bad "serve"; cat serve.log; exit 1; }
# a device registered while serving is refused (the store is locked)
"$S" board register-device --state st --passphrase-file pass \
    --device-key "$DEVPUB" --name x >/dev/null 2>err.txt &&
    bad "authority step while serving" ||
    ok "authority step refused while serving: $(cat err.txt)"

# the first half of the ballots, receipts verified
head -n $((NB / 2)) $B >half.jsonl
"$P" device "$URL" dev.sk half.jsonl "$VKEY" ack.txt && ok "ballots accepted,
     receipts verify" || bad "device submission"
# replays: the same again, original receipts
"$P" device "$URL" dev.sk half.jsonl "$VKEY" ack.txt && ok "replays get \
their receipts" || bad "replays"
"$P" check "$URL" "$VKEY" ack.txt && ok "log check" || bad "log check"

# bad entries, one line each
line=$(sed -n "$((NB / 2 + 1))p" $B)
printf '%s' "$line" >next.json
sed -n "$((NB / 2 + 2))p" $B | tr -d '\n' >after.json
refused() { # WANT NAME TYPE SEQ FILE [SK [badsig]]
    "$P" submit "$URL" "${6:-dev.sk}" "$3" "$4" "$5" "$ORIGIN" ${7:-} >out.txt
    st=$(head -n1 out.txt)
    lines=$(tail -n +2 out.txt | wc -l)
    if [ "$st" = "$1" ] && [ "$lines" -eq 1 ]; then
        ok "$2: $st $(tail -n +2 out.txt)"
    else bad "$2: got $st, wanted $1"; cat out.txt; fi
}
refused 409 "same seq, another ballot" ballot 1 next.json
refused 409 "seq gap" ballot $((NB / 2 + 3)) next.json
refused 409 "wrong chain position" ballot $((NB / 2 + 1)) after.json
# What is refused whatever the signature is refused before it (§4.1): a
# bad signature gets 409 there, 401 at the next seq and on a replay.
sed -n 1p $B | tr -d '\n' >first.json
refused 401 "bad signature" ballot $((NB / 2 + 1)) next.json dev.sk badsig
refused 409 "seq gap, bad signature" ballot $((NB / 2 + 3)) next.json dev.sk badsig
refused 409 "seq taken, bad signature" ballot 1 next.json dev.sk badsig
refused 401 "replay, bad signature" ballot 1 first.json dev.sk badsig
grep -q "bad signature" out.txt && ok "the replay's answer says bad signature" ||
    bad "replay with a bad signature: $(cat out.txt)"
printf 'not json' >junk.json
refused 400 "malformed" ballot $((NB / 2 + 1)) junk.json
sed 's/"v":\["\([0-9A-F]*\)[0-9A-F]"/"v":["\10"/' next.json >badproof.json
cmp -s next.json badproof.json && sed 's/"v":\["\([0-9A-F]*\)[0-9A-F]"/"v":["\11"/' next.json >badproof.json
refused 422 "a proof fails" ballot $((NB / 2 + 1)) badproof.json
"$P" keygen other.sk >/dev/null
refused 401 "unknown signer" ballot 1 next.json other.sk
refused 403 "device may not post a tally" tally 1 next.json
printf '{"type":"device","index":2,"device":"x","chaining":"none","public_key":"%s"}' "$DEVPUB" >dev2.json
refused 403 "device may not register devices" device $((NB / 2 + 1)) dev2.json
curl -s -o /dev/null -w '%{http_code}' -H 'Content-Length: 999999999' \
    -X POST "$URL/v1/submit?type=ballot" >code.txt 2>/dev/null
[ "$(cat code.txt)" = "413" ] && ok "oversized: 413" || bad "oversized: $(cat code.txt)"
curl -s -o /dev/null -w '%{http_code}' -H 'Transfer-Encoding: chunked' \
    --data-binary @next.json "$URL/v1/submit?type=ballot" >code.txt
[ "$(cat code.txt)" = "411" ] && ok "chunked: 411" || bad "chunked: $(cat code.txt)"
for path in /checkpoint /v1/status /v1/codes/00 /tile/0/000.p/5 \
    /tile/entries/000.p/5 "/v1/consistency?from=1&to=5" /v1/entry/3; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$URL$path")
    [ "$code" = 200 ] && ok "GET $path" || bad "GET $path: $code"
done
for path in /tile/0/001 /tile/0/x/1 /v1/entry/99999 /v1/payload/zz \
    "/v1/consistency?from=0&to=5" /v1/codes/0; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$URL$path")
    case $code in 4??) ok "GET $path: $code" ;; *) bad "GET $path: $code" ;; esac
done

# kill -9 while the device submits the rest (restarts on the same port)
LISTEN=127.0.0.1:$(cat port)
cp st/board.db old.db
[ -f st/board.db-wal ] && cp st/board.db-wal old.db-wal
"$P" device "$URL" dev.sk $B "$VKEY" ack.txt >probe.log 2>&1 &
PPID_=$!
k=0
while [ $k -lt "$KILLS" ]; do
    sleep "0.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | cut -c1 | tr 5-9 0-4)"
    stop9
    start >/dev/null || { bad "restart $k"; cat serve.log; break; }
    k=$((k + 1))
done
wait $PPID_ && ok "device finished through $KILLS kill -9" ||
    { bad "device under kill -9"; cat probe.log; }
PPID_=""
"$P" check "$URL" "$VKEY" ack.txt && ok "after kill -9: log check" ||
    bad "log check after kill -9"
stop

# restored old copy refuses to start
mkdir -p restored && cp st/* restored/ 2>/dev/null
cp old.db restored/board.db
rm -f restored/board.db-wal restored/board.db-shm
[ -f old.db-wal ] && cp old.db-wal restored/board.db-wal
"$S" board serve --state restored --listen 127.0.0.1:0 --port-file rport \
    --passphrase-file pass 2>err.txt >/dev/null &
RP=$!
# until it exits or serves (the passphrase KDF alone takes seconds on a
# loaded machine)
n=0
while kill -0 $RP 2>/dev/null && [ ! -s rport ] && [ $n -lt 600 ]; do
    sleep 0.1
    n=$((n + 1))
done
if kill -0 $RP 2>/dev/null; then kill -9 $RP; bad "restored copy served"
else grep -q "older than the last checkpoint" err.txt &&
    ok "restored copy refused: $(cat err.txt)" || { bad "restored copy"; cat err.txt; }
fi

# full disk: read-only, nothing acknowledged
cp -r st full
"$P" keygen dev2.sk >dev2.pub
"$S" board register-device --state full --passphrase-file pass \
    --device-key "$(cat dev2.pub)" --name "Precinct 2" >/dev/null 2>&1
sed 's/"id":"b-/"id":"c-/' plain.jsonl >plain2.jsonl
"$S" encrypt -r rec -d 2 -D "Precinct 2" --seed 8 -q plain2.jsonl
cp ack.txt ack_full.txt
SAVE=st
LISTEN=127.0.0.1:0
start --test-disk-pages 3 --state full || bad "serve full"
# (the second --state wins)
"$P" device "$URL" dev2.sk rec/ballots/device_2.jsonl "$VKEY" ack_full.txt \
    >full.log 2>&1 &
PPID_=$!
n=0
until curl -s "$URL/v1/status" | grep -q '"read_only":true' || [ $n -gt 40 ]; do
    sleep 0.1; n=$((n + 1))
done
kill $PPID_ 2>/dev/null; wait $PPID_ 2>/dev/null; PPID_=""
curl -s "$URL/v1/status" | grep -q '"read_only":true' &&
    ok "full disk: read-only" ||
    { bad "full disk: not read-only"; cat full.log; tail -3 serve.log; }
"$P" submit "$URL" dev2.sk ballot 1 next.json "$ORIGIN" | head -n1 | grep -q 503 &&
    ok "full disk: 503" || bad "full disk: not 503"
"$P" check "$URL" "$VKEY" ack_full.txt && ok "full disk: acknowledged ballots all there" ||
    bad "full disk: check"
stop

# close: read-only for good
"$S" board close --state st --passphrase-file pass >/dev/null 2>err.txt &&
    ok "close" || { bad "close"; cat err.txt; }
start || bad "serve after close"
curl -s "$URL/v1/status" | grep -q '"phase":"closed"' && ok "status closed" ||
    bad "status not closed"
tail -n1 $B | tr -d '\n' >last.json
next=$(curl -s "$URL/v1/status" | sed -n 's/.*"ballots":\([0-9]*\).*/\1/p')
refused 403 "after close" ballot "$((next + 1))" last.json
stop

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
