"""OCPP 2.0.1 block A (Security), CSMS under test: updating the Basic auth password (A01)."""

from __future__ import annotations

import secrets
import string

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v201
from harness.cases.states.commands_v201 import commanded
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator

#: identifierString characters a password may use (Part 2 primitive datatypes).
_ALPHABET = string.ascii_letters + string.digits + "*-_=:+|@."


def new_password() -> str:
    """A random 32-character password (A00.FR.205: 16 to the maximum, here 40)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(32))


def _password_request(password: str) -> dict[str, object]:
    return {
        "setVariableData": [
            {
                "component": {"name": "SecurityCtrlr"},
                "variable": {"name": "BasicAuthPassword"},
                "attributeValue": password,
            }
        ]
    }


def _sent_password(check: Checks, request: Message) -> str | None:
    """Step 1 validation: the request sets SecurityCtrlr.BasicAuthPassword; its value."""
    for item in request.get("setVariableData", []):
        if (
            item.get("component", {}).get("name") == "SecurityCtrlr"
            and item.get("variable", {}).get("name") == "BasicAuthPassword"
        ):
            return str(item.get("attributeValue"))
    check.must(
        False,
        f"step 1 SetVariablesRequest: expected SecurityCtrlr.BasicAuthPassword, saw "
        f"{request.get('setVariableData')}",
        ref="A01.FR.02",
    )
    return None


async def _update(station: StationEmulator, dut: Dut, check: Checks, answer: str) -> str | None:
    """Booted; the CSMS sets a new BasicAuthPassword; the station answers `answer`."""
    await csms_v201.booted(station, dut, check)
    station.on("SetVariables").respond_with(
        lambda m: {
            "setVariableResult": [
                {"attributeStatus": answer, "component": i["component"], "variable": i["variable"]}
                for i in m["setVariableData"]
            ]
        }
    )
    request = await commanded(station, dut, "SetVariables", _password_request(new_password()))
    return _sent_password(check, request)


async def _reconnect(
    station: StationEmulator, dut: Dut, check: Checks, password: str, which: str, ref: str
) -> bool:
    """Steps 3-8: reconnect with `password`; the upgrade and the boot are accepted."""
    await station.disconnect()
    refused = await station.try_connect(password=password)
    if not check.must(
        refused is None,
        f"step 4: the CSMS must accept the {which} password on the new connection: {refused}",
        ref=ref,
    ):
        return False
    await csms_v201.booted(station, dut, check)
    return True


@ocpp_case(
    "TC_A_09_CSMS", version="2.0.1", refs=("A01.FR.02", "A01.FR.03"), security_profiles=(1, 2)
)
async def test_password_update_accepted(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The station accepts the new password; the CSMS accepts it on reconnect (Table 455).

    Afterwards the case asks the CSMS to set the configured password again, so a real CSMS
    keeps working with the DUT profile; that restore is not judged.
    """
    password = await _update(station, dut, check, "Accepted")
    if password is None or not await _reconnect(station, dut, check, password, "new", "A01.FR.03"):
        return
    configured = dut.profile.security.password
    if configured is not None:
        await dut.trigger("SetVariables", _password_request(configured))
        await station.expect("SetVariables", within=dut.timeouts.call)
        station.wirelog.record("action", "restored the configured Basic auth password")


@ocpp_case(
    "TC_A_10_CSMS",
    version="2.0.1",
    refs=("A01.FR.02", "A01.FR.04", "A01.FR.05"),
    security_profiles=(1, 2),
)
async def test_password_update_rejected(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The station rejects the new password; the CSMS keeps the old one (Table 456)."""
    await _update(station, dut, check, "Rejected")
    configured = dut.profile.security.password or ""
    await _reconnect(station, dut, check, configured, "old", "A01.FR.05")
