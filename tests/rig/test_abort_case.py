"""Abort a physical case at each phase: the bench reaches its safe state within 500 ms.

DESIGN.md "The rig": whatever happens (failure, timeout, Ctrl-C, SIGTERM), every source output
is switched off and the EV emulator returns to state A. Here a physical case runs through the
real runner (`execute`) against a reference station with its virtual lab; at a chosen phase the
case raises (a harness error, a failed expectation, Ctrl-C) or hangs into the case deadline.
A watcher thread reads the source output and the pilot state back from the instruments over
its own VISA sessions; the first safe reading must come within 500 ms of the abort.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from harness.cases.checks import Checks
from harness.cases.model import CaseSpec
from harness.cases.rig_session import PhysicalRig
from harness.cases.runner import RunSettings, execute
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.outcomes import ExpectationFailed
from harness.pytest_plugin import load_profiles
from harness.report.record import Verdict
from harness.report.run import RunReport
from harness.roles.csms import CsmsEmulator
from tests.rig.virtual_bench import LabStation, Watcher, launch

pytestmark = pytest.mark.slow

SAFE_WITHIN_S = 0.5
PHASES = ("attached", "mains_on", "plugged", "charging", "stopping")
SPEC = CaseSpec(
    id="PHY_abort_probe",
    title="abort probe",
    version="1.6",
    section="Physical",
    profile="Physical",
    dut_role="station",
    refs=(),
    needs=(),
)


class Aborted(RuntimeError):
    """The injected harness error."""


def probe(phase: str, kind: str, aborted: list[float]) -> Callable[..., Awaitable[None]]:
    """A physical case that aborts at `phase` by `kind`; the abort moment goes to `aborted`."""

    async def abort(rig: PhysicalRig, here: str) -> None:
        if here != phase:
            return
        rig.note(f"abort injected at phase {phase} ({kind})")
        aborted.append(time.monotonic())
        if kind == "exception":
            raise Aborted(f"injected at {phase}")
        if kind == "failure":
            raise ExpectationFailed(f"injected at {phase}")
        if kind == "keyboard":
            raise KeyboardInterrupt
        try:
            await asyncio.sleep(3600)  # kind "timeout": hang into the case deadline
        except asyncio.CancelledError:
            aborted[-1] = time.monotonic()  # the deadline is the abort
            raise

    async def case(csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig) -> None:
        await station_v16.idle(csms, dut)
        await abort(rig, "attached")
        await rig.source(1).output_on()
        await abort(rig, "mains_on")
        await station_v16.plugged_in(csms, dut)
        await abort(rig, "plugged")
        await station_v16.authorized(csms, dut, check)
        start = await station_v16.charging(csms, dut, check, since=0.0)
        await rig.meter(1).integration_start()
        await abort(rig, "charging")
        await csms.call("RemoteStopTransaction", transactionId=station_v16.transaction_id(start))
        await abort(rig, "stopping")

    return case


@pytest.fixture
def station(tmp_path: Path) -> Iterator[LabStation]:
    lab = launch(tmp_path)
    try:
        yield lab
    finally:
        lab.stop()


def settings_for(lab: LabStation, tmp: Path) -> RunSettings:
    return RunSettings(
        profiles=load_profiles([lab.profile]),
        report=RunReport.create(tmp / "reports"),
        rig=lab.rig(),
        pki_root=tmp / "pki",
    )


@pytest.mark.parametrize("kind", ["exception", "failure", "keyboard", "timeout"])
@pytest.mark.parametrize("phase", PHASES)
def test_abort_reaches_safe_state(
    station: LabStation, tmp_path: Path, phase: str, kind: str
) -> None:
    aborted: list[float] = []
    settings = settings_for(station, tmp_path)
    with Watcher(station.resources) as watcher:
        run = execute(SPEC, probe(phase, kind, aborted), f"probe[{phase}]", {}, settings)
        if kind == "keyboard":
            with pytest.raises(KeyboardInterrupt):
                asyncio.run(run)
            record = None
        else:
            record, _ = asyncio.run(run)
        time.sleep(SAFE_WITHIN_S + 0.1)
    assert watcher.error is None, repr(watcher.error)
    assert aborted, f"the case never reached phase {phase}: {record}"
    assert watcher.saw("ON", "A"), "the watcher never saw the unsafe start (mains on)"
    took = watcher.safe_after(aborted[-1])
    assert took is not None and took <= SAFE_WITHIN_S, (
        f"safe state (output OFF, EV in A) {took} s after the abort at {phase} ({kind})"
    )
    print(f"safe {took * 1000:.0f} ms after the abort")
    if record is not None:
        expected = Verdict.FAIL if kind == "failure" else Verdict.INCONCLUSIVE
        assert record.verdict is expected, record.reason
        log = (settings.report.directory / record.wire_log).read_text(encoding="utf-8")
        assert "safe state read back: mains output OFF, ev1 state A" in log
