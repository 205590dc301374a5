"""OCPP 2.0.1 block A (Security), charging station under test."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import handshakes, station_v201
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator


@ocpp_case(
    "TC_A_01_CS",
    version="2.0.1",
    refs=("A00.FR.202", "A00.FR.203", "A00.FR.204", "A00.FR.205", "B01.FR.01"),
    needs=("power_cycle",),
    security_profiles=(1, 2),
)
async def test_basic_auth_valid(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Booted; the upgrade request carried Basic <station id>:<password> (Part 6 Table 1)."""
    await station_v201.idle(csms, dut)
    await station_v201.booted(csms, dut, check)
    handshakes.check_basic_auth(
        csms, dut, check, device="station", password_name="BasicAuthPassword"
    )


@ocpp_case(
    "TC_A_04_CS",
    version="2.0.1",
    refs=("A00.FR.309", "A00.FR.312", "A00.FR.313", "A00.FR.319", "A00.FR.412"),
    needs=("power_cycle",),
    security_profiles=(2, 3),
)
async def test_tls_server_certificate_valid(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """The station sets up TLS with the harness's server certificate and boots (Table 2)."""
    await station_v201.idle(csms, dut)
    await station_v201.booted(csms, dut, check)
    check.must(csms.url.startswith("wss://"), "the connection is a secured websocket (wss)")


@ocpp_case(
    "TC_A_07_CS",
    version="2.0.1",
    refs=("A00.FR.401", "A00.FR.402", "A00.FR.415", "A00.FR.416", "A00.FR.511"),
    needs=("power_cycle",),
    security_profiles=(3,),
)
async def test_tls_client_certificate_valid(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """The station presents its client certificate, then boots and reports (Table 5)."""
    await station_v201.idle(csms, dut)
    await station_v201.booted(csms, dut, check)
    handshakes.check_client_certificate(
        csms, dut, check, device="station", common_name_ref="A00.FR.511"
    )
