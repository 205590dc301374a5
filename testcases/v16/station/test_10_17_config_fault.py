"""OCPP 1.6 Configuration Keys and Fault Behavior, non-happy flows (1.6 catalog sections 16, 17).

Charge point under test. The 1.6 compliance test document is not public: each case follows the
1.6 requirement it cites and the 2.0.1 Part 6 case of the same purpose where there is one.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator

#: A configuration key no charge point is expected to support (CiString50).
UNKNOWN_KEY = "OcppHarnessUnknownKey"
#: An integer key required by the Core profile (§9.1.19) and a value not in integer format.
INTEGER_KEY = "MeterValueSampleInterval"
NOT_AN_INTEGER = "not-a-number"


@ocpp_case("TC_040_1_CS", version="1.6", refs=("1.6 §5.3", "1.6 §7.22", "Part 6 TC_B_36_CS"))
async def test_change_unknown_configuration_key(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """ChangeConfiguration of a key the charge point does not support: NotSupported.

    1.6 §5.3: if "key" does not correspond to a supported setting, the charge point SHALL
    respond NotSupported (2.0.1 Part 6 TC_B_36_CS, Table 30, is the analogue).
    """
    await station_v16.idle(csms, dut)
    change = await csms.call("ChangeConfiguration", key=UNKNOWN_KEY, value="1")
    check.equal(
        change.get("status"), "NotSupported", "ChangeConfiguration.conf status", ref="1.6 §5.3"
    )


@ocpp_case(
    "TC_040_2_CS", version="1.6", refs=("1.6 §5.3", "1.6 §5.8", "1.6 §9.1.19", "Part 6 TC_B_11_CS")
)
async def test_change_configuration_invalid_value(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """ChangeConfiguration with a value not in the key's format: Rejected, value unchanged.

    1.6 §5.3: a request with a value that does not conform to the expected format is answered
    Rejected; GetConfiguration (§5.8) still shows the old value (2.0.1 Part 6 TC_B_11_CS,
    Table 32, "Set Variables - invalidly formatted values" is the analogue).
    """
    await station_v16.idle(csms, dut)
    before = await csms.call("GetConfiguration", key=[INTEGER_KEY])
    change = await csms.call("ChangeConfiguration", key=INTEGER_KEY, value=NOT_AN_INTEGER)
    check.equal(change.get("status"), "Rejected", "ChangeConfiguration.conf status", ref="1.6 §5.3")
    after = await csms.call("GetConfiguration", key=[INTEGER_KEY])
    check.equal(
        after.get("configurationKey"),
        before.get("configurationKey"),
        f"{INTEGER_KEY} in GetConfiguration.conf after the rejected change",
        ref="1.6 §5.3",
    )


@ocpp_case("TC_041_CS", version="1.6", refs=("1.6 §4.9", "1.6 §7.6", "1.6 §7.7"))
async def test_connector_fault_reported(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """A connector fault: StatusNotification Faulted with its errorCode, then Available again.

    1.6 §4.9 and §7.7: Faulted is reported when a connector has an error and is not available
    for energy delivery, with the ChargePointErrorCode (§7.6) of the error, not NoError; when
    the fault clears the connector reports Available with errorCode NoError.
    """
    await station_v16.idle(csms, dut)
    connector_id = dut.connector_id(1, 1)
    mark = csms.wirelog.now()
    await dut.connector_fault(1, 1, "GroundFailure")
    faulted = await csms.expect(
        "StatusNotification",
        where={"connectorId": connector_id, "status": "Faulted"},
        within=dut.timeouts.action,
        since=mark,
    )
    check.must(
        faulted["errorCode"] != "NoError",
        f"Faulted carries the error's errorCode, saw {faulted['errorCode']!r}",
        ref="1.6 §7.6",
    )
    await dut.connector_fault(1, 1, None)
    cleared = await csms.expect(
        "StatusNotification",
        where={"connectorId": connector_id, "status": "Available"},
        within=dut.timeouts.action,
        since=faulted.at,
    )
    check.equal(cleared["errorCode"], "NoError", "errorCode once the fault cleared", ref="1.6 §7.6")
