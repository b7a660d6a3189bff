#!/bin/sh
# The man pages (man/*.1, mdoc): every page lints clean (mandoc -T lint
# and man --warnings, i.e. groff's warnings), every command that
# `scrutin --help` lists has its page man/scrutin-<command>.1, no page is
# left for a command that is gone, and each page names the same options as
# the command's --help (and the helps it names as `scrutin CMD ... --help`;
# scrutin.1 and `scrutin --help` likewise; the EXAMPLES section is not
# counted).
# usage: man.sh SCRUTIN MAN_DIR
set -u
S=$1
M=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-man.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
for tool in mandoc man col; do
    command -v "$tool" >/dev/null 2>&1 ||
        { bad "$tool is not installed (make deps installs it)"; finish; }
done

# options named in a text: -x and --long-name, not inside words (1-of-4);
# -h and --help are left out (every command has them, whether its --help
# text says so or not)
options() {
    grep -o -E '(^|[^A-Za-z0-9_-])--?[A-Za-z][A-Za-z0-9-]*' |
        sed 's/^[^-]*//' | grep -v -x -e -h -e --help | sort -u
}
# a page as text, without its EXAMPLES section
page_text() {
    mandoc -T ascii "$1" | col -b |
        awk '/^[A-Z][A-Z ]*$/ { skip = ($0 == "EXAMPLES") } !skip'
}
# same OPTIONS-SOURCE PAGE WHAT: compare the options of two texts
same() {
    options <"$1" >"$T/a"
    page_text "$2" | options >"$T/b"
    if cmp -s "$T/a" "$T/b"; then ok; else
        bad "${2##*/} and '$3' name different options" \
            "(only in --help: $(comm -23 "$T/a" "$T/b" | tr '\n' ' ')" \
            "only in the page: $(comm -13 "$T/a" "$T/b" | tr '\n' ' '))"
    fi
}

for p in "$M"/*.1; do
    if out=$(mandoc -T lint -W warning "$p" 2>&1) && [ -z "$out" ]; then ok
    else bad "mandoc -T lint ${p##*/}: $out"; fi
    if LANG=C MANWIDTH=80 man --warnings -E ascii -l "$p" >/dev/null \
        2>"$T/err" && [ ! -s "$T/err" ]; then ok
    else bad "man --warnings -l ${p##*/}: $(cat "$T/err")"; fi
done

"$S" --help >"$T/help" 2>&1 || { bad "scrutin --help failed"; finish; }
sed -n 's/^  \([a-z][a-z0-9-]*\)  .*/\1/p' "$T/help" >"$T/commands"
[ -s "$T/commands" ] || { bad "no command found in scrutin --help"; finish; }
same "$T/help" "$M/scrutin.1" "scrutin --help"
while read -r c; do
    page=$M/scrutin-$c.1
    if [ ! -f "$page" ]; then
        bad "command '$c' has no man page: add man/scrutin-$c.1 (mdoc," \
            "one file; start from man/scrutin-tally.1) naming the options" \
            "of 'scrutin $c --help'"
        continue
    fi
    "$S" "$c" --help >"$T/chelp" 2>&1
    # a help that points to another one (`scrutin lookup --board URL
    # --help`): the page covers both
    grep -o "\`scrutin $c [^\`]*--help\`" "$T/chelp" | tr -d '\`' |
        while read -r sub; do
            # shellcheck disable=SC2086
            "$S" ${sub#scrutin } 2>&1
        done >"$T/subhelp"
    cat "$T/subhelp" >>"$T/chelp"
    same "$T/chelp" "$page" "scrutin $c --help"
done <"$T/commands"
for p in "$M"/scrutin-*.1; do
    c=${p##*/scrutin-}
    c=${c%.1}
    grep -qx "$c" "$T/commands" && ok ||
        bad "man/${p##*/}: no command '$c' in scrutin --help (remove the page)"
done
finish
