"""The IdTokenInfo the reference 2.0.1 CSMS gives for an id token: status and group (C01, C09).

Used in AuthorizeResponse and TransactionEventResponse. Faults (see faults_csms_v201_abc.py):
`c201-accept-invalid` answers unknown and Invalid tokens Accepted, `c201-token-status-ignored`
answers Blocked and Expired ones Accepted, `c201-no-group-id` leaves groupIdToken out.
"""

from __future__ import annotations

from typing import Any

from harness.sim.csms.context import CsmsContext

Payload = dict[str, Any]


def token_status(ctx: CsmsContext, id_token: Payload) -> str:
    """Status of an IdTokenType; `NoAuthorization` tokens need no authorization (C01).

    C01.FR.07 (TC_C_02/06/07_CSMS): unknown tokens are Invalid, blocked and expired ones keep
    their status.
    """
    if id_token.get("type") == "NoAuthorization":
        return "Accepted"
    status = ctx.tokens.status(id_token.get("idToken"))
    if status == "Invalid" and ctx.fault("c201-accept-invalid"):
        return "Accepted"
    if status in ("Blocked", "Expired") and ctx.fault("c201-token-status-ignored"):
        return "Accepted"
    return status


def id_token_info(ctx: CsmsContext, id_token: Payload) -> Payload:
    """IdTokenInfoType for `id_token`: its status and, when it has one, its groupIdToken.

    C09.FR.02/03 (TC_C_39/40/43_CSMS): tokens of one group carry the same groupIdToken;
    C16.FR.01/02 (TC_C_47..49_CSMS): a master pass token carries the MasterPassGroupId.
    """
    status = token_status(ctx, id_token)
    info: Payload = {"status": status}
    group = ctx.tokens.groups.get(str(id_token.get("idToken")))
    if group is not None and status == "Accepted" and not ctx.fault("c201-no-group-id"):
        info["groupIdToken"] = {"idToken": group, "type": "Central"}
    return info
