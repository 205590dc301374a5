"""OCPP 2.0.1 block A (Security), CSMS under test."""

from __future__ import annotations

import secrets
import string

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.dut.device import Dut
from harness.roles.station import StationEmulator


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
