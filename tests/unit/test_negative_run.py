"""harness/fuzz/negative_run.py over loopback: grading into checks, reconnects, bounds."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import cast

from websockets.asyncio.server import ServerConnection, serve
from websockets.typing import Subprotocol

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.fuzz.mutations import Mutation, framing_mutations, payload_mutations
from harness.fuzz.negative_cases import new_id
from harness.fuzz.negative_run import MutationRunner
from harness.ocppj.versions import OcppVersion
from harness.roles.csms import CsmsEmulator
from harness.roles.station import StationEmulator
from harness.transport.wirelog import WireLog

V201 = OcppVersion.V201
Behaviour = Callable[[ServerConnection, str], Awaitable[None]]


def _dut(call: float = 1.0, case: float = 20.0) -> Dut:
    return cast(Dut, SimpleNamespace(timeouts=SimpleNamespace(call=call, connect=2.0, case=case)))


def _station(log: WireLog, url: str) -> StationEmulator:
    return StationEmulator(
        V201,
        log,
        station_id="NEG1",
        url_template=url,
        call_timeout=1.0,
        open_timeout=2.0,
        reconnect_delay=0.05,
    )


@asynccontextmanager
async def _raw_dut(behaviour: Behaviour) -> AsyncIterator[str]:
    """A websocket peer that treats every text frame with `behaviour`; yields the URL template."""

    async def handler(websocket: ServerConnection) -> None:
        async for message in websocket:
            await behaviour(websocket, str(message))

    async with serve(
        handler, "127.0.0.1", 0, subprotocols=[Subprotocol(V201.subprotocol)]
    ) as server:
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}/ocpp/{{station_id}}"


async def _run(url: str, mutations: list[Mutation], dut: Dut) -> tuple[Checks, int]:
    log = WireLog()
    station = _station(log, url)
    checks = Checks(log.now)
    await station.connect()
    try:
        await MutationRunner(station, dut, checks, station.connect).run(mutations)
    finally:
        await station.aclose()
    return checks, station.connection_count


def _failed(checks: Checks, level: str) -> list[str]:
    return [r.message for r in checks.results if not r.passed and r.level == level]


async def test_a_conforming_peer_passes_every_payload_and_framing_mutation() -> None:
    log = WireLog()
    csms = CsmsEmulator(
        V201, log, station_id="NEG1", call_timeout=1.0, tokens={}, heartbeat_interval=60
    )
    await csms.start()
    try:
        mutations = payload_mutations(V201, "Authorize", new_id) + framing_mutations(V201, new_id)
        checks, connections = await _run(
            csms.url.replace("NEG1", "{station_id}"), mutations, _dut()
        )
    finally:
        await csms.aclose()
    assert checks.failed == []
    assert len(checks.results) == len(mutations) + 2  # two mutations have two steps
    assert any(
        "[oversized-frame]" in r.message and "code 1009" in r.message for r in checks.results
    )
    assert connections == 1  # the 1009 close came last: no reconnect was needed


async def test_callresult_for_a_broken_call_fails_with_the_mutation_named() -> None:
    async def answer_everything(websocket: ServerConnection, text: str) -> None:
        try:
            message_id = json.loads(text)[1]
        except (ValueError, IndexError, KeyError, TypeError):
            message_id = "-1"
        await websocket.send(json.dumps([3, message_id, {}]))

    async with _raw_dut(answer_everything) as url:
        checks, _ = await _run(url, payload_mutations(V201, "Authorize", new_id)[:3], _dut())
    failures = _failed(checks, "MUST")
    assert len(failures) == 3
    assert failures[0].startswith("[additional-property] payload carries undefined property")
    assert "expected CALLERROR FormatViolation" in failures[0]
    assert failures[0].endswith("saw CALLRESULT {}")


async def test_a_peer_that_closes_is_reconnected_before_the_next_mutation() -> None:
    async def close(websocket: ServerConnection, _text: str) -> None:
        await websocket.close(1002, "cannot parse")

    framing = framing_mutations(V201, new_id)[:3]  # not-json, not-array, wrong-element-count
    async with _raw_dut(close) as url:
        checks, connections = await _run(url, framing, _dut())
    failures = _failed(checks, "MUST")
    assert [f.split("]")[0] for f in failures] == [
        "[not-json",
        "[not-array",
        "[wrong-element-count",
    ]
    assert all("saw connection closed (code 1002)" in f for f in failures)
    assert connections == 3


async def test_a_silent_peer_fails_the_liveness_check_and_is_sent_no_more() -> None:
    async def ignore(_websocket: ServerConnection, _text: str) -> None:
        return None

    mutations = payload_mutations(V201, "Authorize", new_id)
    async with _raw_dut(ignore) as url:
        checks, _ = await _run(url, mutations, _dut(call=0.3))
    # 2.0.1 Part 4 §4.2.3 allows dropping a broken message: not precise, tolerated
    [dropped] = _failed(checks, "SHOULD")
    assert dropped.startswith("[additional-property] payload carries undefined property")
    assert dropped.endswith("saw no answer within 0.3 s: legitimate but not the precise answer")
    assert _failed(checks, "MUST") == [
        "[additional-property] afterwards a valid DataTransfer CALL: expected an answer; "
        "saw no answer within 0.3 s"
    ]
    assert _failed(checks, "INFO") == [
        f"{len(mutations) - 1} mutation(s) not sent: the DUT no longer answers valid CALLs"
    ]


async def test_a_peer_dropping_broken_calls_is_tolerated_then_sent_no_more() -> None:
    async def answer_only_valid_data_transfer(websocket: ServerConnection, text: str) -> None:
        frame = json.loads(text)
        if frame[2] == "DataTransfer" and frame[3].get("vendorId"):
            await websocket.send(json.dumps([3, frame[1], {"status": "UnknownVendorId"}]))

    mutations = payload_mutations(V201, "Authorize", new_id)
    async with _raw_dut(answer_only_valid_data_transfer) as url:
        checks, _ = await _run(url, mutations, _dut(call=0.3))
    assert len(_failed(checks, "SHOULD")) == 2
    assert _failed(checks, "MUST") == []
    assert sum("afterwards a valid DataTransfer CALL" in r.message for r in checks.results) == 2
    assert _failed(checks, "INFO") == [
        f"{len(mutations) - 2} mutation(s) not sent: the DUT answered none of the last 2"
    ]


async def test_mutations_that_would_overrun_the_case_deadline_are_not_sent() -> None:
    async def ignore(_websocket: ServerConnection, _text: str) -> None:
        return None

    mutations = payload_mutations(V201, "Authorize", new_id)
    async with _raw_dut(ignore) as url:
        checks, _ = await _run(url, mutations, _dut(call=1.0, case=2.5))
    assert checks.results == [checks.results[0]]
    assert not checks.results[0].passed
    assert checks.results[0].message == (
        f"{len(mutations)} mutation(s) not sent: they would not end before the case deadline"
    )
