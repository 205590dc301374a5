"""The runner attaches a rig to cases that take `rig` (harness/cases/rig_session.py).

Against a reference station with its virtual lab: the case gets the opened bench, the DUT's
physical actions go to the EV emulator, instrument I/O lands in the wire log (kind
`instrument`), plots are attached to the record, and the bench is left safe. Without a rig the
case is N/A naming `--ocpp-rig PATH`; a virtual rig with a DUT the harness did not launch is
N/A too.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cases.checks import Checks
from harness.cases.model import CaseSpec
from harness.cases.physical import Trace
from harness.cases.rig_session import PhysicalRig
from harness.cases.runner import RunSettings, execute
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.pytest_plugin import load_profiles
from harness.report.plots import Panel
from harness.report.record import Verdict
from harness.report.run import RunReport
from harness.roles.csms import CsmsEmulator
from tests.rig.virtual_bench import LabStation, launch

SPEC = CaseSpec(
    id="PHY_runner_probe",
    title="runner probe",
    version="1.6",
    section="Physical",
    profile="Physical",
    dut_role="station",
    refs=(),
    needs=(),
)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[LabStation]:
    lab = launch(tmp_path)
    try:
        yield lab
    finally:
        lab.stop()


async def plug_and_measure(csms: CsmsEmulator, dut: Dut, check: Checks, rig: PhysicalRig) -> None:
    """Plug in through the rig backend, check the pilot and attach a one-line plot."""
    await station_v16.idle(csms, dut)
    await station_v16.plugged_in(csms, dut)
    ev = rig.ev(1)
    check.equal(await ev.cp_state(), "C", "pilot after dut.plug_in via the rig")
    trace = Trace(rig)
    trace.line("measured I (A)").add(rig.now(), await rig.meter(1).current_a())
    trace.save("probe", "probe", [Panel("current (A)", [trace.line("measured I (A)")])])


def test_case_gets_the_rig_and_leaves_it_safe(station: LabStation, tmp_path: Path) -> None:
    settings = RunSettings(
        profiles=load_profiles([station.profile]),
        report=RunReport.create(tmp_path / "reports"),
        rig=station.rig(),
        pki_root=tmp_path / "pki",
    )
    record, details = asyncio.run(execute(SPEC, plug_and_measure, "probe", {}, settings))
    assert record.verdict is Verdict.PASS, (record.reason, details)
    assert len(record.attachments) == 1
    assert record.attachments[0].startswith("artifacts/PHY_runner_probe__")
    assert record.attachments[0].endswith("/probe.png")
    assert (settings.report.directory / record.attachments[0]).stat().st_size > 1000
    lines = (settings.report.directory / record.wire_log).read_text(encoding="utf-8")
    entries = [json.loads(line) for line in lines.splitlines()]
    instrument = [e for e in entries if e["kind"] == "instrument"]
    assert any(e["conn"] == "ev1" and e["text"] == "CP:STATE C" for e in instrument)
    assert any(e["conn"] == "mains" and e["dir"] == "in" for e in instrument)
    actions = [e["text"] for e in entries if e["kind"] == "action"]
    assert any(a.startswith("dut.plug_in(") and a.endswith("via rig") for a in actions)
    assert any("safe state read back: mains output OFF, ev1 state A" in a for a in actions)


def test_without_a_rig_the_case_is_not_applicable(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    settings = RunSettings(
        profiles=load_profiles([root / "fixtures" / "dut" / "reference-station-16.toml"]),
        report=RunReport.create(tmp_path / "reports"),
    )
    record, _ = asyncio.run(execute(SPEC, plug_and_measure, "probe", {}, settings))
    assert record.verdict is Verdict.NOT_APPLICABLE
    assert "--ocpp-rig PATH" in record.reason


def test_virtual_rig_needs_the_launched_station(station: LabStation, tmp_path: Path) -> None:
    settings = RunSettings(
        profiles=load_profiles([station.profile]),
        report=RunReport.create(tmp_path / "reports"),
        rig=dataclasses.replace(station.rig(), virtual=True),
    )
    record, _ = asyncio.run(execute(SPEC, plug_and_measure, "probe", {}, settings))
    assert record.verdict is Verdict.NOT_APPLICABLE
    assert "virtual lab" in record.reason
