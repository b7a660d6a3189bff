#!/bin/sh
# The release scrutin holds none of the board's test hooks (issue 9): no
# hook option string, no hook mark (a symbol and a string that the board
# files compiled with SC_BOARD_FORK_TEST define: src/board/witnesses.c,
# door.c; the hook functions themselves are inlined, so nm cannot see
# them), and its board refuses the hook options. Every check is run on the
# test-hook binary too, which must fail it: a check that cannot fail
# fails this test.
# usage: no_hooks.sh SCRUTIN SCRUTIN_TESTHOOKS
set -u
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
# hooks BIN: print each hook found in BIN, one a line
hooks() {
    for s in test-fork-witness test-accept-invalid-ballots \
        test-accept-invalid-write-ins \
        "scrutin board test hook: forked checkpoints" \
        "scrutin board test hook: invalid ballots and write-ins accepted"; do
        strings "$1" | grep -q -- "$s" && echo "string '$s'"
    done
    for m in sc_board_hook_fork_mark sc_board_hook_invalid_mark; do
        nm "$1" 2>/dev/null | grep -qw "$m" && echo "symbol $m"
    done
    for o in --test-fork-witness --test-accept-invalid-ballots \
        --test-accept-invalid-write-ins; do
        "$1" board serve "$o" x >/dev/null 2>"${TMPDIR:-/tmp}/no_hooks.$$"
        grep -q "unknown option" "${TMPDIR:-/tmp}/no_hooks.$$" ||
            echo "option $o accepted"
    done
    rm -f "${TMPDIR:-/tmp}/no_hooks.$$"
}
found=$(hooks "$1")
[ -z "$found" ] || bad "release binary has test hooks: $found"
control=$(hooks "$2" | wc -l)
[ "$control" -eq 10 ] ||
    bad "control: the test-hook binary shows $control of the 10 hooks" \
        "(a check that cannot fail): $(hooks "$2" | tr '\n' ';')"
[ $fails -eq 0 ] && echo "ok   no test hook in $1 (all 10 in $2)"
[ $fails -eq 0 ]
