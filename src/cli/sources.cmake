# The scrutin tool: main.c plus every src/cli/*.c (one file per subcommand
# and the shared CLI helpers).
file(GLOB SC_CLI_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/cli/*.c)
add_executable(scrutin ${SC_CLI_SOURCES})
target_link_libraries(scrutin PRIVATE scrutin_core)
sc_warnings(scrutin)
if(TARGET scrutin_srv)
  target_link_libraries(scrutin PRIVATE scrutin_srv)
endif()
target_link_libraries(scrutin PRIVATE PkgConfig::QRENCODE)
target_compile_definitions(scrutin PRIVATE SC_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
# board serve's default --web: the pages cmake/Install.cmake installs,
# looked for beside the running scrutin (relocatable), then under the
# configured prefix (on the files, for scrutin_testhooks too)
include(GNUInstallDirs)
set_source_files_properties(
  ${CMAKE_SOURCE_DIR}/src/cli/cmd_board.c
  ${CMAKE_SOURCE_DIR}/src/cli/board_help.c
  PROPERTIES COMPILE_DEFINITIONS
  "SC_WEB_REL=\"${CMAKE_INSTALL_DATADIR}/scrutin/web\";SC_WEB_DIR=\"${CMAKE_INSTALL_FULL_DATADIR}/scrutin/web\"")
# the version --version prints: the project's (CMakeLists.txt)
set_source_files_properties(${CMAKE_SOURCE_DIR}/src/cli/main.c PROPERTIES
  COMPILE_DEFINITIONS "SC_VERSION=\"${PROJECT_VERSION}\"")
