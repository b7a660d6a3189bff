/* libscrutin.so is made of libscrutin.a's objects (cmake/Install.cmake);
 * CMake wants at least one source file of its own for a library target. */
typedef int sc_empty_translation_unit;
