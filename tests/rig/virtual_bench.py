"""A reference station with its virtual lab, launched like an external lab station.

The abort tests need the instruments to outlive the process (or the run) that drives them, so
the station is launched here, not by the harness: a DUT profile with `[sim] launch = false`
points the harness at it, and a rig description with the lab's real ports (not virtual) is the
bench. A `Watcher` polls the source output and the EV pilot over its own VISA sessions.
"""

from __future__ import annotations

import json
import re
import select
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness.rig.description import load_rig
from harness.rig.model import RigDescription

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "fixtures" / "dut" / "reference-station-16.toml"
STATION_ID = "REFCS16"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LabStation:
    """The launched station, its CSMS port, its instruments' resources and the files to use."""

    process: subprocess.Popen[bytes]
    port: int
    resources: dict[str, str]
    profile: Path
    rig_file: Path

    def rig(self) -> RigDescription:
        """The rig description of the running lab (real ports, not virtual)."""
        return load_rig(self.rig_file)

    def stop(self) -> None:
        """Terminate the station; kill it if it does not exit within 5 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


RIG_TEMPLATE = """
[rig]
name = "virtual lab, launched by the test"
virtual = false

[[instrument]]
name = "mains"
role = "ac_source"
driver = "chroma_61800"
evse = 0
resource = "{mains}"
timeout_ms = 2000
[instrument.limits]
max_voltage = 253.0
max_current = 64.0

[[instrument]]
name = "meter1"
role = "power_meter"
driver = "yokogawa_wt300e"
evse = 1
resource = "{meter1}"
timeout_ms = 2000
accuracy_class = "C"
reference_uncertainty_percent = 0.1

[[instrument]]
name = "ev1"
role = "ev_emulator"
driver = "virtual_ev"
evse = 1
resource = "{ev1}"
timeout_ms = 2000
[instrument.limits]
max_current = 32.0
"""


def launch(tmp: Path) -> LabStation:
    """Start the 1.6 reference station with --virtual-rig, dialling a CSMS port still unused."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "harness.sim",
        "station",
        "--ocpp-version",
        "1.6",
        "--csms-url",
        f"ws://127.0.0.1:{port}/ocpp/{{station_id}}",
        "--station-id",
        STATION_ID,
        "--evses",
        "1",
        "--meter-interval",
        "1",
        "--virtual-rig",
    ]
    log = (tmp / "station.log").open("ab")
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=log)
    log.close()
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 10)
    line = process.stdout.readline().decode() if ready else ""
    if not line.startswith("READY "):
        process.kill()
        process.wait(5)
        raise RuntimeError(f"station not ready: {line!r} (log {tmp / 'station.log'})")
    announced = json.loads(line.removeprefix("READY "))
    text = PROFILE.read_text(encoding="utf-8")
    text = text.replace("listen_port = 0", f"listen_port = {port}")
    text = text.replace("launch = true", "launch = false")
    control = str(announced["control_url"])
    text = text.replace('backend = "sim"', f'backend = "sim"\ncontrol_url = "{control}"', 1)
    text = text.replace("case = 30.0", "case = 6.0")
    text = re.sub(r"\[\[evse\]\]\nid = 2\nconnectors = \[1\]\n", "", text)
    profile = tmp / "lab-station-16.toml"
    profile.write_text(text, encoding="utf-8")
    resources = {str(k): str(v) for k, v in announced["rig"].items()}
    rig_file = tmp / "lab.toml"
    rig_file.write_text(RIG_TEMPLATE.format(**resources), encoding="utf-8")
    return LabStation(process, port, resources, profile, rig_file)


@dataclass
class Watcher:
    """Poll `mains` OUTP? and `ev1` CP:STATE? every few ms in a thread; keep (t, out, state)."""

    resources: dict[str, str]
    seen: list[tuple[float, str, str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    error: BaseException | None = None

    def __enter__(self) -> Watcher:
        self._thread = threading.Thread(target=self._run, name="safe-state watcher", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        # Raw sockets, not pyvisa: the bench closing its pyvisa-py resource manager would
        # close every session of this process, the watcher's included.
        try:
            with (
                _Line(self.resources["mains"]) as source,
                _Line(self.resources["ev1"]) as ev,
            ):
                while not self._stop.is_set():
                    out = source.query("OUTP?")
                    state = ev.query("CP:STATE?")
                    self.seen.append((time.monotonic(), out, state))
                    time.sleep(0.003)
        except BaseException as error:  # reported by the test
            self.error = error

    def safe_after(self, moment: float) -> float | None:
        """Seconds from `moment` to the first reading with output OFF and the EV in A."""
        for t, out, state in self.seen:
            if t >= moment and out == "OFF" and state == "A":
                return t - moment
        return None

    def saw(self, out: str, state: str) -> bool:
        """Whether any reading had this output and pilot state."""
        return any(o == out and s == state for _, o, s in self.seen)


class _Line:
    """A newline-terminated SCPI session over a plain TCP socket, 1 s timeout per answer."""

    def __init__(self, resource: str) -> None:
        _, host, port, _ = resource.split("::")
        self.sock = socket.create_connection((host, int(port)), timeout=1.0)
        self.buffer = b""

    def __enter__(self) -> _Line:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def query(self, command: str) -> str:
        self.sock.sendall(command.encode() + b"\n")
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError(f"{command}: connection closed")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode().strip()
