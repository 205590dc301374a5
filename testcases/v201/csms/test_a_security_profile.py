"""OCPP 2.0.1 block A (Security), CSMS under test: raising the security profile (A05).

The harness asks the CSMS for a network connection profile one security profile higher and
leaves ocppCsmsUrl to the CSMS (errata 2025-01 6.3.4: the URL may change with the profile),
then connects to the URL the CSMS sent.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import certificates_v201, csms_v201, provisioning_v201
from harness.cases.states.commands_v201 import check_fields, commanded
from harness.cases.states.device_model_v201 import DeviceModel
from harness.dut.device import Dut
from harness.outcomes import EnvironmentFailure
from harness.roles.station import StationEmulator
from harness.transport.client import ClientSecurity
from harness.transport.pki import TestPki
from harness.transport.tls import client_context

Payload = dict[str, Any]
#: The configuration slot of the new network connection profile.
SLOT = 2


async def _raised_security(
    station: StationEmulator, dut: Dut, check: Checks, pki: TestPki, target: int
) -> ClientSecurity | None:
    """The station's credentials at `target`: TLS trusting the CSMS root; for 3 a new certificate.

    Memory State for profile 2 (errata 6.3.3): RenewChargingStationCertificate; the station
    uses that certificate in the profile 3 handshake. None when the renewal failed.
    """
    if target == 2:
        return replace(
            station.security, profile=2, ssl_context=client_context(ca_cert=pki.csms_root_cert)
        )
    key, signed = await certificates_v201.renew(
        station,
        dut,
        check,
        requested="SignChargingStationCertificate",
        certificate_type="ChargingStationCertificate",
    )
    if signed is None:
        return None
    chain = signed["certificateChain"]
    if certificates_v201.chain_problems(chain, key, pki.csms_root_cert):
        check.must(False, f"the renewed certificate is usable for the new key: {chain[:60]!r}")
        return None
    with certificates_v201.client_tls(pki.csms_root_cert, key, chain) as context:
        return replace(station.security, profile=3, password=None, ssl_context=context)


@ocpp_case(
    "TC_A_19_CSMS", version="2.0.1", refs=("A05.FR.04", "A05.FR.07"), security_profiles=(1, 2)
)
async def test_upgrade_security_profile(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """New profile one level up, priority to its slot, reset; the old profile is refused.

    Part 6 Table 461 with errata 6.3.3/6.3.4.
    """
    if station.pki is None:
        raise EnvironmentFailure(
            "TC_A_19_CSMS needs the CSMS root certificate the station trusts ([security] pki)"
        )
    current = dut.profile.security.profile
    target = current + 1
    await csms_v201.booted(station, dut, check)
    raised = await _raised_security(station, dut, check, station.pki, target)
    if raised is None:
        return
    model = DeviceModel()
    station.on("SetNetworkProfile").respond(status="Accepted")
    station.on("SetVariables").respond_with(model.set_variables)
    station.on("Reset").respond(status="Accepted")
    asked = provisioning_v201.network_profile(None, target, slot=SLOT)
    request = await commanded(station, dut, "SetNetworkProfile", asked)
    expected: Payload = {
        f"connectionData.{name}": value for name, value in asked["connectionData"].items()
    }
    check_fields(check, request, expected, ref="A05.FR.04")
    url = request.get("connectionData", {}).get("ocppCsmsUrl")
    priority_item = {
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "NetworkConfigurationPriority"},
        "attributeValue": f"{SLOT},1",
    }
    priority = await commanded(station, dut, "SetVariables", {"setVariableData": [priority_item]})
    items = [
        i
        for i in priority.get("setVariableData", [])
        if i.get("variable", {}).get("name") == "NetworkConfigurationPriority"
        and i.get("component", {}).get("name") == "OCPPCommCtrlr"
    ]
    check.must(
        any(str(SLOT) in str(i.get("attributeValue", "")).split(",") for i in items),
        f"step 3 SetVariablesRequest: expected OCPPCommCtrlr.NetworkConfigurationPriority "
        f"containing slot {SLOT}, saw {priority.get('setVariableData')}",
        ref="A05.FR.04",
    )
    await commanded(station, dut, "Reset", {"type": "OnIdle"})
    if not check.must(
        isinstance(url, str) and url.startswith("wss://"),
        f"step 1 connectionData.ocppCsmsUrl: expected a wss:// URL for profile {target}, "
        f"saw {url!r}",
    ):
        return
    assert isinstance(url, str)
    before = (station.security, station.url_template)
    await station.disconnect()
    station.security, station.url_template = raised, url.rstrip("/") + "/{station_id}"
    refused = await station.try_connect()
    check.must(
        refused is None,
        f"step 8: the CSMS must accept the station at security profile {target}: {refused}",
        ref="A05.FR.04",
    )
    if refused is not None:
        return
    await csms_v201.booted(station, dut, check)
    await station.disconnect()
    station.security, station.url_template = before
    refused = await station.try_connect()
    check.must(
        refused is not None,
        f"step 11: the CSMS must not accept the station at its old security profile {current} "
        "any more; it opened the websocket",
        ref="A05.FR.07",
    )
