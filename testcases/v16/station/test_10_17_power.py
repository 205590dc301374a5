"""OCPP 1.6 Power Failure, non-happy flows (1.6 catalog section 14), charge point under test.

The 1.6 compliance test document is not public: each case follows the 1.6 requirement it cites
and the 2.0.1 Part 6 case of the same purpose where there is one.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message


async def _power_loss_while_charging(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> tuple[Message, Message, Message]:
    """Charge, power-cycle: the StartTransaction, the next BootNotification, the Stop."""
    await station_v16.idle(csms, dut)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await station_v16.authorized(csms, dut, check)
    start = await station_v16.charging(csms, dut, check, since=mark)
    transaction_id = (start.answer or {}).get("transactionId")
    down = csms.wirelog.now()
    await dut.power_cycle()
    boot = await csms.expect("BootNotification", within=dut.timeouts.boot, since=down)
    stop = await csms.expect(
        "StopTransaction",
        where={"transactionId": transaction_id},
        within=dut.timeouts.call,
        since=down,
    )
    return start, boot, stop


def _check_power_loss_stop(check: Checks, start: Message, stop: Message) -> None:
    """Reason PowerLoss (§7.36) and a meterStop not below meterStart (§4.10)."""
    check.equal(stop.get("reason"), "PowerLoss", "StopTransaction.req reason", ref="1.6 §7.36")
    check.must(
        stop["meterStop"] >= start["meterStart"],
        f"meterStop {stop['meterStop']} >= meterStart {start['meterStart']}",
        ref="1.6 §4.10",
    )


@ocpp_case(
    "TC_032_2_CS",
    version="1.6",
    refs=("1.6 §3.7", "1.6 §4.2", "1.6 §4.10", "1.6 §7.36"),
    needs=("not:power_backup", "power_cycle", "plug_in", "present_token"),
)
async def test_power_loss_stops_transaction_after_reboot(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Power lost while charging: after the new boot, StopTransaction.req reason PowerLoss.

    The transaction could not be stopped while the power was down, so the charge point reports
    it once the BootNotification is accepted (transaction-related messages are kept, §3.7),
    with its transactionId, reason PowerLoss (§7.36) and a meterStop not below meterStart.
    """
    start, boot, stop = await _power_loss_while_charging(csms, dut, check)
    check.must(
        stop.at > boot.at,
        f"StopTransaction.req after the BootNotification.req ({stop.at:.3f} s > {boot.at:.3f} s)",
        ref="1.6 §4.2",
    )
    _check_power_loss_stop(check, start, stop)


@ocpp_case(
    "TC_032_1_CS",
    version="1.6",
    refs=("1.6 §4.10", "1.6 §7.36"),
    needs=("power_backup", "power_cycle", "plug_in", "present_token"),
)
async def test_power_loss_stops_transaction_before_going_down(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Power lost while charging, on backup power: StopTransaction reason PowerLoss first.

    A charge point that keeps running on backup power ends its transactions while it can
    still reach the Central System: the StopTransaction.req (reason PowerLoss, §7.36) comes
    before the connection drops and before the next BootNotification.req.
    """
    start, boot, stop = await _power_loss_while_charging(csms, dut, check)
    check.must(
        stop.at < boot.at and stop.connection < boot.connection,
        f"StopTransaction.req before going down ({stop.at:.3f} s, connection {stop.connection}) "
        f"and before the BootNotification.req ({boot.at:.3f} s, connection {boot.connection})",
        ref="1.6 §4.10",
    )
    _check_power_loss_stop(check, start, stop)


@ocpp_case(
    "TC_034_CS",
    version="1.6",
    refs=("1.6 §5.2", "1.6 §5.14", "1.6 §4.9", "Part 6 TC_B_23_CS"),
    needs=("power_cycle",),
)
async def test_unavailable_persists_power_failure(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Connector set Unavailable, power cycle: after the boot it reports Unavailable again.

    1.6 §5.2: an Unavailable status set by ChangeAvailability MUST persist across reboots;
    2.0.1 Part 6 TC_B_23_CS (Table 44) checks the same after a reset.
    """
    await station_v16.idle(csms, dut)
    connector_id = dut.connector_id(1, 1)
    await station_v16.unavailable(csms, dut, check)
    down = csms.wirelog.now()
    await dut.power_cycle()
    boot = await csms.expect("BootNotification", within=dut.timeouts.boot, since=down)
    status = await csms.expect(
        "StatusNotification",
        where={"connectorId": connector_id},
        within=dut.timeouts.action,
        since=boot.at,
    )
    check.equal(status["status"], "Unavailable", "status after the reboot", ref="1.6 §5.2")
    await csms.call("ChangeAvailability", connectorId=connector_id, type="Operative")
