"""Stateful fuzzing of a 1.6 charge point, and replaying a program it found.

FUZZ_16_CS_stateful lets Hypothesis combine sessions, remote start/stop, availability changes
and connection losses, and checks after every step that the charge point's transaction
messages stay consistent (harness/fuzz/invariants_v16.py: one StartTransaction per session,
transactionIds, registers, Charging status). A failure is reported as the shortest failing
program and saved as `stateful-failure.json` in the case's artifacts; `ocpp-harness replay
FILE` runs it again (FUZZ_16_CS_replay).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.fuzz.stateful_run import budget_for
from harness.fuzz.stateful_station import StationSession, fuzz_station
from harness.fuzz.stateful_verdict import judge_replay, judge_run
from harness.fuzz.station_rules_16 import V16Rules
from harness.roles.csms import CsmsEmulator

CASE = "FUZZ_16_CS_stateful"
NEEDS = ("plug_in", "unplug", "present_token", "power_cycle", "offline", "go_offline")
REFS = ("1.6 §3.7", "1.6 §4.7", "1.6 §4.8", "1.6 §4.9", "1.6 §4.10", "1.6 §7.31")


async def _prepare(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Idle charge point; MeterValueSampleInterval = the profile's meter interval (§9.1.19), so
    running transactions send MeterValues during the run, also right after a reconnect."""
    await station_v16.idle(csms, dut)
    interval = str(max(1, round(dut.timeouts.meter_interval)))
    outcome = await csms.call("ChangeConfiguration", key="MeterValueSampleInterval", value=interval)
    check.info(
        outcome.get("status") == "Accepted",
        f"MeterValueSampleInterval {interval} s: {outcome.describe()}",
    )


@harness_case(
    CASE,
    version="1.6",
    dut_role="station",
    title="Stateful fuzzing - transaction messages stay consistent",
    section="Fuzzing",
    profile="Robustness",
    refs=REFS,
    needs=NEEDS,
)
async def test_stateful_sessions(
    csms: CsmsEmulator, dut: Dut, check: Checks, artifacts: Path, ocpp_fuzz_profile: str
) -> None:
    """Random programs of steps; every step keeps the invariants (see the module doc)."""
    await _prepare(csms, dut, check)
    budget = budget_for(dut.timeouts.case, ocpp_fuzz_profile)
    session = await fuzz_station(csms, dut, budget, V16Rules(dut))
    judge_run(
        check,
        session,
        budget,
        ocpp_fuzz_profile,
        artifacts=artifacts,
        case=CASE,
        version="1.6",
        dut_role="station",
    )


@harness_case(
    "FUZZ_16_CS_replay",
    version="1.6",
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
        await _prepare(csms, dut, check)
        return StationSession(csms, dut, asyncio.get_running_loop(), V16Rules(dut))

    await judge_replay(check, start, ocpp_replay, "1.6", "station")
