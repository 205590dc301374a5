"""Each reference-station fault visibly changes behaviour; the process entry point works."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import aiohttp
import pytest

from harness.dut.backends import post_json
from harness.ocppj.versions import OcppVersion
from harness.roles.csms import CsmsEmulator
from harness.sim.faults import FAULTS, STATION_FAULTS
from harness.sim.launcher import SimProcess
from harness.sim.station.main import main, parser
from harness.transport.wirelog import WireLog
from tests.unit.test_sim_station import TOKEN, W, running

PASSWORD = "0123456789abcdef0123"


def test_registry_keeps_the_station_faults_cases_rely_on() -> None:
    assert set(STATION_FAULTS) >= {
        "boot-reason-wrong",
        "no-status-notification",
        "no-transaction",
        "meter-stop-wrong",
        "no-heartbeat",
        "no-basic-auth",
        "silent",
        "drop-after-boot",
        "garbage",
        "callresult-for-malformed",
    }
    assert FAULTS["station"] is STATION_FAULTS
    assert all(fault.description for fault in STATION_FAULTS.values())
    fault_option = next(a for a in parser()._actions if a.dest == "fault")
    assert set(fault_option.choices or ()) == set(STATION_FAULTS)


async def test_boot_reason_wrong() -> None:
    async with running("2.0.1", "boot-reason-wrong") as rig:
        boot = await rig.csms.expect("BootNotification", within=W)
        assert boot["reason"] == "Unknown"


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_no_status_notification(version: str) -> None:
    async with running(version, "no-status-notification") as rig:
        await rig.csms.expect("BootNotification", within=W)
        await rig.do("plug_in", evse=1)
        await rig.csms.expect_none("StatusNotification", during=0.5)


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_no_transaction(version: str) -> None:
    async with running(version, "no-transaction") as rig:
        await rig.booted()
        await rig.do("plug_in", evse=1)
        await rig.do("present_token", evse=1, id_token=TOKEN)
        await rig.csms.expect("Authorize", within=W)
        action = "StartTransaction" if version == "1.6" else "TransactionEvent"
        await rig.csms.expect_none(action, during=0.5)


async def test_meter_stop_wrong_v16() -> None:
    async with running("1.6", "meter-stop-wrong") as rig:
        await rig.booted()
        await rig.do("plug_in", evse=1)
        await rig.do("present_token", evse=1, id_token=TOKEN)
        start = await rig.csms.expect("StartTransaction", within=W)
        await rig.csms.expect("MeterValues", within=W)
        await rig.do("present_token", evse=1, id_token=TOKEN)
        stop = await rig.csms.expect("StopTransaction", within=W)
        real = int(stop["transactionData"][-1]["sampledValue"][0]["value"])
        assert real > start["meterStart"] > stop["meterStop"]
        assert stop["meterStop"] == pytest.approx(real * 0.9, abs=1)


async def test_meter_stop_wrong_v201() -> None:
    async with running("2.0.1", "meter-stop-wrong") as rig:
        await rig.booted()
        await rig.do("plug_in", evse=1)
        started = await rig.csms.expect("TransactionEvent", {"eventType": "Started"}, W)
        await rig.do("unplug", evse=1)
        ended = await rig.csms.expect("TransactionEvent", {"eventType": "Ended"}, W)
        begin = started["meterValue"][0]["sampledValue"][0]["value"]
        end = ended["meterValue"][0]["sampledValue"][0]["value"]
        assert end == pytest.approx(begin * 0.9, abs=1)


async def test_no_heartbeat() -> None:
    async with running("1.6", "no-heartbeat", heartbeat=1) as rig:
        await rig.booted()
        await rig.csms.expect_none("Heartbeat", during=1.5)


@pytest.mark.parametrize("fault", [(), ("no-basic-auth",)])
async def test_basic_auth_header_and_the_fault_that_omits_it(fault: tuple[str, ...]) -> None:
    async with running("2.0.1", *fault, profile=1, password=PASSWORD) as rig:
        if not fault:
            await rig.csms.expect("BootNotification", within=W)
            assert rig.csms.handshakes[0].username == "CS001"
            return
        await asyncio.sleep(0.5)
        assert rig.csms.handshakes and not rig.csms.received()
        assert {(h.status, h.username) for h in rig.csms.handshakes} == {(401, None)}


async def test_silent_connects_but_never_speaks_or_answers() -> None:
    async with running("2.0.1", "silent") as rig:
        await rig.csms.wait_connected(within=W)
        outcome = await rig.csms.call("Reset", type="Immediate", within=0.5, allow_no_answer=True)
        assert outcome.timed_out
        assert not rig.csms.received()


async def test_drop_after_boot_closes_without_close_frame_and_boots_again() -> None:
    async with running("1.6", "drop-after-boot") as rig:
        first = await rig.csms.expect("BootNotification", within=W)
        second = await rig.csms.expect("BootNotification", within=W)
        assert (first.connection, second.connection) == (1, 2)
        assert 0.2 <= second.at - first.at <= 1.5
        closes = [e.text for e in rig.csms.wirelog.recent if e.text.startswith("closed")]
        assert closes and ("1006" in closes[0] or "no close frame" in closes[0]), closes


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
async def test_garbage_after_boot(version: str) -> None:
    async with running(version, "garbage") as rig:
        await rig.csms.expect("BootNotification", within=W)
        for _ in range(10):
            if any(m.violations for m in rig.csms.received("StatusNotification")):
                break
            await asyncio.sleep(0.1)
        assert any(m.violations for m in rig.csms.received("StatusNotification"))
        deviations = [d.message for d in rig.csms.deviations()]
        assert any("JSON" in message or "json" in message for message in deviations), deviations


@pytest.mark.parametrize("fault", [(), ("callresult-for-malformed",)])
async def test_malformed_call_answer(fault: tuple[str, ...]) -> None:
    async with running("2.0.1", *fault) as rig:
        await rig.booted()
        outcome = await rig.csms.send_raw('[2,"m1","Reset",{"type":7}]', within=W)
        assert outcome is not None
        if fault:
            assert outcome.payload == {} and outcome.error is None
        else:
            assert outcome.error is not None
            assert outcome.error.code == "TypeConstraintViolation"


# ----------------------------------------------------------- process entry
def test_bad_options_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--ocpp-version", "1.6", "--station-id", "CS001"]
    assert main([*base, "--csms-url", "ws://127.0.0.1:1/{station_id}", "--evses", "0"]) == 2
    assert main([*base, "--csms-url", "ws://127.0.0.1:1/x", "--security-profile", "1"]) == 2
    with pytest.raises(SystemExit) as exited:
        main([*base, "--csms-url", "ws://127.0.0.1:1/x", "--fault", "nope"])
    assert exited.value.code == 2
    assert "needs --password" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
async def test_process_ready_line_control_api_shutdown_and_sigterm(tmp_path: Path) -> None:
    csms = CsmsEmulator(
        OcppVersion.V201,
        WireLog(),
        station_id="CS001",
        call_timeout=W,
        tokens={TOKEN: "Accepted"},
        heartbeat_interval=300,
    )
    await csms.start()
    args = [
        "station",
        "--ocpp-version",
        "2.0.1",
        "--csms-url",
        csms.url.removesuffix("CS001") + "{station_id}",
        "--station-id",
        "CS001",
        "--heartbeat-interval",
        "300",
        "--meter-interval",
        "1.0",
    ]
    try:
        sim = await SimProcess.start(args, log_path=tmp_path / "a.log", ready_within=10)
        control = str(sim.ready["control_url"])
        assert control.startswith("http://127.0.0.1:")
        await csms.expect("BootNotification", within=W)
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=W)) as http,
            http.get(f"{control}/state") as response,
        ):
            assert (await response.json())["boot_status"] == "Accepted"
        await post_json(f"{control}/shutdown", {}, W)
        assert await asyncio.wait_for(sim.process.wait(), 5) == 0

        again = await SimProcess.start(args, log_path=tmp_path / "b.log", ready_within=10)
        await csms.expect("BootNotification", within=W)
        again.process.terminate()
        assert await asyncio.wait_for(again.process.wait(), 5) == 0
    finally:
        await csms.aclose()
