"""OCPP 1.6 Basic Actions, non-happy flows (1.6 catalog sections 10, 11): charge point under test.

The 1.6 compliance test document is not public: each case follows the 2.0.1 Part 6 case of the
same purpose (named in its docstring), translated to 1.6 messages.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator


async def _no_transaction(csms: CsmsEmulator, dut: Dut, check: Checks, connector_id: int) -> None:
    """No StartTransaction.req within the quiet window, and the connector never Charging."""
    await csms.expect_none("StartTransaction", during=station_v16.quiet_window(dut))
    charging = csms.received(
        "StatusNotification", {"connectorId": connector_id, "status": "Charging"}
    )
    check.must(not charging, f"connector {connector_id} never reports Charging", ref="1.6 §4.9")


@ocpp_case(
    "TC_023_4_CS",
    version="1.6",
    refs=("1.6 §4.1", "1.6 §4.8", "Part 6 TC_C_02_CS"),
    needs=("plug_in", "present_token"),
)
async def test_local_start_with_invalid_id_tag(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Plug in, present an invalid idTag: Authorize.req answered Invalid, no transaction starts.

    2.0.1 Part 6 TC_C_02_CS (Table 65): AuthorizeRequest with the invalid token, answered
    Invalid; the station SHALL NOT start a transaction.
    """
    await station_v16.idle(csms, dut)
    connector_id = dut.connector_id(1, 1)
    csms.on("Authorize", where={"idTag": dut.tokens.invalid}).respond(
        idTagInfo={"status": "Invalid"}
    )
    await station_v16.plugged_in(csms, dut)
    mark = csms.wirelog.now()
    await dut.present_token(dut.tokens.invalid)
    authorize = await csms.expect("Authorize", within=dut.timeouts.action, since=mark)
    check.equal(authorize["idTag"], dut.tokens.invalid, "Authorize.req idTag", ref="1.6 §4.1")
    await _no_transaction(csms, dut, check, connector_id)


@ocpp_case(
    "TC_023_5_CS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §9.1.3", "1.6 §4.1", "Part 6 TC_F_02_CS"),
    needs=("plug_in",),
)
async def test_remote_start_with_invalid_id_tag(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """Remote start with an invalid idTag: Authorize.req answered Invalid, no transaction.

    2.0.1 Part 6 TC_F_01/TC_F_02_CS (remote start, AuthorizeRemoteStart true) with an idToken
    the CSMS answers Invalid: the station accepts the request, authorizes first (1.6 §5.11) and
    SHALL NOT start a transaction for an idTag that is not Accepted (1.6 §4.1).
    """
    await station_v16.idle(csms, dut)
    connector_id = dut.connector_id(1, 1)
    await station_v16.configured(csms, "AuthorizeRemoteTxRequests", "true", optional=True)
    csms.on("Authorize", where={"idTag": dut.tokens.invalid}).respond(
        idTagInfo={"status": "Invalid"}
    )
    await station_v16.plugged_in(csms, dut)
    mark = csms.wirelog.now()
    remote = await csms.call(
        "RemoteStartTransaction", connectorId=connector_id, idTag=dut.tokens.invalid
    )
    check.equal(
        remote.get("status"), "Accepted", "RemoteStartTransaction.conf status", ref="1.6 §5.11"
    )
    authorize = await csms.expect("Authorize", within=dut.timeouts.action, since=mark)
    check.equal(authorize["idTag"], dut.tokens.invalid, "Authorize.req idTag", ref="1.6 §5.11")
    await _no_transaction(csms, dut, check, connector_id)


@ocpp_case(
    "TC_024_CS",
    version="1.6",
    refs=("1.6 §4.9", "1.6 §7.6", "Part 6 TC_G_20_CS"),
    needs=("connector_lock", "lock_failure", "plug_in", "present_token"),
)
async def test_start_with_connector_lock_failure(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """The lock fails after authorization: StatusNotification ConnectorLockFailure, no transaction.

    2.0.1 Part 6 TC_G_20_CS (Table 217): after the Authorized state the station reports the lock
    problem and does not start charging; in 1.6 the report is StatusNotification.req with
    errorCode ConnectorLockFailure (§7.6).
    """
    await station_v16.idle(csms, dut)
    connector_id = dut.connector_id(1, 1)
    await dut.lock_failure(1, 1)
    await station_v16.plugged_in(csms, dut)
    mark = csms.wirelog.now()
    await station_v16.authorized(csms, dut, check)
    lock_failure = {"connectorId": connector_id, "errorCode": "ConnectorLockFailure"}
    first = await csms.expect_any(
        [("StatusNotification", lock_failure), ("StartTransaction", {"connectorId": connector_id})],
        within=dut.timeouts.action,
        since=mark,
    )
    check.must(
        first.action == "StatusNotification",
        f"lock failure reported before any transaction; saw {first.summary()}",
        ref="1.6 §7.6",
    )
    await _no_transaction(csms, dut, check, connector_id)
    await dut.lock_failure(1, 1, failing=False)
