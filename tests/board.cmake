# The board (src/board), its storage (src/store) and the HTTP wrapper
# (src/net/httpd): unit tests here, end-to-end scripts in tests/board/.
if(TARGET scrutin_srv)
  sc_add_test(test_httpd SOURCES ${CMAKE_SOURCE_DIR}/tests/board/test_httpd.c
              LABELS board)
  target_link_libraries(test_httpd PRIVATE scrutin_srv)
  sc_add_test(test_board_db
              SOURCES ${CMAKE_SOURCE_DIR}/tests/board/test_board_db.c
              LABELS board)
  target_link_libraries(test_board_db PRIVATE scrutin_srv)
  sc_add_test(test_board_sched
              SOURCES ${CMAKE_SOURCE_DIR}/tests/board/test_board_sched.c
              LABELS board)
  target_link_libraries(test_board_sched PRIVATE scrutin_srv)
  # The test client (tests and tools/board_flood.sh only).
  add_executable(board_probe ${CMAKE_SOURCE_DIR}/tests/board/board_probe.c)
  target_link_libraries(board_probe PRIVATE scrutin_core PkgConfig::CURL)
  sc_warnings(board_probe)
  add_test(NAME board_e2e
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/board/board_e2e.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:board_probe>
                   ${CMAKE_SOURCE_DIR}/examples 20 40)
  set_tests_properties(board_e2e PROPERTIES LABELS "board;cli" TIMEOUT 300)
  add_test(NAME board_hostile
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/board/board_hostile.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:board_probe>
                   ${CMAKE_SOURCE_DIR}/examples 3000 30)
  set_tests_properties(board_hostile PROPERTIES LABELS "board;cli" TIMEOUT 300)
endif()
# Issue 9's equivocation, rollback and invalid-ballot tests need a board
# that misbehaves: scrutin_testhooks is the CLI built again with the test
# hooks (SC_BOARD_FORK_TEST=1 on the CLI and on the two board files that
# hold them, linked ahead of scrutin_srv's copies). Test-only: never
# installed; board_no_hooks checks that the release scrutin has none.
if(TARGET scrutin_srv)
  add_executable(scrutin_testhooks ${SC_CLI_SOURCES}
                 ${CMAKE_SOURCE_DIR}/src/board/witnesses.c
                 ${CMAKE_SOURCE_DIR}/src/board/door.c)
  target_compile_definitions(scrutin_testhooks PRIVATE SC_BOARD_FORK_TEST=1
                             SC_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  target_link_libraries(scrutin_testhooks PRIVATE scrutin_srv scrutin_core
                        PkgConfig::QRENCODE)
  sc_warnings(scrutin_testhooks)
  add_test(NAME board_no_hooks
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/board/no_hooks.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:scrutin_testhooks>)
  set_tests_properties(board_no_hooks PROPERTIES LABELS "board;pkg")
  add_test(NAME board_fork
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/board/board_fork.sh
                   $<TARGET_FILE:scrutin_testhooks> $<TARGET_FILE:board_probe>
                   ${CMAKE_SOURCE_DIR}/examples)
  set_tests_properties(board_fork PROPERTIES LABELS "board;witness"
                       TIMEOUT 300)
endif()
