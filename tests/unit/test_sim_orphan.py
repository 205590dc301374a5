"""A simulator whose launcher dies without stopping it (SIGKILL, CI timeout) exits by itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow

#: The launcher: starts the reference CSMS, prints its pid, then waits to be killed.
LAUNCHER = """
import subprocess, sys, time
sim = subprocess.Popen(
    [sys.executable, "-m", "harness.sim", "csms", "--ocpp-version", "2.0.1", "--port", "0",
     "--api-port", "0", "--quiet"],
    stdout=subprocess.PIPE, text=True,
)
line = sim.stdout.readline()
print(sim.pid, line.split()[0], flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has exited already
        return stat.read().split()[2] != "Z"


def test_simulator_exits_when_its_launcher_is_killed() -> None:
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdout=subprocess.PIPE, text=True)
    try:
        assert launcher.stdout is not None
        pid_text, ready = launcher.stdout.readline().split()
        assert ready == "READY"
        sim_pid = int(pid_text)
        assert _alive(sim_pid)
        launcher.send_signal(signal.SIGKILL)
        launcher.wait(5)
        deadline = time.monotonic() + 10
        while _alive(sim_pid) and time.monotonic() < deadline:
            time.sleep(0.1)  # bounded by `deadline`
        assert not _alive(sim_pid), "the orphaned simulator kept running"
    finally:
        launcher.kill()
