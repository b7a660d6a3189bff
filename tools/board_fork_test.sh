#!/bin/sh
# Builds the board with the test-only fork hook (-DSC_BOARD_FORK_TEST=ON,
# never a release build) in build/forktest and runs tests/board/board_fork.sh.
set -eu
R=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$R" -B "$R/build/forktest" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DSC_BOARD_FORK_TEST=ON >/dev/null
cmake --build "$R/build/forktest" -j2 --target scrutin board_probe
exec sh "$R/tests/board/board_fork.sh" "$R/build/forktest/scrutin" \
    "$R/build/forktest/board_probe" "$R/examples"
