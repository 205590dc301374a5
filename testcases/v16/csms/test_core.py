"""OCPP 1.6 Core, Central System under test."""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.station import StationEmulator


@ocpp_case("TC_001_CSMS", version="1.6", refs=("1.6 §4.2", "1.6 §4.6", "1.6 §4.9"))
async def test_cold_boot(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Boot accepted, statuses acknowledged, Heartbeat answered with the current time."""
    await csms_v16.booted(station, dut, check)
    heartbeat = await station.call("Heartbeat")
    check.must(
        heartbeat.ok, f"Heartbeat.conf with currentTime: {heartbeat.describe()}", ref="1.6 §4.6"
    )


@ocpp_case("TC_003_CSMS", version="1.6", refs=("1.6 §4.1", "1.6 §4.7", "1.6 §4.8", "1.6 §4.10"))
async def test_charging_session_plugin_first(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Preparing, Authorize, StartTransaction, Charging, MeterValues, StopTransaction."""
    await csms_v16.booted(station, dut, check)
    await station.call("StatusNotification", csms_v16.status(1, "Preparing"))
    await csms_v16.authorize(station, dut, check)
    transaction_id = await csms_v16.start_transaction(station, dut, check, meter_start=1000)
    await station.call("StatusNotification", csms_v16.status(1, "Charging"))
    meter = await station.call(
        "MeterValues",
        connectorId=1,
        transactionId=transaction_id,
        meterValue=[{"timestamp": utc_timestamp(), "sampledValue": [{"value": "1500"}]}],
    )
    check.must(meter.ok, f"MeterValues.conf: {meter.describe()}", ref="1.6 §4.7")
    await csms_v16.stop_transaction(
        station, check, transaction_id, id_tag=dut.tokens.valid, meter_stop=2000
    )
