"""OCPP 2.0.1 block A (Security), CSMS under test."""

from __future__ import annotations

import contextlib
import secrets
import ssl
import string
from collections.abc import Iterator

import pytest

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import certificates_v201, csms_v201
from harness.dut.device import Dut
from harness.outcomes import EnvironmentFailure
from harness.roles.station import StationEmulator
from harness.transport.pki import TestPki
from harness.transport.tls import client_context


@ocpp_case(
    "TC_A_01_CSMS", version="2.0.1", refs=("A00.FR.204", "B01.FR.02"), security_profiles=(1, 2)
)
async def test_basic_auth_valid(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Valid credentials: the CSMS upgrades the connection and accepts the boot (Table 448)."""
    refused = await station.try_connect()
    check.must(
        refused is None, f"the CSMS accepts valid Basic credentials: {refused}", ref="A00.FR.204"
    )
    if refused is None:
        await csms_v201.booted(station, dut, check)


@ocpp_case("TC_A_02_CSMS", version="2.0.1", refs=("A00.FR.204",), security_profiles=(1, 2))
async def test_basic_auth_wrong_username(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """User name <station id>Invalid with the right password: upgrade rejected (Table 449)."""
    refused = await station.try_connect(username=f"{dut.station_id}Invalid")
    check.must(
        refused is not None,
        "the CSMS rejects Basic credentials whose user name is not the station id",
        ref="A00.FR.204",
    )


def _random_password() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


@ocpp_case("TC_A_03_CSMS", version="2.0.1", refs=("A00.FR.204",), security_profiles=(1, 2))
async def test_basic_auth_invalid_password(station: StationEmulator, check: Checks) -> None:
    """A random 32-character password: the CSMS rejects the upgrade request (Table 450)."""
    refused = await station.try_connect(password=_random_password())
    check.must(
        refused is not None,
        "the CSMS rejects the connection upgrade for a wrong password",
        ref="A00.FR.204",
    )


@ocpp_case(
    "TC_A_04_CSMS",
    version="2.0.1",
    refs=("A00.FR.306", "A00.FR.307", "A00.FR.312", "A00.FR.318"),
    security_profiles=(2, 3),
)
async def test_tls_server_certificate_valid(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """TLS with the CSMS's server certificate, then a (secured) websocket (Table 451)."""
    check.must(station.url.startswith("wss://"), f"the CSMS URL is wss: {station.url}")
    refused = await station.try_connect()
    check.must(refused is None, f"TLS handshake and upgrade succeed: {refused}", ref="A00.FR.306")
    if refused is None:
        await csms_v201.booted(station, dut, check)


@ocpp_case(
    "TC_A_07_CSMS",
    version="2.0.1",
    refs=("A00.FR.409", "A00.FR.410", "A00.FR.415", "A00.FR.416", "A00.FR.421"),
    security_profiles=(3,),
)
async def test_tls_client_certificate_valid(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Mutual TLS with the station's certificate; upgrade; Booted (Part 6 Table 453)."""
    refused = await station.try_connect()
    check.must(refused is None, f"mutual TLS and upgrade succeed: {refused}", ref="A00.FR.409")
    if refused is None:
        await csms_v201.booted(station, dut, check)


def _tls_version(station: StationEmulator) -> str | None:
    """The TLS version of the open connection (`TLSv1.2`...), None without TLS."""
    if station.connection is None:
        return None
    ssl_object = station.connection.websocket.transport.get_extra_info("ssl_object")
    return ssl_object.version() if isinstance(ssl_object, ssl.SSLObject) else None


def _pki(station: StationEmulator) -> TestPki:
    if station.pki is None:
        raise EnvironmentFailure("a TLS case needs the test PKI (security profile 2 or 3)")
    return station.pki


@ocpp_case(
    "TC_A_06_CSMS",
    version="2.0.1",
    refs=("A00.FR.314", "A00.FR.315", "A00.FR.409", "A00.FR.416", "A00.FR.417", "A00.FR.418"),
    security_profiles=(2, 3),
)
async def test_tls_version_too_low(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """A TLS 1.1-only handshake is terminated; TLS 1.2+ then works and boots (Table 452)."""
    pki = _pki(station)
    mutual = dut.profile.security.profile == 3
    legacy = client_context(
        ca_cert=pki.csms_root_cert,
        client_cert=pki.station_cert if mutual else None,
        client_key=pki.station_key if mutual else None,
        maximum_version=ssl.TLSVersion.TLSv1_1,
    )
    refused = await station.try_connect(ssl_context=legacy)
    check.must(
        refused is not None,
        "step 2: the CSMS must terminate a TLS handshake offering at most TLS 1.1; the "
        "websocket was opened",
        ref="A00.FR.314",
    )
    if refused is None:
        await station.disconnect()
    refused = await station.try_connect()
    check.must(refused is None, f"step 4-8: TLS 1.2+ handshake and upgrade: {refused}")
    if refused is None:
        version = _tls_version(station)
        check.must(
            version in ("TLSv1.2", "TLSv1.3"),
            f"the CSMS uses TLS 1.2 or above, saw {version}",
            ref="A00.FR.314",
        )
        await csms_v201.booted(station, dut, check)


#: Kinds of invalid client certificate TC_A_08_CSMS is run with (Table 454 prerequisites).
INVALID_CERTIFICATES = {
    "unknown": "issued by a CA the CSMS does not trust",
    "expired": "that has expired",
    "wrong-cn": "whose CN is not the station id",
}


@contextlib.contextmanager
def _invalid_client(pki: TestPki, kind: str, station_id: str) -> Iterator[ssl.SSLContext]:
    if kind == "wrong-cn":
        key = certificates_v201.new_key()
        chain = certificates_v201.signed_by(
            pki.csms_root_cert, pki.csms_root_key, f"{station_id}X", key
        )
        with certificates_v201.client_tls(pki.csms_root_cert, key, chain) as context:
            yield context
        return
    cert, key_path = {
        "unknown": (pki.untrusted_station_cert, pki.untrusted_station_key),
        "expired": (pki.expired_station_cert, pki.expired_station_key),
    }[kind]
    yield client_context(ca_cert=pki.csms_root_cert, client_cert=cert, client_key=key_path)


@pytest.mark.parametrize("kind", list(INVALID_CERTIFICATES))
@ocpp_case(
    "TC_A_08_CSMS",
    version="2.0.1",
    refs=("A00.FR.405", "A00.FR.407", "A00.FR.409", "A00.FR.410"),
    security_profiles=(3,),
)
async def test_tls_client_certificate_invalid(
    station: StationEmulator, dut: Dut, check: Checks, kind: str
) -> None:
    """An unknown, expired or wrongly named client certificate is refused (Table 454).

    Then the configured certificate sets up the websocket and the station boots.
    """
    with _invalid_client(_pki(station), kind, dut.station_id) as context:
        refused = await station.try_connect(ssl_context=context)
    check.must(
        refused is not None,
        f"step 4: the CSMS must terminate the connection of a station presenting a client "
        f"certificate {INVALID_CERTIFICATES[kind]}; it opened the websocket",
        ref="A00.FR.405" if kind == "wrong-cn" else "A00.FR.407",
    )
    if refused is None:
        await station.disconnect()
    refused = await station.try_connect()
    check.must(refused is None, f"steps 5-10: the configured certificate is accepted: {refused}")
    if refused is None:
        await csms_v201.booted(station, dut, check)
