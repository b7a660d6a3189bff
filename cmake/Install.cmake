# Installing Scrutin as a C library and a Debian tool.
#
#   bin/scrutin                               the tool (libscrutin linked in
#                                             statically: no run-time
#                                             dependency on libscrutin.so)
#   lib/<multiarch>/libscrutin.so.N.M.P       shared library, SONAME
#                                             libscrutin.so.N; exports only
#                                             the SC_API declarations
#   lib/<multiarch>/libscrutin.so, .a         link-time files
#   lib/<multiarch>/pkgconfig/scrutin.pc      pkg-config (relocatable)
#   include/scrutin/*.h                       the public API
#   share/man/man1/scrutin*.1.gz              man/*.1 (mdoc)
#   share/scrutin/web/                        the board's web pages (web/;
#                                             `board serve` serves them
#                                             when --web is not given)
#
# Components (one Debian package each, cmake/Package.cmake): bin (scrutin),
# lib (libscrutinN), dev (libscrutin-dev).
include(GNUInstallDirs)
# The Debian layout (lib/x86_64-linux-gnu) under every prefix, not only
# /usr: /usr/local/lib/<multiarch> is in Debian's loader and pkg-config
# search paths too.
if(CMAKE_LIBRARY_ARCHITECTURE AND CMAKE_INSTALL_LIBDIR STREQUAL "lib")
  set(CMAKE_INSTALL_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}" CACHE PATH
      "object code libraries (lib/<multiarch>)" FORCE)
  set(CMAKE_INSTALL_FULL_LIBDIR
      "${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}")
endif()

# The library's ABI (README.md "ABI policy"): libscrutin.so.N.M.P with
# SONAME libscrutin.so.N. N (SC_SOVERSION) is raised, and M and P reset,
# at the first incompatible change to a public declaration after a
# release: a function removed or its arguments changed, a public struct's
# fields or size changed, an enum value renumbered. M is raised for
# compatible additions, P for fixes. The Debian package carries N in its
# name (libscrutinN, cmake/Package.cmake). N = 1: sc_decrypt_job,
# sc_enc_ballot and sc_device changed after 0.1.0 (libscrutin.so.0).
set(SC_SOVERSION 1)
set(SC_LIB_VERSION ${SC_SOVERSION}.0.0)

# One compilation for both libraries: scrutin_core's objects are position
# independent and hidden by default (scrutin/api.h); libscrutin.so takes
# the whole archive and exports what SC_API marks.
set_target_properties(scrutin_core PROPERTIES
  OUTPUT_NAME scrutin POSITION_INDEPENDENT_CODE ON
  C_VISIBILITY_PRESET hidden)
add_library(scrutin_shared SHARED ${CMAKE_SOURCE_DIR}/cmake/empty.c)
target_link_libraries(scrutin_shared
  PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,scrutin_core>"
  PUBLIC PkgConfig::GMP PkgConfig::SODIUM PkgConfig::JANSSON
         Threads::Threads m)
target_include_directories(scrutin_shared PUBLIC
  $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
set_target_properties(scrutin_shared PROPERTIES
  OUTPUT_NAME scrutin VERSION ${SC_LIB_VERSION} SOVERSION ${SC_SOVERSION}
  C_VISIBILITY_PRESET hidden)
if(NOT SC_SANITIZE AND NOT SC_FUZZ)
  # every symbol the library needs comes from its declared dependencies
  target_link_options(scrutin_shared PRIVATE LINKER:--no-undefined)
endif()

install(TARGETS scrutin RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        COMPONENT bin)
install(TARGETS scrutin_shared
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib
                NAMELINK_COMPONENT dev)
install(TARGETS scrutin_core ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        COMPONENT dev)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/scrutin/web COMPONENT bin)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/scrutin
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.h")

# scrutin.pc: the prefix is written at install time, so that it is right
# under any prefix (cmake --install --prefix, make install PREFIX=, the
# .deb's /usr); one temporary copy per DESTDIR + prefix, so that two
# installs at once (the tests) do not share it.
set(SC_PC_PREFIX "@SC_PC_PREFIX@")
configure_file(${CMAKE_SOURCE_DIR}/cmake/scrutin.pc.in
               ${CMAKE_BINARY_DIR}/pc/scrutin.pc.in @ONLY)
install(CODE "
  string(MD5 _sc_pc_id \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}\")
  set(_sc_pc \"${CMAKE_BINARY_DIR}/pc/\${_sc_pc_id}/scrutin.pc\")
  file(READ \"${CMAKE_BINARY_DIR}/pc/scrutin.pc.in\" _sc_pc_text)
  string(REPLACE \"@SC_PC_PREFIX@\" \"\${CMAKE_INSTALL_PREFIX}\"
         _sc_pc_text \"\${_sc_pc_text}\")
  file(WRITE \"\${_sc_pc}\" \"\${_sc_pc_text}\")
  file(INSTALL DESTINATION
       \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\"
       TYPE FILE FILES \"\${_sc_pc}\")
  file(REMOVE_RECURSE \"${CMAKE_BINARY_DIR}/pc/\${_sc_pc_id}\")
" COMPONENT dev)

include(${CMAKE_SOURCE_DIR}/man/man.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/Package.cmake)
