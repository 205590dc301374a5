"""One station's websocket at the reference CSMS: answer its CALLs, carry the CSMS's CALLs.

The OCPP-J parsing and correlation are the sans-I/O session's; this module decides what the
CSMS answers and is the one place where the wire-level fault switches act.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, Final

from websockets.asyncio.server import ServerConnection

from harness.ocppj.events import CallReceived, Event, FrameRejected
from harness.ocppj.frames import CallResult, serialize
from harness.ocppj.session import OutgoingViolation, Session
from harness.ocppj.versions import OcppVersion
from harness.sim import fuzz_faults
from harness.sim.csms import handlers_v16, handlers_v201, v201_contract
from harness.sim.csms.callerror import CallErrorReply
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.handlers_common import Handler
from harness.sim.csms.state import StationRecord
from harness.transport.connection import CallAnswer, OcppConnection

#: What the `garbage` fault sends instead of an answer.
GARBAGE: Final = "this is not an OCPP-J frame }{"


def handlers_for(version: OcppVersion) -> dict[str, Handler]:
    """The request handlers of one OCPP version."""
    return handlers_v16.HANDLERS if version is OcppVersion.V16 else handlers_v201.HANDLERS


class StationLink:
    """An accepted station connection (one per station at a time)."""

    def __init__(
        self,
        ctx: CsmsContext,
        record: StationRecord,
        websocket: ServerConnection,
        label: str,
    ) -> None:
        self.ctx = ctx
        self.record = record
        self.websocket = websocket
        timeout = ctx.config.call_timeout
        self.session = Session(ctx.version, call_timeout=timeout, peer_call_timeout=timeout)
        self.connection = OcppConnection(websocket, self.session, ctx.wirelog, label, self.on_event)
        self._handlers = handlers_for(ctx.version)
        self._boots_here = 0
        self._call_lock = asyncio.Lock()
        self._followups: set[asyncio.Task[None]] = set()

    @property
    def closed(self) -> bool:
        """True once the websocket has closed."""
        return self.connection.closed.is_set()

    async def run(self) -> None:
        """Read and answer frames until the connection closes."""
        self.connection.start()
        await self.connection.wait_closed()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the websocket, bounded."""
        await self.connection.close(code, reason)

    # ------------------------------------------------------------------ answering
    async def _bounded(self, sending: Awaitable[object]) -> None:
        """Send within the call timeout; a station that does not read is dropped."""
        try:
            await asyncio.wait_for(sending, self.ctx.config.call_timeout)
        except TimeoutError:
            self.ctx.wirelog.record(
                "note", "station does not read; dropping it", connection=self.connection.label
            )
            self.websocket.transport.abort()

    async def on_event(self, event: Event) -> None:
        """Answer one event of the session (the `silent` fault answers nothing)."""
        if self.ctx.fault("silent"):
            return
        if isinstance(event, CallReceived):
            await self._on_call(event)
        elif isinstance(event, FrameRejected) and self.ctx.fault("drop-on-bad-frame"):
            self.ctx.wirelog.record(
                "action", "fault drop-on-bad-frame: closing", connection=self.connection.label
            )
            await self._bounded(self.websocket.close(1002, "fault drop-on-bad-frame"))
        elif isinstance(event, FrameRejected) and event.reply_id and event.error_code:
            await self._answer_malformed(event.reply_id, event.error_code, event.problem.reason)

    async def _on_call(self, event: CallReceived) -> None:
        call = event.call
        if event.error_code is not None:
            detail = (
                event.reason
                or "; ".join(map(str, event.violations))
                or f"unknown action {call.action}"
            )
            await self._answer_malformed(call.message_id, event.error_code, detail)
            return
        if not self._permitted(call.action):
            # 2.0.1 B02.FR.09 / B03.FR.07 (TC_B_30_CSMS); 1.6 §4.2: not before Accepted.
            why = f"{call.action} not allowed while the boot status is {self.record.boot_status}"
            await self._bounded(self.connection.reply_error(call.message_id, "SecurityError", why))
            return
        handler = self._handlers.get(call.action)
        if handler is None:
            why = f"a CSMS does not handle {call.action}"
            await self._bounded(self.connection.reply_error(call.message_id, "NotSupported", why))
            return
        if self.ctx.version is OcppVersion.V201 and call.action == "Authorize":
            await v201_contract.prepare(self.ctx, self.record, call.payload)  # OCSP (C07)
        booted = self.record.boots > 0
        try:
            fault = self.ctx.fault(fuzz_faults.NAME)
            fuzz_faults.crash_on_optional_field(fault, self.ctx.version, call.action, call.payload)
            answer = handler(self.ctx, self.record, call.payload)
        except CallErrorReply as refusal:  # a handler's chosen CALLERROR (fault switches)
            await self._bounded(
                self.connection.reply_error(call.message_id, refusal.code, refusal.description)
            )
            return
        except Exception as exc:  # a CSMS bug must not stop the reader of this connection
            self.ctx.wirelog.record("note", f"{call.action} handler failed: {exc!r}")
            await self._bounded(
                self.connection.reply_error(call.message_id, "InternalError", repr(exc)[:255])
            )
            return
        await self._answer(call.message_id, answer, booted=booted)
        self._follow_up(call.action, call.payload, answer)
        if call.action == "BootNotification":
            await self._after_boot()

    def _permitted(self, action: str) -> bool:
        """Say whether the station may send `action` in its boot state.

        Before any boot and once Accepted everything is; while Pending or Rejected only
        BootNotification and what the CSMS itself triggered.
        """
        status = self.record.boot_status
        if status in (None, "Accepted") or action == "BootNotification":
            return True
        if self.ctx.version is OcppVersion.V201 and self.ctx.fault("b201-no-security-error"):
            return True
        return action in self.record.permitted

    def _follow_up(self, action: str, request: dict[str, Any], answer: dict[str, Any]) -> None:
        """Start what the CSMS sends on its own after this answer (e.g. CertificateSigned)."""
        from harness.sim.csms import followups  # here: followups -> commands -> link cycle

        coroutine = followups.after_answer(self.ctx, self.record, action, request, answer)
        if coroutine is None:
            return
        task = asyncio.create_task(coroutine)
        self._followups.add(task)
        task.add_done_callback(self._followups.discard)

    async def _answer(self, message_id: str, payload: dict[str, Any], *, booted: bool) -> None:
        """Send the CALLRESULT; the `garbage` fault sends non-JSON text once the station booted."""
        if booted and self.ctx.fault("garbage"):
            await self._bounded(self.connection.send_text(GARBAGE))
            return
        try:
            await self._bounded(self.connection.reply(message_id, payload))
        except OutgoingViolation as exc:
            why = str(exc)[:255]
            await self._bounded(self.connection.reply_error(message_id, "InternalError", why))

    async def _after_boot(self) -> None:
        """Count the boot; the `drop-after-boot` fault drops TCP after the first one."""
        self._boots_here += 1
        if self._boots_here == 1 and self.ctx.fault("drop-after-boot"):
            self.ctx.wirelog.record(
                "action",
                "fault drop-after-boot: closing TCP without a close frame",
                connection=self.connection.label,
            )
            self.websocket.transport.close()  # flushes the answer, sends FIN, no close frame

    async def _answer_malformed(self, message_id: str, code: str, description: str) -> None:
        """Answer a malformed CALL with the CALLERROR code OCPP-J suggests (1.6 §4.2.3, 2.0.1 §4.3).

        Fault `callresult-for-malformed` answers CALLRESULT {} instead; fault
        `wrong-error-code` answers GenericError.
        """
        if self.ctx.fault("callresult-for-malformed"):
            text = serialize(CallResult(message_id, {}))
            await self._bounded(self.connection.call_raw(text, timeout=0))
            return
        if self.ctx.fault("wrong-error-code"):
            code = "GenericError"
        await self._bounded(self.connection.reply_error(message_id, code, description))

    # ------------------------------------------------------------------ calling
    async def call(self, action: str, payload: dict[str, Any], timeout: float) -> CallAnswer:
        """Send a CALL to the station and wait, bounded, for its answer.

        CALLs from concurrent API requests wait their turn: one outstanding CALL at a time
        (OCPP-J §4.1.1); waiting for the turn counts against `timeout`. Raises TimeoutError
        when the turn does not come in time and OutgoingViolation when the payload breaks its
        schema.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await asyncio.wait_for(self._call_lock.acquire(), timeout)
        try:
            remaining = max(0.001, deadline - loop.time())
            return await self.connection.call(action, payload, remaining)
        finally:
            self._call_lock.release()
