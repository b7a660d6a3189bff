list(APPEND SC_LIB_SOURCES ${CMAKE_CURRENT_LIST_DIR}/report.c
     ${CMAKE_CURRENT_LIST_DIR}/report_fold.c
     ${CMAKE_CURRENT_LIST_DIR}/report_json.c
     ${CMAKE_CURRENT_LIST_DIR}/report_text.c)
