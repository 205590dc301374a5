"""OCPP 2.0.1 block E (Transactions), CSMS under test: stop options and suspended sessions."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, session_v201
from harness.cases.states.commands_v201 import check_fields, commanded
from harness.cases.states.session_v201 import Session, token_status
from harness.dut.device import Dut
from harness.roles.station import StationEmulator


async def _booted_session(station: StationEmulator, dut: Dut, check: Checks) -> Session:
    await csms_v201.booted(station, dut, check)
    return Session(station, dut, check)


@ocpp_case("TC_E_39_CSMS", version="2.0.1", refs=("E03.FR.04", "E03.FR.05", "E06.FR.04"))
async def test_stop_deauthorized_timeout(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Authorized, no EV within EVConnectionTimeOut: Ended on EVConnectTimeout (Timeout)."""
    s = await _booted_session(station, dut, check)
    await session_v201.authorized(s)
    ended = s.event("Ended", "EVConnectTimeout", stoppedReason="Timeout")
    await s.send(ended, "TC_E_39_CSMS step 2")


@ocpp_case("TC_E_14_CSMS", version="2.0.1", refs=("E06.FR.02",))
async def test_stop_ev_disconnected_station_side(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """EVConnectedPostSession, then the cable is pulled at the station: EVDisconnected."""
    s = await _booted_session(station, dut, check)
    await session_v201.ev_connected_post_session(s)
    await session_v201.ev_disconnected(s)


@ocpp_case("TC_E_20_CSMS", version="2.0.1", refs=("E06.FR.02",))
async def test_stop_ev_disconnected_ev_side(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """EnergyTransferSuspended, then the cable leaves the EV: Ended EVDisconnected."""
    s = await _booted_session(station, dut, check)
    await session_v201.energy_transfer_suspended(s)
    await session_v201.ev_disconnected(s, after_session=False)


@ocpp_case("TC_E_15_CSMS", version="2.0.1", refs=("E06.FR.03",))
async def test_stop_authorized_local(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """EnergyTransferStarted, then the driver stops locally: Ended on StopAuthorized (Local)."""
    s = await _booted_session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    ended = s.event("Ended", "StopAuthorized", stoppedReason="Local")
    await s.send(ended, "TC_E_15_CSMS step 2")


@ocpp_case(
    "TC_E_21_CSMS", version="2.0.1", refs=("E06.FR.03", "F03.FR.01", "F03.FR.09", "F03.FR.10")
)
async def test_stop_authorized_remote(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The CSMS stops the ongoing transaction by its id; Ended on RemoteStop (Remote)."""
    s = await _booted_session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    station.on("RequestStopTransaction", once=True).respond(status="Accepted")
    request = await commanded(
        station, dut, "RequestStopTransaction", {"transactionId": s.transaction.id}
    )
    check_fields(check, request, {"transactionId": s.transaction.id}, ref="TC_E_21_CSMS step 1")
    ended = s.event("Ended", "RemoteStop", stoppedReason="Remote")
    await s.send(ended, "TC_E_21_CSMS step 4")


@ocpp_case("TC_E_07_CSMS", version="2.0.1", refs=("E06.FR.06",))
async def test_stop_power_path_local(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """EnergyTransferStarted; the local stop opens the power path: Ended on StopAuthorized."""
    s = await _booted_session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    ended = s.event("Ended", "StopAuthorized", stoppedReason="Local")
    await s.send(ended, "TC_E_07_CSMS step 2")


@ocpp_case("TC_E_08_CSMS", version="2.0.1", refs=("E06.FR.07",))
async def test_stop_energy_transfer_stop_authorized(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """StopAuthorized, then energy transfer stops: Ended on ChargingStateChanged (Local)."""
    s = await _booted_session(station, dut, check)
    await session_v201.stop_authorized(s)
    ended = s.event(
        "Ended", "ChargingStateChanged", chargingState="EVConnected", stoppedReason="Local"
    )
    await s.send(ended, "TC_E_08_CSMS step 2")


@ocpp_case("TC_E_16_CSMS", version="2.0.1", refs=("E06.FR.04", "E01.FR.11", "E01.FR.12"))
async def test_stop_deauthorized_invalid_token(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Started with the invalid token: Invalid or Unknown; then Ended on Deauthorized."""
    s = await _booted_session(station, dut, check)
    started = s.event("Started", "Authorized")
    started["idToken"] = {"idToken": dut.tokens.invalid, "type": dut.tokens.token_type}
    answer = await s.send(started, "TC_E_16_CSMS step 2")
    seen = token_status(answer)
    check.must(
        seen in ("Invalid", "Unknown"),
        f"TransactionEventResponse idTokenInfo.status for {dut.tokens.invalid}: expected "
        f"Invalid or Unknown, saw {seen!r}",
        ref="TC_E_16_CSMS step 2",
    )
    ended = s.event("Ended", "Deauthorized", stoppedReason="DeAuthorized")
    await s.send(ended, "TC_E_16_CSMS step 4")


@ocpp_case("TC_E_17_CSMS", version="2.0.1", refs=("E06.FR.04",))
async def test_stop_deauthorized_ev_side(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """EnergyTransferSuspended, EV communication lost: Ended (Idle, EVDisconnected)."""
    s = await _booted_session(station, dut, check)
    await session_v201.energy_transfer_suspended(s)
    ended = s.event(
        "Ended", "EVCommunicationLost", chargingState="Idle", stoppedReason="EVDisconnected"
    )
    await s.send(ended, "TC_E_17_CSMS step 2")


@ocpp_case("TC_E_22_CSMS", version="2.0.1", refs=("E06.FR.07",))
async def test_stop_energy_transfer_suspended_ev(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """EnergyTransferStarted, the EV stops drawing energy: Ended (SuspendedEV, StoppedByEV)."""
    s = await _booted_session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    ended = s.event(
        "Ended", "ChargingStateChanged", chargingState="SuspendedEV", stoppedReason="StoppedByEV"
    )
    await s.send(ended, "TC_E_22_CSMS step 2")


@ocpp_case("TC_E_19_CSMS", version="2.0.1", refs=("E06.FR.01",))
async def test_stop_parking_bay_unoccupied(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The EV unplugs (Updated: with ParkingBayOccupancy the transaction goes on), then leaves.

    Part 6 runs Reusable State EVDisconnected, whose Ended event would end the transaction
    before the bay empties; with the stop point ParkingBayOccupancy (E06.FR.01) the station
    reports the unplugging as Updated and ends the transaction on EVDeparted.
    """
    s = await _booted_session(station, dut, check)
    await session_v201.ev_disconnected(s, ends=False)
    ended = s.event("Ended", "EVDeparted", stoppedReason="Local")
    await s.send(ended, "TC_E_19_CSMS step 2")


@ocpp_case("TC_E_26_CSMS", version="2.0.1", refs=("E10.FR.01",))
async def test_suspend_on_ev_side_disconnect(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """EV-side unplug suspends the transaction (Idle, Available); replug resumes charging."""
    s = await _booted_session(station, dut, check)
    await session_v201.energy_transfer_suspended(s)
    lost = s.event("Updated", "EVCommunicationLost", chargingState="Idle")
    await s.send(lost, "TC_E_26_CSMS step 2")
    await s.notify("Available", "TC_E_26_CSMS step 4")
    replugged = s.event("Updated", "CablePluggedIn", chargingState="EVConnected")
    await s.send(replugged, "TC_E_26_CSMS step 6")
    charging = s.event("Updated", "ChargingStateChanged", chargingState="Charging")
    await s.send(charging, "TC_E_26_CSMS step 8")
