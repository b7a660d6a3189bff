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
