"""The station runtime: connection and boot cycle, heartbeats, local actions, task bookkeeping.

Version-specific behaviour lives in `v16` / `v201` behind `Behaviour`; this module owns what is
common: connect with bounded back-off, boot until Accepted (1.6 §4.2, 2.0.1 B01-B03), send
nothing but the boot while Pending/Rejected, heartbeat (1.6 §4.6, 2.0.1 G02), and reboot /
power-cycle / go offline on request. Transaction messages go through `txqueue`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from harness.ocppj.frames import Call
from harness.sim import fuzz_faults
from harness.sim.station.behaviour import Behaviour
from harness.sim.station.config import BACKOFF_MAX, BACKOFF_MIN, StationConfig
from harness.sim.station.link import Answer, Link, Payload, result_of
from harness.sim.station.model import EvseModel
from harness.sim.station.txqueue import TxQueue
from harness.transport.client import ConnectFailed
from harness.transport.wirelog import WireLog

log = logging.getLogger("harness.sim.station")

#: Retry delay (s) when a BootNotification got no usable answer, or the interval was 0.
BOOT_RETRY = 2.0


class Station:
    """One reference charging station: its EVSEs, its link to the CSMS, its behaviour."""

    def __init__(
        self,
        config: StationConfig,
        wirelog: WireLog,
        behaviour: Callable[[Station], Behaviour],
    ) -> None:
        self.config = config
        self.wirelog = wirelog
        self.evses = {n: EvseModel(n) for n in range(1, config.evses + 1)}
        self.link = Link(config, wirelog, self._on_call, self.spawn)
        self.boot_status: str | None = None
        self.boot_reason = "PowerUp"
        self.offline = False
        #: False while the mains are off (virtual rig): no connection, no boot.
        self.powered = True
        self._want_online = asyncio.Event()
        self._want_online.set()
        self._stopping = asyncio.Event()
        self._heartbeat_kick = asyncio.Event()
        self._boot_kick = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._evse_tasks: set[asyncio.Task[None]] = set()
        self._evse_locks = {n: asyncio.Lock() for n in self.evses}
        self._reboot_lock = asyncio.Lock()
        self.behaviour = behaviour(self)
        self.queue = TxQueue(
            self.link,
            ready=lambda: self.link.online and self.accepted,
            attempts=lambda: self.behaviour.message_attempts(),
            pause=self._pause,
            wait=config.call_timeout + 1,
        )

    @property
    def accepted(self) -> bool:
        """True once the CSMS accepted the BootNotification of this boot."""
        return self.boot_status == "Accepted"

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start connecting, heartbeats and the transaction queue."""
        for work in (self._run(), self._heartbeats(), self.queue.run()):
            self.spawn(work)

    async def stop(self) -> None:
        """Close the connection (bounded) and cancel every task."""
        self._stopping.set()
        await self.link.close(1001, "station shutting down")
        tasks = [*self._tasks, *self._evse_tasks]
        for task in tasks:
            task.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 5)
        await self.link.close(1001, "station shutting down")  # in case one opened meanwhile

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` in a task that is cancelled at shutdown; log its failure."""
        self._track(asyncio.create_task(work), self._tasks)

    def evse_event(
        self, evse_id: int, action: Callable[[EvseModel], Coroutine[Any, Any, None]]
    ) -> None:
        """Handle a local event of one EVSE after the earlier ones (per-EVSE order)."""

        async def run() -> None:
            async with self._evse_locks[evse_id]:
                await action(self.evses[evse_id])

        self._track(asyncio.create_task(run()), self._evse_tasks)

    def later(
        self, evse: EvseModel, action: Callable[[EvseModel], Coroutine[Any, Any, None]]
    ) -> Callable[[], Coroutine[Any, Any, None]]:
        """A follow-up (`Answer.then`) that queues `action` as the EVSE's next local event."""

        async def run() -> None:
            self.evse_event(evse.id, action)

        return run

    @staticmethod
    def _track(task: asyncio.Task[None], into: set[asyncio.Task[None]]) -> None:
        into.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            into.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("task failed", exc_info=finished.exception())

        task.add_done_callback(done)

    async def _pause(self, seconds: float, wake: asyncio.Event | None = None) -> None:
        """Sleep up to `seconds`; return early on shutdown or when `wake` is set."""
        events = [self._stopping] + ([wake] if wake is not None else [])
        waits = [asyncio.ensure_future(event.wait()) for event in events]
        _, pending = await asyncio.wait(waits, timeout=seconds, return_when="FIRST_COMPLETED")
        for waiter in pending:
            waiter.cancel()

    # ------------------------------------------------------- connection / boot
    async def _run(self) -> None:
        delay = BACKOFF_MIN
        while not self._stopping.is_set():
            if self.offline or not self.powered:
                await self._pause(3600, self._want_online)
                continue
            try:
                await self.link.open(self.behaviour.password(), self.behaviour.security_profile())
            except ConnectFailed as exc:
                if exc.certificate_rejected:
                    await self.behaviour.on_invalid_csms_certificate(str(exc))
                log.info("connect failed (%s); retrying in %.1f s", exc, delay)
                await self._pause(delay)
                delay = min(delay * 2, BACKOFF_MAX)
                continue
            delay = BACKOFF_MIN
            if not self.powered:  # the mains went off while connecting
                self.link.abort()
                continue
            session = asyncio.create_task(self._session())
            waits = [
                asyncio.ensure_future(self.link.wait_closed()),
                asyncio.ensure_future(self._stopping.wait()),
            ]
            await asyncio.wait(waits, return_when="FIRST_COMPLETED")
            for task in [session, *waits]:
                task.cancel()
            log.info("connection closed")
            await self._pause(BACKOFF_MIN)

    async def _session(self) -> None:
        """What happens on one connection: boot if not yet accepted, then deliver the queue."""
        if self.config.fault("silent"):
            return
        if self.accepted:
            await self.behaviour.on_reconnected()
        else:
            if not await self._boot():
                return
            await self.behaviour.on_accepted(self.boot_reason)
            await self._after_boot_faults()
        self.queue.wake()

    async def _boot(self) -> bool:
        """Send BootNotification until Accepted (1.6 §4.2, 2.0.1 B01/B02/B03)."""
        reason = self.boot_reason
        while self.link.online:
            answer = result_of(
                await self.link.call("BootNotification", self.behaviour.boot_payload(reason))
            )
            if answer is None:
                await self._pause(BOOT_RETRY)
                continue
            self.boot_status = answer["status"]
            if self.boot_status == "Pending" and self.config.fault("pending-as-accepted"):
                self.boot_status = "Accepted"  # breaks 1.6 §4.2 / 2.0.1 B02
            interval = int(answer.get("interval", 0))
            if self.accepted:
                if interval > 0:
                    self.behaviour.set_heartbeat_interval(interval)
                log.info("boot accepted (reason %s, interval %d s)", reason, interval)
                return True
            log.info("boot %s; next attempt in %d s", self.boot_status, interval)
            self._boot_kick.clear()
            await self._pause(interval if interval > 0 else BOOT_RETRY, self._boot_kick)
            reason = "Triggered" if self._boot_kick.is_set() else self.boot_reason
        return False

    def trigger_boot(self) -> None:
        """Send the next BootNotification now (TriggerMessage while Pending)."""
        self._boot_kick.set()

    async def _after_boot_faults(self) -> None:
        if self.config.fault("drop-after-boot"):
            await asyncio.sleep(0.2)
            self.spawn(self.reboot("Watchdog", cause="PowerLoss", close_frame=False))
        if self.config.fault("garbage"):
            await self.link.send_raw("this is not JSON {")
            await self.link.send_raw(self.behaviour.invalid_status_call())

    # --------------------------------------------------------------- sending
    async def send(
        self, action: str, payload: Payload, *, triggered: bool = False
    ) -> Payload | None:
        """Send a non-transaction CALL when allowed; None when not sent or not answered."""
        if action == "StatusNotification" and self.config.fault("no-status-notification"):
            return None
        if action == "Heartbeat" and self.config.fault("no-heartbeat"):
            return None
        if not (self.accepted or (triggered and self.boot_status == "Pending")):
            return None
        return result_of(await self.link.call(action, payload))

    async def _heartbeats(self) -> None:
        """Send Heartbeat every HeartbeatInterval seconds while accepted (1.6 §4.6, 2.0.1 G02)."""
        while not self._stopping.is_set():
            interval = self.behaviour.heartbeat_interval()
            self._heartbeat_kick.clear()
            waiting = interval if interval > 0 else 3600
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._heartbeat_kick.wait(), waiting)
                continue
            if interval > 0 and self.accepted:
                await self.send("Heartbeat", {})

    def heartbeat_changed(self) -> None:
        """Restart the heartbeat timer with the current interval."""
        self._heartbeat_kick.set()

    # ---------------------------------------------------------------- CSMS
    async def _on_call(self, call: Call) -> Answer | None:
        if self.boot_status == "Rejected":
            return None  # 1.6 §4.2 / 2.0.1 B03: no answer while Rejected
        fault = self.config.fault(fuzz_faults.NAME)
        fuzz_faults.crash_on_optional_field(fault, self.config.version, call.action, call.payload)
        return await self.behaviour.handle(call)

    # ------------------------------------------------------- local actions
    async def reboot(self, boot_reason: str, *, cause: str, close_frame: bool) -> None:
        """Restart the station: end transactions by `cause`, drop the link, boot again."""
        async with self._reboot_lock:
            for task in list(self._evse_tasks):
                task.cancel()
            # With backup power the station still reaches the CSMS after mains fail and ends
            # its transactions before going down (1.6 TC_032_1); without, after the reboot.
            backup = self.config.power_backup and not self.config.fault("backup-power-unused")
            graceful = cause != "PowerLoss" or backup
            if graceful:
                await self.behaviour.stop_all(cause)
            self.boot_status = None
            self.boot_reason = boot_reason
            if close_frame:
                await self.link.close(1000, "rebooting")
            else:
                self.link.abort()
            if not graceful:
                self.behaviour.lose_power()
            for evse in self.evses.values():
                evse.reset_runtime()
            log.info("rebooting (boot reason %s)", boot_reason)

    async def go_offline(self) -> None:
        """Close the websocket and stay offline until `go_online`."""
        self.offline = True
        self._want_online.clear()
        await self.link.close(1000, "going offline")

    def go_online(self) -> None:
        """Reconnect (no new boot unless the station rebooted meanwhile)."""
        self.offline = False
        if self.powered:
            self._want_online.set()

    async def power_down(self) -> None:
        """Mains off: lose power (PowerLoss) and stay down until `power_up`."""
        self.powered = False
        self._want_online.clear()
        await self.reboot("PowerUp", cause="PowerLoss", close_frame=False)

    def power_up(self) -> None:
        """Mains on: connect and boot with reason PowerUp (2.0.1 B01.FR.01)."""
        self.powered = True
        if not self.offline:
            self._want_online.set()

    async def reconnect(self) -> None:
        """Close the connection so that it is opened again (new credentials, A01)."""
        await self.link.close(1000, "reconnecting with new credentials")

    def state(self) -> dict[str, Any]:
        """JSON view for GET /state."""
        return {
            "station_id": self.config.station_id,
            "ocpp_version": self.config.version.value,
            "connected": self.link.online,
            "connections": self.link.count,
            "offline": self.offline,
            "boot_status": self.boot_status,
            "boot_reason": self.boot_reason,
            "heartbeat_interval": self.behaviour.heartbeat_interval(),
            "queued_messages": len(self.queue),
            "faults": sorted(self.config.faults),
            "evses": [evse.state() for evse in self.evses.values()],
        }
