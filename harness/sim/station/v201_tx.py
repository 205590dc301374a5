"""OCPP 2.0.1 TransactionEvent engine (E01-E07, J02).

A transaction starts when any TxStartPoint becomes true and ends when any TxStopPoint that was
true is no longer true (or when it is ended by command); every step is one TransactionEvent with
seqNo, triggerReason and transactionInfo, queued in order and kept while offline (E04).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from harness.ocppj.clock import utc_timestamp
from harness.sim.station.device201 import DeviceModel
from harness.sim.station.link import Payload
from harness.sim.station.meter import meter_value_201
from harness.sim.station.model import EvseModel, Transaction

if TYPE_CHECKING:
    from harness.sim.station.station import Station

#: Station-wide stop causes -> (triggerReason, stoppedReason).
_CAUSES = {
    "ImmediateReset": ("ResetCommand", "ImmediateReset"),
    "SoftReset": ("ResetCommand", "ImmediateReset"),
    "HardReset": ("ResetCommand", "ImmediateReset"),
    "Reboot": ("AbnormalCondition", "Reboot"),
    "PowerLoss": ("AbnormalCondition", "PowerLoss"),
}


class Transactions:
    """Transactions of every EVSE of one 2.0.1 station."""

    def __init__(
        self,
        station: Station,
        device: DeviceModel,
        report: Callable[[EvseModel], Awaitable[None]],
    ) -> None:
        self.station = station
        self.config = station.config
        self.device = device
        self.report = report
        self.reset_on_idle = False
        #: Connection number each transaction's last event was created on (a fault uses it).
        self._connection_of: dict[str, int] = {}

    def points(self, evse: EvseModel) -> set[str]:
        """TxStartPoint / TxStopPoint conditions true now."""
        now = set()
        if evse.plugged:
            now.add("EVConnected")
        if evse.authorized is not None:
            now.add("Authorized")
        if evse.energized:
            now.add("PowerPathClosed")
        if evse.current_a > 0:
            now.add("EnergyTransfer")
        return now

    @staticmethod
    def charging_state(evse: EvseModel) -> str:
        """ChargingStateEnumType now."""
        if not evse.plugged:
            return "Idle"
        if not evse.energized:
            return "EVConnected"
        if evse.ev_suspended:
            return "SuspendedEV"
        return "Charging" if evse.current_a > 0 else "SuspendedEVSE"

    async def update(self, evse: EvseModel, trigger: str, **how: Any) -> None:
        """Send the TransactionEvent this change calls for, if any (E01, E06)."""
        tx = evse.transaction
        payload = self.compose(evse, trigger, **how)
        if payload is None:
            return
        tx = tx or evse.transaction
        on_result = self._checker(evse, tx) if "idToken" in payload else None
        await self.station.queue.send("TransactionEvent", lambda: payload, on_result)
        if payload["eventType"] == "Ended":
            await self._ended(evse)

    def compose(
        self,
        evse: EvseModel,
        trigger: str,
        *,
        stopped_reason: str | None = None,
        force_end: bool = False,
        token: tuple[str, str] | None = None,
        context: str | None = None,
    ) -> Payload | None:
        """Build the next TransactionEvent and update the transaction record (or None)."""
        now = self.points(evse)
        tx = evse.transaction
        if tx is None:
            starts = set(self.device.members("TxCtrlr", "TxStartPoint"))
            if not now & starts or self.config.fault("no-transaction"):
                return None
            tx = evse.transaction = self._begin(evse)
            kind = "Started"
        else:
            stops = set(self.device.members("TxCtrlr", "TxStopPoint"))
            kind = "Ended" if force_end or (tx.seen - now) & stops else "Updated"
        tx.seen |= now
        info: Payload = {"transactionId": tx.key}
        state = self.charging_state(evse)
        if kind == "Started" or state != tx.charging_state:
            info["chargingState"] = tx.charging_state = state
        if kind == "Ended":
            info["stoppedReason"] = stopped_reason or "Local"
        if evse.remote_start_id is not None and trigger == "RemoteStart":
            info["remoteStartId"] = tx.remote_start_id = evse.remote_start_id
        connection = self.station.link.count
        if self.config.fault("seqno-skip-after-reconnect"):
            if self._connection_of.get(tx.key, connection) != connection:
                tx.next_seq()  # breaks the Part 6 seqNo rule: one number lost per reconnect
            self._connection_of[tx.key] = connection
        event: Payload = {
            "eventType": kind,
            "timestamp": utc_timestamp(),
            "triggerReason": trigger,
            "seqNo": tx.next_seq(),
            "transactionInfo": info,
            "evse": {"id": evse.id, "connectorId": 1},
        }
        if not (self.station.link.online and self.station.accepted):
            event["offline"] = True
        if token is None and evse.authorized is not None and not tx.token_reported:
            token = (evse.authorized, evse.token_type)
            tx.token_reported = True
            tx.id_token = evse.authorized
        if token is not None:
            event["idToken"] = {"idToken": token[0], "type": token[1]}
        meter = self._meter(evse, kind, context)
        if meter is not None:
            event["meterValue"] = [meter]
        return event

    def _begin(self, evse: EvseModel) -> Transaction:
        tx = Transaction(str(uuid.uuid4()), evse.id, utc_timestamp(), evse.meter_wh())
        self.station.spawn(self._sample(evse, tx))
        return tx

    def _meter(self, evse: EvseModel, kind: str, context: str | None) -> Payload | None:
        """Started: TxStartedMeasurands; Ended: TxEndedMeasurands (fault: register -10 %)."""
        if kind == "Started":
            measurands = self.device.members("SampledDataCtrlr", "TxStartedMeasurands")
            return meter_value_201(evse, measurands, "Transaction.Begin")
        if kind == "Ended":
            measurands = self.device.members("SampledDataCtrlr", "TxEndedMeasurands")
            wrong = evse.register_wh * 0.9 if self.config.fault("meter-stop-wrong") else None
            return meter_value_201(evse, measurands, "Transaction.End", wrong)
        if context is not None:
            measurands = self.device.members("SampledDataCtrlr", "TxUpdatedMeasurands")
            return meter_value_201(evse, measurands, context)
        return None

    async def _ended(self, evse: EvseModel) -> None:
        """Forget the ended transaction; apply scheduled availability and OnIdle reset."""
        evse.transaction = None
        evse.authorized = None
        evse.remote_start_id = None
        evse.energized = False
        if evse.scheduled_operative is not None:
            evse.operative, evse.scheduled_operative = evse.scheduled_operative, None
            await self.report(evse)
        idle = all(e.transaction is None for e in self.station.evses.values())
        if self.reset_on_idle and idle:
            self.reset_on_idle = False
            self.station.spawn(
                self.station.reboot("RemoteReset", cause="ImmediateReset", close_frame=True)
            )

    def _checker(self, evse: EvseModel, tx: Transaction | None) -> Callable[[Payload], None]:
        """Deauthorize when the CSMS rejects the token and StopTxOnInvalidId (E05)."""

        def check(result: Payload) -> None:
            status = result.get("idTokenInfo", {}).get("status", "Accepted")
            if status == "Accepted" or not self.device.flag("TxCtrlr", "StopTxOnInvalidId"):
                return

            async def deauthorize(evse: EvseModel) -> None:
                if evse.transaction is tx and tx is not None:
                    evse.energized = False
                    evse.authorized = None
                    await self.update(
                        evse, "Deauthorized", stopped_reason="DeAuthorized", force_end=True
                    )

            self.station.evse_event(evse.id, deauthorize)

        return check

    async def _sample(self, evse: EvseModel, tx: Transaction) -> None:
        """Updated with MeterValuePeriodic every TxUpdatedInterval seconds (J02)."""
        while True:
            interval = self.device.integer("SampledDataCtrlr", "TxUpdatedInterval")
            await asyncio.sleep(interval if interval > 0 else 5)
            if evse.transaction is not tx:
                return
            if interval > 0:
                await self.update(evse, "MeterValuePeriodic", context="Sample.Periodic")

    async def stop_all(self, cause: str) -> None:
        """End every transaction before a reset (B11/B12: ResetCommand, ImmediateReset)."""
        trigger, reason = _CAUSES.get(cause, ("AbnormalCondition", "Other"))
        for evse in self.station.evses.values():
            if evse.transaction is not None:
                evse.energized = False
                await self.update(evse, trigger, stopped_reason=reason, force_end=True)

    def lose_power(self) -> None:
        """Queue Ended (PowerLoss) for every transaction, delivered after the next boot."""
        for evse in self.station.evses.values():
            if evse.transaction is not None:
                evse.energized = False
                payload = self.compose(
                    evse, "AbnormalCondition", stopped_reason="PowerLoss", force_end=True
                )
                if payload is not None:
                    self.station.queue.put("TransactionEvent", _constant(payload))


def _constant(payload: Payload) -> Callable[[], Payload | None]:
    return lambda: payload
