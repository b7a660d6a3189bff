# The common start of the shell tests, sourced after `set -u` and the
# arguments: T, a scratch directory removed at exit and made the working
# directory; ok and bad, which count the failures in fails; expect, which
# runs a command and checks its exit code. A test that needs more at exit
# sets its own trap after (removing $T too).
# usage: . "$(dirname "$0")/../lib/preamble.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-$(basename "$0" .sh).XXXXXX") || exit 3
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 3
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
# expect CODE NAME CMD...: run CMD (standard output in out.txt, error in
# err.txt, both shown on a failure) and compare its exit code with CODE
expect() {
    want=$1; name=$2; shift 2
    "$@" >out.txt 2>err.txt
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$name"; else
        bad "$name: exit $got, wanted $want"; cat out.txt err.txt; fi
}
