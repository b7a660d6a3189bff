#!/usr/bin/env bash
# Every command of docs/RUNBOOK.md is real (issue 12 item 18): each
# `scrutin ...` line of its ```sh blocks (continuations joined), and each
# `scrutin ...` quoted in its prose, names an
# existing command and step, and every option it uses is in that
# command's or step's --help. A made-up option and step are fed in too,
# and must be caught (the check can fail).
# usage: runbook.sh SCRUTIN RUNBOOK.md
set -u
S=${1:?usage: runbook.sh SCRUTIN RUNBOOK.md}
DOC=${2:?runbook}
python3 - "$S" "$DOC" <<'PY'
import re, shlex, subprocess, sys

scrutin, doc = sys.argv[1], sys.argv[2]
cache = {}

def helptext(args):
    key = tuple(args)
    if key not in cache:
        p = subprocess.run([scrutin] + args, capture_output=True, text=True,
                           timeout=30)
        cache[key] = (p.returncode, p.stdout + p.stderr)
    return cache[key]

def commands(text):
    out, block, cur = [], False, ""
    for line in text.splitlines():
        if line.startswith("```"):
            block = line.strip() == "```sh"
            continue
        if not block:
            # inline `scrutin ...` in the prose (on one line)
            out += re.findall(r"`(scrutin [^`]+)`", line)
            continue
        cur += line.rstrip("\\").strip() + " "
        if line.endswith("\\"):
            continue
        if cur.startswith("scrutin "):
            out.append(cur.strip())
        cur = ""
    return out

def check(line):
    """Returns a list of problems with one command line."""
    toks = shlex.split(line)
    cmd = toks[1]
    rc, top = helptext([cmd, "--help"])
    if rc != 0:
        return ["no command '%s'" % cmd]
    texts, bad = [top], []
    if len(toks) > 2 and not toks[2].startswith("-"):
        step = toks[2]
        if not re.search(r"(^|\s)%s(\s|$)" % re.escape(step), top, re.M):
            bad.append("'%s' has no step '%s'" % (cmd, step))
        rc, t = helptext([cmd, step, "--help"])
        if rc == 0:
            texts.append(t)
    if "--board" in toks:
        rc, t = helptext([cmd, "--board", "http://x", "--help"])
        if rc == 0:
            texts.append(t)
    alltext = "\n".join(texts)
    for t in toks[2:]:
        if not t.startswith("-") or t == "-":
            continue
        opt = t.split("=")[0]
        if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), alltext):
            bad.append("'%s' has no option %s" % (cmd, opt))
    return bad

cmds = commands(open(doc, encoding="utf-8").read())
if len(cmds) < 30:
    sys.exit("runbook: only %d commands found in %s" % (len(cmds), doc))
problems = []
for c in cmds:
    for b in check(c):
        problems.append("%s\n    in: %s" % (b, c))
# the check itself can fail
for fake, want in [("scrutin verify --no-such-option record", "no option"),
                   ("scrutin guardian no-such-step --record r", "no step"),
                   ("scrutin no-such-command", "no command")]:
    if not any(want in b for b in check(fake)):
        problems.append("self-test: '%s' not caught" % fake)
for p in problems:
    print("FAIL:", p)
print("runbook: %d commands checked, %d problems" % (len(cmds), len(problems)))
sys.exit(1 if problems else 0)
PY
