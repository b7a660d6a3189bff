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
# Issue 9's fork test needs the test-only hook: only in builds with
# -DSC_BOARD_FORK_TEST=ON (tools/board_fork_test.sh makes one).
if(TARGET scrutin_srv AND SC_BOARD_FORK_TEST)
  add_test(NAME board_fork
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/board/board_fork.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:board_probe>
                   ${CMAKE_SOURCE_DIR}/examples)
  set_tests_properties(board_fork PROPERTIES LABELS board TIMEOUT 300)
endif()
