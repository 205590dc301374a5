"""OCPP 1.6 reservations of the reference charge point (§3.11, §5.1, §5.13).

A reservation holds one connector (or, for connectorId 0 with ReserveConnectorZeroSupported,
keeps one connector free) for an idTag or its parent idTag until expiryDate. The reserved
connector reports Reserved (§4.9); any other idTag is refused there; the transaction of the
reserving idTag carries the reservationId and ends the reservation (§4.8, §5.13); at expiry
or cancellation the connector is made available again and reported.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from harness.sim.station.link import Answer, Payload
from harness.sim.station.model import EvseModel
from harness.sim.station.v16_local_list import local_parent

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16


@dataclass
class Reservation:
    """One accepted ReserveNow.req (§6.37)."""

    id: int
    connector: int
    id_tag: str
    parent: str | None
    expiry: datetime


def _reservations(v: V16) -> dict[int, Reservation]:
    return v.reservations


def _free(v: V16, evse: EvseModel) -> bool:
    """Available, not counting reservations: operative, no EV, no idTag, no transaction."""
    return (
        evse.operative
        and evse.transaction is None
        and not evse.plugged
        and evse.authorized is None
        and not evse.finishing
        and evse.id not in v.errors
    )


def blocking(v: V16, evse: EvseModel) -> Reservation | None:
    """The reservation that holds `evse`, if any (§5.13)."""
    held = _reservations(v).values()
    for reservation in held:
        if reservation.connector == evse.id:
            return reservation
    anywhere = [r for r in held if r.connector == 0]
    if not anywhere:
        return None
    specific = {r.connector for r in held if r.connector != 0}
    free = [e for e in v.station.evses.values() if _free(v, e) and e.id not in specific]
    if evse in free and len(free) <= len(anywhere):
        return anywhere[0]
    return None


def _matches(v: V16, reservation: Reservation, token: str) -> bool:
    if token == reservation.id_tag:
        return True
    if v.config.fault("reservation-parent-ignored"):
        return False
    parent = v.parents.get(token) or local_parent(v, token)
    return reservation.parent is not None and parent == reservation.parent


async def admits(v: V16, evse: EvseModel, token: str) -> bool:
    """Whether `token` may charge at `evse`: free, or it or its parent holds the reservation.

    §5.13: the parent idTag of an incoming idTag not found locally SHALL be asked for with
    Authorize.req.
    """
    reservation = blocking(v, evse)
    if reservation is None or v.config.fault("reservation-not-enforced"):
        return True
    if token == reservation.id_tag:
        return True
    if reservation.parent is None:
        return False
    if token not in v.parents and local_parent(v, token) is None:
        await v.authorize(token)
    return _matches(v, reservation, token)


def take(v: V16, evse: EvseModel, token: str | None) -> int | None:
    """End the reservation a transaction of `token` at `evse` uses; return its id (§4.8)."""
    if token is None:
        return None
    for reservation in list(_reservations(v).values()):
        if reservation.connector in (0, evse.id) and _matches(v, reservation, token):
            del _reservations(v)[reservation.id]
            return reservation.id
    return None


def _expiry(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _refusal(v: V16, connector: int) -> str | None:
    """ReservationStatus when the connector (0: the charge point) cannot be reserved (§7.40)."""
    evses = v.station.evses
    targets = list(evses.values()) if connector == 0 else [evses[connector]]
    if not v.config.fault("reservation-ignores-availability"):
        if all(e.id in v.errors for e in targets):
            return "Faulted"
        if all(not e.operative for e in targets):
            return "Unavailable"
    if v.config.fault("reservation-ignores-occupied"):
        return None
    held = {r.connector for r in _reservations(v).values()}
    if connector != 0:
        evse = evses[connector]
        return None if _free(v, evse) and connector not in held else "Occupied"
    free = [e for e in targets if _free(v, e) and e.id not in held]
    anywhere = sum(1 for r in _reservations(v).values() if r.connector == 0)
    return None if len(free) > anywhere else "Occupied"


async def reserve_now(v: V16, p: Payload) -> Answer:
    """ReserveNow (§5.13): Rejected when configured to refuse reservations, or for connector 0
    without ReserveConnectorZeroSupported; else replace a same-id reservation or reserve."""
    connector = int(p["connectorId"])
    evses = v.station.evses
    if connector != 0 and connector not in evses:
        return Answer({"status": "Rejected"})
    if v.config.reject_reservations and not v.config.fault("reservation-refusal-ignored"):
        return Answer({"status": "Rejected"})
    zero_supported = v.keys.flag("ReserveConnectorZeroSupported")
    if connector == 0 and not zero_supported and not v.config.fault("reserve-zero-unchecked"):
        return Answer({"status": "Rejected"})
    reservation_id = int(p["reservationId"])
    previous = _reservations(v).pop(reservation_id, None)
    refusal = _refusal(v, connector)
    if refusal is not None:
        if previous is not None:
            _reservations(v)[previous.id] = previous
        return Answer({"status": refusal})
    reservation = Reservation(
        reservation_id,
        connector,
        str(p["idTag"]),
        p.get("parentIdTag"),
        _expiry(str(p["expiryDate"])),
    )
    _reservations(v)[reservation_id] = reservation
    v.station.spawn(_expire(v, reservation))

    async def notify() -> None:
        for number in evses:
            await v.report(number)

    return Answer({"status": "Accepted"}, then=notify)


async def _expire(v: V16, reservation: Reservation) -> None:
    """At expiryDate end the reservation and report the connector available (§5.13)."""
    if v.config.fault("reservation-never-expires"):
        return
    delay = (reservation.expiry - datetime.now(UTC)).total_seconds()
    await asyncio.sleep(max(0.0, delay))
    if _reservations(v).get(reservation.id) is reservation:
        del _reservations(v)[reservation.id]
        for number in v.station.evses:
            await v.report(number)


async def cancel_reservation(v: V16, p: Payload) -> Answer:
    """CancelReservation (§5.1): Accepted for a known reservationId, else Rejected."""
    reservation = _reservations(v).pop(int(p["reservationId"]), None)
    if reservation is None:
        known = v.config.fault("cancel-reservation-always-accepted")
        return Answer({"status": "Accepted" if known else "Rejected"})
    if v.config.fault("cancel-reservation-kept"):
        _reservations(v)[reservation.id] = reservation

    async def notify() -> None:
        for number in v.station.evses:
            await v.report(number)

    return Answer({"status": "Accepted"}, then=notify)


def release_unavailable(v: V16) -> None:
    """End reservations of connectors set Unavailable (§5.13 (3))."""
    evses = v.station.evses
    for reservation in list(_reservations(v).values()):
        connector = reservation.connector
        if connector and not evses[connector].operative:
            del _reservations(v)[reservation.id]
