# src/board: the bulletin board server (docs/BOARD.md).
list(APPEND SC_SRV_SOURCES
  ${CMAKE_SOURCE_DIR}/src/board/core.c
  ${CMAKE_SOURCE_DIR}/src/board/parse.c
  ${CMAKE_SOURCE_DIR}/src/board/door.c
  ${CMAKE_SOURCE_DIR}/src/board/sequencer.c
  ${CMAKE_SOURCE_DIR}/src/board/witnesses.c
  ${CMAKE_SOURCE_DIR}/src/board/api.c)
# Test-only: the board can show one witness a forked tree (issue 9). Never
# on in release builds.
option(SC_BOARD_FORK_TEST "board: build the equivocation test hook" OFF)
if(SC_BOARD_FORK_TEST)
  set_source_files_properties(${CMAKE_SOURCE_DIR}/src/board/witnesses.c
    ${CMAKE_SOURCE_DIR}/src/cli/cmd_board.c
    PROPERTIES COMPILE_DEFINITIONS SC_BOARD_FORK_TEST=1)
  if(CMAKE_BUILD_TYPE STREQUAL "Release")
    message(WARNING "SC_BOARD_FORK_TEST is a test hook; not for release")
  endif()
endif()
