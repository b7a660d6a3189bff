#!/bin/sh
# Issue 9 with a misbehaving board (scrutin_testhooks: the CLI built with
# the board's test hooks, never the release scrutin) and three witnesses
# as separate processes: wA and wB plain, wC verifying (--verify-board).
# Policy k-of-n:2.
#  1. honest run: all three cosign (wC after checking every entry);
#  2. a board restored from an old copy of its database refuses to start;
#     forced (--force), every witness, all of which cosigned the larger
#     tree, refuses it: smaller (409, ROLLBACK), the same size with
#     another root after the board's retry (422, EQUIVOCATION), larger
#     but not an extension (422, INCONSISTENT); each keeps the evidence;
#  3. wC restarted resumes its verification where it stopped;
#  4. fork: the board shows wB and wC another tree of the same size
#     (--test-fork-witness wB,wC): they refuse and keep both board-signed
#     checkpoints as evidence, which `witness evidence --check-file`
#     verifies with the board key alone; wA cosigns; a verifier under the
#     2-of-3 policy (scrutin lookup --board, scrutin verify on an export)
#     rejects the board's checkpoint;
#  5. a board that commits a ballot whose proof fails
#     (--test-accept-invalid-ballots): the plain witnesses cosign it, the
#     verifying one refuses and keeps it as evidence (INVALID ENTRY).
# usage: board_fork.sh SCRUTIN_TESTHOOKS BOARD_PROBE EXAMPLES
set -u
S=$1
P=$2
E=$3
NB=14
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-fork.XXXXXX")
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT
cd "$T" || exit 3
fails=0
board_setup
# a fixed board port: the verifying witness is told the board's URL
BPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + $$ % 30000)))
LISTEN=127.0.0.1:$BPORT
BURL=http://$LISTEN
winit() { # NAME
    "$S" witness init --state "$1" --name "$1" --passphrase-file pass \
        --kdf interactive >"$1.vkey" 2>>w.log &&
        "$S" witness add-log --state "$1" --origin "$ORIGIN" --vkey "$VKEY" \
            >/dev/null 2>>w.log
}
wserve() { # NAME [serve options] -> pid in WP, port in NAME.port
    n=$1
    shift
    [ -s "$n.port" ] && l=127.0.0.1:$(cat "$n.port") || l=127.0.0.1:0
    rm -f "$n.port"
    "$S" witness serve --state "$n" --listen "$l" --port-file "$n.port" \
        --passphrase-file pass "$@" 2>>"$n.log" &
    WP=$!
    k=0
    while [ ! -s "$n.port" ] && [ $k -lt 200 ]; do sleep 0.05; k=$((k + 1)); done
    [ -s "$n.port" ]
}
for w in wA wB wC; do winit $w || { echo "witness $w"; cat w.log; exit 3; }; done
wserve wA && WA=$WP || { echo "witness A"; cat wA.log; exit 3; }
wserve wB && WB=$WP || { echo "witness B"; cat wB.log; exit 3; }
wserve wC --verify-board "$BURL" && WC=$WP || { echo "witness C"; cat wC.log; exit 3; }
VA=$(grep + wA.vkey | tail -n1)
VB=$(grep + wB.vkey | tail -n1)
VC=$(grep + wC.vkey | tail -n1)
printf '{"type":"witness_policy","witnesses":[{"name":"wA","party":"A","vkey":"%s","url":"http://127.0.0.1:%s"},{"name":"wB","party":"B","vkey":"%s","url":"http://127.0.0.1:%s"},{"name":"wC","party":"C","vkey":"%s","url":"http://127.0.0.1:%s"}],"quorum":"k-of-n:2"}' \
    "$VA" "$(cat wA.port)" "$VB" "$(cat wB.port)" "$VC" "$(cat wC.port)" \
    >policy.json
"$S" board set-policy --state st --passphrase-file pass --policy policy.json \
    >/dev/null 2>err.txt && ok "set-policy" || { bad "set-policy"; cat err.txt; }

# cosigners of the board's newest checkpoint, once it has WANT of them
# (the board may call its witnesses after it answers): "wA wB wC"
cosigners() { # WANT
    k=0
    while :; do
        c=$(curl -s "$URL/checkpoint" | sed -n 's/^— \(w[ABC]\) .*/\1/p' |
            sort | tr '\n' ' ' | sed 's/ $//')
        [ "$(echo "$c" | wc -w)" -ge "$1" ] || [ $k -ge 40 ] && break
        sleep 0.1
        k=$((k + 1))
    done
    echo "$c"
}
evidence() { # WITNESS -> verdict lines of --check
    "$S" witness evidence --state "$1" --check 2>&1
}

# board_probe device FILE VKEY ACK FIRST submits lines FIRST.. of FILE
# (seq = line number): FILE is a prefix of the device's ballots.

# ---- 1. honest run ----
start && ok "serve (honest)" || { bad "serve"; cat serve.log; exit 1; }
head -n 3 $B >first.jsonl
"$P" device "$URL" dev.sk first.jsonl "$VKEY" ack.txt >/dev/null &&
    ok "honest ballots 1-3" || bad "honest ballots"
c=$(cosigners 3)
[ "$c" = "wA wB wC" ] && ok "honest run: all three cosign, wC after verifying" ||
    { bad "honest run: cosigned by '$c'"; tail -n5 serve.log wC.log; }
grep -q 'verified entries 0\.\.' wC.log && ok "wC verified the log from entry 0" ||
    bad "wC did not log its verification: $(tail -n2 wC.log)"
stop
rm -rf st.old
cp -r st st.old # the copy to restore later
head -n 5 $B >more.jsonl
start || { bad "serve (more)"; exit 1; }
"$P" device "$URL" dev.sk more.jsonl "$VKEY" ack.txt 4 >/dev/null ||
    bad "ballots 4-5"
SIZE1=$(curl -s "$URL/checkpoint" | sed -n 2p)
c=$(cosigners 3)
[ "$c" = "wA wB wC" ] && ok "size $SIZE1 cosigned by all three" ||
    bad "size $SIZE1 cosigned by '$c'"
stop
rm -rf st.new
cp -r st st.new

# ---- 2. restored old copy ----
rm -rf st
cp -r st.old st
cp st.new/checkpoint.latest st/ # what the operator's disk still says
if start; then bad "restored copy served: $(tail -n2 serve.log; cat st/checkpoint.latest)"; stop; else
    grep -q "older than the last checkpoint" serve.log &&
        ok "restored copy refused" || bad "restored copy: $(tail -n1 serve.log)"
fi
start --force || { bad "forced start"; tail -n3 serve.log; exit 1; }
for k in 4 5 6; do sed -n "${k}p" $B | tr -d '\n' >r$k.jsonl; done
for k in 4 5 6; do
    "$P" submit "$URL" dev.sk ballot $k r$k.jsonl "$ORIGIN" >out.txt
    head -n1 out.txt | grep -q 200 ||
        bad "forced board refused ballot $k: $(head -c 200 out.txt)"
    sz=$(curl -s "$URL/checkpoint" | sed -n 2p)
    sleep 0.3
    c=$(cosigners 0)
    [ -z "$c" ] && ok "forced board at size $sz (cosigned $SIZE1): no witness cosigns" ||
        bad "forced board at size $sz: cosigned by '$c'"
done
stop
for w in wA wB wC; do
    evidence $w >ev.$w.txt
    r=$(grep -c 'ROLLBACK' ev.$w.txt)
    q=$(grep -c 'EQUIVOCATION proved' ev.$w.txt)
    i=$(grep -c 'INCONSISTENT' ev.$w.txt)
    [ "$r" -ge 1 ] && [ "$q" -ge 1 ] && [ "$i" -ge 1 ] &&
        ok "$w refused the restored board: rollback, equivocation, fork kept as evidence" ||
        { bad "$w evidence: rollback $r, equivocation $q, inconsistent $i"; cat ev.$w.txt; }
done

# ---- 3. the verifying witness resumes after a restart ----
kill $WC
wait $WC 2>/dev/null
: >wC.log
wserve wC --verify-board "$BURL" && WC=$WP || { bad "restart wC"; exit 1; }
rm -rf st
cp -r st.new st
start || { bad "serve (restored newest)"; tail -n3 serve.log; exit 1; }
head -n 6 $B >b6.jsonl
"$P" device "$URL" dev.sk b6.jsonl "$VKEY" ack.txt 6 >/dev/null ||
    bad "ballot 6"
c=$(cosigners 3)
[ "$c" = "wA wB wC" ] && ok "back to the honest board: all three cosign" ||
    bad "honest board: cosigned by '$c'"
grep -q "verified entries $SIZE1\.\." wC.log &&
    ok "wC resumed at entry $SIZE1 after its restart (no re-verification)" ||
    bad "wC after restart: $(grep verified wC.log)"
grep -q 'verified entries 0\.\.' wC.log && bad "wC verified from entry 0 again"
stop

# ---- 4. fork: wB and wC are shown another tree ----
start --test-fork-witness wB,wC || { bad "serve (fork)"; cat serve.log; exit 1; }
head -n 9 $B >fork.jsonl
"$P" device "$URL" dev.sk fork.jsonl "$VKEY" ack.txt 7 >/dev/null 2>&1 ||
    bad "ballots on the forked board"
c=$(cosigners 1)
[ "$c" = "wA" ] && ok "fork: only wA (shown the served tree) cosigns" ||
    bad "fork: cosigned by '$c'"
for w in wB wC; do
    "$S" witness evidence --state $w >evf.$w.txt 2>&1
    "$S" witness evidence --check-file evf.$w.txt --vkey "$VKEY" >cf.$w.txt 2>&1
    rc=$?
    [ $rc -eq 0 ] && grep -q 'INCONSISTENT\|do not give the root' cf.$w.txt &&
        ok "$w refused the fork; its evidence verifies with the board key alone" ||
        { bad "$w fork evidence (exit $rc)"; cat cf.$w.txt; }
done
grep -c '^refused ' evf.wB.txt >/dev/null
grep -q "^— $ORIGIN " evf.wB.txt && ok "the evidence holds board-signed checkpoints" ||
    bad "no board signature in the evidence"
CODE=$(head -n1 ack.txt | cut -d' ' -f1)
"$S" lookup --board "$URL" --state lk.cp "$CODE" >lk.txt 2>&1
rc=$?
[ $rc -ne 0 ] && grep -qi 'quorum\|cosign' lk.txt &&
    ok "lookup under 2-of-3 rejects the forked board ($(head -n1 lk.txt))" ||
    { bad "lookup on the forked board: exit $rc"; cat lk.txt; }
"$S" board export --board "$URL" --out exp >exp.txt 2>&1
if [ -d exp/log ]; then
    "$S" verify --allow-test-parameters exp >ver.txt 2>&1
    rc=$?
    [ $rc -ne 0 ] && grep -q 'L3.C.*quorum is not met' ver.txt &&
        grep -q '^L2 .* ok' ver.txt &&
        ok "scrutin verify under 2-of-3 rejects the export (L3.C)" ||
        { bad "verify of the forked export: exit $rc"; grep -i 'L3\|fail' ver.txt | head; }
else
    grep -qi 'quorum\|cosign' exp.txt &&
        ok "export under 2-of-3 refuses the forked board ($(head -n1 exp.txt))" ||
        { bad "export of the forked board"; cat exp.txt; }
fi
stop

# ---- 5. a board that commits an invalid ballot ----
start || { bad "serve (honest, after the fork)"; exit 1; }
head -n 10 $B >b10.jsonl
"$P" device "$URL" dev.sk b10.jsonl "$VKEY" ack.txt 10 >/dev/null ||
    bad "ballot 10"
c=$(cosigners 3)
[ "$c" = "wA wB wC" ] && ok "after the fork: all three cosign the served tree" ||
    bad "after the fork: cosigned by '$c'"
# ballot 11 with one proof response changed: its code and chain are right,
# its proof fails
sed -n '11p' $B | tr -d '\n' >b11.jsonl
V=$(grep -o '"v":\["[0-9A-F]*"' b11.jsonl | head -n1 | sed 's/.*\["//; s/"$//')
L=$(printf %s "$V" | tail -c1)
[ "$L" = 0 ] && NL=1 || NL=0
NV="$(printf %s "$V" | sed 's/.$//')$NL"
sed "s/\"v\":\[\"$V\"/\"v\":[\"$NV\"/" b11.jsonl >bad.jsonl
cmp -s b11.jsonl bad.jsonl && bad "the ballot was not tampered"
"$P" submit "$URL" dev.sk ballot 11 bad.jsonl "$ORIGIN" >out.txt
head -n1 out.txt | grep -q '^422' && ok "control: the board's door refuses it (422)" ||
    bad "control: $(head -c 200 out.txt)"
stop
start --test-accept-invalid-ballots || { bad "serve (invalid)"; exit 1; }
"$P" submit "$URL" dev.sk ballot 11 bad.jsonl "$ORIGIN" >out.txt
head -n1 out.txt | grep -q 200 && ok "the test board committed the invalid ballot" ||
    bad "test board refused it: $(head -c 200 out.txt)"
c=$(cosigners 2)
sleep 0.3
c=$(cosigners 2)
[ "$c" = "wA wB" ] &&
    ok "invalid ballot: the plain witnesses cosign, the verifying one refuses" ||
    { bad "invalid ballot: cosigned by '$c'"; tail -n3 wC.log serve.log; }
evidence wC >evi.txt
grep -q 'INVALID ENTRY.*entry [0-9]*: ballot: V' evi.txt &&
    ok "wC keeps it as evidence: $(grep -o 'INVALID ENTRY.*' evi.txt | cut -c1-150)" ||
    { bad "wC evidence"; cat evi.txt; }
stop
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
