#!/usr/bin/env python3
"""Issue 12 item 10: every command that holds secrets runs without core
files, and a passphrase prompt interrupted by Ctrl-C gives the terminal
back with echo on.

1. strace: each secret-holding command (`--help` is enough: the protection
   comes before the command runs) sets RLIMIT_CORE to 0 and
   PR_SET_DUMPABLE to 0; `verify` (no secrets) does neither, which shows
   that the check sees the calls.
2. A pty: `scrutin guardian init` waits at its no-echo passphrase prompt;
   the running process has a core limit of 0; SIGINT ends it and the
   terminal has echo again.
usage: secrets_protect.py SCRUTIN"""
import fcntl
import os
import pty
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import time

SECRET_CMDS = ["ceremony", "encrypt", "device", "demo", "board", "guardian",
               "decrypt", "witness"]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def traced_calls(scrutin, cmd, tmp):
    log = os.path.join(tmp, "strace_" + cmd)
    subprocess.run(["strace", "-f", "-qq", "-o", log, "-e",
                    "trace=prctl,setrlimit,prlimit64", scrutin, cmd, "--help"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    with open(log) as f:
        text = f.read()
    core0 = "RLIMIT_CORE, {rlim_cur=0, rlim_max=0}" in text
    nodump = "PR_SET_DUMPABLE" in text and (
        "SUID_DUMP_DISABLE" in text or "PR_SET_DUMPABLE, 0" in text)
    return core0, nodump


def check_strace(scrutin, tmp):
    if shutil.which("strace") is None:
        print("strace not installed: syscall check skipped")
        return
    for cmd in SECRET_CMDS:
        core0, nodump = traced_calls(scrutin, cmd, tmp)
        if not (core0 and nodump):
            fail("scrutin %s: core limit 0: %s, not dumpable: %s"
                 % (cmd, core0, nodump))
    core0, nodump = traced_calls(scrutin, "verify", tmp)
    if core0 or nodump:
        fail("scrutin verify sets the core protection: the check cannot "
             "tell commands apart")
    print("strace: %d commands protected; verify is not" % len(SECRET_CMDS))


def read_until(fd, needle, timeout):
    buf = b""
    end = time.time() + timeout
    while needle not in buf:
        if time.time() > end:
            fail("no prompt within %ds; output: %r" % (timeout, buf))
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            fail("terminal closed before the prompt; output: %r" % buf)
        if not chunk:
            fail("terminal closed before the prompt; output: %r" % buf)
        buf += chunk
    return buf


def check_prompt(scrutin, tmp):
    manifest = os.path.join(tmp, "manifest.json")
    with open(manifest, "w") as f:
        f.write('{"label":"t","contests":[{"label":"C","options":'
                '[{"label":"A"},{"label":"B"}]}],'
                '"ballot_styles":[{"label":"s","contests":[1]}]}')
    rec = os.path.join(tmp, "record")
    subprocess.run([scrutin, "ceremony", "--prepare", "--guardians", "2",
                    "--quorum", "2", "--manifest", manifest, "--group",
                    "toy-q64", "--out", rec], check=True,
                   stdout=subprocess.DEVNULL)
    master, slave = pty.openpty()

    def child_setup():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    if not termios.tcgetattr(slave)[3] & termios.ECHO:
        fail("the new terminal has no echo to begin with")
    ex = os.path.join(tmp, "ex")
    os.mkdir(ex)
    p = subprocess.Popen([scrutin, "guardian", "init", "--record", rec,
                          "--index", "1", "--secret",
                          os.path.join(tmp, "secret"), "--kdf", "interactive",
                          "--exchange", ex],
                         stdin=slave, stdout=slave, stderr=slave,
                         preexec_fn=child_setup, pass_fds=(slave,))
    try:
        read_until(master, b"assphrase", 60)
        time.sleep(0.2)  # the prompt is written after echo is turned off
        if termios.tcgetattr(slave)[3] & termios.ECHO:
            fail("echo is on during the passphrase prompt")
        with open("/proc/%d/limits" % p.pid) as f:
            core = [l for l in f if l.startswith("Max core file size")]
        if not core or core[0].split()[4:6] != ["0", "0"]:
            fail("core limit of the prompting process: %r" % core)
        os.kill(p.pid, signal.SIGINT)
        rc = p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    if rc != -signal.SIGINT:
        fail("guardian init ended with %d, expected death by SIGINT" % rc)
    if not termios.tcgetattr(slave)[3] & termios.ECHO:
        fail("echo still off after SIGINT at the passphrase prompt")
    os.close(master)
    os.close(slave)
    print("pty: no echo at the prompt, core limit 0, echo back after SIGINT")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    scrutin = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        check_strace(scrutin, tmp)
        check_prompt(scrutin, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
