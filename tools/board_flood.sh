#!/bin/sh
# The long hostile run of issue 8: 10^5 requests (oversized, malformed,
# bad signatures, unknown signers, replays, seq conflicts, wrong chain
# positions, invalid proofs, group elements 0, 1, p-1, p, non-members,
# slow clients) interleaved with good ballots; every good ballot accepted,
# the server alive, its peak RSS under the bound, the counters equal what
# was sent. usage: tools/board_flood.sh [BUILD_DIR] [N] [BALLOTS] [THREADS]
set -u
BD=$(cd "${1:-build/rel}" && pwd)
R=$(cd "$(dirname "$0")/.." && pwd)
exec sh "$R/tests/board/board_hostile.sh" "$BD/scrutin" "$BD/board_probe" \
    "$R/examples" "${2:-100000}" "${3:-200}" "${4:-8}" 400000
