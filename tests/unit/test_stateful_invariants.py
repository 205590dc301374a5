"""Invariants of the 2.0.1 stateful fuzzer, and replay files: each rule can fail, with the
values in its message; conforming histories (including out-of-order arrival) pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.fuzz.invariants_v201 import running_transactions, transaction_violation
from harness.fuzz.program import Failure, Step
from harness.fuzz.replay import FORMAT, ReplayFileError, load_replay, write_replay
from harness.roles.exchange import Message


def event(
    kind: str, seq: int, tx: str = "T1", evse: int = 1, register: float | None = None
) -> Message:
    """A TransactionEventRequest from the station."""
    payload: dict[str, Any] = {
        "eventType": kind,
        "seqNo": seq,
        "transactionInfo": {"transactionId": tx},
        "evse": {"id": evse, "connectorId": 1},
    }
    if register is not None:
        payload["meterValue"] = [{"sampledValue": [{"value": register}]}]
    return Message("in", "call", "TransactionEvent", f"m{seq}{tx}", payload, float(seq), 1)


def test_conforming_history_passes_also_out_of_order() -> None:
    history = [
        event("Started", 0, register=10),
        event("Updated", 2, register=12),
        event("Updated", 1, register=11),  # Part 6: arrival order is free
        event("Ended", 3, register=13),
        event("Started", 0, tx="T2", register=13),
    ]
    assert transaction_violation(history, complete=True) is None
    assert running_transactions(history) == {1: "T2"}


@pytest.mark.parametrize(
    ("history", "complete", "expected"),
    [
        ([event("Started", 0), event("Updated", 2)], True, "seqNo [0, 2] has a gap"),
        ([event("Started", 0), event("Updated", 1), event("Updated", 1)], False, "seqNo [1]"),
        ([event("Updated", 0)], False, "Started must be seqNo 0"),
        ([event("Started", 0), event("Started", 1)], False, "Started must be seqNo 0"),
        ([event("Started", 0), event("Ended", 1), event("Updated", 2)], False, "after Ended"),
        (
            [event("Started", 0, register=20), event("Updated", 1, register=19.5)],
            False,
            "19.5 Wh at seqNo 1 is below 20 Wh at seqNo 0",
        ),
        (
            [event("Started", 0), event("Started", 0, tx="T2")],
            True,
            "EVSE 1: transactions ['T1', 'T2'] are all running",
        ),
    ],
)
def test_each_rule_fails(history: list[Message], complete: bool, expected: str) -> None:
    problem = transaction_violation(history, complete=complete)
    assert problem is not None and expected in problem, problem


def test_gap_is_tolerated_while_messages_may_still_be_queued() -> None:
    history = [event("Started", 0), event("Updated", 2)]
    assert transaction_violation(history, complete=False) is None


def test_replay_file_round_trip(tmp_path: Path) -> None:
    failure = Failure(
        (Step("start_session", {"evse": 1}), Step("connection_loss", {"offline_unplug": None})),
        "transaction T1: seqNo [0, 2] has a gap, expected 0..1",
        ("1.0s <- TransactionEvent {...}",),
    )
    path = write_replay(tmp_path / "f.json", "FUZZ_201_CS_stateful", "2.0.1", "station", failure)
    program = load_replay(path)
    assert program.steps == failure.steps
    assert (program.case, program.violation) == ("FUZZ_201_CS_stateful", failure.violation)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"format": "other"}, "[format] = 'other': expected 'ocpp-harness-replay/1'"),
        ({"format": FORMAT, "steps": "x"}, "[steps] = 'x': expected a list"),
        ({"format": FORMAT, "steps": [{"step": "fly"}]}, "[steps[0].step] = 'fly'"),
        (
            {"format": FORMAT, "steps": [], "dut_role": "csms", "version": "2.1", "case": "x"},
            "[version, dut_role] = '2.1', 'csms': expected one of '2.0.1', 'station'",
        ),
        (
            {
                "format": FORMAT,
                "steps": [{"step": "plug_in"}],
                "dut_role": "csms",
                "version": "1.6",
                "case": "x",
            },
            "[steps[0].step] = 'plug_in': not a step against a csms under test",
        ),
    ],
)
def test_bad_replay_files_name_the_key(
    tmp_path: Path, document: dict[str, Any], expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ReplayFileError) as error:
        load_replay(path)
    assert str(path) in str(error.value) and expected in str(error.value)


def test_unreadable_replay_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ReplayFileError, match="not a readable JSON file"):
        load_replay(path)
