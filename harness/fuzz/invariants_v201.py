"""Invariants over what a 2.0.1 charging station sent, checked after every stateful-fuzz step.

Pure functions of the messages received since an example began; each returns the first
violation as text (what was expected, what was seen) or None. They hold for any conforming
station whatever the harness made it do. Part 6 general tool rules: TransactionEventRequests
need not arrive in chronological order, but their seqNo count 0, 1, 2, ... in chronological
order; the first event of a transaction is Started. Hence, per transaction:

* no seqNo twice; Started has seqNo 0 and comes once; nothing is numbered after Ended;
* once the station is online and idle (nothing left in its queue, E04), the seqNo are exactly
  0..n-1: a gap is a lost or misnumbered message;
* Energy.Active.Import.Register never decreases in seqNo order (J01: cumulative register);
* an EVSE carries one transaction at a time: two unended transactions on one EVSE (E01).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from harness.roles.exchange import Message

REGISTER = "Energy.Active.Import.Register"


def _register(event: dict[str, Any]) -> float | None:
    """The last Energy.Active.Import.Register value of an event's meter values, if any."""
    found = None
    for meter_value in event.get("meterValue") or []:
        for sampled in meter_value.get("sampledValue") or []:
            if sampled.get("measurand", REGISTER) == REGISTER and "value" in sampled:
                found = float(sampled["value"])
    return found


def _events(messages: Iterable[Message]) -> dict[str, list[Message]]:
    """TransactionEvent requests the station sent, by transactionId, in arrival order."""
    grouped: dict[str, list[Message]] = {}
    for message in messages:
        if message.direction == "in" and message.action == "TransactionEvent":
            tx_id = str((message.payload.get("transactionInfo") or {}).get("transactionId"))
            grouped.setdefault(tx_id, []).append(message)
    return grouped


def _numbering(tx_id: str, events: list[Message], complete: bool) -> str | None:
    """seqNo rules of one transaction (see the module doc)."""
    numbers = [int(m.payload.get("seqNo", -1)) for m in events]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        return f"transaction {tx_id}: seqNo {repeated} sent more than once (seqNo: {numbers})"
    kinds = {int(m.payload.get("seqNo", -1)): m.payload.get("eventType") for m in events}
    started = [n for n, kind in kinds.items() if kind == "Started"]
    if len(started) > 1 or (started and started[0] != 0) or (0 in kinds and kinds[0] != "Started"):
        return f"transaction {tx_id}: Started must be seqNo 0, once (events: {kinds})"
    ended = [n for n, kind in kinds.items() if kind == "Ended"]
    if ended and max(kinds) > ended[0]:
        return f"transaction {tx_id}: seqNo {max(kinds)} after Ended seqNo {ended[0]}"
    if complete and sorted(kinds) != list(range(len(kinds))):
        return f"transaction {tx_id}: seqNo {sorted(kinds)} has a gap, expected 0..{len(kinds) - 1}"
    return None


def _register_monotonic(tx_id: str, events: list[Message]) -> str | None:
    """Energy register readings in seqNo order never decrease."""
    last: tuple[int, float] | None = None
    for message in sorted(events, key=lambda m: int(m.payload.get("seqNo", 0))):
        register = _register(message.payload)
        if register is None:
            continue
        seq = int(message.payload.get("seqNo", 0))
        if last is not None and register < last[1]:
            return (
                f"transaction {tx_id}: {REGISTER} {register:g} Wh at seqNo {seq} is below "
                f"{last[1]:g} Wh at seqNo {last[0]}"
            )
        last = (seq, register)
    return None


def transaction_violation(messages: Iterable[Message], *, complete: bool) -> str | None:
    """Check every transaction's events; `complete`: the station is online with an empty
    queue, so every event it created has arrived. Return the first violation."""
    grouped = _events(messages)
    unended: dict[int, list[str]] = {}
    for tx_id, events in grouped.items():
        problem = _numbering(tx_id, events, complete) or _register_monotonic(tx_id, events)
        if problem is not None:
            return problem
        if not any(m.payload.get("eventType") == "Ended" for m in events):
            evse = next(((m.payload.get("evse") or {}).get("id") for m in events), None)
            if evse is not None:
                unended.setdefault(int(evse), []).append(tx_id)
    if complete:
        for evse, tx_ids in unended.items():
            if len(tx_ids) > 1:
                return f"EVSE {evse}: transactions {tx_ids} are all running (none Ended)"
    return None


def running_transactions(messages: Iterable[Message]) -> dict[int, str]:
    """EVSE id -> transactionId of transactions Started and not Ended, from the messages."""
    running: dict[int, str] = {}
    for message in messages:
        if message.direction != "in" or message.action != "TransactionEvent":
            continue
        event = message.payload
        tx_id = str((event.get("transactionInfo") or {}).get("transactionId"))
        evse = (event.get("evse") or {}).get("id")
        if event.get("eventType") == "Started" and evse is not None:
            running[int(evse)] = tx_id
        elif event.get("eventType") == "Ended":
            running = {e: t for e, t in running.items() if t != tx_id}
    return running
