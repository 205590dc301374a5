"""What the emulated station of a CSMS fuzz run sends, per OCPP version.

A `Dialect` builds the payloads of a conforming station: 1.6 Authorize, StartTransaction,
MeterValues, StopTransaction, StatusNotification (§4); 2.0.1 Authorize, TransactionEvent
Started/Updated/Ended numbered by seqNo 0, 1, 2, ... per transaction (Part 6 general tool
rules), `offline` set on events delivered after a connection loss (E04), StatusNotification.
Payloads are built with the moment of the event; a 1.6 transactionId is filled in when the
message is delivered, since only the StartTransaction.conf gives it (§3.7).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp

Payload = dict[str, Any]
REGISTER = "Energy.Active.Import.Register"


@dataclass
class EmulatedTransaction:
    """One transaction of the emulated station."""

    key: str
    evse: int
    token: str
    #: 1.6: the transactionId of the StartTransaction.conf (None until answered).
    csms_id: int | None = None
    seq_no: int = 0


class Dialect(Protocol):
    """Payloads of one OCPP version; `register` is the EVSE's energy register in Wh."""

    version: str
    statuses: tuple[str, ...]
    stop_command: str

    def status(self, evse: int, status: str) -> Payload:
        """StatusNotification."""

    def boot_statuses(self) -> list[Payload]:
        """StatusNotifications after a boot: every connector Available."""

    def authorize(self, token: str) -> Payload:
        """Authorize for the token value."""

    def start(self, tx: EmulatedTransaction, token: str, register: int) -> tuple[str, Payload]:
        """The message that starts a transaction."""

    def meter(self, tx: EmulatedTransaction, register: int) -> tuple[str, Payload]:
        """A periodic meter reading of a running transaction."""

    def stop(
        self, tx: EmulatedTransaction, token: str | None, reason: str, register: int
    ) -> tuple[str, Payload]:
        """The message that ends a transaction; `reason` a 1.6 Reason."""

    def deliver(
        self, tx: EmulatedTransaction, action: str, payload: Payload, offline: bool
    ) -> Payload | None:
        """The payload as sent now (None: it cannot be sent, its transaction has no id)."""

    def started(self, tx: EmulatedTransaction, answer: Payload | None) -> None:
        """Take what the answer to the start tells about the transaction."""

    def csms_id(self, tx: EmulatedTransaction) -> str | int | None:
        """The id under which the CSMS knows the transaction."""


def _sample(register: int, context: str, *, as_text: bool) -> Payload:
    value: Any = str(register) if as_text else register
    sampled = {"value": value, "context": context, "measurand": REGISTER}
    sampled.update({"unit": "Wh"} if as_text else {"unitOfMeasure": {"unit": "Wh"}})
    return {"timestamp": utc_timestamp(), "sampledValue": [sampled]}


class Dialect16:
    """OCPP 1.6: connectorId n is the profile's flat connector id of EVSE n (§3.8)."""

    version = "1.6"
    statuses: tuple[str, ...] = (
        "Available",
        "Preparing",
        "Charging",
        "SuspendedEV",
        "SuspendedEVSE",
        "Finishing",
        "Reserved",
        "Unavailable",
        "Faulted",
    )
    stop_command = "RemoteStopTransaction"

    def __init__(self, dut: Dut) -> None:
        self.dut = dut

    def status(self, evse: int, status: str) -> Payload:
        """StatusNotification.req (§4.9); Faulted with an error code (§7.6)."""
        return {
            "connectorId": self.dut.connector_id(evse) if evse else 0,
            "errorCode": "OtherError" if status == "Faulted" else "NoError",
            "status": status,
            "timestamp": utc_timestamp(),
        }

    def boot_statuses(self) -> list[Payload]:
        """Connector 0 and every connector Available (§4.9)."""
        return [self.status(0, "Available")] + [
            self.status(evse.id, "Available") for evse in self.dut.profile.evses
        ]

    def authorize(self, token: str) -> Payload:
        """Authorize.req (§4.1)."""
        return {"idTag": token}

    def start(self, tx: EmulatedTransaction, token: str, register: int) -> tuple[str, Payload]:
        """StartTransaction.req (§4.8)."""
        connector = self.dut.connector_id(tx.evse)
        payload = {"connectorId": connector, "idTag": token, "meterStart": register}
        return "StartTransaction", {**payload, "timestamp": utc_timestamp()}

    def meter(self, tx: EmulatedTransaction, register: int) -> tuple[str, Payload]:
        """MeterValues.req of the transaction (§4.7); transactionId added on delivery."""
        value = _sample(register, "Sample.Periodic", as_text=True)
        return "MeterValues", {"connectorId": self.dut.connector_id(tx.evse), "meterValue": [value]}

    def stop(
        self, tx: EmulatedTransaction, token: str | None, reason: str, register: int
    ) -> tuple[str, Payload]:
        """StopTransaction.req (§4.10), with the idTag when a token stopped it."""
        payload: Payload = {"meterStop": register, "timestamp": utc_timestamp(), "reason": reason}
        if token is not None:
            payload["idTag"] = token
        return "StopTransaction", payload

    def deliver(
        self, tx: EmulatedTransaction, action: str, payload: Payload, offline: bool
    ) -> Payload | None:
        """Add the transactionId to MeterValues/StopTransaction (§3.7); None without one."""
        if action == "StartTransaction":
            return payload
        if tx.csms_id is None:
            return None
        return {**payload, "transactionId": tx.csms_id}

    def started(self, tx: EmulatedTransaction, answer: Payload | None) -> None:
        """Keep the StartTransaction.conf transactionId."""
        tx_id = (answer or {}).get("transactionId")
        tx.csms_id = tx_id if isinstance(tx_id, int) else None

    def csms_id(self, tx: EmulatedTransaction) -> str | int | None:
        """The StartTransaction.conf transactionId."""
        return tx.csms_id


#: 1.6 Reason -> 2.0.1 (triggerReason, stoppedReason) of the Ended event.
_ENDED = {
    "Local": ("StopAuthorized", "Local"),
    "EVDisconnected": ("EVDeparted", "EVDisconnected"),
    "DeAuthorized": ("Deauthorized", "DeAuthorized"),
    "Remote": ("RemoteStop", "Remote"),
    "Reboot": ("AbnormalCondition", "Reboot"),
}


class Dialect201:
    """OCPP 2.0.1: the station chooses transactionIds; seqNo counts per transaction."""

    version = "2.0.1"
    statuses: tuple[str, ...] = ("Available", "Occupied", "Reserved", "Unavailable", "Faulted")
    stop_command = "RequestStopTransaction"

    def __init__(self, dut: Dut) -> None:
        self.dut = dut

    def _id_token(self, token: str) -> Payload:
        return {"idToken": token, "type": self.dut.tokens.token_type}

    def status(self, evse: int, status: str) -> Payload:
        """StatusNotificationRequest of the EVSE's first connector (G01)."""
        return {
            "timestamp": utc_timestamp(),
            "connectorStatus": status,
            "evseId": evse,
            "connectorId": 1,
        }

    def boot_statuses(self) -> list[Payload]:
        """Every connector Available (B01.FR.05)."""
        return [
            {**self.status(evse.id, "Available"), "connectorId": connector}
            for evse in self.dut.profile.evses
            for connector in evse.connectors
        ]

    def authorize(self, token: str) -> Payload:
        """AuthorizeRequest (C01)."""
        return {"idToken": self._id_token(token)}

    def _event(
        self, tx: EmulatedTransaction, kind: str, trigger: str, meter: Payload, **info: Any
    ) -> Payload:
        event: Payload = {
            "eventType": kind,
            "timestamp": utc_timestamp(),
            "triggerReason": trigger,
            "seqNo": tx.seq_no,
            "transactionInfo": {"transactionId": tx.key, **info},
            "meterValue": [meter],
        }
        tx.seq_no += 1
        return event

    def start(self, tx: EmulatedTransaction, token: str, register: int) -> tuple[str, Payload]:
        """Started, authorized by the token, on the EVSE's connector 1 (E01, E03)."""
        meter = _sample(register, "Transaction.Begin", as_text=False)
        event = self._event(tx, "Started", "Authorized", meter, chargingState="Charging")
        event["evse"] = {"id": tx.evse, "connectorId": 1}
        event["idToken"] = self._id_token(token)
        return "TransactionEvent", event

    def meter(self, tx: EmulatedTransaction, register: int) -> tuple[str, Payload]:
        """Updated with a periodic meter value (E02, J02)."""
        meter = _sample(register, "Sample.Periodic", as_text=False)
        return "TransactionEvent", self._event(tx, "Updated", "MeterValuePeriodic", meter)

    def stop(
        self, tx: EmulatedTransaction, token: str | None, reason: str, register: int
    ) -> tuple[str, Payload]:
        """Ended with the stop reason, and the token when one stopped it (E06, E07)."""
        trigger, stopped = _ENDED.get(reason, ("AbnormalCondition", "Other"))
        meter = _sample(register, "Transaction.End", as_text=False)
        event = self._event(
            tx, "Ended", trigger, meter, chargingState="Idle", stoppedReason=stopped
        )
        if token is not None:
            event["idToken"] = self._id_token(token)
        return "TransactionEvent", event

    def deliver(
        self, tx: EmulatedTransaction, action: str, payload: Payload, offline: bool
    ) -> Payload | None:
        """Mark an event delivered after a connection loss `offline` (E04)."""
        return {**payload, "offline": True} if offline else payload

    def started(self, tx: EmulatedTransaction, answer: Payload | None) -> None:
        """Nothing to learn: the station named the transaction."""

    def csms_id(self, tx: EmulatedTransaction) -> str | int | None:
        """The station's own transactionId."""
        return tx.key
