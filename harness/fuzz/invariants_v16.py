"""Invariants over what a 1.6 charge point sent, checked after every stateful-fuzz step.

Pure functions of the messages received since an example began (the harness CSMS's answers
are on them: `Message.answer` gives each StartTransaction its transactionId). Transaction-
related messages arrive in chronological order (1.6 §3.7: delivered in order, also after an
offline period), so arrival order is the order of events. Per connector and transaction:

* one StartTransaction per charging session: no second one while the connector's transaction
  has no StopTransaction yet (§4.8, §4.10); an identical resend is a retry (§3.7.1), not a
  second start;
* MeterValues of a transaction carry its transactionId (§4.7: SHALL be included when related
  to a transaction), and no MeterValues or StopTransaction names a transactionId the Central
  System never gave or that is already stopped;
* meterStop >= meterStart, and the Energy.Active.Import.Register readings of a transaction
  (meterStart, MeterValues, transactionData, meterStop) never decrease (§7.31: a register) in
  the order of their timestamps (arrival order when one has none), allowing
  REGISTER_RESOLUTION for whole-Wh fields;
* StatusNotification Charging only while a transaction runs on that connector (§4.9, §7.7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.roles.exchange import Message

REGISTER = "Energy.Active.Import.Register"
#: meterStart/meterStop are whole Wh: a truncated register may sit this far below a reading.
REGISTER_RESOLUTION = 1.0
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class _Transaction:
    """One transaction as the messages tell it."""

    tx_id: int | None
    connector: int
    start: Message
    stop: Message | None = None
    #: (when, what, Wh) of every register reading; `when` None without a timestamp.
    readings: list[tuple[datetime | None, str, float]] = field(default_factory=list)


def _parse(value: object) -> datetime | None:
    """An OCPP dateTime (UTC when it names no offset), or None when absent or unreadable."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def register_readings(meter_values: Any) -> list[tuple[datetime | None, float]]:
    """(timestamp, Wh) of the Energy.Active.Import.Register readings of a MeterValue list."""
    found: list[tuple[datetime | None, float]] = []
    for meter_value in meter_values or []:
        when = _parse(meter_value.get("timestamp"))
        for sampled in meter_value.get("sampledValue") or []:
            if sampled.get("measurand", REGISTER) != REGISTER or sampled.get("phase"):
                continue
            if sampled.get("format") == "SignedData":
                continue
            try:
                value = float(sampled["value"])
            except (KeyError, TypeError, ValueError):
                continue
            found.append((when, value * 1000 if sampled.get("unit") == "kWh" else value))
    return found


def _periodic(meter_values: Any) -> bool:
    """True when a sampled value is a periodic sample (context absent: Sample.Periodic)."""
    return any(
        sampled.get("context", "Sample.Periodic") == "Sample.Periodic"
        for meter_value in meter_values or []
        for sampled in meter_value.get("sampledValue") or []
    )


def _time(message: Message) -> datetime | None:
    return _parse(message.payload.get("timestamp"))


class _Walk:
    """Replays the messages in arrival order; `problem` is the first violation found."""

    def __init__(self) -> None:
        self.transactions: list[_Transaction] = []
        self.by_id: dict[int, _Transaction] = {}
        self.running: dict[int, _Transaction] = {}
        self.charging: list[tuple[int, Message, bool]] = []
        self.problem: str | None = None

    def start(self, message: Message) -> None:
        connector = int(message.payload.get("connectorId", 0))
        if any(t.start.payload == message.payload for t in self.transactions):
            return  # the same StartTransaction.req sent again (§3.7.1 retry)
        current = self.running.get(connector)
        if current is not None:
            self.problem = (
                f"connector {connector}: StartTransaction at {message.at:.3f} s while "
                f"transaction {current.tx_id} (started at {current.start.at:.3f} s) has no "
                "StopTransaction: one StartTransaction per session (1.6 §4.8)"
            )
            return
        answer = message.answer or {}
        tx_id = answer.get("transactionId")
        tx = _Transaction(tx_id if isinstance(tx_id, int) else None, connector, message)
        meter_start = float(message.payload.get("meterStart", 0))
        tx.readings.append((_time(message), "meterStart", meter_start))
        self.transactions.append(tx)
        self.running[connector] = tx
        if tx.tx_id is not None:
            self.by_id[tx.tx_id] = tx

    def _known(self, message: Message, what: str) -> _Transaction | None:
        tx_id = message.payload.get("transactionId")
        tx = self.by_id.get(tx_id) if isinstance(tx_id, int) else None
        if tx is None:
            self.problem = (
                f"{what} at {message.at:.3f} s names transactionId {tx_id!r}, which no "
                "StartTransaction.conf gave (1.6 §4.7, §4.10)"
            )
        return tx

    def meter_values(self, message: Message) -> None:
        payload = message.payload
        connector = int(payload.get("connectorId", 0))
        if "transactionId" not in payload:
            current = self.running.get(connector)
            if current is not None and _periodic(payload.get("meterValue")):
                self.problem = (
                    f"connector {connector}: MeterValues at {message.at:.3f} s during "
                    f"transaction {current.tx_id} without its transactionId (1.6 §4.7)"
                )
            return
        tx = self._known(message, "MeterValues")
        if tx is None:
            return
        if tx.stop is not None:
            self.problem = (
                f"MeterValues at {message.at:.3f} s for transaction {tx.tx_id}, stopped at "
                f"{tx.stop.at:.3f} s (1.6 §4.7)"
            )
        elif tx.connector != connector:
            self.problem = (
                f"MeterValues of connector {connector} carry transactionId {tx.tx_id} of "
                f"connector {tx.connector} (1.6 §4.7)"
            )
        else:
            for when, value in register_readings(payload.get("meterValue")):
                tx.readings.append((when, f"MeterValues at {message.at:.3f} s", value))

    def stop(self, message: Message) -> None:
        tx = self._known(message, "StopTransaction")
        if tx is None:
            return
        if tx.stop is not None:
            if tx.stop.payload != message.payload:  # an identical one is a retry (§3.7.1)
                self.problem = (
                    f"second StopTransaction for transaction {tx.tx_id} at {message.at:.3f} s "
                    f"(first at {tx.stop.at:.3f} s; 1.6 §4.10)"
                )
            return
        tx.stop = message
        if self.running.get(tx.connector) is tx:
            del self.running[tx.connector]
        for when, value in register_readings(message.payload.get("transactionData")):
            tx.readings.append((when, "transactionData", value))
        meter_stop = float(message.payload.get("meterStop", 0))
        meter_start = tx.readings[0][2]
        if meter_stop < meter_start:
            self.problem = (
                f"transaction {tx.tx_id}: meterStop {meter_stop:g} Wh is below meterStart "
                f"{meter_start:g} Wh (1.6 §4.8, §4.10)"
            )
            return
        tx.readings.append((_time(message), "meterStop", meter_stop))

    def status(self, message: Message) -> None:
        if message.payload.get("status") == "Charging":
            connector = int(message.payload.get("connectorId", 0))
            self.charging.append((connector, message, connector in self.running))


def _register_problem(tx: _Transaction) -> str | None:
    """Readings in time order never fall more than REGISTER_RESOLUTION below the highest
    so far (arrival order if a reading has no timestamp; ties keep arrival order)."""
    readings = tx.readings
    if all(when is not None for when, _, _ in readings):
        readings = sorted(readings, key=lambda reading: reading[0] or _EPOCH)
    highest: tuple[str, float] | None = None
    for _, label, value in readings:
        if highest is not None and value < highest[1] - REGISTER_RESOLUTION:
            return (
                f"transaction {tx.tx_id}: {REGISTER} {value:g} Wh ({label}) is below "
                f"{highest[1]:g} Wh ({highest[0]}): the register never decreases (1.6 §7.31)"
            )
        if highest is None or value > highest[1]:
            highest = (label, value)
    return None


def _charging_problem(walk: _Walk, complete: bool) -> str | None:
    """Charging reported on a connector without a transaction there (arrival order, or the
    message timestamps: a status may be reported before a queued StartTransaction arrives)."""
    for connector, message, running in walk.charging:
        if running:
            continue
        at = _time(message)
        for tx in walk.transactions:
            start, stop = _time(tx.start), _time(tx.stop) if tx.stop else None
            if tx.connector != connector or at is None or start is None:
                continue
            if start <= at and (tx.stop is None or (stop is not None and at <= stop)):
                break
        else:
            if complete:
                return (
                    f"connector {connector}: StatusNotification Charging at {message.at:.3f} s "
                    "without a transaction on it (1.6 §4.9, §7.7)"
                )
    return None


def transaction_violation_16(messages: Iterable[Message], *, complete: bool) -> str | None:
    """Check the 1.6 transaction rules (module doc); `complete`: the charge point is online
    with nothing queued, so every message it made has arrived. Return the first violation."""
    walk = _Walk()
    handlers = {
        "StartTransaction": walk.start,
        "MeterValues": walk.meter_values,
        "StopTransaction": walk.stop,
        "StatusNotification": walk.status,
    }
    for message in messages:
        handler = handlers.get(message.action)
        if message.direction == "in" and handler is not None:
            handler(message)
            if walk.problem is not None:
                return walk.problem
    for tx in walk.transactions:
        problem = _register_problem(tx)
        if problem is not None:
            return problem
    return _charging_problem(walk, complete)


def running_transactions_16(messages: Iterable[Message]) -> dict[int, int]:
    """Connector id -> transactionId of transactions started (and given an id) and not stopped."""
    running: dict[int, int] = {}
    for message in messages:
        if message.direction != "in":
            continue
        if message.action == "StartTransaction":
            tx_id = (message.answer or {}).get("transactionId")
            if isinstance(tx_id, int):
                running[int(message.payload.get("connectorId", 0))] = tx_id
        elif message.action == "StopTransaction":
            stopped = message.payload.get("transactionId")
            running = {c: t for c, t in running.items() if t != stopped}
    return running
