#!/bin/sh
# `make deb`'s packages, built by cpack into a temporary directory:
# scrutin, libscrutinN and libscrutin-dev with the expected file lists
# (dpkg-deb --contents, from the source tree's headers and man pages);
# Depends that match what the files need (each shared library a binary
# links, by the package that owns it; each pkg-config module scrutin.pc
# requires, by its -dev package); then all three unpacked into a throwaway
# root: the tool runs, the man pages render without warnings, and the
# example builds with pkg-config against the unpacked files and verifies a
# demo record.
# usage: deb.sh CPACK BUILD_DIR SOURCE_DIR LIBDIR VERSION SOVERSION CC
#               LIBVERSION
set -u
CPACK=$1 B=$2 S=$3 LIBDIR=$4 VERSION=$5 SOV=$6 CC=$7 LIBV=$8
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-deb.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
for tool in dpkg-deb dpkg-shlibdeps dpkg-query readelf; do
    command -v "$tool" >/dev/null 2>&1 ||
        { bad "$tool missing (dpkg-dev, binutils: make deps)"; finish; }
done
ARCH=$(dpkg --print-architecture)
DV=$VERSION-1
(cd "$B" && "$CPACK" -G DEB -B "$T/out") >"$T/cpack.log" 2>&1 ||
    { bad "cpack -G DEB"; cat "$T/cpack.log"; finish; }
BIN=$T/out/scrutin_${DV}_$ARCH.deb
LIB=$T/out/libscrutin${SOV}_${DV}_$ARCH.deb
DEV=$T/out/libscrutin-dev_${DV}_$ARCH.deb
for d in "$BIN" "$LIB" "$DEV"; do
    [ -f "$d" ] && ok "built ${d##*/}" || { bad "no ${d##*/}"; ls "$T/out"; finish; }
done

# contents: files and links, without directories
contents() { dpkg-deb -c "$1" | awk '{print $6}' | grep -v '/$' | sort; }
check_contents() { # DEB EXPECTED-FILE
    contents "$1" >"$T/got"
    sort "$2" >"$T/want"
    if cmp -s "$T/want" "$T/got"; then ok "${1##*/}: $(wc -l <"$T/got") files"
    else bad "${1##*/} contents (< expected, > packaged):"
        diff "$T/want" "$T/got"; fi
}
L=./usr/$LIBDIR
{ echo ./usr/bin/scrutin
  for m in "$S"/man/*.1; do echo "./usr/share/man/man1/${m##*/}.gz"; done
  (cd "$S/web" && find . -type f) | sed 's|^\./|./usr/share/scrutin/web/|'
} >"$T/bin.want"
check_contents "$BIN" "$T/bin.want"
printf '%s\n' "$L/libscrutin.so.$SOV" "$L/libscrutin.so.$LIBV" >"$T/lib.want"
check_contents "$LIB" "$T/lib.want"
{ printf '%s\n' "$L/libscrutin.so" "$L/libscrutin.a" "$L/pkgconfig/scrutin.pc"
  for h in "$S"/include/scrutin/*.h; do echo "./usr/include/scrutin/${h##*/}"; done
} >"$T/dev.want"
check_contents "$DEV" "$T/dev.want"

# Depends: package names only, one a line
depends() {
    dpkg-deb -f "$1" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' |
        grep -v '^$' | sort -u
}
# the packages owning the shared libraries that FILE links
needed_packages() {
    readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
        while read -r so; do
            path=$(ldconfig -p | awk -v so="$so" '$1 == so {print $NF; exit}')
            [ -n "$path" ] || { echo "UNKNOWN:$so"; continue; }
            real=$(readlink -f "$path")
            dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null ||
                echo "UNOWNED:$so"
        done | sed 's/:.*//' | sort -u
}
dpkg-deb -x "$BIN" "$T/root"
dpkg-deb -x "$LIB" "$T/root"
dpkg-deb -x "$DEV" "$T/root"
R=$T/root
# check_depends DEB WHAT: DEB's Depends are the packages in $T/need
check_depends() {
    depends "$1" >"$T/dep"
    if cmp -s "$T/need" "$T/dep"; then
        ok "${1##*/} Depends: $(tr '\n' ' ' <"$T/dep")"
    else bad "${1##*/} Depends (< needed by $2, > declared):"
        diff "$T/need" "$T/dep"; fi
}
needed_packages "$R/usr/bin/scrutin" >"$T/need"
check_depends "$BIN" "the binary"
needed_packages "$R/usr/$LIBDIR/libscrutin.so.$LIBV" >"$T/need"
check_depends "$LIB" "the library"
for p in libssl3 libcmocka0; do
    if depends "$BIN" | grep -qx "$p" || depends "$LIB" | grep -qx "$p"; then
        bad "depends on $p"; else ok "no dependency on $p"; fi
done
pc=$R/usr/$LIBDIR/pkgconfig/scrutin.pc
{ echo "libscrutin$SOV"
  sed -n 's/^Requires\(\.private\)\{0,1\}: *//p' "$pc" | tr ', ' '\n\n' |
      grep -v '^$' | while read -r mod; do
          f=$(pkg-config --path "$mod") && dpkg -S "$(readlink -f "$f")" ||
              dpkg -S "$f" || echo "UNOWNED:$mod"
      done | sed 's/:.*//'
} | sort -u >"$T/need"
check_depends "$DEV" "scrutin.pc"
dpkg-deb -f "$DEV" Depends | grep -qF "libscrutin$SOV (= $DV)" &&
    ok "libscrutin-dev needs libscrutin$SOV of the same version" ||
    bad "libscrutin-dev: $(dpkg-deb -f "$DEV" Depends)"
dpkg-deb -I "$LIB" shlibs >"$T/shlibs" 2>&1 &&
    grep -q "^libscrutin $SOV libscrutin$SOV" "$T/shlibs" &&
    ok "libscrutin$SOV has a shlibs file" || { bad "shlibs:"; cat "$T/shlibs"; }

# the throwaway root
v=$("$R/usr/bin/scrutin" --version) && ok "unpacked scrutin runs: $v" ||
    bad "unpacked scrutin does not run"
for m in "$R"/usr/share/man/man1/*.1.gz; do
    if LANG=C MANWIDTH=80 man --warnings -E ascii -l "$m" >/dev/null \
        2>"$T/err" && [ ! -s "$T/err" ]; then ok "man -l ${m##*/}"
    else bad "man -l ${m##*/}: $(cat "$T/err")"; fi
done
flags=$(PKG_CONFIG_SYSROOT_DIR=$R PKG_CONFIG_LIBDIR=$R/usr/$LIBDIR/pkgconfig:/usr/$LIBDIR/pkgconfig:/usr/share/pkgconfig \
    pkg-config --cflags --libs scrutin) || bad "pkg-config in the root"
# shellcheck disable=SC2086
if "$CC" -std=c11 -o "$T/verify_record" "$S/examples/verify_record.c" \
    $flags 2>"$T/cc.log"; then ok "example built against the packages"
else bad "example does not build against the packages:"; cat "$T/cc.log"; finish; fi
"$R/usr/bin/scrutin" demo --group toy-q64 --ballots 6 --seed 9 \
    --out "$T/rec" -q >"$T/demo.log" 2>&1 || { bad "demo"; cat "$T/demo.log"; }
LD_LIBRARY_PATH=$R/usr/$LIBDIR "$T/verify_record" --allow-test-parameters \
    "$T/rec" >"$T/ex.out" 2>&1 && ok "example verifies the demo record" ||
    { bad "example on the demo record:"; cat "$T/ex.out"; }
finish
