"""Sans-I/O OCPP-J session: one side of one connection, as pure state and data.

The session turns received text into events and records every way the peer breaks OCPP-J as a
`Deviation`; it never raises on received text. What the harness itself sends is held to the same
schemas and raises `OutgoingViolation` instead, because that is a bug in a test case; `send_raw`
is the escape hatch for negative tests. Time is passed in by the caller (`now`, seconds on any
monotonic clock) and deadlines come out as data (`next_deadline`, `handle_timeout`).
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

from harness.ocppj import errorcodes
from harness.ocppj.deviations import Deviation, Level
from harness.ocppj.events import (
    CallReceived,
    CallTimedOut,
    ErrorReceived,
    Event,
    FrameRejected,
    PendingCall,
    ResultErrorReceived,
    ResultReceived,
    SendReceived,
)
from harness.ocppj.frames import (
    MAX_MESSAGE_ID_LENGTH,
    Call,
    CallError,
    CallResult,
    CallResultError,
    FrameProblem,
    MessageType,
    Send,
    message_types,
    parse_frame,
    serialize,
)
from harness.ocppj.schemas import (
    PayloadKind,
    SchemaViolation,
    is_known_action,
    schema_name,
    validate,
)
from harness.ocppj.versions import OcppVersion

#: How many ids of answered or timed-out CALLs are remembered to recognise late replies and
#: reused ids; bounded so a soak run does not grow without limit.
_MEMORY = 10_000


class OutgoingViolation(ValueError):
    """The harness tried to send something OCPP-J forbids (a bug in the case, not the DUT)."""


@dataclass(slots=True)
class _IncomingCall:
    action: str
    received_at: float


def _ref(version: OcppVersion, section: str) -> str:
    return f"OCPP-J {version.value} §{section}"


@dataclass(slots=True)
class Session:
    """One OCPP-J endpoint's view of a connection (see module docstring).

    `call_timeout` bounds our own CALLs. `peer_call_timeout` is how long the peer may wait for
    our answer before it may send its next CALL (§4.1.1 Synchronicity).
    """

    version: OcppVersion
    call_timeout: float = 30.0
    peer_call_timeout: float = 30.0
    deviations: list[Deviation] = field(default_factory=list)
    _pending_out: dict[str, PendingCall] = field(default_factory=dict)
    _pending_in: dict[str, _IncomingCall] = field(default_factory=dict)
    _finished_out: OrderedDict[str, PendingCall] = field(default_factory=OrderedDict)
    _seen_in_ids: OrderedDict[str, None] = field(default_factory=OrderedDict)
    #: Ids of our pending CALLs that were sent raw (negative tests); see `send_raw`.
    _raw_out: set[str] = field(default_factory=set)

    # ----------------------------------------------------------------- sending
    @property
    def outstanding(self) -> PendingCall | None:
        """The oldest of our CALLs still waiting for an answer."""
        return next(iter(self._pending_out.values()), None)

    def send_call(
        self,
        action: str,
        payload: dict[str, Any],
        now: float,
        *,
        timeout: float | None = None,
        message_id: str | None = None,
    ) -> tuple[str, PendingCall]:
        """Build a CALL; return its text and the pending record.

        Enforces the one-outstanding-CALL rule (§4.1.1) and the request schema.
        """
        if self._pending_out:
            pending = self.outstanding
            assert pending is not None
            raise OutgoingViolation(
                f"cannot send {action}: {pending.action} ({pending.message_id}) is still "
                f"outstanding ({_ref(self.version, '4.1.1')})"
            )
        if not is_known_action(self.version, action):
            raise OutgoingViolation(f"OCPP {self.version.value} has no action {action!r}")
        violations = validate(self.version, action, PayloadKind.REQUEST, payload)
        if violations:
            raise OutgoingViolation(
                f"{action} request breaks its schema: " + "; ".join(map(str, violations))
            )
        message_id = message_id or str(uuid.uuid4())
        pending = self._track(message_id, action, payload, now, timeout)
        return serialize(Call(message_id, action, payload)), pending

    def send_raw(
        self,
        text: str,
        now: float,
        *,
        timeout: float | None = None,
        expect_answer: bool = False,
    ) -> PendingCall | None:
        """Record raw text sent on purpose (negative tests); no rule is enforced.

        If the text parses as a CALL, it is tracked so its answer is correlated. With
        `expect_answer`, text that is no CALL is tracked too, under its readable MessageId or
        "-1" (2.0.1 Part 4 §4.2.3: the CALLERROR to a message whose id cannot be read), with
        action "". An answer with id "-1" is matched to the oldest raw CALL still pending.
        """
        frame = parse_frame(text, self.version)
        if isinstance(frame, Call):
            self._raw_out.add(frame.message_id)
            return self._track(frame.message_id, frame.action, frame.payload, now, timeout)
        if isinstance(frame, CallResult | CallError):
            self._pending_in.pop(frame.message_id, None)
            return None
        if not expect_answer:
            return None
        reply_id = frame.message_id if isinstance(frame, FrameProblem | Send) else None
        reply_id = reply_id or "-1"
        self._raw_out.add(reply_id)
        return self._track(reply_id, "", {}, now, timeout)

    def _track(
        self,
        message_id: str,
        action: str,
        payload: dict[str, Any],
        now: float,
        timeout: float | None,
    ) -> PendingCall:
        deadline = now + (self.call_timeout if timeout is None else timeout)
        pending = PendingCall(message_id, action, payload, now, deadline)
        self._pending_out[message_id] = pending
        return pending

    def send_result(self, message_id: str, payload: dict[str, Any]) -> str:
        """Build the CALLRESULT answering the peer's CALL `message_id`."""
        incoming = self._pending_in.get(message_id)
        if incoming is None:
            raise OutgoingViolation(f"no CALL {message_id!r} from the peer awaits an answer")
        violations = validate(self.version, incoming.action, PayloadKind.RESPONSE, payload)
        if violations:
            raise OutgoingViolation(
                f"{incoming.action} response breaks its schema: " + "; ".join(map(str, violations))
            )
        del self._pending_in[message_id]
        return serialize(CallResult(message_id, payload))

    def send_error(
        self,
        message_id: str,
        code: str,
        description: str = "",
        details: dict[str, Any] | None = None,
    ) -> str:
        """Build a CALLERROR; `message_id` may be "-1" when the peer's id was unreadable."""
        if code not in self.version.error_codes:
            raise OutgoingViolation(f"{code!r} is not an OCPP {self.version.value} error code")
        self._pending_in.pop(message_id, None)
        return serialize(CallError(message_id, code, description[:255], details or {}))

    def send_send(self, action: str, payload: dict[str, Any]) -> str:
        """Build a SEND (2.1 only); it is never answered."""
        if MessageType.SEND not in message_types(self.version):
            raise OutgoingViolation(f"OCPP {self.version.value} has no SEND message type")
        violations = validate(self.version, action, PayloadKind.REQUEST, payload)
        if violations:
            raise OutgoingViolation(
                f"{action} breaks its schema: " + "; ".join(map(str, violations))
            )
        return serialize(Send(str(uuid.uuid4()), action, payload))

    # --------------------------------------------------------------- receiving
    def receive_text(self, text: str, now: float) -> list[Event]:
        """Turn one received text message into events; never raises."""
        try:
            return self._receive(text, now)
        except Exception as exc:
            problem = FrameProblem(f"harness could not process frame: {exc!r}", "framing")
            self.deviate(Level.INFO, _ref(self.version, "4"), problem.reason, now, text)
            return [FrameRejected(text, problem, now, None, None)]

    def _receive(self, text: str, now: float) -> list[Event]:
        frame = parse_frame(text, self.version)
        if isinstance(frame, FrameProblem):
            return [self._rejected(text, frame, now)]
        too_long = len(frame.message_id) > MAX_MESSAGE_ID_LENGTH
        if too_long and not self._answers_raw(frame):
            self.deviate(
                Level.MUST,
                _ref(self.version, "4.1.4"),
                f"MessageId is {len(frame.message_id)} characters, at most "
                f"{MAX_MESSAGE_ID_LENGTH} allowed",
                now,
                text,
            )
        if isinstance(frame, Call):
            received = self._on_call(frame, now, text)
            if too_long:  # 1.6 §4.2.3 / 2.0.1 Part 4 §4.2.3: "unique identifier too long"
                received = replace(
                    received,
                    error_code=errorcodes.code_for(self.version, "framing"),
                    reason=f"MessageId longer than {MAX_MESSAGE_ID_LENGTH} characters",
                )
            return [received]
        if isinstance(frame, Send):
            return [
                SendReceived(
                    frame, now, self._check_payload(frame.action, frame.payload, now, text)
                )
            ]
        if isinstance(frame, CallResultError):
            return [ResultErrorReceived(frame, now)]
        return self._on_answer(frame, now, text)

    def _rejected(self, text: str, problem: FrameProblem, now: float) -> FrameRejected:
        section = "4.1.3" if problem.failure_class == "unknown-message-type" else "4.1.2"
        if problem.failure_class == "format":
            section = "4.1.5" if self.version is not OcppVersion.V16 else "4.2"
        self.deviate(Level.MUST, _ref(self.version, section), problem.reason, now, text)
        # Only a CALL (or an unreadable message) is answered; a broken answer is not answered
        # with another answer (§4.2.3), and unknown message types are answered in 2.x (§4.4).
        answerable = problem.message_type in (None, int(MessageType.CALL))
        if problem.failure_class == "unknown-message-type":
            answerable = self.version is not OcppVersion.V16
        if not answerable:
            return FrameRejected(text, problem, now, None, None)
        reply_id = problem.message_id or "-1"
        return FrameRejected(
            text, problem, now, reply_id, errorcodes.code_for(self.version, problem.failure_class)
        )

    def _on_call(self, call: Call, now: float, text: str) -> CallReceived:
        self._check_synchronicity(call, now, text)
        if call.message_id in self._seen_in_ids:
            self.deviate(
                Level.MUST,
                _ref(self.version, "4.1.4"),
                f"MessageId {call.message_id!r} reused for a second CALL",
                now,
                text,
            )
        self._remember(self._seen_in_ids, call.message_id, None)
        self._pending_in[call.message_id] = _IncomingCall(call.action, now)
        if not is_known_action(self.version, call.action):
            self.deviate(
                Level.MUST,
                _ref(self.version, "4.1.7" if self.version is not OcppVersion.V16 else "4.2.1"),
                f"unknown action {call.action!r}",
                now,
                text,
            )
            return CallReceived(call, now, (), errorcodes.code_for(self.version, "unknown-action"))
        violations = self._check_payload(call.action, call.payload, now, text)
        code = errorcodes.code_for_violations(self.version, violations) if violations else None
        return CallReceived(call, now, violations, code)

    def _check_synchronicity(self, call: Call, now: float, text: str) -> None:
        for message_id, incoming in self._pending_in.items():
            if now - incoming.received_at < self.peer_call_timeout:
                level = Level.SHOULD if self.version is OcppVersion.V16 else Level.MUST
                self.deviate(
                    level,
                    _ref(self.version, "4.1.1"),
                    f"{call.action} sent while {incoming.action} ({message_id}) was not yet "
                    f"answered and had not timed out",
                    now,
                    text,
                )
                return

    def _check_payload(
        self, action: str, payload: dict[str, Any], now: float, text: str
    ) -> tuple[SchemaViolation, ...]:
        violations = validate(self.version, action, PayloadKind.REQUEST, payload)
        if violations:
            self.deviate(
                Level.MUST,
                _schema_ref(self.version, action, PayloadKind.REQUEST),
                "; ".join(map(str, violations)),
                now,
                text,
            )
        return violations

    def _on_answer(self, frame: CallResult | CallError, now: float, text: str) -> list[Event]:
        pending = self._pending_out.pop(self._answered_id(frame.message_id), None)
        if pending is not None:
            self._raw_out.discard(pending.message_id)
        if pending is None:
            late = self._finished_out.get(frame.message_id)
            if late is not None:
                self.deviate(
                    Level.INFO,
                    _ref(self.version, "4.1.1"),
                    f"answer to {late.action} ({frame.message_id}) arrived after its "
                    f"{late.deadline - late.sent_at:g} s timeout",
                    now,
                    text,
                )
            else:
                self.deviate(
                    Level.MUST,
                    _ref(self.version, "4.1.4"),
                    f"answer with MessageId {frame.message_id!r} matches no CALL that was sent",
                    now,
                    text,
                )
            return []
        self._remember(self._finished_out, pending.message_id, pending)
        if isinstance(frame, CallError):
            if frame.code not in self.version.error_codes:
                self.deviate(
                    Level.MUST,
                    _ref(self.version, "4.2.3" if self.version is OcppVersion.V16 else "4.3"),
                    f"errorCode {frame.code!r} is not in the OCPP {self.version.value} table",
                    now,
                    text,
                )
            return [ErrorReceived(pending, frame, now)]
        violations = (
            validate(self.version, pending.action, PayloadKind.RESPONSE, frame.payload)
            if is_known_action(self.version, pending.action)
            else ()  # a raw CALL of an unknown action, or raw text: no response schema
        )
        if violations:
            self.deviate(
                Level.MUST,
                _schema_ref(self.version, pending.action, PayloadKind.RESPONSE),
                "; ".join(map(str, violations)),
                now,
                text,
            )
        return [ResultReceived(pending, frame, now, violations)]

    def _answers_raw(self, frame: object) -> bool:
        """True for an answer to one of our raw CALLs (its id echoes what we sent)."""
        return (
            isinstance(frame, CallResult | CallError)
            and frame.message_id in self._raw_out
            and frame.message_id in self._pending_out
        )

    def _answered_id(self, message_id: str) -> str:
        """The pending id an answer refers to: "-1" stands for the oldest raw CALL pending."""
        if message_id != "-1" or message_id in self._pending_out:
            return message_id
        return next((i for i in self._pending_out if i in self._raw_out), message_id)

    # ------------------------------------------------------------------ timing
    def next_deadline(self) -> float | None:
        """Earliest moment at which one of our CALLs times out, or None."""
        return min((p.deadline for p in self._pending_out.values()), default=None)

    def handle_timeout(self, now: float) -> list[CallTimedOut]:
        """Expire our CALLs whose deadline has passed."""
        expired = [p for p in self._pending_out.values() if p.deadline <= now]
        for pending in expired:
            del self._pending_out[pending.message_id]
            self._raw_out.discard(pending.message_id)
            self._remember(self._finished_out, pending.message_id, pending)
        return [CallTimedOut(p, now) for p in expired]

    def abandon(self, message_id: str, now: float) -> CallTimedOut:
        """Give up waiting for our CALL `message_id` (its deadline passed or the link is gone)."""
        pending = self._pending_out.pop(message_id, None)
        self._raw_out.discard(message_id)
        if pending is None:
            pending = self._finished_out.get(message_id) or PendingCall(
                message_id, "?", {}, now, now
            )
        self._remember(self._finished_out, message_id, pending)
        return CallTimedOut(pending, now)

    def connection_lost(self, now: float) -> list[CallTimedOut]:
        """The connection closed: no outstanding CALL can be answered any more."""
        expired = list(self._pending_out.values())
        self._pending_out.clear()
        self._pending_in.clear()
        self._raw_out.clear()
        return [CallTimedOut(p, now) for p in expired]

    # ----------------------------------------------------------------- helpers
    def deviate(
        self, level: Level, ref: str, message: str, now: float, text: str | None = None
    ) -> None:
        """Record that the peer broke requirement `ref` (also used by transport and roles)."""
        self.deviations.append(Deviation(level, ref, message, now, text))

    @staticmethod
    def _remember(memory: OrderedDict[str, Any], key: str, value: Any) -> None:
        memory[key] = value
        if len(memory) > _MEMORY:
            memory.popitem(last=False)


def _schema_ref(version: OcppVersion, action: str, kind: PayloadKind) -> str:
    return f"OCPP {version.value} schema {schema_name(version, action, kind)}"
