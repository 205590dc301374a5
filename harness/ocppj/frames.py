"""OCPP-J frames: parse text into typed frames and serialize them back.

Parsing never raises: text that is not a well-formed frame becomes a `FrameProblem` that says
what was wrong and which CallError class answers it (OCPP-J 1.6 §4, 2.0.1 Part 4 §4, 2.1 Part 4 §4).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any, Final

from harness.ocppj.versions import OcppVersion

MAX_MESSAGE_ID_LENGTH: Final = 36
_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


class MessageType(enum.IntEnum):
    """Message Type Numbers (1.6 §4.1.3 Table 2; 2.1 Part 4 §4.1.3 adds 5 and 6)."""

    CALL = 2
    CALLRESULT = 3
    CALLERROR = 4
    CALLRESULTERROR = 5
    SEND = 6


_TYPES_BASE: Final = frozenset({2, 3, 4})
_TYPES_21: Final = frozenset({2, 3, 4, 5, 6})


def message_types(version: OcppVersion) -> frozenset[int]:
    """Message type numbers the version defines."""
    return _TYPES_21 if version is OcppVersion.V21 else _TYPES_BASE


@dataclass(frozen=True, slots=True)
class Call:
    """`[2, id, action, payload]`."""

    message_id: str
    action: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CallResult:
    """`[3, id, payload]`."""

    message_id: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CallError:
    """`[4, id, code, description, details]`."""

    message_id: str
    code: str
    description: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CallResultError:
    """`[5, id, code, description, details]` (2.1): the receiver could not process a CALLRESULT."""

    message_id: str
    code: str
    description: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Send:
    """`[6, id, action, payload]` (2.1): an unconfirmed message."""

    message_id: str
    action: str
    payload: dict[str, Any]


Frame = Call | CallResult | CallError | CallResultError | Send


@dataclass(frozen=True, slots=True)
class FrameProblem:
    """Text that is not a well-formed frame.

    `failure_class` is a key of `errorcodes.CLASS_CODE` ("framing", "format",
    "unknown-message-type"); `message_id` is the id when it could be read; `message_type` is
    the type number when it could be read (a CALLERROR answer is owed only to a CALL).
    """

    reason: str
    failure_class: str
    message_id: str | None = None
    message_type: int | None = None
    action: str | None = None


_ARITY: Final = {
    MessageType.CALL: 4,
    MessageType.CALLRESULT: 3,
    MessageType.CALLERROR: 5,
    MessageType.CALLRESULTERROR: 5,
    MessageType.SEND: 4,
}


def parse_frame(text: str, version: OcppVersion) -> Frame | FrameProblem:
    """Parse one websocket text message; never raises."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return FrameProblem(f"not valid JSON: {exc}", "framing")
    if not isinstance(data, list):
        return FrameProblem(f"not a JSON array but {type(data).__name__}", "framing")
    if not data or type(data[0]) is not int:
        return FrameProblem("first element is not an integer MessageTypeId", "framing")
    type_number = data[0]
    message_id = data[1] if len(data) > 1 and isinstance(data[1], str) else None
    if type_number not in message_types(version):
        return FrameProblem(
            f"MessageTypeId {type_number} is not defined in OCPP {version.value}",
            "unknown-message-type",
            message_id,
            type_number,
        )
    kind = MessageType(type_number)
    if message_id is None:
        return FrameProblem("MessageId is missing or not a string", "framing", None, type_number)
    if len(data) != _ARITY[kind]:
        return FrameProblem(
            f"{kind.name} has {len(data)} elements, expected {_ARITY[kind]}",
            "framing",
            message_id,
            type_number,
        )
    if kind in (MessageType.CALL, MessageType.SEND):
        return _parse_call_like(kind, message_id, data[2], data[3])
    if kind is MessageType.CALLRESULT:
        if not isinstance(data[2], dict):
            return FrameProblem(
                "CALLRESULT payload is not a JSON object", "format", message_id, type_number
            )
        return CallResult(message_id, data[2])
    return _parse_error_like(kind, message_id, data[2], data[3], data[4])


def _parse_call_like(
    kind: MessageType, message_id: str, action: object, payload: object
) -> Frame | FrameProblem:
    if not isinstance(action, str):
        return FrameProblem("Action is not a string", "framing", message_id, int(kind))
    if not isinstance(payload, dict):
        return FrameProblem(
            f"{kind.name} payload is not a JSON object", "format", message_id, int(kind), action
        )
    if kind is MessageType.SEND:
        return Send(message_id, action, payload)
    return Call(message_id, action, payload)


def _parse_error_like(
    kind: MessageType, message_id: str, code: object, description: object, details: object
) -> Frame | FrameProblem:
    if not isinstance(code, str) or not isinstance(description, str):
        return FrameProblem(
            f"{kind.name} errorCode or errorDescription is not a string",
            "framing",
            message_id,
            int(kind),
        )
    if not isinstance(details, dict):
        return FrameProblem(
            f"{kind.name} errorDetails is not a JSON object", "framing", message_id, int(kind)
        )
    if kind is MessageType.CALLERROR:
        return CallError(message_id, code, description, details)
    return CallResultError(message_id, code, description, details)


def to_array(frame: Frame) -> list[Any]:
    """The JSON array of a frame."""
    if isinstance(frame, Call):
        return [int(MessageType.CALL), frame.message_id, frame.action, frame.payload]
    if isinstance(frame, Send):
        return [int(MessageType.SEND), frame.message_id, frame.action, frame.payload]
    if isinstance(frame, CallResult):
        return [int(MessageType.CALLRESULT), frame.message_id, frame.payload]
    kind = MessageType.CALLERROR if isinstance(frame, CallError) else MessageType.CALLRESULTERROR
    return [int(kind), frame.message_id, frame.code, frame.description, frame.details]


def serialize(frame: Frame) -> str:
    """Compact JSON text of a frame, UTF-8 safe (OCPP-J §4.1.2)."""
    return _ENCODER.encode(to_array(frame))
