# The ElectionGuard 2.1 verifier (scrutin/verify.h): the driver, the
# record reader, and one file per verification step of spec §6.2.
list(APPEND SC_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/verify.c
  ${CMAKE_CURRENT_LIST_DIR}/reader.c
  ${CMAKE_CURRENT_LIST_DIR}/vpow.c
  ${CMAKE_CURRENT_LIST_DIR}/ballots.c
  ${CMAKE_CURRENT_LIST_DIR}/v01_params.c
  ${CMAKE_CURRENT_LIST_DIR}/v02_guardians.c
  ${CMAKE_CURRENT_LIST_DIR}/v03_joint_key.c
  ${CMAKE_CURRENT_LIST_DIR}/v04_extended_hash.c
  ${CMAKE_CURRENT_LIST_DIR}/v06_selections.c
  ${CMAKE_CURRENT_LIST_DIR}/v07_limits.c
  ${CMAKE_CURRENT_LIST_DIR}/v08_codes.c
  ${CMAKE_CURRENT_LIST_DIR}/v09_aggregation.c
  ${CMAKE_CURRENT_LIST_DIR}/v10_tally.c
  ${CMAKE_CURRENT_LIST_DIR}/v11_tally_contents.c
  ${CMAKE_CURRENT_LIST_DIR}/v13_challenged.c
  ${CMAKE_CURRENT_LIST_DIR}/s02_ballot_nonce.c)
