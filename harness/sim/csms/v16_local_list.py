"""The Local Authorization List as the 1.6 reference CSMS manages it (1.6 §3.5.2, §5.10, §5.15).

The operator asks for a list update by its entries; what the CSMS owns it fills in: the
`listVersion` (errata 3.52: never 0 or -1; a differential update's version is that of the
list after the update, so above the station's), found as in 1.6 Figure 4 by asking
GetLocalListVersion first, and each entry's `idTagInfo` from the token table (§7.1: required
in a Full update; in a Differential update an entry without it deletes the idTag, which is
what the CSMS sends for an idTag it does not know). A Differential update answered Failed or
VersionMismatch is followed by the full list (§5.15 SHOULD).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from harness.ocppj.events import ResultReceived
from harness.sim.csms.context import CsmsContext

if TYPE_CHECKING:
    from harness.sim.csms.link import StationLink

Payload = dict[str, Any]

#: SendLocalList.conf statuses after which a Differential update is resent in full (§5.15).
RETRY_FULL: Final = frozenset({"Failed", "VersionMismatch"})


def next_version(known: int, reported: int | None, *, stale: bool = False) -> int:
    """The listVersion of the next update: above both what the CSMS set and what was reported.

    `reported` is the station's GetLocalListVersion.conf (None: not asked or no answer; -1: not
    supported, 0: empty). `stale` is fault `list16-version-not-increased`: the reported
    version itself (or the known one) is sent again.
    """
    if stale:
        return reported if reported is not None else known
    return max(known, reported or 0, 0) + 1


def entry(ctx: CsmsContext, item: Payload, update_type: str) -> Payload:
    """One AuthorizationData: idTagInfo from the token table when the operator gave none (§7.1).

    An idTag the token table does not know is listed Invalid in a Full update and deleted
    (no idTagInfo) in a Differential one.
    """
    filled = dict(item)
    if "idTagInfo" in filled:
        return filled
    id_tag = str(filled.get("idTag", ""))
    if id_tag in ctx.tokens.statuses:
        filled["idTagInfo"] = {"status": ctx.tokens.status(id_tag)}
    elif update_type == "Full":
        filled["idTagInfo"] = {"status": "Invalid"}
    return filled


def full_list(ctx: CsmsContext) -> list[Payload]:
    """Every idTag of the token table with its status: the CSMS's full list."""
    return [entry(ctx, {"idTag": tag}, "Full") for tag in sorted(ctx.tokens.statuses)]


async def station_version(ctx: CsmsContext, link: StationLink) -> int | None:
    """Ask GetLocalListVersion (bounded); None when the station gives no usable answer."""
    try:
        answer = await link.call("GetLocalListVersion", {}, ctx.config.call_timeout)
    except TimeoutError:  # another CALL kept the line
        return None
    if not isinstance(answer, ResultReceived):
        return None
    version = answer.result.payload.get("listVersion")
    return version if isinstance(version, int) else None


async def complete(ctx: CsmsContext, link: StationLink, payload: Payload) -> Payload:
    """The SendLocalList.req to send for the operator's request `payload`."""
    update_type = str(payload.get("updateType", "Full"))
    sent = {**payload, "updateType": update_type}
    if "localAuthorizationList" in payload:
        sent["localAuthorizationList"] = [
            entry(ctx, item, update_type)
            for item in payload["localAuthorizationList"]
            if isinstance(item, dict)
        ]
    if "listVersion" not in payload:
        reported = await station_version(ctx, link)
        stale = ctx.fault("list16-version-not-increased")
        sent["listVersion"] = next_version(link.record.local_list_version, reported, stale=stale)
    return sent


async def settle(ctx: CsmsContext, link: StationLink, payload: Payload, answer: Payload) -> Payload:
    """Adopt an accepted list version; resend a failed Differential update in full (§5.15).

    Returns what the trigger API adds to its answer (`{"retry": ...}` after a resend). Fault
    `list16-no-full-retry` leaves the failed update as it is.
    """
    status = answer.get("status")
    if status == "Accepted" and isinstance(payload.get("listVersion"), int):
        link.record.local_list_version = payload["listVersion"]
        return {}
    if (
        status not in RETRY_FULL
        or payload.get("updateType") != "Differential"
        or ctx.fault("list16-no-full-retry")
    ):
        return {}
    version = next_version(link.record.local_list_version, payload.get("listVersion"))
    retry = {"listVersion": version, "updateType": "Full", "localAuthorizationList": full_list(ctx)}
    ctx.wirelog.record("action", f"SendLocalList {status}: resending the full list (§5.15)")
    try:
        outcome = await link.call("SendLocalList", retry, ctx.config.call_timeout)
    except TimeoutError:  # another CALL kept the line
        return {"retry": None}
    if not isinstance(outcome, ResultReceived):
        return {"retry": None}
    if outcome.result.payload.get("status") == "Accepted":
        link.record.local_list_version = version
    return {"retry": outcome.result.payload}
