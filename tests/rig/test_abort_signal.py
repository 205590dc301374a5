"""SIGTERM / SIGINT to a pytest run in the middle of a physical case: safe within 500 ms.

A child `pytest testcases --ocpp-case=PHY_16_stop -k remote` runs against a reference station
with its virtual lab that this test launched (so the instruments outlive the child). The test
follows the child's wire log and signals it at each phase of the case; a watcher reads the
source output and the EV pilot back from the instruments: output OFF and state A must come
within 500 ms of the signal, and the child must exit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.rig.virtual_bench import ROOT, LabStation, Watcher, launch

pytestmark = pytest.mark.slow

SAFE_WITHIN_S = 0.5
#: Phase -> a text of the case's wire log that shows the case has reached it.
PHASES = {
    "attached": "safe state guarded",
    "plugged": "dut.plug_in(",
    "charging": '\\"StartTransaction\\"',
    "stopping": "RemoteStopTransaction",
}


@pytest.fixture
def station(tmp_path: Path) -> Iterator[LabStation]:
    lab = launch(tmp_path)
    try:
        yield lab
    finally:
        lab.stop()


def _wait_for(reports: Path, text: str, child: subprocess.Popen[bytes], within: float) -> bool:
    """Poll the child's wire logs for `text` (bounded)."""
    end = time.monotonic() + within
    while time.monotonic() < end and child.poll() is None:
        for log in reports.glob("*/wire/*.jsonl"):
            if text in log.read_text(encoding="utf-8", errors="replace"):
                return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("phase", list(PHASES))
def test_signal_reaches_safe_state(
    station: LabStation, tmp_path: Path, phase: str, signum: signal.Signals
) -> None:
    reports = tmp_path / "reports"
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(ROOT / "testcases"),
        "--ocpp-run",
        f"--ocpp-dut={station.profile}",
        f"--ocpp-rig={station.rig_file}",
        f"--ocpp-report-dir={reports}",
        "--ocpp-case=PHY_16_stop",
        "-k",
        "remote",
        "-p",
        "no:cacheprovider",
        "-q",
    ]
    with Watcher(station.resources) as watcher:
        child = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            reached = _wait_for(reports, PHASES[phase], child, within=30)
            sent = time.monotonic()
            if reached:
                os.kill(child.pid, signum)
            output, _ = child.communicate(timeout=20)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(5)
        time.sleep(SAFE_WITHIN_S + 0.1)
    text = output.decode(errors="replace")[-3000:]
    assert reached, f"the case never reached {phase}:\n{text}"
    assert watcher.error is None, repr(watcher.error)
    assert watcher.saw("ON", "A"), "the watcher never saw the unsafe start (mains on)"
    took = watcher.safe_after(sent)
    assert took is not None and took <= SAFE_WITHIN_S, (
        f"safe state (output OFF, EV in A) {took} s after {signum.name} at {phase}\n{text}"
    )
    print(f"safe {took * 1000:.0f} ms after the abort")
    if signum is signal.SIGTERM:
        assert child.returncode == -signal.SIGTERM, (child.returncode, text)
    else:
        assert child.returncode != 0, (child.returncode, text)
