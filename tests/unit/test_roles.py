"""The emulators against each other over loopback: expect/respond, calls, bounded waits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.client import connect

from harness.ocppj.versions import OcppVersion
from harness.outcomes import ExpectationFailed
from harness.roles.csms import CsmsEmulator
from harness.roles.station import StationEmulator
from harness.transport.client import ClientSecurity
from harness.transport.server import ServerSecurity
from harness.transport.wirelog import WireLog

V201 = OcppVersion.V201
TOKENS = {"04A2B3C4D5E6F7": "Accepted", "0B10C4ED0B10C4": "Blocked"}


async def _pair(
    version: OcppVersion = V201, *, password: str | None = None
) -> tuple[CsmsEmulator, StationEmulator]:
    log = WireLog()
    csms = CsmsEmulator(
        version,
        log,
        station_id="CS1",
        call_timeout=1.0,
        tokens=TOKENS,
        heartbeat_interval=60,
        security=ServerSecurity(1 if password else 0, password),
    )
    await csms.start()
    station = StationEmulator(
        version,
        log,
        station_id="CS1",
        url_template=csms.url.replace("CS1", "{station_id}"),
        call_timeout=1.0,
        open_timeout=2.0,
        reconnect_delay=0.05,
        security=ClientSecurity(1 if password else 0, "CS1", password),
    )
    return csms, station


@pytest.fixture
async def pair() -> AsyncIterator[tuple[CsmsEmulator, StationEmulator]]:
    csms, station = await _pair()
    await station.connect()
    yield csms, station
    await station.aclose()
    await csms.aclose()


async def test_defaults_answer_and_backlog_is_checked_first(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair
    boot = await station.boot()
    assert boot["status"] == "Accepted"
    seen = await csms.expect("BootNotification", within=0.1)
    assert seen["reason"] == "PowerUp"
    assert seen.answer is not None and seen.answer["interval"] == 60
    auth = await station.call(
        "Authorize", idToken={"idToken": "0B10C4ED0B10C4", "type": "ISO14443"}
    )
    assert auth["idTokenInfo"]["status"] == "Blocked"


async def test_responders_once_and_permanent(pair: tuple[CsmsEmulator, StationEmulator]) -> None:
    csms, station = pair
    csms.on("BootNotification", once=True).respond(status="Pending", interval=5)
    assert (await station.boot())["status"] == "Pending"
    assert (await station.boot())["status"] == "Accepted"
    csms.on("Heartbeat").error("NotSupported", "no heartbeats here")
    outcome = await station.call("Heartbeat")
    assert outcome.error is not None and outcome.error.code == "NotSupported"
    assert outcome.payload is None


async def test_expect_where_and_timeout_carry_the_timeline(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair
    await station.boot()
    with pytest.raises(ExpectationFailed) as failure:
        await csms.expect("BootNotification", where={"reason": "RemoteReset"}, within=0.2)
    assert "within 0.2 s" in str(failure.value)
    assert "BootNotification" in failure.value.timeline


async def test_expect_none_catches_a_forbidden_message(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair
    await csms.expect_none("Heartbeat", during=0.1)
    asyncio.get_running_loop().call_later(
        0.05, lambda: asyncio.ensure_future(station.call("Heartbeat"))
    )
    with pytest.raises(ExpectationFailed, match="must not"):
        await csms.expect_none("Heartbeat", during=1.0)


async def test_call_times_out_as_failure_or_as_data(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair
    station.on("Reset").ignore()
    with pytest.raises(ExpectationFailed, match=r"no answer within 0\.2 s"):
        await csms.call("Reset", type="Immediate", within=0.2)
    outcome = await csms.call("Reset", type="Immediate", within=0.2, allow_no_answer=True)
    assert outcome.timed_out and outcome.payload is None


async def test_malformed_call_gets_the_version_error_code(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair
    outcome = await station.send_raw('[2,"m1","BootNotification",{"reason":"PowerUp"}]')
    assert outcome is not None and outcome.error is not None
    assert outcome.error.code == "OccurrenceConstraintViolation"
    assert [d.ref for d in csms.deviations()] == ["OCPP 2.0.1 schema BootNotificationRequest"]


async def test_station_expectation_fails_fast_when_the_csms_closes(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair
    assert csms.connection is not None
    await csms.connection.close(1000, "bye")
    with pytest.raises(ExpectationFailed, match="closed the connection"):
        async with asyncio.timeout(2):
            await station.expect("Reset", within=30)


async def test_basic_auth_is_checked_at_the_handshake() -> None:
    csms, station = await _pair(password="0123456789abcdef0123")
    try:
        refused = await station.try_connect(password="wrong-password-000000")
        assert refused is not None and refused.status == 401
        assert await station.try_connect() is None
        assert [h.status for h in csms.handshakes] == [401, 101]
    finally:
        await station.aclose()
        await csms.aclose()


async def test_station_offering_no_subprotocol_is_a_deviation() -> None:
    csms, station = await _pair()
    try:
        refused = await station.try_connect(subprotocols=())
        assert refused is None  # handshake completes, then the harness closes at once
        async with asyncio.timeout(3), connect(csms.url) as websocket:
            await websocket.wait_closed()
        assert csms.deviations()[0].ref == "OCPP-J 2.0.1 §3.1.2"
    finally:
        await csms.aclose()


async def test_garbage_is_answered_and_recorded(pair: tuple[CsmsEmulator, StationEmulator]) -> None:
    csms, station = pair
    assert station.connection is not None
    await station.connection.send_text("this is not OCPP")
    for _ in range(20):
        if csms.deviations():
            break
        await asyncio.sleep(0.01)
    assert csms.deviations()[0].message.startswith("not valid JSON")


async def test_flooding_dut_still_ends_in_a_bounded_verdict(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair
    assert station.connection is not None
    link = station.connection

    async def flood() -> None:
        for n in range(3000):
            await link.send_text(f'[2,"f{n}","Heartbeat",{{}}]')

    flooding = asyncio.create_task(flood())
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(ExpectationFailed, match="none arrived"):
        await csms.expect("BootNotification", within=0.5)
    assert loop.time() - started < 1.5
    await flooding
    assert len(csms.received("Heartbeat")) > 100  # the harness kept answering meanwhile


async def test_a_broken_responder_is_a_harness_error_not_a_crash(
    pair: tuple[CsmsEmulator, StationEmulator],
) -> None:
    csms, station = pair

    def broken(_message: object) -> dict[str, object]:
        raise RuntimeError("bug in the case")

    csms.on("Heartbeat").respond_with(broken)
    outcome = await station.call("Heartbeat")
    assert outcome.error is not None and outcome.error.code == "InternalError"
    assert csms.harness_errors and "bug in the case" in csms.harness_errors[0]
    assert (await station.boot())["status"] == "Accepted"  # the link still works
