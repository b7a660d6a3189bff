#!/bin/sh
# P8 figures of the board (make bench), on loopback:
#   P8 board-ingest-vs-ideal: ballots/s accepted with their proofs checked,
#      D devices submitting at once, divided by the ideal (cores / CPU
#      seconds to check one ballot at the door, sc_door_check, median).
#   P8 board-flood-latency-ratio: a device's median submit latency while
#      another floods the board (board_probe hostile) / without the flood.
# The clients run on the same machine as the board and take their share
# of the cores. usage: board_bench.sh BUILD_DIR [GROUP] [BALLOTS] [DEVICES]
set -u
BD=$(cd "$1" && pwd)
S=$BD/scrutin
P=$BD/board_probe
E=$(cd "$(dirname "$0")/../examples" && pwd)
GROUP=${2:-standard}
NB=${3:-24}
D=${4:-4}
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-bbench.XXXXXX")
SPID=""
trap '[ -n "$SPID" ] && kill -9 $SPID 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 3
echo 'bench passphrase' >pass
chmod 600 pass
"$S" ceremony --guardians 3 --quorum 2 --out rec --secrets sec \
    --manifest "$E/manifest.json" --group "$GROUP" --passphrase-file pass \
    --kdf interactive >/dev/null || exit 3
"$S" board init --record rec --state st --passphrase-file pass \
    --kdf interactive >init.txt || exit 3
ORIGIN=$(sed -n 's/^board key //p' init.txt | sed 's/+.*//')
# D+2 devices: D for the ingest run, one quiet, one flooding
d=1
while [ $d -le $((D + 2)) ]; do
    i=0
    : >plain$d.jsonl
    while [ $i -lt "$NB" ]; do
        tr -d '\n' <"$E/ballot.json" |
            sed "s/\"id\": *\"[^\"]*\"/\"id\":\"d$d-$i\"/" >>plain$d.jsonl
        echo >>plain$d.jsonl
        i=$((i + 1))
    done
    "$S" encrypt -r rec -d $d -D "unit $d" -q plain$d.jsonl || exit 3
    "$P" keygen dev$d.sk >dev$d.pub
    "$S" board register-device --state st --passphrase-file pass \
        --device-key "$(cat dev$d.pub)" --name "unit $d" >/dev/null 2>&1 || exit 3
    d=$((d + 1))
done
CORES=$(nproc)
T1=$("$P" door-time rec rec/ballots/device_1.jsonl "unit 1") || exit 3
"$S" board serve --state st --listen 127.0.0.1:0 --port-file port \
    --passphrase-file pass 2>serve.log &
SPID=$!
n=0
while [ ! -s port ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
URL="http://127.0.0.1:$(cat port)"
# ingest: D devices at once
t0=$(date +%s.%N)
d=1
pids=""
while [ $d -le "$D" ]; do
    "$P" blast "$URL" dev$d.sk rec/ballots/device_$d.jsonl "$ORIGIN" \
        >blast$d.txt &
    pids="$pids $!"
    d=$((d + 1))
done
for p in $pids; do wait $p || echo "a device failed" >&2; done
t1=$(date +%s.%N)
# latency: quiet, then under a flood from another device
Q=$((D + 1))
F=$((D + 2))
head -n $((NB / 2)) rec/ballots/device_$Q.jsonl >q1.jsonl
"$P" blast "$URL" dev$Q.sk q1.jsonl "$ORIGIN" >quiet.txt
"$P" hostile "$URL" dev$F.sk rec/ballots/device_$F.jsonl \
    "$(sed -n 's/^board key //p' init.txt)" "$GROUP" 100000 4 >flood.txt 2>&1 &
FP=$!
sleep 1
"$P" blast "$URL" dev$Q.sk rec/ballots/device_$Q.jsonl "$ORIGIN" >loud.txt
kill $FP 2>/dev/null
wait $FP 2>/dev/null
kill $SPID; wait $SPID 2>/dev/null; SPID=""
awk -v n=$((NB * D)) -v t0="$t0" -v t1="$t1" -v c="$CORES" -v t="$T1" \
    'BEGIN { r = n / (t1 - t0); ideal = c / t;
     printf "board ingest: %d ballots from %d devices in %.2f s = %.2f/s; door check %.4f s CPU per ballot, %d cores: ideal %.2f/s\n", n, '"$D"', t1 - t0, r, t, c, ideal;
     printf "P8 board-ingest-vs-ideal %.2f\n", r / ideal }'
q=$(sed -n 's/.*median_ms \([0-9.]*\).*/\1/p' quiet.txt)
l=$(sed -n 's/.*median_ms \([0-9.]*\).*/\1/p' loud.txt)
awk -v q="$q" -v l="$l" 'BEGIN {
     printf "board latency: median %.2f ms quiet, %.2f ms during a flood\n", q, l;
     printf "P8 board-flood-latency-ratio %.2f\n", l / q }'
