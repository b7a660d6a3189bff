/* Scrutin: which declarations make up libscrutin's public API.
 *
 * The library is compiled with -fvisibility=hidden: a function is exported
 * from libscrutin.so only when its declaration in include/scrutin/ starts
 * with SC_API, e.g.
 *
 *     SC_API SC_MUST_USE sc_status sc_init(void);
 *
 * Rule for every header in include/scrutin/ (present and future): include
 * "scrutin/api.h" and put SC_API first on each function declaration.
 * Internal functions (declared under src/) never carry it. The test
 * `api_exports` fails, naming the header and line, when a function declared
 * here is not exported or when the library exports a symbol no public
 * header declares; `api_headers` compiles each public header on its own. */
#ifndef SCRUTIN_API_H
#define SCRUTIN_API_H

#if defined(__GNUC__) && __GNUC__ >= 4
#define SC_API __attribute__((visibility("default")))
#else
#define SC_API
#endif

#endif
