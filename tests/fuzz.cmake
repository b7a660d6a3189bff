# Fuzz targets: one per parser. sc_add_fuzz(NAME SOURCES ...) builds
# fuzz_NAME and registers `fuzz_NAME_replay`, which replays the committed
# corpus tests/fuzz/corpus/NAME/ in every ctest run. With clang and
# -DSC_FUZZ=ON the same targets link libFuzzer (make fuzz runs them), and
# the library is built with libFuzzer's coverage instrumentation so the
# fuzzer sees the parsers' branches, not only the harness's.
# Reproducers of known crashes live in tests/fuzz/crashes/NAME/ (not
# replayed: they would fail the build until the bug is fixed).
option(SC_FUZZ "Build fuzz targets with libFuzzer (clang)" OFF)
if(SC_FUZZ)
  # -Wno-unknown-warning-option: cmake/Warnings.cmake passes gcc-only
  # options (-Wno-format-truncation, -Wno-error=maybe-uninitialized) that
  # clang would turn into errors under -Werror.
  target_compile_options(scrutin_core PRIVATE -fsanitize=fuzzer-no-link
                         -Wno-unknown-warning-option)
  # The arithmetic engine is not a parser: without coverage instrumentation
  # and optimised (ASan stays), so that the verifiers' targets run hundreds
  # of inputs per second instead of a few (issue 12 item 11). Its own
  # tests (test_arith*, the KATs) run in the ordinary builds.
  file(GLOB _sc_arith_src ${CMAKE_SOURCE_DIR}/src/lib/arith/*.c)
  # APPEND: src/lib/arith/sources.cmake sets options of its own
  # (ifma_core.c's -Wno-overlength-strings), which a plain set would drop.
  set_property(SOURCE ${_sc_arith_src} TARGET_DIRECTORY scrutin_core
    APPEND PROPERTY COMPILE_OPTIONS -O2 -fno-sanitize=fuzzer-no-link)
endif()
function(sc_add_fuzz name)
  cmake_parse_arguments(F "" "" "SOURCES" ${ARGN})
  if(SC_FUZZ)
    add_executable(fuzz_${name} ${F_SOURCES})
    target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(fuzz_${name} ${F_SOURCES}
                   ${CMAKE_SOURCE_DIR}/tests/fuzz/replay.c)
  endif()
  target_link_libraries(fuzz_${name} PRIVATE scrutin_core)
  target_include_directories(fuzz_${name} PRIVATE ${CMAKE_SOURCE_DIR}/src/lib
                             ${CMAKE_SOURCE_DIR}/tests/fuzz)
  add_test(NAME fuzz_${name}_replay
           COMMAND fuzz_${name} ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${name})
  set_tests_properties(fuzz_${name}_replay PROPERTIES LABELS fuzz)
endfunction()

sc_add_fuzz(decode SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_decode.c)
sc_add_fuzz(manifest SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_manifest.c)
sc_add_fuzz(plain_ballot SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_plain_ballot.c)
sc_add_fuzz(json SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_json.c)
sc_add_fuzz(json_plain SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_json_plain.c)
sc_add_fuzz(enc_ballot SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_enc_ballot.c)
sc_add_fuzz(record SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_record.c)
sc_add_fuzz(guardian_files SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_guardian_files.c)
sc_add_fuzz(secret SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_secret.c)
sc_add_fuzz(verify SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_verify.c)
sc_add_fuzz(json20 SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_json20.c)
sc_add_fuzz(verify20 SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_verify20.c)
# Seeds cut from egk's records (the standard group: about a second each):
# replayed here, kept out of the corpus `make fuzz` mutates so that the
# target runs on toy-q64 records at hundreds of inputs per second.
add_test(NAME fuzz_verify20_egk_replay
         COMMAND fuzz_verify20 ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/verify20_egk)
set_tests_properties(fuzz_verify20_egk_replay PROPERTIES LABELS fuzz)
sc_add_fuzz(tlog_note SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_tlog_note.c)
sc_add_fuzz(tlog_proof SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_tlog_proof.c)
sc_add_fuzz(tlog_add_checkpoint SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_tlog_add_checkpoint.c)
sc_add_fuzz(tlog_entry SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_tlog_entry.c)
sc_add_fuzz(tlog_policy SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_tlog_policy.c)
sc_add_fuzz(logrec SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_logrec.c)
sc_add_fuzz(contest_data SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_contest_data.c)
if(TARGET scrutin_srv)
  sc_add_fuzz(board_req SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_board_req.c)
  target_link_libraries(fuzz_board_req PRIVATE scrutin_srv)
endif()
sc_add_fuzz(signer_index SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_signer_index.c)
sc_add_fuzz(results SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_results.c)
# `scrutin results` (src/cli/results.c): the tally reader and the printers
sc_add_fuzz(cli_results SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_cli_results.c
            ${CMAKE_SOURCE_DIR}/src/cli/results.c)
target_include_directories(fuzz_cli_results PRIVATE ${CMAKE_SOURCE_DIR}/src/cli)
# `scrutin merge` (sc_record_merge): devices' copies merged into a record
sc_add_fuzz(merge SOURCES ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_merge.c)
