"""OCPP 1.6 Security (25), charge point under test: security profiles and the Basic auth password.

The 1.6 compliance test document is not public; each case follows the 2.0.1 Part 6 block A case
of the same purpose (named in its docstring), translated to the 1.6 security whitepaper
(edition 3): AuthorizationKey and SecurityProfile are configuration keys (§7.2, §7.6).
"""

from __future__ import annotations

import asyncio
import dataclasses

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import handshakes, station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator

#: The new password TC_073_CS sets (valid for AuthorizationKey).
NEW_PASSWORD = "NewRefPassw0rd-2025-harness"
#: Poll period (s) while waiting for the reconnect.
POLL = 0.05


def _accepted_handshakes(csms: CsmsEmulator, since: int = 0) -> list[int]:
    """Indexes of accepted websocket upgrades (HTTP 101), from handshake `since` on."""
    return [i for i, h in enumerate(csms.handshakes) if i >= since and h.status == 101]


@ocpp_case(
    "TC_085_CS",
    version="1.6",
    refs=("A00.FR.202", "A00.FR.203", "A00.FR.204", "A00.FR.205", "2.0.1 Part 6 TC_A_01_CS"),
    needs=("power_cycle",),
    security_profiles=(1, 2),
)
async def test_basic_auth_valid(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Booted; every upgrade request carried Basic <ChargePointId>:<AuthorizationKey>."""
    await station_v16.idle(csms, dut)
    await station_v16.booted(csms, dut, check)
    handshakes.check_basic_auth(
        csms, dut, check, device="charge point", password_name="AuthorizationKey"
    )


@ocpp_case(
    "TC_086_CS",
    version="1.6",
    refs=("A00.FR.309", "A00.FR.312", "A00.FR.313", "A00.FR.319", "2.0.1 Part 6 TC_A_04_CS"),
    needs=("power_cycle",),
    security_profiles=(2, 3),
)
async def test_tls_server_certificate_valid(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """The charge point sets up TLS with the harness's server certificate and boots."""
    await station_v16.idle(csms, dut)
    await station_v16.booted(csms, dut, check)
    check.must(csms.url.startswith("wss://"), "the connection is a secured websocket (wss)")
    check.must(_accepted_handshakes(csms), "the charge point set up TLS and a websocket")


@ocpp_case(
    "TC_087_CS",
    version="1.6",
    refs=("A00.FR.401", "A00.FR.402", "A00.FR.415", "A00.FR.416", "2.0.1 Part 6 TC_A_07_CS"),
    needs=("power_cycle",),
    security_profiles=(3,),
)
async def test_tls_client_certificate_valid(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """The charge point presents its client certificate (CN = ChargePointId) and boots."""
    await station_v16.idle(csms, dut)
    await station_v16.booted(csms, dut, check)
    handshakes.check_client_certificate(
        csms, dut, check, device="charge point", common_name_ref="A00.FR.402"
    )


@ocpp_case(
    "TC_073_CS",
    version="1.6",
    refs=("A01.FR.01", "A01.FR.02", "A01.FR.03", "A00.FR.203", "2.0.1 Part 6 TC_A_09_CS"),
    security_profiles=(1, 2),
)
async def test_update_password(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ChangeConfiguration AuthorizationKey Accepted; the charge point reconnects with it.

    A01.FR.03: once Accepted the Central System no longer accepts the old credentials, so the
    harness's endpoint switches to the new password before sending the request.
    """
    await station_v16.idle(csms, dut)
    old = csms.server.security
    csms.server.security = dataclasses.replace(old, password=NEW_PASSWORD)
    first = len(csms.handshakes)
    connections = csms.connection_count
    outcome = await csms.call("ChangeConfiguration", key="AuthorizationKey", value=NEW_PASSWORD)
    if not check.equal(outcome.get("status"), "Accepted", "ChangeConfiguration.conf status"):
        csms.server.security = old  # A01.FR.04: keep accepting the old credentials
        return
    deadline = csms.wirelog.now() + dut.timeouts.connect
    while csms.connection_count == connections and csms.wirelog.now() < deadline:
        await asyncio.sleep(POLL)  # bounded by `deadline`: the reconnect ends it early
    check.must(
        csms.connection_count > connections,
        f"the charge point reconnected after the new AuthorizationKey "
        f"({csms.connection_count - connections} new connection(s))",
        ref="A01.FR.01",
    )
    refused = [h for h in csms.handshakes[first:] if h.status == 401]
    check.must(
        not refused,
        f"every upgrade request after the change carried the new password "
        f"({len(refused)} refused with 401)",
        ref="A00.FR.203",
    )
    check.must(_accepted_handshakes(csms, first), "an upgrade with the new password accepted")
    listed = await csms.call("GetConfiguration", key=["AuthorizationKey"])
    entries = listed.get("configurationKey") or []
    check.must(
        all("value" not in entry for entry in entries),
        "AuthorizationKey is write-only: GetConfiguration.conf gives no value",
        ref="1.6 security whitepaper §7.2",
    )


@ocpp_case(
    "TC_084_CS",
    version="1.6",
    refs=("A05.FR.01", "2.0.1 Part 6 TC_A_22_CS"),
    security_profiles=(2, 3),
)
async def test_downgrade_security_profile_rejected(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """ChangeConfiguration SecurityProfile one lower: Rejected, unchanged, no reconnect."""
    await station_v16.idle(csms, dut)
    current = dut.profile.security.profile
    connections = csms.connection_count
    outcome = await csms.call("ChangeConfiguration", key="SecurityProfile", value=str(current - 1))
    check.equal(
        outcome.get("status"), "Rejected", "ChangeConfiguration.conf status", ref="A05.FR.01"
    )
    listed = await csms.call("GetConfiguration", key=["SecurityProfile"])
    entries = listed.get("configurationKey") or []
    if entries:
        check.equal(
            entries[0].get("value"),
            str(current),
            "SecurityProfile after the request",
            ref="A05.FR.01",
        )
    await asyncio.sleep(station_v16.quiet_window(dut) / 4)  # a reconnect would start at once
    check.must(
        csms.connected and csms.connection_count == connections,
        f"the charge point stayed connected ({csms.connection_count - connections} reconnects)",
        ref="A05.FR.01",
    )
