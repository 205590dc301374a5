"""harness/fuzz/oracles.py: grading an answer against what the RPC framework allows."""

from __future__ import annotations

import pytest

from harness.fuzz import oracles
from harness.fuzz.oracles import FAIL, NON_STRICT, PASS, Observed, grade
from harness.ocppj.versions import OcppVersion

V16, V201 = OcppVersion.V16, OcppVersion.V201


@pytest.mark.parametrize(
    ("version", "failure_class", "outcome", "verdict"),
    [
        (V16, "occurrence", "OccurenceConstraintViolation", PASS),
        (V16, "occurrence", "ProtocolError", NON_STRICT),
        (V16, "occurrence", "GenericError", NON_STRICT),
        (V16, "occurrence", "OccurrenceConstraintViolation", FAIL),  # 2.x spelling, not 1.6
        (V16, "type", "TypeConstraintViolation", PASS),
        (V16, "property", "PropertyConstraintViolation", PASS),
        (V16, "format", "FormationViolation", PASS),
        (V16, "format", "FormatViolation", FAIL),  # the errata keeps FormationViolation
        (V16, "occurrence", "NotImplemented", FAIL),
        (V16, "occurrence", "SecurityError", FAIL),
        (V16, "occurrence", oracles.RESULT, FAIL),
        (V16, "occurrence", oracles.SILENCE, FAIL),
        (V16, "occurrence", oracles.closed(1002), FAIL),
        (V201, "occurrence", "OccurrenceConstraintViolation", PASS),
        (V201, "format", "FormatViolation", PASS),
        (V201, "type", "GenericError", NON_STRICT),
        (V201, "type", oracles.SILENCE, NON_STRICT),  # Part 4 §4.2.3: allowed to drop
        (V201, "type", oracles.RESULT, FAIL),
        (V201, "type", oracles.closed(None), FAIL),
        (V201, "type", "Bogus", FAIL),
    ],
)
def test_payload_grading(
    version: OcppVersion, failure_class: str, outcome: str, verdict: str
) -> None:
    graded = grade(version, oracles.payload_oracle(version, failure_class), Observed(outcome))
    assert graded.verdict == verdict, graded.message


@pytest.mark.parametrize(
    ("version", "oracle", "outcome", "verdict"),
    [
        (V16, oracles.framing_oracle(V16), "ProtocolError", PASS),
        (V16, oracles.framing_oracle(V16), "FormationViolation", NON_STRICT),
        (V16, oracles.framing_oracle(V16), oracles.SILENCE, FAIL),
        (V201, oracles.framing_oracle(V201), "RpcFrameworkError", PASS),
        (V201, oracles.framing_oracle(V201), "ProtocolError", NON_STRICT),
        (V201, oracles.framing_oracle(V201), oracles.closed(1002), FAIL),
        (V16, oracles.unknown_action_oracle(V16), "NotImplemented", PASS),
        (V16, oracles.unknown_action_oracle(V16), "NotSupported", NON_STRICT),
        (V16, oracles.unknown_action_oracle(V16), "GenericError", FAIL),
        (V201, oracles.unknown_action_oracle(V201), "GenericError", FAIL),
        (V16, oracles.unknown_message_type_oracle(V16), oracles.SILENCE, PASS),  # §4.1.3 ignore
        (V16, oracles.unknown_message_type_oracle(V16), "ProtocolError", PASS),
        (V16, oracles.unknown_message_type_oracle(V16), oracles.RESULT, FAIL),
        (V16, oracles.unknown_message_type_oracle(V16), oracles.closed(1002), FAIL),
        (V201, oracles.unknown_message_type_oracle(V201), "MessageTypeNotSupported", PASS),
        (V201, oracles.unknown_message_type_oracle(V201), oracles.SILENCE, FAIL),  # §4.4 SHALL
        (V201, oracles.unknown_message_type_oracle(V201), "GenericError", FAIL),
        (V16, oracles.answered_oracle(V16), oracles.RESULT, PASS),
        (V16, oracles.answered_oracle(V16), "NotSupported", PASS),
        (V16, oracles.answered_oracle(V16), oracles.SILENCE, FAIL),
        (V201, oracles.answered_oracle(V201, drop_allowed=True), oracles.SILENCE, NON_STRICT),
        (V201, oracles.answered_oracle(V201), oracles.SILENCE, FAIL),
        (V201, oracles.answered_oracle(V201), "NotAnErrorCode", FAIL),
        (V16, oracles.oversized_oracle(V16), oracles.CLOSED_TOO_BIG, PASS),
        (V16, oracles.oversized_oracle(V16), oracles.RESULT, PASS),
        (V16, oracles.oversized_oracle(V16), oracles.closed(1006), FAIL),
        (V16, oracles.oversized_oracle(V16), oracles.SILENCE, FAIL),
    ],
)
def test_framing_grading(
    version: OcppVersion, oracle: oracles.Oracle, outcome: str, verdict: str
) -> None:
    graded = grade(version, oracle, Observed(outcome))
    assert graded.verdict == verdict, graded.message


def test_messages_say_what_was_expected_and_what_was_seen() -> None:
    oracle = oracles.payload_oracle(V16, "occurrence")
    failed = grade(V16, oracle, Observed(oracles.RESULT, "{}"))
    assert failed.message.startswith("expected CALLERROR OccurenceConstraintViolation")
    assert "tolerated: FormationViolation, GenericError, PropertyConstraintViolation" in (
        failed.message
    )
    assert failed.message.endswith("saw CALLRESULT {}")
    tolerated = grade(V16, oracle, Observed("GenericError", "'bad'"))
    assert "saw CALLERROR GenericError 'bad'" in tolerated.message
    assert "legitimate but not the precise answer" in tolerated.message
    alien = grade(V201, oracles.payload_oracle(V201, "type"), Observed("Oops"))
    assert "not an OCPP 2.0.1 error code (Part 4 §4.3 Table 8)" in alien.message
    passed = grade(V201, oracles.payload_oracle(V201, "type"), Observed("TypeConstraintViolation"))
    assert passed.message == (
        "expected CALLERROR TypeConstraintViolation; saw CALLERROR TypeConstraintViolation"
    )


def test_oracles_cite_their_version() -> None:
    assert oracles.payload_oracle(V16, "type").ref.startswith("OCPP-J 1.6 §4.2.3")
    assert oracles.payload_oracle(V201, "type").ref.startswith("OCPP 2.0.1 Part 4")
    assert oracles.unknown_message_type_oracle(V201).ref == "OCPP 2.0.1 Part 4 §4.4"
