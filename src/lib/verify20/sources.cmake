# The ElectionGuard 2.0.0 verifier of egk records (scrutin/verify20.h):
# the driver, one file per group of steps, the 2.0 hash rows and egk's
# JSON. Code it shares with the 2.1 verifier is src/lib/verify/common.
list(APPEND SC_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/eghash20.c
  ${CMAKE_CURRENT_LIST_DIR}/json20.c
  ${CMAKE_CURRENT_LIST_DIR}/verify20.c
  ${CMAKE_CURRENT_LIST_DIR}/v20_params.c
  ${CMAKE_CURRENT_LIST_DIR}/v20_ballots.c
  ${CMAKE_CURRENT_LIST_DIR}/v20_chain.c
  ${CMAKE_CURRENT_LIST_DIR}/v20_aggregation.c
  ${CMAKE_CURRENT_LIST_DIR}/v20_decrypt.c
  ${CMAKE_CURRENT_LIST_DIR}/v20_contest_data.c
  ${CMAKE_CURRENT_LIST_DIR}/v20_challenged.c)
