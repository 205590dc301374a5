"""OCPP 2.0.1 block C (Authorization), CSMS under test: ClearCache (C11) and GroupId (C09)."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.cases.states.authorization_v201 import check_group, require, token
from harness.cases.states.commands_v201 import commanded
from harness.cases.states.session_v201 import (
    Session,
    energy_transfer_started,
    ev_connected_post_session,
    ev_connected_pre_session,
    ev_disconnected,
)
from harness.dut.device import Dut
from harness.roles.station import StationEmulator


async def _clear_cache(station: StationEmulator, dut: Dut, check: Checks, answer: str) -> None:
    """Booted; the CSMS sends ClearCacheRequest; the station answers `answer`."""
    station.on("ClearCache").respond(status=answer)
    await csms_v201.booted(station, dut, check)
    request = await commanded(station, dut, "ClearCache", {})
    check.equal(request.payload, {}, "step 1 ClearCacheRequest payload", ref="C11")


@ocpp_case("TC_C_37_CSMS", version="2.0.1", refs=("C11",))
async def test_clear_cache_accepted(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The CSMS asks the station to clear its authorization cache: Accepted (Table 488)."""
    await _clear_cache(station, dut, check, "Accepted")


@ocpp_case("TC_C_38_CSMS", version="2.0.1", refs=("C11",))
async def test_clear_cache_rejected(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The CSMS asks the station to clear its authorization cache: Rejected (Table 489)."""
    await _clear_cache(station, dut, check, "Rejected")


async def _group_session(
    station: StationEmulator, dut: Dut, check: Checks, *, authorize_first: bool
) -> tuple[Session, str, str]:
    """EVConnectedPreSession; (Authorize valid2;) Updated Authorized with valid; charging.

    Returns the session, valid2 and the group id token. Steps 1-5 of Tables 490-492.
    """
    valid2, group = require(dut, "valid2", "group")
    await csms_v201.booted(station, dut, check)
    session = Session(station, dut, check)
    await ev_connected_pre_session(session)
    if authorize_first:
        answer = await station.call("Authorize", idToken=token(dut, valid2))
        check_group(check, answer, group, "step 2 AuthorizeResponse (valid2)", "C09.FR.02")
    event = session.event("Updated", "Authorized", with_token=True)
    answer = await session.send(event, "Authorized event")
    check_group(check, answer, group, "TransactionEventResponse (valid)", "C09.FR.02")
    session.authorized = True
    await energy_transfer_started(session)
    return session, valid2, group


async def _stop_with_other(
    station: StationEmulator, dut: Dut, check: Checks, session: Session, valid2: str, group: str
) -> None:
    """StopAuthorized with valid2 (same group): Accepted with the group; then the EV leaves."""
    event = session.event("Updated", "StopAuthorized")
    event["idToken"] = token(dut, valid2)
    answer = await session.send(event, "StopAuthorized event")
    check_group(check, answer, group, "TransactionEventResponse (valid2)", "C09.FR.03")
    session.stop_authorized = True
    await ev_connected_post_session(session)
    await ev_disconnected(session)


@ocpp_case("TC_C_39_CSMS", version="2.0.1", refs=("C09.FR.02", "C09.FR.03"))
async def test_group_id(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Two tokens of one group: each answer names the group; valid2 stops (Table 490)."""
    session, valid2, group = await _group_session(station, dut, check, authorize_first=True)
    answer = await station.call("Authorize", idToken=token(dut, valid2))
    check_group(check, answer, group, "step 7 AuthorizeResponse (valid2)", "C09.FR.02")
    await _stop_with_other(station, dut, check, session, valid2, group)


@ocpp_case(
    "TC_C_40_CSMS", version="2.0.1", refs=("C09.FR.02", "C09.FR.03"), needs=("local_auth_list",)
)
async def test_group_id_local_list(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Tokens of one group from the local list, no Authorize: events name the group (Table 491)."""
    session, valid2, group = await _group_session(station, dut, check, authorize_first=False)
    await _stop_with_other(station, dut, check, session, valid2, group)


@ocpp_case(
    "TC_C_43_CSMS", version="2.0.1", refs=("C09.FR.02", "C09.FR.03"), needs=("local_auth_list",)
)
async def test_group_id_local_list_authorize(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """As TC_C_40, with an Authorize of valid2 before it stops (Part 6 Table 492)."""
    session, valid2, group = await _group_session(station, dut, check, authorize_first=False)
    answer = await station.call("Authorize", idToken=token(dut, valid2))
    check_group(check, answer, group, "step 5 AuthorizeResponse (valid2)", "C09.FR.02")
    await _stop_with_other(station, dut, check, session, valid2, group)
