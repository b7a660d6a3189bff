# The common start of the shell tests, sourced after `set -u` and the
# arguments: T, a scratch directory removed at exit and made the working
# directory, and the checks of checks.sh (ok, bad, expect, wait_file). A
# test that needs more at exit sets its own trap after (removing $T too).
# usage: . "$(dirname "$0")/../lib/preamble.sh"
L=$(cd "$(dirname "$0")/../lib" && pwd) || exit 3
T=$(mktemp -d "${TMPDIR:-/tmp}/scrutin-$(basename "$0" .sh).XXXXXX") || exit 3
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 3
. "$L/checks.sh"
