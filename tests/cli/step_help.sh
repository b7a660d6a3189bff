#!/bin/sh
# Each step of a command with steps has its own help (issue 12 item 16):
# `scrutin CMD STEP --help` exits 0 and starts "usage: scrutin CMD STEP",
# is not the command's help, and the command's help names it.
# usage: step_help.sh SCRUTIN
set -u
S=$1
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { # check CMD STEP...
    cmd=$1; shift
    whole=$("$S" "$cmd" --help 2>&1)
    for step in "$@"; do
        out=$("$S" "$cmd" "$step" --help 2>&1)
        rc=$?
        if [ $rc -ne 0 ]; then bad "$cmd $step --help: exit $rc"; continue; fi
        case $out in
        "usage: scrutin $cmd $step"*) ;;
        *) bad "$cmd $step --help: $(printf '%s' "$out" | head -n 1)"; continue ;;
        esac
        [ "$out" != "$whole" ] || { bad "$cmd $step --help is the whole help"; continue; }
        printf '%s' "$whole" | grep -q "scrutin $cmd $step --help" ||
            { bad "'scrutin $cmd --help' does not name '$cmd $step --help'"; continue; }
        ok "$cmd $step --help"
    done
}
check guardian init shares verify finish show
check decrypt begin reveal respond combine all
check board init serve register-device set-policy post results close export
check witness init add-log serve evidence
check manifest check canonical init
check device init close
echo "$fails failure(s)"
[ "$fails" -eq 0 ]
