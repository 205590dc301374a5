"""The expect/respond machinery both emulators share (DESIGN.md, "The test-case API").

A `Peer` answers the DUT's CALLs (registered responders first, then per-version defaults),
keeps every exchanged message, lets a case `expect` what the DUT must send (backlog first, then
a bounded wait) and `call` the DUT. Nothing here waits without a bound.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import deque
from collections.abc import Callable
from typing import Any

from harness.ocppj.deviations import Deviation
from harness.ocppj.events import (
    CallReceived,
    CallTimedOut,
    ErrorReceived,
    Event,
    FrameRejected,
    ResultErrorReceived,
    SendReceived,
)
from harness.ocppj.session import OutgoingViolation, Session
from harness.ocppj.versions import OcppVersion
from harness.outcomes import ExpectationFailed
from harness.roles.exchange import CallOutcome, Exchange, Message
from harness.roles.matching import Where, describe, satisfies
from harness.roles.responder import Payload, Responder
from harness.transport.connection import OcppConnection
from harness.transport.wirelog import WireLog

DefaultResponder = Callable[[Message], Payload]


class Peer:
    """Shared state and API of the CSMS emulator and the station emulator."""

    #: A peer that the DUT cannot be expected to reconnect to fails expectations at once when
    #: the connection closes (the station emulator); the CSMS emulator waits for reconnects.
    fail_fast_on_close = False

    def __init__(
        self,
        version: OcppVersion,
        wirelog: WireLog,
        *,
        call_timeout: float,
        defaults: dict[str, DefaultResponder],
        backlog_limit: int = 10_000,
    ) -> None:
        self.version = version
        self.wirelog = wirelog
        self.call_timeout = call_timeout
        self.session = Session(version, call_timeout=call_timeout, peer_call_timeout=call_timeout)
        self.exchange = Exchange()
        self.connection: OcppConnection | None = None
        self.connection_count = 0
        self.harness_errors: list[str] = []
        self.extra_deviations: list[Deviation] = []
        self._defaults = defaults
        self._responders: list[Responder] = []
        self._backlog: deque[Message] = deque(maxlen=backlog_limit)
        self._arrival = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------ connection
    def attach(self, connection: OcppConnection) -> None:
        """Make `connection` the current link to the DUT."""
        self.connection = connection
        self.connection_count += 1
        self._wake()

    @property
    def connected(self) -> bool:
        """True while a link to the DUT is open."""
        return self.connection is not None and not self.connection.closed.is_set()

    async def wait_connected(self, within: float | None = None) -> None:
        """Wait, bounded, until the DUT is connected."""
        timeout = self.call_timeout if within is None else within
        deadline = self.wirelog.now() + timeout
        while not self.connected:
            if not await self._wait_arrival(deadline):
                raise ExpectationFailed(
                    f"the DUT did not connect within {timeout:g} s",
                    timeline=self.wirelog.timeline(),
                )

    async def on_event(self, event: Event) -> None:
        """Handle one session event from the current connection (called by the reader)."""
        if isinstance(event, CallReceived):
            await self._on_call(event)
        elif isinstance(event, SendReceived):
            self._keep(
                Message(
                    "in",
                    "send",
                    event.send.action,
                    event.send.message_id,
                    event.send.payload,
                    event.at,
                    self.connection_count,
                    event.violations,
                )
            )
        elif isinstance(event, FrameRejected):
            if event.reply_id is not None and event.error_code is not None and self.connection:
                await self.connection.reply_error(
                    event.reply_id, event.error_code, event.problem.reason
                )
            self._wake()
        elif isinstance(event, ResultErrorReceived):
            self.wirelog.record("note", f"DUT could not process our CALLRESULT: {event.error}")

    async def _on_call(self, event: CallReceived) -> None:
        call = event.call
        message = Message(
            "in",
            "call",
            call.action,
            call.message_id,
            call.payload,
            event.at,
            self.connection_count,
            event.violations,
        )
        self._keep(message)
        connection = self.connection
        if connection is None:
            return
        if event.error_code is not None:
            detail = (
                event.reason
                or "; ".join(map(str, event.violations))
                or f"unknown action {call.action}"
            )
            await connection.reply_error(call.message_id, event.error_code, detail)
            return
        responder = self._responder_for(message)
        if responder is not None and responder.reply.ignore:
            self.wirelog.record("action", f"not answering {call.action} ({call.message_id})")
            return
        if responder is not None and responder.reply.delay > 0:
            task = asyncio.create_task(self._answer_later(connection, message, responder))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return
        await self._answer(connection, message, responder)

    async def _answer_later(
        self, connection: OcppConnection, message: Message, responder: Responder
    ) -> None:
        await asyncio.sleep(responder.reply.delay)
        await self._answer(connection, message, responder)

    async def _answer(
        self, connection: OcppConnection, message: Message, responder: Responder | None
    ) -> None:
        try:
            if responder is not None and responder.reply.error is not None:
                code, description = responder.reply.error
                await connection.reply_error(message.message_id, code, description)
                return
            payload = await self._payload_for(message, responder)
            if payload is None:
                await connection.reply_error(
                    message.message_id,
                    "NotSupported",
                    f"harness has no answer for {message.action}",
                )
                return
            message.answer = payload
            message.answered_at = self.wirelog.now()
            await connection.reply(message.message_id, payload)
        except Exception as exc:  # a responder bug or an invalid answer: the harness's fault
            kind = "rejected" if isinstance(exc, OutgoingViolation) else f"failed ({exc!r})"
            self.harness_errors.append(f"answer to {message.action} {kind}: {exc}")
            await connection.reply_error(message.message_id, "InternalError", str(exc)[:255])

    async def _payload_for(self, message: Message, responder: Responder | None) -> Payload | None:
        default = self._defaults.get(message.action)
        if responder is None:
            return default(message) if default else None
        reply = responder.reply
        if reply.factory is not None:
            produced = reply.factory(message)
            return await produced if inspect.isawaitable(produced) else produced
        base = default(message) if default and reply.merge_default else {}
        return {**base, **(reply.payload or {})}

    def _responder_for(self, message: Message) -> Responder | None:
        for responder in reversed(self._responders):
            if responder.action == message.action and satisfies(message.payload, responder.where):
                responder.used += 1
                if responder.once:
                    self._responders.remove(responder)
                return responder
        return None

    def _keep(self, message: Message) -> None:
        self.exchange.add(message)
        self._backlog.append(message)  # bounded: the oldest unconsumed message drops out
        self._wake()

    def _wake(self) -> None:
        self._arrival.set()
        self._arrival = asyncio.Event()

    async def _wait_arrival(self, deadline: float) -> bool:
        """Wait for the next arrival or connection change; False once `deadline` passed."""
        remaining = deadline - self.wirelog.now()
        if remaining <= 0:
            return False
        arrival = self._arrival
        closed = self.connection.closed if self.connected and self.connection else None
        waits = [asyncio.ensure_future(arrival.wait())]
        if closed is not None:
            waits.append(asyncio.ensure_future(closed.wait()))
        _, pending = await asyncio.wait(waits, timeout=remaining, return_when="FIRST_COMPLETED")
        for task in pending:
            task.cancel()
        return True

    # ------------------------------------------------------------ case API
    def on(self, action: str, *, once: bool = False, where: Where = None) -> Responder:
        """Register how to answer `action` (the newest matching registration wins)."""
        responder = Responder(action, once=once, where=where)
        self._responders.append(responder)
        return responder

    async def expect(
        self,
        action: str,
        where: Where = None,
        within: float | None = None,
        *,
        since: float | None = None,
    ) -> Message:
        """Return the first unconsumed `action` from the DUT matching `where`.

        Looks at what already arrived (at or after `since`, seconds on the case clock) first,
        then waits up to `within` seconds; on timeout raises ExpectationFailed with the
        timeline of what did arrive.
        """
        return await self.expect_any([(action, where)], within, since=since)

    async def expect_any(
        self,
        options: list[tuple[str, Where]],
        within: float | None = None,
        *,
        since: float | None = None,
    ) -> Message:
        """Like `expect`, for the first message matching any of (action, where) `options`."""
        timeout = self.call_timeout if within is None else within
        deadline = self.wirelog.now() + timeout
        wanted = " or ".join(f"{action}{describe(where)}" for action, where in options)
        while True:
            for message in self._backlog:
                if since is not None and message.at < since:
                    continue
                if any(
                    message.action == action and satisfies(message.payload, where)
                    for action, where in options
                ):
                    self._backlog.remove(message)
                    message.consumed = True
                    return message
            if self.fail_fast_on_close and self.connection_count and not self.connected:
                reason = self.connection.close_reason if self.connection else ""
                raise ExpectationFailed(
                    f"expected {wanted}, but the DUT closed the connection ({reason})",
                    timeline=self.wirelog.timeline(),
                )
            if not await self._wait_arrival(deadline):
                raise ExpectationFailed(
                    f"expected {wanted} within {timeout:g} s; none arrived",
                    timeline=self.wirelog.timeline(),
                )

    async def expect_none(self, action: str, during: float, where: Where = None) -> None:
        """Check that the DUT sends no `action` matching `where` for `during` seconds.

        Unconsumed earlier arrivals count too. Raises ExpectationFailed on the first one.
        """
        deadline = self.wirelog.now() + during
        while True:
            for message in self._backlog:
                if message.action == action and satisfies(message.payload, where):
                    message.consumed = True
                    self._backlog.remove(message)
                    raise ExpectationFailed(
                        f"the DUT sent {action}{describe(where)} at {message.at:.3f} s, "
                        f"which it must not",
                        timeline=self.wirelog.timeline(),
                    )
            if not await self._wait_arrival(deadline):
                return

    async def call(
        self,
        action: str,
        payload: Payload | None = None,
        *,
        within: float | None = None,
        allow_no_answer: bool = False,
        **fields: Any,
    ) -> CallOutcome:
        """Send a CALL to the DUT; return its answer (result or CallError) as data.

        No answer within `within` seconds raises ExpectationFailed unless `allow_no_answer`.
        """
        body = {**(payload or {}), **fields}
        connection = await self._require_connection(action)
        timeout = self.call_timeout if within is None else within
        request = Message(
            "out", "call", action, "", body, self.wirelog.now(), self.connection_count
        )
        answer = await connection.call(action, body, timeout)
        request.message_id = answer.request.message_id
        self.exchange.add(request)
        return self._outcome(request, answer, timeout, allow_no_answer)

    async def send_raw(
        self,
        text: str,
        *,
        within: float | None = None,
        allow_no_answer: bool = True,
        expect_answer: bool = False,
    ) -> CallOutcome | None:
        """Send text as-is (negative tests); if it is a CALL, return its answer.

        `expect_answer` also waits for the CALLERROR owed to text that is no CALL (its
        readable MessageId or "-1"); the outcome's request then has action "".
        """
        connection = await self._require_connection("raw frame")
        timeout = self.call_timeout if within is None else within
        self.wirelog.record("action", "raw send (not validated)")
        answer = await connection.call_raw(text, timeout, expect_answer=expect_answer)
        if answer is None:
            return None
        request = Message(
            "out",
            "call",
            answer.request.action,
            answer.request.message_id,
            answer.request.payload,
            self.wirelog.now(),
            self.connection_count,
        )
        self.exchange.add(request)
        return self._outcome(request, answer, timeout, allow_no_answer)

    def _outcome(
        self,
        request: Message,
        answer: Any,
        timeout: float,
        allow_no_answer: bool,
    ) -> CallOutcome:
        if isinstance(answer, CallTimedOut):
            closed = not self.connected
            if not allow_no_answer:
                why = "the connection closed" if closed else f"no answer within {timeout:g} s"
                raise ExpectationFailed(
                    f"{request.action}: {why}", timeline=self.wirelog.timeline()
                )
            return CallOutcome(request, timed_out=not closed, connection_closed=closed)
        if isinstance(answer, ErrorReceived):
            request.error = answer.error
            request.answered_at = answer.at
            return CallOutcome(request, error=answer.error)
        request.answer = answer.result.payload
        request.answered_at = answer.at
        return CallOutcome(request, payload=answer.result.payload, violations=answer.violations)

    async def _require_connection(self, what: str) -> OcppConnection:
        if not self.connected:
            await self.wait_connected()
        assert self.connection is not None
        return self.connection

    # ------------------------------------------------------------ queries
    def received(self, action: str | None = None, where: Where = None) -> list[Message]:
        """Everything the DUT sent (optionally one action, matching `where`), in order."""
        return [m for m in self.exchange.select("in", action) if satisfies(m.payload, where)]

    def sent(self, action: str | None = None, where: Where = None) -> list[Message]:
        """Every CALL the harness sent, in order."""
        return [m for m in self.exchange.select("out", action) if satisfies(m.payload, where)]

    def consume_all(self, since: float = 0.0) -> int:
        """Mark every message that arrived at or after `since` as expected (a fuzz run judges
        them by invariants instead of by `expect`); return how many there were."""
        taken = [m for m in self._backlog if m.at >= since]
        for message in taken:
            message.consumed = True
            self._backlog.remove(message)
        return len(taken)

    def unconsumed(self) -> list[Message]:
        """DUT messages no `expect` took; reported at teardown."""
        return list(self._backlog)

    def deviations(self) -> list[Deviation]:
        """Every deviation of the DUT seen on any connection."""
        return [*self.extra_deviations, *self.session.deviations]

    async def aclose(self) -> None:
        """Close the link and cancel delayed answers, bounded."""
        for task in list(self._tasks):
            task.cancel()
        if self.connection is not None:
            await self.connection.close()
