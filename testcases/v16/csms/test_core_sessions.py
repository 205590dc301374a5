"""OCPP 1.6 Core, Central System under test: local charging sessions and authorization.

The 1.6 compliance test document is not public: each case follows the 1.6 sections it cites
and the 2.0.1 Part 6 CSMS case of the same purpose (named in its refs). The harness plays the
charge point; the Central System only answers, so the checks judge its answers.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.ocppj.clock import utc_timestamp
from harness.roles.station import StationEmulator

#: A vendorId no Central System implements (1.6 §4.3 reversed DNS namespace).
UNKNOWN_VENDOR = "org.ocpp-harness.unknown-vendor"


@ocpp_case(
    "TC_004_1_CSMS",
    version="1.6",
    refs=("1.6 §4.1", "1.6 §4.8", "1.6 §4.9", "2.0.1 Part 6 TC_E_04_CSMS"),
)
async def test_identification_first(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Authorize before any connector is Preparing; then the session starts and ends.

    The idTag is presented with no EV plugged in (1.6 §4.1 Authorize.req is not tied to a
    connector); the Central System accepts it, then the StartTransaction.req (§4.8).
    """
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await csms_v16.authorize(station, dut, check)
    await csms_v16.report_status(station, check, connector, "Preparing")
    transaction_id = await csms_v16.start_transaction(station, dut, check, connector)
    await csms_v16.report_status(station, check, connector, "Charging")
    await csms_v16.stop_transaction(station, check, transaction_id, id_tag=dut.tokens.valid)
    await csms_v16.report_status(station, check, connector, "Available")


@ocpp_case(
    "TC_004_2_CSMS",
    version="1.6",
    refs=("1.6 §4.1", "1.6 §4.9", "1.6 §9.1.6", "2.0.1 Part 6 TC_E_04_CSMS"),
)
async def test_identification_first_connection_timeout(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """Authorized first, no EV within ConnectionTimeOut: Preparing, then Available again.

    1.6 §9.1.6: the charge point cancels the incipient session; the Central System answers the
    status changes and accepts the idTag again for the next attempt.
    """
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await csms_v16.authorize(station, dut, check)
    await csms_v16.report_status(station, check, connector, "Preparing")
    await csms_v16.report_status(station, check, connector, "Available")
    await csms_v16.authorize(station, dut, check)


@ocpp_case(
    "TC_005_1_CSMS",
    version="1.6",
    refs=("1.6 §4.9", "1.6 §4.10", "1.6 §9.1.23", "1.6 §9.1.33", "2.0.1 Part 6 TC_E_20_CSMS"),
)
async def test_ev_side_disconnected(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Charging; the cable is pulled at the EV: Finishing, StopTransaction EVDisconnected.

    With StopTransactionOnEVSideDisconnect and UnlockConnectorOnEVSideDisconnect true the
    charge point stops the transaction itself, without an idTag (1.6 §4.10), unlocks, and the
    connector becomes Available once the cable is taken away.
    """
    connector = dut.connector_id()
    transaction_id = await csms_v16.charging_session(station, dut, check, connector)
    await csms_v16.report_status(station, check, connector, "Finishing")
    await csms_v16.stop_transaction(station, check, transaction_id, reason="EVDisconnected")
    await csms_v16.report_status(station, check, connector, "Available")


@ocpp_case(
    "TC_007_CSMS",
    version="1.6",
    refs=("1.6 §3.5.1", "1.6 §4.8", "2.0.1 Part 6 TC_C_08_CSMS"),
)
async def test_cached_id_start(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """The valid idTag is in the charge point's cache: StartTransaction.req without Authorize.

    LocalPreAuthorize (§3.5.1): the charge point starts at once; the Central System verifies
    the idTag in the StartTransaction.req (§4.8) and accepts it.
    """
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await csms_v16.report_status(station, check, connector, "Preparing")
    await csms_v16.start_transaction(station, dut, check, connector)
    await csms_v16.report_status(station, check, connector, "Charging")


async def _authorize_refused(
    station: StationEmulator, dut: Dut, check: Checks, id_tag: str, allowed: tuple[str, ...]
) -> None:
    """Preparing, Authorize.req for `id_tag`: status one of `allowed`; back to Available."""
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await csms_v16.report_status(station, check, connector, "Preparing")
    answer = await station.call("Authorize", idTag=id_tag)
    status = (answer.get("idTagInfo") or {}).get("status")
    check.must(
        status in allowed,
        f"Authorize.conf idTagInfo.status for {id_tag}: expected one of {allowed}, saw {status!r}",
        ref="1.6 §4.1",
    )
    await csms_v16.report_status(station, check, connector, "Available")


@ocpp_case(
    "TC_023_1_CSMS", version="1.6", refs=("1.6 §4.1", "1.6 §7.2", "2.0.1 Part 6 TC_C_02_CSMS")
)
async def test_authorize_invalid(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """An idTag the Central System does not accept: Authorize.conf Invalid."""
    await _authorize_refused(station, dut, check, dut.tokens.invalid, ("Invalid",))


@ocpp_case(
    "TC_023_2_CSMS", version="1.6", refs=("1.6 §4.1", "1.6 §7.2", "2.0.1 Part 6 TC_C_07_CSMS")
)
async def test_authorize_expired(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """An expired idTag: Authorize.conf Expired (Part 6 TC_C_07_CSMS also allows Invalid)."""
    await _authorize_refused(station, dut, check, dut.tokens.expired, ("Expired", "Invalid"))


@ocpp_case(
    "TC_023_3_CSMS", version="1.6", refs=("1.6 §4.1", "1.6 §7.2", "2.0.1 Part 6 TC_C_06_CSMS")
)
async def test_authorize_blocked(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """A blocked idTag: Authorize.conf Blocked (Part 6 TC_C_06_CSMS also allows Invalid)."""
    await _authorize_refused(station, dut, check, dut.tokens.blocked, ("Blocked", "Invalid"))


@ocpp_case(
    "TC_024_CSMS",
    version="1.6",
    refs=("1.6 §4.9", "1.6 §7.6", "2.0.1 Part 6 TC_G_20_CSMS"),
)
async def test_lock_failure(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Authorized, but the connector cannot lock: Faulted with ConnectorLockFailure, no start.

    1.6 §4.9/§7.6: the charge point reports the error code ConnectorLockFailure; the Central
    System answers it and the later recovery (the driver takes the cable away).
    """
    connector = dut.connector_id()
    await csms_v16.booted(station, dut, check)
    await csms_v16.report_status(station, check, connector, "Preparing")
    await csms_v16.authorize(station, dut, check)
    await csms_v16.report_status(
        station, check, connector, "Faulted", "ConnectorLockFailure", info="lock did not engage"
    )
    await csms_v16.report_status(station, check, connector, "Available")


@ocpp_case(
    "TC_064_CSMS", version="1.6", refs=("1.6 §4.3", "1.6 §6.17", "2.0.1 Part 6 TC_P_02_CSMS")
)
async def test_data_transfer_to_central_system(
    station: StationEmulator, dut: Dut, check: Checks
) -> None:
    """DataTransfer.req with a vendorId the Central System does not implement.

    1.6 §4.3: the recipient SHALL return UnknownVendor(Id) without a data element. Part 6
    TC_P_02_CSMS also lets UnknownMessageId and Rejected pass ("implementers that just reject
    the message"), so those are SHOULD failures; Accepted is a MUST failure.
    """
    await csms_v16.booted(station, dut, check)
    answer = await station.call(
        "DataTransfer",
        vendorId=UNKNOWN_VENDOR,
        messageId="HarnessProbe",
        data=f"probe sent {utc_timestamp()}",
    )
    status = answer.get("status")
    check.must(
        status in ("UnknownVendorId", "UnknownMessageId", "Rejected"),
        f"DataTransfer.conf status for vendorId {UNKNOWN_VENDOR}: expected UnknownVendorId "
        f"(or UnknownMessageId / Rejected), saw {answer.describe()}",
        ref="1.6 §4.3",
    )
    check.should(
        status == "UnknownVendorId",
        f"DataTransfer.conf status for an unknown vendorId: expected 'UnknownVendorId', "
        f"saw {status!r}",
        ref="1.6 §4.3",
    )
    if status == "UnknownVendorId":
        check.must(
            "data" not in (answer.payload or {}),
            f"DataTransfer.conf UnknownVendorId has no data element: {answer.payload}",
            ref="1.6 §4.3",
        )
