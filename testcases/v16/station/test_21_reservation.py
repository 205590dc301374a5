"""OCPP 1.6 Reservation, charge point under test (1.6 section 21).

The 1.6 compliance document is not public: the cases follow the 2.0.1 Part 6 reservation
cases (block H: TC_H_01_CS reserve - valid idToken, TC_H_07_CS ..., named per case) translated
to 1.6 messages, and cite OCPP 1.6 edition 2 §5.1 CancelReservation, §5.13 ReserveNow, §4.8
StartTransaction reservationId, §9.3.1 ReserveConnectorZeroSupported.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.outcomes import NotApplicable
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import CallOutcome, Message

#: Another idTag the harness (as CSMS) accepts; it holds no reservation.
OTHER_TAG = "0A11CE5A11CE50"
#: The idTag a group reservation is made for, and the group's parent idTag (§3.10).
GROUP_TAG = "0C0FFEE0C0FFEE"
PARENT_TAG = "PARENT-GROUP-01"
#: Expiry of reservations that must expire during the case (s).
SHORT_EXPIRY = 1.5


def _expiry(seconds: float) -> str:
    """An expiryDate `seconds` from now, UTC with milliseconds (FIELD_NOTES: encoding)."""
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


async def _reserve(
    csms: CsmsEmulator,
    dut: Dut,
    connector: int,
    id_tag: str,
    *,
    reservation_id: int = 1,
    seconds: float = 300.0,
    parent: str | None = None,
) -> CallOutcome:
    """ReserveNow.req (§5.13, §6.37)."""
    payload: dict[str, Any] = {
        "connectorId": connector,
        "expiryDate": _expiry(seconds),
        "idTag": id_tag,
        "reservationId": reservation_id,
    }
    if parent is not None:
        payload["parentIdTag"] = parent
    return await csms.call("ReserveNow", payload, within=dut.timeouts.call)


async def _reserved(csms: CsmsEmulator, dut: Dut, check: Checks, **kwargs: Any) -> None:
    """ReserveNow on connector 1 Accepted, then StatusNotification Reserved (§5.13, §4.9)."""
    mark = csms.wirelog.now()
    out = await _reserve(csms, dut, dut.connector_id(1, 1), **kwargs)
    check.equal(out.get("status"), "Accepted", "ReserveNow.conf status", ref="1.6 §5.13")
    await station_v16.status(csms, dut, "Reserved", since=mark)


async def _started(csms: CsmsEmulator, dut: Dut, check: Checks, *, since: float, tag: str) -> None:
    """StartTransaction.req by `tag` carrying reservationId 1 (§4.8), then Charging."""
    start: Message = await csms.expect(
        "StartTransaction",
        where={"connectorId": dut.connector_id(1, 1)},
        within=dut.timeouts.action,
        since=since,
    )
    check.equal(start["idTag"], tag, "StartTransaction.req idTag", ref="1.6 §5.13")
    check.equal(start.get("reservationId"), 1, "StartTransaction.req reservationId", ref="§4.8")
    await station_v16.status(csms, dut, "Charging", since=since)


def _accept(csms: CsmsEmulator, tag: str, parent: str | None = None) -> None:
    """Answer Authorize and StartTransaction for `tag` Accepted (optionally with a parent)."""
    info: dict[str, Any] = {"status": "Accepted"}
    if parent is not None:
        info["parentIdTag"] = parent
    csms.on("Authorize", where={"idTag": tag}).respond(idTagInfo=info)
    csms.on("StartTransaction", where={"idTag": tag}).respond(idTagInfo=info)


@ocpp_case(
    "TC_046_1_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §4.8", "1.6 §4.9", "2.0.1 TC_H_01_CS", "2.0.1 TC_H_02_CS"),
    needs=("reservation", "plug_in", "present_token"),
)
async def test_reserve_connector_local_start(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Reserve connector 1: another idTag is refused, the reserved one starts with the id."""
    await station_v16.idle(csms, dut)
    _accept(csms, OTHER_TAG)
    await _reserved(csms, dut, check, id_tag=dut.tokens.valid)
    mark = csms.wirelog.now()
    await dut.plug_in(1, 1)
    await dut.present_token(OTHER_TAG)
    await dut.present_token(dut.tokens.valid)
    await _started(csms, dut, check, since=mark, tag=dut.tokens.valid)


@ocpp_case(
    "TC_046_2_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §5.11", "1.6 §4.8", "2.0.1 TC_H_01_CS"),
    needs=("reservation", "plug_in"),
)
async def test_reserve_connector_remote_start(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Reserve connector 1, RemoteStart for the reserved idTag: transaction with the id."""
    await station_v16.idle(csms, dut)
    await _reserved(csms, dut, check, id_tag=dut.tokens.valid)
    mark = csms.wirelog.now()
    await dut.plug_in(1, 1)
    out = await csms.call(
        "RemoteStartTransaction",
        within=dut.timeouts.call,
        idTag=dut.tokens.valid,
        connectorId=dut.connector_id(1, 1),
    )
    check.equal(out.get("status"), "Accepted", "RemoteStartTransaction.conf", ref="1.6 §5.11")
    await _started(csms, dut, check, since=mark, tag=dut.tokens.valid)


@ocpp_case(
    "TC_047_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §4.9"),
    needs=("reservation",),
)
async def test_reservation_expires(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """A reservation with a short expiryDate ends: the connector is reported Available (§5.13)."""
    await station_v16.idle(csms, dut)
    await _reserved(csms, dut, check, id_tag=dut.tokens.valid, seconds=SHORT_EXPIRY)
    mark = csms.wirelog.now()
    await csms.expect(
        "StatusNotification",
        where={"connectorId": dut.connector_id(1, 1), "status": "Available"},
        within=SHORT_EXPIRY + dut.timeouts.call,
        since=mark,
    )


async def _refused(
    csms: CsmsEmulator, dut: Dut, check: Checks, connector: int, expected: str
) -> None:
    """ReserveNow for `connector` answered `expected` (§5.13, §7.40)."""
    out = await _reserve(csms, dut, connector, dut.tokens.valid)
    check.equal(
        out.get("status"),
        expected,
        f"ReserveNow.conf status, connectorId {connector}",
        ref="1.6 §5.13, §7.40",
    )


def _connectors(dut: Dut) -> list[int]:
    return [dut.connector_id(e.id, c) for e in dut.profile.evses for c in e.connectors]


async def _faulted(csms: CsmsEmulator, dut: Dut, connectors: list[int]) -> None:
    for connector in connectors:
        mark = csms.wirelog.now()
        await dut.connector_fault(connector, 1)
        await station_v16.status(csms, dut, "Faulted", since=mark, connector=connector)


async def _occupied(csms: CsmsEmulator, dut: Dut, connectors: list[int]) -> None:
    for connector in connectors:
        await station_v16.plugged_in(csms, dut, connector)


@ocpp_case("TC_048_1_CS", version="1.6", refs=("1.6 §5.13", "1.6 §7.40"), needs=("reservation",))
async def test_reserve_connector_faulted(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ReserveNow for a Faulted connector: Faulted (§5.13)."""
    await station_v16.idle(csms, dut)
    await _faulted(csms, dut, [dut.connector_id(1, 1)])
    await _refused(csms, dut, check, dut.connector_id(1, 1), "Faulted")


@ocpp_case(
    "TC_048_2_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §7.40"),
    needs=("reservation", "plug_in"),
)
async def test_reserve_connector_occupied(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ReserveNow for a connector with an EV plugged in (Preparing): Occupied (§5.13)."""
    await station_v16.idle(csms, dut)
    await _occupied(csms, dut, [dut.connector_id(1, 1)])
    await _refused(csms, dut, check, dut.connector_id(1, 1), "Occupied")


@ocpp_case(
    "TC_048_3_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §5.2", "1.6 §7.40"),
    needs=("reservation",),
)
async def test_reserve_connector_unavailable(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ReserveNow for an Unavailable (Inoperative) connector: Unavailable (§5.13)."""
    await station_v16.idle(csms, dut)
    await station_v16.unavailable(csms, dut, check, 1)
    await _refused(csms, dut, check, dut.connector_id(1, 1), "Unavailable")


async def _zero_supported(csms: CsmsEmulator, dut: Dut) -> None:
    """Connector-0 cases need ReserveConnectorZeroSupported true (§9.3.1)."""
    key = "ReserveConnectorZeroSupported"
    out = await csms.call("GetConfiguration", within=dut.timeouts.call, key=[key])
    values = [k.get("value") for k in out.get("configurationKey", []) if k.get("key") == key]
    if values != ["true"]:
        raise NotApplicable(f"{key} is not true ({out.describe()}): no charge point reservations")


@ocpp_case(
    "TC_049_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §4.8", "1.6 §9.3.1"),
    needs=("reservation", "plug_in", "present_token"),
)
async def test_reserve_charge_point_transaction(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Reserve connector 0, the reserved idTag charges on connector 1 with the reservationId."""
    await station_v16.idle(csms, dut)
    await _zero_supported(csms, dut)
    out = await _reserve(csms, dut, 0, dut.tokens.valid)
    check.equal(
        out.get("status"), "Accepted", "ReserveNow.conf status, connectorId 0", ref="1.6 §5.13"
    )
    mark = csms.wirelog.now()
    await dut.plug_in(1, 1)
    await dut.present_token(dut.tokens.valid)
    await _started(csms, dut, check, since=mark, tag=dut.tokens.valid)


@ocpp_case("TC_050_1_CS", version="1.6", refs=("1.6 §5.13", "1.6 §7.40"), needs=("reservation",))
async def test_reserve_charge_point_faulted(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ReserveNow for connector 0 with every connector Faulted: Faulted (§5.13)."""
    await station_v16.idle(csms, dut)
    await _zero_supported(csms, dut)
    await _faulted(csms, dut, _connectors(dut))
    await _refused(csms, dut, check, 0, "Faulted")


@ocpp_case(
    "TC_050_2_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §7.40"),
    needs=("reservation", "plug_in"),
)
async def test_reserve_charge_point_occupied(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ReserveNow for connector 0 with an EV on every connector: Occupied (§5.13)."""
    await station_v16.idle(csms, dut)
    await _zero_supported(csms, dut)
    await _occupied(csms, dut, _connectors(dut))
    await _refused(csms, dut, check, 0, "Occupied")


@ocpp_case(
    "TC_050_3_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §5.2", "1.6 §7.40"),
    needs=("reservation",),
)
async def test_reserve_charge_point_unavailable(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """ReserveNow for connector 0 with the charge point Inoperative: Unavailable (§5.13)."""
    await station_v16.idle(csms, dut)
    await _zero_supported(csms, dut)
    await station_v16.unavailable(csms, dut, check, 0)
    await _refused(csms, dut, check, 0, "Unavailable")


async def _nothing_reserved(csms: CsmsEmulator, dut: Dut) -> None:
    """A refused reservation reserves nothing: no connector is reported Reserved (§5.13)."""
    await csms.expect_none(
        "StatusNotification",
        during=station_v16.quiet_window(dut),
        where={"status": "Reserved"},
    )


@ocpp_case(
    "TC_048_4_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §7.40"),
    needs=("reservation", "rejects_reservations"),
)
async def test_reserve_connector_rejected(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """A charge point configured not to accept reservations answers Rejected (§5.13, §7.40)."""
    await station_v16.idle(csms, dut)
    await _refused(csms, dut, check, dut.connector_id(1, 1), "Rejected")
    await _nothing_reserved(csms, dut)


async def _zero_unsupported(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """The case is for a charge point without ReserveConnectorZeroSupported true (§9.3.1)."""
    key = "ReserveConnectorZeroSupported"
    out = await csms.call("GetConfiguration", within=dut.timeouts.call, key=[key])
    check.must(out.ok, f"GetConfiguration.conf for {key}: {out.describe()}", ref="1.6 §5.8")
    values = [k.get("value") for k in out.get("configurationKey", []) if k.get("key") == key]
    if values == ["true"]:
        raise NotApplicable(f"{key} is true: this case is for charge points without it")


@ocpp_case(
    "TC_050_4_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §9.3.1", "1.6 §7.40"),
    needs=("reservation", "not:reserve_connector_zero"),
)
async def test_reserve_charge_point_rejected(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ReserveNow for connector 0 without ReserveConnectorZeroSupported: Rejected (§5.13)."""
    await station_v16.idle(csms, dut)
    await _zero_unsupported(csms, dut, check)
    await _refused(csms, dut, check, 0, "Rejected")
    await _nothing_reserved(csms, dut)


@ocpp_case(
    "TC_051_CS",
    version="1.6",
    refs=("1.6 §5.1", "1.6 §4.9"),
    needs=("reservation",),
)
async def test_cancel_reservation(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Cancel a reservation: Accepted, and the connector is reported Available again (§5.1)."""
    await station_v16.idle(csms, dut)
    await _reserved(csms, dut, check, id_tag=dut.tokens.valid)
    mark = csms.wirelog.now()
    out = await csms.call("CancelReservation", within=dut.timeouts.call, reservationId=1)
    check.equal(out.get("status"), "Accepted", "CancelReservation.conf status", ref="1.6 §5.1")
    await csms.expect(
        "StatusNotification",
        where={"connectorId": dut.connector_id(1, 1), "status": "Available"},
        within=dut.timeouts.call,
        since=mark,
    )


@ocpp_case("TC_052_CS", version="1.6", refs=("1.6 §5.1", "1.6 §7.5"), needs=("reservation",))
async def test_cancel_reservation_rejected(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Cancel a reservationId the charge point does not have: Rejected (§5.1)."""
    await station_v16.idle(csms, dut)
    out = await csms.call("CancelReservation", within=dut.timeouts.call, reservationId=4242)
    check.equal(
        out.get("status"),
        "Rejected",
        "CancelReservation.conf status for an unknown id",
        ref="1.6 §5.1",
    )


@ocpp_case(
    "TC_053_1_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §3.10", "1.6 §4.8"),
    needs=("reservation", "plug_in", "present_token"),
)
async def test_reserved_connector_parent_local(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Connector reserved for a group: an idTag of the same parent starts with the id (§5.13)."""
    await station_v16.idle(csms, dut)
    _accept(csms, dut.tokens.valid, PARENT_TAG)
    await _reserved(csms, dut, check, id_tag=GROUP_TAG, parent=PARENT_TAG)
    mark = csms.wirelog.now()
    await dut.plug_in(1, 1)
    await dut.present_token(dut.tokens.valid)
    await _started(csms, dut, check, since=mark, tag=dut.tokens.valid)


@ocpp_case(
    "TC_053_2_CS",
    version="1.6",
    refs=("1.6 §5.13", "1.6 §3.10", "1.6 §5.11"),
    needs=("reservation", "plug_in"),
)
async def test_reserved_connector_parent_remote(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Group reservation, RemoteStart for another idTag: Authorize gives the parent (§5.13)."""
    await station_v16.idle(csms, dut)
    _accept(csms, dut.tokens.valid, PARENT_TAG)
    await _reserved(csms, dut, check, id_tag=GROUP_TAG, parent=PARENT_TAG)
    mark = csms.wirelog.now()
    await dut.plug_in(1, 1)
    out = await csms.call(
        "RemoteStartTransaction",
        within=dut.timeouts.call,
        idTag=dut.tokens.valid,
        connectorId=dut.connector_id(1, 1),
    )
    check.equal(out.get("status"), "Accepted", "RemoteStartTransaction.conf", ref="1.6 §5.11")
    await csms.expect(
        "Authorize", where={"idTag": dut.tokens.valid}, within=dut.timeouts.call, since=mark
    )
    await _started(csms, dut, check, since=mark, tag=dut.tokens.valid)
