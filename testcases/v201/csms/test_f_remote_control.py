"""OCPP 2.0.1 block F (Remote Control), CSMS under test: remote start and remote unlock."""

from __future__ import annotations

import secrets

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, session_v201
from harness.cases.states.commands_v201 import check_fields, commanded
from harness.cases.states.csms_v201 import id_token
from harness.cases.states.session_v201 import Session
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator


async def _remote_start(s: Session, step: str, *, transaction_id: str | None = None) -> Message:
    """Have the CSMS send RequestStartTransaction for the valid token; answer Accepted.

    Checks idToken.idToken and idToken.type (Part 6 step 1 of TC_F_01..04_CSMS).
    """
    answer = {"status": "Accepted"}
    if transaction_id is not None:
        answer["transactionId"] = transaction_id
    s.station.on("RequestStartTransaction", once=True).respond_exact(answer)
    payload = {
        "idToken": id_token(s.dut),
        "remoteStartId": secrets.randbelow(1_000_000) + 1,
        "evseId": s.evse,
    }
    request = await commanded(s.station, s.dut, "RequestStartTransaction", payload)
    tokens = s.dut.tokens
    expected = {"idToken.idToken": tokens.valid, "idToken.type": tokens.token_type}
    check_fields(s.check, request, expected, ref=step)
    return request


async def _started_remotely(s: Session, request: Message, step: str) -> None:
    """Started on RemoteStart with the CSMS's remoteStartId; the EVSE named in the request.

    The event carries the valid idToken, so the answer must say Accepted (idTokenInfo).
    """
    started = s.event(
        "Started",
        "RemoteStart",
        with_evse="evseId" in request.payload,
        with_token=True,
        remoteStartId=request.get("remoteStartId"),
    )
    answer = await s.send(started, step)
    s.token_accepted(answer, "TransactionEventResponse", step)
    s.authorized = True


@ocpp_case("TC_F_01_CSMS", version="2.0.1")
async def test_remote_start_cable_first(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """EVConnectedPreSession; RequestStartTransaction; Updated on RemoteStart; charging."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    await session_v201.ev_connected_pre_session(s)
    request = await _remote_start(s, "TC_F_01_CSMS step 1", transaction_id=s.transaction.id)
    updated = s.event(
        "Updated", "RemoteStart", with_token=True, remoteStartId=request.get("remoteStartId")
    )
    answer = await s.send(updated, "TC_F_01_CSMS step 4")
    s.token_accepted(answer, "TransactionEventResponse", "TC_F_01_CSMS step 4")
    s.authorized = True
    await session_v201.energy_transfer_started(s)


@ocpp_case("TC_F_02_CSMS", version="2.0.1", refs=("F02.FR.01", "F01.FR.01"))
async def test_remote_start_first_authorize(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """RequestStartTransaction first; the station authorizes (Accepted); Started; charging."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    request = await _remote_start(s, "TC_F_02_CSMS step 1")
    authorize = await station.call("Authorize", idToken=id_token(dut))
    s.token_accepted(authorize, "AuthorizeResponse", "TC_F_02_CSMS step 4")
    await _started_remotely(s, request, "TC_F_02_CSMS step 6")
    await session_v201.energy_transfer_started(s)


@ocpp_case("TC_F_03_CSMS", version="2.0.1", refs=("F02.FR.01", "F01.FR.02"))
async def test_remote_start_first_no_authorize(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """RequestStartTransaction first; Started on RemoteStart without Authorize; charging."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    request = await _remote_start(s, "TC_F_03_CSMS step 1")
    await _started_remotely(s, request, "TC_F_03_CSMS step 4")
    await session_v201.energy_transfer_started(s)


@ocpp_case("TC_F_04_CSMS", version="2.0.1", refs=("E03.FR.04", "E03.FR.05"))
async def test_remote_start_cable_timeout(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """RequestStartTransaction first; Started; no EV arrives: Updated on EVConnectTimeout."""
    await csms_v201.booted(station, dut, check)
    s = Session(station, dut, check)
    request = await _remote_start(s, "TC_F_04_CSMS step 1")
    await _started_remotely(s, request, "TC_F_04_CSMS step 4")
    await s.send(s.event("Updated", "EVConnectTimeout"), "TC_F_04_CSMS step 6")


@ocpp_case("TC_F_06_CSMS", version="2.0.1")
async def test_remote_unlock_without_transaction(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The CSMS sends UnlockConnector for the configured EVSE and connector; Unlocked."""
    await csms_v201.booted(station, dut, check)
    station.on("UnlockConnector", once=True).respond_exact({"status": "Unlocked"})
    request = await commanded(station, dut, "UnlockConnector", {"evseId": 1, "connectorId": 1})
    check_fields(check, request, {"evseId": 1, "connectorId": 1}, ref="TC_F_06_CSMS step 1")
