"""What the trigger API makes the CSMS do: send a CALL to a station, or change a setting.

Kept apart from the HTTP layer so the rules (which actions a CSMS may send, what a pending
station may be sent, what an accepted password change means) are plain functions.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from harness.ocppj.events import CallTimedOut, ErrorReceived
from harness.ocppj.schemas import actions
from harness.ocppj.session import OutgoingViolation
from harness.ocppj.versions import OcppVersion
from harness.sim.csms import (
    handlers_v16,
    handlers_v201,
    v16_core_commands,
    v16_outgoing,
    v201_remote_control,
)
from harness.sim.csms.config import BOOT_STATUSES
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.link import handlers_for
from harness.sim.csms.state import BootAnswer, StationRecord

Payload = dict[str, Any]

#: 1.6 §4.2: not allowed while the charge point is Pending.
_NOT_WHILE_PENDING_16 = frozenset({"RemoteStartTransaction", "RemoteStopTransaction"})


class CommandError(Exception):
    """A trigger request that cannot be carried out; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def kebab(action: str) -> str:
    """`RemoteStartTransaction` -> `remote-start-transaction`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", action).lower()


@cache
def csms_actions(version: OcppVersion) -> dict[str, str]:
    """Actions a CSMS may send in `version`, by kebab-case and by their own name."""
    station_sent = set(handlers_for(version)) - {"DataTransfer"}
    names = sorted(actions(version) - station_sent)
    return {**{kebab(name): name for name in names}, **{name: name for name in names}}


def resolve_action(version: OcppVersion, name: str) -> str:
    """The OCPP action a trigger route names; CommandError 400 when the CSMS cannot send it."""
    action = csms_actions(version).get(name)
    if action is None:
        raise CommandError(400, f"OCPP {version.value} has no CSMS-initiated action {name!r}")
    return action


def set_pending_boot(ctx: CsmsContext, station_id: str, body: Payload) -> Payload:
    """Arm the station's next boot(s) to be answered Pending (or `status`), then Accepted.

    Body (all optional): `status` Pending|Rejected, `interval` seconds, `count` boots.
    TC_B_02/30/31_CSMS prerequisite "configured to first respond ... Pending".
    """
    status = body.get("status", "Pending")
    count = body.get("count", 1)
    interval = body.get("interval")
    if status not in BOOT_STATUSES or not isinstance(count, int) or count < 0:
        raise CommandError(400, f"status must be one of {BOOT_STATUSES}, count an integer >= 0")
    if interval is not None and (not isinstance(interval, int) or interval < 0):
        raise CommandError(400, "interval must be an integer >= 0")
    if not ctx.registry.is_known(station_id):
        raise CommandError(404, f"unknown station {station_id!r}")
    record = ctx.registry.get(station_id)
    record.boot_plan.clear()
    record.boot_plan.extend(BootAnswer(status, interval) for _ in range(count))
    return {"status": "ok", "armed": [answer.status for answer in record.boot_plan]}


def password_change(version: OcppVersion, password: str) -> tuple[str, Payload]:
    """The CALL that sets a station's Basic auth password.

    2.0.1 A01: SetVariables SecurityCtrlr.BasicAuthPassword (TC_A_09/10_CSMS); 1.6 security
    whitepaper §2.3: ChangeConfiguration AuthorizationKey.
    """
    if version is OcppVersion.V16:
        return "ChangeConfiguration", {"key": "AuthorizationKey", "value": password}
    item = {
        "component": {"name": "SecurityCtrlr"},
        "variable": {"name": "BasicAuthPassword"},
        "attributeValue": password,
    }
    return "SetVariables", {"setVariableData": [item]}


def _before(ctx: CsmsContext, record: StationRecord, action: str, payload: Payload) -> None:
    """Refuse what a pending station must not be sent; permit what a trigger will make it send.

    Permissions are granted before sending because the triggered message may arrive right
    behind the station's answer (2.0.1 B02.FR.09 exceptions; 1.6 §4.2 TriggerMessage).
    """
    status = record.boot_status
    if ctx.version is OcppVersion.V16 and status == "Pending" and action in _NOT_WHILE_PENDING_16:
        raise CommandError(409, f"{action} is not allowed while the station is Pending (§4.2)")
    if status in (None, "Accepted"):
        return
    triggered = (
        handlers_v16.TRIGGERED if ctx.version is OcppVersion.V16 else handlers_v201.TRIGGERED
    )
    if action in ("TriggerMessage", "ExtendedTriggerMessage"):
        allowed = triggered.get(str(payload.get("requestedMessage")))
        if allowed is not None:
            record.permitted.add(allowed)
    elif action in ("GetBaseReport", "GetReport"):
        record.permitted.add("NotifyReport")


def _after(
    ctx: CsmsContext, record: StationRecord, action: str, payload: Payload, answer: Payload
) -> None:
    """Adopt a Basic auth password the station accepted (2.0.1 A01, 1.6 whitepaper §2.3)."""
    if (
        action == "ChangeConfiguration"
        and payload.get("key") == "AuthorizationKey"
        and answer.get("status") == "Accepted"
    ):
        record.password = str(payload.get("value"))
    if action != "SetVariables":
        return
    for data, result in zip(
        payload.get("setVariableData", []), answer.get("setVariableResult", []), strict=False
    ):
        if (
            data.get("component", {}).get("name") == "SecurityCtrlr"
            and data.get("variable", {}).get("name") == "BasicAuthPassword"
            and result.get("attributeStatus") in ("Accepted", "RebootRequired")
        ):
            record.password = str(data.get("attributeValue"))


async def send(ctx: CsmsContext, station_id: str, action: str, payload: Payload) -> Payload:
    """Send `action` to the connected station; return the trigger API's answer body.

    `{"status": "sent", "response": <CALLRESULT payload> | null, "error": {"code",
    "description"} | null}`; the wait is bounded by the CSMS's call timeout.
    """
    link = ctx.link(station_id)
    if link is None:
        raise CommandError(404, f"station {station_id!r} is not connected")
    _before(ctx, link.record, action, payload)
    payload = v201_remote_control.prepare(ctx, link.record, action, payload)
    payload = v16_outgoing.prepare(ctx, action, payload)
    if ctx.version is OcppVersion.V16:
        prepared = await v16_core_commands.prepare(ctx, link, action, payload)
        if prepared is None:  # fault core16-clear-cache-not-sent: reported sent, never sent
            return _body({"status": "Accepted"}, None, None)
        payload = prepared
    timeout = ctx.config.call_timeout
    try:
        answer = await link.call(action, payload, timeout)
    except OutgoingViolation as exc:
        raise CommandError(400, str(exc)) from exc
    except TimeoutError:
        return _body(
            None, "Busy", f"an earlier CALL to {station_id} kept the line for {timeout:g} s"
        )
    if isinstance(answer, CallTimedOut):
        if link.closed:
            return _body(None, "ConnectionClosed", "the station closed the connection")
        return _body(None, "Timeout", f"no answer to {action} within {timeout:g} s")
    if isinstance(answer, ErrorReceived):
        return _body(None, answer.error.code, answer.error.description)
    result = answer.result.payload
    _after(ctx, link.record, action, payload, result)
    await v16_outgoing.settle(ctx, link, action, payload, result)
    await v201_remote_control.settle(ctx, link, action, payload, result)
    body = _body(result, None, None)
    if ctx.version is OcppVersion.V16:
        body.update(await v16_core_commands.settle(ctx, link, action, payload, result))
    if answer.violations:
        body["violations"] = [str(v) for v in answer.violations]
    return body


def _body(response: Payload | None, code: str | None, description: str | None) -> Payload:
    error = None if code is None else {"code": code, "description": description or ""}
    return {"status": "sent", "response": response, "error": error}
