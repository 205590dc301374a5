"""Invariants of the CSMS stateful fuzzer: each rule can fail, with the values in its message;
conforming answers pass. Also: the emulated station's payloads are schema-valid, and CSMS
programs round-trip through replay files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.dut.backends import CommandBackend
from harness.dut.device import Dut
from harness.dut.profile import load_profile
from harness.fuzz import invariants_csms as inv
from harness.fuzz.csms_dialects import Dialect, Dialect16, Dialect201, EmulatedTransaction
from harness.fuzz.invariants_csms import Answered
from harness.fuzz.program import Failure, Step
from harness.fuzz.replay import ReplayFileError, load_replay, require_kind, write_replay
from harness.ocppj.schemas import PayloadKind, validate
from harness.ocppj.versions import OcppVersion
from harness.roles.exchange import Message
from harness.transport.wirelog import WireLog

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dut"


def answered(action: str, at: float = 1.0, **fields: Any) -> Answered:
    """An answered CALL (CALLRESULT `{}` after 10 ms unless fields say otherwise)."""
    fields.setdefault("answer", {})
    fields.setdefault("answered_at", at + 0.01)
    fields.setdefault("request", {})
    return Answered(action, at=at, **fields)


def start_16(tx_id: int, key: str, at: float, status: str = "Accepted") -> Answered:
    answer = {"transactionId": tx_id, "idTagInfo": {"status": status}}
    request = {"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": "t"}
    return answered(
        "StartTransaction", at, request=request, answer=answer, token="valid", transaction=key
    )


def test_conforming_answers_pass() -> None:
    history = [
        answered("BootNotification", answer={"status": "Accepted"}),
        answered("Authorize", answer={"idTagInfo": {"status": "Blocked"}}, token="blocked"),
        start_16(1, "a", 2.0),
        start_16(2, "b", 3.0),
        start_16(2, "b", 3.5),  # the same transaction's StartTransaction again
        answered(
            "StartTransaction",
            4.0,
            answer={"transactionId": 3, "idTagInfo": {"status": "ConcurrentTx"}},
            token="valid",
            concurrent=True,
        ),
        answered(
            "StopTransaction",
            5.0,
            request={"transactionId": 1, "idTag": "A"},
            answer={"idTagInfo": {"status": "Accepted"}},
            token="valid",
        ),
    ]
    assert inv.answer_violation(history, 5.0) is None
    assert inv.token_violation(history) is None
    assert inv.transaction_id_violation_16(history) is None
    assert inv.stop_without_id_tag_info(history[-1]) is None


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (answered("Heartbeat", answer=None), "Heartbeat sent at 1.000 s: no answer within"),
        (
            answered("Heartbeat", answer=None, error="InternalError: boom"),
            "expected a CALLRESULT, saw CALLERROR InternalError: boom",
        ),
        (
            answered("Heartbeat", violations=("<root>: 'currentTime' is a required property",)),
            "the CALLRESULT breaks its schema: <root>: 'currentTime'",
        ),
        (answered("Heartbeat", answered_at=7.5), "answered after 6.500 s, beyond the timeout 5 s"),
    ],
)
def test_answer_rule_fails(item: Answered, expected: str) -> None:
    problem = inv.answer_violation([answered("Heartbeat"), item], 5.0)
    assert problem is not None and expected in problem, problem


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (
            [
                answered(
                    "Authorize", answer={"idTokenInfo": {"status": "Accepted"}}, token="blocked"
                )
            ],
            "the blocked token got status Accepted, expected Blocked",
        ),
        (
            [
                answered("Authorize", answer={"idTagInfo": {"status": "Accepted"}}, token="valid"),
                answered(
                    "Authorize", 2.0, answer={"idTagInfo": {"status": "Invalid"}}, token="valid"
                ),
            ],
            "this token so far: Authorize Accepted, Authorize Invalid",
        ),
        (
            [
                answered(
                    "Authorize", answer={"idTagInfo": {"status": "ConcurrentTx"}}, token="valid"
                )
            ],
            "got status ConcurrentTx, expected Accepted",
        ),
    ],
)
def test_token_rule_fails(history: list[Answered], expected: str) -> None:
    problem = inv.token_violation(history)
    assert problem is not None and expected in problem, problem


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([start_16(0, "a", 1.0)], "accepted with transactionId 0, expected an integer > 0"),
        (
            [start_16(1, "a", 1.0), start_16(1, "b", 2.0)],
            "transactionId 1 given to the StartTransaction sent at 1.000 s and again",
        ),
    ],
)
def test_transaction_id_rule_fails(history: list[Answered], expected: str) -> None:
    problem = inv.transaction_id_violation_16(history)
    assert problem is not None and expected in problem, problem


def test_rejected_start_is_not_held_to_the_id_rule() -> None:
    assert inv.transaction_id_violation_16([start_16(0, "a", 1.0, status="Invalid")]) is None


def test_id_token_info_rule() -> None:
    with_token = {"eventType": "Started", "idToken": {"idToken": "A", "type": "ISO14443"}}
    missing = answered("TransactionEvent", request=with_token, answer={})
    problem = inv.id_token_info_violation_201([missing])
    assert problem is not None and "Started sent at 1.000 s carries an idToken" in problem
    given = answered(
        "TransactionEvent", request=with_token, answer={"idTokenInfo": {"status": "Accepted"}}
    )
    no_token = answered("TransactionEvent", request={"eventType": "Updated"}, answer={})
    assert inv.id_token_info_violation_201([given, no_token]) is None


def _event(kind: str, at: float) -> Answered:
    request = {"eventType": kind, "transactionInfo": {"transactionId": "T1"}}
    return answered("TransactionEvent", at, request=request)


def _stop_command(action: str, tx_id: object, at: float) -> Message:
    return Message("in", "call", action, "c", {"transactionId": tx_id}, at, 1)


def test_remote_stop_rule() -> None:
    history = [_event("Started", 1.0), _event("Ended", 2.0)]
    late = _stop_command("RequestStopTransaction", "T1", 3.0)
    problem = inv.remote_stop_violation(history, [late])
    assert problem is not None and "at 3.000 s for transaction T1, whose end" in problem
    in_time = _stop_command("RequestStopTransaction", "T1", 1.5)
    assert inv.remote_stop_violation(history, [in_time]) is None
    # 1.6: an id given again to a new transaction may be stopped again
    starts = [start_16(5, "a", 1.0), answered("StopTransaction", 2.0, request={"transactionId": 5})]
    again = [*starts, start_16(5, "b", 3.0)]
    command = _stop_command("RemoteStopTransaction", 5, 4.0)
    assert inv.remote_stop_violation(again, [command]) is None
    assert inv.remote_stop_violation(starts, [command]) is not None


def test_stop_without_id_tag_info_is_a_shortfall() -> None:
    item = answered("StopTransaction", request={"transactionId": 1, "idTag": "A"}, answer={})
    shortfall = inv.stop_without_id_tag_info(item)
    assert shortfall is not None and "without idTagInfo (1.6 §4.10)" in shortfall
    no_tag = answered("StopTransaction", request={"transactionId": 1}, answer={})
    assert inv.stop_without_id_tag_info(no_tag) is None


def _dut(name: str) -> Dut:
    profile = load_profile(FIXTURES / name)
    return Dut(profile, CommandBackend({}), WireLog())


@pytest.mark.parametrize(
    ("dialect", "version"),
    [
        (Dialect16(_dut("reference-csms-16.toml")), OcppVersion.V16),
        (Dialect201(_dut("reference-csms-201.toml")), OcppVersion.V201),
    ],
)
def test_station_payloads_are_schema_valid(dialect: Dialect, version: OcppVersion) -> None:
    tx = EmulatedTransaction("7b6c", 2, "valid")
    transaction_calls = [
        dialect.start(tx, "TAG", 1000),
        dialect.meter(tx, 1200),
        *[
            dialect.stop(tx, token, reason, 1300)
            for token in ("TAG", None)
            for reason in ("Local", "EVDisconnected", "DeAuthorized", "Remote", "Reboot")
        ],
    ]
    dialect.started(tx, {"transactionId": 41, "idTagInfo": {"status": "Accepted"}})
    calls = [
        *[(a, dialect.deliver(tx, a, p, offline=True)) for a, p in transaction_calls],
        ("Authorize", dialect.authorize("TAG")),
        *[("StatusNotification", dialect.status(2, status)) for status in dialect.statuses],
        *[("StatusNotification", payload) for payload in dialect.boot_statuses()],
    ]
    for action, sent in calls:
        assert sent is not None
        assert validate(version, action, PayloadKind.REQUEST, sent) == (), (action, sent)
    if version is OcppVersion.V201:
        events = [p for a, p in calls if a == "TransactionEvent" and p is not None]
        assert [p["seqNo"] for p in events] == list(range(12))
        assert all(p["offline"] is True for p in events)
    else:
        assert all(p and p.get("transactionId") == 41 for a, p in calls[1:12]), calls[1:12]


def test_16_messages_wait_for_their_transaction_id() -> None:
    dialect = Dialect16(_dut("reference-csms-16.toml"))
    tx = EmulatedTransaction("k", 1, "valid")
    action, payload = dialect.meter(tx, 1000)
    assert dialect.deliver(tx, action, payload, offline=True) is None


def test_csms_replay_file_round_trip(tmp_path: Path) -> None:
    failure = Failure(
        (
            Step("start_transaction", {"evse": 1, "token": "valid"}),
            Step("connection_loss", {"offline": [{"step": "heartbeat"}]}),
        ),
        "transactionId 1 given twice",
        ("0.1s -> StartTransaction {...}",),
    )
    path = write_replay(tmp_path / "f.json", "FUZZ_16_CSMS_stateful", "1.6", "csms", failure)
    program = load_replay(path)
    assert (program.steps, program.version, program.dut_role) == (failure.steps, "1.6", "csms")
    require_kind(program, path, "1.6", "csms")
    with pytest.raises(ReplayFileError, match=r"this replay case plays '2\.0\.1', 'csms'"):
        require_kind(program, path, "2.0.1", "csms")
    document = json.loads(path.read_text())
    document["steps"][0]["step"] = "plug_in"
    path.write_text(json.dumps(document))
    with pytest.raises(ReplayFileError, match="not a step against a csms under test"):
        load_replay(path)
