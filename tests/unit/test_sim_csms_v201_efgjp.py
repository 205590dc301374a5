"""The reference 2.0.1 CSMS's block E/F/G/J/P fault switches and their plumbing."""

from __future__ import annotations

from typing import Any

import pytest

from harness.ocppj.clock import utc_timestamp
from harness.sim.csms.callerror import CallErrorReply
from harness.sim.csms.config import CsmsConfig
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord
from harness.sim.csms.v201_data_transfer import has_custom_data
from harness.sim.csms.v201_remote_control import prepare
from harness.sim.faults_csms_v201_efgjp import CSMS_V201_EFGJP_FAULTS
from tests.unit.test_sim_csms_support import V16, V201, VALID, connected, get, running_csms


def _ctx(*faults: str, version: Any = V201) -> CsmsContext:
    return CsmsContext(CsmsConfig(version=version, faults=frozenset(faults)))


def _event(event_type: str, trigger: str, seq_no: int, tx: str = "T1", **extra: Any) -> Any:
    return {
        "eventType": event_type,
        "timestamp": utc_timestamp(),
        "triggerReason": trigger,
        "seqNo": seq_no,
        "transactionInfo": {"transactionId": tx},
        **extra,
    }


def test_fault_names_carry_their_block_prefix() -> None:
    prefixes = ("e201-", "f201-", "g201-", "j201-", "p201-")
    assert all(name.startswith(prefixes) for name in CSMS_V201_EFGJP_FAULTS)
    assert all(fault.caught_by for fault in CSMS_V201_EFGJP_FAULTS.values())


def test_prepare_without_faults_sends_the_payload_as_asked() -> None:
    payload = {"requestedMessage": "MeterValues", "evse": {"id": 1}}
    assert prepare(_ctx(), StationRecord("CS"), "TriggerMessage", payload) is payload
    other_version = _ctx("f201-evse-off-by-one", version=V16)
    assert prepare(other_version, StationRecord("CS"), "TriggerMessage", payload) is payload


@pytest.mark.parametrize(
    ("fault", "action", "asked", "sent"),
    [
        (
            "f201-evse-off-by-one",
            "TriggerMessage",
            {"requestedMessage": "MeterValues", "evse": {"id": 1}},
            {"requestedMessage": "MeterValues", "evse": {"id": 2}},
        ),
        (
            "f201-evse-off-by-one",
            "UnlockConnector",
            {"evseId": 1, "connectorId": 1},
            {"evseId": 2, "connectorId": 1},
        ),
        (
            "f201-remote-start-central-token",
            "RequestStartTransaction",
            {"remoteStartId": 7, "idToken": {"idToken": VALID, "type": "ISO14443"}},
            {"remoteStartId": 7, "idToken": {"idToken": VALID, "type": "Central"}},
        ),
        (
            "f201-trigger-message-fixed",
            "TriggerMessage",
            {"requestedMessage": "Heartbeat"},
            {"requestedMessage": "StatusNotification"},
        ),
        (
            "g201-availability-v16-scope",
            "ChangeAvailability",
            {"operationalStatus": "Inoperative"},
            {"operationalStatus": "Inoperative", "evse": {"id": 0}},
        ),
        (
            "g201-availability-v16-scope",
            "ChangeAvailability",
            {"operationalStatus": "Operative", "evse": {"id": 1, "connectorId": 1}},
            {"operationalStatus": "Operative", "evse": {"id": 1}},
        ),
        ("e201-tx-status-empty-id", "GetTransactionStatus", {}, {"transactionId": ""}),
    ],
)
def test_command_faults_distort_a_copy(
    fault: str, action: str, asked: dict[str, Any], sent: dict[str, Any]
) -> None:
    original = repr(asked)
    assert prepare(_ctx(fault), StationRecord("CS"), action, asked) == sent
    assert repr(asked) == original  # the caller's payload is untouched


def test_internal_transaction_id_is_the_running_number() -> None:
    record = StationRecord("CS")
    record.open_transaction("older", 1, None, None)
    record.open_transaction("abc", 1, None, None)
    ctx = _ctx("e201-internal-transaction-id")
    sent = prepare(ctx, record, "RequestStopTransaction", {"transactionId": "abc"})
    assert sent == {"transactionId": "2"}
    assert prepare(ctx, record, "GetTransactionStatus", {}) == {}


def test_custom_data_is_found_at_any_depth_with_a_bound() -> None:
    assert has_custom_data({"a": [{"b": {"customData": {"vendorId": "x"}}}]})
    assert not has_custom_data({"a": [{"b": 1}], "c": "customData"})
    deep: dict[str, Any] = {"customData": {"vendorId": "x"}}
    for _ in range(40):
        deep = {"next": deep}
    assert not has_custom_data(deep)  # beyond the nesting bound: not searched


def test_call_error_reply_keeps_code_and_bounds_description() -> None:
    refusal = CallErrorReply("FormatViolation", "x" * 300)
    assert refusal.code == "FormatViolation" and len(refusal.description) == 255


async def test_clean_csms_learns_the_evse_named_after_the_start() -> None:
    async with running_csms(V201) as app, connected(app) as station:
        await station.boot()
        token = {"idToken": VALID, "type": "ISO14443"}
        started = await station.call(
            "TransactionEvent", _event("Started", "Authorized", 0, idToken=token)
        )
        plugged = _event("Updated", "CablePluggedIn", 1, evse={"id": 2, "connectorId": 1})
        assert started.ok and (await station.call("TransactionEvent", plugged)).ok
        (transaction,) = (await get(app, "/api/stations"))["stations"][0]["transactions"]
        assert transaction["connector"] == 2


@pytest.mark.parametrize("fault", [None, "e201-seqno-per-station"])
async def test_seqno_restart_is_refused_only_under_the_fault(fault: str | None) -> None:
    faults = frozenset({fault} if fault else ())
    async with running_csms(V201, faults=faults) as app, connected(app) as station:
        await station.boot()
        first = await station.call("TransactionEvent", _event("Started", "EVDetected", 0, "T1"))
        second = await station.call("TransactionEvent", _event("Started", "EVDetected", 0, "T2"))
        assert first.ok, first.describe()
        if fault is None:
            assert second.ok, second.describe()
        else:
            assert second.error is not None, second.describe()
            assert second.error.code == "PropertyConstraintViolation"
            assert "last seqNo 0" in second.error.description


async def test_closed_transaction_fault_ends_it_on_a_free_connector() -> None:
    faults = frozenset({"e201-closed-transaction-error"})
    async with running_csms(V201, faults=faults) as app, connected(app) as station:
        await station.boot()
        evse = {"id": 1, "connectorId": 1}
        assert (
            await station.call(
                "TransactionEvent", _event("Started", "CablePluggedIn", 0, evse=evse)
            )
        ).ok
        free = {
            "timestamp": utc_timestamp(),
            "connectorStatus": "Available",
            "evseId": 1,
            "connectorId": 1,
        }
        assert (await station.call("StatusNotification", free)).ok
        answer = await station.call("TransactionEvent", _event("Updated", "CablePluggedIn", 1))
        assert answer.error is not None and "T1 is already over" in answer.error.description


async def test_request_faults_answer_their_call_errors() -> None:
    faults = frozenset(
        {"j201-integer-meter-values", "p201-data-transfer-accepted", "f201-idle-status-error"}
    )
    async with running_csms(V201, faults=faults) as app, connected(app) as station:
        await station.boot()
        reading = {"timestamp": utc_timestamp(), "sampledValue": [{"value": 10.5}]}
        meter = await station.call("MeterValues", evseId=1, meterValue=[reading])
        assert meter.error is not None and meter.error.code == "FormatViolation"
        whole = {"timestamp": utc_timestamp(), "sampledValue": [{"value": 11}]}
        assert (await station.call("MeterValues", evseId=1, meterValue=[whole])).ok
        transfer = await station.call("DataTransfer", vendorId="nobody.example")
        assert transfer.get("status") == "Accepted"
        idle = await station.call("LogStatusNotification", status="Idle")
        assert idle.error is not None and idle.error.code == "PropertyConstraintViolation"
        assert (await station.call("LogStatusNotification", status="Uploaded", requestId=1)).ok
