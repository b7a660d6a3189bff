#!/bin/sh
# Runs issue 9's board/witness misbehaviour test (tests/board/board_fork.sh
# with scrutin_testhooks, the test-only build of the CLI with the board's
# hooks) in build/release; it is also part of `make check` (ctest -R
# board_fork).
set -eu
R=$(cd "$(dirname "$0")/.." && pwd)
cmake --build "$R/build/release" -j2 --target scrutin scrutin_testhooks board_probe
cd "$R/build/release" && exec ctest -R 'board_fork|board_no_hooks' --output-on-failure
