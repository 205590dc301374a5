"""OCPP 2.0.1 block E (Transactions), charging station under test."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v201
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator


@ocpp_case(
    "TC_E_03_CS",
    version="2.0.1",
    refs=("E02.FR.01", "E02.FR.05", "E02.FR.06", "E02.FR.07", "E02.FR.13", "C01.FR.02"),
    needs=("plug_in", "present_token"),
)
async def test_local_start_cable_first(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """EVConnectedPreSession, Authorized (local), EnergyTransferStarted (Part 6 Table 137)."""
    await station_v201.idle(csms, dut)
    start_points = await station_v201.tx_start_points(csms)
    mark = csms.wirelog.now()
    started = await station_v201.ev_connected_pre_session(csms, dut, check, start_points)
    await station_v201.authorized_local(
        csms, dut, check, transaction_started=started is not None or "Authorized" in start_points
    )
    await station_v201.energy_transfer_started(csms, dut, check, since=mark)
