"""OCPP 1.6 Core, Central System under test: unlock connector, configuration, clear cache.

The operator makes the Central System send the command (`dut.trigger`); the harness, as the
charge point, checks the CALL against what was asked and answers as the official case's
charge point would (Unlocked / UnlockFailed / NotSupported, Accepted / Rejected ...). After a
refusal the Central System must go on serving the charge point.
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.roles.station import StationEmulator

#: A configuration key no charge point knows (TC_040_1).
UNKNOWN_KEY = "HarnessUnknownKey"
#: A value outside the range of MeterValueSampleInterval (seconds >= 0, 1.6 §9.1.18).
INVALID_INTERVAL = "-30"


async def _unlock(
    station: StationEmulator, dut: Dut, check: Checks, connector: int, status: str
) -> None:
    """UnlockConnector.req for `connector`, answered `status` (1.6 §5.18)."""
    request = await csms_v16.command(
        station, dut, "UnlockConnector", {"connectorId": connector}, {"status": status}
    )
    check.equal(
        request.get("connectorId"),
        connector,
        "UnlockConnector.req connectorId (the connector asked for)",
        ref="1.6 §5.18",
    )


@ocpp_case("TC_017_1_CSMS", version="1.6", refs=("1.6 §5.18", "2.0.1 Part 6 TC_F_06_CSMS"))
async def test_unlock_no_session(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """No transaction; UnlockConnector for connector 1 answered Unlocked."""
    await csms_v16.booted(station, dut, check)
    await _unlock(station, dut, check, dut.connector_id(), "Unlocked")


@ocpp_case(
    "TC_017_2_CSMS", version="1.6", refs=("1.6 §5.18", "1.6 §7.46", "2.0.1 Part 6 TC_F_06_CSMS")
)
async def test_unlock_fixed_cable(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The charge point has a fixed cable: UnlockConnector answered NotSupported (§7.46)."""
    await csms_v16.booted(station, dut, check)
    await _unlock(station, dut, check, dut.connector_id(), "NotSupported")
    await csms_v16.still_served(station, check, "UnlockConnector.conf NotSupported")


@ocpp_case("TC_018_1_CSMS", version="1.6", refs=("1.6 §5.18", "1.6 §4.10", "1.6 §7.39"))
async def test_unlock_with_session(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Charging; UnlockConnector: the charge point ends the transaction first (UnlockCommand).

    1.6 §5.18: a transaction on the connector is finished first as in Stop Transaction; the
    reason is UnlockCommand (§7.39).
    """
    connector = dut.connector_id()
    transaction_id = await csms_v16.charging_session(station, dut, check, connector)
    await _unlock(station, dut, check, connector, "Unlocked")
    await csms_v16.stop_transaction(station, check, transaction_id, reason="UnlockCommand")
    await csms_v16.report_status(station, check, connector, "Available")


@ocpp_case("TC_030_CSMS", version="1.6", refs=("1.6 §5.18", "1.6 §7.46"))
async def test_unlock_failure(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """UnlockConnector answered UnlockFailed: the Central System goes on serving."""
    await csms_v16.booted(station, dut, check)
    await _unlock(station, dut, check, dut.connector_id(), "UnlockFailed")
    await csms_v16.still_served(station, check, "UnlockConnector.conf UnlockFailed")


@ocpp_case("TC_031_CSMS", version="1.6", refs=("1.6 §5.18", "1.6 §7.46"))
async def test_unlock_unknown_connector(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """UnlockConnector for a connectorId the charge point lacks, answered NotSupported (§7.46)."""
    unknown = sum(len(evse.connectors) for evse in dut.profile.evses) + 1
    await csms_v16.booted(station, dut, check)
    await _unlock(station, dut, check, unknown, "NotSupported")
    await csms_v16.still_served(station, check, f"UnlockConnector.conf NotSupported ({unknown})")


async def _get_configuration(
    station: StationEmulator, dut: Dut, check: Checks, asked: dict[str, Any]
) -> list[Any] | None:
    """GetConfiguration.req for `asked`, answered with the keys; return its key list."""
    answer = {
        "configurationKey": [
            {"key": "ConnectionTimeOut", "readonly": False, "value": "60"},
            {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
        ]
    }
    request = await csms_v16.command(station, dut, "GetConfiguration", asked, answer)
    keys = request.get("key")
    check.must(
        keys is None or isinstance(keys, list),
        f"GetConfiguration.req key is a list: {keys!r}",
        ref="1.6 §6.23",
    )
    return keys if isinstance(keys, list) else None


@ocpp_case("TC_019_1_CSMS", version="1.6", refs=("1.6 §5.8", "1.6 §6.23"))
async def test_get_all_configuration(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """All keys asked for: GetConfiguration.req with the key list empty or absent (§5.8)."""
    await csms_v16.booted(station, dut, check)
    keys = await _get_configuration(station, dut, check, {})
    check.must(
        not keys,
        f"GetConfiguration.req for all keys: expected no key list (or an empty one), saw {keys}",
        ref="1.6 §5.8",
    )


@ocpp_case("TC_019_2_CSMS", version="1.6", refs=("1.6 §5.8", "1.6 §6.23"))
async def test_get_specific_configuration(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """One key asked for: GetConfiguration.req with key ['ConnectionTimeOut']."""
    await csms_v16.booted(station, dut, check)
    keys = await _get_configuration(station, dut, check, {"key": ["ConnectionTimeOut"]})
    check.equal(keys, ["ConnectionTimeOut"], "GetConfiguration.req key", ref="1.6 §5.8")


async def _change_configuration(
    station: StationEmulator, dut: Dut, check: Checks, key: str, value: str, status: str
) -> None:
    """ChangeConfiguration.req key=value as asked, answered `status` (1.6 §5.3)."""
    request = await csms_v16.command(
        station, dut, "ChangeConfiguration", {"key": key, "value": value}, {"status": status}
    )
    check.equal(request.get("key"), key, "ChangeConfiguration.req key", ref="1.6 §5.3")
    check.equal(request.get("value"), value, "ChangeConfiguration.req value", ref="1.6 §5.3")


@ocpp_case("TC_021_CSMS", version="1.6", refs=("1.6 §5.3", "1.6 §9.1.18"))
async def test_change_configuration(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """ChangeConfiguration MeterValueSampleInterval=30, Accepted."""
    await csms_v16.booted(station, dut, check)
    await _change_configuration(station, dut, check, "MeterValueSampleInterval", "30", "Accepted")


@ocpp_case("TC_040_1_CSMS", version="1.6", refs=("1.6 §5.3", "1.6 §7.8"))
async def test_configuration_key_not_supported(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """ChangeConfiguration of a key the charge point does not know, answered NotSupported."""
    await csms_v16.booted(station, dut, check)
    await _change_configuration(station, dut, check, UNKNOWN_KEY, "1", "NotSupported")
    await csms_v16.still_served(station, check, "ChangeConfiguration.conf NotSupported")


@ocpp_case("TC_040_2_CSMS", version="1.6", refs=("1.6 §5.3", "1.6 §7.8"))
async def test_configuration_invalid_value(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """ChangeConfiguration with an out-of-range value, answered Rejected (§5.3)."""
    await csms_v16.booted(station, dut, check)
    await _change_configuration(
        station, dut, check, "MeterValueSampleInterval", INVALID_INTERVAL, "Rejected"
    )
    await csms_v16.still_served(station, check, "ChangeConfiguration.conf Rejected")


@ocpp_case(
    "TC_061_CSMS",
    version="1.6",
    refs=("1.6 §5.4", "1.6 §3.5.1", "2.0.1 Part 6 TC_C_37_CSMS"),
    needs=("authorization_cache",),
)
async def test_clear_cache(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """ClearCache accepted; the valid idTag, no longer cached, is authorized again online."""
    await csms_v16.booted(station, dut, check)
    await csms_v16.authorize(station, dut, check)
    request = await csms_v16.command(station, dut, "ClearCache", {}, {"status": "Accepted"})
    check.equal(request.payload, {}, "ClearCache.req payload (no fields, §6.11)", ref="1.6 §5.4")
    await csms_v16.authorize(station, dut, check)
