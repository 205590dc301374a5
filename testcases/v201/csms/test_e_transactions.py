"""OCPP 2.0.1 block E (Transactions), CSMS under test: start options and local starts."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, session_v201
from harness.cases.states.csms_v201 import id_token
from harness.cases.states.meter_v201 import MeterSigner, meter_value
from harness.cases.states.session_v201 import Session
from harness.dut.device import Dut
from harness.roles.station import StationEmulator


async def _authorize(s: Session, ref: str) -> None:
    """AuthorizeRequest with the valid token; the CSMS must answer Accepted."""
    answer = await s.station.call("Authorize", idToken=id_token(s.dut))
    s.token_accepted(answer, "AuthorizeResponse", ref)
    s.authorized = True


@ocpp_case("TC_E_01_CSMS", version="2.0.1", refs=("E01.FR.05",))
async def test_start_power_path_closed(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Authorize, plug in, Started when the power path closes (SuspendedEVSE), then Charging."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await _authorize(s, "TC_E_01_CSMS step 2")
    await s.notify("Occupied", "TC_E_01_CSMS step 4")
    s.ev_connected = True
    started = s.event(
        "Started", "ChargingStateChanged", with_token=True, chargingState="SuspendedEVSE"
    )
    answer = await s.send(started, "TC_E_01_CSMS step 6")
    s.token_accepted(answer, "TransactionEventResponse", "TC_E_01_CSMS step 6")
    charging = s.event("Updated", "ChargingStateChanged", chargingState="Charging")
    await s.send(charging, "TC_E_01_CSMS step 8")


@ocpp_case("TC_E_02_CSMS", version="2.0.1", refs=("E01.FR.06",))
async def test_start_energy_transfer(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Authorize, plug in, Started when energy flows (chargingState Charging)."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await _authorize(s, "TC_E_02_CSMS step 2")
    await s.notify("Occupied", "TC_E_02_CSMS step 4")
    s.ev_connected = True
    started = s.event("Started", "ChargingStateChanged", with_token=True, chargingState="Charging")
    answer = await s.send(started, "TC_E_02_CSMS step 6")
    s.token_accepted(answer, "TransactionEventResponse", "TC_E_02_CSMS step 6")


@ocpp_case("TC_E_03_CSMS", version="2.0.1", refs=("E02.FR.02",))
async def test_local_start_cable_first(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """EVConnectedPreSession, then Authorized and EnergyTransferStarted (Part 6 TC_E_03_CSMS)."""
    await csms_v201.booted(station, dut, check)
    transaction = csms_v201.Transaction(evse=1)
    await csms_v201.ev_connected_pre_session(station, check, transaction)
    await csms_v201.authorized(station, dut, check, transaction)
    await csms_v201.energy_transfer_started(station, check, transaction)


@ocpp_case("TC_E_04_CSMS", version="2.0.1", refs=("E03.FR.02",))
async def test_local_start_authorization_first(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Authorized first (Started, EVSE not yet known), then EnergyTransferStarted."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.authorized(s)
    await session_v201.energy_transfer_started(s)


@ocpp_case("TC_E_09_CSMS", version="2.0.1", refs=("E01.FR.02",))
async def test_start_ev_connected(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Occupied, then Started on CablePluggedIn without an idToken (chargingState EVConnected)."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await s.notify("Occupied", "TC_E_09_CSMS step 2")
    s.ev_connected = True
    started = s.event("Started", "CablePluggedIn", chargingState="EVConnected")
    await s.send(started, "TC_E_09_CSMS step 4")


@ocpp_case("TC_E_10_CSMS", version="2.0.1", refs=("E01.FR.03",))
async def test_start_authorized_local(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Authorize, then Started on Authorized with the valid token; both Accepted."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await _authorize(s, "TC_E_10_CSMS step 2")
    answer = await s.send(s.event("Started", "Authorized", with_token=True), "TC_E_10_CSMS step 4")
    s.token_accepted(answer, "TransactionEventResponse", "TC_E_10_CSMS step 4")


@ocpp_case("TC_E_11_CSMS", version="2.0.1", refs=("E01.FR.04",))
async def test_start_data_signed(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Started on SignedDataReceived with a signed Transaction.Begin reading of 0.0 Wh."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await _authorize(s, "TC_E_11_CSMS step 2")
    await s.notify("Occupied", "TC_E_11_CSMS step 4")
    s.ev_connected = True
    begin = meter_value(0.0, "Transaction.Begin", signer=MeterSigner())
    started = s.event("Started", "SignedDataReceived", with_token=True, meter_value=[begin])
    answer = await s.send(started, "TC_E_11_CSMS step 6")
    s.token_accepted(answer, "TransactionEventResponse", "TC_E_11_CSMS step 6")
    charging = s.event("Updated", "ChargingStateChanged", chargingState="Charging")
    await s.send(charging, "TC_E_11_CSMS step 8")


@ocpp_case("TC_E_12_CSMS", version="2.0.1", refs=("E01.FR.01",))
async def test_start_parking_bay_occupied(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Started on EVDetected: the bay sensor of the EVSE sees a vehicle, nothing plugged yet."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await s.send(s.event("Started", "EVDetected", with_evse=True), "TC_E_12_CSMS step 2")


@ocpp_case("TC_E_38_CSMS", version="2.0.1", refs=("E03.FR.02",))
async def test_local_start_ev_not_ready(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Authorized, EVConnectedPreSession, then the EV is not ready (SuspendedEV)."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.authorized(s)
    await session_v201.ev_connected_pre_session(s)
    suspended = s.event("Updated", "ChargingStateChanged", chargingState="SuspendedEV")
    await s.send(suspended, "TC_E_38_CSMS step 3")


@ocpp_case("TC_E_53_CSMS", version="2.0.1", refs=("E01.FR.07",))
async def test_seq_no_restarts_per_transaction(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Two transactions in a row, each starting at seqNo 0; the CSMS answers both Started."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    for step in ("1", "3"):
        await session_v201.energy_transfer_started(s)
        started = station.sent(
            "TransactionEvent",
            where={"eventType": "Started", "transactionInfo": {"transactionId": s.transaction.id}},
        )
        seen = [(m.payload["seqNo"], m.answer is not None) for m in started]
        check.equal(
            seen,
            [(0, True)],
            f"step {step}: Started events of {s.transaction.id} as (seqNo, answered)",
            ref="E01.FR.07",
        )
        await session_v201.ev_disconnected(s)
        s.restart()
