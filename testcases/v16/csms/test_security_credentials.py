"""OCPP 1.6 Security (whitepaper ed. 3), CSMS under test: changing the credentials in use.

The 1.6 compliance document is not public: TC_073 follows 2.0.1 Part 6 TC_A_09_CSMS (new
Basic auth password, whitepaper A01: ChangeConfiguration AuthorizationKey), TC_083 follows
TC_A_19_CSMS (higher security profile, whitepaper A05: ChangeConfiguration SecurityProfile).
"""

from __future__ import annotations

import dataclasses

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.outcomes import EnvironmentFailure
from harness.roles.station import StationEmulator
from harness.transport.client import ClientSecurity
from testcases.v16.csms.certificate_steps import check_chain, mutual_context, renew

#: The new AuthorizationKey: 16-40 characters (whitepaper A00.FR.205, §7.2).
NEW_PASSWORD = "NewRefPassw0rd-2025-harness73"


@ocpp_case(
    "TC_073_CSMS",
    version="1.6",
    refs=("A01.FR.02", "A01.FR.03", "A00.FR.204", "A00.FR.205", "2.0.1 TC_A_09_CSMS"),
    security_profiles=(1, 2),
)
async def test_update_password(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """ChangeConfiguration AuthorizationKey Accepted; the new password is accepted, the old not.

    TC_A_09_CSMS steps 1-8; A01.FR.03: once the charge point accepted, the Central System
    SHALL no longer accept the credentials previously used.
    """
    old = station.security.password
    refused = await station.try_connect()
    if not check.must(refused is None, f"the CSMS accepts the configured password: {refused}"):
        return
    await csms_v16.booted(station, dut, check)
    request = {"key": "AuthorizationKey", "value": NEW_PASSWORD}
    sent = await csms_v16.command(
        station, dut, "ChangeConfiguration", request, {"status": "Accepted"}
    )
    check.equal(sent.get("key"), "AuthorizationKey", "ChangeConfiguration.req key", ref="A01.FR.02")
    value = str(sent.get("value", ""))
    check.must(
        16 <= len(value) <= 40,
        f"ChangeConfiguration.req value is an AuthorizationKey of 16-40 characters: {len(value)}",
        ref="A00.FR.205",
    )
    await station.disconnect()  # A01 scenario step 3
    refused = await station.try_connect(password=value)
    if check.must(
        refused is None,
        f"upgrade with the new password: expected HTTP 101, saw {refused}",
        ref="A01.FR.03",
    ):
        await csms_v16.booted(station, dut, check)
        await station.disconnect()
    refused = await station.try_connect(password=old)
    check.must(
        refused is not None,
        "upgrade with the previous password: expected the CSMS to refuse it, but it accepted",
        ref="A01.FR.03",
    )


@ocpp_case(
    "TC_083_CSMS",
    version="1.6",
    refs=("A05.FR.05", "A05.FR.07", "A05.FR.09", "A02.FR.11", "2.0.1 TC_A_19_CSMS"),
    security_profiles=(2,),
)
async def test_upgrade_security_profile(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Profile 2 -> 3: renewed certificate, SecurityProfile 3, mutual TLS; 2 is refused after.

    TC_A_19_CSMS with its memory state RenewChargingStationCertificate (profile 2): the
    charge point gets its certificate first (A05.FR.04 prerequisite), then the CSMS sets
    SecurityProfile 3, the charge point reconnects with it (A05.FR.06/07), and a reconnect
    with profile 2 SHALL NOT be accepted any more (A05.FR.09). A profile 1 DUT would need a
    second (wss) endpoint the profile does not name, so the case runs from profile 2 only.
    """
    pki = station.pki
    if pki is None:
        raise EnvironmentFailure("security profile 2 case without a test PKI")
    await csms_v16.booted(station, dut, check)
    renewal = await renew(station, dut, check, pki)
    leaf = check_chain(check, renewal, dut.station_id, pki)
    if leaf is None:
        return
    request = {"key": "SecurityProfile", "value": "3"}
    sent = await csms_v16.command(
        station, dut, "ChangeConfiguration", request, {"status": "Accepted"}
    )
    check.equal(sent.get("key"), "SecurityProfile", "ChangeConfiguration.req key", ref="A05")
    check.equal(sent.get("value"), "3", "ChangeConfiguration.req value (one higher)", ref="A05")
    await station.disconnect()  # A05.FR.06
    previous = station.security
    station.security = ClientSecurity(3, ssl_context=mutual_context(pki, leaf, renewal.key))
    refused = await station.try_connect()
    if check.must(
        refused is None,
        f"reconnect with security profile 3: expected the CSMS to accept, saw {refused}",
        ref="A05.FR.07",
    ):
        await csms_v16.booted(station, dut, check)
        await station.disconnect()
    station.security = dataclasses.replace(previous)
    refused = await station.try_connect()
    check.must(
        refused is not None,
        "reconnect with security profile 2 after the upgrade: expected the CSMS to refuse it, "
        "but it accepted",
        ref="A05.FR.09",
    )
