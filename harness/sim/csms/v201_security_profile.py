"""How the reference 2.0.1 CSMS follows a station raised to a higher security profile (A05).

The CSMS sets a network connection profile with a higher securityProfile (SetNetworkProfile,
B09) and makes its slot the first in OCPPCommCtrlr.NetworkConfigurationPriority. Once the
station accepted both, the CSMS expects the higher profile from it and refuses the lower one
(A05.FR.04/07, TC_A_19_CSMS; see `server.WebsocketServer._below`).
"""

from __future__ import annotations

from typing import Any

from harness.sim.csms import security_profiles
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]


def first_slot(priority: str) -> int | None:
    """The first configuration slot of a NetworkConfigurationPriority value ("2,1" -> 2)."""
    head = priority.split(",", 1)[0].strip()
    return int(head) if head.isdigit() else None


def adopt(
    ctx: CsmsContext, record: StationRecord, action: str, payload: Payload, answer: Payload | None
) -> None:
    """Remember accepted network profiles; raise the expected profile when one comes first."""
    if answer is None:
        return
    if action == "SetNetworkProfile" and answer.get("status") == "Accepted":
        data = payload.get("connectionData", {})
        record.network_profiles[int(payload["configurationSlot"])] = int(
            data.get("securityProfile", 0)
        )
        return
    if action != "SetVariables":
        return
    items = zip(
        payload.get("setVariableData", []), answer.get("setVariableResult", []), strict=False
    )
    for data, result in items:
        if (
            data.get("component", {}).get("name") != "OCPPCommCtrlr"
            or data.get("variable", {}).get("name") != "NetworkConfigurationPriority"
            or result.get("attributeStatus") not in ("Accepted", "RebootRequired")
        ):
            continue
        slot = first_slot(str(data.get("attributeValue", "")))
        wanted = record.network_profiles.get(slot) if slot is not None else None
        current = security_profiles.expected_profile(ctx, record.station_id)
        if wanted is not None and current < wanted <= 3:
            record.security_profile = wanted
            ctx.wirelog.record(
                "action", f"{record.station_id}: security profile {current} -> {wanted} (A05)"
            )
