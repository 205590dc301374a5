"""OCPP 2.0.1 CALL/CALLRESULT round trips per second: raw websockets, the harness, `ocpp`.

Method (details in benchmarks/README.md): three stacks, each the same on both sides: `raw`
(websockets + json.loads/dumps, the server echoing the id around a pre-serialized answer),
`harness` (CsmsEmulator/StationEmulator: jsonschema-rs validation and a wire-log file on both
sides), `ocpp_lib` (`ocpp.v201.ChargePoint`, jsonschema in a worker thread, its default). The
server runs in a child process (this file, `--serve STACK`) on 127.0.0.1; websockets defaults.
Per stack and repeat, on a fresh server process and connection: for Heartbeat, then
TransactionEvent (8 sampled values), `--warmup` untimed calls, then `--requests` sequential calls
(one outstanding CALL, OCPP-J §4.1.1) timed with time.perf_counter in the client. Repeats
interleave the stacks (raw, harness, ocpp_lib, raw, ...); the median of `--repeats` is reported.
Every wait is bounded; server processes always end (stdin EOF, terminate, kill, 5 s apart).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

from ocpp.charge_point import camel_to_snake_case  # type: ignore[import-untyped]
from ocpp.routing import on  # type: ignore[import-untyped]
from ocpp.v201 import ChargePoint, call, call_result  # type: ignore[import-untyped]
from ocpp.v201.enums import Action  # type: ignore[import-untyped]
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from harness.ocppj.clock import utc_timestamp
from harness.ocppj.versions import OcppVersion
from harness.roles.csms import CsmsEmulator
from harness.roles.station import StationEmulator
from harness.transport.wirelog import WireLog

STACKS = ("raw", "harness", "ocpp_lib")
ACTIONS = ("Heartbeat", "TransactionEvent")
SUBPROTOCOLS = [Subprotocol("ocpp2.0.1")]
STATION, PATH, HOST = "BENCH", "/ocpp", "127.0.0.1"
Payload = dict[str, Any]
Caller = Callable[[str], Awaitable[None]]

#: (measurand, phase, value, unit) of the TransactionEvent's one meterValue.
SAMPLES: tuple[tuple[str, str | None, float, str], ...] = (
    ("Energy.Active.Import.Register", None, 12345.6, "Wh"),
    ("Power.Active.Import", None, 11040.0, "W"),
    *(("Current.Import", phase, 16.0, "A") for phase in ("L1", "L2", "L3")),
    *(("Voltage", phase, 230.1, "V") for phase in ("L1-N", "L2-N", "L3-N")),
)


def transaction_event(now: str | None = None) -> Payload:
    """The TransactionEventRequest every stack sends (the `ocpp` library as its dataclass)."""
    now = now or utc_timestamp()
    sampled = [
        {"value": value, "context": "Sample.Periodic", "measurand": measurand}
        | ({"phase": phase} if phase else {})
        | {"unitOfMeasure": {"unit": unit}}
        for measurand, phase, value, unit in SAMPLES
    ]
    return {
        "eventType": "Updated",
        "timestamp": now,
        "triggerReason": "MeterValuePeriodic",
        "seqNo": 7,
        "transactionInfo": {"transactionId": "BENCH-TX-0001", "chargingState": "Charging"},
        "meterValue": [{"timestamp": now, "sampledValue": sampled}],
    }


class LibCsms(ChargePoint):  # type: ignore[misc]
    """The `ocpp` library as CSMS, answering the two benchmarked actions."""

    @on(Action.heartbeat)  # type: ignore[untyped-decorator]
    def on_heartbeat(self, **_: Any) -> Any:
        return call_result.Heartbeat(current_time=utc_timestamp())

    @on(Action.transaction_event)  # type: ignore[untyped-decorator]
    def on_transaction_event(self, **_: Any) -> Any:
        return call_result.TransactionEvent()


async def _raw_answer(ws: ServerConnection) -> None:
    answers = {"Heartbeat": json.dumps({"currentTime": utc_timestamp()}), "TransactionEvent": "{}"}
    async for text in ws:
        message = json.loads(text)
        await ws.send(f"[3,{json.dumps(message[1])},{answers[message[2]]}]")


async def _lib_answer(ws: ServerConnection) -> None:
    with contextlib.suppress(ConnectionClosed):
        await LibCsms(STATION, ws, response_timeout=10).start()


async def serve_stack(stack: str) -> None:
    """Serve `stack` until stdin closes; the first line on stdout is the port."""
    stdin = asyncio.StreamReader()
    protocol = asyncio.StreamReaderProtocol(stdin)
    await asyncio.get_running_loop().connect_read_pipe(lambda: protocol, sys.stdin)
    if stack != "harness":
        handler = _raw_answer if stack == "raw" else _lib_answer
        async with serve(handler, HOST, 0, subprotocols=SUBPROTOCOLS) as server:
            print(next(iter(server.sockets)).getsockname()[1], flush=True)
            await stdin.read()
        return
    with tempfile.TemporaryDirectory() as tmp, WireLog(Path(tmp) / "csms.jsonl") as log:
        csms = CsmsEmulator(
            OcppVersion.V201, log, station_id=STATION, call_timeout=10, tokens={},
            heartbeat_interval=300, host=HOST, path=PATH,
        )  # fmt: skip
        await csms.start()
        print(csms.server.port, flush=True)
        await stdin.read()
        await csms.aclose()


@contextlib.asynccontextmanager
async def server_process(stack: str) -> AsyncIterator[int]:
    """Run `serve_stack(stack)` in a child process; yield its port; always end the process."""
    pipe = asyncio.subprocess.PIPE
    script = str(Path(__file__).resolve())
    proc = await asyncio.create_subprocess_exec(
        sys.executable, script, "--serve", stack, stdin=pipe, stdout=pipe
    )
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(30):
            line = await proc.stdout.readline()
        if not line.strip():
            raise RuntimeError(f"the {stack} server process printed no port (see its stderr)")
        yield int(line)
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        for stop in (None, proc.terminate, proc.kill):
            if stop is not None and proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    stop()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    await proc.wait()
                    break


@contextlib.asynccontextmanager
async def client(stack: str, port: int) -> AsyncIterator[Caller]:
    """Connect the `stack` client; yield `do(action)`, which makes one checked round trip."""
    url = f"ws://{HOST}:{port}{PATH}/{STATION}"
    payloads: dict[str, Payload] = {"Heartbeat": {}, "TransactionEvent": transaction_event()}
    if stack == "harness":
        with tempfile.TemporaryDirectory() as tmp, WireLog(Path(tmp) / "station.jsonl") as log:
            station = StationEmulator(
                OcppVersion.V201, log, station_id=STATION, call_timeout=10, open_timeout=10,
                url_template=f"ws://{HOST}:{port}{PATH}/{{station_id}}", reconnect_delay=0,
            )  # fmt: skip
            await station.connect()

            async def harness_do(action: str) -> None:
                outcome = await station.call(action, payloads[action])
                if not outcome.ok:
                    raise RuntimeError(f"{action}: {outcome.describe()}")

            try:
                yield harness_do
            finally:
                await station.aclose()
        return
    async with connect(url, subprotocols=SUBPROTOCOLS) as ws:
        if stack == "raw":

            async def raw_do(action: str) -> None:
                message_id = str(uuid.uuid4())
                await ws.send(json.dumps([2, message_id, action, payloads[action]]))
                answer = json.loads(await ws.recv())
                if answer[0] != 3 or answer[1] != message_id:
                    raise RuntimeError(f"{action}: unexpected answer {answer!r}")

            yield raw_do
            return
        # The library's own way: dataclasses with snake_case fields (nested dicts allowed).
        lib = ChargePoint(STATION, ws, response_timeout=10)
        event = call.TransactionEvent(**camel_to_snake_case(payloads["TransactionEvent"]))
        requests = {"Heartbeat": call.Heartbeat(), "TransactionEvent": event}
        reader = asyncio.create_task(lib.start())

        async def lib_do(action: str) -> None:
            if await lib.call(requests[action]) is None:  # the library returns None on CALLERROR
                raise RuntimeError(f"{action}: CALLERROR")

        try:
            yield lib_do
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await reader


async def measure(stack: str, requests: int, warmup: int = 0) -> dict[str, float]:
    """Round trips per second of `stack` for each action, on one fresh server process."""
    rates: dict[str, float] = {}
    async with server_process(stack) as port, client(stack, port) as do:
        async with asyncio.timeout(30 + 0.1 * (requests + warmup) * len(ACTIONS)):
            for action in ACTIONS:
                for _ in range(warmup):
                    await do(action)
                start = time.perf_counter()
                for _ in range(requests):
                    await do(action)
                rates[action] = requests / (time.perf_counter() - start)
    return rates


async def run(requests: int, repeats: int, warmup: int) -> dict[str, Any]:
    """Measure every stack `repeats` times, interleaved; return medians and ratios."""
    samples: dict[str, dict[str, list[float]]] = {a: {s: [] for s in STACKS} for a in ACTIONS}
    for _ in range(repeats):
        for stack in STACKS:
            for action, rate in (await measure(stack, requests, warmup)).items():
                samples[action][stack].append(rate)
    result: dict[str, Any] = {}
    for action in ACTIONS:
        med = {stack: statistics.median(samples[action][stack]) for stack in STACKS}
        result[action] = {f"{stack}_rps": round(med[stack], 1) for stack in STACKS} | {
            "harness_vs_raw": round(med["harness"] / med["raw"], 3),
            "harness_vs_ocpp_lib": round(med["harness"] / med["ocpp_lib"], 2),
        }
    result["method"] = {
        "requests": requests, "repeats": repeats, "warmup": warmup, "statistic": "median",
        "order": "interleaved " + ", ".join(STACKS), "timing": "time.perf_counter in client",
        "concurrency": "one outstanding CALL", "transport": f"ws://{HOST}, websockets defaults",
        "processes": "server subprocess, client in the main process", "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "versions": {d: dist_version(d) for d in ("websockets", "ocpp", "jsonschema-rs")},
        "samples_rps": {a: {s: [round(r) for r in samples[a][s]] for s in STACKS} for a in ACTIONS},
    }  # fmt: skip
    return result


def table(result: dict[str, Any]) -> str:
    """Readable form of `run`'s result."""
    row = "{:<18}{:>9}{:>11}{:>12}{:>9}{:>9}"
    lines = [row.format("message", "raw/s", "harness/s", "ocpp_lib/s", "h/raw", "h/lib")]
    for action in ACTIONS:
        r = result[action]
        rates = (f"{r[f'{stack}_rps']:.0f}" for stack in STACKS)
        ratios = (f"{r['harness_vs_raw']:.2f}", f"{r['harness_vs_ocpp_lib']:.2f}")
        lines.append(row.format(action, *rates, *ratios))
    m = result["method"]
    lines.append(
        f"median of {m['repeats']} x {m['requests']} sequential calls ({m['warmup']} warm-up), "
        f"stacks interleaved, server in a subprocess, {m['cpus']} CPUs"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: see --help."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="timed calls per message")
    parser.add_argument("--repeats", type=int, default=3, help="measurements per stack")
    parser.add_argument("--warmup", type=int, default=200, help="untimed calls first")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--serve", choices=STACKS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches the whole process group
            asyncio.run(serve_stack(args.serve))
        return 0
    if args.requests < 1 or args.repeats < 1 or args.warmup < 0:
        parser.error("--requests and --repeats must be >= 1, --warmup >= 0")
    result = asyncio.run(run(args.requests, args.repeats, args.warmup))
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
