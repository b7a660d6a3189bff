# The voter and observer page (web/): tlog.js unit tests in Node, and the
# page in headless Debian Chromium driven by playwright-core against the
# fixture board (tests/web/fixture.mjs). `make deps` installs nodejs,
# chromium and tests/web/node_modules (npm ci); without them the tests
# report "skipped" (exit 77) instead of passing.
find_program(SC_NODE NAMES node nodejs)
if(SC_NODE)
  add_test(NAME web_tlog_unit
           COMMAND ${SC_NODE} ${CMAKE_SOURCE_DIR}/tests/web/unit.mjs)
  add_test(NAME web_page
           COMMAND ${SC_NODE} ${CMAKE_SOURCE_DIR}/tests/web/run.mjs)
  # receipts of scrutin encrypt --receipts-qr: QR codes decoded with jsQR
  add_test(NAME web_receipt_qr
           COMMAND ${SC_NODE} ${CMAKE_SOURCE_DIR}/tests/web/receipt.mjs
                   $<TARGET_FILE:scrutin> ${CMAKE_SOURCE_DIR}/examples)
  set_tests_properties(web_receipt_qr PROPERTIES LABELS "web;cli" TIMEOUT 300
                       SKIP_RETURN_CODE 77)
  # the page against `scrutin board serve` (needs the board's test client)
  if(TARGET board_probe)
    add_test(NAME web_board_e2e
             COMMAND sh ${CMAKE_SOURCE_DIR}/tests/web/board_e2e.sh
                     $<TARGET_FILE:scrutin> $<TARGET_FILE:board_probe>
                     ${CMAKE_SOURCE_DIR}/examples ${SC_NODE})
    set_tests_properties(web_board_e2e PROPERTIES LABELS "web;board"
                         TIMEOUT 300 SKIP_RETURN_CODE 77)
  endif()
  # web_page exercises no C code: labelled slow so that the sanitizer run
  # (ctest -LE slow) does not repeat it
  set_tests_properties(web_tlog_unit PROPERTIES LABELS web)
  set_tests_properties(web_page PROPERTIES LABELS "web;slow" TIMEOUT 300
                       SKIP_RETURN_CODE 77)
else()
  add_test(NAME web_page COMMAND sh -c "echo 'node not found: run make deps'; exit 77")
  set_tests_properties(web_page PROPERTIES SKIP_RETURN_CODE 77 LABELS web)
endif()
