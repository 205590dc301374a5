"""Before and after a CSMS-initiated 1.6 CALL: what the reference CSMS sends and adopts.

`prepare` gives the payload actually sent (fault switches of the advanced areas distort a
copy); `settle` acts on the station's answer: adopt a raised security profile (whitepaper
A05), or, under a fault, hang up on a refusal the CSMS should simply have noted.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from harness.ocppj.versions import OcppVersion
from harness.sim.csms import (
    security_profiles,
    v16_reservation,
    v16_security,
    v16_smart_charging,
    v16_trigger,
)
from harness.sim.csms.context import CsmsContext

if TYPE_CHECKING:
    from harness.sim.csms.link import StationLink

Payload = dict[str, Any]


def prepare(ctx: CsmsContext, action: str, payload: Payload) -> Payload:
    """The payload the CSMS sends for `action`; the caller's payload is left untouched."""
    if ctx.version is not OcppVersion.V16 or not ctx.faults:
        return payload
    sent = copy.deepcopy(payload)
    for distort in (v16_reservation.distort, v16_smart_charging.distort, v16_security.distort):
        sent = distort(ctx, action, sent)
    return sent


async def settle(
    ctx: CsmsContext, link: StationLink, action: str, payload: Payload, answer: Payload
) -> None:
    """Act on the station's CALLRESULT to `action`."""
    security_profiles.adopt(ctx, link.record, action, payload, answer)
    if ctx.version is not OcppVersion.V16:
        return
    if v16_reservation.drops_after_refusal(ctx, action, answer) or v16_trigger.drops_after_refusal(
        ctx, action, answer
    ):
        ctx.wirelog.record(
            "action",
            f"fault: closing the connection after {action} status {answer.get('status')}",
            connection=link.connection.label,
        )
        await link.close(1011, f"cannot handle {action} status {answer.get('status')}")
