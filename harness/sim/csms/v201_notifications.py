"""Notification fault switches of the reference 2.0.1 CSMS (blocks F, G and J).

Each imitates a CSMS that refuses a valid notification: a status Idle that only comes when
triggered (F06, TC_F_15/18_CSMS), or an event about a component it does not model
(G05.FR.03 ConnectorPlugRetentionLock, J01 FiscalMetering).
"""

from __future__ import annotations

from typing import Any, Final

from harness.sim.csms.callerror import CallErrorReply
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]

#: Components the `g201-notify-event-unknown-component` CSMS models; others crash it.
MODELLED: Final = frozenset({"ChargingStation", "EVSE", "Connector"})


def screen(ctx: CsmsContext, _record: StationRecord, action: str, payload: Payload) -> None:
    """Raise CallErrorReply where a faulty CSMS would refuse this notification."""
    idle = payload.get("status") == "Idle" and action in (
        "LogStatusNotification",
        "FirmwareStatusNotification",
    )
    if idle and ctx.fault("f201-idle-status-error"):
        raise CallErrorReply(
            "PropertyConstraintViolation",
            f"{action} status Idle, but no upload or update was requested",
        )
    if action == "NotifyEvent" and ctx.fault("g201-notify-event-unknown-component"):
        for event in payload.get("eventData", []):
            name = event.get("component", {}).get("name") if isinstance(event, dict) else None
            if name not in MODELLED:
                raise CallErrorReply("InternalError", f"no handling for component {name}")
