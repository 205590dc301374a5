"""OCPP 2.0.1 block P (DataTransfer), CSMS under test: unknown vendor data and customData."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.cases.states.csms_v201 import status
from harness.cases.states.session_v201 import Session
from harness.dut.device import Dut
from harness.roles.station import StationEmulator

#: A vendor extension no CSMS under test implements (Part 6 <Configured vendorId/messageId>).
VENDOR_ID = "org.openchargealliance.octt.unknown"
MESSAGE_ID = "UnknownMessage"
#: CustomDataType: a vendorId plus whatever that vendor adds.
CUSTOM_DATA = {"vendorId": "org.openchargealliance.octt", "note": "custom data", "level": 3}


@ocpp_case("TC_P_02_CSMS", version="2.0.1", refs=("P02.FR.06", "P02.FR.07"))
async def test_data_transfer_unknown(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """DataTransfer for an unknown vendor: UnknownVendorId, UnknownMessageId or Rejected."""
    await csms_v201.booted(station, dut, check)
    answer = await station.call(
        "DataTransfer", vendorId=VENDOR_ID, messageId=MESSAGE_ID, data="ping"
    )
    seen = answer.get("status")
    allowed = ("UnknownVendorId", "UnknownMessageId", "Rejected")
    check.must(
        answer.ok and seen in allowed,
        f"DataTransferResponse status for vendorId {VENDOR_ID!r}: expected one of {allowed}, "
        f"saw {answer.describe()}",
        ref="TC_P_02_CSMS step 2",
    )


@ocpp_case("TC_P_03_CSMS", version="2.0.1")
async def test_custom_data_received(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """StatusNotification and TransactionEvent carrying customData are answered normally."""
    await csms_v201.booted(station, dut, check)
    notification = {**status(1, 1, "Occupied"), "customData": CUSTOM_DATA}
    answer = await station.call("StatusNotification", notification)
    check.must(
        answer.ok,
        f"expected a valid StatusNotificationResponse to a request with customData, saw "
        f"{answer.describe()}",
        ref="TC_P_03_CSMS step 2",
    )
    s = Session(station, dut, check)
    s.ev_connected = True
    event = s.event(
        "Started", "CablePluggedIn", chargingState="EVConnected", customData=CUSTOM_DATA
    )
    event["customData"] = CUSTOM_DATA
    await s.send(event, "TC_P_03_CSMS step 4")
