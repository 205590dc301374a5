"""The wire log keeps one timeline and gets it to disk without a write per frame."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from harness.transport.wirelog import FLUSH_DELAY, WireLog


def test_without_a_loop_entries_are_written_at_once(tmp_path: Path) -> None:
    log = WireLog(tmp_path / "w.jsonl")
    log.frame("in", '[2,"1","Heartbeat",{}]', "CS1#1")
    line = json.loads((tmp_path / "w.jsonl").read_text())
    assert line["dir"] == "in" and line["conn"] == "CS1#1" and line["kind"] == "frame"
    assert line["utc"].endswith("Z") and len(line["utc"].split(".")[1]) == 4  # 3 digits + Z
    log.close()


async def test_in_a_loop_entries_reach_the_file_within_the_flush_delay(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    log = WireLog(path)
    for n in range(5):
        log.record("action", f"step {n}")
    assert path.read_text() == ""
    await asyncio.sleep(FLUSH_DELAY * 3)
    texts = [json.loads(line)["text"] for line in path.read_text().splitlines()]
    assert texts == [f"step {n}" for n in range(5)]
    log.record("action", "last")
    log.close()
    assert json.loads(path.read_text().splitlines()[-1])["text"] == "last"


def test_timeline_is_monotonic_and_names_skipped_entries(tmp_path: Path) -> None:
    ticks = iter(float(n) for n in range(10_000))
    log = WireLog(clock=lambda: next(ticks))
    for n in range(2_100):
        log.record("note", str(n))
    lines = log.timeline(last=3).splitlines()
    assert lines[0].startswith("... 2097 earlier entries")
    times = [entry.t for entry in log.recent]
    assert times == sorted(times)
