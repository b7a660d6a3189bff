list(APPEND SC_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/guardian_proof.c
  ${CMAKE_CURRENT_LIST_DIR}/range_proof.c
  ${CMAKE_CURRENT_LIST_DIR}/decrypt_proof.c
  ${CMAKE_CURRENT_LIST_DIR}/data_decrypt_proof.c)
