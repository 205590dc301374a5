"""OCPP 1.6 Core, charge point under test (1.6 catalog sections 01-17, 24)."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator


@ocpp_case(
    "TC_001_CS", version="1.6", refs=("1.6 §4.2", "1.6 §4.6", "1.6 §4.9"), needs=("power_cycle",)
)
async def test_cold_boot(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Power cycle: BootNotification, every connector Available, heartbeats at the interval."""
    await station_v16.idle(csms, dut)
    interval = 1
    csms.on("BootNotification", once=True).respond(interval=interval)
    boot = await station_v16.booted(csms, dut, check)
    first = await csms.expect("Heartbeat", within=interval + dut.timeouts.call, since=boot.at)
    second = await csms.expect("Heartbeat", within=interval + dut.timeouts.call, since=first.at)
    gap = second.at - first.at
    check.must(
        gap >= interval * 0.5,
        f"heartbeats follow BootNotification.conf interval {interval} s: gap {gap:.2f} s",
        ref="1.6 §4.6",
    )


@ocpp_case(
    "TC_003_CS",
    version="1.6",
    refs=("1.6 §4.1", "1.6 §4.8", "1.6 §4.9"),
    needs=("plug_in", "present_token"),
)
async def test_charging_session_plugin_first(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Plug in (Preparing), present the valid idTag (Authorize), transaction starts, Charging."""
    await station_v16.idle(csms, dut)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await station_v16.authorized(csms, dut, check)
    await station_v16.charging(csms, dut, check, since=mark)
