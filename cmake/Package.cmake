# `make deb`: three Debian packages by CPack from the install components
# (cmake/Install.cmake), named and laid out as Debian does for a library:
#   scrutin          the tool and its man pages (stands alone: libscrutin
#                    is linked in statically)
#   libscrutinN      libscrutin.so.N
#   libscrutin-dev   headers, libscrutin.so, libscrutin.a, scrutin.pc
# The run-time Depends are computed by dpkg-shlibdeps from the binaries;
# libscrutin-dev depends on the -dev packages its headers and scrutin.pc
# need. tests/pkg/deb.sh checks names, contents and Depends.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME scrutin)
set(CPACK_PACKAGE_VENDOR "Scrutin")
set(CPACK_PACKAGE_CONTACT "Scrutin developers <scrutin@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "end-to-end verifiable elections (ElectionGuard 2.1)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL bin lib dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(_sc_debver "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

set(CPACK_DEBIAN_BIN_PACKAGE_NAME scrutin)
set(CPACK_DEBIAN_BIN_PACKAGE_SECTION misc)
set(CPACK_COMPONENT_BIN_DESCRIPTION
    "end-to-end verifiable elections (ElectionGuard 2.1)
 The scrutin tool runs every part of an ElectionGuard 2.1 election:
 manifest, key ceremony, ballot encryption, homomorphic tally, joint
 decryption, and the independent verifier of election records.")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME libscrutin${SC_SOVERSION})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_COMPONENT_LIB_DESCRIPTION
    "ElectionGuard 2.1 library (shared library)
 libscrutin encrypts ballots, tallies, decrypts and verifies
 ElectionGuard 2.1 election records.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libscrutin-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libscrutin${SC_SOVERSION} (= ${_sc_debver}), libgmp-dev, libsodium-dev, libjansson-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "ElectionGuard 2.1 library (development files)
 Headers, pkg-config file (scrutin.pc) and static library of
 libscrutin.")
include(CPack)
