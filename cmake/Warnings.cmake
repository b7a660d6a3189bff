function(sc_warnings tgt)
  target_compile_options(${tgt} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wcast-qual -Wwrite-strings -Wformat=2 -Wmissing-prototypes
    -Wstrict-prototypes -Wvla -Wimplicit-fallthrough)
  if(SC_WERROR)
    target_compile_options(${tgt} PRIVATE -Werror)
  endif()
endfunction()
