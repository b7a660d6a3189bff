# The ElectionGuard 2.1 verifier (scrutin/verify.h): the driver, the
# record reader, and one file per verification step of spec §6.2; and
# common/, the code it shares with the 2.0 verifier (src/lib/verify20):
# proof commitments, membership batches, products, files, worker pool.
list(APPEND SC_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/common/commit.c
  ${CMAKE_CURRENT_LIST_DIR}/common/batch.c
  ${CMAKE_CURRENT_LIST_DIR}/common/files.c
  ${CMAKE_CURRENT_LIST_DIR}/common/pool.c
  ${CMAKE_CURRENT_LIST_DIR}/common/prods.c
  ${CMAKE_CURRENT_LIST_DIR}/common/tables.c
  ${CMAKE_CURRENT_LIST_DIR}/common/vpow.c)
list(APPEND SC_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/verify.c
  ${CMAKE_CURRENT_LIST_DIR}/reader.c
  ${CMAKE_CURRENT_LIST_DIR}/ballots.c
  ${CMAKE_CURRENT_LIST_DIR}/v01_params.c
  ${CMAKE_CURRENT_LIST_DIR}/v02_guardians.c
  ${CMAKE_CURRENT_LIST_DIR}/v03_joint_key.c
  ${CMAKE_CURRENT_LIST_DIR}/v04_extended_hash.c
  ${CMAKE_CURRENT_LIST_DIR}/v06_selections.c
  ${CMAKE_CURRENT_LIST_DIR}/v07_limits.c
  ${CMAKE_CURRENT_LIST_DIR}/v07_supplemental.c
  ${CMAKE_CURRENT_LIST_DIR}/v08_codes.c
  ${CMAKE_CURRENT_LIST_DIR}/v09_aggregation.c
  ${CMAKE_CURRENT_LIST_DIR}/v10_tally.c
  ${CMAKE_CURRENT_LIST_DIR}/v11_tally_contents.c
  ${CMAKE_CURRENT_LIST_DIR}/v12_write_ins.c
  ${CMAKE_CURRENT_LIST_DIR}/v13_challenged.c
  ${CMAKE_CURRENT_LIST_DIR}/s02_ballot_nonce.c
  ${CMAKE_CURRENT_LIST_DIR}/s05_contest_data.c
  ${CMAKE_CURRENT_LIST_DIR}/s07_results.c)
# The ballot check at the board's door (scrutin/verify.h sc_door_*).
list(APPEND SC_LIB_SOURCES ${CMAKE_CURRENT_LIST_DIR}/door.c
  ${CMAKE_CURRENT_LIST_DIR}/door_election.c)
# The board's log in an exported record: the projection (scrutin/logrec.h)
# and the verifier's L1-L4.
list(APPEND SC_LIB_SOURCES ${CMAKE_CURRENT_LIST_DIR}/logrec.c
  ${CMAKE_CURRENT_LIST_DIR}/l01_log.c)
