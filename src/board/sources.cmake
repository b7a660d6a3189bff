# src/board: the bulletin board server (docs/BOARD.md).
list(APPEND SC_SRV_SOURCES
  ${CMAKE_SOURCE_DIR}/src/board/core.c
  ${CMAKE_SOURCE_DIR}/src/board/parse.c
  ${CMAKE_SOURCE_DIR}/src/board/door.c
  ${CMAKE_SOURCE_DIR}/src/board/sequencer.c
  ${CMAKE_SOURCE_DIR}/src/board/witnesses.c
  ${CMAKE_SOURCE_DIR}/src/board/publish.c
  ${CMAKE_SOURCE_DIR}/src/board/api.c
  ${CMAKE_SOURCE_DIR}/src/board/signer_index.c)
# Test-only hooks (a board that forks, one that commits invalid ballots;
# issue 9) are compiled with SC_BOARD_FORK_TEST=1 into the test-only
# executable scrutin_testhooks (tests/board.cmake), never into scrutin.
