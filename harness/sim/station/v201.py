"""OCPP 2.0.1 station behaviour: boot, connector status, authorization, transactions.

The TransactionEvent engine is `v201_tx`; the CSMS's commands are answered in
`v201_commands`.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Any

from harness.ocppj.clock import utc_timestamp
from harness.ocppj.frames import Call, serialize
from harness.sim.station.device201 import DeviceModel
from harness.sim.station.link import Answer
from harness.sim.station.model import EvseModel
from harness.sim.station.status_report import report_status
from harness.sim.station.v201_tx import Transactions

if TYPE_CHECKING:
    from harness.sim.station.station import Station


class V201:
    """The 2.0.1 behaviour of the reference charging station."""

    def __init__(self, station: Station) -> None:
        self.station = station
        self.config = station.config
        self.device = DeviceModel(station.config, self.availability)
        heartbeat = ("OCPPCommCtrlr", "HeartbeatInterval")
        self.device.on_change[heartbeat] = lambda _value: station.heartbeat_changed()
        self.cache: dict[str, str] = {}
        self.reported: dict[int, str] = {}
        self.tx = Transactions(station, self.device, self.report)
        self._armed: dict[int, object] = {}
        #: EVSE -> error of a hardware fault (pilot, earth): connector Faulted (G01).
        self.errors: dict[int, str] = {}
        #: Security events raised while no connection was up (A04.FR.02).
        self.pending_events: list[dict[str, Any]] = []

    # ---------------------------------------------------------- Behaviour
    def boot_payload(self, reason: str) -> dict[str, Any]:
        """BootNotificationRequest with the boot reason (B01.FR.01)."""
        if self.config.fault("boot-reason-wrong") and reason == "PowerUp":
            reason = "Unknown"
        station = {
            "model": self.config.model,
            "vendorName": self.config.vendor,
            "serialNumber": self.config.serial,
            "firmwareVersion": self.config.firmware,
        }
        return {"reason": reason, "chargingStation": station}

    def heartbeat_interval(self) -> int:
        """OCPPCommCtrlr.HeartbeatInterval."""
        return self.device.integer("OCPPCommCtrlr", "HeartbeatInterval")

    def set_heartbeat_interval(self, seconds: int) -> None:
        """Adopt BootNotificationResponse.interval (B01.FR.04)."""
        self.device.set_internal("OCPPCommCtrlr", "HeartbeatInterval", str(seconds))

    def password(self) -> str | None:
        """SecurityCtrlr.BasicAuthPassword (A00.FR.203)."""
        return self.device.find("SecurityCtrlr", "BasicAuthPassword").value or None

    def security_profile(self) -> int:
        """SecurityCtrlr.SecurityProfile."""
        return self.device.integer("SecurityCtrlr", "SecurityProfile")

    async def on_invalid_csms_certificate(self, detail: str) -> None:
        """InvalidCsmsCertificate security event (Part 6 TC_A_05_CS), sent once connected."""
        if not self.config.fault("invalid-csms-certificate-unreported"):
            event = {"type": "InvalidCsmsCertificate", "timestamp": utc_timestamp()}
            self.pending_events.append({**event, "techInfo": detail[:255]})

    def message_attempts(self) -> tuple[int, float]:
        """OCPPCommCtrlr.MessageAttempts / MessageAttemptInterval [TransactionEvent] (E13)."""
        attempts = self.device.integer("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent")
        interval = self.device.integer(
            "OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent"
        )
        return attempts, float(interval)

    def invalid_status_call(self) -> str:
        """StatusNotificationRequest with an unknown connectorStatus and no ids."""
        payload = {"timestamp": utc_timestamp(), "connectorStatus": "Bogus", "evseId": "one"}
        return serialize(Call(str(uuid.uuid4()), "StatusNotification", payload))

    async def on_accepted(self, reason: str) -> None:
        """Report every connector, then the startup security event (B01.FR.05, A04)."""
        self.reported.clear()
        for evse in self.station.evses.values():
            await self.report(evse, force=True)
        kind = "StartupOfTheDevice" if reason == "PowerUp" else "ResetOrReboot"
        event = {"type": kind, "timestamp": utc_timestamp(), "techInfo": f"boot reason {reason}"}
        await self.station.send("SecurityEventNotification", event)
        await self._send_pending_events()

    async def _send_pending_events(self) -> None:
        """Deliver security events raised while offline (A04.FR.02)."""
        while self.pending_events:
            await self.station.send("SecurityEventNotification", self.pending_events.pop(0))

    async def on_reconnected(self) -> None:
        """Report connector states that changed while offline, then pending security events."""
        for evse in self.station.evses.values():
            await self.report(evse)
        await self._send_pending_events()

    async def handle(self, call: Call) -> Answer | None:
        """Answer a CSMS CALL (v201_commands)."""
        from harness.sim.station.v201_commands import handle

        return await handle(self, call)

    # ------------------------------------------------------------- status
    def connector_status(self, evse: EvseModel) -> str:
        """ConnectorStatusEnumType of the EVSE's connector (G01)."""
        if evse.id in self.errors:
            return "Faulted"
        if not evse.operative and evse.transaction is None:
            return "Unavailable"
        return "Occupied" if evse.plugged else "Available"

    def availability(self, evse_id: int | None, connector: int | None) -> str:
        """AvailabilityState variable of the station, an EVSE or a connector."""
        evses = self.station.evses
        if evse_id is None:
            return "Available" if any(e.operative for e in evses.values()) else "Unavailable"
        return self.connector_status(evses[evse_id])

    async def connector_fault(self, evse: EvseModel, error: str | None) -> None:
        """A hardware fault appears (Faulted) or clears (None), reported at once (G01)."""
        if error is None:
            self.errors.pop(evse.id, None)
        else:
            self.errors[evse.id] = error
        await self.report(evse)

    async def report(
        self, evse: EvseModel, *, force: bool = False, triggered: bool = False
    ) -> None:
        """StatusNotificationRequest when the connector status changed (G01, B01.FR.05)."""
        status = self.connector_status(evse)
        if not force and self.reported.get(evse.id) == status:
            return
        payload = {
            "timestamp": utc_timestamp(),
            "connectorStatus": status,
            "evseId": evse.id,
            "connectorId": 1,
        }
        await report_status(
            self.station.send, self.reported, evse.id, status, payload, triggered=triggered
        )

    # ------------------------------------------------------ local events
    async def plug_in(self, evse: EvseModel) -> None:
        """EV connected: Occupied, then CablePluggedIn, then energy if authorized (E02)."""
        if evse.plugged:
            return
        evse.plugged = True
        await self.report(evse)
        await self.tx.update(evse, "CablePluggedIn")
        if evse.authorized is not None:
            await self.energize(evse)

    async def unplug(self, evse: EvseModel) -> None:
        """EV disconnected: Available, then EVCommunicationLost (Part 6 Table 434, E10)."""
        if not evse.plugged:
            return
        evse.plugged = False
        evse.energized = False
        await self.report(evse)
        force = self.device.flag("TxCtrlr", "StopTxOnEVSideDisconnect")
        await self.tx.update(
            evse, "EVCommunicationLost", stopped_reason="EVDisconnected", force_end=force
        )
        if evse.transaction is None:
            evse.authorized = None

    async def present_token(self, evse: EvseModel, token: str, token_type: str) -> None:
        """Token presented: the same token stops (E06 StopAuthorized), else Authorize (C01)."""
        if evse.transaction is not None and evse.authorized is not None:
            if evse.authorized == token:
                evse.energized = False
                evse.authorized = None
                await self.tx.update(
                    evse, "StopAuthorized", stopped_reason="Local", token=(token, token_type)
                )
            return
        if evse.authorized is not None:
            return
        if await self.authorize(token, token_type) == "Accepted":
            await self.authorized(evse, token, token_type, "Authorized")

    async def authorized(
        self,
        evse: EvseModel,
        token: str,
        token_type: str,
        trigger: str,
        remote_start_id: int | None = None,
    ) -> None:
        """Authorization obtained: report it, then energize or wait for the EV (E03)."""
        evse.authorized, evse.token_type = token, token_type
        evse.remote_start_id = remote_start_id
        await self.tx.update(evse, trigger)
        if evse.plugged:
            await self.energize(evse)
            return
        armed = self._armed[evse.id] = object()
        self.station.spawn(self._connection_timeout(evse, armed))

    async def _connection_timeout(self, evse: EvseModel, armed: object) -> None:
        """EVConnectionTimeOut: give up waiting for the EV (E03.FR.05)."""
        await asyncio.sleep(self.device.integer("TxCtrlr", "EVConnectionTimeOut"))

        async def expire(evse: EvseModel) -> None:
            if self._armed.get(evse.id) is not armed or evse.plugged or not evse.authorized:
                return
            evse.authorized = None
            await self.tx.update(evse, "EVConnectTimeout", stopped_reason="Timeout", force_end=True)

        self.station.evse_event(evse.id, expire)

    async def energize(self, evse: EvseModel) -> None:
        """Close the power path; chargingState becomes Charging (E01 PowerPathClosed)."""
        if not evse.operative or evse.energized:
            return
        evse.energized = True
        await self.tx.update(evse, "ChargingStateChanged")

    async def ev_suspend(self, evse: EvseModel, suspended: bool) -> None:
        """The EV suspends or resumes: ChargingStateChanged SuspendedEV / Charging."""
        evse.ev_suspended = suspended
        await self.tx.update(evse, "ChargingStateChanged", stopped_reason="StoppedByEV")

    async def authorize(self, token: str, token_type: str) -> str:
        """AuthorizeRequest online (C01); offline the cache per LocalAuthorizeOffline (C12)."""
        if not self.device.flag("AuthCtrlr", "Enabled"):
            return "Accepted"
        cache = self.device.flag("AuthCacheCtrlr", "Enabled")
        if not (self.station.link.online and self.station.accepted):
            offline = self.device.flag("AuthCtrlr", "LocalAuthorizeOffline")
            return self.cache.get(token, "Invalid") if offline and cache else "Invalid"
        request = {"idToken": {"idToken": token, "type": token_type}}
        answer = await self.station.send("Authorize", request)
        status = str(answer["idTokenInfo"]["status"]) if answer else "Invalid"
        if answer and cache:
            self.cache[token] = status
        return status

    async def stop_all(self, cause: str) -> None:
        """End every transaction before a reset or reboot."""
        await self.tx.stop_all(cause)

    def lose_power(self) -> None:
        """Queue Ended (PowerLoss) for every transaction."""
        self.tx.lose_power()
