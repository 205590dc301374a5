"""The valid-payload fuzzer and its oracle, against the harness's own station emulator.

The harness CSMS emulator fuzzes a station emulator over loopback; the station's responders
play the DUT, correct or faulty, so every verdict of the oracle and the shrinking are checked
without launching a simulator.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from harness.cases.checks import Checks
from harness.fuzz.fuzzing import ActionResult, FuzzRun, ValidPayloadFuzzer
from harness.fuzz.fuzzing_oracle import judge
from harness.fuzz.fuzzing_report import ARTIFACT, record
from harness.fuzz.settings import PROFILES, FuzzProfile, action_seed, fuzz_profile, time_budget
from harness.ocppj.frames import CallError
from harness.ocppj.schemas import SchemaViolation
from harness.ocppj.versions import OcppVersion
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import CallOutcome, Message
from harness.roles.station import StationEmulator
from harness.transport.wirelog import WireLog

V201 = OcppVersion.V201
PROFILE = FuzzProfile("test", examples=6, shrink_exchanges=40, time_budget=20.0, seed=1)


@pytest.fixture
async def pair() -> AsyncIterator[tuple[CsmsEmulator, StationEmulator]]:
    csms = CsmsEmulator(
        V201, WireLog(), station_id="CS1", call_timeout=1.0, tokens={}, heartbeat_interval=60
    )
    await csms.start()
    station = StationEmulator(
        V201,
        WireLog(),
        station_id="CS1",
        url_template=csms.url.replace("CS1", "{station_id}"),
        call_timeout=1.0,
        open_timeout=2.0,
        reconnect_delay=0.05,
    )
    await station.connect()
    await csms.wait_connected(2.0)
    yield csms, station
    await station.aclose()
    await csms.aclose()


def _fuzzer(csms: CsmsEmulator, station: StationEmulator, *actions: str) -> ValidPayloadFuzzer:
    async def reconnect() -> None:
        await station.connect()
        await csms.wait_connected(2.0)

    return ValidPayloadFuzzer(
        csms,
        actions=actions,
        profile=PROFILE,
        seed=PROFILE.seed or 0,
        budget=PROFILE.time_budget,
        reconnect=reconnect,
        reconnect_within=5.0,
        restart_capable=frozenset({"Reset"}),
    )


async def test_a_conforming_station_passes(pair: tuple[CsmsEmulator, StationEmulator]) -> None:
    csms, station = pair
    run = await _fuzzer(csms, station, "ChangeAvailability", "ClearCache", "GetVariables").run()
    assert [r.action for r in run.actions] == ["ChangeAvailability", "ClearCache", "GetVariables"]
    for result in run.actions:
        assert result.exchanges >= 1 and result.failing == 0 and not result.minimal, result
    assert not run.connection_failures and not run.gone


async def test_a_crash_on_an_optional_field_is_shrunk_to_a_minimal_exchange(
    pair: tuple[CsmsEmulator, StationEmulator], tmp_path: Path
) -> None:
    csms, station = pair
    station.on("ChangeAvailability", where=lambda p: "evse" in p).error("InternalError", "boom")
    run = await _fuzzer(csms, station, "ChangeAvailability").run()
    (result,) = run.actions
    failure = result.minimal["MUST"]
    assert failure.payload == {"operationalStatus": "Inoperative", "evse": {"id": 0}}
    assert "CALLERROR InternalError" in failure.reason
    sent, answered = failure.frames
    assert sent.startswith('-> [2,"') and json.loads(sent[3:])[3] == failure.payload
    assert answered.startswith('<- [4,"') and '"InternalError","boom"' in answered
    assert result.exchanges <= PROFILE.examples + PROFILE.shrink_exchanges + 1

    check = Checks(lambda: 0.0)
    path = record(run, check, tmp_path, "FUZZ_TEST", "ref")
    (failed,) = check.failed
    assert failed.level == "MUST" and "minimal failing exchange" in failed.message
    assert '"evse":{"id":0}' in failed.message and f"seed {result.seed}" in failed.message
    document = json.loads(path.read_text(encoding="utf-8"))
    assert path.name == ARTIFACT and document["seed"] == PROFILE.seed
    assert document["actions"][0]["minimal_failures"]["MUST"]["payload"] == failure.payload


async def test_a_property_constraint_error_breaks_a_should(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair
    station.on("ClearCache").error("PropertyConstraintViolation", "no")
    (result,) = (await _fuzzer(csms, station, "ClearCache").run()).actions
    assert set(result.minimal) == {"SHOULD"}
    assert result.minimal["SHOULD"].payload == {}


async def test_closing_after_a_valid_call_is_caught_and_survived(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair

    def answer_then_close(_message: Message) -> dict[str, Any]:
        asyncio.get_running_loop().call_later(
            0.01, lambda: asyncio.ensure_future(station.disconnect())
        )
        return {"status": "Accepted"}

    station.on("ClearCache", once=True).respond_with(answer_then_close)
    run = await _fuzzer(csms, station, "ClearCache", "GetVariables").run()
    lost = run.connection_failures + [f for r in run.actions for f in r.minimal.values()]
    assert lost, run
    # Closed between two exchanges, or while the next one was in flight: both are caught.
    assert all("connection closed" in f.reason or "closed the connection" in f.reason for f in lost)
    assert run.actions[1].exchanges >= 1 and not run.gone  # fuzzing went on after reconnecting


async def test_a_restart_after_reset_is_excused(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair

    def accept_and_reboot(_message: Message) -> dict[str, Any]:
        asyncio.get_running_loop().call_later(
            0.01, lambda: asyncio.ensure_future(station.disconnect())
        )
        return {"status": "Accepted"}

    station.on("Reset").respond_with(accept_and_reboot)
    run = await _fuzzer(csms, station, "ClearCache", "Reset").run()
    assert not run.connection_failures and not run.gone
    assert all(not r.minimal for r in run.actions), run
    assert run.actions[1].exchanges >= 1


def _outcome(**fields: Any) -> CallOutcome:
    request = Message("out", "call", "GetVariables", "1", {}, 0.0, 1)
    return CallOutcome(request, **fields)


@pytest.mark.parametrize(
    ("outcome", "payload", "connected", "excused", "expected"),
    [
        (_outcome(payload={}), {}, True, False, (True, "MUST")),
        (_outcome(payload={}), {}, False, False, (False, "MUST")),
        (_outcome(payload={}), {}, False, True, (True, "MUST")),
        (
            _outcome(payload={}, violations=(SchemaViolation("Required", "", "x"),)),
            {},
            True,
            False,
            (False, "MUST"),
        ),
        (_outcome(error=CallError("1", "NotSupported")), {}, True, False, (True, "MUST")),
        (_outcome(error=CallError("1", "InternalError")), {}, True, False, (False, "MUST")),
        (_outcome(error=CallError("1", "FormatViolation")), {}, True, False, (False, "MUST")),
        (_outcome(error=CallError("1", "GenericError")), {}, True, False, (False, "SHOULD")),
        (
            _outcome(error=CallError("1", "OccurrenceConstraintViolation")),
            {"getVariableData": [{}, {}]},
            True,
            False,
            (True, "MUST"),
        ),
        (
            _outcome(error=CallError("1", "OccurrenceConstraintViolation")),
            {"getVariableData": [{}]},
            True,
            False,
            (False, "SHOULD"),
        ),
        (_outcome(timed_out=True), {}, True, False, (False, "MUST")),
    ],
)
def test_oracle(
    outcome: CallOutcome,
    payload: dict[str, Any],
    connected: bool,
    excused: bool,
    expected: tuple[bool, str],
) -> None:
    judged = judge(V201, payload, outcome, connected=connected, restart_excused=excused)
    assert (judged.passed, judged.level) == expected, judged


def test_an_exchange_cut_off_by_an_allowed_restart_is_not_judged() -> None:
    judged = judge(
        V201, {}, _outcome(connection_closed=True), connected=False, restart_excused=True
    )
    assert judged.passed and not judged.judged


def test_profiles_and_seeds() -> None:
    assert fuzz_profile(None) is PROFILES["ci"] and PROFILES["ci"].seed is not None
    with pytest.raises(ValueError, match="unknown fuzz profile 'nightly'; known: ci, lab, soak"):
        fuzz_profile("nightly")
    assert time_budget(PROFILES["soak"], 100.0) == 60.0
    assert action_seed(0, "Reset") == action_seed(0, "Reset") != action_seed(1, "Reset")


def test_actions_left_out_by_the_budget_are_reported(tmp_path: Path) -> None:
    run = FuzzRun(PROFILE, 1, 2.0)
    run.actions.append(ActionResult("Reset", 5, skipped="time budget of 2 s spent"))
    check = Checks(lambda: 0.0)
    record(run, check, tmp_path, "FUZZ_TEST", "ref")
    (info,) = check.results
    assert info.level == "INFO" and not info.passed
    assert "0 of 1 actions fuzzed within the 2 s budget (Reset)" in info.message
