# scrutin-bench: fixed workload, one run, prints figures (make bench).
# It reaches the internal Montgomery layer (src/lib/arith/mont.h) to time a
# single modular product, hence the private include path.
add_executable(scrutin-bench ${CMAKE_SOURCE_DIR}/bench/bench.c)
target_include_directories(scrutin-bench PRIVATE ${CMAKE_SOURCE_DIR}/src/lib)
target_link_libraries(scrutin-bench PRIVATE scrutin_core)
sc_warnings(scrutin-bench)
