"""The reference station against the harness's CSMS emulator over loopback, both versions.

The station runs in-process (its websocket and its HTTP control API are real sockets); the
subprocess entry point is covered in test_sim_station_faults.py. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from harness.dut.backends import post_json
from harness.ocppj.versions import OcppVersion
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message
from harness.sim.station.config import StationConfig
from harness.sim.station.control import start_control
from harness.sim.station.main import behaviour_for
from harness.sim.station.station import Station
from harness.transport.pki import TestPki, ensure_pki
from harness.transport.server import ServerSecurity
from harness.transport.tls import server_context_from_pki
from harness.transport.wirelog import WireLog

TOKEN = "04A2B3C4D5E6F7"
BOTH = ["1.6", "2.0.1"]
W = 3.0  # bound of every expectation (s)


@dataclass
class Rig:
    """A CSMS emulator, the station connected to it, and the station's control URL."""

    csms: CsmsEmulator
    station: Station
    control: str

    async def do(self, action: str, **body: Any) -> Any:
        """POST a control action; fail the test on a non-2xx answer."""
        return await post_json(f"{self.control}/{action}", body, W)

    async def state(self) -> dict[str, Any]:
        """GET /state."""
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=W)) as http,
            http.get(f"{self.control}/state") as response,
        ):
            result: dict[str, Any] = await response.json()
            return result

    async def booted(self) -> Message:
        """Wait for the boot and every connector status after it."""
        boot = await self.csms.expect("BootNotification", within=W)
        for _ in range(self.station.config.evses + (self.csms.version is OcppVersion.V16)):
            await self.csms.expect("StatusNotification", within=W)
        return boot


@contextlib.asynccontextmanager
async def running(
    version: str,
    *faults: str,
    heartbeat: int = 300,
    meter: int = 1,
    profile: int = 0,
    password: str | None = None,
    csms_password: str | None = None,
    pki: TestPki | None = None,
) -> AsyncIterator[Rig]:
    """Start a CSMS emulator and the station (with `faults`) connected to it; stop both."""
    ocpp = OcppVersion.parse(version)
    mutual = profile == 3
    context = server_context_from_pki(pki, mutual=mutual) if pki else None
    csms = CsmsEmulator(
        ocpp,
        WireLog(),
        station_id="CS001",
        call_timeout=W,
        tokens={TOKEN: "Accepted"},
        heartbeat_interval=heartbeat,
        security=ServerSecurity(profile, csms_password or password, context),
    )
    await csms.start()
    config = StationConfig(
        ocpp,
        csms.url.removesuffix("CS001") + "{station_id}",
        "CS001",
        security_profile=profile,
        password=password,
        ca_cert=pki.csms_root_cert if pki else None,
        client_cert=pki.station_cert if pki and mutual else None,
        client_key=pki.station_key if pki and mutual else None,
        heartbeat_interval=heartbeat,
        meter_interval=meter,
        call_timeout=W,
        faults=frozenset(faults),
    )
    config.check()
    station = Station(config, WireLog(), behaviour_for(ocpp))
    runner, url = await start_control(station, asyncio.Event(), "127.0.0.1", 0)
    station.start()
    try:
        yield Rig(csms, station, url)
    finally:
        await station.stop()
        await runner.cleanup()
        await csms.aclose()


# ------------------------------------------------------------------------ boot
@pytest.mark.parametrize("version", BOTH)
async def test_boot_then_every_connector_available(version: str) -> None:
    async with running(version) as rig:
        boot = await rig.csms.expect("BootNotification", within=W)
        if version == "1.6":
            assert boot["chargePointVendor"] and boot["chargePointModel"]
            for connector in (0, 1, 2):
                where = {"connectorId": connector, "status": "Available", "errorCode": "NoError"}
                await rig.csms.expect("StatusNotification", where=where, within=W)
        else:
            assert boot["reason"] == "PowerUp"
            for evse in (1, 2):
                where = {"evseId": evse, "connectorId": 1, "connectorStatus": "Available"}
                await rig.csms.expect("StatusNotification", where=where, within=W)
            event = await rig.csms.expect("SecurityEventNotification", within=W)
            assert event["type"] == "StartupOfTheDevice"
        state = await rig.state()
        assert state["boot_status"] == "Accepted" and state["connected"]
        assert [e["register_wh"] > 0 for e in state["evses"]] == [True, True]
        assert all(not m.violations for m in rig.csms.received())


async def test_heartbeats_follow_the_boot_interval() -> None:
    async with running("1.6", heartbeat=1) as rig:
        boot = await rig.booted()
        first = await rig.csms.expect("Heartbeat", within=W, since=boot.at)
        second = await rig.csms.expect("Heartbeat", within=W, since=first.at)
        assert 0.7 <= second.at - first.at <= 1.5


async def test_pending_boot_is_retried_and_nothing_else_is_sent() -> None:
    async with running("2.0.1") as rig:
        rig.csms.on("BootNotification", once=True).respond(status="Pending", interval=1)
        first = await rig.csms.expect("BootNotification", within=W)
        got = await rig.csms.call("GetVariables", getVariableData=[_var("TxCtrlr", "TxStartPoint")])
        assert got["getVariableResult"][0]["attributeStatus"] == "Accepted"
        await rig.csms.expect_none("StatusNotification", during=0.5)
        again = await rig.csms.expect("BootNotification", within=W)
        assert 0.8 <= again.at - first.at <= 2.0
        await rig.csms.expect("StatusNotification", within=W)


@pytest.mark.parametrize("profile", [2, 3])
async def test_tls_security_profiles(
    profile: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pki = ensure_pki(tmp_path_factory.getbasetemp() / "station-pki", "CS001")
    password = "0123456789abcdef0123" if profile == 2 else None
    async with running("2.0.1", profile=profile, password=password, pki=pki) as rig:
        assert rig.csms.url.startswith("wss://")
        await rig.booted()
        handshake = rig.csms.handshakes[0]
        assert handshake.status == 101
        if profile == 2:
            assert handshake.username == "CS001"
        else:
            assert handshake.peer_common_name == "CS001"


@pytest.mark.parametrize("version", BOTH)
async def test_new_basic_auth_password_means_reconnecting_with_it(version: str) -> None:
    old, new = "0123456789abcdef0123", "fedcba9876543210fedc"
    async with running(version, profile=1, password=old) as rig:
        await rig.booted()
        rig.csms.server.security = ServerSecurity(1, new)
        if version == "1.6":
            answer = await rig.csms.call("ChangeConfiguration", key="AuthorizationKey", value=new)
            assert answer["status"] == "Accepted"
        else:
            item = {**_var("SecurityCtrlr", "BasicAuthPassword"), "attributeValue": new}
            answer = await rig.csms.call("SetVariables", setVariableData=[item])
            assert answer["setVariableResult"][0]["attributeStatus"] == "Accepted"
        for _ in range(20):
            if len(rig.csms.handshakes) == 2:
                break
            await asyncio.sleep(0.05)
        assert [h.status for h in rig.csms.handshakes] == [101, 101]
        await rig.csms.wait_connected(within=W)
        await rig.csms.expect_none("BootNotification", during=0.3)


# ---------------------------------------------------------------- transactions
async def test_v16_plug_in_token_charge_and_stop_with_a_larger_register() -> None:
    async with running("1.6") as rig:
        await rig.booted()
        await rig.do("plug_in", evse=1, connector=1)
        await rig.csms.expect("StatusNotification", {"connectorId": 1, "status": "Preparing"}, W)
        await rig.do("present_token", evse=1, id_token=TOKEN)
        assert (await rig.csms.expect("Authorize", within=W))["idTag"] == TOKEN
        start = await rig.csms.expect("StartTransaction", within=W)
        assert start["connectorId"] == 1 and start["idTag"] == TOKEN
        await rig.csms.expect("StatusNotification", {"connectorId": 1, "status": "Charging"}, W)
        sample = await rig.csms.expect("MeterValues", within=W)
        assert sample["transactionId"] == 1
        value = sample["meterValue"][0]["sampledValue"][0]
        assert value["measurand"] == "Energy.Active.Import.Register" and value["unit"] == "Wh"
        assert int(value["value"]) > start["meterStart"]
        await rig.do("present_token", evse=1, id_token=TOKEN)
        stop = await rig.csms.expect("StopTransaction", within=W)
        assert stop["transactionId"] == 1 and stop["reason"] == "Local" and stop["idTag"] == TOKEN
        assert stop["meterStop"] >= int(value["value"]) > start["meterStart"]
        await rig.csms.expect("StatusNotification", {"connectorId": 1, "status": "Finishing"}, W)
        await rig.do("unplug", evse=1)
        await rig.csms.expect("StatusNotification", {"connectorId": 1, "status": "Available"}, W)


async def test_v201_plug_in_token_charge_and_stop_with_a_larger_register() -> None:
    async with running("2.0.1") as rig:
        await rig.booted()
        await rig.do("plug_in", evse=1)
        await rig.csms.expect("StatusNotification", {"evseId": 1, "connectorStatus": "Occupied"}, W)
        started = await rig.csms.expect("TransactionEvent", {"eventType": "Started"}, W)
        assert started["triggerReason"] == "CablePluggedIn" and started["seqNo"] == 0
        assert started["transactionInfo"]["chargingState"] == "EVConnected"
        assert started["evse"] == {"id": 1, "connectorId": 1}
        begin = started["meterValue"][0]["sampledValue"][0]
        assert begin["context"] == "Transaction.Begin"
        await rig.do("present_token", evse=1, id_token=TOKEN)
        await rig.csms.expect("Authorize", {"idToken": {"idToken": TOKEN, "type": "ISO14443"}}, W)
        auth = await rig.csms.expect("TransactionEvent", {"triggerReason": "Authorized"}, W)
        assert auth["idToken"]["idToken"] == TOKEN and auth["eventType"] == "Updated"
        charging = {"transactionInfo": {"chargingState": "Charging"}}
        await rig.csms.expect("TransactionEvent", charging, W)
        periodic = await rig.csms.expect(
            "TransactionEvent", {"triggerReason": "MeterValuePeriodic"}, W
        )
        assert periodic["meterValue"][0]["sampledValue"][0]["value"] > begin["value"]
        await rig.do("present_token", evse=1, id_token=TOKEN)
        ended = await rig.csms.expect("TransactionEvent", {"eventType": "Ended"}, W)
        assert ended["triggerReason"] == "StopAuthorized"
        assert ended["transactionInfo"]["stoppedReason"] == "Local"
        end = ended["meterValue"][0]["sampledValue"][0]
        assert end["context"] == "Transaction.End" and end["value"] > begin["value"]
        events = rig.csms.received("TransactionEvent")
        assert [e["seqNo"] for e in events] == list(range(len(events)))
        assert len({e["transactionInfo"]["transactionId"] for e in events}) == 1


@pytest.mark.parametrize("version", BOTH)
async def test_token_first_then_unplug_ends_the_transaction(version: str) -> None:
    async with running(version) as rig:
        await rig.booted()
        await rig.do("present_token", evse=2, id_token=TOKEN)
        await rig.csms.expect("Authorize", within=W)
        await rig.do("plug_in", evse=2)
        if version == "1.6":
            await rig.csms.expect("StartTransaction", {"connectorId": 2}, W)
            await rig.do("unplug", evse=2)
            stop = await rig.csms.expect("StopTransaction", within=W)
            assert stop["reason"] == "EVDisconnected" and "idTag" not in stop.payload
            await rig.csms.expect("StatusNotification", {"connectorId": 2, "status": "Available"})
            return
        started = await rig.csms.expect("TransactionEvent", {"eventType": "Started"}, W)
        assert started["triggerReason"] == "Authorized" and started["idToken"]["idToken"] == TOKEN
        await rig.csms.expect("TransactionEvent", {"triggerReason": "CablePluggedIn"}, W)
        await rig.do("unplug", evse=2)
        await rig.csms.expect("StatusNotification", {"connectorStatus": "Available"}, W)
        ended = await rig.csms.expect("TransactionEvent", {"eventType": "Ended"}, W)
        assert ended["triggerReason"] == "EVCommunicationLost"
        assert ended["transactionInfo"]["chargingState"] == "Idle"
        assert ended["transactionInfo"]["stoppedReason"] == "EVDisconnected"


@pytest.mark.parametrize("version", BOTH)
async def test_remote_start_and_stop(version: str) -> None:
    async with running(version) as rig:
        await rig.booted()
        await rig.do("plug_in", evse=1)
        if version == "1.6":
            answer = await rig.csms.call("RemoteStartTransaction", idTag=TOKEN, connectorId=1)
            assert answer["status"] == "Accepted"
            start = await rig.csms.expect("StartTransaction", within=W)
            assert start["idTag"] == TOKEN
            assert (await rig.csms.call("RemoteStopTransaction", transactionId=99))[
                "status"
            ] == "Rejected"
            stop = await rig.csms.call("RemoteStopTransaction", transactionId=1)
            assert stop["status"] == "Accepted"
            ended = await rig.csms.expect("StopTransaction", within=W)
            assert ended["reason"] == "Remote"
            return
        started = await rig.csms.expect("TransactionEvent", {"eventType": "Started"}, W)
        tx_id = started["transactionInfo"]["transactionId"]
        answer = await rig.csms.call(
            "RequestStartTransaction",
            idToken={"idToken": TOKEN, "type": "ISO14443"},
            remoteStartId=7,
            evseId=1,
        )
        assert answer["status"] == "Accepted" and answer["transactionId"] == tx_id
        remote = await rig.csms.expect("TransactionEvent", {"triggerReason": "RemoteStart"}, W)
        assert remote["transactionInfo"]["remoteStartId"] == 7
        assert remote["idToken"]["idToken"] == TOKEN
        stop = await rig.csms.call("RequestStopTransaction", transactionId=tx_id)
        assert stop["status"] == "Accepted"
        ended = await rig.csms.expect("TransactionEvent", {"eventType": "Ended"}, W)
        assert ended["triggerReason"] == "RemoteStop"
        assert ended["transactionInfo"]["stoppedReason"] == "Remote"


@pytest.mark.parametrize("version", BOTH)
async def test_reset_stops_the_transaction_and_reboots(version: str) -> None:
    async with running(version) as rig:
        await rig.booted()
        await rig.do("plug_in", evse=1)
        await rig.do("present_token", evse=1, id_token=TOKEN)
        if version == "1.6":
            await rig.csms.expect("StartTransaction", within=W)
            assert (await rig.csms.call("Reset", type="Soft"))["status"] == "Accepted"
            stop = await rig.csms.expect("StopTransaction", within=W)
            assert stop["reason"] == "SoftReset"
        else:
            await rig.csms.expect("TransactionEvent", {"triggerReason": "Authorized"}, W)
            assert (await rig.csms.call("Reset", type="Immediate"))["status"] == "Accepted"
            ended = await rig.csms.expect("TransactionEvent", {"eventType": "Ended"}, W)
            assert ended["triggerReason"] == "ResetCommand"
            assert ended["transactionInfo"]["stoppedReason"] == "ImmediateReset"
        boot = await rig.csms.expect("BootNotification", within=W)
        assert boot.connection == 2
        if version == "2.0.1":
            assert boot["reason"] == "RemoteReset"
            security = await rig.csms.expect("SecurityEventNotification", within=W, since=boot.at)
            assert security["type"] == "ResetOrReboot"
        await rig.csms.expect("StatusNotification", within=W, since=boot.at)


@pytest.mark.parametrize("version", BOTH)
async def test_power_cycle_boots_with_power_up(version: str) -> None:
    async with running(version) as rig:
        await rig.booted()
        await rig.do("power_cycle")
        boot = await rig.csms.expect("BootNotification", within=W)
        assert boot.connection == 2
        if version == "2.0.1":
            assert boot["reason"] == "PowerUp"


@pytest.mark.parametrize("version", BOTH)
async def test_offline_transaction_messages_are_queued_and_delivered(version: str) -> None:
    async with running(version, meter=0) as rig:
        await rig.booted()
        await rig.do("plug_in", evse=1)
        await rig.do("present_token", evse=1, id_token=TOKEN)
        action = "StartTransaction" if version == "1.6" else "TransactionEvent"
        await rig.csms.expect(action, within=W)
        await asyncio.sleep(0.1)
        await rig.do("go_offline")
        await rig.do("unplug", evse=1)
        await asyncio.sleep(0.2)
        assert (await rig.state())["queued_messages"] >= 1
        await rig.do("go_online")
        if version == "1.6":
            stop = await rig.csms.expect("StopTransaction", within=W)
            assert stop["transactionId"] == 1 and stop.connection == 2
        else:
            ended = await rig.csms.expect("TransactionEvent", {"eventType": "Ended"}, W)
            assert ended["offline"] is True and ended.connection == 2
        assert len(rig.csms.received("BootNotification")) == 1


# ------------------------------------------------------------ configuration
#: 1.6 §9.1 keys marked required, with their readonly flag (R -> True, RW -> False).
REQUIRED_16 = {
    "AuthorizeRemoteTxRequests": False,
    "ClockAlignedDataInterval": False,
    "ConnectionTimeOut": False,
    "ConnectorPhaseRotation": False,
    "GetConfigurationMaxKeys": True,
    "HeartbeatInterval": False,
    "LocalAuthorizeOffline": False,
    "LocalPreAuthorize": False,
    "MeterValuesAlignedData": False,
    "MeterValuesSampledData": False,
    "MeterValueSampleInterval": False,
    "NumberOfConnectors": True,
    "ResetRetries": False,
    "StopTransactionOnEVSideDisconnect": False,
    "StopTransactionOnInvalidId": False,
    "StopTxnAlignedData": False,
    "StopTxnSampledData": False,
    "SupportedFeatureProfiles": True,
    "TransactionMessageAttempts": False,
    "TransactionMessageRetryInterval": False,
    "UnlockConnectorOnEVSideDisconnect": False,
}


async def test_v16_configuration_keys() -> None:
    async with running("1.6", profile=1, password="0123456789abcdef0123") as rig:
        await rig.booted()
        everything = await rig.csms.call("GetConfiguration")
        keys = {k["key"]: k for k in everything["configurationKey"]}
        assert {name: keys[name]["readonly"] for name in REQUIRED_16} == REQUIRED_16
        assert keys["NumberOfConnectors"]["value"] == "2"
        assert "value" not in keys["AuthorizationKey"]
        some = await rig.csms.call("GetConfiguration", key=["HeartbeatInterval", "Nope"])
        assert [k["key"] for k in some["configurationKey"]] == ["HeartbeatInterval"]
        assert some["unknownKey"] == ["Nope"]
        change = rig.csms.call
        assert (await change("ChangeConfiguration", key="HeartbeatInterval", value="1"))[
            "status"
        ] == "Accepted"
        assert (await change("ChangeConfiguration", key="NumberOfConnectors", value="5"))[
            "status"
        ] == "Rejected"
        assert (await change("ChangeConfiguration", key="MeterValueSampleInterval", value="x"))[
            "status"
        ] == "Rejected"
        assert (await change("ChangeConfiguration", key="Nope", value="1"))[
            "status"
        ] == "NotSupported"
        mark = rig.csms.wirelog.now()
        await rig.csms.expect("Heartbeat", within=2.0, since=mark)


def _var(component: str, name: str, **more: Any) -> dict[str, Any]:
    return {"component": {"name": component}, "variable": {"name": name}, **more}


async def test_v201_device_model_variables_and_report() -> None:
    async with running("2.0.1", profile=1, password="0123456789abcdef0123") as rig:
        await rig.booted()
        wanted = [
            _var("OCPPCommCtrlr", "HeartbeatInterval"),
            _var("TxCtrlr", "TxStartPoint"),
            _var("TxCtrlr", "TxStopPoint"),
            _var("TxCtrlr", "EVConnectionTimeOut"),
            _var("SampledDataCtrlr", "TxUpdatedInterval"),
            _var("AuthCtrlr", "AuthorizeRemoteStart"),
            _var("SecurityCtrlr", "BasicAuthPassword"),
            _var("Nope", "HeartbeatInterval"),
            _var("TxCtrlr", "Nope"),
            _var("TxCtrlr", "TxStartPoint", attributeType="Target"),
            {
                "component": {"name": "Connector", "evse": {"id": 2, "connectorId": 1}},
                "variable": {"name": "AvailabilityState"},
            },
        ]
        got = (await rig.csms.call("GetVariables", getVariableData=wanted))["getVariableResult"]
        statuses = [r["attributeStatus"] for r in got]
        assert statuses == ["Accepted"] * 6 + [
            "Rejected",
            "UnknownComponent",
            "UnknownVariable",
            "NotSupportedAttributeType",
            "Accepted",
        ]
        assert got[0]["attributeValue"] == "300"
        assert got[1]["attributeValue"] == "EVConnected,Authorized"
        assert got[-1]["attributeValue"] == "Available"
        assert "attributeValue" not in got[6]
        sets = [
            {**_var("OCPPCommCtrlr", "HeartbeatInterval"), "attributeValue": "2"},
            {**_var("TxCtrlr", "TxStartPoint"), "attributeValue": "ParkingBayOccupancy"},
            {**_var("ChargingStation", "Model"), "attributeValue": "x"},
            {**_var("Nope", "X"), "attributeValue": "1"},
        ]
        done = (await rig.csms.call("SetVariables", setVariableData=sets))["setVariableResult"]
        assert [r["attributeStatus"] for r in done] == [
            "Accepted",
            "Rejected",
            "Rejected",
            "UnknownComponent",
        ]
        assert (await rig.state())["heartbeat_interval"] == 2
        base = await rig.csms.call("GetBaseReport", requestId=3, reportBase="FullInventory")
        assert base["status"] == "Accepted"
        reports = [await rig.csms.expect("NotifyReport", within=W)]
        while reports[-1]["tbc"]:
            reports.append(await rig.csms.expect("NotifyReport", within=W))
        assert [r["seqNo"] for r in reports] == list(range(len(reports)))
        data = [d for r in reports for d in r["reportData"]]
        password = next(d for d in data if d["variable"]["name"] == "BasicAuthPassword")
        assert password["variableAttribute"][0]["mutability"] == "WriteOnly"
        assert "value" not in password["variableAttribute"][0]
        names = {(d["component"]["name"], d["variable"]["name"]) for d in data}
        assert {("TxCtrlr", "TxStopPoint"), ("EVSE", "AvailabilityState")} <= names


# ---------------------------------------------------------------- commands
@pytest.mark.parametrize("version", BOTH)
async def test_unknown_unsupported_and_malformed_calls_get_call_errors(version: str) -> None:
    async with running(version) as rig:
        await rig.booted()
        unknown = await rig.csms.send_raw('[2,"u1","NoSuchAction",{}]', within=W)
        assert unknown is not None and unknown.error is not None
        assert unknown.error.code == "NotImplemented"
        action, payload = (
            # every 1.6 Central System action is implemented now (security whitepaper
            # included): a charge-point-to-CSMS action stands in for an unsupported one
            ("Heartbeat", "{}")
            if version == "1.6"
            else ("CertificateSigned", '{"certificateChain":"x"}')
        )
        unsupported = await rig.csms.send_raw(f'[2,"u2","{action}",{payload}]', within=W)
        assert unsupported is not None and unsupported.error is not None
        assert unsupported.error.code == "NotSupported"
        broken = await rig.csms.send_raw('[2,"u3","Reset",{}]', within=W)
        assert broken is not None and broken.error is not None
        assert broken.error.code in (
            "OccurenceConstraintViolation",
            "OccurrenceConstraintViolation",
        )
        data = await rig.csms.call("DataTransfer", vendorId="acme")
        assert data["status"] == "UnknownVendorId"


@pytest.mark.parametrize("version", BOTH)
async def test_trigger_message_answers_then_sends(version: str) -> None:
    async with running(version) as rig:
        await rig.booted()
        evse = {"connectorId": 2} if version == "1.6" else {"evse": {"id": 2, "connectorId": 1}}
        answer = await rig.csms.call(
            "TriggerMessage", requestedMessage="StatusNotification", **evse
        )
        assert answer["status"] == "Accepted"
        status = await rig.csms.expect("StatusNotification", within=W)
        assert status.get("connectorId") == (2 if version == "1.6" else 1)
        beat = await rig.csms.call("TriggerMessage", requestedMessage="Heartbeat")
        assert beat["status"] == "Accepted"
        await rig.csms.expect("Heartbeat", within=W)
        again = await rig.csms.call("TriggerMessage", requestedMessage="BootNotification")
        assert again["status"] == ("Accepted" if version == "1.6" else "Rejected")


@pytest.mark.parametrize("version", BOTH)
async def test_change_availability_and_unlock(version: str) -> None:
    async with running(version) as rig:
        await rig.booted()
        if version == "1.6":
            answer = await rig.csms.call("ChangeAvailability", connectorId=2, type="Inoperative")
            assert answer["status"] == "Accepted"
            where: dict[str, Any] = {"connectorId": 2, "status": "Unavailable"}
            await rig.csms.expect("StatusNotification", where, W)
            unlock = await rig.csms.call("UnlockConnector", connectorId=1)
        else:
            answer = await rig.csms.call(
                "ChangeAvailability", operationalStatus="Inoperative", evse={"id": 2}
            )
            assert answer["status"] == "Accepted"
            where = {"evseId": 2, "connectorStatus": "Unavailable"}
            await rig.csms.expect("StatusNotification", where, W)
            unlock = await rig.csms.call("UnlockConnector", evseId=1, connectorId=1)
        assert unlock["status"] == "Unlocked"
        assert (await rig.csms.call("ClearCache"))["status"] == "Accepted"


# ------------------------------------------------------------- control API
async def test_control_api_validates_requests() -> None:
    async with running("2.0.1") as rig:
        await rig.booted()
        state = await rig.state()
        assert state["ok"] and state["station_id"] == "CS001"
        assert [e["evse"] for e in state["evses"]] == [1, 2]
        timeout = aiohttp.ClientTimeout(total=W)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            for path, body, status in [
                ("plug_in", {"evse": 9}, 400),
                ("plug_in", {"evse": 1, "connector": 2}, 400),
                ("present_token", {"evse": 1}, 400),
                ("ev_suspend", {"evse": 1}, 400),
                ("fly", {}, 404),
            ]:
                async with http.post(f"{rig.control}/{path}", json=body) as response:
                    assert response.status == status, path
                    assert "error" in await response.json()
            async with http.post(f"{rig.control}/plug_in", data="{") as response:
                assert response.status == 400
        await rig.do("plug_in", evse=1)
        await rig.csms.expect("StatusNotification", {"connectorStatus": "Occupied"}, W)
        await rig.do("ev_suspend", evse=1)
        assert (await rig.state())["evses"][0]["plugged"] is True
