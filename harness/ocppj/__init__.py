"""Sans-I/O OCPP-J core: frames, schema validation, error codes, message correlation."""

from harness.ocppj.deviations import Deviation, Level
from harness.ocppj.events import PendingCall
from harness.ocppj.frames import Call, CallError, CallResult, CallResultError, Frame, Send
from harness.ocppj.session import OutgoingViolation, Session
from harness.ocppj.versions import OcppVersion

__all__ = [
    "Call",
    "CallError",
    "CallResult",
    "CallResultError",
    "Deviation",
    "Frame",
    "Level",
    "OcppVersion",
    "OutgoingViolation",
    "PendingCall",
    "Send",
    "Session",
]
