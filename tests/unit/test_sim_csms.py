"""The reference CSMS behaves like a conforming CSMS for 1.6 and 2.0.1 (harness/sim/csms)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from harness.ocppj.clock import utc_timestamp
from harness.ocppj.versions import OcppVersion
from harness.sim.csms.commands import kebab, resolve_action
from harness.sim.launcher import SimProcess
from tests.unit.test_sim_csms_support import (
    BLOCKED,
    EXPIRED,
    INVALID,
    V16,
    V201,
    VALID,
    connected,
    get,
    id_token,
    make_station,
    post,
    running_csms,
)


@pytest.mark.parametrize("version", [V16, V201], ids=["1.6", "2.0.1"])
async def test_boot_accepted_with_interval_then_heartbeat(version: OcppVersion) -> None:
    async with running_csms(version, heartbeat_interval=42) as app, connected(app) as station:
        boot = await station.boot()
        assert boot.ok, boot.describe()
        assert boot["status"] == "Accepted" and boot["interval"] == 42
        assert boot["currentTime"].endswith("Z")
        assert (await station.call("Heartbeat")).ok
        listing = await get(app, "/api/stations")
        assert listing["stations"][0]["station_id"] == "CS001"
        assert listing["stations"][0]["connected"] and listing["stations"][0]["boots"] == 1
        assert station.deviations() == []


async def test_authorize_follows_the_token_table_16() -> None:
    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        expected = {VALID: "Accepted", INVALID: "Invalid", BLOCKED: "Blocked", EXPIRED: "Expired"}
        expected["DEADBEEF"] = "Invalid"  # unknown tokens
        for token, status in expected.items():
            answer = await station.call("Authorize", idTag=token)
            assert answer["idTagInfo"]["status"] == status, token


async def test_authorize_follows_the_token_table_201() -> None:
    async with running_csms(V201) as app, connected(app) as station:
        await station.boot()
        for token, expected in {VALID: "Accepted", BLOCKED: "Blocked", "CAFE": "Invalid"}.items():
            answer = await station.call("Authorize", idToken=id_token(token))
            assert answer["idTokenInfo"]["status"] == expected, token
        http_status, _ = await post(app, "/api/octt/create-token", {"token_id": "CAFE"})
        assert http_status == 200
        answer = await station.call("Authorize", idToken=id_token("CAFE"))
        assert answer["idTokenInfo"]["status"] == "Accepted"


async def test_start_and_stop_transaction_16() -> None:
    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        ids = []
        for connector, token in ((1, VALID), (2, BLOCKED)):
            start = await station.call(
                "StartTransaction",
                connectorId=connector,
                idTag=token,
                meterStart=1000,
                timestamp=utc_timestamp(),
            )
            assert start["transactionId"] > 0
            ids.append(start["transactionId"])
        assert ids[0] != ids[1]
        assert start["idTagInfo"]["status"] == "Blocked"
        stop = await station.call(
            "StopTransaction", transactionId=ids[0], meterStop=1500, timestamp=utc_timestamp()
        )
        assert stop.payload == {}
        stop = await station.call(
            "StopTransaction",
            transactionId=ids[1],
            meterStop=1200,
            timestamp=utc_timestamp(),
            idTag=BLOCKED,
        )
        assert stop["idTagInfo"]["status"] == "Blocked"
        transactions = (await get(app, "/api/stations"))["stations"][0]["transactions"]
        assert [(t["meter_start"], t["meter_stop"]) for t in transactions] == [
            (1000, 1500),
            (1000, 1200),
        ]
        assert not any(t["active"] for t in transactions)


async def test_transaction_events_201() -> None:
    async with running_csms(V201) as app, connected(app) as station:
        await station.boot()
        common = {"timestamp": utc_timestamp(), "transactionInfo": {"transactionId": "T-1"}}
        energy: list[dict[str, Any]] = [
            {"timestamp": utc_timestamp(), "sampledValue": [{"value": 250.0}]}
        ]
        started = await station.call(
            "TransactionEvent",
            common,
            eventType="Started",
            triggerReason="Authorized",
            seqNo=0,
            idToken=id_token(VALID),
            evse={"id": 1, "connectorId": 1},
            meterValue=energy,
        )
        assert started["idTokenInfo"]["status"] == "Accepted"
        updated = await station.call(
            "TransactionEvent",
            common,
            eventType="Updated",
            triggerReason="MeterValuePeriodic",
            seqNo=1,
        )
        assert updated.payload == {}
        energy[0]["sampledValue"][0]["value"] = 900.0
        ended = await station.call(
            "TransactionEvent",
            {**common, "transactionInfo": {"transactionId": "T-1", "stoppedReason": "Local"}},
            eventType="Ended",
            triggerReason="StopAuthorized",
            seqNo=2,
            idToken=id_token(VALID),
            meterValue=energy,
        )
        assert ended["idTokenInfo"]["status"] == "Accepted"
        (transaction,) = (await get(app, "/api/stations"))["stations"][0]["transactions"]
        assert transaction["seq_nos"] == [0, 1, 2] and transaction["connector"] == 1
        assert (transaction["meter_start"], transaction["meter_stop"]) == (250.0, 900.0)
        assert transaction["stop_reason"] == "Local" and not transaction["active"]


async def test_trigger_api_remote_start_16_returns_the_station_answer() -> None:
    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        station.on("RemoteStartTransaction").respond(status="Rejected")
        status, body = await post(
            app, "/api/octt/1.6/CS001/remote-start-transaction", {"idTag": VALID, "connectorId": 1}
        )
        assert status == 200
        assert body == {"status": "sent", "response": {"status": "Rejected"}, "error": None}
        seen = await station.expect("RemoteStartTransaction", within=1)
        assert seen["idTag"] == VALID


async def test_trigger_api_request_start_201_and_errors() -> None:
    async with running_csms(V201) as app, connected(app) as station:
        await station.boot()
        payload = {"idToken": id_token(VALID), "remoteStartId": 7}
        status, body = await post(
            app, "/api/octt/2.0.1/CS001/call/RequestStartTransaction", payload
        )
        assert (status, body["response"]) == (200, {"status": "Accepted"})
        assert (await station.expect("RequestStartTransaction", within=1))["remoteStartId"] == 7
        station.on("GetVariables").error("NotSupported", "nope")
        status, body = await post(
            app,
            "/api/octt/2.0.1/CS001/get-variables",
            {
                "getVariableData": [
                    {
                        "component": {"name": "OCPPCommCtrlr"},
                        "variable": {"name": "HeartbeatInterval"},
                    }
                ]
            },
        )
        assert body["response"] is None and body["error"]["code"] == "NotSupported"
        station.on("Reset").ignore()
        status, body = await post(app, "/api/octt/2.0.1/CS001/reset", {"type": "Immediate"})
        assert body["error"]["code"] == "Timeout"
        assert (await post(app, "/api/octt/2.0.1/CS001/call/Reset", {"type": "Bad"}))[0] == 400
        assert (await post(app, "/api/octt/2.0.1/CS001/call/BootNotification", {}))[0] == 400
        assert (await post(app, "/api/octt/1.6/CS001/reset", {"type": "Hard"}))[0] == 400
        assert (await post(app, "/api/octt/2.0.1/NOPE/reset", {"type": "Immediate"}))[0] == 404


async def test_pending_boot_refuses_untriggered_messages_until_accepted_201() -> None:
    async with running_csms(V201) as app:
        status, body = await post(app, "/api/octt/2.0.1/CS001/set-pending-boot", {})
        assert (status, body["armed"]) == (200, ["Pending"])
        async with connected(app) as station:
            assert (await station.boot())["status"] == "Pending"
            refused = await station.call(
                "StatusNotification",
                timestamp=utc_timestamp(),
                connectorStatus="Available",
                evseId=1,
                connectorId=1,
            )
            assert refused.error is not None and refused.error.code == "SecurityError"
            status, body = await post(
                app,
                "/api/octt/2.0.1/CS001/trigger-message",
                {"requestedMessage": "BootNotification"},
            )
            assert body["response"] == {"status": "Accepted"}
            assert (await station.boot("Triggered"))["status"] == "Accepted"
            assert (await station.call("Heartbeat")).ok


async def test_first_boot_pending_16_refuses_remote_start_until_accepted() -> None:
    async with (
        running_csms(V16, boot_status="Pending", retry_interval=3) as app,
        connected(app) as station,
    ):
        boot = await station.boot()
        assert (boot["status"], boot["interval"]) == ("Pending", 3)
        body = {"idTag": VALID}
        route = "/api/octt/1.6/CS001/remote-start-transaction"
        assert (await post(app, route, body))[0] == 409  # 1.6 §4.2
        refused = await station.call("Heartbeat")
        assert refused.error is not None and refused.error.code == "SecurityError"
        assert (await station.boot())["status"] == "Accepted"
        assert (await post(app, route, body))[1]["response"] == {"status": "Accepted"}


async def test_unknown_station_is_refused_with_404() -> None:
    async with running_csms(V16, stations=("CS001",)) as app:
        async with connected(app, "CS001") as station:
            assert (await station.boot())["status"] == "Accepted"
        async with connected(app, "CS001") as station:  # same id again
            assert station.connected
        refused = await make_station(app, "INTRUDER").try_connect()
        assert refused is not None and refused.status == 404


async def test_missing_or_foreign_subprotocol_is_closed_at_once() -> None:
    async with running_csms(V201) as app:
        station = make_station(app)
        await station.connect(subprotocols=("ocpp1.6",))
        assert station.connection is not None
        await asyncio.wait_for(station.connection.closed.wait(), 2)
        assert station.connection.websocket.close_code == 1002
        await station.aclose()
        # No Sec-WebSocket-Protocol header at all (the emulator cannot omit it: it sends an
        # empty header for `subprotocols=()`, which websockets servers refuse with 400).
        async with connect(app.ws_url + "/CS001", open_timeout=2) as websocket:
            assert websocket.subprotocol is None
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(websocket.recv(), 2)
            assert websocket.close_code == 1002


async def test_malformed_call_gets_the_suggested_error_code() -> None:
    async with running_csms(V16) as app, connected(app) as station:
        await station.boot()
        outcome = await station.send_raw('[2,"m1","Authorize",{}]', within=1)
        assert outcome is not None and outcome.error is not None
        assert outcome.error.code == "OccurenceConstraintViolation"


def test_kebab_names_map_to_csms_initiated_actions() -> None:
    assert kebab("RemoteStartTransaction") == "remote-start-transaction"
    assert resolve_action(V16, "get-configuration") == "GetConfiguration"
    assert resolve_action(V201, "set-variables") == "SetVariables"
    assert resolve_action(V201, "RequestStartTransaction") == "RequestStartTransaction"


@pytest.mark.slow
async def test_subprocess_prints_ready_and_exits_on_shutdown_and_sigterm(tmp_path: Path) -> None:
    args = ["csms", "--ocpp-version", "1.6", "--station", "CS001"]
    first, second = await asyncio.gather(
        SimProcess.start(args, log_path=tmp_path / "a.log", ready_within=15),
        SimProcess.start(args, log_path=tmp_path / "b.log", ready_within=15),
    )
    try:
        assert first.ready["ws_url"].startswith("ws://127.0.0.1:")
        assert first.ready["ws_url"].endswith("/ocpp")
        port = int(first.ready["api_url"].rsplit(":", 1)[1])
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /shutdown HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        assert b" 200 " in await asyncio.wait_for(reader.readline(), 5)
        writer.close()
        assert await asyncio.wait_for(first.process.wait(), 10) == 0
        second.process.terminate()
        assert await asyncio.wait_for(second.process.wait(), 10) == 0
    finally:
        await first.stop()
        await second.stop()
