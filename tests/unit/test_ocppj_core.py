"""The sans-I/O core: framing, schema validation, error codes, correlation, deviations."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.ocppj import errorcodes
from harness.ocppj.deviations import Level
from harness.ocppj.events import (
    CallReceived,
    CallTimedOut,
    ErrorReceived,
    FrameRejected,
    ResultReceived,
)
from harness.ocppj.frames import Call, CallError, CallResult, FrameProblem, Send, parse_frame
from harness.ocppj.schemas import PayloadKind, actions, validate
from harness.ocppj.session import OutgoingViolation, Session
from harness.ocppj.versions import OcppVersion

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21
BOOT_201 = {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}


def test_parse_each_message_type() -> None:
    assert parse_frame('[2,"1","Heartbeat",{}]', V201) == Call("1", "Heartbeat", {})
    assert parse_frame('[3,"1",{"a":1}]', V201) == CallResult("1", {"a": 1})
    assert parse_frame('[4,"1","NotSupported","x",{}]', V201) == CallError(
        "1", "NotSupported", "x", {}
    )
    assert parse_frame('[6,"9","NotifyPeriodicEventStream",{}]', V21) == Send(
        "9", "NotifyPeriodicEventStream", {}
    )


@pytest.mark.parametrize(
    ("text", "failure_class", "message_id"),
    [
        ("not json", "framing", None),
        ('{"a":1}', "framing", None),
        ('[2,1,"Heartbeat",{}]', "framing", None),
        ('[2,"7","Heartbeat"]', "framing", "7"),
        ('[2,"7","Heartbeat",[]]', "format", "7"),
        ('[9,"7","Heartbeat",{}]', "unknown-message-type", "7"),
        ('[6,"7","Heartbeat",{}]', "unknown-message-type", "7"),
    ],
)
def test_malformed_frames_are_problems(
    text: str, failure_class: str, message_id: str | None
) -> None:
    problem = parse_frame(text, V201)
    assert isinstance(problem, FrameProblem)
    assert problem.failure_class == failure_class
    assert problem.message_id == message_id


def test_schemas_come_from_the_ocpp_package() -> None:
    assert "BootNotification" in actions(V16)
    assert "TransactionEvent" in actions(V201)
    assert "NotifyPeriodicEventStream" in actions(V21)
    assert "TransactionEvent" not in actions(V16)


@pytest.mark.parametrize("tenths", range(0, 3201, 7))
def test_multiple_of_is_decimal_safe(tenths: int) -> None:
    """`multipleOf: 0.1` must accept every value with one decimal (8.1 A, 33.3 A...)."""
    profile = {
        "connectorId": 1,
        "csChargingProfiles": {
            "chargingProfileId": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": tenths / 10}],
            },
        },
    }
    assert validate(V16, "SetChargingProfile", PayloadKind.REQUEST, profile) == ()


def test_multiple_of_still_rejects_finer_values() -> None:
    payload = {
        "connectorId": 1,
        "csChargingProfiles": {
            "chargingProfileId": 1,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 8.15}],
            },
        },
    }
    violations = validate(V16, "SetChargingProfile", PayloadKind.REQUEST, payload)
    assert [v.keyword for v in violations] == ["MultipleOf"]


@pytest.mark.parametrize(
    ("version", "payload", "code"),
    [
        (V16, {"chargePointModel": "M"}, "OccurenceConstraintViolation"),
        (V16, {"chargePointModel": 1, "chargePointVendor": "V"}, "TypeConstraintViolation"),
        (
            V16,
            {"chargePointModel": "M" * 21, "chargePointVendor": "V"},
            "PropertyConstraintViolation",
        ),
        (V16, {"chargePointModel": "M", "chargePointVendor": "V", "x": 1}, "FormationViolation"),
        (V201, {"reason": "PowerUp"}, "OccurrenceConstraintViolation"),
        (V201, {**BOOT_201, "reason": 3}, "TypeConstraintViolation"),
        (V201, {**BOOT_201, "reason": "Nope"}, "PropertyConstraintViolation"),
        (V201, {**BOOT_201, "x": 1}, "FormatViolation"),
    ],
)
def test_error_code_table_per_version(
    version: OcppVersion, payload: dict[str, object], code: str
) -> None:
    violations = validate(version, "BootNotification", PayloadKind.REQUEST, payload)
    assert errorcodes.code_for_violations(version, violations) == code
    assert code in version.error_codes


def test_malformed_call_is_answered_with_the_table_code_and_recorded() -> None:
    session = Session(V16)
    [event] = session.receive_text('[2,"a","Authorize",{}]', 1.0)
    assert isinstance(event, CallReceived)
    assert event.error_code == "OccurenceConstraintViolation"
    assert [d.level for d in session.deviations] == [Level.MUST]
    assert session.deviations[0].ref == "OCPP 1.6 schema Authorize"


def test_unreadable_frame_is_answered_with_id_minus_one() -> None:
    session = Session(V201)
    [event] = session.receive_text("{{{", 0.0)
    assert isinstance(event, FrameRejected)
    assert (event.reply_id, event.error_code) == ("-1", "RpcFrameworkError")


def test_unknown_action_is_not_implemented() -> None:
    [event] = Session(V201).receive_text('[2,"1","Teleport",{}]', 0.0)
    assert isinstance(event, CallReceived)
    assert event.error_code == "NotImplemented"


def test_correlation_result_error_and_timeout() -> None:
    session = Session(V201, call_timeout=5)
    text, pending = session.send_call("Reset", {"type": "Immediate"}, 0.0)
    assert json.loads(text)[:3] == [2, pending.message_id, "Reset"]
    with pytest.raises(OutgoingViolation, match="outstanding"):
        session.send_call("Reset", {"type": "Immediate"}, 0.1)
    [answer] = session.receive_text(f'[3,"{pending.message_id}",{{"status":"Accepted"}}]', 1.0)
    assert isinstance(answer, ResultReceived)
    assert answer.result.payload == {"status": "Accepted"}

    _, pending = session.send_call("Reset", {"type": "Immediate"}, 2.0)
    [error] = session.receive_text(f'[4,"{pending.message_id}","NotSupported","",{{}}]', 3.0)
    assert isinstance(error, ErrorReceived)

    _, pending = session.send_call("Reset", {"type": "Immediate"}, 4.0)
    assert session.next_deadline() == 9.0
    assert session.handle_timeout(8.9) == []
    [expired] = session.handle_timeout(9.0)
    assert isinstance(expired, CallTimedOut)
    assert session.receive_text(f'[3,"{pending.message_id}",{{"status":"Accepted"}}]', 10) == []
    assert session.deviations[-1].level is Level.INFO  # late answer noted, not judged


def test_peer_deviations_are_recorded_never_raised() -> None:
    session = Session(V201, peer_call_timeout=30)
    session.receive_text('[3,"nobody","{}"]', 0.0)
    session.receive_text(f'[2,"{"x" * 37}","Heartbeat",{{}}]', 0.0)
    session.receive_text('[2,"2","Heartbeat",{}]', 0.5)  # first Heartbeat still unanswered
    session.receive_text('[4,"zz","Bogus","",{}]', 0.0)
    refs = [d.ref for d in session.deviations]
    assert "OCPP-J 2.0.1 §4.1.4" in refs  # id too long / unmatched answer
    assert "OCPP-J 2.0.1 §4.1.1" in refs  # synchronicity


def test_outgoing_payloads_are_validated() -> None:
    session = Session(V201)
    with pytest.raises(OutgoingViolation, match="schema"):
        session.send_call("Reset", {"type": "Sometime"}, 0.0)
    session.receive_text('[2,"1","Heartbeat",{}]', 0.0)
    with pytest.raises(OutgoingViolation, match="schema"):
        session.send_result("1", {"currentTime": "yesterday"})
    assert session.send_result("1", {"currentTime": "2024-01-01T00:00:00.000Z"}).startswith("[3,")


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1"))))
def test_receive_text_never_raises_on_arbitrary_text(text: str) -> None:
    for version in OcppVersion:
        Session(version).receive_text(text, 0.0)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(
    st.integers(min_value=-1, max_value=8),
    st.text(max_size=40),
    st.sampled_from(["Heartbeat", "BootNotification", "TransactionEvent", "Authorize", "X"]),
    json_values,
)
def test_receive_text_never_raises_on_frame_shaped_text(
    kind: int, message_id: str, action: str, payload: object
) -> None:
    text = json.dumps([kind, message_id, action, payload])
    for version in OcppVersion:
        session = Session(version)
        session.receive_text(text, 0.0)
        session.receive_text(json.dumps([kind, message_id, payload]), 0.0)
