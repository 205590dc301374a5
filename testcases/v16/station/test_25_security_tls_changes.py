"""OCPP 1.6 Security (25), charge point under test: an invalid CSMS certificate, a profile upgrade.

The 1.6 compliance test document is not public; each case follows the 2.0.1 Part 6 block A case
of the same purpose (named in its refs), translated to the 1.6 security whitepaper edition 3
(security events §4, A00; SecurityProfile key §7.6, A05).
"""

from __future__ import annotations

import asyncio

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator
from harness.transport.server import Handshake

#: Poll period (s) while waiting for a reconnect.
POLL = 0.05


@ocpp_case(
    "TC_078_CS",
    version="1.6",
    refs=("A00.FR.309", "A04.FR.01", "A04.FR.02", "2.0.1 Part 6 TC_A_05_CS"),
    needs=("power_cycle",),
    security_profiles=(2, 3),
)
async def test_invalid_central_system_certificate(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Booting, the charge point gets an untrusted server certificate: it terminates, connects
    again (valid certificate), boots, and sends SecurityEventNotification
    InvalidCentralSystemCertificate (TC_A_05_CS steps 1-15)."""
    await station_v16.idle(csms, dut)
    csms.server.present_invalid_certificate(attempts=1)
    await station_v16.booted(csms, dut, check)
    check.must(
        csms.server.invalid_presented >= 1,
        f"the charge point opened TLS while the invalid certificate was presented "
        f"({csms.server.invalid_presented} handshake(s))",
    )
    event = await csms.expect(
        "SecurityEventNotification",
        where={"type": "InvalidCentralSystemCertificate"},
        within=dut.timeouts.call,
    )
    check.must(
        event.payload.get("type") == "InvalidCentralSystemCertificate",
        f"SecurityEventNotification.req type: {event.payload.get('type')}",
        ref="A00.FR.309",
    )


async def _reconnected(csms: CsmsEmulator, dut: Dut, since: int) -> list[Handshake]:
    """Wait (bounded by the connect timeout) for an accepted upgrade after handshake `since`."""
    deadline = csms.wirelog.now() + dut.timeouts.connect
    while csms.wirelog.now() < deadline:
        accepted = [h for h in csms.handshakes[since:] if h.status == 101]
        if accepted:
            return accepted
        await asyncio.sleep(POLL)  # bounded by `deadline`
    return []


@ocpp_case(
    "TC_083_CS",
    version="1.6",
    refs=("A05.FR.05", "A05.FR.06", "A05.FR.07", "2.0.1 Part 6 TC_A_19_CS"),
    security_profiles=(2,),
)
async def test_upgrade_security_profile(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ChangeConfiguration SecurityProfile 2 -> 3 Accepted; the charge point disconnects and
    reconnects with its client certificate; SecurityProfile then reads 3 (TC_A_19_CS).

    Precondition (like TC_A_19_CS "RenewChargingStationCertificate"): the charge point has a
    ChargePointCertificate. From the moment the request is sent, the harness's endpoint only
    accepts profile 3 (mutual TLS, no Basic auth) on the same wss URL.
    """
    await station_v16.idle(csms, dut)
    first = len(csms.handshakes)
    csms.server.raise_security_profile(3)
    outcome = await csms.call("ChangeConfiguration", key="SecurityProfile", value="3")
    if not check.equal(
        outcome.get("status"), "Accepted", "ChangeConfiguration.conf status", ref="A05.FR.05"
    ):
        return
    accepted = await _reconnected(csms, dut, first)
    refused = [h for h in csms.handshakes[first:] if h.status != 101]
    check.must(
        bool(accepted),
        f"the charge point reconnected with security profile 3 within "
        f"{dut.timeouts.connect:.0f} s ({len(refused)} upgrade(s) without a client "
        f"certificate refused)",
        ref="A05.FR.07",
    )
    if not accepted:
        return
    for handshake in accepted:
        check.equal(
            handshake.peer_common_name,
            dut.station_id,
            "client certificate common name after the upgrade",
            ref="A00.FR.402",
        )
    listed = await csms.call("GetConfiguration", key=["SecurityProfile"])
    values = [k.get("value") for k in listed.get("configurationKey") or []]
    check.equal(values, ["3"], "GetConfiguration.conf SecurityProfile value", ref="A05.FR.05")
