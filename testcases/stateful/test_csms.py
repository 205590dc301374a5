"""Stateful fuzzing of a CSMS under test (1.6 and 2.0.1), and replaying a program it found.

FUZZ_*_CSMS_stateful let Hypothesis play a charging station: authorizations with the DUT
profile's tokens, transactions started, metered and stopped, status changes, heartbeats,
connection losses with queued transaction messages, operator stops. After every step the
CSMS's answers must keep the invariants of harness/fuzz/invariants_csms.py (answered in time
with schema-valid CALLRESULTs, token statuses as the profile's table says, 1.6 transactionIds
unique and > 0, 2.0.1 idTokenInfo where an idToken was sent, no stop command for an ended
transaction). A failure is reported as the shortest failing program and saved as
`stateful-failure.json` in the case's artifacts; `ocpp-harness replay FILE` runs it again
(FUZZ_*_CSMS_replay).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from harness.cases.checks import Checks
from harness.cases.model import harness_case
from harness.dut.device import Dut
from harness.fuzz.csms_dialects import Dialect, Dialect16, Dialect201
from harness.fuzz.csms_machine import fuzz_csms
from harness.fuzz.stateful_csms import CsmsSession
from harness.fuzz.stateful_run import budget_for
from harness.fuzz.stateful_verdict import judge_replay, judge_run
from harness.roles.station import StationEmulator

REFS_16 = ("1.6 §3.7", "1.6 §4.1", "1.6 §4.8", "1.6 §4.10", "1.6 §5.12", "OCPP-J 1.6 §4.2.2")
REFS_201 = ("C01", "E01", "E02", "E03", "E04", "F03", "Part 4 §4.2.2")
#: CSMS steps take milliseconds, examples a reconnect each: more and longer ones fit in ci.
CI_EXAMPLES = 25
CI_STEPS = 8


async def _fuzz(
    case: str,
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    artifacts: Path,
    fuzz_profile: str,
    dialect: Dialect,
) -> None:
    """Run the machine within the profile's budget; report and save the shortest failure."""
    budget = budget_for(dut.timeouts.case, fuzz_profile, ci_examples=CI_EXAMPLES, ci_steps=CI_STEPS)
    session = await fuzz_csms(station, dut, dialect, budget)
    note = "" if session.remote_stops else "; no operator stops (no automatic trigger backend)"
    if session.shortfalls:
        check.should(
            False,
            f"{len(session.shortfalls)} time(s): {session.shortfalls[0]}",
            ref="1.6 §4.10",
        )
    judge_run(
        check,
        session,
        budget,
        fuzz_profile,
        artifacts=artifacts,
        case=case,
        version=dialect.version,
        dut_role="csms",
        note=note,
    )


async def _replay(
    station: StationEmulator, dut: Dut, check: Checks, replay: Path | None, dialect: Dialect
) -> None:
    """Run the program of `--ocpp-replay FILE` once; FAIL if an invariant breaks again."""

    async def start() -> CsmsSession:
        return CsmsSession(station, dut, asyncio.get_running_loop(), dialect)

    await judge_replay(check, start, replay, dialect.version, "csms")


@harness_case(
    "FUZZ_16_CSMS_stateful",
    version="1.6",
    dut_role="csms",
    title="Stateful fuzzing - the Central System's answers stay consistent",
    section="Fuzzing",
    profile="Robustness",
    refs=REFS_16,
)
async def test_stateful_16(
    station: StationEmulator, dut: Dut, check: Checks, artifacts: Path, ocpp_fuzz_profile: str
) -> None:
    """Random station programs; the answers keep the invariants (see the module doc)."""
    await _fuzz(
        "FUZZ_16_CSMS_stateful", station, dut, check, artifacts, ocpp_fuzz_profile, Dialect16(dut)
    )


@harness_case(
    "FUZZ_201_CSMS_stateful",
    version="2.0.1",
    dut_role="csms",
    title="Stateful fuzzing - the CSMS's answers stay consistent",
    section="Fuzzing",
    profile="Robustness",
    refs=REFS_201,
)
async def test_stateful_201(
    station: StationEmulator, dut: Dut, check: Checks, artifacts: Path, ocpp_fuzz_profile: str
) -> None:
    """Random station programs; the answers keep the invariants (see the module doc)."""
    await _fuzz(
        "FUZZ_201_CSMS_stateful",
        station,
        dut,
        check,
        artifacts,
        ocpp_fuzz_profile,
        Dialect201(dut),
    )


@harness_case(
    "FUZZ_16_CSMS_replay",
    version="1.6",
    dut_role="csms",
    title="Replay a stateful fuzzing program",
    section="Fuzzing",
    profile="Robustness",
    refs=REFS_16,
    on_demand=True,
)
async def test_replay_16(
    station: StationEmulator, dut: Dut, check: Checks, ocpp_replay: Path | None
) -> None:
    """Run the program of `--ocpp-replay FILE` once against the Central System."""
    await _replay(station, dut, check, ocpp_replay, Dialect16(dut))


@harness_case(
    "FUZZ_201_CSMS_replay",
    version="2.0.1",
    dut_role="csms",
    title="Replay a stateful fuzzing program",
    section="Fuzzing",
    profile="Robustness",
    refs=REFS_201,
    on_demand=True,
)
async def test_replay_201(
    station: StationEmulator, dut: Dut, check: Checks, ocpp_replay: Path | None
) -> None:
    """Run the program of `--ocpp-replay FILE` once against the CSMS."""
    await _replay(station, dut, check, ocpp_replay, Dialect201(dut))
