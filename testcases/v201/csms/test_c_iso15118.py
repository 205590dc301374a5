"""OCPP 2.0.1 block C (Authorization), CSMS under test: contract certificates, online (C07).

The harness plays the OCTT's OCSP service on loopback ([connection] listen_host); the
contract certificate (CN = the profile's eMAID, errata 6.3.5) is signed by the V2G root beside
the test PKI, which the CSMS must trust (harness/transport/pki_v2g.py).
Table 497 (TC_C_51) lists no tool validations; the case checks what its purpose and
prerequisite (a revoked certificate) imply: certificateStatus CertificateRevoked and no
Accepted idTokenInfo.
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.cases.states.authorization_v201 import check_status, info_of, require
from harness.cases.states.contract_v201 import (
    Contract,
    OcspResponder,
    make_contract,
    ocsp_responder,
)
from harness.cases.states.session_v201 import (
    Session,
    energy_transfer_started,
    ev_connected_pre_session,
)
from harness.dut.device import Dut
from harness.outcomes import EnvironmentFailure
from harness.roles.exchange import CallOutcome
from harness.roles.station import StationEmulator
from harness.transport.pki_v2g import ensure_v2g_root

Payload = dict[str, Any]


def _emaid_token(emaid: str) -> Payload:
    return {"idToken": emaid, "type": "eMAID"}


async def _authorize(
    station: StationEmulator,
    dut: Dut,
    check: Checks,
    responder: OcspResponder,
    *,
    revoked: bool,
    central: bool,
) -> tuple[Session, Contract, CallOutcome]:
    """EVConnectedPreSession; AuthorizeRequest with the eMAID and hash data or certificate.

    Steps 1-4 of Tables 496-498; checks that the CSMS asked the OCSP service for exactly the
    contract certificate (steps 2-3).
    """
    (emaid,) = require(dut, "emaid")
    if station.pki is None:
        raise EnvironmentFailure("contract certificate cases need the test PKI (V2G root)")
    contract = make_contract(ensure_v2g_root(station.pki.directory), emaid, responder.url)
    responder.contract, responder.revoked = contract, revoked
    await csms_v201.booted(station, dut, check)
    session = Session(station, dut, check)
    await ev_connected_pre_session(session)
    data = contract.hash_data(responder.url)
    request: Payload = {"idToken": _emaid_token(emaid)}
    if central:
        request["certificate"] = contract.pem
    else:
        request["iso15118CertificateHashData"] = [data]
    answer = await station.call("Authorize", request)
    asked = [r for r in responder.requests if responder.matches(r, data)]
    check.must(
        asked,
        f"step 2: the CSMS must send an OCSP request for the contract certificate (serial "
        f"{data['serialNumber']}) to {responder.url}; the responder got "
        f"{len(responder.requests)} request(s), none for it",
        ref="C07.FR.05" if central else "C07.FR.04",
    )
    return session, contract, answer


async def _accepted_and_charging(
    check: Checks, session: Session, answer: CallOutcome, emaid: str
) -> None:
    """Step 4 Accepted/Accepted; step 5-6 Authorized event Accepted; EnergyTransferStarted."""
    check_status(check, answer, ("Accepted",), "step 4 AuthorizeResponse", "C07.FR.04")
    check.equal(
        answer.get("certificateStatus"),
        "Accepted",
        "step 4 AuthorizeResponse.certificateStatus",
        ref="C07.FR.04",
    )
    event = session.event("Updated", "Authorized")
    event["idToken"] = _emaid_token(emaid)
    response = await session.send(event, "step 6")
    check_status(check, response, ("Accepted",), "step 6 TransactionEventResponse", "C07.FR.04")
    session.authorized = True
    await energy_transfer_started(session)


@ocpp_case("TC_C_50_CSMS", version="2.0.1", refs=("C07.FR.04",), needs=("iso15118",))
async def test_contract_hash_data_accepted(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Hash data of a valid contract certificate: OCSP good, Accepted twice (Table 496)."""
    async with ocsp_responder(dut.profile.connection.listen_host) as responder:
        session, _, answer = await _authorize(
            station, dut, check, responder, revoked=False, central=False
        )
    await _accepted_and_charging(check, session, answer, str(dut.tokens.emaid))


@ocpp_case("TC_C_51_CSMS", version="2.0.1", refs=("C07.FR.16",), needs=("iso15118",))
async def test_contract_hash_data_revoked(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Hash data of a revoked contract certificate: OCSP revoked, not Accepted (Table 497)."""
    async with ocsp_responder(dut.profile.connection.listen_host) as responder:
        _, _, answer = await _authorize(station, dut, check, responder, revoked=True, central=False)
    check.equal(
        answer.get("certificateStatus"),
        "CertificateRevoked",
        "step 4 AuthorizeResponse.certificateStatus",
        ref="C07.FR.16",
    )
    status = info_of(answer).get("status")
    check.must(
        status != "Accepted",
        f"step 4 AuthorizeResponse idTokenInfo.status: a revoked contract must not be "
        f"Accepted, saw {status!r}",
        ref="C07.FR.16",
    )


@ocpp_case("TC_C_52_CSMS", version="2.0.1", refs=("C07.FR.04", "C07.FR.05"), needs=("iso15118",))
async def test_contract_certificate_central(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The certificate itself, no hash data: the CSMS computes them for OCSP (Table 498)."""
    async with ocsp_responder(dut.profile.connection.listen_host) as responder:
        session, _, answer = await _authorize(
            station, dut, check, responder, revoked=False, central=True
        )
    await _accepted_and_charging(check, session, answer, str(dut.tokens.emaid))
