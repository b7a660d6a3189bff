# Shared set-up of the board scripts (sourced): a toy election with NB
# ballots on device 1, a board in st/ with that device registered, and
# start/stop helpers. Needs S (scrutin), P (board_probe), E (examples),
# NB, and the caller's cwd a scratch directory. The checks (ok, bad,
# expect, wait_file) are tests/lib/checks.sh's.
command -v wait_file >/dev/null ||
    . "$(cd "$(dirname "$0")/../lib" && pwd)/checks.sh"
SPID=""
PPID_=""

board_setup() {
    echo 'board test passphrase' >pass
    chmod 600 pass
    "$S" ceremony --guardians 3 --quorum 2 --out rec --secrets sec \
        --manifest "$E/manifest.json" --group toy-q64 --passphrase-file pass \
        --kdf interactive >/dev/null || { echo "ceremony failed"; exit 3; }
    i=0
    : >plain.jsonl
    while [ $i -lt "$NB" ]; do
        tr -d '\n' <"$E/ballot.json" |
            sed "s/\"id\": *\"[^\"]*\"/\"id\":\"b-$i\"/" >>plain.jsonl
        echo >>plain.jsonl
        i=$((i + 1))
    done
    "$S" encrypt -r rec -d 1 -D "Precinct 1 unit 1" --seed 7 \
        --challenge-rate 0.1 -q plain.jsonl || { echo "encrypt failed"; exit 3; }
    B=rec/ballots/device_1.jsonl
    "$S" board init --record rec --state st --passphrase-file pass \
        --kdf interactive >init.txt 2>err.txt ||
        { echo "board init failed"; cat err.txt; exit 3; }
    VKEY=$(sed -n 's/^board key //p' init.txt)
    ORIGIN=${VKEY%%+*}
    DEVPUB=$("$P" keygen dev.sk)
    "$S" board register-device --state st --passphrase-file pass \
        --device-key "$DEVPUB" --name "Precinct 1 unit 1" >reg.txt 2>err.txt ||
        { echo "register-device failed"; cat err.txt; exit 3; }
}

# start [serve options]: serve st/ on $LISTEN (default: a free port);
# URL set.
start() {
    rm -f port
    "$S" board serve --state st --listen "${LISTEN:-127.0.0.1:0}" \
        --port-file port \
        --passphrase-file pass --workers 2 "$@" 2>>serve.log &
    SPID=$!
    n=0
    while [ ! -s port ] && [ $n -lt 200 ]; do
        if ! kill -0 "$SPID" 2>/dev/null; then SPID=""; return 1; fi
        sleep 0.05; n=$((n + 1))
    done
    [ -s port ] || return 1
    URL="http://127.0.0.1:$(cat port)"
    return 0
}
stop9() { kill -9 "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=""; }
stop() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=""; }
# the witnesses a test starts keep their pids in W1, W2, WA, WB or WC:
# cleanup kills them too
W1=""
W2=""
WA=""
WB=""
WC=""
cleanup() {
    for p in $SPID $PPID_ $W1 $W2 $WA $WB $WC; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$T"
}
