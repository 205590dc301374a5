"""OCPP 1.6 Core, charge point under test: Unlocking (07), Configuration (08), Meter Values (09).

The 1.6 compliance test document is not public; each case follows the 2.0.1 Part 6 case of the
same purpose (named in its refs), translated to 1.6 messages.
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.ocppj.clock import parse_timestamp
from harness.roles.csms import CsmsEmulator

#: Required Core configuration keys (1.6 §9.1, "Required/optional: required").
REQUIRED_CORE_KEYS = (
    "AuthorizeRemoteTxRequests",
    "ClockAlignedDataInterval",
    "ConnectionTimeOut",
    "ConnectorPhaseRotation",
    "GetConfigurationMaxKeys",
    "HeartbeatInterval",
    "LocalAuthorizeOffline",
    "LocalPreAuthorize",
    "MeterValuesAlignedData",
    "MeterValuesSampledData",
    "MeterValueSampleInterval",
    "NumberOfConnectors",
    "ResetRetries",
    "StopTransactionOnEVSideDisconnect",
    "StopTransactionOnInvalidId",
    "StopTxnAlignedData",
    "StopTxnSampledData",
    "SupportedFeatureProfiles",
    "TransactionMessageAttempts",
    "TransactionMessageRetryInterval",
    "UnlockConnectorOnEVSideDisconnect",
)
#: Sampled measurands configured by TC_070_CS (both in the 1.6 §7.31 Measurand list).
SAMPLED = ("Energy.Active.Import.Register", "Power.Active.Import")
#: MeterValueSampleInterval (s) and ClockAlignedDataInterval (s) configured for section 09.
SAMPLE_INTERVAL = 1
ALIGNED_INTERVAL = 2
#: How far (s) a clock-aligned reading may be from its interval boundary.
ALIGNMENT_TOLERANCE = 0.5


async def _unlock(csms: CsmsEmulator, dut: Dut, check: Checks, expected: str) -> None:
    outcome = await csms.call("UnlockConnector", connectorId=dut.connector_id(1, 1))
    check.equal(
        outcome.get("status"), expected, "UnlockConnector.conf status", ref="1.6 §5.18, §7.46"
    )


@ocpp_case(
    "TC_017_1_CS",
    version="1.6",
    refs=("1.6 §5.18", "1.6 §7.46", "2.0.1 Part 6 TC_F_06_CS"),
    needs=("not:fixed_cable", "connector_lock"),
)
async def test_unlock_without_session(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """UnlockConnector without a transaction (detachable cable): Unlocked."""
    await station_v16.idle(csms, dut)
    await _unlock(csms, dut, check, "Unlocked")


@ocpp_case(
    "TC_017_2_CS",
    version="1.6",
    refs=("1.6 §5.18", "1.6 §7.46"),
    needs=("fixed_cable",),
)
async def test_unlock_without_session_fixed_cable(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """UnlockConnector on a fixed cable: NotSupported ("has no connector lock", §7.46)."""
    await station_v16.idle(csms, dut)
    await _unlock(csms, dut, check, "NotSupported")


async def _unlock_during_session(
    csms: CsmsEmulator, dut: Dut, check: Checks, expected: str
) -> None:
    """Charging, UnlockConnector: the transaction is finished first (1.6 §5.18)."""
    await station_v16.idle(csms, dut)
    start = await station_v16.session(csms, dut, check)
    mark = csms.wirelog.now()
    await _unlock(csms, dut, check, expected)
    await station_v16.stopped(csms, dut, check, start, since=mark, reason="UnlockCommand")
    await station_v16.unplugged(csms, dut)


@ocpp_case(
    "TC_018_1_CS",
    version="1.6",
    refs=("1.6 §5.18", "1.6 §4.10", "1.6 §7.36"),
    needs=("not:fixed_cable", "connector_lock", "plug_in", "unplug", "present_token"),
)
async def test_unlock_during_session(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """UnlockConnector while charging: Unlocked, StopTransaction reason UnlockCommand."""
    await _unlock_during_session(csms, dut, check, "Unlocked")


@ocpp_case(
    "TC_018_2_CS",
    version="1.6",
    refs=("1.6 §5.18", "1.6 §4.10", "1.6 §7.46"),
    needs=("fixed_cable", "plug_in", "unplug", "present_token"),
)
async def test_unlock_during_session_fixed_cable(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """UnlockConnector while charging on a fixed cable: NotSupported, transaction finished."""
    await _unlock_during_session(csms, dut, check, "NotSupported")


def _keys(payload: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {entry["key"]: entry for entry in (payload or {}).get("configurationKey", [])}


@ocpp_case(
    "TC_019_CS",
    version="1.6",
    refs=("1.6 §5.8", "1.6 §9.1", "2.0.1 Part 6 TC_B_06_CS"),
)
async def test_get_configuration(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """GetConfiguration: all keys list every required Core key; named keys give just those."""
    await station_v16.idle(csms, dut)
    listed = _keys((await csms.call("GetConfiguration")).payload)
    missing = [k for k in REQUIRED_CORE_KEYS if k not in listed]
    check.must(
        not missing,
        f"required Core keys missing from GetConfiguration.conf: {missing}",
        ref="1.6 §9.1",
    )
    wanted = ["HeartbeatInterval", "MeterValueSampleInterval"]
    answer = await csms.call("GetConfiguration", key=wanted)
    check.equal(
        sorted(_keys(answer.payload)), sorted(wanted), "keys returned for key=[...]", ref="1.6 §5.8"
    )
    check.equal(answer.get("unknownKey", []), [], "unknownKey for known keys", ref="1.6 §5.8")


@ocpp_case(
    "TC_021_CS",
    version="1.6",
    refs=("1.6 §5.3", "1.6 §5.8", "2.0.1 Part 6 TC_B_09_CS"),
)
async def test_change_configuration(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ChangeConfiguration MeterValueSampleInterval: Accepted, GetConfiguration reads it back."""
    await station_v16.idle(csms, dut)
    key = "MeterValueSampleInterval"
    before = _keys((await csms.call("GetConfiguration", key=[key])).payload).get(key, {})
    old = str(before.get("value", ""))
    new = "17" if old != "17" else "18"
    await station_v16.configured(csms, key, new)
    after = _keys((await csms.call("GetConfiguration", key=[key])).payload).get(key, {})
    check.equal(
        after.get("value"), new, f"{key} read back after ChangeConfiguration", ref="1.6 §5.3"
    )
    if old:
        await station_v16.configured(csms, key, old)


def _measurands(meter_value: dict[str, Any]) -> list[str]:
    """Measurands of a MeterValue; absent means the energy register (1.6 §7.43)."""
    return [
        s.get("measurand", "Energy.Active.Import.Register") for s in meter_value["sampledValue"]
    ]


@ocpp_case(
    "TC_070_CS",
    version="1.6",
    refs=("1.6 §3.16.1", "1.6 §4.7", "1.6 §9.1.17", "2.0.1 Part 6 TC_J_09_CS"),
    needs=("plug_in", "present_token"),
)
async def test_sampled_meter_values(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Sampled MeterValues every MeterValueSampleInterval with the configured measurands.

    Each MeterValues.req carries the connector, the transactionId and every measurand of
    MeterValuesSampledData (1.6 §3.16.1); context Sample.Periodic (§7.35).
    """
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "MeterValuesSampledData", ",".join(SAMPLED))
    await station_v16.configured(csms, "MeterValueSampleInterval", str(SAMPLE_INTERVAL))
    start = await station_v16.session(csms, dut, check)
    where = {"connectorId": start["connectorId"]}
    within = SAMPLE_INTERVAL + dut.timeouts.call
    first = await csms.expect("MeterValues", where=where, within=within, since=start.at)
    second = await csms.expect("MeterValues", where=where, within=within, since=first.at)
    for message in (first, second):
        check.equal(
            message.get("transactionId"),
            station_v16.transaction_id(start),
            "MeterValues.req transactionId",
            ref="1.6 §4.7",
        )
        for value in message["meterValue"]:
            seen = _measurands(value)
            missing = [m for m in SAMPLED if m not in seen]
            check.must(
                not missing,
                f"MeterValuesSampledData {list(SAMPLED)}: missing {missing}",
                ref="1.6 §3.16.1",
            )
            contexts = {s.get("context", "Sample.Periodic") for s in value["sampledValue"]}
            check.should(
                contexts == {"Sample.Periodic"},
                f"context Sample.Periodic: {contexts}",
                ref="1.6 §7.35",
            )


@ocpp_case(
    "TC_071_CS",
    version="1.6",
    refs=("1.6 §3.16.2", "1.6 §9.1.5", "1.6 §9.1.15", "2.0.1 Part 6 TC_J_01_CS"),
)
async def test_clock_aligned_meter_values(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Clock-aligned MeterValues (Sample.Clock) at ClockAlignedDataInterval boundaries."""
    await station_v16.idle(csms, dut)
    await station_v16.configured(csms, "MeterValuesAlignedData", SAMPLED[0])
    mark = csms.wirelog.now()
    await station_v16.configured(csms, "ClockAlignedDataInterval", str(ALIGNED_INTERVAL))
    message = await csms.expect(
        "MeterValues", within=ALIGNED_INTERVAL + dut.timeouts.call, since=mark
    )
    for value in message["meterValue"]:
        contexts = {s.get("context", "Sample.Periodic") for s in value["sampledValue"]}
        check.equal(
            contexts, {"Sample.Clock"}, "clock-aligned sampledValue context", ref="1.6 §7.35"
        )
        check.must(
            SAMPLED[0] in _measurands(value),
            f"MeterValuesAlignedData {SAMPLED[0]}",
            ref="1.6 §3.16.2",
        )
        offset = parse_timestamp(value["timestamp"]).timestamp() % ALIGNED_INTERVAL
        off = min(offset, ALIGNED_INTERVAL - offset)
        check.must(
            off <= ALIGNMENT_TOLERANCE,
            f"timestamp {value['timestamp']} is {off:.3f} s from a {ALIGNED_INTERVAL} s boundary",
            ref="1.6 §9.1.5",
        )
    await station_v16.configured(csms, "ClockAlignedDataInterval", "0")
