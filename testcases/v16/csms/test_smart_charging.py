"""OCPP 1.6 Smart Charging, Central System under test.

The 1.6 compliance document is not public: each case follows the 2.0.1 Part 6 K case of the
same purpose (named in its docstring) translated to 1.6 SetChargingProfile,
RemoteStartTransaction with chargingProfile, GetCompositeSchedule and ClearChargingProfile
(1.6 §3.13, §5.5, §5.7, §5.11, §5.16).
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.station import StationEmulator
from testcases.v16.csms.charging_profile_checks import check_profile, profile

SC = ("smart_charging",)


@ocpp_case(
    "TC_056_CSMS",
    version="1.6",
    refs=("1.6 §3.13.1", "1.6 §5.16.4", "1.6 §7.8", "2.0.1 TC_K_01_CSMS"),
    needs=SC,
)
async def test_tx_default_profile(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """SetChargingProfile TxDefaultProfile for connector 1, Absolute, 6 A (TC_K_01_CSMS)."""
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    asked = profile(5601, "TxDefaultProfile")
    message = await csms_v16.command(
        station,
        dut,
        "SetChargingProfile",
        {"connectorId": connector, "csChargingProfiles": asked},
        {"status": "Accepted"},
    )
    check.equal(message.get("connectorId"), connector, "SetChargingProfile.req connectorId")
    check_profile(
        check,
        message.get("csChargingProfiles"),
        asked,
        "SetChargingProfile.req csChargingProfiles",
        transaction_id=None,
    )


@ocpp_case(
    "TC_057_CSMS",
    version="1.6",
    refs=("1.6 §3.13.1", "1.6 §5.16", "1.6 §5.16.3", "2.0.1 TC_K_02_CSMS"),
    needs=SC,
)
async def test_tx_profile(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """During a transaction, a TxProfile naming its transactionId (§5.16 SHALL include it)."""
    transaction_id = await csms_v16.charging_session(station, dut, check)
    connector = dut.connector_id(1, 1)
    asked = profile(5701, "TxProfile", kind="Relative", transaction_id=transaction_id)
    message = await csms_v16.command(
        station,
        dut,
        "SetChargingProfile",
        {"connectorId": connector, "csChargingProfiles": asked},
        {"status": "Accepted"},
    )
    check.equal(message.get("connectorId"), connector, "SetChargingProfile.req connectorId")
    check_profile(
        check,
        message.get("csChargingProfiles"),
        asked,
        "SetChargingProfile.req csChargingProfiles",
        transaction_id=transaction_id,
    )


@ocpp_case(
    "TC_059_CSMS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §5.16.2", "1.6 §4.8", "2.0.1 TC_K_37_CSMS"),
    needs=SC,
)
async def test_remote_start_with_profile(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction with a TxProfile and no transactionId; the session starts."""
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    await csms_v16.report_status(station, check, connector, "Preparing")
    asked = profile(5901, "TxProfile", kind="Relative")
    request = {"idTag": dut.tokens.valid, "connectorId": connector, "chargingProfile": asked}
    message = await csms_v16.command(
        station, dut, "RemoteStartTransaction", request, {"status": "Accepted"}
    )
    check.equal(message.get("idTag"), dut.tokens.valid, "RemoteStartTransaction.req idTag")
    check.equal(message.get("connectorId"), connector, "RemoteStartTransaction.req connectorId")
    check_profile(
        check,
        message.get("chargingProfile"),
        asked,
        "RemoteStartTransaction.req chargingProfile",
        transaction_id=None,
    )
    await csms_v16.start_transaction(station, dut, check, connector)
    await csms_v16.report_status(station, check, connector, "Charging")


@ocpp_case(
    "TC_066_CSMS",
    version="1.6",
    refs=("1.6 §5.7", "1.6 §3.13.3", "2.0.1 TC_K_43_CSMS"),
    needs=SC,
)
async def test_get_composite_schedule(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """GetCompositeSchedule for connector 1 over 300 s in A; a 10 A schedule comes back."""
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    request = {"connectorId": connector, "duration": 300, "chargingRateUnit": "A"}
    schedule = {
        "duration": 300,
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10.0}],
    }
    answer = {
        "status": "Accepted",
        "connectorId": connector,
        "scheduleStart": utc_timestamp(),
        "chargingSchedule": schedule,
    }
    message = await csms_v16.command(station, dut, "GetCompositeSchedule", request, answer)
    check.equal(message.get("connectorId"), connector, "GetCompositeSchedule.req connectorId")
    check.equal(message.get("duration"), 300, "GetCompositeSchedule.req duration", ref="§5.7")
    unit = message.get("chargingRateUnit")
    check.must(
        unit in (None, "A"),
        f"GetCompositeSchedule.req chargingRateUnit: expected A (or omitted), saw {unit}",
        ref="1.6 §5.7",
    )
    await csms_v16.still_served(station, check, "GetCompositeSchedule.conf")


@ocpp_case(
    "TC_067_CSMS",
    version="1.6",
    refs=("1.6 §5.5", "1.6 §5.16", "2.0.1 TC_K_05_CSMS", "TC_K_06_CSMS", "TC_K_08_CSMS"),
    needs=SC,
)
async def test_clear_charging_profile(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Clear by chargingProfileId, then by connector/purpose/stackLevel, then one unknown.

    A ClearChargingProfile.req without fields clears every profile (§5.5): each request must
    name the profile meant (TC_K_05/06_CSMS), and Unknown must be taken in stride (TC_K_08).
    """
    await csms_v16.booted(station, dut, check)
    connector = dut.connector_id(1, 1)
    ids = []
    for profile_id, stack in ((6701, 0), (6702, 1)):
        asked = profile(profile_id, "TxDefaultProfile", stack=stack)
        sent = await csms_v16.command(
            station,
            dut,
            "SetChargingProfile",
            {"connectorId": connector, "csChargingProfiles": asked},
            {"status": "Accepted"},
        )
        ids.append((sent.get("csChargingProfiles") or {}).get("chargingProfileId"))
    by_id = await csms_v16.command(
        station, dut, "ClearChargingProfile", {"id": ids[0]}, {"status": "Accepted"}
    )
    check.equal(by_id.get("id"), ids[0], "ClearChargingProfile.req id (the profile set)")
    criteria = {
        "connectorId": connector,
        "chargingProfilePurpose": "TxDefaultProfile",
        "stackLevel": 1,
    }
    by_criteria = await csms_v16.command(
        station, dut, "ClearChargingProfile", criteria, {"status": "Accepted"}
    )
    for key, value in criteria.items():
        check.equal(by_criteria.get(key), value, f"ClearChargingProfile.req {key}", ref="§5.5")
    unknown = await csms_v16.command(
        station, dut, "ClearChargingProfile", {"id": 6799}, {"status": "Unknown"}
    )
    check.equal(unknown.get("id"), 6799, "ClearChargingProfile.req id", ref="1.6 §5.5")
    await csms_v16.still_served(station, check, "ClearChargingProfile.conf Unknown")
