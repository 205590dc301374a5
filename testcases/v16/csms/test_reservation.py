"""OCPP 1.6 Reservation, Central System under test.

The 1.6 compliance document is not public: each case follows the 2.0.1 Part 6 H case of the
same purpose (named in its docstring) translated to 1.6 ReserveNow / CancelReservation, and
cites 1.6 edition 2 §5.13, §5.1, §4.8 (reservationId), §3.10 (parentIdTag), §4.9.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.outcomes import NotApplicable
from harness.roles.station import StationEmulator
from testcases.v16.csms.reservation_steps import (
    LONG,
    Reservation,
    reserve,
    reserve_request,
    start_reserved,
    until_expired,
)

RESERVATION = ("reservation",)
#: Expiry (s) of reservations the case lets run out.
SHORT = 1.5


async def _reserved(
    station: StationEmulator, dut: Dut, check: Checks, reservation: int, seconds: float = LONG
) -> Reservation:
    """Reusable state Reserved (2.0.1 Table 699) for the valid idTag on connector 1."""
    request = reserve_request(dut.connector_id(1, 1), dut.tokens.valid, reservation, seconds)
    return await reserve(station, dut, check, request)


@ocpp_case(
    "TC_046_CSMS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §4.8", "1.6 §4.9", "2.0.1 TC_H_01_CSMS"),
    needs=RESERVATION,
)
async def test_reserve_connector_transaction(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Reserved for the valid idTag; it starts with the reservationId and is accepted."""
    await csms_v16.booted(station, dut, check)
    reservation = await _reserved(station, dut, check, 4601)
    connector = dut.connector_id(1, 1)
    await csms_v16.report_status(station, check, connector, "Preparing")
    await csms_v16.authorize(station, dut, check)
    await start_reserved(
        station,
        dut,
        check,
        connector=connector,
        id_tag=dut.tokens.valid,
        reservation=reservation.id,
    )


@ocpp_case(
    "TC_047_CSMS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §4.9", "2.0.1 TC_H_07_CSMS"),
    needs=RESERVATION,
)
async def test_reserve_connector_expire(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """A short reservation runs out: the connector is reported Available again (§5.13)."""
    await csms_v16.booted(station, dut, check)
    reservation = await _reserved(station, dut, check, 4701, SHORT)
    await until_expired(check, reservation.until, SHORT + dut.timeouts.call)
    await csms_v16.report_status(station, check, dut.connector_id(1, 1), "Available")
    await csms_v16.still_served(station, check, "the reservation expired")


async def _refused(
    station: StationEmulator, dut: Dut, check: Checks, reservation: int, status: str
) -> None:
    """ReserveNow.req for connector 1 answered `status`; the CSMS takes note (TC_H_22_CSMS)."""
    request = reserve_request(dut.connector_id(1, 1), dut.tokens.valid, reservation, LONG)
    await reserve(station, dut, check, request, status)
    await csms_v16.still_served(station, check, f"ReserveNow.conf {status}")


@ocpp_case(
    "TC_048_1_CSMS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §4.9", "2.0.1 TC_H_20_CSMS", "2.0.1 TC_H_22_CSMS"),
    needs=RESERVATION,
)
async def test_reserve_connector_faulted(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Connector 1 reported Faulted, ReserveNow answered Faulted; the CSMS keeps serving."""
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    await csms_v16.report_status(station, check, connector, "Faulted", "GroundFailure")
    await _refused(station, dut, check, 4811, "Faulted")
    if station.connected:  # a CSMS that hung up was judged by still_served
        await csms_v16.report_status(station, check, connector, "Available")


@ocpp_case(
    "TC_048_2_CSMS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §4.9", "2.0.1 TC_H_22_CSMS"),
    needs=RESERVATION,
)
async def test_reserve_connector_occupied(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """An EV is plugged in (Preparing), ReserveNow answered Occupied; the CSMS keeps serving."""
    await csms_v16.booted(station, dut, check)
    await csms_v16.report_status(station, check, dut.connector_id(1, 1), "Preparing")
    await _refused(station, dut, check, 4821, "Occupied")


@ocpp_case(
    "TC_048_3_CSMS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §5.2", "1.6 §4.9", "2.0.1 Part 6 Table 700 Unavailable"),
    needs=RESERVATION,
)
async def test_reserve_connector_unavailable(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Reusable state Unavailable (ChangeAvailability Inoperative), then ReserveNow Unavailable."""
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    request = {"connectorId": connector, "type": "Inoperative"}
    change = await csms_v16.command(
        station, dut, "ChangeAvailability", request, {"status": "Accepted"}
    )
    check.equal(change.get("type"), "Inoperative", "ChangeAvailability.req type", ref="1.6 §5.2")
    check.equal(
        change.get("connectorId"), connector, "ChangeAvailability.req connectorId", ref="§5.2"
    )
    await csms_v16.report_status(station, check, connector, "Unavailable")
    await _refused(station, dut, check, 4831, "Unavailable")


@ocpp_case(
    "TC_048_4_CSMS",
    version="1.6",
    refs=("1.6 §5.13", "2.0.1 TC_H_22_CSMS"),
    needs=RESERVATION,
)
async def test_reserve_connector_rejected(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The charge point does not accept reservations: Rejected; the CSMS keeps serving."""
    await csms_v16.booted(station, dut, check)
    await _refused(station, dut, check, 4841, "Rejected")


@ocpp_case(
    "TC_049_CSMS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §4.8", "1.6 §9.3.1", "2.0.1 TC_H_08_CSMS"),
    needs=RESERVATION,
)
async def test_reserve_charge_point_transaction(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Reservation of connector 0; the idTag charges on connector 1 with the reservationId.

    The emulated charge point supports ReserveConnectorZeroSupported (§9.3.1).
    """
    await csms_v16.booted(station, dut, check)
    request = reserve_request(0, dut.tokens.valid, 4901, LONG)
    reservation = await reserve(station, dut, check, request)
    connector = dut.connector_id(1, 1)
    await csms_v16.report_status(station, check, connector, "Preparing")
    await csms_v16.authorize(station, dut, check)
    await start_reserved(
        station,
        dut,
        check,
        connector=connector,
        id_tag=dut.tokens.valid,
        reservation=reservation.id,
    )


@ocpp_case(
    "TC_051_CSMS",
    version="1.6",
    refs=("1.6 §5.1", "1.6 §4.9", "2.0.1 TC_H_17_CSMS"),
    needs=RESERVATION,
)
async def test_cancel_reservation(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """CancelReservation.req names the reservation made; Accepted, then Available (TC_H_17)."""
    await csms_v16.booted(station, dut, check)
    reservation = await _reserved(station, dut, check, 5101)
    cancel = await csms_v16.command(
        station,
        dut,
        "CancelReservation",
        {"reservationId": reservation.id},
        {"status": "Accepted"},
    )
    check.equal(
        cancel.get("reservationId"),
        reservation.id,
        "CancelReservation.req reservationId (the one of the ReserveNow.req)",
        ref="1.6 §5.1",
    )
    await csms_v16.report_status(station, check, dut.connector_id(1, 1), "Available")


@ocpp_case(
    "TC_052_CSMS",
    version="1.6",
    refs=("1.6 §5.1", "1.6 §5.13"),
    needs=RESERVATION,
)
async def test_cancel_reservation_rejected(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The reservation has run out; CancelReservation for it is Rejected and noted (§5.1)."""
    await csms_v16.booted(station, dut, check)
    reservation = await _reserved(station, dut, check, 5201, SHORT)
    await until_expired(check, reservation.until, SHORT + dut.timeouts.call)
    await csms_v16.report_status(station, check, dut.connector_id(1, 1), "Available")
    cancel = await csms_v16.command(
        station,
        dut,
        "CancelReservation",
        {"reservationId": reservation.id},
        {"status": "Rejected"},
    )
    check.equal(
        cancel.get("reservationId"),
        reservation.id,
        "CancelReservation.req reservationId (the one of the ReserveNow.req)",
        ref="1.6 §5.1",
    )
    await csms_v16.still_served(station, check, "CancelReservation.conf Rejected")


@ocpp_case(
    "TC_053_CSMS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §3.10", "1.6 §4.1", "1.6 §4.8", "2.0.1 TC_H_19_CSMS"),
    needs=RESERVATION,
)
async def test_reserved_connector_parent_id_tag(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Group reservation (parentIdTag); another idTag of the group uses it (TC_H_19_CSMS).

    The reservation is for `valid2` with the group's parentIdTag `group`; the charge point
    then presents `valid`, looks up its parent with Authorize.req (§5.13) and starts with the
    reservationId. Needs `[tokens] valid2` and `group` (both with the same parent at the CSMS).
    """
    group, member = dut.tokens.group, dut.tokens.valid2
    if not group or not member:
        raise NotApplicable("the DUT profile gives no [tokens] group and valid2 (§3.10 group)")
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    request = reserve_request(connector, member, 5301, LONG, parent=group)
    reservation = await reserve(station, dut, check, request)
    await csms_v16.report_status(station, check, connector, "Preparing")
    answer = await station.call("Authorize", idTag=dut.tokens.valid)
    info = answer.get("idTagInfo") or {}
    check.equal(info.get("status"), "Accepted", "Authorize.conf idTagInfo.status", ref="§4.1")
    check.equal(
        info.get("parentIdTag"),
        group,
        f"Authorize.conf idTagInfo.parentIdTag of {dut.tokens.valid} (the reservation's group)",
        ref="1.6 §3.10, §5.13",
    )
    await start_reserved(
        station,
        dut,
        check,
        connector=connector,
        id_tag=dut.tokens.valid,
        reservation=reservation.id,
    )
