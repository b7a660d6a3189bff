list(APPEND SC_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/manifest.c
  ${CMAKE_CURRENT_LIST_DIR}/contest_data_enc.c
  ${CMAKE_CURRENT_LIST_DIR}/supplemental.c
  ${CMAKE_CURRENT_LIST_DIR}/plain_ballot.c
  ${CMAKE_CURRENT_LIST_DIR}/encrypt_ballot.c
  ${CMAKE_CURRENT_LIST_DIR}/encrypt_batch.c
  ${CMAKE_CURRENT_LIST_DIR}/enc_time.c
  ${CMAKE_CURRENT_LIST_DIR}/tally.c)
