"""OCPP 2.0.1 block B (Provisioning), CSMS under test."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.dut.device import Dut
from harness.roles.station import StationEmulator


@ocpp_case("TC_B_01_CSMS", version="2.0.1", refs=("B01.FR.02",))
async def test_cold_boot_accepted(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Execute Reusable State Booted: the CSMS accepts the registered station (Table 462)."""
    await csms_v201.booted(station, dut, check)
