"""OCPP 1.6 station behaviour: boot, connector status, authorization, transactions, meter values.

Connector n is EVSE n (one connector each); connector 0 is the charge point itself (§3.8).
The CSMS's commands are answered in `v16_commands`.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.ocppj.clock import utc_timestamp
from harness.ocppj.frames import Call, serialize
from harness.sim.station.device16 import Configuration16
from harness.sim.station.link import Answer, Payload
from harness.sim.station.meter import meter_value_16
from harness.sim.station.model import EvseModel, Transaction
from harness.sim.station.status_report import report_status
from harness.sim.station.v16_certificates import CertificateStore
from harness.sim.station.v16_local_list import LocalList, local_status
from harness.sim.station.v16_reservation import Reservation, admits, blocking, take
from harness.sim.station.v16_security import Security16
from harness.sim.station.v16_smart_charging import SmartCharging

if TYPE_CHECKING:
    from harness.sim.station.station import Station

#: Station-wide stop causes -> StopTransaction.req reason (§7.38 Reason).
_REASONS = {"ImmediateReset": "HardReset", "PowerLoss": "PowerLoss"}


class V16:
    """The 1.6 behaviour of the reference charge point."""

    def __init__(self, station: Station) -> None:
        self.station = station
        self.config = station.config
        self.keys = Configuration16(station.config)
        self.keys.on_change["HeartbeatInterval"] = lambda _value: station.heartbeat_changed()
        self.cache: dict[str, str] = {}
        self.reported: dict[int, str] = {}
        #: Connector -> ChargePointErrorCode of a hardware fault (status Faulted, §4.9, §7.6).
        self.errors: dict[int, str] = {}
        self._tx_keys = itertools.count(1)
        self._armed: dict[int, object] = {}
        #: Charging profiles and the limits they impose (Smart Charging, §3.13).
        self.smart = SmartCharging(self)
        #: Connector -> idTag that unlocks the cable after an EV-side disconnect (§4.10).
        self.locked: dict[int, str] = {}
        #: idTag -> parentIdTag from the last IdTagInfo received for it (§3.10).
        self.parents: dict[str, str] = {}
        #: Local Authorization List (§3.5.2) and reservations by id (§5.13).
        self.local_list = LocalList(faults=station.config.faults)
        self.reservations: dict[int, Reservation] = {}
        self._aligned_running = False
        #: Security whitepaper: security log and events, certificates (A02, A04, M03-M05).
        self.security = Security16(self)
        self.certificates = CertificateStore(self)

    # ---------------------------------------------------------- Behaviour
    def boot_payload(self, reason: str) -> dict[str, Any]:
        """BootNotification.req (§4.2); 1.6 has no boot reason."""
        return {
            "chargePointVendor": self.config.vendor[:20],
            "chargePointModel": self.config.model[:20],
            "chargePointSerialNumber": self.config.serial[:25],
            "firmwareVersion": self.config.firmware[:50],
            "meterType": "Simulated AC meter",
        }

    def heartbeat_interval(self) -> int:
        """HeartbeatInterval key (§9.1.10)."""
        return self.keys.integer("HeartbeatInterval")

    def set_heartbeat_interval(self, seconds: int) -> None:
        """Adopt BootNotification.conf interval (§4.2)."""
        self.keys.set_internal("HeartbeatInterval", str(seconds))

    def password(self) -> str | None:
        """AuthorizationKey (1.6 security whitepaper A01.FR.01)."""
        key = self.keys.keys.get("AuthorizationKey")
        if self.config.fault("authorization-key-not-applied"):
            return self.config.password  # breaks A01.FR.01: keeps the old password
        return key.value if key is not None else self.config.password

    def security_profile(self) -> int:
        """SecurityProfile key: raised over OCPP by ChangeConfiguration (whitepaper A05)."""
        return self.keys.integer("SecurityProfile")

    async def on_invalid_csms_certificate(self, detail: str) -> None:
        """InvalidCentralSystemCertificate security event (whitepaper A00.FR.309), queued
        until a connection is up."""
        if not self.config.fault("invalid-csms-certificate-unreported"):
            await self.security.event("InvalidCentralSystemCertificate", detail)

    def message_attempts(self) -> tuple[int, float]:
        """TransactionMessageAttempts / TransactionMessageRetryInterval (§3.7.1)."""
        return (
            self.keys.integer("TransactionMessageAttempts"),
            float(self.keys.integer("TransactionMessageRetryInterval")),
        )

    def invalid_status_call(self) -> str:
        """StatusNotification.req without errorCode and with a non-integer connectorId."""
        payload = {"connectorId": "one", "status": "Bogus"}
        return serialize(Call(str(uuid.uuid4()), "StatusNotification", payload))

    async def on_accepted(self, reason: str) -> None:
        """Report connector 0 and every connector after an accepted boot (§4.9)."""
        self.reported.clear()
        if self.config.fault("availability-not-persistent"):
            for evse in self.station.evses.values():
                evse.operative = True  # breaks §5.2: Unavailable persists across reboots
        for connector in (0, *self.station.evses):
            await self.report(connector, force=True)
        if not self._aligned_running:
            from harness.sim.station.v16_aligned import clock_aligned

            self._aligned_running = True
            self.station.spawn(clock_aligned(self))

    async def on_reconnected(self) -> None:
        """Report statuses that changed while offline (§4.9)."""
        if self.config.fault("tx-restarted-after-reconnect"):
            self._restart_transactions()
        for connector in (0, *self.station.evses):
            await self.report(connector)

    def _restart_transactions(self) -> None:
        """Fault tx-restarted-after-reconnect: queue a new StartTransaction.req for every
        running transaction (breaks §4.8: one StartTransaction.req per transaction)."""
        for evse in self.station.evses.values():
            tx = evse.transaction
            if tx is None or tx.id_token is None:
                continue
            payload: Payload = {
                "connectorId": evse.id,
                "idTag": tx.id_token,
                "meterStart": evse.meter_wh(),
                "timestamp": utc_timestamp(),
            }

            def build(payload: Payload = payload) -> Payload:
                return payload

            def assigned(result: Payload, tx: Transaction = tx) -> None:
                tx.csms_id = int(result["transactionId"])

            self.station.queue.put("StartTransaction", build, assigned)

    async def handle(self, call: Call) -> Answer | None:
        """Answer a Central System CALL (v16_commands)."""
        from harness.sim.station.v16_commands import handle

        return await handle(self, call)

    # ------------------------------------------------------------- status
    def status_of(self, connector: int) -> str:
        """ChargePointStatus of a connector (§4.9, §7.7)."""
        evses = self.station.evses
        if connector == 0:
            return "Unavailable" if not any(e.operative for e in evses.values()) else "Available"
        evse = evses[connector]
        if connector in self.errors:
            return "Faulted"
        if evse.transaction is not None:
            if evse.ev_suspended or not evse.plugged:
                return "SuspendedEV"
            return "Charging" if evse.current_a > 0 else "SuspendedEVSE"
        if not evse.operative:
            return "Unavailable"
        if (evse.finishing and evse.plugged) or connector in self.locked:
            return "Finishing"
        if evse.authorized is None and blocking(self, evse) is not None:
            return "Reserved"
        return "Preparing" if evse.plugged or evse.authorized else "Available"

    async def report(
        self, connector: int, *, force: bool = False, triggered: bool = False, error: str = ""
    ) -> None:
        """Send StatusNotification.req when the status changed (or when forced)."""
        status = self.status_of(connector)
        if not force and self.reported.get(connector) == status:
            return
        error = error or self.errors.get(connector, "NoError")
        if self.config.fault("fault-error-code-missing"):
            error = "NoError"
        payload = {
            "connectorId": connector,
            "errorCode": error,
            "status": status,
            "timestamp": utc_timestamp(),
        }
        await report_status(
            self.station.send, self.reported, connector, status, payload, triggered=triggered
        )

    # ------------------------------------------------------ local events
    async def plug_in(self, evse: EvseModel) -> None:
        """EV plugged in: Preparing, or start the transaction when already authorized."""
        if evse.plugged:
            return
        evse.plugged = True
        evse.finishing = False
        if evse.authorized is not None and evse.transaction is None:
            await self.start(evse)
        else:
            await self.report(evse.id)

    async def unplug(self, evse: EvseModel) -> None:
        """EV unplugged: stop per StopTransactionOnEVSideDisconnect (§9.1.23)."""
        if not evse.plugged:
            return
        evse.plugged = False
        evse.finishing = False
        stop = self.keys.flag("StopTransactionOnEVSideDisconnect")
        if self.config.fault("ev-disconnect-ignored"):
            stop = False
        if self.config.fault("ev-disconnect-always-stops"):
            stop = True
        tx = evse.transaction
        if tx is not None and stop:
            keep_locked = not self.keys.flag("UnlockConnectorOnEVSideDisconnect")
            if keep_locked and tx.id_token and not self.config.fault("unlock-ignores-key"):
                self.locked[evse.id] = tx.id_token  # until the idTag is presented (§4.10)
            await self.stop(evse, "EVDisconnected")
        elif evse.transaction is None:
            evse.authorized = None
        await self.report(evse.id)

    async def present_token(self, evse: EvseModel, token: str, token_type: str) -> None:
        """idTag presented: stop with the same idTag, else Authorize then start (§4.1, §4.8)."""
        if self.locked.get(evse.id) == token:
            del self.locked[evse.id]  # the owner unlocks the cable (§4.10)
            await self.report(evse.id)
            return
        tx = evse.transaction
        if tx is not None:
            if tx.id_token == token or await self.same_group(tx.id_token, token):
                await self.stop(evse, "Local", id_tag=token)
            return
        if evse.authorized == token:
            evse.authorized = None  # presented again before plugging in: cancel
            await self.report(evse.id)
            return
        if await self.authorize(token) != "Accepted":
            return
        if not await admits(self, evse, token):
            return  # reserved for another idTag (§5.13)
        await self.authorized(evse, token)

    async def authorized(self, evse: EvseModel, token: str) -> None:
        """Start now if an EV is plugged, else wait ConnectionTimeOut for it (§9.1.6)."""
        evse.authorized = token
        if evse.plugged:
            await self.start(evse)
            return
        await self.report(evse.id)
        armed = self._armed[evse.id] = object()
        self.station.spawn(self._connection_timeout(evse, armed))

    async def _connection_timeout(self, evse: EvseModel, armed: object) -> None:
        if self.config.fault("connection-timeout-ignored"):
            return
        await asyncio.sleep(self.keys.integer("ConnectionTimeOut"))

        async def expire(evse: EvseModel) -> None:
            if self._armed.get(evse.id) is armed and evse.transaction is None and not evse.plugged:
                evse.authorized = None
                await self.report(evse.id)

        self.station.evse_event(evse.id, expire)

    async def ev_suspend(self, evse: EvseModel, suspended: bool) -> None:
        """The EV stops or resumes drawing current: SuspendedEV <-> Charging."""
        evse.ev_suspended = suspended
        await self.report(evse.id)

    async def same_group(self, started_by: str | None, token: str) -> bool:
        """True when `token` is authorized and shares the starter's parentIdTag (§3.10)."""
        parent = self.parents.get(started_by or "")
        if parent is None or self.config.fault("parent-id-ignored"):
            return False
        return await self.authorize(token) == "Accepted" and self.parents.get(token) == parent

    async def authorize(self, token: str) -> str:
        """Authorize.req online (§4.1); offline the cache per LocalAuthorizeOffline (§3.5)."""
        cache = self.keys.flag("AuthorizationCacheEnabled")
        online = self.station.link.online and self.station.accepted
        local = local_status(self, token, online=online)
        if local is not None:
            return local  # the Local Authorization List decides (§3.5, §3.5.3)
        if not online:
            if self.keys.flag("LocalAuthorizeOffline") and cache and token in self.cache:
                return self.cache[token]
            return "Accepted" if self.keys.flag("AllowOfflineTxForUnknownId") else "Invalid"
        pre = cache and self.keys.flag("LocalPreAuthorize") and self.cache.get(token) == "Accepted"
        if pre and not self.config.fault("pre-authorize-ignored"):
            return "Accepted"  # LocalPreAuthorize: start without Authorize.req (§9.1.13)
        answer = await self.station.send("Authorize", {"idTag": token})
        if answer and answer["idTagInfo"].get("parentIdTag"):
            self.parents[token] = str(answer["idTagInfo"]["parentIdTag"])
        status = str(answer["idTagInfo"]["status"]) if answer else "Invalid"
        if answer and cache and not self.local_list.knows(token):
            self.cache[token] = status
        return "Accepted" if self.config.fault("accept-invalid-id") else status

    # -------------------------------------------------------- transactions
    async def start(self, evse: EvseModel) -> None:
        """StartTransaction.req with meterStart, then Charging (§4.8)."""
        if self.config.fault("no-transaction"):
            return
        if evse.lock_fails and not self.config.fault("lock-failure-ignored"):
            evse.authorized = None  # no transaction without a locked connector (§7.6)
            await self.report(evse.id, force=True, error="ConnectorLockFailure")
            return
        measurands = self.keys.measurands("StopTxnSampledData")
        tx = Transaction(
            str(next(self._tx_keys)),
            evse.id,
            utc_timestamp(),
            evse.meter_wh(),
            id_token=evse.authorized,
        )
        tx.begin = meter_value_16(evse, measurands, "Transaction.Begin")
        evse.transaction = tx
        self.smart.started(evse, tx)
        evse.energized = True
        payload = {
            "connectorId": evse.id,
            "idTag": tx.id_token,
            "meterStart": tx.meter_start_wh,
            "timestamp": tx.started_at,
        }
        reservation = take(self, evse, tx.id_token)
        if reservation is not None and not self.config.fault("reservation-id-missing"):
            payload["reservationId"] = reservation  # it ends the reservation (§4.8, §5.13)

        def assigned(result: Payload) -> None:
            tx.csms_id = int(result["transactionId"])
            parent = result.get("idTagInfo", {}).get("parentIdTag")
            if parent and tx.id_token:
                self.parents[tx.id_token] = str(parent)  # §3.10
            if result.get("idTagInfo", {}).get("status", "Accepted") != "Accepted":
                self.station.evse_event(evse.id, lambda e: self.deauthorized(e, tx))

        await self.station.queue.send("StartTransaction", lambda: payload, assigned)
        self.station.spawn(self._sample(evse, tx))
        await self.report(evse.id)

    async def deauthorized(self, evse: EvseModel, tx: Transaction) -> None:
        """StartTransaction.conf not Accepted (§3.5.4, §9.1.24): stop (DeAuthorized) or suspend."""
        if evse.transaction is not tx or self.config.fault("invalid-id-ignored"):
            return
        stop = self.keys.flag("StopTransactionOnInvalidId")
        if stop or self.config.fault("invalid-id-always-stops"):
            await self.stop(evse, "DeAuthorized")
            return
        evse.energized = False  # only stop energy delivery: SuspendedEVSE
        await self.report(evse.id)

    async def connector_fault(self, evse: EvseModel, error: str | None) -> None:
        """A connector fault appears (its ChargePointErrorCode) or clears (None), §4.9."""
        if error is None:
            self.errors.pop(evse.id, None)
        else:
            self.errors[evse.id] = error
        await self.report(evse.id)

    async def stop(self, evse: EvseModel, reason: str, id_tag: str | None = None) -> None:
        """StopTransaction.req with meterStop and reason (§4.10), then the new status."""
        build = self.end(evse, reason, id_tag)
        if build is not None:
            await self.station.queue.send("StopTransaction", build)
        await self.report(evse.id)
        if evse.scheduled_operative is not None:
            evse.operative, evse.scheduled_operative = evse.scheduled_operative, None
            await self.report(evse.id)

    def end(
        self, evse: EvseModel, reason: str, id_tag: str | None = None
    ) -> Callable[[], Payload | None] | None:
        """Close the transaction; return how to build its StopTransaction.req when sent."""
        tx = evse.transaction
        if tx is None:
            return None
        evse.energized = False
        register = evse.register_wh
        meter_stop = register * 0.9 if self.config.fault("meter-stop-wrong") else register
        end = meter_value_16(evse, self.keys.measurands("StopTxnSampledData"), "Transaction.End")
        payload: Payload = {
            "meterStop": int(meter_stop),
            "timestamp": utc_timestamp(),
            "reason": reason,
            "transactionData": [m for m in (tx.begin, end) if m is not None],
        }
        if id_tag is not None:
            payload["idTag"] = id_tag
        evse.transaction = None
        self.smart.ended(evse, tx)
        evse.authorized = None
        evse.finishing = evse.plugged

        def build() -> Payload | None:
            if tx.csms_id is None:
                return None  # its StartTransaction was never accepted: nothing to stop
            return {"transactionId": tx.csms_id, **payload}

        return build

    async def _sample(self, evse: EvseModel, tx: Transaction) -> None:
        """MeterValues.req every MeterValueSampleInterval seconds (§4.7, §9.1.19)."""
        while True:
            interval = self.keys.integer("MeterValueSampleInterval")
            await asyncio.sleep(interval if interval > 0 else 5)
            if evse.transaction is not tx:
                return
            if interval <= 0:
                continue
            sampled = self.keys.measurands("MeterValuesSampledData")
            if self.config.fault("sampled-data-ignored"):
                sampled = ["Energy.Active.Import.Register"]
            value = meter_value_16(evse, sampled, "Sample.Periodic")

            def build(value: Payload = value) -> Payload:
                ids = {"transactionId": tx.csms_id} if tx.csms_id is not None else {}
                return {"connectorId": evse.id, **ids, "meterValue": [value]}

            await self.station.queue.send("MeterValues", build)

    async def stop_all(self, cause: str) -> None:
        """Stop every transaction before a reset (§5.14) with reason SoftReset/HardReset/..."""
        if cause in ("SoftReset", "HardReset") and self.config.fault("reset-without-stop"):
            return  # the transactions are dropped unreported
        for evse in self.station.evses.values():
            if evse.transaction is not None:
                await self.stop(evse, _REASONS.get(cause, cause))

    def lose_power(self) -> None:
        """Queue StopTransaction.req reason PowerLoss for every transaction (§5.14 hard reset)."""
        for evse in self.station.evses.values():
            build = self.end(evse, "PowerLoss")
            if build is not None:
                self.station.queue.put("StopTransaction", build)
