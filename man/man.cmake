# Man pages: man/scrutin.1 and one man/scrutin-<command>.1 per command,
# written in mdoc (mdoc(7)); a new command's page is one new file here (the
# glob picks it up). The test man_pages (tests/pkg/man.sh) lints every page
# and fails for a command of `scrutin --help` that has no page, or whose
# page and --help list different options. Installed gzip'ed (-9n: no time
# stamp, so the .deb is reproducible).
file(GLOB SC_MAN_PAGES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.1)
set(_sc_man_gz "")
foreach(_page IN LISTS SC_MAN_PAGES)
  get_filename_component(_name ${_page} NAME)
  set(_gz ${CMAKE_BINARY_DIR}/man/${_name}.gz)
  add_custom_command(OUTPUT ${_gz}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND gzip -9n -c ${_page} > ${_gz}
    DEPENDS ${_page} VERBATIM)
  list(APPEND _sc_man_gz ${_gz})
endforeach()
add_custom_target(sc_man ALL DEPENDS ${_sc_man_gz})
install(FILES ${_sc_man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT bin)
