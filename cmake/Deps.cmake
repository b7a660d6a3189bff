# sc_require_pkg(PREFIX MODULE DEBIAN_PACKAGE): find MODULE through
# pkg-config as the imported target PkgConfig::PREFIX, or stop with one
# message that names the Debian package to install.
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "scrutin: pkg-config not found; install it "
                      "(apt-get install pkg-config, or: make deps)")
endif()
macro(sc_require_pkg prefix module debpkg)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR "scrutin: library '${module}' not found by "
                        "pkg-config; install ${debpkg} "
                        "(apt-get install ${debpkg}, or: make deps)")
  endif()
  message(STATUS "${module} ${${prefix}_VERSION}")
endmacro()
