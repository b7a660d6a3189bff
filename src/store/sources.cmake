# src/store: SQLite storage of the board (and the witness).
list(APPEND SC_SRV_SOURCES
  ${CMAKE_SOURCE_DIR}/src/store/board_db.c)
list(APPEND SC_SRV_SOURCES ${CMAKE_SOURCE_DIR}/src/store/witness_db.c
  ${CMAKE_SOURCE_DIR}/src/store/witness_vdb.c)
