"""OCPP 2.0.1 block B (Provisioning), CSMS under test: SetNetworkProfile (B09)."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201, provisioning_v201
from harness.cases.states.commands_v201 import check_fields, commanded
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator

#: <Configured configurationSlot> of the new profile.
SLOT = 2


async def _set_network_profile(
    station: StationEmulator, dut: Dut, check: Checks, answer: str
) -> tuple[Message, dict[str, object]]:
    """Booted; the CSMS sends the configured network connection profile; answer `answer`."""
    station.on("SetNetworkProfile").respond(status=answer)
    await csms_v201.booted(station, dut, check)
    url = provisioning_v201.csms_base_url(station)
    payload = provisioning_v201.network_profile(url, dut.profile.security.profile, slot=SLOT)
    request = await commanded(station, dut, "SetNetworkProfile", payload)
    return request, payload


@ocpp_case("TC_B_42_CSMS", version="2.0.1", refs=("B09.FR.01",))
async def test_network_profile_accepted(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """SetNetworkProfile carries the configured slot and connection data (Table 481)."""
    request, payload = await _set_network_profile(station, dut, check, "Accepted")
    data = payload["connectionData"]
    assert isinstance(data, dict)
    expected: dict[str, object] = {"configurationSlot": SLOT}
    expected.update({f"connectionData.{name}": value for name, value in data.items()})
    check_fields(check, request, expected, ref="B09.FR.01")


@ocpp_case("TC_B_44_CSMS", version="2.0.1", refs=("B09.FR.03",))
async def test_network_profile_failed(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The station answers SetNetworkProfile Failed; the CSMS goes on serving it (Table 482)."""
    await _set_network_profile(station, dut, check, "Failed")
    heartbeat = await station.call("Heartbeat", {})
    check.must(
        heartbeat.ok,
        f"after the Failed SetNetworkProfileResponse the CSMS keeps serving the station: "
        f"expected a HeartbeatResponse, saw {heartbeat.describe()}",
        ref="B09.FR.03",
    )
