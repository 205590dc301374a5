"""Invariants of the 1.6 station stateful fuzzer: each rule can fail, with the values in its
message; conforming histories (retries, clock-aligned values, late StartTransaction) pass."""

from __future__ import annotations

from typing import Any

import pytest

from harness.fuzz.invariants_v16 import (
    register_readings,
    running_transactions_16,
    transaction_violation_16,
)
from harness.roles.exchange import Message

T0 = "2026-01-01T10:00:0{}.000Z"


def msg(action: str, at: float, answer: dict[str, Any] | None = None, **payload: Any) -> Message:
    """A CALL from the charge point, answered `answer` by the harness CSMS."""
    return Message("in", "call", action, f"m{at}", payload, at, 1, answer=answer)


def start(
    at: float, tx: int = 7, connector: int = 1, meter: int = 1000, second: int = 0
) -> Message:
    return msg(
        "StartTransaction",
        at,
        {"transactionId": tx, "idTagInfo": {"status": "Accepted"}},
        connectorId=connector,
        idTag="TAG",
        meterStart=meter,
        timestamp=T0.format(second),
    )


def meter(
    at: float,
    value: str,
    tx: int | None = 7,
    connector: int = 1,
    context: str = "Sample.Periodic",
    unit: str = "Wh",
    second: int = 2,
) -> Message:
    sampled = {"value": value, "context": context, "unit": unit}
    ids = {} if tx is None else {"transactionId": tx}
    return msg(
        "MeterValues",
        at,
        {},
        connectorId=connector,
        meterValue=[{"timestamp": T0.format(second), "sampledValue": [sampled]}],
        **ids,
    )


def stop(at: float, value: int, tx: int = 7, second: int = 4, **extra: Any) -> Message:
    return msg(
        "StopTransaction",
        at,
        {},
        transactionId=tx,
        meterStop=value,
        timestamp=T0.format(second),
        reason="Local",
        **extra,
    )


def status(at: float, value: str, connector: int = 1, second: int = 1) -> Message:
    return msg(
        "StatusNotification",
        at,
        {},
        connectorId=connector,
        errorCode="NoError",
        status=value,
        timestamp=T0.format(second),
    )


def test_conforming_history_passes() -> None:
    begin = {"timestamp": T0.format(0), "sampledValue": [{"value": "1000"}]}
    end = {"timestamp": T0.format(4), "sampledValue": [{"value": "1005"}]}
    history = [
        status(0.5, "Preparing"),
        start(1.0),
        start(1.1),  # the same StartTransaction.req again: a retry (§3.7.1)
        status(1.2, "Charging"),
        meter(2.0, "1005"),
        meter(2.1, "1006", tx=None, connector=2, context="Sample.Clock"),
        meter(2.2, "1006", tx=None, context="Sample.Clock"),  # clock-aligned: no id needed
        meter(2.5, "1005.6", second=3),  # meterStop 1005 is whole Wh: register resolution
        stop(3.0, 1005, transactionData=[begin, end]),
        stop(3.1, 1005, transactionData=[begin, end]),  # retry
        status(3.2, "Finishing", second=5),
    ]
    assert transaction_violation_16(history, complete=True) is None
    assert running_transactions_16(history[:5]) == {1: 7}
    assert running_transactions_16(history) == {}


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (
            [start(1.0), start(2.0, tx=8, meter=1001)],
            "connector 1: StartTransaction at 2.000 s while transaction 7",
        ),
        ([start(1.0), meter(2.0, "1001", tx=None)], "during transaction 7 without its"),
        ([start(1.0), meter(2.0, "1001", tx=9)], "names transactionId 9, which no"),
        ([start(1.0), stop(2.0, 1001), meter(3.0, "1002")], "transaction 7, stopped at 2.000 s"),
        (
            [start(1.0), start(1.5, tx=8, connector=2), meter(2.0, "1001", tx=8)],
            "MeterValues of connector 1 carry transactionId 8 of connector 2",
        ),
        ([stop(2.0, 1001, tx=3)], "names transactionId 3, which no"),
        (
            [start(1.0), stop(2.0, 1001), stop(3.0, 1002)],
            "second StopTransaction for transaction 7 at 3.000 s",
        ),
        ([start(1.0), stop(2.0, 900)], "meterStop 900 Wh is below meterStart 1000 Wh"),
        (
            [start(1.0), meter(2.0, "1050"), meter(3.0, "1040", second=3), stop(4.0, 1060)],
            "1040 Wh (MeterValues at 3.000 s) is below 1050 Wh (MeterValues at 2.000 s)",
        ),
        (
            [start(1.0), meter(2.0, "1.2", unit="kWh"), stop(3.0, 1100)],
            "1100 Wh (meterStop) is below 1200 Wh",
        ),
        ([status(1.0, "Charging")], "StatusNotification Charging at 1.000 s without"),
        (
            [start(1.0), stop(2.0, 1001, second=3), status(3.0, "Charging", second=5)],
            "StatusNotification Charging at 3.000 s without",
        ),
    ],
)
def test_each_rule_fails(history: list[Message], expected: str) -> None:
    problem = transaction_violation_16(history, complete=True)
    assert problem is not None and expected in problem, problem


def test_charging_before_a_queued_start_arrives() -> None:
    """A status reported at the reconnect may overtake the queued StartTransaction (§3.7):
    timestamps decide; while messages may still be queued, nothing is concluded."""
    early = [status(1.0, "Charging", second=2)]
    assert transaction_violation_16(early, complete=False) is None
    assert transaction_violation_16([*early, start(1.5, second=1)], complete=True) is None
    late = [*early, start(1.5, second=3)]
    problem = transaction_violation_16(late, complete=True)
    assert problem is not None and "Charging at 1.000 s without" in problem


def test_register_readings_picks_the_energy_register() -> None:
    values = [
        {
            "timestamp": T0.format(1),
            "sampledValue": [
                {"value": "2.5", "unit": "kWh"},
                {"value": "16", "measurand": "Current.Import", "unit": "A"},
                {"value": "900", "phase": "L1"},
                {"value": "abc"},
            ],
        }
    ]
    readings = register_readings(values)
    assert [value for _, value in readings] == [2500.0]
