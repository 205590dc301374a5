"""OCPP 2.0.1 block E (Transactions), CSMS under test."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.dut.device import Dut
from harness.roles.station import StationEmulator


@ocpp_case("TC_E_03_CSMS", version="2.0.1", refs=("E02.FR.02",))
async def test_local_start_cable_first(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """EVConnectedPreSession, then Authorized and EnergyTransferStarted (Part 6 TC_E_03_CSMS)."""
    await csms_v201.booted(station, dut, check)
    transaction = csms_v201.Transaction(evse=1)
    await csms_v201.ev_connected_pre_session(station, check, transaction)
    await csms_v201.authorized(station, dut, check, transaction)
    await csms_v201.energy_transfer_started(station, check, transaction)
