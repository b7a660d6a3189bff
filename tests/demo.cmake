# scrutin demo --board (tools/demo-board.sh) on a toy group: board, three
# witness processes, two devices at once, export, verify with log steps.
if(TARGET scrutin_srv AND EXISTS ${CMAKE_SOURCE_DIR}/src/board/sources.cmake)
  add_test(NAME demo_board
           COMMAND sh -c "d=$(mktemp -d) && cd $d && $<TARGET_FILE:scrutin> demo --board -b 3 -g toy-q64 -o run >log.txt 2>&1; rc=$?; tail -n 30 log.txt; grep -q '^verdict: valid' log.txt && [ $rc -eq 0 ]; r=$?; rm -rf $d; exit $r")
  set_tests_properties(demo_board PROPERTIES LABELS "cli" TIMEOUT 300)
endif()
