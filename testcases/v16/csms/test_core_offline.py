"""OCPP 1.6 Core, Central System under test: power failure and offline transactions.

The emulated charge point loses its connection (or power), acts locally, reconnects after the
DUT profile's reconnect delay and delivers its queued transaction-related messages with their
original timestamps (1.6 §3.7). The Central System SHOULD process them as any other and MUST
verify the idTag of a StartTransaction.req (§4.8), which here was authorized offline.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.station import StationEmulator

#: How long ago (s) the offline events are dated: clearly in the past when delivered.
OFFLINE_AGO = 120
#: Sampled value contexts of the transaction's begin and end readings (1.6 §7.31).
BEGIN = {"context": "Transaction.Begin", "measurand": "Energy.Active.Import.Register"}
END = {"context": "Transaction.End", "measurand": "Energy.Active.Import.Register"}


def _ago(seconds: float) -> str:
    return utc_timestamp(datetime.now(UTC) - timedelta(seconds=seconds))


async def _offline_start(
    station: StationEmulator, dut: Dut, check: Checks, id_tag: str, expected: tuple[str, ...]
) -> int | None:
    """Queued StartTransaction.req dated in the offline period; status in `expected` (§4.8).

    Returns the transactionId, which the Central System MUST give whatever the status.
    """
    answer = await station.call(
        "StartTransaction",
        connectorId=dut.connector_id(),
        idTag=id_tag,
        meterStart=1000,
        timestamp=_ago(OFFLINE_AGO),
    )
    status = (answer.get("idTagInfo") or {}).get("status")
    check.must(
        status in expected,
        f"StartTransaction.conf idTagInfo.status for the offline-started {id_tag}: expected one "
        f"of {expected}, saw {status!r} ({answer.describe()})",
        ref="1.6 §4.8",
    )
    transaction_id = answer.get("transactionId")
    check.must(
        isinstance(transaction_id, int),
        f"StartTransaction.conf includes a transactionId: {transaction_id!r}",
        ref="1.6 §4.8",
    )
    return transaction_id if isinstance(transaction_id, int) else None


@ocpp_case(
    "TC_032_1_CSMS",
    version="1.6",
    refs=("1.6 §4.2", "1.6 §4.10", "1.6 §7.39", "1.6 §3.7"),
)
async def test_power_failure_stops_transactions(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Charging; power fails; after the reboot StopTransaction PowerLoss is delivered.

    The charge point is configured to stop transactions on power loss: it boots (accepted),
    sends the queued StopTransaction.req with reason PowerLoss dated at the power failure, and
    reports its connectors Available.
    """
    connector = dut.connector_id()
    transaction_id = await csms_v16.charging_session(station, dut, check, connector)
    power_lost = utc_timestamp()
    await station.disconnect()
    await csms_v16.booted(station, dut, check)
    await csms_v16.stop_transaction(
        station, check, transaction_id, reason="PowerLoss", timestamp=power_lost
    )


@ocpp_case(
    "TC_037_1_CSMS",
    version="1.6",
    refs=("1.6 §3.7", "1.6 §4.8", "1.6 §3.5.4", "2.0.1 Part 6 TC_C_08_CSMS"),
)
async def test_offline_start_valid(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Offline start with the valid idTag; after the reconnect the StartTransaction is accepted."""
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await station.disconnect()
    await station.connect()
    transaction_id = await _offline_start(station, dut, check, dut.tokens.valid, ("Accepted",))
    await csms_v16.report_status(station, check, connector, "Charging")
    if transaction_id is not None:
        meter = await station.call(
            "MeterValues",
            connectorId=connector,
            transactionId=transaction_id,
            meterValue=[{"timestamp": utc_timestamp(), "sampledValue": [{"value": "1500"}]}],
        )
        check.must(meter.ok, f"MeterValues.conf: {meter.describe()}", ref="1.6 §4.7")


@ocpp_case(
    "TC_037_3_CSMS",
    version="1.6",
    refs=("1.6 §3.5.4", "1.6 §4.8", "errata 3.17", "1.6 §9.1.24", "2.0.1 Part 6 TC_C_20_CSMS"),
)
async def test_offline_start_invalid(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Offline start with an unknown idTag: StartTransaction.conf Invalid, stop DeAuthorized.

    Unknown offline authorization (§3.5.4) let the transaction start; the Central System MUST
    verify the idTag (§4.8) and reports it Invalid; with StopTransactionOnInvalidId true the
    charge point then stops the transaction with reason DeAuthorized (errata 3.17).
    """
    await csms_v16.booted(station, dut, check)
    await station.disconnect()
    await station.connect()
    transaction_id = await _offline_start(station, dut, check, dut.tokens.invalid, ("Invalid",))
    if transaction_id is not None:
        await csms_v16.stop_transaction(station, check, transaction_id, reason="DeAuthorized")


@ocpp_case(
    "TC_039_CSMS",
    version="1.6",
    refs=("1.6 §3.7", "1.6 §4.8", "1.6 §4.10", "1.6 §7.39"),
)
async def test_offline_transaction(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """A whole transaction made offline: queued Start and Stop delivered in order, both answered.

    The StopTransaction.req uses the transactionId the StartTransaction.conf just gave, with
    its transactionData (1.6 §4.10).
    """
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await station.disconnect()
    await station.connect()
    transaction_id = await _offline_start(station, dut, check, dut.tokens.valid, ("Accepted",))
    if transaction_id is None:
        return
    stopped_at = _ago(OFFLINE_AGO / 2)
    samples = [
        {"timestamp": _ago(OFFLINE_AGO), "sampledValue": [{"value": "1000", **BEGIN}]},
        {"timestamp": stopped_at, "sampledValue": [{"value": "4000", **END}]},
    ]
    await csms_v16.stop_transaction(
        station,
        check,
        transaction_id,
        id_tag=dut.tokens.valid,
        meter_stop=4000,
        timestamp=stopped_at,
        transactionData=samples,
    )
    await csms_v16.report_status(station, check, connector, "Available")
