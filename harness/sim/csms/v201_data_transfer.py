"""DataTransfer and customData fault switches of the reference 2.0.1 CSMS (block P).

`p201-data-transfer-accepted` claims to know every vendor extension (P02.FR.06/07);
`p201-custom-data-rejected` refuses requests carrying customData, which every 2.0.1 message
may carry (TC_P_03_CSMS).
"""

from __future__ import annotations

from typing import Any

from harness.sim.csms.callerror import CallErrorReply
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]


def has_custom_data(value: object, depth: int = 0) -> bool:
    """True when a `customData` key occurs anywhere in `value` (nesting bounded at 32)."""
    if depth > 32:
        return False
    if isinstance(value, dict):
        return "customData" in value or any(has_custom_data(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(has_custom_data(v, depth + 1) for v in value)
    return False


def screen(ctx: CsmsContext, _record: StationRecord, action: str, payload: Payload) -> None:
    """Fault `p201-custom-data-rejected`: FormatViolation for any customData."""
    if ctx.fault("p201-custom-data-rejected") and has_custom_data(payload):
        raise CallErrorReply("FormatViolation", f"{action} has an unexpected property customData")


def adjust(
    ctx: CsmsContext, _record: StationRecord, action: str, _payload: Payload, answer: Payload
) -> Payload:
    """Fault `p201-data-transfer-accepted`: every DataTransfer answered Accepted."""
    if action == "DataTransfer" and ctx.fault("p201-data-transfer-accepted"):
        return {"status": "Accepted"}
    return answer
