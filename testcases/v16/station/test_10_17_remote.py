"""OCPP 1.6 Remote Actions and Unlocking, non-happy flows (1.6 catalog sections 12 and 13).

Charge point under test. The 1.6 compliance test document is not public: each case follows the
2.0.1 Part 6 case of the same purpose (named in its docstring), translated to 1.6 messages.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator

#: A connectorId no charge point under test is expected to have (2.0.1 TC_F_10_CS uses 999).
UNKNOWN_CONNECTOR = 999


@ocpp_case(
    "TC_026_CS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §5.2", "1.6 §7.7", "1.6 §7.39"),
)
async def test_remote_start_on_unavailable_connector(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Connector made Unavailable; RemoteStartTransaction for it is Rejected.

    Unavailable means the connector is not available for a new transaction (1.6 §7.7), so the
    charge point cannot accept a remote start there (§5.11, RemoteStartStopStatus §7.39). Made
    Operative again afterwards.
    """
    await station_v16.idle(csms, dut)
    connector_id = dut.connector_id(1, 1)
    await station_v16.unavailable(csms, dut, check)
    remote = await csms.call(
        "RemoteStartTransaction", connectorId=connector_id, idTag=dut.tokens.valid
    )
    check.equal(
        remote.get("status"), "Rejected", "RemoteStartTransaction.conf status", ref="1.6 §5.11"
    )
    await csms.call("ChangeAvailability", connectorId=connector_id, type="Operative")


@ocpp_case("TC_027_CS", version="1.6", refs=("1.6 §6.33", "1.6 §5.11", "1.6 §3.8"))
async def test_remote_start_on_connector_zero(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction with connectorId 0 is Rejected.

    RemoteStartTransaction.req connectorId "SHALL be > 0" (1.6 §6.33); connector 0 is the
    charge point as a whole (§3.8) and cannot host a transaction.
    """
    await station_v16.idle(csms, dut)
    remote = await csms.call("RemoteStartTransaction", connectorId=0, idTag=dut.tokens.valid)
    check.equal(
        remote.get("status"), "Rejected", "RemoteStartTransaction.conf status", ref="1.6 §6.33"
    )


@ocpp_case(
    "TC_028_CS",
    version="1.6",
    refs=("1.6 §5.12", "1.6 §7.39", "Part 6 TC_F_09_CS"),
    needs=("plug_in", "present_token"),
)
async def test_remote_stop_unknown_transaction(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """During a transaction, RemoteStopTransaction with another transactionId is Rejected.

    2.0.1 Part 6 TC_F_09_CS (Table 182): state EnergyTransferStarted; the stop request names a
    transactionId other than the running one; the response status must be Rejected.
    """
    await station_v16.idle(csms, dut)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await station_v16.authorized(csms, dut, check)
    start = await station_v16.charging(csms, dut, check, since=mark)
    running = int((start.answer or {}).get("transactionId", 0))
    remote = await csms.call("RemoteStopTransaction", transactionId=running + 1000)
    check.equal(
        remote.get("status"), "Rejected", "RemoteStopTransaction.conf status", ref="1.6 §5.12"
    )


@ocpp_case(
    "TC_030_CS",
    version="1.6",
    refs=("1.6 §5.18", "1.6 §7.46", "Part 6 TC_F_06_CS"),
    needs=("connector_lock", "lock_failure", "plug_in"),
)
async def test_unlock_connector_failure(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """The connector lock cannot open: UnlockConnector.conf UnlockFailed.

    2.0.1 Part 6 TC_F_06_CS (unlock without a transaction) with the lock failing; 1.6 §5.18:
    the response SHALL indicate whether the charge point was able to unlock (§7.46).
    """
    await station_v16.idle(csms, dut)
    connector_id = dut.connector_id(1, 1)
    await station_v16.plugged_in(csms, dut)
    await dut.lock_failure(1, 1)
    unlock = await csms.call("UnlockConnector", connectorId=connector_id)
    check.equal(
        unlock.get("status"), "UnlockFailed", "UnlockConnector.conf status", ref="1.6 §5.18"
    )
    await dut.lock_failure(1, 1, failing=False)


@ocpp_case(
    "TC_031_CS",
    version="1.6",
    refs=("1.6 §5.18", "1.6 §7.46", "Part 6 TC_F_10_CS"),
    needs=("connector_lock",),
)
async def test_unlock_unknown_connector(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """UnlockConnector for a connectorId the charge point does not have: NotSupported.

    2.0.1 Part 6 TC_F_10_CS (Table 183) uses connectorId 999 and expects UnknownConnector; the
    1.6 UnlockStatus for an unknown ConnectorId is NotSupported (§7.46).
    """
    await station_v16.idle(csms, dut)
    unlock = await csms.call("UnlockConnector", connectorId=UNKNOWN_CONNECTOR)
    check.equal(
        unlock.get("status"), "NotSupported", "UnlockConnector.conf status", ref="1.6 §7.46"
    )
