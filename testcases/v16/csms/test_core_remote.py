"""OCPP 1.6 Core, Central System under test: remote start/stop and reset.

The operator makes the Central System send the command (`dut.trigger`); the harness, as the
charge point, checks the CALL against what was asked (2.0.1 Part 6 tool validations such as
TC_F_01_CSMS "idToken <Configured valid_idtoken>"), answers as the official case's charge point
would, and plays the rest of the session.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator


async def _remote_start(
    station: StationEmulator, dut: Dut, check: Checks, status: str = "Accepted"
) -> Message:
    """RemoteStartTransaction.req for the valid idTag on connector 1, answered `status`."""
    connector = dut.connector_id()
    request = await csms_v16.command(
        station,
        dut,
        "RemoteStartTransaction",
        {"connectorId": connector, "idTag": dut.tokens.valid},
        {"status": status},
    )
    check.equal(request.get("idTag"), dut.tokens.valid, "RemoteStartTransaction.req idTag")
    check.must(
        request.get("connectorId") in (None, connector),
        f"RemoteStartTransaction.req connectorId: expected {connector} (the connector asked "
        f"for) or none, saw {request.get('connectorId')!r}",
        ref="1.6 §5.11",
    )
    return request


@ocpp_case(
    "TC_010_CSMS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §4.8", "2.0.1 Part 6 TC_F_01_CSMS"),
)
async def test_remote_start_cable_first(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Preparing, RemoteStartTransaction, then StartTransaction without Authorize (accepted).

    AuthorizeRemoteTxRequests false (§5.11): the charge point starts at once and the Central
    System checks the idTag in the StartTransaction.req (§4.8).
    """
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await csms_v16.report_status(station, check, connector, "Preparing")
    await _remote_start(station, dut, check)
    await csms_v16.start_transaction(station, dut, check, connector)
    await csms_v16.report_status(station, check, connector, "Charging")


@ocpp_case(
    "TC_011_1_CSMS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §4.1", "1.6 §4.8", "2.0.1 Part 6 TC_F_02_CSMS"),
)
async def test_remote_start_first(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction first; Authorize (AuthorizeRemoteTxRequests true), cable, start."""
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await _remote_start(station, dut, check)
    await csms_v16.authorize(station, dut, check)
    await csms_v16.report_status(station, check, connector, "Preparing")
    await csms_v16.start_transaction(station, dut, check, connector)
    await csms_v16.report_status(station, check, connector, "Charging")


@ocpp_case(
    "TC_011_2_CSMS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §9.1.6", "2.0.1 Part 6 TC_F_04_CSMS"),
)
async def test_remote_start_time_out(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction accepted, no EV within ConnectionTimeOut: Preparing, Available."""
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await _remote_start(station, dut, check)
    await csms_v16.report_status(station, check, connector, "Preparing")
    await csms_v16.report_status(station, check, connector, "Available")
    await csms_v16.still_served(station, check, "the remote start timed out")


@ocpp_case(
    "TC_026_CSMS", version="1.6", refs=("1.6 §5.11", "errata 3.32", "2.0.1 Part 6 TC_F_01_CSMS")
)
async def test_remote_start_rejected(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction answered Rejected: the Central System goes on serving."""
    await csms_v16.booted(station, dut, check)
    await _remote_start(station, dut, check, "Rejected")
    await csms_v16.still_served(station, check, "RemoteStartTransaction.conf Rejected")


async def _remote_stop(
    station: StationEmulator, dut: Dut, check: Checks, transaction_id: int, status: str
) -> None:
    """RemoteStopTransaction.req for `transaction_id`, answered `status` (1.6 §5.12)."""
    request = await csms_v16.command(
        station,
        dut,
        "RemoteStopTransaction",
        {"transactionId": transaction_id},
        {"status": status},
    )
    check.equal(
        request.get("transactionId"),
        transaction_id,
        "RemoteStopTransaction.req transactionId (the one StartTransaction.conf gave)",
        ref="1.6 §5.12",
    )


@ocpp_case(
    "TC_012_CSMS",
    version="1.6",
    refs=("1.6 §5.12", "1.6 §4.10", "1.6 §4.9", "2.0.1 Part 6 TC_E_21_CSMS"),
)
async def test_remote_stop(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Charging; RemoteStopTransaction accepted: Finishing, StopTransaction Remote, Available."""
    connector = dut.connector_id()
    transaction_id = await csms_v16.charging_session(station, dut, check, connector)
    await _remote_stop(station, dut, check, transaction_id, "Accepted")
    await csms_v16.report_status(station, check, connector, "Finishing")
    await csms_v16.stop_transaction(station, check, transaction_id, reason="Remote")
    await csms_v16.report_status(station, check, connector, "Available")


@ocpp_case("TC_028_CSMS", version="1.6", refs=("1.6 §5.12", "errata 3.33", "1.6 §4.10"))
async def test_remote_stop_rejected(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStopTransaction answered Rejected: the transaction goes on and ends locally later."""
    connector = dut.connector_id()
    transaction_id = await csms_v16.charging_session(station, dut, check, connector)
    await _remote_stop(station, dut, check, transaction_id, "Rejected")
    if await csms_v16.still_served(station, check, "RemoteStopTransaction.conf Rejected"):
        await csms_v16.stop_transaction(station, check, transaction_id, id_tag=dut.tokens.valid)


async def _reset(station: StationEmulator, dut: Dut, check: Checks, kind: str) -> None:
    """Reset.req of type `kind`, accepted (1.6 §5.14)."""
    request = await csms_v16.command(station, dut, "Reset", {"type": kind}, {"status": "Accepted"})
    check.equal(request.get("type"), kind, "Reset.req type (the reset asked for)", ref="1.6 §5.14")


@ocpp_case(
    "TC_013_CSMS",
    version="1.6",
    refs=("1.6 §5.14", "1.6 §4.2", "2.0.1 Part 6 TC_B_20_CSMS"),
)
async def test_hard_reset(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Reset Hard accepted; the charge point reboots: BootNotification Accepted, Available."""
    await csms_v16.booted(station, dut, check)
    await _reset(station, dut, check, "Hard")
    await station.disconnect()
    await csms_v16.booted(station, dut, check)


@ocpp_case(
    "TC_014_CSMS",
    version="1.6",
    refs=("1.6 §5.14", "1.6 §4.10", "1.6 §4.2", "2.0.1 Part 6 TC_B_21_CSMS"),
)
async def test_soft_reset(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Charging; Reset Soft: StopTransaction SoftReset first, then reboot and BootNotification.

    1.6 §5.14: at a soft reset the charge point stops ongoing transactions gracefully and
    sends StopTransaction.req before restarting.
    """
    connector = dut.connector_id()
    transaction_id = await csms_v16.charging_session(station, dut, check, connector)
    await _reset(station, dut, check, "Soft")
    await csms_v16.stop_transaction(station, check, transaction_id, reason="SoftReset")
    await station.disconnect()
    await csms_v16.booted(station, dut, check)
