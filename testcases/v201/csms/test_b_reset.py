"""OCPP 2.0.1 block B (Provisioning), CSMS under test: Reset of the station or an EVSE (B11, B12).

Errata 2025-01 (TC_B_20/21/22): a station reset must omit evseId.
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, provisioning_v201
from harness.cases.states.commands_v201 import check_fields, commanded
from harness.cases.states.session_v201 import Session, energy_transfer_started
from harness.dut.device import Dut
from harness.roles.station import StationEmulator

Payload = dict[str, Any]
#: The EVSE the EVSE-reset cases reset (<Configured evseId>).
EVSE = 1


async def _reset(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    reset_type: str,
    evse: int | None,
    answer: str,
    ref: str,
) -> None:
    """Make the CSMS send ResetRequest; answer `answer`; check type and evseId (step 1)."""
    station.on("Reset").respond(status=answer)
    payload: Payload = {"type": reset_type}
    if evse is not None:
        payload["evseId"] = evse
    request = await commanded(station, dut, "Reset", payload)
    check_fields(check, request, {"type": reset_type, "evseId": evse}, ref=ref)


async def _charging(station: StationEmulator, dut: Dut, check: Checks) -> Session:
    """Booted, then Reusable State EnergyTransferStarted on EVSE 1."""
    await csms_v201.booted(station, dut, check)
    session = Session(station, dut, check, evse=EVSE)
    await energy_transfer_started(session)
    return session


async def _ends_on_idle(session: Session) -> None:
    """Steps 3-6 of an OnIdle reset: the driver stops, the EV leaves, the transaction ends."""
    stop = session.event("Updated", "StopAuthorized", with_token=True, chargingState="EVConnected")
    await session.send(stop, "step 4")
    ended = session.event(
        "Ended", "EVCommunicationLost", chargingState="Idle", stoppedReason="EVDisconnected"
    )
    await session.send(ended, "step 6")


async def _ends_immediately(session: Session) -> None:
    """Step 3-4 of an Immediate reset: Ended ResetCommand / ImmediateReset, no idToken."""
    ended = session.event(
        "Ended", "ResetCommand", chargingState="EVConnected", stoppedReason="ImmediateReset"
    )
    await session.send(ended, "step 4")


async def _rebooted(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    reason: str,
    step: str,
    *,
    occupied: int | None = None,
) -> None:
    """The station reboots with `reason`; the CSMS accepts it; every connector is reported."""
    boot = await provisioning_v201.reboot(station, reason)
    check.equal(boot.get("status"), "Accepted", f"{step} BootNotificationResponse status")
    await provisioning_v201.report_connectors(
        station, dut, check, "after the reboot", occupied=occupied
    )


@ocpp_case("TC_B_20_CSMS", version="2.0.1", refs=("B11.FR.04",))
async def test_reset_station_idle(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Reset OnIdle without transactions: Accepted, reboot, Accepted boot (Table 475)."""
    await csms_v201.booted(station, dut, check)
    await _reset(station, dut, check, "OnIdle", None, "Accepted", "B11.FR.04")
    await _rebooted(station, dut, check, "RemoteReset", "step 4")


@ocpp_case("TC_B_21_CSMS", version="2.0.1", refs=("B12.FR.01", "B12.FR.03", "E07.FR.03"))
async def test_reset_station_on_idle_charging(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Reset OnIdle while charging: Scheduled; the session ends; ScheduledReset (Table 476)."""
    session = await _charging(station, dut, check)
    await _reset(station, dut, check, "OnIdle", None, "Scheduled", "B12.FR.01")
    await _ends_on_idle(session)
    await _rebooted(station, dut, check, "ScheduledReset", "step 8")


@ocpp_case("TC_B_22_CSMS", version="2.0.1", refs=("B12",))
async def test_reset_station_immediate_charging(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Reset Immediate while charging: Accepted; Ended ImmediateReset; reboot (Table 477)."""
    session = await _charging(station, dut, check)
    await _reset(station, dut, check, "Immediate", None, "Accepted", "B12")
    await _ends_immediately(session)
    await _rebooted(station, dut, check, "RemoteReset", "step 6", occupied=EVSE)


@ocpp_case("TC_B_25_CSMS", version="2.0.1", refs=("B11.FR.04",))
async def test_reset_evse_idle(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Reset OnIdle of EVSE 1 without transactions: type OnIdle, evseId 1 (Table 478)."""
    await csms_v201.booted(station, dut, check)
    await _reset(station, dut, check, "OnIdle", EVSE, "Accepted", "B11.FR.04")


@ocpp_case("TC_B_26_CSMS", version="2.0.1", refs=("B12.FR.07",))
async def test_reset_evse_on_idle_charging(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Reset OnIdle of the charging EVSE: Scheduled, then the session ends (Table 479)."""
    session = await _charging(station, dut, check)
    await _reset(station, dut, check, "OnIdle", EVSE, "Scheduled", "B12.FR.07")
    await _ends_on_idle(session)


@ocpp_case("TC_B_27_CSMS", version="2.0.1", refs=("B12",))
async def test_reset_evse_immediate_charging(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Reset Immediate of the charging EVSE: Accepted; Ended ImmediateReset (Table 480)."""
    session = await _charging(station, dut, check)
    await _reset(station, dut, check, "Immediate", EVSE, "Accepted", "B12")
    await _ends_immediately(session)
