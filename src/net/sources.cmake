# src/net: the HTTP server wrapper (libmicrohttpd) and client (libcurl).
list(APPEND SC_SRV_SOURCES
  ${CMAKE_SOURCE_DIR}/src/net/httpd.c)
list(APPEND SC_SRV_SOURCES ${CMAKE_SOURCE_DIR}/src/net/httpc.c
  ${CMAKE_SOURCE_DIR}/src/net/payload.c)
