"""Reusable states of one charging session, 2.0.1 CSMS under test (Part 6 Tables 701-707).

The harness plays the charging station. A `Session` keeps what the tables branch on (is the
driver authorized, is the EV connected, has the EVSE been reported) and builds the
TransactionEventRequests of one transaction; each state sends what its table lists and
records its tool validations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from harness.cases.checks import Checks
from harness.cases.states.csms_v201 import Transaction, id_token, status
from harness.cases.states.meter_v201 import EnergyMeter
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.exchange import CallOutcome
from harness.roles.station import StationEmulator

Payload = dict[str, Any]


def token_status(answer: CallOutcome) -> object:
    """idTokenInfo.status of an answer, or None when the answer has none."""
    info = answer.get("idTokenInfo")
    return info.get("status") if isinstance(info, dict) else None


@dataclass
class Session:
    """The emulated station's side of one charging session on one connector."""

    station: StationEmulator
    dut: Dut
    check: Checks
    evse: int = 1
    connector: int = 1
    meter: EnergyMeter = field(default_factory=EnergyMeter)
    transaction: Transaction = field(init=False)
    authorized: bool = False
    ev_connected: bool = False
    charging: bool = False
    stop_authorized: bool = False
    post_session: bool = False
    evse_reported: bool = False

    def __post_init__(self) -> None:
        self.transaction = Transaction(evse=self.evse, connector=self.connector)

    def restart(self) -> None:
        """Begin a new transaction on the same connector (seqNo restarts at 0, E01.FR.07)."""
        self.transaction = Transaction(evse=self.evse, connector=self.connector)
        self.authorized = self.ev_connected = self.charging = False
        self.stop_authorized = self.post_session = self.evse_reported = False

    def event(
        self,
        event_type: str,
        trigger: str,
        *,
        with_evse: bool | None = None,
        with_token: bool = False,
        meter_value: list[Payload] | None = None,
        seq_no: int | None = None,
        offline: bool = False,
        at: datetime | None = None,
        **info: Any,
    ) -> Payload:
        """A TransactionEventRequest of this transaction.

        seqNo advances unless given; `at` backdates the event (offline events). `evse` goes
        with the first event after the EVSE became known (the EV connected) unless
        `with_evse` says otherwise.
        """
        if seq_no is None:
            seq_no = self.transaction.seq_no
            self.transaction.seq_no += 1
        payload: Payload = {
            "eventType": event_type,
            "timestamp": utc_timestamp(at),
            "triggerReason": trigger,
            "seqNo": seq_no,
            "transactionInfo": {"transactionId": self.transaction.id, **info},
        }
        if with_evse is None:
            with_evse = self.ev_connected and not self.evse_reported
        if with_evse:
            payload["evse"] = {"id": self.evse, "connectorId": self.connector}
            self.evse_reported = True
        if with_token:
            payload["idToken"] = id_token(self.dut)
        if meter_value:
            payload["meterValue"] = meter_value
        if offline:
            payload["offline"] = True
        self.transaction.started = True
        return payload

    async def send(self, payload: Payload, step: str) -> CallOutcome:
        """Send a TransactionEventRequest; the CSMS must answer it with a valid response."""
        answer = await self.station.call("TransactionEvent", payload)
        self.check.must(
            answer.ok,
            f"expected a valid TransactionEventResponse to {payload['eventType']}/"
            f"{payload['triggerReason']} seqNo {payload['seqNo']}, saw {answer.describe()}",
            ref=step,
        )
        return answer

    async def notify(
        self, value: str, step: str, *, evse: int | None = None, connector: int | None = None
    ) -> CallOutcome:
        """Send a StatusNotificationRequest; the CSMS must answer it with a valid response."""
        evse_id = self.evse if evse is None else evse
        connector_id = self.connector if connector is None else connector
        answer = await self.station.call("StatusNotification", status(evse_id, connector_id, value))
        self.check.must(
            answer.ok,
            f"expected a valid StatusNotificationResponse to {value} on "
            f"{evse_id}/{connector_id}, saw {answer.describe()}",
            ref=step,
        )
        return answer

    def token_accepted(self, answer: CallOutcome, what: str, ref: str) -> bool:
        """Check that `answer` carries idTokenInfo.status Accepted for the valid token."""
        return self.check.equal(
            token_status(answer), "Accepted", f"{what} idTokenInfo.status", ref=ref
        )


async def ev_connected_pre_session(
    s: Session, *, meter_value: list[Payload] | None = None
) -> CallOutcome:
    """Reusable State EVConnectedPreSession (Table 701): Occupied, then CablePluggedIn.

    Started when no transaction runs yet (E01.FR.02), otherwise Updated; evse always given.
    """
    await s.notify("Occupied", "Part 6 Table 701 step 2")
    s.ev_connected = True
    event_type = "Updated" if s.transaction.started else "Started"
    payload = s.event(
        event_type,
        "CablePluggedIn",
        with_evse=True,
        meter_value=meter_value,
        chargingState="EVConnected",
    )
    return await s.send(payload, "Part 6 Table 701 step 4")


async def authorized(s: Session) -> CallOutcome:
    """Reusable State Authorized (Table 702): Authorize and a tx event, both Accepted.

    Started when no transaction runs yet (authorization first, E03.FR.02), else Updated.
    """
    authorize = await s.station.call("Authorize", idToken=id_token(s.dut))
    s.token_accepted(authorize, "AuthorizeResponse", "Part 6 Table 702 step 2")
    event_type = "Updated" if s.transaction.started else "Started"
    answer = await s.send(
        s.event(event_type, "Authorized", with_token=True), "Part 6 Table 702 step 4"
    )
    s.token_accepted(answer, "TransactionEventResponse", "Part 6 Table 702 step 4")
    s.authorized = True
    return answer


async def energy_transfer_started(s: Session) -> CallOutcome:
    """Reusable State EnergyTransferStarted (Table 703): authorize, plug in, then Charging."""
    if not s.authorized:
        await authorized(s)
    if not s.ev_connected:
        await ev_connected_pre_session(s)
    payload = s.event("Updated", "ChargingStateChanged", chargingState="Charging")
    answer = await s.send(payload, "Part 6 Table 703 step 6")
    s.charging = True
    return answer


async def energy_transfer_suspended(s: Session) -> CallOutcome:
    """Reusable State EnergyTransferSuspended (Table 704): the EV suspends charging."""
    if not s.charging:
        await energy_transfer_started(s)
    payload = s.event("Updated", "ChargingStateChanged", chargingState="SuspendedEV")
    answer = await s.send(payload, "Part 6 Table 704 step 2")
    s.charging = False
    return answer


async def stop_authorized(s: Session) -> CallOutcome:
    """Reusable State StopAuthorized (Table 705): the driver stops; idTokenInfo Accepted."""
    if not s.charging:
        await energy_transfer_started(s)
    payload = s.event("Updated", "StopAuthorized", with_token=True)
    answer = await s.send(payload, "Part 6 Table 705 step 2")
    s.token_accepted(answer, "TransactionEventResponse", "Part 6 Table 705 step 2")
    s.stop_authorized = True
    return answer


async def ev_connected_post_session(s: Session) -> CallOutcome:
    """Reusable State EVConnectedPostSession (Table 706): energy transfer stopped."""
    if not s.stop_authorized:
        await stop_authorized(s)
    payload = s.event("Updated", "ChargingStateChanged", chargingState="EVConnected")
    answer = await s.send(payload, "Part 6 Table 706 step 2")
    s.charging = False
    s.post_session = True
    return answer


async def ev_disconnected(
    s: Session,
    *,
    meter_value: list[Payload] | None = None,
    after_session: bool = True,
    ends: bool = True,
) -> CallOutcome:
    """Reusable State EVDisconnected (Table 707): Available, then Ended EVDisconnected (E06.FR.02).

    `after_session=False` unplugs from the current state instead of first passing through
    EVConnectedPostSession (an EV-side disconnect while charging or suspended). `ends=False`
    reports the unplugging as Updated, for a station whose transactions end later (E06.FR.01).
    """
    if after_session and not s.post_session:
        await ev_connected_post_session(s)
    await s.notify("Available", "Part 6 Table 707 step 2")
    payload = s.event(
        "Ended" if ends else "Updated",
        "EVCommunicationLost",
        meter_value=meter_value,
        chargingState="Idle",
    )
    if ends:
        payload["transactionInfo"]["stoppedReason"] = "EVDisconnected"
    answer = await s.send(payload, "Part 6 Table 707 step 4")
    s.ev_connected = s.charging = False
    return answer
