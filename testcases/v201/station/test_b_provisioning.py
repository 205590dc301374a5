"""OCPP 2.0.1 block B (Provisioning), charging station under test."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v201
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator


@ocpp_case(
    "TC_B_01_CS",
    version="2.0.1",
    refs=("B01.FR.01", "B01.FR.05", "B01.FR.09"),
    needs=("power_cycle",),
)
async def test_cold_boot_accepted(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Booted via power cycle; every connector's state is reported (Part 6 Table 18)."""
    await station_v201.idle(csms, dut)
    boot = await station_v201.booted(csms, dut, check)
    check.should(
        boot["reason"] == "PowerUp",
        f"BootNotificationRequest reason after a power cycle is PowerUp, saw {boot['reason']}",
        ref="B01 (BootReasonEnumType)",
    )
