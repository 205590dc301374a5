"""The station's websocket to the CSMS: connect, answer the CSMS's CALLs, send ours one at a time.

Frames go through `OcppConnection` and the sans-I/O `Session`; this module adds what a station
does with them: one outstanding CALL at a time (OCPP-J 1.6 §4.1.1, 2.0.1 Part 4 §4.1.1), a
CALLERROR with the code the session suggests for a malformed CALL (OCPP-J 1.6 §4.2.3,
2.0.1 Part 4 §4.3), and the raw frames some faults need.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from harness.ocppj.events import CallReceived, ErrorReceived, Event, FrameRejected, ResultReceived
from harness.ocppj.frames import Call, CallResult, serialize
from harness.ocppj.session import OutgoingViolation, Session
from harness.sim.station.config import StationConfig
from harness.transport.client import open_station_connection
from harness.transport.connection import CallAnswer, OcppConnection
from harness.transport.wirelog import WireLog

log = logging.getLogger("harness.sim.station")

Payload = dict[str, Any]


@dataclass(frozen=True)
class Answer:
    """How to answer one CSMS CALL: a payload or a CALLERROR, then optional follow-up work.

    `then` runs in its own task after the answer is on the wire (e.g. 1.6 §5.17: the
    TriggerMessage.conf goes first, then the requested message).
    """

    payload: Payload | None = None
    error: tuple[str, str] | None = None
    then: Callable[[], Coroutine[Any, Any, None]] | None = None


Handler = Callable[[Call], Awaitable[Answer | None]]
Spawn = Callable[[Coroutine[Any, Any, None]], None]


def result_of(answer: CallAnswer | None) -> Payload | None:
    """The CALLRESULT payload of an answer, or None (CALLERROR, timeout, offline)."""
    return answer.result.payload if isinstance(answer, ResultReceived) else None


class Link:
    """At most one open connection to the CSMS, and the rules for using it."""

    def __init__(
        self, config: StationConfig, wirelog: WireLog, handler: Handler, spawn: Spawn
    ) -> None:
        self.config = config
        self.wirelog = wirelog
        self._handler = handler
        self._spawn = spawn
        self._lock = asyncio.Lock()
        self.connection: OcppConnection | None = None
        self.count = 0

    @property
    def online(self) -> bool:
        """True while a websocket to the CSMS is open."""
        return self.connection is not None and not self.connection.closed.is_set()

    async def open(self, password: str | None, profile: int | None = None) -> OcppConnection:
        """Connect (bounded by the open timeout) with security `profile` (default: the
        configured one); raises ConnectFailed."""
        websocket, deviations = await open_station_connection(
            self.config.url(),
            self.config.version,
            self.wirelog,
            security=self.config.security(password, profile),
            open_timeout=self.config.open_timeout,
        )
        for deviation in deviations:
            log.warning("CSMS handshake: %s", deviation.message)
        timeout = self.config.call_timeout
        session = Session(self.config.version, call_timeout=timeout, peer_call_timeout=timeout)
        self.count += 1
        holder: list[OcppConnection] = []

        async def on_event(event: Event) -> None:
            await self._on_event(holder[0], event)

        connection = OcppConnection(
            websocket, session, self.wirelog, f"{self.config.station_id}#{self.count}", on_event
        )
        holder.append(connection)
        self.connection = connection
        connection.start()
        log.info("connected to %s (connection %d)", self.config.url(), self.count)
        return connection

    # ------------------------------------------------------------ our CALLs
    async def call(self, action: str, payload: Payload) -> CallAnswer | None:
        """Send one CALL and wait (bounded) for its answer; None when offline or refused."""
        connection = self.connection
        if connection is None or connection.closed.is_set():
            return None
        # Shielded: a cancelled caller must not free the lock while the CALL is outstanding.
        return await asyncio.shield(asyncio.ensure_future(self._call(connection, action, payload)))

    async def _call(
        self, connection: OcppConnection, action: str, payload: Payload
    ) -> CallAnswer | None:
        async with self._lock:
            if connection.closed.is_set():
                return None
            try:
                answer = await connection.call(action, payload)
            except OutgoingViolation as exc:
                log.error("station bug, %s not sent: %s", action, exc)
                return None
        if isinstance(answer, ErrorReceived):
            log.warning("%s answered with CALLERROR %s", action, answer.error.code)
        elif not isinstance(answer, ResultReceived):
            log.warning("%s got no answer", action)
        return answer

    async def send_raw(self, text: str) -> None:
        """Send text unchecked (faults); if it is a CALL, wait (bounded) for its answer."""
        connection = self.connection
        if connection is None:
            return
        async with self._lock:
            await connection.call_raw(text, self.config.call_timeout)

    # ---------------------------------------------------------- their CALLs
    async def _on_event(self, connection: OcppConnection, event: Event) -> None:
        if self.config.fault("silent"):
            return
        if isinstance(event, CallReceived):
            await self._on_call(connection, event)
        elif isinstance(event, FrameRejected) and self.config.fault("drop-on-bad-frame"):
            self._spawn(connection.close(1002, "fault drop-on-bad-frame"))
        elif isinstance(event, FrameRejected) and event.reply_id and event.error_code:
            await self._malformed(
                connection, event.reply_id, event.error_code, event.problem.reason
            )

    async def _on_call(self, connection: OcppConnection, event: CallReceived) -> None:
        call = event.call
        if event.error_code is not None:
            detail = (
                event.reason
                or "; ".join(map(str, event.violations))
                or f"unknown action {call.action}"
            )
            await self._malformed(connection, call.message_id, event.error_code, detail)
            return
        try:
            answer = await self._handler(call)
        except Exception as exc:
            log.exception("handling %s failed", call.action)
            answer = Answer(error=("InternalError", f"{type(exc).__name__}: {exc}"[:255]))
        if answer is None:
            return
        if answer.error is None:
            try:
                await connection.reply(call.message_id, answer.payload or {})
            except OutgoingViolation as exc:
                log.error("station bug, answer to %s: %s", call.action, exc)
                await connection.reply_error(call.message_id, "InternalError", str(exc)[:255])
                return
        else:
            await connection.reply_error(call.message_id, *answer.error)
        if answer.then is not None:
            self._spawn(answer.then())

    async def _malformed(
        self, connection: OcppConnection, message_id: str, code: str, detail: str
    ) -> None:
        """Answer a malformed CALL with the CALLERROR code the session chose."""
        if self.config.fault("callresult-for-malformed"):
            await connection.call_raw(serialize(CallResult(message_id, {})), 0)
            return
        if self.config.fault("wrong-error-code"):
            code = "GenericError"
        await connection.reply_error(message_id, code, detail)

    # ------------------------------------------------------------ closing
    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close with a close frame and wait (bounded) for the reader to finish."""
        connection = self.connection
        if connection is not None:
            await connection.close(code, reason)

    def abort(self) -> None:
        """Drop TCP without a websocket close frame (power loss, crash)."""
        connection = self.connection
        if connection is None or connection.closed.is_set():
            return
        self.wirelog.record("action", "drop TCP without close frame", connection=connection.label)
        with contextlib.suppress(Exception):
            connection.websocket.transport.abort()

    async def wait_closed(self) -> None:
        """Return once the current connection has closed."""
        connection = self.connection
        if connection is not None:
            await connection.closed.wait()
