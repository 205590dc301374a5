"""Steps of the 1.6 Reservation _CSMS cases: have the CSMS reserve, check what it sent.

The 1.6 compliance document is not public: the steps follow the 2.0.1 Part 6 reusable state
Reserved (CSMS, Table 699) and cases TC_H_01/07/17/19/20/22_CSMS, translated to 1.6
ReserveNow / CancelReservation (1.6 §5.13, §5.1).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.cases.checks import Checks
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import parse_timestamp, utc_timestamp
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator

#: Seconds a reservation is asked to last when the case does not wait for its end.
LONG = 600.0


def expiry(seconds: float) -> str:
    """An expiryDate `seconds` from now (UTC, milliseconds; FIELD_NOTES encoding)."""
    return utc_timestamp(datetime.now(UTC) + timedelta(seconds=seconds))


def reserve_request(
    connector: int, id_tag: str, reservation_id: int, seconds: float, parent: str | None = None
) -> dict[str, Any]:
    """The ReserveNow.req the operator asks the CSMS to send (1.6 §5.13, §6.37)."""
    payload: dict[str, Any] = {
        "connectorId": connector,
        "expiryDate": expiry(seconds),
        "idTag": id_tag,
        "reservationId": reservation_id,
    }
    if parent is not None:
        payload["parentIdTag"] = parent
    return payload


def check_reserve_now(
    check: Checks,
    message: Message,
    *,
    connector: int,
    id_tag: str,
    parent: str | None = None,
) -> datetime | None:
    """Tool validations of ReserveNow.req (TC_H_01/07_CSMS step 1); return its expiryDate.

    The connector and idTag asked for, a future expiryDate (a reservation that has already
    expired reserves nothing, §5.13) and, for a group reservation, the parentIdTag (§3.10).
    """
    check.equal(message.get("connectorId"), connector, "ReserveNow.req connectorId", ref="§5.13")
    check.equal(message.get("idTag"), id_tag, "ReserveNow.req idTag", ref="1.6 §5.13")
    if parent is not None:
        check.equal(message.get("parentIdTag"), parent, "ReserveNow.req parentIdTag", ref="§3.10")
    raw = str(message.get("expiryDate"))
    try:
        until = parse_timestamp(raw)
    except ValueError:
        check.must(False, f"ReserveNow.req expiryDate is an RFC 3339 dateTime: saw {raw!r}")
        return None
    left = (until - datetime.now(UTC)).total_seconds()
    check.must(
        left > 0,
        f"ReserveNow.req expiryDate lies in the future: expected after now, saw {raw} "
        f"({left:.0f} s from now)",
        ref="1.6 §5.13",
    )
    return until


@dataclass(frozen=True)
class Reservation:
    """A ReserveNow.req as the CSMS sent it: its reservationId and expiryDate."""

    message: Message
    until: datetime | None

    @property
    def id(self) -> int:
        """The reservationId (schema: integer), which later messages must repeat."""
        return int(self.message.get("reservationId", 0))


async def reserve(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    request: dict[str, Any],
    status: str = "Accepted",
) -> Reservation:
    """Have the CSMS send `request` as ReserveNow.req, answer `status`, validate it.

    An Accepted reservation of a connector is then reported Reserved (§4.9, reusable state
    Reserved step 3); a charge point reservation (connector 0) reserves no connector.
    """
    message = await csms_v16.command(station, dut, "ReserveNow", request, {"status": status})
    until = check_reserve_now(
        check,
        message,
        connector=int(request["connectorId"]),
        id_tag=str(request["idTag"]),
        parent=request.get("parentIdTag"),
    )
    if status == "Accepted" and int(request["connectorId"]) > 0:
        await csms_v16.report_status(station, check, int(request["connectorId"]), "Reserved")
    return Reservation(message, until)


async def start_reserved(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    *,
    connector: int,
    id_tag: str,
    reservation: int,
) -> int:
    """The reserved idTag charges: StartTransaction.req with the reservationId (§4.8).

    The CSMS SHALL answer with a transactionId and judge only the idTag, which is valid.
    """
    answer = await station.call(
        "StartTransaction",
        connectorId=connector,
        idTag=id_tag,
        meterStart=0,
        timestamp=utc_timestamp(),
        reservationId=reservation,
    )
    check.equal(
        (answer.get("idTagInfo") or {}).get("status"),
        "Accepted",
        f"StartTransaction.conf idTagInfo.status for {id_tag} ending reservation {reservation}",
        ref="1.6 §4.8",
    )
    transaction_id = answer.get("transactionId")
    check.must(
        isinstance(transaction_id, int) and transaction_id > 0,
        f"StartTransaction.conf transactionId: expected a positive integer, saw {transaction_id!r}",
        ref="1.6 §4.8",
    )
    await csms_v16.report_status(station, check, connector, "Charging")
    return int(transaction_id) if isinstance(transaction_id, int) else 0


async def until_expired(check: Checks, until: datetime | None, bound: float) -> None:
    """Wait, at most `bound` seconds, for the reservation's expiryDate (TC_H_07_CSMS note)."""
    if until is None:
        return
    left = (until - datetime.now(UTC)).total_seconds()
    check.info(
        left <= bound,
        f"expiryDate within the {bound:g} s the harness waits: {left:.1f} s from now",
    )
    await asyncio.sleep(min(max(left, 0.0), bound))
