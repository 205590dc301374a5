"""OCPP 1.6 Core, charge point under test: Remote Actions (05) and Resetting (06), happy flows.

The 1.6 compliance test document is not public; each case follows the 2.0.1 Part 6 case of the
same purpose (named in its refs), translated to 1.6 messages.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message

#: ConnectionTimeOut (s) configured for the time-out case.
CONNECTION_TIMEOUT = 1
#: How long (s) to watch that no transaction starts once the remote start expired.
HOLD = 0.5


async def _remote_start(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction.req connector 1, valid idTag: Accepted (1.6 §5.11)."""
    outcome = await csms.call(
        "RemoteStartTransaction", connectorId=dut.connector_id(1, 1), idTag=dut.tokens.valid
    )
    check.equal(
        outcome.get("status"), "Accepted", "RemoteStartTransaction.conf status", ref="1.6 §5.11"
    )


@ocpp_case(
    "TC_010_CS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §4.8", "2.0.1 Part 6 TC_F_01_CS"),
    needs=("plug_in",),
)
async def test_remote_start_cable_first(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Plug in (Preparing), RemoteStartTransaction: StartTransaction with its idTag, Charging."""
    await station_v16.idle(csms, dut)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await _remote_start(csms, dut, check)
    await station_v16.charging(csms, dut, check, since=mark)


@ocpp_case(
    "TC_011_1_CS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §4.8", "2.0.1 Part 6 TC_F_02_CS"),
    needs=("plug_in",),
)
async def test_remote_start_first(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction first (Preparing), then plug in: transaction, Charging."""
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "ConnectionTimeOut", "60")
    mark = csms.wirelog.now()
    await _remote_start(csms, dut, check)
    await station_v16.status(csms, dut, "Preparing", since=mark)
    await dut.plug_in()
    await station_v16.charging(csms, dut, check, since=mark)


@ocpp_case(
    "TC_011_2_CS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §9.1.6", "2.0.1 Part 6 TC_F_04_CS"),
    needs=("plug_in",),
)
async def test_remote_start_connection_timeout(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Remote start, no cable within ConnectionTimeOut: Available again, nothing starts."""
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "ConnectionTimeOut", str(CONNECTION_TIMEOUT))
    mark = csms.wirelog.now()
    await _remote_start(csms, dut, check)
    preparing = await station_v16.status(csms, dut, "Preparing", since=mark)
    await csms.expect(
        "StatusNotification",
        where={"connectorId": dut.connector_id(1, 1), "status": "Available"},
        within=CONNECTION_TIMEOUT + dut.timeouts.action,
        since=preparing.at,
    )
    await station_v16.plugged_in(csms, dut)
    await csms.expect_none("StartTransaction", during=HOLD)


@ocpp_case(
    "TC_012_CS",
    version="1.6",
    refs=("1.6 §5.12", "1.6 §4.10", "2.0.1 Part 6 TC_F_08_CS"),
    needs=("plug_in", "unplug", "present_token"),
)
async def test_remote_stop(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStopTransaction: Accepted, StopTransaction reason Remote, Finishing, Available."""
    await station_v16.idle(csms, dut)
    start = await station_v16.session(csms, dut, check)
    mark = csms.wirelog.now()
    outcome = await csms.call(
        "RemoteStopTransaction", transactionId=station_v16.transaction_id(start)
    )
    check.equal(
        outcome.get("status"), "Accepted", "RemoteStopTransaction.conf status", ref="1.6 §5.12"
    )
    await station_v16.stopped(csms, dut, check, start, since=mark, reason="Remote")
    await station_v16.status(csms, dut, "Finishing", since=mark)
    await station_v16.unplugged(csms, dut)


async def _reset(csms: CsmsEmulator, dut: Dut, check: Checks, kind: str) -> float:
    """Reset.req of `kind`, answered Accepted (1.6 §5.14); returns when it was sent."""
    mark = csms.wirelog.now()
    outcome = await csms.call("Reset", type=kind)
    check.equal(outcome.get("status"), "Accepted", "Reset.conf status", ref="1.6 §5.14")
    return mark


async def _rebooted(csms: CsmsEmulator, dut: Dut, since: float) -> Message:
    """BootNotification after the reset (1.6 §4.2), answered Accepted."""
    return await csms.expect("BootNotification", within=dut.timeouts.boot, since=since)


async def _reset_idle(csms: CsmsEmulator, dut: Dut, check: Checks, kind: str) -> None:
    await station_v16.idle(csms, dut)
    mark = await _reset(csms, dut, check, kind)
    boot = await _rebooted(csms, dut, mark)
    await station_v16.all_connectors(
        csms, dut, "Available", since=boot.at, within=dut.timeouts.call
    )


async def _reset_charging(csms: CsmsEmulator, dut: Dut, check: Checks, kind: str) -> None:
    """Reset during a transaction: StopTransaction (reason <kind>Reset), reboot, status."""
    await station_v16.idle(csms, dut)
    start = await station_v16.session(csms, dut, check)
    mark = await _reset(csms, dut, check, kind)
    boot = await _rebooted(csms, dut, mark)
    # Soft: the StopTransaction.req came before the boot, so it is already here. Hard: it may
    # also follow the accepted boot (1.6 §5.14 "if possible ... after having restarted").
    stop = await station_v16.stopped(
        csms,
        dut,
        check,
        start,
        since=mark,
        reason=f"{kind}Reset",
        within=dut.timeouts.action if kind == "Hard" else 0.0,
    )
    if kind == "Soft":
        check.must(
            stop.at < boot.at,
            f"StopTransaction.req ({stop.at:.3f} s) before the reset's BootNotification "
            f"({boot.at:.3f} s)",
            ref="1.6 §5.14",
        )
    report = await csms.expect(
        "StatusNotification",
        where={"connectorId": dut.connector_id(1, 1)},
        within=dut.timeouts.call,
        since=boot.at,
    )
    check.must(
        report["status"] not in ("Charging", "SuspendedEV", "SuspendedEVSE"),
        f"no transaction after the reset: connector status {report['status']}",
        ref="1.6 §5.14",
    )
    await station_v16.unplugged(csms, dut)


@ocpp_case(
    "TC_013_CS",
    version="1.6",
    refs=("1.6 §5.14", "1.6 §4.2", "2.0.1 Part 6 TC_B_20_CS"),
)
async def test_hard_reset_idle(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Hard Reset without transaction: Accepted, reboot (BootNotification), all Available."""
    await _reset_idle(csms, dut, check, "Hard")


@ocpp_case(
    "TC_014_CS",
    version="1.6",
    refs=("1.6 §5.14", "1.6 §4.2", "2.0.1 Part 6 TC_B_20_CS"),
)
async def test_soft_reset_idle(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Soft Reset without transaction: Accepted, reboot (BootNotification), all Available."""
    await _reset_idle(csms, dut, check, "Soft")


@ocpp_case(
    "TC_015_CS",
    version="1.6",
    refs=("1.6 §5.14", "1.6 §4.10", "2.0.1 Part 6 TC_B_22_CS"),
    needs=("plug_in", "unplug", "present_token"),
)
async def test_hard_reset_charging(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Hard Reset while charging: StopTransaction (HardReset, before or after the reboot)."""
    await _reset_charging(csms, dut, check, "Hard")


@ocpp_case(
    "TC_016_CS",
    version="1.6",
    refs=("1.6 §5.14", "1.6 §4.10", "2.0.1 Part 6 TC_B_21_CS"),
    needs=("plug_in", "unplug", "present_token"),
)
async def test_soft_reset_charging(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Soft Reset while charging: StopTransaction (SoftReset) before the reboot's boot."""
    await _reset_charging(csms, dut, check, "Soft")
