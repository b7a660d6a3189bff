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
endif()
