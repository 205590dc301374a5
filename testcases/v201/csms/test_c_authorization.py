"""OCPP 2.0.1 block C (Authorization), CSMS under test: token statuses and the cache (C01, C12)."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.cases.states.authorization_v201 import check_status, token
from harness.cases.states.session_v201 import Session, ev_connected_pre_session
from harness.dut.device import Dut
from harness.roles.station import StationEmulator


async def _authorize(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    value: str,
    allowed: tuple[str, ...],
    ref: str,
) -> None:
    """Booted; AuthorizeRequest with `value`; idTokenInfo.status is one of `allowed`."""
    await csms_v201.booted(station, dut, check)
    answer = await station.call("Authorize", idToken=token(dut, value))
    check_status(check, answer, allowed, "step 2 AuthorizeResponse", ref)


@ocpp_case("TC_C_02_CSMS", version="2.0.1", refs=("C01.FR.07", "C04.FR.01", "C06.FR.04"))
async def test_authorize_invalid(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """An unknown idToken is Invalid or Unknown (Part 6 Table 483)."""
    await _authorize(station, dut, check, dut.tokens.invalid, ("Invalid", "Unknown"), "C01.FR.07")


@ocpp_case("TC_C_06_CSMS", version="2.0.1", refs=("C01.FR.07",))
async def test_authorize_blocked(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The idToken set Blocked at the CSMS is Blocked or Invalid (Part 6 Table 484)."""
    await _authorize(station, dut, check, dut.tokens.blocked, ("Blocked", "Invalid"), "C01.FR.07")


@ocpp_case("TC_C_07_CSMS", version="2.0.1", refs=("C01.FR.07",))
async def test_authorize_expired(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The idToken set Expired at the CSMS is Expired or Invalid (Part 6 Table 485)."""
    await _authorize(station, dut, check, dut.tokens.expired, ("Expired", "Invalid"), "C01.FR.07")


async def _cached(
    station: StationEmulator, dut: Dut, check: Checks, value: str, allowed: tuple[str, ...]
) -> None:
    """EVConnectedPreSession; TransactionEvent Updated Authorized with `value`, no Authorize.

    The station took the token from its authorization cache (TxStartPoint with
    ParkingBayOccupancy), so the CSMS learns it only from the event (C12.FR.03).
    """
    await csms_v201.booted(station, dut, check)
    session = Session(station, dut, check)
    await ev_connected_pre_session(session)
    event = session.event("Updated", "Authorized")
    event["idToken"] = token(dut, value)
    answer = await session.send(event, "step 2")
    check_status(check, answer, allowed, "step 2 TransactionEventResponse", "C12.FR.03")


@ocpp_case("TC_C_08_CSMS", version="2.0.1", refs=("C12.FR.03",))
async def test_cache_accepted(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """A cached valid token in a TransactionEvent is Accepted (Part 6 Table 486)."""
    await _cached(station, dut, check, dut.tokens.valid, ("Accepted",))


@ocpp_case("TC_C_20_CSMS", version="2.0.1", refs=("C12.FR.03",))
async def test_cache_invalid(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """A token cached as valid but unknown to the CSMS is Invalid or Unknown (Table 487)."""
    await _cached(station, dut, check, dut.tokens.invalid, ("Invalid", "Unknown"))
