#!/bin/sh
# Issue 9's equivocation and rollback tests with two real witnesses
# (scrutin witness): a board built with -DSC_BOARD_FORK_TEST=ON shows
# witness B another tree of the same size than witness A (serve
# --test-fork-witness B): B refuses and keeps the board-signed checkpoints
# as evidence, A cosigns, the quorum (2 of 2) is not met. Then a board
# restored from an old copy refuses to start; forced (--force), its
# witnesses refuse it: A, which cosigned the newer tree, does not cosign
# it, and the quorum is not met.
# usage: board_fork.sh SCRUTIN(built with the fork hook) BOARD_PROBE EXAMPLES
set -u
S=$1
P=$2
E=$3
NB=12
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-fork.XXXXXX")
. "$(dirname "$0")/lib.sh"
WA=""
WB=""
trap 'for p in $WA $WB; do kill -9 $p 2>/dev/null; done; cleanup' EXIT
cd "$T" || exit 3
fails=0
board_setup
"$S" board --help | grep -q . || exit 3
wstart() { # NAME -> pid in WP, port in NAME.port
    "$S" witness init --state "$1" --name "$1" --passphrase-file pass \
        --kdf interactive >"$1.vkey" 2>>w.log || return 1
    "$S" witness add-log --state "$1" --origin "$ORIGIN" --vkey "$VKEY" \
        >/dev/null 2>>w.log || return 1
    "$S" witness serve --state "$1" --listen 127.0.0.1:0 --port-file \
        "$1.port" --passphrase-file pass 2>>w.log &
    WP=$!
    n=0
    while [ ! -s "$1.port" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
    [ -s "$1.port" ]
}
wstart wA && WA=$WP || { echo "witness A"; cat w.log; exit 3; }
wstart wB && WB=$WP || { echo "witness B"; cat w.log; exit 3; }
VA=$(grep + wA.vkey | tail -n1)
VB=$(grep + wB.vkey | tail -n1)
printf '{"type":"witness_policy","witnesses":[{"name":"wA","party":"A","vkey":"%s","url":"http://127.0.0.1:%s"},{"name":"wB","party":"B","vkey":"%s","url":"http://127.0.0.1:%s"}],"quorum":"k-of-n:2"}' \
    "$VA" "$(cat wA.port)" "$VB" "$(cat wB.port)" >policy.json
"$S" board set-policy --state st --passphrase-file pass --policy policy.json \
    >/dev/null 2>err.txt && ok "set-policy" || { bad "set-policy"; cat err.txt w.log; }
start && ok "serve (honest)" || { bad "serve"; cat serve.log; exit 1; }
head -n 3 $B >first.jsonl
"$P" device "$URL" dev.sk first.jsonl "$VKEY" ack.txt >/dev/null &&
    ok "honest ballots" || bad "honest ballots"
n=$(curl -s "$URL/checkpoint" | grep -c '^— w[AB] ')
[ "$n" -eq 2 ] && ok "honest run: both witnesses cosign" ||
    { bad "honest run: $n cosignatures"; cat serve.log w.log; }
stop
cp st/board.db old.db
[ -f st/board.db-wal ] && cp st/board.db-wal old.db-wal

# fork: B is shown another tree of the same size
start --test-fork-witness wB || { bad "serve (fork)"; cat serve.log; exit 1; }
"$P" device "$URL" dev.sk $B "$VKEY" ack.txt 4 >/dev/null 2>&1 ||
    bad "ballots on the forked board"
cp=$(curl -s "$URL/checkpoint")
echo "$cp" | grep -q '^— wA ' && ok "A cosigns the tree it was shown" ||
    bad "A did not cosign"
echo "$cp" | grep -q '^— wB ' && bad "B cosigned a fork" ||
    ok "B refuses the forked tree"
"$S" witness evidence --state wB --check >ev.txt 2>&1
[ -s ev.txt ] && grep -qi "inconsistent\|equivocation" ev.txt &&
    ok "B keeps the board-signed checkpoints: $(head -n1 ev.txt)" ||
    { bad "no evidence at B"; cat ev.txt; }
"$S" witness evidence --state wA >eva.txt 2>&1
stop

# restored old copy: refuses; forced, the witnesses refuse it
cp old.db st/board.db
rm -f st/board.db-wal st/board.db-shm
[ -f old.db-wal ] && cp old.db-wal st/board.db-wal
if start; then bad "restored copy served"; stop; else
    grep -q "older than the last checkpoint" serve.log &&
        ok "restored copy refused" || bad "restored copy: $(tail -n1 serve.log)"
fi
start --force || { bad "forced start"; tail -n3 serve.log; exit 1; }
sed -n '4p' $B >one.jsonl
"$P" submit "$URL" dev.sk ballot 4 one.jsonl "$ORIGIN" >out.txt
head -n1 out.txt | grep -q 200 && ok "forced board accepts an entry" ||
    bad "forced board: $(cat out.txt)"
# A cosigned the newer state: it refuses the rolled-back tree. B was kept
# at the old size by the fork above, so the old tree is news to it; the
# 2-of-2 quorum is not met.
cp=$(curl -s "$URL/checkpoint")
echo "$cp" | grep -q '^— wA ' && bad "forced board: A cosigned a rollback" ||
    ok "forced board: A (which saw the newer tree) refuses it"
[ "$(echo "$cp" | grep -c '^— w[AB] ')" -lt 2 ] &&
    ok "forced board: the quorum is not met" || bad "forced board: quorum met"
stop
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
