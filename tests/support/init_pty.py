"""Drives `smm-lint init` through a pseudo-terminal, answering its questions like a person.

Usage: [SCENARIO=name] init_pty.py BINARY WORKDIR [INIT-ARG...]. Exits non-zero (with what it saw) when a prompt does not
come or the run fails.
"""
import os
import pty
import re
import select
import sys
import time

binary, workdir, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(workdir)
    os.environ["TERM"] = "xterm"
    os.execv(binary, [binary, "init", *extra, "--today", "2026-11-21"])

seen = b""
transcript = b""


def expect(text, timeout=15):
    """Reads until `text` has appeared since the last match."""
    global seen, transcript
    deadline = time.time() + timeout
    while text.encode() not in seen:
        if time.time() > deadline:
            sys.exit(f"timed out waiting for {text!r}; last output: {seen[-600:]!r}")
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:
                sys.exit(f"the program ended before {text!r}; last output: {seen[-600:]!r}")
            seen += data
            transcript += data
    seen = seen[seen.index(text.encode()) + len(text):]


def answer(line):
    os.write(fd, line.encode() + b"\r")


def pump_station():
    """Every question answered, a refused refinement asked again."""
    expect("Profile id")
    answer("pump-station")
    expect("system of interest")
    answer("Pump station controller")
    expect("industry")
    answer("water")
    expect("owns this profile")
    answer("ot-security@example.com")
    expect("Goal for governance")
    answer("")  # keep the default
    expect("Goal for enablement")
    answer("2/industry")
    expect("Goal for hardening")
    answer("3/system")
    expect("Refine a subdomain or practice")
    answer("patch-management=1/general")  # below its parent: refused, asked again
    expect("lower than its parent")
    answer("patch-management=4/system")
    expect("Refine a subdomain or practice")
    answer("")
    expect("Write the profile")
    answer("")  # yes, the default


def industry_asked_late():
    """The industry left empty, then needed by a refinement: asked for then."""
    expect("Profile id")
    answer("hvac")
    expect("system of interest")
    answer("")
    expect("industry")
    answer("")
    expect("owns this profile")
    answer("")
    expect("Goal for governance")
    answer("")
    expect("Goal for enablement")
    answer("")
    expect("Goal for hardening")
    answer("")
    expect("Refine a subdomain or practice")
    answer("compliance-management=2/industry")
    expect("Industry scope needs the industry")
    answer("building automation")
    expect("Refine a subdomain or practice")
    answer("hardening=2/general")  # a domain's goal, given again: said to replace the first
    expect("hardening: 1/general is replaced by 2/general")
    expect("Refine a subdomain or practice")
    answer("")
    expect("Write the profile")
    answer("")


def refused_before_asking():
    """Documents already there: refused before the first question, nothing asked."""
    expect("already exist")
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 2 or b"Profile id" in transcript:
        sys.exit(f"init exited {code}; transcript: {transcript[-800:]!r}")
    print("ok")
    sys.exit(0)


{
    "pump-station": pump_station,
    "industry-asked-late": industry_asked_late,
    "refused-before-asking": refused_before_asking,
}[os.environ.get("SCENARIO", "pump-station")]()
expect("Wrote the profile")
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
if code != 0:
    sys.exit(f"init exited {code}; transcript: {transcript[-800:]!r}")
if os.environ.get("TRANSCRIPT"):
    # The terminal's view, without escape sequences: what a person saw.
    text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", transcript).decode("utf-8", "replace")
    print(text.replace("\r", ""))
print("ok")
