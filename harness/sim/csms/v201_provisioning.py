"""What the reference 2.0.1 CSMS keeps and decides for provisioning: boot, device model, reports.

B02/B03 boot with Pending or Rejected first (TC_B_02/30/31_CSMS), B05/B06 the station's
variables learned from Get/SetVariables answers, B06.FR.05 the ItemsPerMessage limit a
GetVariablesRequest must respect (TC_B_08_CSMS), B07/B08 the NotifyReport data per requestId.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.sim.csms.context import CsmsContext
from harness.sim.csms.handlers_common import boot_notification as common_boot
from harness.sim.csms.state import BootAnswer, StationRecord

Payload = dict[str, Any]

#: Device model key of the limit on GetVariablesRequest items (Part 2 Appendix, DeviceDataCtrlr).
ITEMS_PER_GET_VARIABLES = "DeviceDataCtrlr/ItemsPerMessage[GetVariables]"


def boot_notification(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer BootNotification as the common handler does, with the 2.0.1 boot faults.

    `b201-pending-ignored` drops an armed Pending/Rejected answer (the station is Accepted at
    once); `b201-pending-sticky` answers Pending again after every Pending (B02.FR.01 broken:
    the station is never accepted).
    """
    if ctx.fault("b201-pending-ignored"):
        record.boot_plan.clear()
    answer = common_boot(ctx, record, payload)
    if answer["status"] == "Pending" and ctx.fault("b201-pending-sticky"):
        record.boot_plan.appendleft(BootAnswer("Pending", int(answer["interval"])))
    return answer


def notify_report(_ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Keep the reportData of NotifyReportRequest under its requestId (B07.FR.04, B08)."""
    request_id = int(payload["requestId"])
    record.reports.setdefault(request_id, []).extend(payload.get("reportData", []))
    return {}


def variable_key(component: Payload, variable: Payload) -> str:
    """`Component[instance]@evse/Variable[instance]`, the device model key of a variable."""
    name = str(component.get("name"))
    if component.get("instance"):
        name += f"[{component['instance']}]"
    evse = component.get("evse")
    if isinstance(evse, dict):
        name += f"@{evse.get('id')}" + (f".{evse['connectorId']}" if "connectorId" in evse else "")
    key = f"{name}/{variable.get('name')}"
    if variable.get("instance"):
        key += f"[{variable['instance']}]"
    return key


def learn(record: StationRecord, action: str, request: Payload, answer: Payload | None) -> None:
    """Remember the values a station reported or accepted (B05.FR.01, B06.FR.01)."""
    if answer is None:
        return
    if action == "GetVariables":
        for result in answer.get("getVariableResult", []):
            if result.get("attributeStatus") == "Accepted" and "attributeValue" in result:
                key = variable_key(result["component"], result["variable"])
                record.device_model[key] = str(result["attributeValue"])
    elif action == "SetVariables":
        data_items = request.get("setVariableData", [])
        pairs = zip(data_items, answer.get("setVariableResult", []), strict=False)
        for data, result in pairs:
            if result.get("attributeStatus") in ("Accepted", "RebootRequired"):
                key = variable_key(data["component"], data["variable"])
                record.device_model[key] = str(data["attributeValue"])


def get_variables_limit(record: StationRecord) -> int | None:
    """The ItemsPerMessage limit of GetVariables the station reported, if any (B06.FR.05)."""
    value = record.device_model.get(ITEMS_PER_GET_VARIABLES)
    if value is None or not value.isdigit() or int(value) < 1:
        return None
    return int(value)


def chunks(items: list[Payload], size: int | None) -> Iterator[list[Payload]]:
    """`items` in slices of at most `size` (all at once when there is no limit)."""
    if size is None or len(items) <= size:
        yield items
        return
    for start in range(0, len(items), size):
        yield items[start : start + size]


def answer_from_store(record: StationRecord, payload: Payload) -> Payload:
    """A GetVariablesResponse from the CSMS's memory (fault b201-variables-from-cache)."""
    results = []
    for item in payload.get("getVariableData", []):
        key = variable_key(item["component"], item["variable"])
        value = record.device_model.get(key)
        result: Payload = {
            "attributeStatus": "Accepted" if value is not None else "UnknownVariable",
            "component": item["component"],
            "variable": item["variable"],
        }
        if value is not None:
            result["attributeValue"] = value
        results.append(result)
    return {"getVariableResult": results}


def next_request_id(record: StationRecord) -> int:
    """Reserve and return a requestId not used before with this station (B07, B08)."""
    request_id = max(record.reports, default=0) + 1
    record.reports[request_id] = []
    return request_id
