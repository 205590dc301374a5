"""OCPP 2.0.1 block E (Transactions), CSMS under test: GetTransactionStatus (E14).

The CSMS asks whether transaction messages are still queued at the station, with or without
a transactionId; the emulated station answers as Part 6 says and then delivers the events it
queued while its connection was down (offline = true).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, session_v201
from harness.cases.states.commands_v201 import check_fields, commanded
from harness.cases.states.meter_v201 import meter_value
from harness.cases.states.session_v201 import Session
from harness.dut.device import Dut
from harness.roles.station import StationEmulator


async def _charging(station: StationEmulator, dut: Dut, check: Checks) -> Session:
    """Booted, then Reusable State EnergyTransferStarted."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    return s


async def _offline_period(station: StationEmulator) -> tuple[datetime, datetime]:
    """Close the websocket, then reconnect (after the profile's reconnect delay).

    Returns the moments the connection was down, in which the queued events happened.
    """
    await station.disconnect()
    went = datetime.now(UTC)
    await station.connect()
    return went, datetime.now(UTC)


async def _status_request(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    transaction_id: str | None,
    *,
    ongoing: bool | None,
    queued: bool,
    step: str,
) -> None:
    """Have the CSMS send GetTransactionStatus; answer as told; check the transactionId."""
    answer: dict[str, bool] = {"messagesInQueue": queued}
    if ongoing is not None:
        answer["ongoingIndicator"] = ongoing
    station.on("GetTransactionStatus", once=True).respond_exact(answer)
    body = {} if transaction_id is None else {"transactionId": transaction_id}
    request = await commanded(station, dut, "GetTransactionStatus", body)
    check_fields(check, request, {"transactionId": transaction_id}, ref=step)


async def _queued_meter_event(s: Session, went: datetime, step: str) -> None:
    """The Updated event with a meter value that was queued while offline."""
    at = went + timedelta(milliseconds=100)
    reading = meter_value(s.meter.read(), "Sample.Periodic", at=at)
    event = s.event("Updated", "MeterValuePeriodic", meter_value=[reading], offline=True, at=at)
    await s.send(event, step)


@ocpp_case("TC_E_29_CSMS", version="2.0.1", refs=("E14.FR.02", "E14.FR.04"))
async def test_status_ongoing_with_queue(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Offline while charging; GetTransactionStatus(id): ongoing, queued; offline event follows."""
    s = await _charging(station, dut, check)
    went, _ = await _offline_period(station)
    await _status_request(
        station, dut, check, s.transaction.id, ongoing=True, queued=True, step="TC_E_29_CSMS step 3"
    )
    await _queued_meter_event(s, went, "TC_E_29_CSMS step 6")


@ocpp_case("TC_E_30_CSMS", version="2.0.1", refs=("E14.FR.02", "E14.FR.05"))
async def test_status_ongoing_without_queue(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Charging; GetTransactionStatus(id): ongoing, nothing queued."""
    s = await _charging(station, dut, check)
    await _status_request(
        station,
        dut,
        check,
        s.transaction.id,
        ongoing=True,
        queued=False,
        step="TC_E_30_CSMS step 1",
    )


@ocpp_case("TC_E_31_CSMS", version="2.0.1", refs=("E14.FR.03", "E14.FR.04"))
async def test_status_ended_with_queue(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Ended while offline; the Ended event comes first, the two it skipped after the status."""
    s = await _charging(station, dut, check)
    went, back = await _offline_period(station)
    await s.notify("Available", "TC_E_31_CSMS step 4")
    first = s.transaction.seq_no
    s.transaction.seq_no += 3
    moments = [went + (back - went) * share for share in (0.25, 0.5, 0.75)]
    ended = s.event(
        "Ended",
        "EVCommunicationLost",
        seq_no=first + 2,
        offline=True,
        at=moments[2],
        chargingState="Idle",
        stoppedReason="EVDisconnected",
    )
    await s.send(ended, "TC_E_31_CSMS step 6")
    await _status_request(
        station,
        dut,
        check,
        s.transaction.id,
        ongoing=False,
        queued=True,
        step="TC_E_31_CSMS step 7",
    )
    stop = s.event("Updated", "StopAuthorized", seq_no=first, offline=True, at=moments[0])
    await s.send(stop, "TC_E_31_CSMS step 10")
    post = s.event(
        "Updated",
        "ChargingStateChanged",
        seq_no=first + 1,
        offline=True,
        at=moments[1],
        chargingState="EVConnected",
    )
    await s.send(post, "TC_E_31_CSMS step 12")


@ocpp_case("TC_E_33_CSMS", version="2.0.1", refs=("E14.FR.06", "E14.FR.07"))
async def test_status_without_id_with_queue(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Offline while charging; GetTransactionStatus without id: queued; offline event follows."""
    s = await _charging(station, dut, check)
    went, _ = await _offline_period(station)
    await _status_request(
        station, dut, check, None, ongoing=None, queued=True, step="TC_E_33_CSMS step 3"
    )
    await _queued_meter_event(s, went, "TC_E_33_CSMS step 6")


@ocpp_case("TC_E_34_CSMS", version="2.0.1", refs=("E14.FR.06", "E14.FR.08"))
async def test_status_without_id_without_queue(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """No transaction; GetTransactionStatus without id: nothing queued."""
    await csms_v201.booted(station, dut, check)
    await _status_request(
        station, dut, check, None, ongoing=None, queued=False, step="TC_E_34_CSMS step 1"
    )
