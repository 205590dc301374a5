"""Fuzz the harness's own sans-I/O core and default answers: no exception escapes, ever.

Inputs come from harness/fuzz/strategies_frames.py: schema-valid CALL frames of every action,
frame-shaped noise and plain text. Each test is bounded (max_examples, no deadline).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.fuzz.fuzzing_actions import sent_by
from harness.fuzz.strategies import strategy_for
from harness.fuzz.strategies_frames import call_frames, frame_noise, result_payloads
from harness.ocppj.events import CallReceived, FrameRejected, ResultReceived
from harness.ocppj.frames import CallResult, FrameProblem, parse_frame, serialize
from harness.ocppj.schemas import PayloadKind, actions, load_schema, validate
from harness.ocppj.session import Session
from harness.ocppj.versions import OcppVersion
from harness.roles.defaults import csms_defaults, station_defaults
from harness.roles.exchange import Message

VERSIONS = [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21]
FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_noise_never_escapes_the_session(version: OcppVersion) -> None:
    session = Session(version, call_timeout=5, peer_call_timeout=5)

    @FAST
    @given(frame_noise(version))
    def receive(text: str) -> None:
        frame = parse_frame(text, version)
        events = session.receive_text(text, 1.0)
        assert isinstance(events, list)
        if isinstance(frame, FrameProblem):
            assert [type(e) for e in events] == [FrameRejected], (text, events)

    receive()
    session.send_call("Heartbeat", {}, 2.0)  # still usable afterwards


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_schema_valid_calls_are_received_without_violations(version: OcppVersion) -> None:
    @FAST
    @given(call_frames(version))
    def receive(text: str) -> None:
        session = Session(version, call_timeout=5, peer_call_timeout=5)
        (event,) = session.receive_text(text, 1.0)
        assert isinstance(event, CallReceived), (text, event)
        assert event.error_code is None and not event.violations, (text, event.violations)
        assert serialize(event.call) == text

    receive()


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_schema_valid_results_match_their_call(version: OcppVersion) -> None:
    @FAST
    @given(st.sampled_from(sorted(actions(version))), st.data())
    def answer(action: str, data: st.DataObject) -> None:
        if load_schema(version, action, PayloadKind.RESPONSE) is None:
            return  # a 2.1 SEND message: never answered
        session = Session(version, call_timeout=5, peer_call_timeout=5)
        request = data.draw(strategy_for(version, action, PayloadKind.REQUEST))
        _, pending = session.send_call(action, request, 0.0)
        payload = data.draw(result_payloads(version, action))
        text = serialize(CallResult(pending.message_id, json.loads(json.dumps(payload))))
        (event,) = session.receive_text(text, 1.0)
        assert isinstance(event, ResultReceived) and not event.violations, (text, event)
        assert session.outstanding is None and not session.deviations

    answer()


def _answers(defaults: dict[str, Any], version: OcppVersion, role: str) -> list[Any]:
    return [
        pytest.param(version, action, id=f"{version.value}-{action}")
        for action in sent_by(version, role)
        if action in defaults
    ]


CSMS_ANSWERS = [
    p
    for v in (OcppVersion.V16, OcppVersion.V201)
    for p in _answers(csms_defaults(v, {}, 300), v, "station")
]
STATION_ANSWERS = [
    p for v in (OcppVersion.V16, OcppVersion.V201) for p in _answers(station_defaults(v), v, "csms")
]


@pytest.mark.parametrize(("version", "action"), CSMS_ANSWERS)
def test_csms_emulator_default_answers_are_schema_valid(version: OcppVersion, action: str) -> None:
    respond = csms_defaults(version, {"04A2B3C4D5E6F7": "Accepted"}, 300)[action]
    _check_defaults(version, action, respond)


@pytest.mark.parametrize(("version", "action"), STATION_ANSWERS)
def test_station_emulator_default_answers_are_schema_valid(
    version: OcppVersion, action: str
) -> None:
    _check_defaults(version, action, station_defaults(version)[action])


def _check_defaults(version: OcppVersion, action: str, respond: Any) -> None:
    @settings(max_examples=25, deadline=None, database=None)
    @given(strategy_for(version, action, PayloadKind.REQUEST))
    def check(request: dict[str, Any]) -> None:
        message = Message("in", "call", action, "id", request, 0.0, 1)
        answer = respond(message)
        violations = validate(version, action, PayloadKind.RESPONSE, answer)
        assert not violations, f"{action} answer {answer} to {request}: {violations}"

    check()
