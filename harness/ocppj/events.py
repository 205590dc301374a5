"""Events a session produces from received text, and the record of our own pending CALLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.ocppj.frames import Call, CallError, CallResult, CallResultError, FrameProblem, Send
from harness.ocppj.schemas import SchemaViolation


@dataclass(slots=True)
class PendingCall:
    """A CALL the local side sent and has not seen answered yet."""

    message_id: str
    action: str
    payload: dict[str, Any]
    sent_at: float
    deadline: float


@dataclass(frozen=True, slots=True)
class CallReceived:
    """The peer sent a CALL. `error_code` is set when it must be answered with a CALLERROR.

    `reason` says why when the CALL breaks a framework rule rather than its schema.
    """

    call: Call
    at: float
    violations: tuple[SchemaViolation, ...] = ()
    error_code: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SendReceived:
    """The peer sent an unconfirmed SEND (2.1); it is never answered."""

    send: Send
    at: float
    violations: tuple[SchemaViolation, ...] = ()


@dataclass(frozen=True, slots=True)
class ResultReceived:
    """The peer answered our CALL with a CALLRESULT."""

    request: PendingCall
    result: CallResult
    at: float
    violations: tuple[SchemaViolation, ...] = ()


@dataclass(frozen=True, slots=True)
class ErrorReceived:
    """The peer answered our CALL with a CALLERROR."""

    request: PendingCall
    error: CallError
    at: float


@dataclass(frozen=True, slots=True)
class ResultErrorReceived:
    """The peer could not process one of our CALLRESULTs (2.1 CALLRESULTERROR)."""

    error: CallResultError
    at: float


@dataclass(frozen=True, slots=True)
class CallTimedOut:
    """Our CALL got no answer before its deadline."""

    request: PendingCall
    at: float


@dataclass(frozen=True, slots=True)
class FrameRejected:
    """The peer sent text that is not a valid frame.

    When `reply_id` is set, OCPP-J requires a CALLERROR with that id and `error_code`.
    """

    text: str
    problem: FrameProblem
    at: float
    reply_id: str | None
    error_code: str | None


Event = (
    CallReceived
    | SendReceived
    | ResultReceived
    | ErrorReceived
    | ResultErrorReceived
    | CallTimedOut
    | FrameRejected
)
