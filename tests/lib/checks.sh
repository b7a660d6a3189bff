# The shell tests' checks (sourced; one copy for every script): ok and
# bad, which count the failures in fails; expect, which runs a command
# and checks its exit code; wait_file, which waits for a server's port
# file. tests/lib/preamble.sh sources it; scripts that make their own
# scratch directory (tests/board/lib.sh and its users) source it directly.
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
# wait_file F: until F is non-empty (10 s); false if it stays empty
wait_file() {
    n=0
    while [ ! -s "$1" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
    [ -s "$1" ]
}
