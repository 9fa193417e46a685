"""Children of Hotline die with it, even when Hotline is killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SPAWN_CHILD = """
import sys, time
from pathlib import Path
from tenants.embedded.process import ChildProcess
child = ChildProcess(name="sleeper", argv=["sleep", "120"], log_path=Path(sys.argv[1]))
child.start()
print(child.pid, flush=True)
time.sleep(120)  # the parent lives until the test kills it
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


def test_child_is_signalled_when_the_parent_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", SPAWN_CHILD, str(tmp_path / "child.log")],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[3],
        text=True,
    )
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    assert _alive(child_pid)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(10)
    deadline = time.monotonic() + 10
    while _alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child_pid), "the child outlived its killed parent"
