"""How the reference 2.0.1 CSMS turns an operator request into the CALLs it sends.

The trigger API hands the OCPP payload of a command; before `commands.send` puts it on the
wire the CSMS fills in what it owns (report requestIds, B07/B08; its own URL in a network
profile, B09/A05), splits a GetVariablesRequest to the station's ItemsPerMessage limit
(B06.FR.05), and afterwards remembers what the station reported. The 2.0.1 A/B/C command
faults act here (harness/sim/faults_csms_v201_abc.py).
"""

from __future__ import annotations

import copy
from typing import Any, Final

from harness.sim.csms import commands, v201_provisioning, v201_security_profile
from harness.sim.csms.commands import CommandError
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]

#: Faults with which the CSMS takes the command but never sends it (feature missing).
NOT_SENT: Final = {
    "SetNetworkProfile": "b201-network-profile-not-sent",
    "ClearCache": "c201-clear-cache-not-sent",
}
_SWAPPED_RESET: Final = {"OnIdle": "Immediate", "Immediate": "OnIdle"}


async def send(ctx: CsmsContext, station_id: str, action: str, payload: Payload) -> Payload:
    """Send the command `action` to the station; return the trigger API's answer body."""
    link = ctx.link(station_id)
    if link is None:
        raise CommandError(404, f"station {station_id!r} is not connected")
    record = link.record
    fault = NOT_SENT.get(action)
    if fault is not None and ctx.fault(fault):
        ctx.wirelog.record("note", f"fault {fault}: {action} taken but never sent")
        return {"status": "queued", "response": None, "error": None}
    if action == "GetVariables" and ctx.fault("b201-variables-from-cache"):
        answer = v201_provisioning.answer_from_store(record, payload)
        return {"status": "sent", "response": answer, "error": None}
    payload = shape(ctx, record, action, copy.deepcopy(payload))
    if action == "GetVariables":
        return await _get_variables(ctx, station_id, record, payload)
    password = record.password
    body = await commands.send(ctx, station_id, action, payload)
    _password_faults(ctx, record, action, payload, body.get("response"), password)
    v201_provisioning.learn(record, action, payload, body.get("response"))
    v201_security_profile.adopt(ctx, record, action, payload, body.get("response"))
    return body


def shape(ctx: CsmsContext, record: StationRecord, action: str, payload: Payload) -> Payload:
    """Fill in what the CSMS owns in `payload` (changed in place and returned)."""
    if action in ("GetBaseReport", "GetReport") and "requestId" not in payload:
        payload["requestId"] = v201_provisioning.next_request_id(record)
        if ctx.fault("b201-report-request-id-negative"):
            payload["requestId"] = -1
    if action == "GetReport" and ctx.fault("b201-report-criteria-dropped"):
        payload.pop("componentCriteria", None)
    if action == "Reset":
        if ctx.fault("b201-reset-type-swapped"):
            payload["type"] = _SWAPPED_RESET.get(payload.get("type", ""), payload.get("type"))
        if ctx.fault("b201-reset-scope-wrong") and payload.pop("evseId", None) is None:
            payload["evseId"] = 1
    if action == "SetVariables" and ctx.fault("b201-set-attribute-target"):
        for item in payload.get("setVariableData", []):
            item["attributeType"] = "Target"
    if action == "SetNetworkProfile":
        _network_profile(ctx, record, payload)
    return payload


def _network_profile(ctx: CsmsContext, record: StationRecord, payload: Payload) -> None:
    """Give the profile this CSMS's URL for its security profile when the request has none.

    B09 / A05: ocppCsmsUrl is the CSMS endpoint without the station identity. Fault
    `b201-network-url-with-identity` appends the identity.
    """
    data = payload.get("connectionData")
    if not isinstance(data, dict):
        return
    if "ocppCsmsUrl" not in data:
        url = ctx.endpoints.get(int(data.get("securityProfile", -1)))
        if url is None:
            known = sorted(ctx.endpoints)
            raise CommandError(
                409,
                f"this CSMS has no endpoint for security profile {data.get('securityProfile')}"
                f" (it has {known}); give connectionData.ocppCsmsUrl",
            )
        data["ocppCsmsUrl"] = url
    if ctx.fault("b201-network-url-with-identity"):
        data["ocppCsmsUrl"] = str(data["ocppCsmsUrl"]).rstrip("/") + "/" + record.station_id


async def _get_variables(
    ctx: CsmsContext, station_id: str, record: StationRecord, payload: Payload
) -> Payload:
    """Send GetVariablesRequests of at most ItemsPerMessage items each; join the results.

    B06.FR.05 (TC_B_08_CSMS). Fault `b201-items-per-message-ignored` sends one request.
    """
    limit = v201_provisioning.get_variables_limit(record)
    if ctx.fault("b201-items-per-message-ignored"):
        limit = None
    results: list[Payload] = []
    requests = 0
    for part in v201_provisioning.chunks(payload["getVariableData"], limit):
        piece = {**payload, "getVariableData": part}
        body = await commands.send(ctx, station_id, "GetVariables", piece)
        requests += 1
        answer = body.get("response")
        if answer is None:
            return body
        v201_provisioning.learn(record, "GetVariables", piece, answer)
        results.extend(answer.get("getVariableResult", []))
    return {
        "status": "sent",
        "response": {"getVariableResult": results},
        "error": None,
        "requests": requests,
    }


def _password_faults(
    ctx: CsmsContext,
    record: StationRecord,
    action: str,
    payload: Payload,
    answer: Payload | None,
    before: str | None,
) -> None:
    """Apply the A01 password faults after `commands.send` adopted (or not) a new password.

    `a201-keeps-old-password` keeps the old one although the station accepted the new one
    (A01.FR.03 broken); `a201-adopts-rejected-password` adopts the new one although the
    station rejected it (A01.FR.05 broken).
    """
    if action != "SetVariables" or answer is None:
        return
    data_items = payload.get("setVariableData", [])
    items = zip(data_items, answer.get("setVariableResult", []), strict=False)
    for data, result in items:
        if (
            data.get("component", {}).get("name") != "SecurityCtrlr"
            or data.get("variable", {}).get("name") != "BasicAuthPassword"
        ):
            continue
        accepted = result.get("attributeStatus") in ("Accepted", "RebootRequired")
        if accepted and ctx.fault("a201-keeps-old-password"):
            record.password = before
        if not accepted and ctx.fault("a201-adopts-rejected-password"):
            record.password = str(data.get("attributeValue"))
