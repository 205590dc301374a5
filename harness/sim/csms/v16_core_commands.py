"""1.6 Core, Local List and Firmware commands of the reference CSMS: shape, send, follow up.

`prepare` gives the CALL actually sent for an operator's trigger request (the Local
Authorization List update is completed by `v16_local_list`; fault switches distort a copy);
`settle` acts on the station's answer. Runs after `v16_outgoing`, which covers the advanced
areas (reservation, smart charging, security, remote trigger).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from harness.sim.csms import v16_local_list
from harness.sim.csms.context import CsmsContext

if TYPE_CHECKING:
    from harness.sim.csms.link import StationLink

Payload = dict[str, Any]

#: Commands whose connectorId fault `core16-connector-off-by-one` counts from 0.
CONNECTOR_COMMANDS: Final = frozenset({"RemoteStartTransaction", "UnlockConnector"})
#: Answers a command may get that are not a failure (fault `core16-rejection-drops-link`).
SUCCESS: Final = frozenset({"Accepted", "Unlocked"})
#: Commands whose refusal fault `core16-rejection-drops-link` hangs up on.
REFUSABLE: Final = frozenset({"RemoteStartTransaction", "RemoteStopTransaction", "UnlockConnector"})
#: Key fault `core16-config-default-key` puts in place of the requested one.
DEFAULT_KEY: Final = "HeartbeatInterval"
#: GetLocalListVersion.conf versions and SendLocalList.conf statuses fault
#: `list16-special-answer-drops-link` takes for protocol errors.
SPECIAL_LIST_ANSWERS: Final = frozenset({-1, 0, "NotSupported", "Failed", "VersionMismatch"})


async def prepare(
    ctx: CsmsContext, link: StationLink, action: str, payload: Payload
) -> Payload | None:
    """The payload to send for `action`; None when (fault) the CSMS silently sends nothing."""
    if action == "SendLocalList":
        return await v16_local_list.complete(ctx, link, payload)
    if ctx.fault("core16-clear-cache-not-sent") and action == "ClearCache":
        ctx.wirelog.record("action", "fault: ClearCache reported sent, never sent")
        return None
    sent = dict(payload)
    connector = sent.get("connectorId")
    if (
        ctx.fault("core16-connector-off-by-one")
        and action in CONNECTOR_COMMANDS
        and isinstance(connector, int)
    ):
        sent["connectorId"] = connector - 1
    if ctx.fault("core16-reset-type-swapped") and action == "Reset":
        sent["type"] = "Soft" if sent.get("type") == "Hard" else "Hard"
    if ctx.fault("core16-config-default-key"):
        if action == "GetConfiguration":
            sent["key"] = [DEFAULT_KEY]
        elif action == "ChangeConfiguration":
            sent["key"] = DEFAULT_KEY
    return sent


async def settle(
    ctx: CsmsContext, link: StationLink, action: str, payload: Payload, answer: Payload
) -> Payload:
    """Act on the station's CALLRESULT; returns fields the trigger API adds to its answer."""
    extra: Payload = {}
    if action == "SendLocalList":
        extra = await v16_local_list.settle(ctx, link, payload, answer)
    refused = (
        ctx.fault("core16-rejection-drops-link")
        and action in REFUSABLE
        and answer.get("status") not in SUCCESS
    )
    special = ctx.fault("list16-special-answer-drops-link") and (
        (action == "GetLocalListVersion" and answer.get("listVersion") in SPECIAL_LIST_ANSWERS)
        or (action == "SendLocalList" and answer.get("status") in SPECIAL_LIST_ANSWERS)
    )
    if refused or special:
        ctx.wirelog.record(
            "action",
            f"fault: closing the connection after the {action} answer {answer}",
            connection=link.connection.label,
        )
        await link.close(1011, f"cannot handle the {action} answer")
    return extra
