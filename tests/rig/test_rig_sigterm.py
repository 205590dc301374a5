"""SIGTERM to a process driving a real bench (pyvisa-py over loopback): sources end up off."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.rig.scpi_server import LoopbackScpi

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys, time
from harness.rig.bench import Bench
from harness.rig.description import load_rig
from harness.rig.safety import SafeState

bench = Bench.open(load_rig(sys.argv[1]))
with SafeState(bench, deadline_s=5):
    bench.source(1).set_voltage(230)
    bench.source(1).output_on()
    bench.ev(1).plug_in()
    print("ready", flush=True)
    time.sleep(60)
"""


class Grid:
    """Just enough of the Chroma subset, with its output state."""

    def __init__(self) -> None:
        self.output = "OFF"

    def __call__(self, command: str) -> str | None:
        if command == "*IDN?":
            return "Chroma ATE,61845,LOOP,1"
        if command == "SYST:ERR?":
            return '0,"No error"'
        if command.startswith("OUTP "):
            self.output = command.split()[1]
        return None


def test_sigterm_in_a_child_leaves_sources_off_and_the_ev_in_state_a(tmp_path: Path) -> None:
    grid = Grid()
    server = LoopbackScpi(grid)
    ev_log = tmp_path / "ev.log"
    rig = tmp_path / "rig.toml"
    rig.write_text(
        textwrap.dedent(
            f"""
            [rig]
            name = "sigterm"
            [[instrument]]
            name = "grid"
            role = "ac_source"
            driver = "chroma_61800"
            resource = "{server.resource}"
            evse = 1
            timeout_ms = 2000
            [instrument.limits]
            max_voltage = 253
            max_current = 32
            [[instrument]]
            name = "ev"
            role = "ev_emulator"
            driver = "command_ev"
            evse = 1
            [instrument.commands]
            set_cp_state = "echo {{state}} >> {ev_log}"
            """
        )
    )
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen(
        [sys.executable, str(script), str(rig)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "ready", child.stderr.read() if child.stderr else ""
        assert grid.output == "ON"
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=20) == -signal.SIGTERM
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(5)
        server.close()
    assert grid.output == "OFF"
    assert server.received[-2:] == ["OUTP OFF", "SYST:ERR?"]
    assert ev_log.read_text().split() == ["B", "A"]
