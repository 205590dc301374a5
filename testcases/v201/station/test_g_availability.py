"""OCPP 2.0.1 block G (Availability), charging station under test."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v201
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator


@ocpp_case("TC_G_01_CS", version="2.0.1", refs=("G01.FR.01", "N07.FR.19"), needs=("plug_in",))
async def test_status_available_to_occupied(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Execute Reusable State EVConnectedPreSession (Part 6 Table 198)."""
    await station_v201.idle(csms, dut)
    start_points = await station_v201.tx_start_points(csms)
    await station_v201.ev_connected_pre_session(csms, dut, check, start_points)
