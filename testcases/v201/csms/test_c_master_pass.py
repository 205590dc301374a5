"""OCPP 2.0.1 block C (Authorization), CSMS under test: stop with a Master Pass (C16).

Part 6 Table 494 (TC_C_48) authorizes the <Configured valid_idtoken> in step 1 but expects the
masterPassGroupId in the answer; only the master pass token can have that group, so step 1
uses the master pass token, as Tables 493 and 495 do.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.cases.states.authorization_v201 import (
    charging_with,
    check_group,
    check_status,
    require,
    token,
)
from harness.cases.states.session_v201 import Session
from harness.dut.device import Dut
from harness.roles.station import StationEmulator

Payload = dict[str, object]


async def _charging_everywhere(station: StationEmulator, dut: Dut, check: Checks) -> list[Session]:
    """Booted; EnergyTransferStarted on EVSE 1 with valid, on the others with valid2."""
    (valid2,) = require(dut, "valid2")
    await csms_v201.booted(station, dut, check)
    sessions = []
    for evse in dut.profile.evses:
        session = Session(station, dut, check, evse=evse.id)
        value = dut.tokens.valid if evse.id == 1 else valid2
        await charging_with(session, token(dut, value), f"EVSE {evse.id} EnergyTransferStarted")
        sessions.append(session)
    return sessions


async def _master_pass_authorized(
    station: StationEmulator, dut: Dut, check: Checks
) -> tuple[Payload, str]:
    """Step 1-2: Authorize the master pass token; Accepted with the MasterPassGroupId."""
    master_group, master_token = require(dut, "master_pass", "master_pass_token")
    master = token(dut, master_token)
    answer = await station.call("Authorize", idToken=master)
    check_group(check, answer, master_group, "step 2 AuthorizeResponse", "C16.FR.01")
    return master, master_group


async def _ended_by_master_pass(
    session: Session, id_token: Payload, group: str | None, step: str
) -> None:
    """Step 3-4: Ended with stoppedReason MasterPass; the CSMS answers (with the group)."""
    event = session.event(
        "Ended", "StopAuthorized", chargingState="EVConnected", stoppedReason="MasterPass"
    )
    event["idToken"] = id_token
    answer = await session.send(event, step)
    what = f"{step} TransactionEventResponse (EVSE {session.evse})"
    if group is None:
        check_status(session.check, answer, ("Accepted",), what, "C16.FR.02")
    else:
        check_group(session.check, answer, group, what, "C16.FR.01")


@ocpp_case("TC_C_47_CSMS", version="2.0.1", refs=("C16.FR.01",))
async def test_master_pass_ui_all(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Master pass with UI, all transactions: every Ended answer names the group (Table 493)."""
    sessions = await _charging_everywhere(station, dut, check)
    master, group = await _master_pass_authorized(station, dut, check)
    for session in sessions:
        await _ended_by_master_pass(session, master, group, "step 4")


@ocpp_case("TC_C_48_CSMS", version="2.0.1", refs=("C16.FR.01",))
async def test_master_pass_ui_specific(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Master pass with UI, one transaction: EVSE 1 ends, the others go on (Table 494)."""
    sessions = await _charging_everywhere(station, dut, check)
    master, group = await _master_pass_authorized(station, dut, check)
    await _ended_by_master_pass(sessions[0], master, group, "step 4")


@ocpp_case("TC_C_49_CSMS", version="2.0.1", refs=("C16.FR.02",))
async def test_master_pass_no_ui(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Master pass without UI: all transactions end, reported with the valid idToken (Table 495)."""
    sessions = await _charging_everywhere(station, dut, check)
    await _master_pass_authorized(station, dut, check)
    valid = token(dut, dut.tokens.valid)
    for session in sessions:
        await _ended_by_master_pass(session, valid, None, "step 4")
