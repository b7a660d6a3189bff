#!/bin/sh
# Install into a temporary prefix and use it as a developer would:
# the file list (program, libscrutin.so.N with its SONAME, libscrutin.a,
# every public header, scrutin.pc, every man page), pkg-config, the example
# examples/verify_record.c built with `pkg-config --cflags --libs scrutin`
# (shared) and against libscrutin.a (static), run on a toy record made by
# `scrutin demo`: valid, then with a tally count changed (invalid); the
# installed scrutin's `board serve` without --web serves the installed
# pages (share/scrutin/web).
# usage: install.sh CMAKE BUILD_DIR SOURCE_DIR CC LIBDIR VERSION SOVERSION
#                   LIBVERSION
# (VERSION: the package's, in scrutin.pc; LIBVERSION: libscrutin.so's
# N.M.P, N = SOVERSION)
set -u
CMAKE=$1 B=$2 S=$3 CC=$4 LIBDIR=$5 VERSION=$6 SOV=$7 LIBV=$8
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-install.XXXXXX")
trap 'rm -rf "$T"' EXIT
P=$T/prefix
L=$P/$LIBDIR
pass=0 fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

if "$CMAKE" --install "$B" --prefix "$P" >"$T/install.log" 2>&1; then
    ok "cmake --install --prefix"
else bad "cmake --install"; cat "$T/install.log"; finish; fi

# the expected file list, from the source tree
{
    echo "bin/scrutin"
    for f in "$LIBDIR/libscrutin.so.$LIBV" "$LIBDIR/libscrutin.so.$SOV" \
        "$LIBDIR/libscrutin.so" "$LIBDIR/libscrutin.a" \
        "$LIBDIR/pkgconfig/scrutin.pc"; do echo "$f"; done
    for h in "$S"/include/scrutin/*.h; do echo "include/scrutin/${h##*/}"; done
    for m in "$S"/man/*.1; do [ -e "$m" ] && echo "share/man/man1/${m##*/}.gz"; done
    (cd "$S/web" && find . -type f) | sed 's|^\./|share/scrutin/web/|'
} | sort >"$T/want"
(cd "$P" && find . -type f -o -type l) | sed 's|^\./||' | sort >"$T/got"
if cmp -s "$T/want" "$T/got"; then ok "installed files ($(wc -l <"$T/got"))"
else bad "installed files differ (< expected, > installed):"
    diff "$T/want" "$T/got"; fi

soname=$(readelf -d "$L/libscrutin.so.$LIBV" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = "libscrutin.so.$SOV" ] && ok "SONAME $soname" ||
    bad "SONAME '$soname', wanted libscrutin.so.$SOV"
for lib in libssl libcrypto libcmocka; do
    if readelf -d "$L/libscrutin.so.$LIBV" "$P/bin/scrutin" |
        grep NEEDED | grep -q "$lib"; then bad "links $lib"
    else ok "does not link $lib"; fi
done

PKG_CONFIG_PATH=$L/pkgconfig
export PKG_CONFIG_PATH
v=$(pkg-config --modversion scrutin)
[ "$v" = "$VERSION" ] && ok "pkg-config --modversion: $v" ||
    bad "pkg-config --modversion: '$v'"
flags=$(pkg-config --cflags --libs scrutin) || { bad "pkg-config"; finish; }
case "$flags" in *"-I$P/include"*) ok "cflags: $flags" ;;
    *) bad "pkg-config flags lack -I$P/include: $flags" ;; esac
# shellcheck disable=SC2086
if "$CC" -std=c11 -Wall -Wextra -Werror -o "$T/verify_record" \
    "$S/examples/verify_record.c" $flags 2>"$T/cc.log"; then
    ok "example built with pkg-config --cflags --libs scrutin"
else bad "example does not build:"; cat "$T/cc.log"; finish; fi
readelf -d "$T/verify_record" | grep -q "NEEDED.*libscrutin.so.$SOV" &&
    ok "example needs libscrutin.so.$SOV" || bad "example not linked to libscrutin.so.$SOV"
static_libs=$(pkg-config --static --libs scrutin | sed 's/-lscrutin//')
# shellcheck disable=SC2086
if "$CC" -std=c11 -o "$T/verify_record_static" "$S/examples/verify_record.c" \
    $(pkg-config --cflags scrutin) "$L/libscrutin.a" $static_libs \
    2>"$T/cc.log"; then ok "example built against libscrutin.a"
else bad "static example does not build:"; cat "$T/cc.log"; fi

"$B/scrutin" demo --group toy-q64 --ballots 8 --seed 5 --out "$T/rec" -q \
    >"$T/demo.log" 2>&1 || { bad "scrutin demo"; cat "$T/demo.log"; finish; }
LD_LIBRARY_PATH=$L "$T/verify_record" --allow-test-parameters "$T/rec" \
    >"$T/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -qi "verdict: valid" "$T/out" && ok "example: record valid" ||
    { bad "example on the demo record: exit $rc"; cat "$T/out"; }
"$T/verify_record_static" --allow-test-parameters "$T/rec" >"$T/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok "static example: record valid" ||
    { bad "static example: exit $rc"; cat "$T/out"; }
LD_LIBRARY_PATH=$L "$T/verify_record" "$T/rec" >"$T/out" 2>&1
rc=$?
[ "$rc" -ne 0 ] && ok "example: toy group refused without the flag (exit $rc)" ||
    bad "example accepted the toy group without --allow-test-parameters"
sed 's/"value":\([0-9]\)/"value":1\1/' "$T/rec/tally.json" >"$T/tally" &&
    mv "$T/tally" "$T/rec/tally.json"
LD_LIBRARY_PATH=$L "$T/verify_record" --allow-test-parameters "$T/rec" \
    >"$T/out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && ok "example: changed tally is invalid" ||
    { bad "example on a changed tally: exit $rc, wanted 1"; cat "$T/out"; }

# board serve from the installed tree, without --web: the installed pages
# (the source tree's web/ moved away from every path it could use)
if "$P/bin/scrutin" board serve --help >/dev/null 2>&1; then
    echo 'install test passphrase' >"$T/pass" && chmod 600 "$T/pass"
    "$B/scrutin" ceremony --guardians 1 --quorum 1 --out "$T/brec" \
        --secrets "$T/bsec" --manifest "$S/examples/manifest.json" \
        --group toy-q64 --passphrase-file "$T/pass" --kdf interactive \
        >"$T/board.log" 2>&1 &&
        "$P/bin/scrutin" board init --record "$T/brec" --state "$T/st" \
            --passphrase-file "$T/pass" --kdf interactive >>"$T/board.log" 2>&1 ||
        { bad "board init"; cat "$T/board.log"; finish; }
    "$P/bin/scrutin" board serve --state "$T/st" --listen 127.0.0.1:0 \
        --port-file "$T/port" --passphrase-file "$T/pass" --workers 1 \
        2>"$T/serve.log" &
    spid=$!
    # the port file is written once the server listens
    while [ ! -s "$T/port" ] && kill -0 "$spid" 2>/dev/null; do sleep 0.05; done
    if [ -s "$T/port" ]; then
        url=http://127.0.0.1:$(cat "$T/port")
        curl -s -o "$T/index.html" "$url/" &&
            curl -s -o "$T/app.js" "$url/web/js/app.js"
        cmp -s "$T/index.html" "$S/web/index.html" &&
            cmp -s "$T/app.js" "$S/web/js/app.js" &&
            ok "board serve without --web serves share/scrutin/web" ||
            bad "board serve without --web: / or /web/js/app.js is not the installed page"
    else bad "board serve from the install did not start"; cat "$T/serve.log"; fi
    kill "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
else bad "the installed scrutin has no board serve"; fi
finish
