# src/witness: the witness server (docs/BOARD.md §5).
list(APPEND SC_SRV_SOURCES
  ${CMAKE_SOURCE_DIR}/src/witness/witness.c
  ${CMAKE_SOURCE_DIR}/src/witness/evidence.c
  ${CMAKE_SOURCE_DIR}/src/witness/verify_board.c
  ${CMAKE_SOURCE_DIR}/src/witness/verify_entry.c)
