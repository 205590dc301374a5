"""Stateful fuzzing of a 2.0.1 charging station, and replaying a program it found.

FUZZ_201_CS_stateful lets Hypothesis combine sessions, remote start/stop, availability
changes and connection losses, and checks after every step that the station's transaction
events stay consistent (harness/fuzz/invariants_v201.py: seqNo, Started/Ended, registers).
A failure is reported as the shortest failing program and saved as `stateful-failure.json`
in the case's artifacts; `ocpp-harness replay FILE` runs it again (FUZZ_201_CS_replay).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.states import station_v201
from harness.dut.device import Dut
from harness.fuzz.stateful_run import budget_for
from harness.fuzz.stateful_station import StationSession, fuzz_station
from harness.fuzz.stateful_verdict import judge_replay, judge_run
from harness.roles.csms import CsmsEmulator

NEEDS = ("plug_in", "unplug", "present_token", "power_cycle", "offline", "go_offline")
REFS = ("Part 6 general tool rules: seqNo", "E01", "E04.FR.01", "E06", "J01")


async def _periodic_updates(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """SampledDataCtrlr.TxUpdatedInterval = the profile's meter interval (J02), so running
    transactions report during the run, also right after a reconnect."""
    interval = str(max(1, round(dut.timeouts.meter_interval)))
    outcome = await csms.call(
        "SetVariables",
        setVariableData=[
            {
                "component": {"name": "SampledDataCtrlr"},
                "variable": {"name": "TxUpdatedInterval"},
                "attributeValue": interval,
            }
        ],
    )
    results = outcome.get("setVariableResult") or [{}]
    check.info(
        results[0].get("attributeStatus") == "Accepted",
        f"TxUpdatedInterval {interval} s: {outcome.describe()}",
    )


@harness_case(
    "FUZZ_201_CS_stateful",
    version="2.0.1",
    dut_role="station",
    title="Stateful fuzzing - transaction events stay consistent",
    section="Fuzzing",
    profile="Robustness",
    refs=REFS,
    needs=NEEDS,
)
async def test_stateful_sessions(
    csms: CsmsEmulator, dut: Dut, check: Checks, artifacts: Path, ocpp_fuzz_profile: str
) -> None:
    """Random programs of steps; every step keeps the invariants (see the module doc)."""
    await station_v201.idle(csms, dut)
    await _periodic_updates(csms, dut, check)
    budget = budget_for(dut.timeouts.case, ocpp_fuzz_profile)
    session = await fuzz_station(csms, dut, budget)
    judge_run(
        check,
        session,
        budget,
        ocpp_fuzz_profile,
        artifacts=artifacts,
        case="FUZZ_201_CS_stateful",
        version="2.0.1",
        dut_role="station",
    )


@harness_case(
    "FUZZ_201_CS_replay",
    version="2.0.1",
    dut_role="station",
    title="Replay a stateful fuzzing program",
    section="Fuzzing",
    profile="Robustness",
    refs=REFS,
    needs=NEEDS,
    on_demand=True,
)
async def test_replay(
    csms: CsmsEmulator, dut: Dut, check: Checks, ocpp_replay: Path | None
) -> None:
    """Run the program of `--ocpp-replay FILE` once; FAIL if an invariant breaks again."""

    async def start() -> StationSession:
        await station_v201.idle(csms, dut)
        await _periodic_updates(csms, dut, check)
        return StationSession(csms, dut, asyncio.get_running_loop())

    await judge_replay(check, start, ocpp_replay, "2.0.1", "station")
