"""Fuzz the reference simulators' message handlers in-process: no exception escapes, ever.

The reference CSMS's request handlers and the reference station's command handlers are called
directly (no sockets) with schema-valid payloads from harness/fuzz/strategies.py. Each answer
must be a payload valid against the response schema, or a CALLERROR a conforming receiver may
send for a valid message (harness/fuzz/fuzzing_oracle.py: NotImplemented, NotSupported, an
over-long list); the station's follow-up work (`Answer.then`) runs too, bounded, and must
neither raise nor log an error. State carries over between examples, as on a live link.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from harness.fuzz.fuzzing_actions import sent_by
from harness.fuzz.fuzzing_oracle import OCCURRENCE, UNSUPPORTED, limited_list
from harness.fuzz.strategies import strategy_for
from harness.ocppj.frames import Call
from harness.ocppj.schemas import PayloadKind, validate
from harness.ocppj.versions import OcppVersion
from harness.sim import fuzz_faults
from harness.sim.csms import v201_contract
from harness.sim.csms.config import CsmsConfig
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.link import handlers_for
from harness.sim.station.config import StationConfig
from harness.sim.station.link import Answer
from harness.sim.station.main import behaviour_for
from harness.sim.station.station import Station
from harness.transport.wirelog import WireLog

V201 = OcppVersion.V201
VERSIONS = (OcppVersion.V16, V201)
EXAMPLES = settings(
    max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
#: How long the station's follow-up work may run per example before it is cancelled.
THEN_BOUND = 0.05

CSMS_ACTIONS = [
    pytest.param(v, a, id=f"{v.value}-{a}")
    for v in VERSIONS
    for a in sent_by(v, "station")
    if a in handlers_for(v)
]
STATION_ACTIONS = [
    pytest.param(v, a, id=f"{v.value}-{a}") for v in VERSIONS for a in sent_by(v, "csms")
]


def _allowed(version: OcppVersion, action: str, payload: dict[str, Any], code: str) -> bool:
    if code in UNSUPPORTED:
        return True
    return code in OCCURRENCE and limited_list(version, action, payload) is not None


def _check_answer(
    version: OcppVersion, action: str, payload: dict[str, Any], answer: Answer
) -> None:
    if answer.error is not None:
        code, why = answer.error
        assert _allowed(version, action, payload, code), f"{action} {payload}: {code} {why}"
        return
    violations = validate(version, action, PayloadKind.RESPONSE, answer.payload or {})
    assert not violations, f"{action} {payload} -> {answer.payload}: {violations}"


@pytest.mark.parametrize(("version", "action"), CSMS_ACTIONS)
def test_reference_csms_handlers(version: OcppVersion, action: str) -> None:
    ctx = CsmsContext(CsmsConfig(version=version), wirelog=WireLog())
    record = ctx.registry.add("CS001")
    record.boot_status, record.boots = "Accepted", 1
    handler = handlers_for(version)[action]
    loop = asyncio.new_event_loop()

    @EXAMPLES
    @given(strategy_for(version, action, PayloadKind.REQUEST))
    def handle(payload: dict[str, Any]) -> None:
        if version is OcppVersion.V201 and action == "Authorize":
            loop.run_until_complete(v201_contract.prepare(ctx, record, payload))
        answer = handler(ctx, record, payload)
        violations = validate(version, action, PayloadKind.RESPONSE, answer)
        assert not violations, f"{action} {payload} -> {answer}: {violations}"

    try:
        handle()
    finally:
        loop.close()


class _Errors(logging.Handler):
    """Collect the station's logged errors (a failed task, a payload it could not send)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(self.format(record))


@pytest.fixture
def station_errors() -> Iterator[_Errors]:
    errors = _Errors()
    logger = logging.getLogger("harness.sim.station")
    logger.addHandler(errors)
    try:
        yield errors
    finally:
        logger.removeHandler(errors)


async def _handle(station: Station, call: Call) -> Answer | None:
    answer = await station.behaviour.handle(call)
    if answer is not None and answer.then is not None:
        # Still waiting after the bound (a retrieve date, a reboot): cancelled, not failed.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(answer.then(), THEN_BOUND)
    return answer


@pytest.mark.parametrize(("version", "action"), STATION_ACTIONS)
def test_reference_station_handlers(
    version: OcppVersion, action: str, station_errors: _Errors
) -> None:
    loop = asyncio.new_event_loop()
    config = StationConfig(version, "ws://127.0.0.1:9/ocpp/{station_id}", "CS001")
    station = Station(config, WireLog(), behaviour_for(version))
    station.boot_status = "Accepted"
    counter = iter(range(10**6))

    @EXAMPLES
    @given(strategy_for(version, action, PayloadKind.REQUEST))
    def handle(payload: dict[str, Any]) -> None:
        call = Call(f"fuzz-{next(counter)}", action, payload)
        answer = loop.run_until_complete(asyncio.wait_for(_handle(station, call), 5))
        assert answer is not None, f"{action} {payload}: no answer"
        _check_answer(version, action, payload, answer)
        assert not station_errors.seen, station_errors.seen

    try:
        handle()
    finally:
        loop.run_until_complete(asyncio.wait_for(station.stop(), 10))
        loop.close()


def test_the_fuzz_mutant_crashes_only_on_optional_fields() -> None:
    required = {"connectorId": 1, "type": "Inoperative"}
    fuzz_faults.crash_on_optional_field(True, OcppVersion.V16, "ChangeAvailability", required)
    with_optional = {"operationalStatus": "Operative", "customData": {"vendorId": "x"}}
    assert fuzz_faults.optional_fields(V201, "ChangeAvailability", with_optional) == ["customData"]
    fuzz_faults.crash_on_optional_field(False, V201, "ChangeAvailability", with_optional)
    with pytest.raises(fuzz_faults.OptionalFieldCrash, match=r"\['customData'\]"):
        fuzz_faults.crash_on_optional_field(True, V201, "ChangeAvailability", with_optional)
