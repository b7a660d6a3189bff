list(APPEND SC_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/scalar_ct.c
  ${CMAKE_CURRENT_LIST_DIR}/schnorr.c
  ${CMAKE_CURRENT_LIST_DIR}/elgamal.c
  ${CMAKE_CURRENT_LIST_DIR}/share_enc.c
  ${CMAKE_CURRENT_LIST_DIR}/ballot_nonce.c
  ${CMAKE_CURRENT_LIST_DIR}/contest_data.c)
