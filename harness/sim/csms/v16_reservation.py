"""Reservation behaviour of the reference 1.6 CSMS (1.6 §5.13 ReserveNow, §5.1, §4.8, §3.10).

What a conforming Central System does is plain: it sends the reservation it was asked to,
accepts a StartTransaction.req that ends a reservation (§4.8 reservationId) like any other,
and gives an idTag's parentIdTag in IdTagInfo so a group member can use a group reservation
(§3.10, §5.13). The fault switches below break exactly one of those.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Final

from harness.ocppj.clock import utc_timestamp
from harness.sim.csms.context import CsmsContext

Payload = dict[str, Any]

#: Fault names of this module (see harness/sim/faults_csms_v16_advanced.py).
EXPIRY_PAST: Final = "resv16-expiry-past"
CANCEL_WRONG_ID: Final = "resv16-cancel-wrong-id"
START_REFUSED: Final = "resv16-reservation-start-refused"
NO_PARENT: Final = "resv16-no-parent-id"
REFUSAL_DROPS: Final = "resv16-refusal-drops"


def distort(ctx: CsmsContext, action: str, payload: Payload) -> Payload:
    """Apply the reservation faults to an outgoing CALL (`payload` is the CSMS's own copy).

    `resv16-expiry-past`: ReserveNow.req expiryDate an hour ago. `resv16-cancel-wrong-id`:
    CancelReservation.req names the next reservationId, not the one asked for.
    """
    if action == "ReserveNow" and ctx.fault(EXPIRY_PAST):
        payload["expiryDate"] = utc_timestamp(datetime.now(UTC) - timedelta(hours=1))
    if action == "CancelReservation" and ctx.fault(CANCEL_WRONG_ID):
        payload["reservationId"] = int(payload.get("reservationId", 0)) + 1
    return payload


def parent_info(ctx: CsmsContext, id_tag: str | None) -> Payload:
    """The parentIdTag of `id_tag` for IdTagInfo, when it belongs to a group (§3.10).

    The group comes from the token table (`--token-group ID=GROUP`). Fault
    `resv16-no-parent-id` leaves it out.
    """
    parent = ctx.tokens.groups.get(id_tag or "")
    if parent is None or ctx.fault(NO_PARENT):
        return {}
    return {"parentIdTag": parent}


def review_start(ctx: CsmsContext, request: Payload, answer: Payload) -> Payload:
    """StartTransaction.conf for a transaction that ends a reservation (§4.8, §5.13).

    A conforming CSMS judges only the idTag; fault `resv16-reservation-start-refused`
    answers such a start Invalid.
    """
    if "reservationId" in request and ctx.fault(START_REFUSED):
        info = dict(answer.get("idTagInfo") or {})
        info["status"] = "Invalid"
        return {**answer, "idTagInfo": info}
    return answer


def drops_after_refusal(ctx: CsmsContext, action: str, answer: Payload) -> bool:
    """True when fault `resv16-refusal-drops` makes the CSMS hang up on this refusal.

    ReserveNow.conf other than Accepted (§5.13: Faulted, Occupied, Rejected, Unavailable) or
    CancelReservation.conf Rejected (§5.1), which a CSMS must simply take note of.
    """
    if not ctx.fault(REFUSAL_DROPS) or action not in ("ReserveNow", "CancelReservation"):
        return False
    return answer.get("status") != "Accepted"
