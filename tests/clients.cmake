# Clients of the board (docs/BOARD.md): the ballot check at the door
# (src/lib/verify/door.c), the HTTP client, device keys, encrypt --board,
# lookup, export and the log checks of `scrutin verify`.
sc_add_test(test_door SOURCES ${CMAKE_SOURCE_DIR}/tests/unit/test_door.c
            LABELS unit verify clients)
target_link_libraries(test_door PRIVATE sc_genrecord)
if(TARGET scrutin_srv)
  sc_add_test(test_httpc SOURCES ${CMAKE_SOURCE_DIR}/tests/clients/test_httpc.c
              LABELS clients)
  target_link_libraries(test_httpc PRIVATE scrutin_srv)
endif()
sc_add_test(test_logrec SOURCES ${CMAKE_SOURCE_DIR}/tests/clients/test_logrec.c
            LABELS clients verify)
target_link_libraries(test_logrec PRIVATE sc_genrecord)
# The end-to-end script needs the board server (src/board, `scrutin board`).
if(TARGET scrutin_srv AND EXISTS ${CMAKE_SOURCE_DIR}/src/board/sources.cmake)
  add_executable(fake_witness ${CMAKE_SOURCE_DIR}/tests/clients/fake_witness.c)
  target_link_libraries(fake_witness PRIVATE scrutin_srv)
  add_test(NAME clients_e2e
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/clients/clients_e2e.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:fake_witness>
                   ${CMAKE_SOURCE_DIR}/examples)
  set_tests_properties(clients_e2e PROPERTIES LABELS "clients;cli" TIMEOUT 300)
  # Receipts carry cosignatures only when they make the quorum (needs the
  # test client board_probe of tests/board.cmake).
  add_test(NAME receipt_quorum
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/clients/receipt_quorum.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:fake_witness>
                   $<TARGET_FILE:board_probe> ${CMAKE_SOURCE_DIR}/examples)
  set_tests_properties(receipt_quorum PROPERTIES LABELS "clients;board"
                       TIMEOUT 300)
  # Write-ins through the board: entries, door, export, verify.
  add_test(NAME write_ins_board
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/clients/write_ins_board.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:fake_witness>
                   $<TARGET_FILE:board_probe>)
  set_tests_properties(write_ins_board PROPERTIES LABELS "clients;board;cli"
                       TIMEOUT 300)
  # A live verifying witness over the write-in entries; the test-hook
  # board commits a write_in before its count, which the witness refuses.
  add_test(NAME write_ins_witness
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/clients/write_ins_witness.sh
                   $<TARGET_FILE:scrutin> $<TARGET_FILE:scrutin_testhooks>)
  set_tests_properties(write_ins_witness PROPERTIES
                       LABELS "clients;board;witness" TIMEOUT 300)
endif()
