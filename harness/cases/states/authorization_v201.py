"""Id tokens and IdTokenInfo checks of the 2.0.1 block C cases with a CSMS under test.

The DUT profile's [tokens] name the tokens the CSMS knows: valid, invalid, blocked, expired,
valid2 (same group as valid), group (their groupIdToken), master_pass (MasterPassGroupId) and
master_pass_token (a token in that group).
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.states.session_v201 import Session, energy_transfer_started
from harness.dut.device import Dut
from harness.outcomes import NotApplicable
from harness.roles.exchange import CallOutcome

Payload = dict[str, Any]


def token(dut: Dut, value: str) -> Payload:
    """An IdTokenType of the profile's token type."""
    return {"idToken": value, "type": dut.tokens.token_type}


def require(dut: Dut, *names: str) -> list[str]:
    """The profile's [tokens] `names`; N/A when the profile gives one of them no value."""
    values = [getattr(dut.tokens, name) for name in names]
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise NotApplicable(
            f"the DUT profile gives no [tokens] {', '.join(missing)}; the case needs them"
        )
    return [str(value) for value in values]


def info_of(answer: CallOutcome) -> Payload:
    """idTokenInfo of an answer ({} when it has none)."""
    info = answer.get("idTokenInfo")
    return info if isinstance(info, dict) else {}


def check_status(
    check: Checks, answer: CallOutcome, allowed: tuple[str, ...], what: str, ref: str
) -> bool:
    """idTokenInfo.status is one of `allowed`."""
    seen = info_of(answer).get("status")
    return check.must(
        seen in allowed,
        f"{what} idTokenInfo.status: expected {' or '.join(allowed)}, saw {seen!r} "
        f"({answer.describe()})",
        ref=ref,
    )


def check_group(check: Checks, answer: CallOutcome, group: str, what: str, ref: str) -> None:
    """idTokenInfo.status Accepted and groupIdToken.idToken `group` (C09, C16)."""
    check_status(check, answer, ("Accepted",), what, ref)
    group_token = info_of(answer).get("groupIdToken")
    seen = group_token.get("idToken") if isinstance(group_token, dict) else None
    check.equal(seen, group, f"{what} idTokenInfo.groupIdToken.idToken", ref=ref)


async def charging_with(session: Session, id_token: Payload, step: str) -> None:
    """Reusable State EnergyTransferStarted on the session's EVSE, authorized by `id_token`.

    Like Table 702 (Authorize, then the Started/Updated event with the token, both Accepted)
    for a token other than the profile's valid one, then Table 703.
    """
    authorize = await session.station.call("Authorize", idToken=id_token)
    check_status(session.check, authorize, ("Accepted",), f"{step} AuthorizeResponse", "C01")
    event_type = "Updated" if session.transaction.started else "Started"
    payload = session.event(event_type, "Authorized")
    payload["idToken"] = id_token
    answer = await session.send(payload, step)
    check_status(session.check, answer, ("Accepted",), f"{step} TransactionEventResponse", "C01")
    session.authorized = True
    await energy_transfer_started(session)
