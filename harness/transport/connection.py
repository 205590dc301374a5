"""One open websocket speaking OCPP-J: the bridge between bytes and the sans-I/O session."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.connection import Connection
from websockets.exceptions import ConnectionClosed

from harness.ocppj.deviations import Level
from harness.ocppj.events import CallTimedOut, ErrorReceived, Event, ResultReceived
from harness.ocppj.session import Session
from harness.transport.wirelog import WireLog

CallAnswer = ResultReceived | ErrorReceived | CallTimedOut
EventHandler = Callable[[Event], Awaitable[None]]


class OcppConnection:
    """Read frames into the session, hand events to the role, and correlate our CALLs.

    Every frame in either direction goes to the wire log before anything else happens to it.
    """

    def __init__(
        self,
        websocket: Connection,
        session: Session,
        wirelog: WireLog,
        label: str,
        on_event: EventHandler,
    ) -> None:
        self.websocket = websocket
        self.session = session
        self.wirelog = wirelog
        self.label = label
        self._on_event = on_event
        self._waiters: dict[str, asyncio.Future[CallAnswer]] = {}
        self.closed = asyncio.Event()
        self.close_reason = ""
        self.closed_at: float | None = None
        self._reader: asyncio.Task[None] | None = None

    def start(self) -> asyncio.Task[None]:
        """Start reading frames in a task; returns it."""
        self._reader = asyncio.create_task(self._read_loop(), name=f"reader {self.label}")
        return self._reader

    async def wait_closed(self) -> None:
        """Return when the connection has closed and every event has been handled."""
        if self._reader is not None:
            await self._reader

    async def _read_loop(self) -> None:
        try:
            async for message in self.websocket:
                if isinstance(message, bytes):
                    self.wirelog.frame("in", repr(message), self.label)
                    self._deviate_binary()
                    message = message.decode("utf-8", errors="replace")
                else:
                    self.wirelog.frame("in", message, self.label)
                for event in self.session.receive_text(message, self.wirelog.now()):
                    await self._dispatch(event)
        except ConnectionClosed:
            pass
        finally:
            self._on_closed()
            for event in self.session.connection_lost(self.wirelog.now()):
                self._resolve(event.request.message_id, event)

    def _deviate_binary(self) -> None:
        self.session.deviate(
            Level.MUST,
            f"OCPP-J {self.session.version.value} §4.1.2",
            "binary websocket frame; OCPP-J messages are UTF-8 JSON text",
            self.wirelog.now(),
        )

    def _on_closed(self) -> None:
        if self.closed.is_set():
            return
        code = self.websocket.close_code
        reason = self.websocket.close_reason or ""
        self.close_reason = (
            f"code={code} reason={reason!r}" if code is not None else "no close frame"
        )
        self.wirelog.record("connection", f"closed ({self.close_reason})", connection=self.label)
        self.closed_at = self.wirelog.now()
        self.closed.set()

    async def _dispatch(self, event: Event) -> None:
        if isinstance(event, ResultReceived | ErrorReceived):
            self._resolve(event.request.message_id, event)
        await self._on_event(event)

    def _resolve(self, message_id: str, answer: CallAnswer) -> None:
        waiter = self._waiters.pop(message_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(answer)

    async def send_text(self, text: str) -> bool:
        """Send one text frame; False when the connection is already gone."""
        self.wirelog.frame("out", text, self.label)
        try:
            await self.websocket.send(text)
        except ConnectionClosed:
            self._on_closed()
            return False
        return True

    async def call(
        self, action: str, payload: dict[str, Any], timeout: float | None = None
    ) -> CallAnswer:
        """Send a CALL and wait, bounded by the session's call timeout, for its answer."""
        text, pending = self.session.send_call(action, payload, self.wirelog.now(), timeout=timeout)
        return await self._await_answer(text, pending.message_id, pending.deadline)

    async def call_raw(
        self, text: str, timeout: float, *, expect_answer: bool = False
    ) -> CallAnswer | None:
        """Send raw text; if it is a CALL (or `expect_answer`), wait for its answer like `call`.

        `expect_answer` waits for a CALLERROR to text that is no CALL (Session.send_raw).
        """
        pending = self.session.send_raw(
            text, self.wirelog.now(), timeout=timeout, expect_answer=expect_answer
        )
        if pending is None:
            await self.send_text(text)
            return None
        return await self._await_answer(text, pending.message_id, pending.deadline)

    async def _await_answer(self, text: str, message_id: str, deadline: float) -> CallAnswer:
        waiter: asyncio.Future[CallAnswer] = asyncio.get_running_loop().create_future()
        self._waiters[message_id] = waiter
        if not await self.send_text(text):
            self._waiters.pop(message_id, None)
            return self.session.abandon(message_id, self.wirelog.now())
        remaining = max(0.0, deadline - self.wirelog.now())
        try:
            async with asyncio.timeout(remaining):
                return await waiter
        except TimeoutError:
            self._waiters.pop(message_id, None)
            if waiter.done() and not waiter.cancelled():  # answered as the wait expired
                return waiter.result()
            return self.session.abandon(message_id, max(deadline, self.wirelog.now()))

    async def reply(self, message_id: str, payload: dict[str, Any]) -> bool:
        """Answer the peer's CALL with a CALLRESULT."""
        return await self.send_text(self.session.send_result(message_id, payload))

    async def reply_error(
        self,
        message_id: str,
        code: str,
        description: str = "",
        details: dict[str, Any] | None = None,
    ) -> bool:
        """Answer the peer's CALL (or unreadable frame, id "-1") with a CALLERROR."""
        return await self.send_text(self.session.send_error(message_id, code, description, details))

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the websocket and wait, bounded, for the reader to finish."""
        self.wirelog.record(
            "action", f"close connection code={code} {reason}", connection=self.label
        )
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.websocket.close(code, reason), 5)
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._reader), 5)
