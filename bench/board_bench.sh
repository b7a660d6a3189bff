#!/bin/sh
# P8 figures of the board (make bench), on loopback, in ROUNDS rounds; each
# round alternates the reference and the board under the same load, and
# the P8 lines are the medians of the per-round ratios:
#   P8 board-ingest-vs-ideal: ballots/s accepted with their proofs checked,
#      D devices submitting at once, divided by the ideal: cores / the CPU
#      seconds to check one ballot at the door (sc_door_check, median), or,
#      if lower, what `cores` threads checking ballots in one process do in
#      that round (the same on a quiet machine; on a loaded one, the share
#      of the cores the board could have had).
#   P8 board-flood-latency-ratio: a device's median submit latency while
#      another floods the board (board_probe hostile) / without the flood,
#      measured back to back in each round.
# The clients run on the same machine as the board and take their share
# of the cores. Prints `uptime` (the load measured under).
# BALLOTS per device (64) is a steady state, as on an election day when a
# device is one long-running process: each client process's start-up
# (about 22 ms of CPU, mostly the dynamic linker for libcurl and OpenSSL)
# and the first and last ballots' ramps are paid once per device; at 16
# ballots per device the start-ups alone were about 6% of a round's CPU
# (measured 2026-12-04). The definition of the two lines is unchanged.
# usage: board_bench.sh BUILD_DIR [GROUP] [BALLOTS] [DEVICES] [ROUNDS]
set -u
BD=$(cd "$1" && pwd)
S=$BD/scrutin
P=$BD/board_probe
E=$(cd "$(dirname "$0")/../examples" && pwd)
GROUP=${2:-standard}
NB=${3:-64}
CORES=$(nproc)
D=${4:-$((3 * CORES))}
R=${5:-3}
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
# Per round: D devices for the ingest run, one quiet, one flooding.
PER=$((D + 2))
NDEV=$((PER * R))
d=1
while [ $d -le $NDEV ]; do
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
T1=$("$P" door-time rec rec/ballots/device_1.jsonl "unit 1") || exit 3
"$S" board serve --state st --listen 127.0.0.1:0 --port-file port \
    --passphrase-file pass 2>serve.log &
SPID=$!
n=0
while [ ! -s port ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
URL="http://127.0.0.1:$(cat port)"
: >ingest.txt
: >latency.txt
r=0
while [ $r -lt "$R" ]; do
    base=$((r * PER))
    # the reference: CORES threads checking device 1's ballots (the same
    # work as any device's)
    rate=$("$P" door-rate rec rec/ballots/device_1.jsonl "unit 1" \
        "$CORES") || exit 3
    # the board: D devices at once
    t0=$(date +%s.%N)
    pids=""
    k=1
    while [ $k -le "$D" ]; do
        d=$((base + k))
        "$P" blast "$URL" dev$d.sk rec/ballots/device_$d.jsonl "$ORIGIN" \
            >blast$d.txt &
        pids="$pids $!"
        k=$((k + 1))
    done
    for p in $pids; do wait $p || echo "a device failed" >&2; done
    t1=$(date +%s.%N)
    echo "$t0 $t1 $rate" >>ingest.txt
    # latency: quiet, then under a flood from another device
    Q=$((base + D + 1))
    F=$((base + D + 2))
    head -n $((NB / 2)) rec/ballots/device_$Q.jsonl >q$r.jsonl
    tail -n +$((NB / 2 + 1)) rec/ballots/device_$Q.jsonl >l$r.jsonl
    "$P" blast "$URL" dev$Q.sk q$r.jsonl "$ORIGIN" >quiet$r.txt
    "$P" hostile "$URL" dev$F.sk rec/ballots/device_$F.jsonl \
        "$(sed -n 's/^board key //p' init.txt)" "$GROUP" 100000 4 \
        >flood$r.txt 2>&1 &
    FP=$!
    sleep 1
    # the loud half continues the quiet half's chain: seq NB/2+1 onwards
    "$P" blast "$URL" dev$Q.sk l$r.jsonl "$ORIGIN" $((NB / 2 + 1)) \
        >loud$r.txt
    kill $FP 2>/dev/null
    wait $FP 2>/dev/null
    q=$(sed -n 's/.*median_ms \([0-9.]*\).*/\1/p' quiet$r.txt)
    l=$(sed -n 's/.*median_ms \([0-9.]*\).*/\1/p' loud$r.txt)
    echo "$q $l" >>latency.txt
    r=$((r + 1))
done
kill $SPID
wait $SPID 2>/dev/null
SPID=""
echo "load: $(uptime)"
awk -v n=$((NB * D)) -v c="$CORES" -v t="$T1" -v d="$D" '
    { r = n / ($2 - $1); ideal = c / t; ref = $3 < ideal ? $3 : ideal;
      x[NR] = r / ref;
      printf "board ingest round %d: %d ballots from %d devices at %.2f/s; ideal %.2f/s (%d cores / %.4f s CPU per check), %d threads checking in-process %.2f/s: ratio %.2f\n", NR, n, d, r, ideal, c, t, c, $3, r / ref }
    END { m = NR; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
            if (x[j] < x[i]) { y = x[i]; x[i] = x[j]; x[j] = y }
          printf "P8 board-ingest-vs-ideal %.2f\n", (m % 2) ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2 }' ingest.txt
awk '
    { x[NR] = $2 / $1;
      printf "board latency round %d: median %.2f ms quiet, %.2f ms during a flood: ratio %.2f\n", NR, $1, $2, $2 / $1 }
    END { m = NR; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
            if (x[j] < x[i]) { y = x[i]; x[i] = x[j]; x[j] = y }
          printf "P8 board-flood-latency-ratio %.2f\n", (m % 2) ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2 }' latency.txt
