# Scrutin: the two commands a fresh Debian 12 machine needs.
#   make check   builds everything and runs every test (normal + ASan/UBSan)
#   make demo    runs a whole demo election on built-in defaults
#   make bench   builds the release tree and runs the benchmark
#   make install installs the tool, libscrutin, headers, scrutin.pc and the
#                man pages under PREFIX (default /usr/local; DESTDIR too)
#   make deb     builds the Debian packages into build/deb/
.POSIX:
.PHONY: all deps check check-release check-asan check-format demo bench fuzz clean
.PHONY: install deb

DEB_PKGS = build-essential cmake ninja-build pkg-config libgmp-dev \
           libsodium-dev libjansson-dev libcmocka-dev mandoc man-db \
           libmicrohttpd-dev libsqlite3-dev libcurl4-openssl-dev libqrencode-dev \
           strace
# the web page tests: command:package, installed when the command is missing
# (a nodejs from elsewhere may bring its own npm)
DEB_CMDS = node:nodejs npm:npm chromium:chromium
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_GEN = $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

all: build/release/CMakeCache.txt
	cmake --build build/release -j $(JOBS)

# Install what is missing (as root), nothing if all is there.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	for c in $(DEB_CMDS); do \
	  command -v $${c%%:*} >/dev/null 2>&1 || missing="$$missing $${c##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "need root to apt-get install:$$missing" >&2; exit 1; fi; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@# the web page tests' npm packages, as tests/web/package-lock.json says
	@cmp -s tests/web/package-lock.json tests/web/node_modules/.scrutin-lock 2>/dev/null || \
	  { (cd tests/web && npm ci --no-audit --no-fund --loglevel=error) && \
	    cp tests/web/package-lock.json tests/web/node_modules/.scrutin-lock; }

build/release/CMakeCache.txt: | deps
	cmake -S . -B build/release $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release

build/asan/CMakeCache.txt: | deps
	CC=$${ASAN_CC:-gcc} cmake -S . -B build/asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DSC_SANITIZE=ON

check-release: deps build/release/CMakeCache.txt
	cmake --build build/release -j $(JOBS)
	cd build/release && ctest --output-on-failure -j $(JOBS)

check-asan: deps build/asan/CMakeCache.txt
	cmake --build build/asan -j $(JOBS)
	cd build/asan && ctest --output-on-failure -j $(JOBS) -LE slow

# Every C file as .clang-format says (clang-format 14 ships with the base
# image; skipped with a note where it is missing).
check-format:
	@if command -v clang-format >/dev/null 2>&1; then \
	  bad=""; for f in $$(git ls-files '*.c' '*.h' 2>/dev/null); do \
	    clang-format --dry-run -Werror "$$f" >/dev/null 2>&1 || bad="$$bad $$f"; \
	  done; \
	  if [ -n "$$bad" ]; then echo "not clang-formatted:$$bad" >&2; exit 1; fi; \
	  echo "clang-format: every file formatted"; \
	else echo "clang-format not installed: format check skipped"; fi

check: check-format check-release check-asan

demo: deps build/release/CMakeCache.txt
	cmake --build build/release -j $(JOBS)
	./build/release/scrutin demo

PREFIX ?= /usr/local
install: build/release/CMakeCache.txt
	cmake --build build/release -j $(JOBS)
	DESTDIR="$(DESTDIR)" cmake --install build/release --prefix "$(PREFIX)"

# scrutin, libscrutinN and libscrutin-dev .deb files (cmake/Package.cmake)
deb: build/release/CMakeCache.txt
	cmake --build build/release -j $(JOBS)
	cd build/release && cpack -G DEB -B ../deb
	@ls build/deb/*.deb

bench: deps build/release/CMakeCache.txt
	cmake --build build/release -j $(JOBS)
	./build/release/scrutin-bench
	sh bench/board_bench.sh build/release

# Time-boxed coverage-guided fuzzing of every parser (clang + libFuzzer).
FUZZ_SECONDS ?= 60
fuzz: deps
	CC=clang cmake -S . -B build/fuzz $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug \
	    -DSC_SANITIZE=ON -DSC_FUZZ=ON
	cmake --build build/fuzz -j $(JOBS)
	for f in build/fuzz/fuzz_*; do \
	  n=$${f##*/fuzz_}; mkdir -p build/fuzz/corpus/$$n; \
	  $$f -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus/$$n \
	      tests/fuzz/corpus/$$n || exit 1; \
	done

clean:
	rm -rf build
