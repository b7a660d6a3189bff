function(sc_warnings tgt)
  target_compile_options(${tgt} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wcast-qual -Wwrite-strings -Wformat=2 -Wmissing-prototypes
    -Wstrict-prototypes -Wvla -Wimplicit-fallthrough
    # snprintf truncating an error message into a fixed buffer is the
    # intended behaviour; gcc flags it only at -O2 and above.
    $<$<C_COMPILER_ID:GNU>:-Wno-format-truncation>)
  if(SC_WERROR)
    target_compile_options(${tgt} PRIVATE -Werror)
  endif()
endfunction()
