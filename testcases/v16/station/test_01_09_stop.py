"""OCPP 1.6 Core, charge point under test: Stop Charging Session (catalog section 03).

The 1.6 compliance test document is not public; each case follows the 2.0.1 Part 6 case of the
same purpose (named in its docstring), translated to 1.6 messages.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator

#: How long (s) to watch for a message the charge point must not send after a local event.
HOLD = 0.5


async def _ev_side_disconnect_stops(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, unlock: bool
) -> float:
    """Charging with StopTransactionOnEVSideDisconnect true; unplug: stopped EVDisconnected."""
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "StopTransactionOnEVSideDisconnect", "true")
    await station_v16.configured(
        csms, "UnlockConnectorOnEVSideDisconnect", "true" if unlock else "false"
    )
    start = await station_v16.session(csms, dut, check)
    mark = csms.wirelog.now()
    await dut.unplug()
    await station_v16.stopped(csms, dut, check, start, since=mark, reason="EVDisconnected")
    return mark


@ocpp_case(
    "TC_005_1_CS",
    version="1.6",
    refs=("1.6 §4.10", "1.6 §9.1.23", "1.6 §9.1.33", "2.0.1 Part 6 TC_E_24_CS"),
    needs=("plug_in", "unplug", "present_token"),
)
async def test_ev_disconnect_stops_and_unlocks(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """EV side unplugged, stop and unlock on: StopTransaction EVDisconnected, then Available."""
    mark = await _ev_side_disconnect_stops(csms, dut, check, unlock=True)
    await station_v16.status(csms, dut, "Available", since=mark)


@ocpp_case(
    "TC_005_2_CS",
    version="1.6",
    refs=("1.6 §4.10", "1.6 §9.1.23", "1.6 §9.1.33", "2.0.1 Part 6 TC_E_25_CS"),
    needs=("plug_in", "unplug", "present_token"),
)
async def test_ev_disconnect_stops_keeps_locked(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """EV side unplugged, unlock off: stopped, cable stays locked (Finishing) until the idTag.

    1.6 §4.10: with UnlockConnectorOnEVSideDisconnect false the connector SHALL remain locked
    until the user presents the identifier; as in 2.0.1 TC_E_25_CS the idTag is presented and
    the connector then becomes Available.
    """
    mark = await _ev_side_disconnect_stops(csms, dut, check, unlock=False)
    await station_v16.status(csms, dut, "Finishing", since=mark)
    where = {"connectorId": dut.connector_id(1, 1), "status": "Available"}
    await csms.expect_none("StatusNotification", during=HOLD, where=where)
    presented = csms.wirelog.now()
    await dut.present_token(dut.tokens.valid)
    await station_v16.status(csms, dut, "Available", since=presented)


@ocpp_case(
    "TC_005_3_CS",
    version="1.6",
    refs=("1.6 §4.10", "1.6 §9.1.23", "2.0.1 Part 6 TC_E_26_CS"),
    needs=("plug_in", "unplug", "present_token"),
)
async def test_ev_disconnect_does_not_stop(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """StopTransactionOnEVSideDisconnect false: unplug keeps the transaction; replug charges.

    1.6 §4.10: the transaction SHALL NOT be stopped; when the EV is reconnected energy transfer
    is allowed again. The valid idTag then stops it (reason Local).
    """
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "StopTransactionOnEVSideDisconnect", "false")
    start = await station_v16.session(csms, dut, check)
    await dut.unplug()
    await csms.expect_none("StopTransaction", during=HOLD)
    replug = csms.wirelog.now()
    await dut.plug_in()
    await station_v16.status(csms, dut, "Charging", since=replug)
    mark = csms.wirelog.now()
    await dut.present_token(dut.tokens.valid)
    await station_v16.stopped(
        csms, dut, check, start, since=mark, reason="Local", id_tag=dut.tokens.valid
    )


@ocpp_case(
    "TC_068_CS",
    version="1.6",
    refs=("1.6 §4.10", "1.6 §6.49", "1.6 §4.9", "2.0.1 Part 6 TC_E_15_CS"),
    needs=("plug_in", "unplug", "present_token"),
)
async def test_stop_with_start_idtag(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """The starting idTag presented again: StopTransaction Local with that idTag and meterStop.

    Then Finishing while the EV is plugged, Available once unplugged (1.6 §4.9).
    """
    await station_v16.idle(csms, dut)
    start = await station_v16.session(csms, dut, check)
    mark = csms.wirelog.now()
    await dut.present_token(dut.tokens.valid)
    await station_v16.stopped(
        csms, dut, check, start, since=mark, reason="Local", id_tag=dut.tokens.valid
    )
    await station_v16.status(csms, dut, "Finishing", since=mark)
    await station_v16.unplugged(csms, dut)


@ocpp_case(
    "TC_069_CS",
    version="1.6",
    refs=("1.6 §3.10", "1.6 §4.10", "2.0.1 Part 6 TC_C_39_CS"),
    needs=("plug_in", "present_token"),
)
async def test_stop_with_same_parent_idtag(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Another idTag of the same group (parentIdTag) stops the transaction (1.6 §3.10).

    The harness, as Central System, gives the valid idTag and a second card (the profile's
    `invalid` token, any card the lab holds) the same parentIdTag (the profile's `group`, or
    a fixed one). Presenting the second card must stop the transaction with its idTag.
    """
    parent = dut.tokens.group or "GROUP0001"
    other = dut.tokens.invalid
    info = {"status": "Accepted", "parentIdTag": parent}
    for token in (dut.tokens.valid, other):
        csms.on("Authorize", where={"idTag": token}).respond(idTagInfo=info)
        csms.on("StopTransaction", where={"idTag": token}).respond(idTagInfo=info)
    csms.on("StartTransaction", where={"idTag": dut.tokens.valid}).respond(idTagInfo=info)
    await station_v16.idle(csms, dut)
    start = await station_v16.session(csms, dut, check)
    mark = csms.wirelog.now()
    await dut.present_token(other)
    await station_v16.stopped(csms, dut, check, start, since=mark, reason="Local", id_tag=other)
