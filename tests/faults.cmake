# Faults (issue 12): crashes and full disks injected with strace into
# `scrutin encrypt`; the record holds the whole run or none of it.
find_program(STRACE strace)
if(STRACE)
  add_test(NAME faults_encrypt_crash
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/faults/encrypt_crash.sh
                   $<TARGET_FILE:scrutin> ${CMAKE_SOURCE_DIR}/examples)
  set_tests_properties(faults_encrypt_crash PROPERTIES LABELS "cli;faults"
                       TIMEOUT 300)
endif()
add_test(NAME faults_merge
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/faults/merge.sh
                 $<TARGET_FILE:scrutin> ${CMAKE_SOURCE_DIR}/examples)
set_tests_properties(faults_merge PROPERTIES LABELS "cli;faults" TIMEOUT 600)
