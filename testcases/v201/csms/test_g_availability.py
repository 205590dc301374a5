"""OCPP 2.0.1 block G (Availability), CSMS under test: ChangeAvailability and lock failure."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, session_v201
from harness.cases.states.availability_v201 import change_availability, report, unavailable
from harness.cases.states.session_v201 import Session
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.station import StationEmulator


@ocpp_case("TC_G_03_CSMS", version="2.0.1")
async def test_evse_operative_to_inoperative(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Reusable State Unavailable for EVSE 1: Inoperative, Accepted, Unavailable."""
    await csms_v201.booted(station, dut, check)
    await unavailable(station, dut, check, evse=1)


@ocpp_case("TC_G_04_CSMS", version="2.0.1")
async def test_evse_inoperative_to_operative(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """EVSE 1 Unavailable; the CSMS sets it Operative; its connectors report Available."""
    await csms_v201.booted(station, dut, check)
    await unavailable(station, dut, check, evse=1)
    await change_availability(station, dut, check, "Operative", evse=1, ref="TC_G_04_CSMS step 1")
    await report(station, dut, check, "Available", evse=1, step="TC_G_04_CSMS step 4")


@ocpp_case("TC_G_05_CSMS", version="2.0.1")
async def test_station_operative_to_inoperative(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The CSMS sets the whole station Inoperative (no evse); every connector Unavailable."""
    await csms_v201.booted(station, dut, check)
    await change_availability(station, dut, check, "Inoperative", ref="TC_G_05_CSMS step 1")
    await report(station, dut, check, "Unavailable", step="TC_G_05_CSMS step 4")


@ocpp_case("TC_G_06_CSMS", version="2.0.1")
async def test_station_inoperative_to_operative(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The station Unavailable; the CSMS sets it Operative (no evse); every connector Available."""
    await csms_v201.booted(station, dut, check)
    await unavailable(station, dut, check)
    await change_availability(station, dut, check, "Operative", ref="TC_G_06_CSMS step 1")
    await report(station, dut, check, "Available", step="TC_G_06_CSMS step 4")


@ocpp_case("TC_G_07_CSMS", version="2.0.1")
async def test_connector_operative_to_inoperative(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The CSMS sets connector 1 of EVSE 1 Inoperative; that connector reports Unavailable."""
    await csms_v201.booted(station, dut, check)
    await change_availability(
        station, dut, check, "Inoperative", evse=1, connector=1, ref="TC_G_07_CSMS step 1"
    )
    await report(
        station, dut, check, "Unavailable", evse=1, connector=1, step="TC_G_07_CSMS step 4"
    )


@ocpp_case("TC_G_08_CSMS", version="2.0.1")
async def test_connector_inoperative_to_operative(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Connector 1 of EVSE 1 Unavailable; the CSMS sets it Operative; it reports Available."""
    await csms_v201.booted(station, dut, check)
    await unavailable(station, dut, check, evse=1, connector=1)
    await change_availability(
        station, dut, check, "Operative", evse=1, connector=1, ref="TC_G_08_CSMS step 1"
    )
    await report(station, dut, check, "Available", evse=1, connector=1, step="TC_G_08_CSMS step 4")


async def _finish_session(s: Session) -> None:
    """StopAuthorized, EVConnectedPostSession, EVDisconnected (steps of TC_G_11/14/17)."""
    await session_v201.stop_authorized(s)
    await session_v201.ev_connected_post_session(s)
    await session_v201.ev_disconnected(s)


@ocpp_case("TC_G_11_CSMS", version="2.0.1")
async def test_evse_inoperative_during_transaction(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Charging on EVSE 1; Inoperative for it is Scheduled; after the session, Unavailable."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    await change_availability(
        station, dut, check, "Inoperative", evse=1, answer="Scheduled", ref="TC_G_11_CSMS step 1"
    )
    await _finish_session(s)
    await report(station, dut, check, "Unavailable", evse=1, step="TC_G_11_CSMS step 7")


@ocpp_case("TC_G_14_CSMS", version="2.0.1")
async def test_station_inoperative_during_transaction(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Charging on EVSE 1; station Inoperative is Scheduled; idle connectors go first."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    await change_availability(
        station, dut, check, "Inoperative", answer="Scheduled", ref="TC_G_14_CSMS step 1"
    )
    busy = ((s.evse, s.connector),)
    await report(station, dut, check, "Unavailable", skip=busy, step="TC_G_14_CSMS step 4")
    await _finish_session(s)
    await report(
        station,
        dut,
        check,
        "Unavailable",
        evse=s.evse,
        connector=s.connector,
        step="TC_G_14_CSMS step 9",
    )


@ocpp_case("TC_G_17_CSMS", version="2.0.1")
async def test_connector_inoperative_during_transaction(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Charging on 1/1; its Inoperative is Scheduled; after the session it is Unavailable."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.energy_transfer_started(s)
    await change_availability(
        station,
        dut,
        check,
        "Inoperative",
        evse=1,
        connector=1,
        answer="Scheduled",
        ref="TC_G_17_CSMS step 1",
    )
    await _finish_session(s)
    await report(
        station, dut, check, "Unavailable", evse=1, connector=1, step="TC_G_17_CSMS step 7"
    )


@ocpp_case("TC_G_20_CSMS", version="2.0.1", refs=("G05.FR.03",))
async def test_lock_failure_notification(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """NotifyEvent: ConnectorPlugRetentionLock Problem true; the CSMS answers it."""
    await csms_v201.booted(station, dut, check)
    now = utc_timestamp()
    event = {
        "eventId": 1,
        "timestamp": now,
        "trigger": "Delta",
        "actualValue": "true",
        "eventNotificationType": "HardWiredNotification",
        "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": 1, "connectorId": 1}},
        "variable": {"name": "Problem"},
    }
    answer = await station.call("NotifyEvent", generatedAt=now, seqNo=0, eventData=[event])
    check.must(
        answer.ok,
        f"expected a valid NotifyEventResponse to ConnectorPlugRetentionLock.Problem = true, "
        f"saw {answer.describe()}",
        ref="TC_G_20_CSMS step 2",
    )
