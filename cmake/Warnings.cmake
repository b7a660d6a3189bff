function(sc_warnings tgt)
  target_compile_options(${tgt} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wcast-qual -Wwrite-strings -Wformat=2 -Wmissing-prototypes
    -Wstrict-prototypes -Wvla -Wimplicit-fallthrough
    # snprintf truncating an error message into a fixed buffer is the
    # intended behaviour; gcc flags it only at -O2 and above.
    $<$<C_COMPILER_ID:GNU>:-Wno-format-truncation>)
  if(SC_WERROR)
    # gcc's -O3 maybe-uninitialized analysis gives false positives that
    # change with inlining; it stays a warning (visible in every build) but
    # does not fail the build. Every other warning does.
    target_compile_options(${tgt} PRIVATE -Werror
      $<$<C_COMPILER_ID:GNU>:-Wno-error=maybe-uninitialized>)
  endif()
endfunction()
