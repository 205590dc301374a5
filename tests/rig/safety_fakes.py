"""In-memory instruments for the safety tests: they record, fail or hang on demand."""

from __future__ import annotations

import threading
from pathlib import Path

from harness.rig.bench import Bench
from harness.rig.model import InstrumentSpec, Limits, RigDescription


class FakeSource:
    """A source whose output_off can succeed, fail, or hang until released."""

    def __init__(self, name: str, behaviour: str = "ok") -> None:
        self.name = name
        self.behaviour = behaviour
        self.on = False
        self.calls: list[str] = []
        self.release = threading.Event()

    def output_on(self) -> None:
        self.calls.append("on")
        self.on = True

    def output_off(self) -> None:
        self.calls.append("off")
        if self.behaviour == "fail":
            raise OSError("connection reset by peer")
        if self.behaviour == "hang":
            self.release.wait(30)
            return
        self.on = False

    def close(self) -> None:
        self.calls.append("close")


class FakeEv:
    """An EV emulator whose safe_state can succeed or fail."""

    def __init__(self, name: str, behaviour: str = "ok") -> None:
        self.name = name
        self.behaviour = behaviour
        self.state = "A"
        self.calls: list[str] = []

    def set_cp_state(self, state: str) -> None:
        self.state = state

    def safe_state(self) -> None:
        self.calls.append("safe")
        if self.behaviour == "fail":
            raise RuntimeError("EV emulator unplugged")
        self.state = "A"

    def close(self) -> None:
        self.calls.append("close")


def fake_bench(*instruments: FakeSource | FakeEv) -> Bench:
    """A Bench over the given fakes (sources on EVSE 1.., EVs on EVSE 1.. connector 1)."""
    specs = []
    for index, instrument in enumerate(instruments, start=1):
        role = "ac_source" if isinstance(instrument, FakeSource) else "ev_emulator"
        specs.append(
            InstrumentSpec(
                name=instrument.name,
                role=role,
                driver="chroma_61800" if role == "ac_source" else "virtual_ev",
                evse=index,
                connector=1 if role == "ev_emulator" else None,
                limits=Limits(max_voltage=253, max_current=32),
            )
        )
    description = RigDescription(name="fake", path=Path("fake.toml"), instruments=tuple(specs))
    return Bench(description, {i.name: i for i in instruments})
