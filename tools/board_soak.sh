#!/bin/sh
# The longer durability soak of issue 8: kill -9 the board at random
# moments while a device submits, KILLS times (default 200), BALLOTS
# ballots; after every restart each acknowledged ballot must be in the log
# exactly once and the root must verify (tests/board/board_e2e.sh).
# usage: tools/board_soak.sh [BUILD_DIR] [KILLS] [BALLOTS]
set -u
BD=$(cd "${1:-build/rel}" && pwd)
R=$(cd "$(dirname "$0")/.." && pwd)
exec sh "$R/tests/board/board_e2e.sh" "$BD/scrutin" "$BD/board_probe" \
    "$R/examples" "${2:-200}" "${3:-400}"
