list(APPEND SC_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/mont.c
  ${CMAKE_CURRENT_LIST_DIR}/ifma.c
  ${CMAKE_CURRENT_LIST_DIR}/ifma_sqr.c
  ${CMAKE_CURRENT_LIST_DIR}/ifma_lanes.c
  ${CMAKE_CURRENT_LIST_DIR}/ifma_core.c
  ${CMAKE_CURRENT_LIST_DIR}/ifma_mulcore.c
  ${CMAKE_CURRENT_LIST_DIR}/arith.c
  ${CMAKE_CURRENT_LIST_DIR}/pow_lanes.c
  ${CMAKE_CURRENT_LIST_DIR}/sqtest.c
  ${CMAKE_CURRENT_LIST_DIR}/fbscan.c
  ${CMAKE_CURRENT_LIST_DIR}/dlog.c)
# ifma_core.c and ifma_mulcore.c are each one generated asm() string of
# 100-200 kB: longer than the 4,095 characters ISO C99 promises, which
# clang's -Wpedantic refuses under -Werror (the libFuzzer tree of `make
# fuzz` is built with clang).
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/ifma_core.c
  ${CMAKE_CURRENT_LIST_DIR}/ifma_mulcore.c PROPERTIES COMPILE_OPTIONS -Wno-overlength-strings)
