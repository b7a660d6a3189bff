#!/bin/sh
# The board's clients end to end, on loopback: a toy election on a board
# with two witnesses (tests/clients/fake_witness.c) and two devices; both
# devices run `scrutin encrypt --board` at the same time; a rerun skips
# what is on the board, an encrypt killed half-way is resumed; lookups
# (cast, challenged with its opening, prefix, unknown, too short, a
# rolled-back state); devices close; export, tally and decryption by the
# guardians, posted by the authority; two exports byte-identical; verify
# passes with the log steps; a changed export fails.
# usage: clients_e2e.sh SCRUTIN FAKE_WITNESS EXAMPLES_DIR
set -u
S=$1
W=$2
E=$3
NB=${NB:-6}
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-clients.XXXXXX")
L=$(cd "$(dirname "$0")/../lib" && pwd)
SPID=""
W1=""
W2=""
cleanup() {
    for p in $SPID $W1 $W2; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 3
. "$L/checks.sh"
start() { # [STATE [serve options]]
    st=${1:-st}
    [ $# -gt 0 ] && shift
    rm -f port
    "$S" board serve --state "$st" --listen 127.0.0.1:0 --port-file port \
        --passphrase-file pass --workers 2 "$@" 2>>serve.log &
    SPID=$!
    wait_file port || { bad "serve"; cat serve.log; exit 1; }
    URL="http://127.0.0.1:$(cat port)"
}
stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=""; }

echo 'clients test passphrase' >pass
chmod 600 pass
"$S" ceremony --guardians 3 --quorum 2 --out rec --secrets sec \
    --manifest "$E/manifest.json" --group toy-q64 --passphrase-file pass \
    --kdf interactive >/dev/null || { echo "ceremony failed"; exit 3; }
mk_ballots() { # PREFIX N FILE
    : >"$3"
    i=0
    while [ $i -lt "$2" ]; do
        if [ $((i % 3)) -eq 2 ]; then ch=',"challenge":true'; else ch=''; fi
        tr -d '\n' <"$E/ballot.json" |
            sed "s/\"id\": *\"[^\"]*\"/\"id\":\"$1-$i\"$ch/" >>"$3"
        echo >>"$3"
        i=$((i + 1))
    done
}
mk_ballots d1 "$NB" p1.jsonl
mk_ballots d2 "$NB" p2.jsonl

# --- the board, its witnesses, its devices ---
"$S" board init --record rec --state st --passphrase-file pass \
    --kdf interactive >init.txt 2>err.txt || { cat err.txt; exit 3; }
VKEY=$(sed -n 's/^board key //p' init.txt)
[ -n "$VKEY" ] || { echo "no board key in: $(cat init.txt)"; exit 3; }
"$W" serve w1 101 "$VKEY" w1.port & W1=$!
"$W" serve w2 102 "$VKEY" w2.port & W2=$!
wait_file w1.port && wait_file w2.port || { echo "witnesses"; exit 3; }
cat >policy.json <<EOF
{"type":"witness_policy","witnesses":[
 {"name":"w1","party":"A","vkey":"$("$W" vkey w1 101)","url":"http://127.0.0.1:$(cat w1.port)"},
 {"name":"w2","party":"B","vkey":"$("$W" vkey w2 102)","url":"http://127.0.0.1:$(cat w2.port)"}],
 "quorum":"all-parties"}
EOF
expect 0 "set-policy" "$S" board set-policy --state st --passphrase-file pass \
    --policy policy.json
expect 0 "device init 1" "$S" device init --out d1.key \
    --passphrase-file pass --kdf interactive
P1=$(cat out.txt)
expect 0 "device init 2" "$S" device init --out d2.key \
    --passphrase-file pass --kdf interactive
P2=$(cat out.txt)
expect 3 "device init refuses to overwrite" "$S" device init --out d1.key \
    --passphrase-file pass --kdf interactive
expect 0 "register device 1 (simple chaining)" "$S" board register-device \
    --state st --passphrase-file pass --device-key "$P1" --name "Precinct 1"
expect 0 "register device 2 (no chaining)" "$S" board register-device \
    --state st --passphrase-file pass --device-key "$P2" --name "Precinct 2" \
    --chaining none
start

# --- two devices at once ---
"$S" encrypt --board "$URL" --device-key d1.key --passphrase-file pass \
    --seed 1 p1.jsonl >e1.txt 2>&1 &
E1=$!
"$S" encrypt --board "$URL" --device-key d2.key --passphrase-file pass \
    p2.jsonl >e2.txt 2>&1 &
E2=$!
wait $E1 && ok "device 1 submitted" || { bad "device 1"; cat e1.txt; }
wait $E2 && ok "device 2 submitted" || { bad "device 2"; cat e2.txt; }
[ "$(wc -l <d1.key.receipts)" -eq "$NB" ] && [ "$(wc -l <d2.key.receipts)" \
    -eq "$NB" ] && ok "$NB receipts each" || bad "receipts: $(wc -l d*.receipts)"
expect 0 "rerun: nothing new" "$S" encrypt --board "$URL" --device-key d1.key \
    --passphrase-file pass p1.jsonl
grep -q "0 ballots submitted" out.txt && grep -q "$NB already" out.txt &&
    ok "rerun skipped the $NB ballots on the board" || bad "rerun: $(cat out.txt)"
# A tampered per-signer index (§4.2) is refused before anything is sent.
for mode in proof drop reg; do
    rm -f proxy.port
    python3 "$(dirname "$0")/tamper_proxy.py" "$URL" proxy.port $mode &
    PX=$!
    wait_file proxy.port || bad "tamper proxy"
    before=$(wc -l <d1.key.receipts)
    expect 3 "tampered signer index ($mode) refused" "$S" encrypt --board \
        "http://127.0.0.1:$(cat proxy.port)" --device-key d1.key \
        --passphrase-file pass p1.jsonl
    case $mode in
    proof) want="entry 0: the inclusion proof" ;;
    drop) want="sequence number 2, 1 expected" ;;
    reg) want="registration: the inclusion proof" ;;
    esac
    grep -q "$want" err.txt && [ "$(wc -l <d1.key.receipts)" -eq "$before" ] &&
        ok "($mode) says: $want; nothing submitted" ||
        bad "($mode): $(cat err.txt)"
    kill $PX 2>/dev/null
    wait $PX 2>/dev/null
done
expect 3 "wrong passphrase" sh -c "echo nope >bad.pass; chmod 600 bad.pass;
    \"$S\" encrypt --board \"$URL\" --device-key d1.key \
    --passphrase-file bad.pass p1.jsonl"

# --- a crash half-way: kill -9 during a run, then run again ---
mk_ballots d1b 8 p3.jsonl
"$S" encrypt --board "$URL" --device-key d1.key --passphrase-file pass \
    p3.jsonl >e3.txt 2>&1 &
E3=$!
n=0
while [ "$(wc -l <d1.key.receipts)" -lt $((NB + 3)) ] && [ $n -lt 400 ]; do
    sleep 0.05
    n=$((n + 1))
done
kill -9 $E3 2>/dev/null
wait $E3 2>/dev/null
expect 0 "resume after kill -9" "$S" encrypt --board "$URL" \
    --device-key d1.key --passphrase-file pass p3.jsonl
# board down: refused connection, nothing lost
stop
expect 3 "board down" "$S" encrypt --board "$URL" --device-key d1.key \
    --passphrase-file pass p3.jsonl
start

# --- lookups ---
C1=$(grep '"state":"cast"' d1.key.receipts | head -n 1 |
    sed 's/.*"code":"\([0-9A-F]*\)".*/\1/')
CH=$(grep '"state":"challenged"' d2.key.receipts | head -n 1 |
    sed 's/.*"code":"\([0-9A-F]*\)".*/\1/')
expect 0 "lookup a cast ballot" "$S" lookup --board "$URL" --state st.cp "$C1"
grep -q "CAST" out.txt && ok "lookup says cast" || bad "lookup: $(cat out.txt)"
PFX=$(echo "$C1" | cut -c1-10 | tr 'A-F' 'a-f')
expect 0 "lookup by prefix" "$S" lookup --board "$URL" --state st.cp "$PFX"
expect 2 "prefix too short" "$S" lookup --board "$URL" --state st.cp 1234567
expect 1 "unknown code" "$S" lookup --board "$URL" --state st.cp \
    0000000000000000000000000000000000000000000000000000000000000000

# --- closing, tally, decryption ---
expect 0 "device 1 closes" "$S" device close --board "$URL" --device-key d1.key \
    --passphrase-file pass
expect 0 "device 2 closes" "$S" device close --board "$URL" --device-key d2.key \
    --passphrase-file pass
expect 0 "export (no tally yet)" "$S" board export --board "$URL" --out x0
cp -r x0 work && rm -rf work/log
expect 0 "tally" "$S" tally -r work
expect 0 "decrypt" "$S" decrypt all --record work --present 1,3 --secrets sec \
    --passphrase-file pass
stop
cp -r st st.old
expect 0 "post tally" "$S" board post --state st --passphrase-file pass \
    --type tally work/encrypted_tally.json
expect 0 "post decryption" "$S" board post --state st --passphrase-file pass \
    --type decryption work/tally.json
expect 0 "post openings" "$S" board post --state st --passphrase-file pass \
    --type challenged work/challenged.jsonl
start
expect 0 "lookup a challenged ballot" "$S" lookup --board "$URL" \
    --state st.cp "$CH"
grep -q "CHALLENGED" out.txt && grep -q "opened" out.txt &&
    ok "lookup shows the opening" || bad "lookup: $(cat out.txt)"
# (both need the board to have its witnesses cosign the checkpoints the
# authority's offline steps made, when it starts serving)
expect 0 "export 1" "$S" board export --board "$URL" --out x1
expect 0 "export 2" "$S" board export --board "$URL" --out x2
diff -r x1 x2 >/dev/null && ok "two exports are byte-identical" ||
    bad "exports differ"
expect 0 "verify the export" "$S" verify --allow-test-parameters x1
for s in L1 L2 L3 L4; do
    grep -Eq "^$s .* ok" out.txt && ok "verify: $s ok" || bad "verify: no $s line"
done
cmp -s x1/ballots/device_1.jsonl work/ballots/device_1.jsonl &&
    ok "export ballots = tallied ballots" || bad "ballot files differ"
echo extra >x2/extra.txt
expect 1 "verify an export with an extra file" "$S" verify \
    --allow-test-parameters x2
grep -q "L4.B" out.txt && ok "named L4.B" || bad "not L4.B: $(cat out.txt)"
# a board restored from an old copy: the lookup state has seen more
stop
start st.old --force
expect 1 "lookup against a rolled-back board" "$S" lookup --board "$URL" \
    --state st.cp "$C1"
grep -q "ROLLBACK" err.txt && ok "rollback reported" ||
    bad "rollback: $(cat out.txt err.txt)"
stop
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
