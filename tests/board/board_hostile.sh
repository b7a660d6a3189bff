#!/bin/sh
# Hostile input on loopback: N requests from THREADS threads mixing
# oversized bodies, malformed ones, bad signatures, unknown signers,
# replays, seq conflicts, wrong chain positions, invalid proofs, group
# elements 0, 1, p-1, p and a non-member, and slow clients, interleaved
# with the device's good ballots: every good ballot is accepted, the
# server is alive, its memory bounded (RSS_MAX_KB), and its refusal
# counters match what was sent.
# usage: board_hostile.sh SCRUTIN BOARD_PROBE EXAMPLES_DIR N BALLOTS
#        [THREADS] [RSS_MAX_KB]
set -u
S=$1
P=$2
E=$3
N=${4:-3000}
NB=${5:-30}
TH=${6:-4}
RSS_MAX=${7:-400000}
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-hostile.XXXXXX")
. "$(dirname "$0")/lib.sh"
trap cleanup EXIT
cd "$T" || exit 3
fails=0
board_setup
start || { echo "serve failed"; cat serve.log; exit 1; }
rss0=$(awk '/VmRSS/ {print $2}' /proc/$SPID/status 2>/dev/null)
t0=$(date +%s)
"$P" hostile "$URL" dev.sk "$B" "$VKEY" toy-q64 "$N" "$TH" >h.txt 2>h.err &&
    ok "hostile mix: all good ballots accepted, counters match" ||
    { bad "hostile mix"; cat h.err; }
t1=$(date +%s)
cat h.txt
kill -0 "$SPID" 2>/dev/null && ok "server alive" || bad "server died"
rss=$(awk '/VmHWM/ {print $2}' /proc/$SPID/status 2>/dev/null)
rss1=$(awk '/VmRSS/ {print $2}' /proc/$SPID/status 2>/dev/null)
echo "server RSS ${rss0:-?} kB before, ${rss1:-?} kB after, peak ${rss:-?} kB; $N hostile requests in $((t1 - t0)) s"
[ -n "$rss" ] && [ "$rss" -lt "$RSS_MAX" ] && ok "memory bounded" ||
    bad "memory: ${rss:-?} kB"
: >ack.txt
"$P" check "$URL" "$VKEY" ack.txt >/dev/null && ok "log verifies" ||
    bad "log check"
stop
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
