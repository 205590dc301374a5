"""How the 1.6 reference CSMS decides the authorization status of an idTag (1.6 §4.1, §4.8).

The token table decides; Authorize.req and StartTransaction.req are judged alike, because the
Central System MUST verify the idTag of a StartTransaction.req again (§4.8): it may have been
authorized locally (cache, offline) without any Authorize.req.
"""

from __future__ import annotations

from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord


def _status(ctx: CsmsContext, id_tag: object) -> str:
    status = ctx.tokens.status(id_tag if isinstance(id_tag, str) else None)
    if ctx.fault("core16-non-accepted-as-accepted"):
        return "Accepted"
    return status


def authorize_status(ctx: CsmsContext, record: StationRecord, id_tag: object) -> str:
    """Status of Authorize.req: the token table's (1.6 §4.1); an Accepted idTag is remembered.

    Fault `core16-cable-first-only` answers Invalid while no connector is Preparing (a CSMS
    that only knows the plug-in-first session); `core16-non-accepted-as-accepted` answers
    Accepted for every idTag.
    """
    if ctx.fault("core16-cable-first-only") and "Preparing" not in record.connectors.values():
        return "Invalid"
    status = _status(ctx, id_tag)
    if status == "Accepted" and isinstance(id_tag, str):
        record.authorized_tags.add(id_tag)
    return status


def start_status(ctx: CsmsContext, record: StationRecord, id_tag: object) -> str:
    """Status of StartTransaction.req: the idTag verified again (1.6 §4.8).

    No preceding Authorize.req is needed (cached, offline and remote starts have none); fault
    `core16-cable-first-only` answers Invalid for an idTag no Authorize.req accepted first.
    """
    if ctx.fault("core16-cable-first-only") and id_tag not in record.authorized_tags:
        return "Invalid"
    return _status(ctx, id_tag)
