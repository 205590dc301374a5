"""OCPP 1.6 Security (whitepaper ed. 3), CSMS under test: profiles, TLS, subprotocol.

The 1.6 compliance document is not public: each case follows the 2.0.1 Part 6 block A case of
the same purpose (named in its docstring), translated to the 1.6 security whitepaper §2
(profiles 1-3), A01 (AuthorizationKey), A05 (SecurityProfile) and OCPP-J 1.6 §3.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import urlsplit

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.outcomes import EnvironmentFailure
from harness.roles.station import StationEmulator
from harness.transport.pki import TestPki
from testcases.v16.csms.tls_checks import (
    check_certificate,
    check_cipher_suites,
    check_legacy_refused,
    check_version,
    handshake,
    station_context,
)

#: The new AuthorizationKey of TC_073_CSMS: 16-40 characters (whitepaper A00.FR.205).
NEW_PASSWORD = "NewRefPassw0rd-2025-harness73"
#: A subprotocol no OCPP version has (OCPP-J 1.6 §3.1.2 Table 1).
UNKNOWN_SUBPROTOCOL = "ocpp0.1"


async def _connected(station: StationEmulator, check: Checks, what: str, **overrides: Any) -> bool:
    """Open the websocket; a refusal is the CSMS's failure to accept valid credentials."""
    refused = await station.try_connect(**overrides)
    return check.must(refused is None, f"the CSMS accepts {what}: expected HTTP 101, saw {refused}")


def _pki(station: StationEmulator) -> TestPki:
    if station.pki is None:
        raise EnvironmentFailure("security profile 2/3 case without a test PKI")
    return station.pki


@ocpp_case(
    "TC_085_CSMS",
    version="1.6",
    refs=("A00.FR.202", "A00.FR.203", "A00.FR.204", "A00.FR.205", "2.0.1 TC_A_01_CSMS"),
    security_profiles=(1, 2),
)
async def test_basic_auth_valid(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Basic <ChargePointId>:<AuthorizationKey>: upgrade accepted, boot Accepted (TC_A_01)."""
    if await _connected(station, check, "the valid Basic auth credentials"):
        await csms_v16.booted(station, dut, check)


async def _tls_case(station: StationEmulator, dut: Dut, check: Checks, *, mutual: bool) -> None:
    """TC_A_04/06/07_CSMS: version, certificate, cipher suites, TLS < 1.2 refused, then Booted."""
    pki = _pki(station)
    check.must(station.url.startswith("wss://"), f"the CSMS endpoint is wss: {station.url}")
    timeout = dut.timeouts.connect
    first = await handshake(station.url, station_context(pki, mutual=mutual), timeout)
    check_version(check, first, "A00.FR.416" if mutual else "A00.FR.312")
    check_certificate(check, first.certificate, urlsplit(station.url).hostname or "")
    await check_cipher_suites(check, station.url, pki, mutual=mutual, timeout=timeout)
    await check_legacy_refused(check, station.url, pki, mutual=mutual, timeout=timeout)
    what = "mutual TLS with the charge point certificate" if mutual else "TLS and Basic auth"
    if await _connected(station, check, what):
        await csms_v16.booted(station, dut, check)


@ocpp_case(
    "TC_086_CSMS",
    version="1.6",
    refs=(
        "A00.FR.305",
        "A00.FR.306",
        "A00.FR.312",
        "A00.FR.314",
        "A00.FR.317",
        "A00.FR.510",
        "2.0.1 TC_A_04_CSMS",
        "2.0.1 TC_A_06_CSMS",
    ),
    security_profiles=(2, 3),
)
async def test_tls_server_certificate_valid(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """The CSMS's server certificate, TLS 1.2+, its suites, no TLS 1.1; Booted (TC_A_04)."""
    await _tls_case(station, dut, check, mutual=station.security.profile == 3)


@ocpp_case(
    "TC_087_CSMS",
    version="1.6",
    refs=(
        "A00.FR.401",
        "A00.FR.403",
        "A00.FR.409",
        "A00.FR.416",
        "A00.FR.418",
        "A00.FR.421",
        "2.0.1 TC_A_07_CSMS",
    ),
    security_profiles=(3,),
)
async def test_tls_client_certificate_valid(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Mutual TLS with the charge point certificate (CN = id), TLS 1.2+; Booted (TC_A_07)."""
    await _tls_case(station, dut, check, mutual=True)


@ocpp_case(
    "TC_088_CSMS",
    version="1.6",
    refs=("OCPP-J 1.6 §3.1.2", "OCPP-J 1.6 §3.2"),
)
async def test_websocket_subprotocol(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """ocpp1.6 is selected (also among ocpp1.6, ocpp1.5); an unknown one only is closed.

    §3.2: without a common subprotocol the CSMS MUST complete the handshake without
    Sec-WebSocket-Protocol and close the connection at once.
    """
    for offered, level in ((("ocpp1.6",), check.must), (("ocpp1.6", "ocpp1.5"), check.should)):
        what = f"a websocket offering {list(offered)}"
        if not await _connected(station, check, what, subprotocols=offered):
            return
        assert station.connection is not None
        chosen = station.connection.websocket.subprotocol
        level(
            chosen == "ocpp1.6",
            f"Sec-WebSocket-Protocol for {list(offered)}: expected ocpp1.6, saw {chosen}",
            ref="OCPP-J 1.6 §3.1.2",
        )
        if offered == ("ocpp1.6",):
            await csms_v16.booted(station, dut, check)
        await station.disconnect()
    refused = await station.try_connect(subprotocols=(UNKNOWN_SUBPROTOCOL,))
    if refused is not None:
        check.must(
            False,
            f"offering only {UNKNOWN_SUBPROTOCOL}: expected a completed handshake without "
            f"subprotocol, then a close; saw a refused handshake: {refused}",
            ref="OCPP-J 1.6 §3.2",
        )
        return
    assert station.connection is not None
    check.must(
        station.connection.websocket.subprotocol is None,
        f"offering only {UNKNOWN_SUBPROTOCOL}: expected no Sec-WebSocket-Protocol, saw "
        f"{station.connection.websocket.subprotocol}",
        ref="OCPP-J 1.6 §3.2",
    )
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(station.connection.closed.wait(), dut.timeouts.call)
    check.must(
        station.connection.closed.is_set(),
        f"offering only {UNKNOWN_SUBPROTOCOL}: expected the CSMS to close the websocket at "
        f"once, still open after {dut.timeouts.call:g} s",
        ref="OCPP-J 1.6 §3.2",
    )
