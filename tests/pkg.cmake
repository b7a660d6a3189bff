# Packaging (tests/pkg/): the public headers alone, the exported symbols,
# install + pkg-config + the example program, the man pages, the .deb.
add_test(NAME pkg_headers
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/pkg/headers.sh
                 ${CMAKE_C_COMPILER} ${CMAKE_SOURCE_DIR}/include)
set_tests_properties(pkg_headers PROPERTIES LABELS pkg)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  # gcc -aux-info lists the declarations
  add_test(NAME pkg_exports
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/pkg/exports.sh
                   ${CMAKE_C_COMPILER} ${CMAKE_SOURCE_DIR}/include
                   $<TARGET_FILE:scrutin_shared>
                   $<TARGET_FILE:scrutin_core>)
  set_tests_properties(pkg_exports PROPERTIES LABELS pkg)
endif()
if(NOT SC_SANITIZE AND NOT SC_FUZZ)
  # the example is built without the sanitizers' run time
  add_test(NAME pkg_install
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/pkg/install.sh
                   ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}
                   ${CMAKE_C_COMPILER} ${CMAKE_INSTALL_LIBDIR}
                   ${PROJECT_VERSION} ${SC_SOVERSION} ${SC_LIB_VERSION})
  set_tests_properties(pkg_install PROPERTIES LABELS pkg TIMEOUT 300)
endif()
add_test(NAME pkg_man
         COMMAND sh ${CMAKE_SOURCE_DIR}/tests/pkg/man.sh $<TARGET_FILE:scrutin>
                 ${CMAKE_SOURCE_DIR}/man)
set_tests_properties(pkg_man PROPERTIES LABELS pkg)
if(NOT SC_SANITIZE AND NOT SC_FUZZ)
  add_test(NAME pkg_deb
           COMMAND sh ${CMAKE_SOURCE_DIR}/tests/pkg/deb.sh ${CMAKE_CPACK_COMMAND}
                   ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}
                   ${CMAKE_INSTALL_LIBDIR} ${PROJECT_VERSION} ${SC_SOVERSION}
                   ${CMAKE_C_COMPILER} ${SC_LIB_VERSION})
  set_tests_properties(pkg_deb PROPERTIES LABELS pkg TIMEOUT 600)
endif()
# docs/RUNBOOK.md: every command and option it shows exists (--help).
add_test(NAME pkg_runbook
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/pkg/runbook.sh
                 $<TARGET_FILE:scrutin> ${CMAKE_SOURCE_DIR}/docs/RUNBOOK.md)
set_tests_properties(pkg_runbook PROPERTIES LABELS "pkg;docs" TIMEOUT 120)
