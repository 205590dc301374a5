"""Fuzz payload generation per second (fast generator, Hypothesis) and fuzz exchanges per second.

Method (details in benchmarks/README.md):
1. Generation, for each message of MESSAGES (both request and response schemas, 1.6 to 2.1):
   `fast`: `--examples` payloads from `harness.fuzz.generators.fast_generator_for` with one
   `random.Random(seed)`, timed with time.perf_counter; `hypothesis`: one `@given(strategy_for)`
   run with max_examples=`--hypothesis-examples`, generate phase only, no database, no
   deadline, fixed `@seed`, timed around the whole run (engine included) and divided by the
   examples the test body saw. Every example drawn is then (untimed) serialized to JSON, parsed
   back and validated with harness/ocppj/schemas.py; `invalid` counts failures (expected 0).
2. Exchanges, per OCPP version the reference station speaks: launch it with
   harness/sim/launcher.py (as harness/cases/environment.py does) against the harness CSMS
   emulator on 127.0.0.1; wait for its BootNotification; draw `--exchanges` payloads (untimed)
   cycling over every CSMS-initiated action except the restart-capable ones
   (harness/fuzz/fuzzing_actions.py); send them one at a time (`CsmsEmulator.call`), timed;
   rate = answered (CALLRESULT or CALLERROR) / elapsed seconds.
3. `--repeats` rounds, each measuring every message and both versions in the same order
   (interleaved, so machine noise hits all alike); medians are reported.
Every wait is bounded: 10 s per CALL, 30 s for the station to boot, 5 s to stop it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from harness.fuzz.fuzzing_actions import RESTART_CAPABLE, sent_by
from harness.fuzz.generators import fast_generator_for
from harness.fuzz.strategies import strategy_for
from harness.ocppj.schemas import PayloadKind, schema_name, validate
from harness.ocppj.versions import OcppVersion
from harness.roles.csms import CsmsEmulator
from harness.sim.launcher import SimProcess
from harness.transport.wirelog import WireLog

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21
REQ, RES = PayloadKind.REQUEST, PayloadKind.RESPONSE
#: Representative messages: the big 2.0.1 transaction event, small and nested ones, both
#: directions, and one message each of 1.6 and 2.1.
MESSAGES: tuple[tuple[OcppVersion, str, PayloadKind], ...] = (
    (V201, "TransactionEvent", REQ),
    (V201, "BootNotification", REQ),
    (V201, "SetChargingProfile", REQ),
    (V201, "GetVariables", RES),
    (V201, "NotifyReport", REQ),
    (V16, "MeterValues", REQ),
    (V16, "StartTransaction", RES),
    (V21, "SetDERControl", REQ),
)
STATION_VERSIONS = (V201, V16)
STATION_ID = "BENCHFUZZ"
SEED = 20240501


def message_key(version: OcppVersion, action: str, kind: PayloadKind) -> str:
    """The JSON key of a message: its official schema name (MESSAGES keeps them unique)."""
    return schema_name(version, action, kind)


def invalid_count(version: OcppVersion, action: str, kind: PayloadKind, drawn: list[Any]) -> int:
    """How many drawn payloads break their schema once sent as JSON."""
    return sum(
        bool(validate(version, action, kind, json.loads(json.dumps(p, ensure_ascii=False))))
        for p in drawn
    )


def measure_fast(
    version: OcppVersion, action: str, kind: PayloadKind, count: int
) -> tuple[float, int]:
    """(examples per second, invalid examples) of the fast generator."""
    generate, rng = fast_generator_for(version, action, kind), random.Random(SEED)
    start = time.perf_counter()
    drawn = [generate(rng) for _ in range(count)]
    elapsed = time.perf_counter() - start
    return count / elapsed, invalid_count(version, action, kind, drawn)


def measure_hypothesis(
    version: OcppVersion, action: str, kind: PayloadKind, count: int
) -> tuple[float, int]:
    """(examples per second, invalid examples) of `@given(strategy_for(...))`."""
    drawn: list[Any] = []

    @seed(SEED)
    @settings(
        max_examples=count,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy_for(version, action, kind))
    def body(payload: Any) -> None:
        drawn.append(payload)

    start = time.perf_counter()
    body()
    elapsed = time.perf_counter() - start
    return len(drawn) / elapsed, invalid_count(version, action, kind, drawn)


async def measure_exchanges(version: OcppVersion, count: int) -> dict[str, Any]:
    """Answered fuzz exchanges per second against a freshly launched reference station."""
    actions = [a for a in sent_by(version, "csms") if a not in RESTART_CAPABLE[version]]
    rng = random.Random(SEED)
    calls: list[tuple[str, dict[str, Any]]] = []
    for i in range(count):
        action = actions[i % len(actions)]
        calls.append((action, fast_generator_for(version, action, REQ)(rng)))
    with tempfile.TemporaryDirectory() as tmp, WireLog(Path(tmp) / "csms.jsonl") as log:
        csms = CsmsEmulator(
            version, log, station_id=STATION_ID, call_timeout=10, tokens={},
            heartbeat_interval=300, host="127.0.0.1", path="/ocpp",
        )  # fmt: skip
        await csms.start()
        sim: SimProcess | None = None
        try:
            sim = await SimProcess.start(
                [
                    "station", "--ocpp-version", version.value, "--security-profile", "0",
                    "--csms-url", csms.url.removesuffix(STATION_ID) + "{station_id}",
                    "--station-id", STATION_ID, "--evses", "2",
                    "--heartbeat-interval", "300", "--meter-interval", "60",
                ],
                log_path=Path(tmp) / "station-sim.log",
                ready_within=30,
            )  # fmt: skip
            await csms.expect("BootNotification", within=30)
            outcomes: Counter[str] = Counter()
            start = time.perf_counter()
            for action, payload in calls:
                outcome = await csms.call(action, payload, within=10, allow_no_answer=True)
                if outcome.payload is not None:
                    outcomes["CALLRESULT"] += 1
                elif outcome.error is not None:
                    outcomes[outcome.error.code] += 1
                else:
                    outcomes["unanswered"] += 1
            elapsed = time.perf_counter() - start
        finally:
            await csms.aclose()
            if sim is not None:
                await sim.stop()
    answered = count - outcomes["unanswered"]
    return {"rate": answered / elapsed, "answered": answered, "outcomes": dict(outcomes)}


def run(examples: int, hypothesis_examples: int, exchanges: int, repeats: int) -> dict[str, Any]:
    """Measure everything `repeats` times, interleaved; return medians and the method."""
    fast: dict[str, list[float]] = {message_key(*m): [] for m in MESSAGES}
    slow: dict[str, list[float]] = {message_key(*m): [] for m in MESSAGES}
    invalid: Counter[str] = Counter()
    station: dict[str, list[dict[str, Any]]] = {v.value: [] for v in STATION_VERSIONS}
    for _ in range(repeats):
        for message in MESSAGES:
            key = message_key(*message)
            rate, bad = measure_fast(*message, examples)
            fast[key].append(rate)
            invalid[key] += bad
            rate, bad = measure_hypothesis(*message, hypothesis_examples)
            slow[key].append(rate)
            invalid[key] += bad
        for version in STATION_VERSIONS:
            station[version.value].append(asyncio.run(measure_exchanges(version, exchanges)))
    result: dict[str, Any] = {}
    for version_, action, kind in MESSAGES:
        key = message_key(version_, action, kind)
        result[key] = {
            "version": version_.value,
            "examples_per_s": round(statistics.median(fast[key]), 1),
            "hypothesis_examples_per_s": round(statistics.median(slow[key]), 1),
            "invalid": invalid[key],
        }
    result["exchanges"] = {
        name: {
            "exchanges_per_s": round(statistics.median(s["rate"] for s in samples), 1),
            "answered": samples[-1]["answered"],
            "outcomes": samples[-1]["outcomes"],
        }
        for name, samples in station.items()
    }
    result["method"] = {
        "examples": examples, "hypothesis_examples": hypothesis_examples,
        "exchanges": exchanges, "repeats": repeats, "statistic": "median", "seed": SEED,
        "order": "interleaved: every message (fast, hypothesis), then 2.0.1 and 1.6 exchanges",
        "timing": "time.perf_counter; validation and payload drawing for exchanges untimed",
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "versions": {d: dist_version(d) for d in ("hypothesis", "jsonschema-rs", "websockets")},
        "samples": {
            "examples_per_s": {k: [round(r) for r in v] for k, v in fast.items()},
            "hypothesis_examples_per_s": {k: [round(r) for r in v] for k, v in slow.items()},
            "exchanges_per_s": {k: [round(s["rate"]) for s in v] for k, v in station.items()},
        },
    }  # fmt: skip
    return result


def table(result: dict[str, Any]) -> str:
    """Readable form of `run`'s result."""
    row = "{:<32}{:>8}{:>12}{:>14}{:>9}"
    lines = [row.format("message", "version", "fast/s", "hypothesis/s", "invalid")]
    for version, action, kind in MESSAGES:
        r = result[message_key(version, action, kind)]
        lines.append(
            row.format(
                message_key(version, action, kind),
                r["version"],
                f"{r['examples_per_s']:.0f}",
                f"{r['hypothesis_examples_per_s']:.0f}",
                r["invalid"],
            )
        )
    for name, r in result["exchanges"].items():
        lines.append(
            f"fuzz exchanges with the reference station {name}: {r['exchanges_per_s']:.0f}/s"
        )
    m = result["method"]
    lines.append(
        f"median of {m['repeats']}: {m['examples']} fast / {m['hypothesis_examples']} Hypothesis "
        f"examples per message, {m['exchanges']} exchanges per version, {m['cpus']} CPUs"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: see --help."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000, help="fast examples per message")
    parser.add_argument(
        "--hypothesis-examples", type=int, default=300, help="Hypothesis examples per message"
    )
    parser.add_argument("--exchanges", type=int, default=1000, help="CALLs per station version")
    parser.add_argument("--repeats", type=int, default=3, help="measurement rounds")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if min(args.examples, args.hypothesis_examples, args.exchanges, args.repeats) < 1:
        parser.error("every count must be >= 1")
    result = run(args.examples, args.hypothesis_examples, args.exchanges, args.repeats)
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
