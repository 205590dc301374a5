"""OCPP 1.6 Smart Charging, charge point under test (1.6 catalog section 23).

The 1.6 compliance document is not public: each case follows the 2.0.1 Part 6 K case of the
same purpose (named in its docstring), translated to 1.6 messages, and cites 1.6 edition 2
§3.13 / §5.5 / §5.7 / §5.16 with the 1.6 errata.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator
from testcases.v16.station.smart_charging_steps import (
    charging_session,
    check_periods,
    composite,
    configure_metering,
    drawn_current,
    limit_at,
    profile,
    set_profile,
)

SC = ("smart_charging",)
PLUG = ("plug_in", "present_token")


@ocpp_case("TC_056_CS", version="1.6", refs=("1.6 §3.13.1", "1.6 §5.16.4"), needs=(*SC, *PLUG))
async def test_tx_default_profile(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """TxDefaultProfile on connector 1 (TC_K_01): reported, then it limits the next transaction."""
    await station_v16.idle(csms, dut)
    await configure_metering(csms, dut, check)
    await set_profile(csms, check, 1, profile(1, "TxDefaultProfile", [(0, 6.0)]), "Accepted")
    periods, _ = await composite(csms, check, 1, 60)
    check.equal(limit_at(periods, 0), 6.0, "composite limit of the TxDefaultProfile", ref="§3.13.1")
    mark = csms.wirelog.now()
    await charging_session(csms, dut, check)
    await drawn_current(csms, dut, check, 6.0, since=mark, skip=0)


@ocpp_case("TC_057_CS", version="1.6", refs=("1.6 §3.13.1", "1.6 §5.16.3"), needs=(*SC, *PLUG))
async def test_tx_profile(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """TxProfile for the ongoing transaction (TC_K_36), a decimal 8.1 A limit, applied at once."""
    await station_v16.idle(csms, dut)
    await configure_metering(csms, dut, check)
    transaction_id = await charging_session(csms, dut, check)
    body = profile(2, "TxProfile", [(0, 8.1)], transaction_id=transaction_id)
    await set_profile(csms, check, 1, body, "Accepted")
    mark = csms.wirelog.now()
    periods, _ = await composite(csms, check, 1, 60)
    check.equal(limit_at(periods, 0), 8.1, "composite limit of the TxProfile", ref="§5.16.3")
    await drawn_current(csms, dut, check, 8.1, since=mark, skip=1)


@ocpp_case("TC_058_1_CS", version="1.6", refs=("1.6 §3.13.1", "1.6 §5.16.4"), needs=SC)
async def test_tx_profile_without_transaction(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """TxProfile while no transaction runs (TC_K_02): the charge point discards it, Rejected."""
    await station_v16.idle(csms, dut)
    await set_profile(csms, check, 1, profile(3, "TxProfile", [(0, 6.0)]), "Rejected")


@ocpp_case("TC_058_2_CS", version="1.6", refs=("1.6 §3.13.1", "1.6 §5.16"), needs=(*SC, *PLUG))
async def test_tx_profile_wrong_transaction(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """TxProfile naming another transactionId (TC_K_15): Rejected, the transaction unlimited."""
    await station_v16.idle(csms, dut)
    transaction_id = await charging_session(csms, dut, check)
    body = profile(4, "TxProfile", [(0, 6.0)], transaction_id=transaction_id + 1)
    await set_profile(csms, check, 1, body, "Rejected")


@ocpp_case("TC_059_CS", version="1.6", refs=("1.6 §5.11", "1.6 §5.16.2"), needs=(*SC, "plug_in"))
async def test_remote_start_with_profile(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction with a TxProfile (TC_K_37): it governs the new transaction."""
    await station_v16.idle(csms, dut)
    await configure_metering(csms, dut, check)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    body = profile(5, "TxProfile", [(0, 6.0)])
    outcome = await csms.call(
        "RemoteStartTransaction",
        {"connectorId": dut.connector_id(1, 1), "idTag": dut.tokens.valid, "chargingProfile": body},
    )
    check.equal(outcome.get("status"), "Accepted", "RemoteStartTransaction.conf", ref="§5.11")
    await station_v16.charging(csms, dut, check, since=mark)
    periods, _ = await composite(csms, check, 1, 60)
    check.equal(limit_at(periods, 0), 6.0, "composite limit of the remote TxProfile", ref="§5.16.2")
    await drawn_current(csms, dut, check, 6.0, since=mark, skip=0)


@ocpp_case("TC_060_CS", version="1.6", refs=("1.6 §5.16.2",), needs=(*SC, "plug_in"))
async def test_remote_start_with_profile_rejected(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """RemoteStartTransaction whose chargingProfile is no TxProfile (§5.16.2 MUST): Rejected."""
    await station_v16.idle(csms, dut)
    await station_v16.plugged_in(csms, dut)
    body = profile(6, "TxDefaultProfile", [(0, 6.0)])
    outcome = await csms.call(
        "RemoteStartTransaction",
        {"connectorId": dut.connector_id(1, 1), "idTag": dut.tokens.valid, "chargingProfile": body},
    )
    check.equal(outcome.get("status"), "Rejected", "RemoteStartTransaction.conf", ref="§5.16.2")


@ocpp_case("TC_066_CS", version="1.6", refs=("1.6 §3.13.3", "1.6 §5.7"), needs=SC)
async def test_get_composite_schedule(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ChargePointMaxProfile 10 A with a TxDefaultProfile (TC_K_41): the minimum of both."""
    await station_v16.idle(csms, dut)
    cp_max = profile(7, "ChargePointMaxProfile", [(0, 10.0)], kind="Absolute", duration=86400)
    await set_profile(csms, check, 0, cp_max, "Accepted")
    steps = [(0, 6.0), (60, 10.0), (120, 8.0), (180, 15.0), (260, 8.0)]
    default = profile(8, "TxDefaultProfile", steps, kind="Absolute", duration=300, valid_for=401)
    await set_profile(csms, check, 1, default, "Accepted")
    periods, start = await composite(csms, check, 1, 400)
    expected = [(0, 6.0), (60, 10.0), (120, 8.0), (180, 10.0), (260, 8.0), (300, 10.0)]
    check_periods(check, periods, expected, origin=default, schedule_start=start, ref="1.6 §3.13.3")


@ocpp_case("TC_067_CS", version="1.6", refs=("1.6 §5.5", "1.6 errata 3.25"), needs=SC)
async def test_clear_charging_profile(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Clear by id, then by connector/purpose/stackLevel (TC_K_04/05/07); unknown id: Unknown."""
    await station_v16.idle(csms, dut)
    for body, criteria in (
        (profile(9, "TxDefaultProfile", [(0, 6.0)]), {"id": 9}),
        (
            profile(10, "TxDefaultProfile", [(0, 6.0)], stack=1),
            {"connectorId": 1, "chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 1},
        ),
    ):
        await set_profile(csms, check, 1, body, "Accepted")
        periods, _ = await composite(csms, check, 1, 60)
        check.equal(limit_at(periods, 0), 6.0, "composite limit before clearing", ref="§5.7")
        cleared = await csms.call("ClearChargingProfile", criteria)
        check.equal(
            cleared.get("status"), "Accepted", f"ClearChargingProfile {criteria}", ref="§5.5"
        )
        periods, _ = await composite(csms, check, 1, 60)
        check.must(
            all(limit != 6.0 for _, limit in periods),
            f"the cleared 6 A profile no longer limits connector 1: composite {periods}",
            ref="1.6 §5.5",
        )
    again = await csms.call("ClearChargingProfile", {"id": 9})
    check.equal(again.get("status"), "Unknown", "ClearChargingProfile of a cleared id", ref="§6.14")


@ocpp_case("TC_072_CS", version="1.6", refs=("1.6 §3.13.2", "1.6 errata 3.43"), needs=SC)
async def test_stacking_charging_profiles(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """TxDefaultProfiles at stackLevel 0 and 1 (TC_K_40): level 1 prevails while it runs."""
    await station_v16.idle(csms, dut)
    low = [(0, 6.0), (100, 8.0), (200, 10.0)]
    base = profile(11, "TxDefaultProfile", low, kind="Absolute", duration=405, valid_for=401)
    await set_profile(csms, check, 1, base, "Accepted")
    high = [(0, 7.0), (100, 9.0)]
    top = profile(12, "TxDefaultProfile", high, stack=1, kind="Absolute", duration=155)
    await set_profile(csms, check, 1, top, "Accepted")
    periods, start = await composite(csms, check, 1, 350)
    expected = [(0, 7.0), (100, 9.0), (155, 8.0), (200, 10.0)]
    check_periods(check, periods, expected, origin=top, schedule_start=start, ref="1.6 §3.13.2")


@ocpp_case("TC_082_CS", version="1.6", refs=("1.6 §3.13.1", "1.6 errata 3.8"), needs=(*SC, *PLUG))
async def test_tx_default_profile_ongoing(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """New TxDefaultProfile during a transaction without profile (TC_K_24): it switches to it."""
    await station_v16.idle(csms, dut)
    await configure_metering(csms, dut, check)
    await charging_session(csms, dut, check)
    await set_profile(csms, check, 1, profile(13, "TxDefaultProfile", [(0, 6.0)]), "Accepted")
    mark = csms.wirelog.now()
    periods, _ = await composite(csms, check, 1, 60)
    check.equal(limit_at(periods, 0), 6.0, "composite limit of the new default", ref="errata 3.8")
    await drawn_current(csms, dut, check, 6.0, since=mark, skip=1)
