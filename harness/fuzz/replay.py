"""Replay files: a failing fuzz program saved with its violation and frames, run again later.

Format (JSON): `{"format": FORMAT, "case": id, "version": "2.0.1", "dut_role": "station",
"violation": text, "steps": [{"step": name, ...params}], "frames": [text, ...]}`. A stateful
run writes one for its shortest failing program; `ocpp-harness replay FILE` runs its steps
against the DUT profile of that version and role and checks the same invariants.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.fuzz.program import STEPS, Failure, Step

if TYPE_CHECKING:
    from harness.fuzz.stateful_station import StationSession

FORMAT = "ocpp-harness-replay/1"


class ReplayFileError(ValueError):
    """A replay file that cannot be used; the message names the file, key and expectation."""


@dataclass(frozen=True)
class Program:
    """A replayable program read from a file."""

    case: str
    version: str
    dut_role: str
    steps: tuple[Step, ...]
    violation: str


def write_replay(path: Path, case: str, version: str, dut_role: str, failure: Failure) -> Path:
    """Write `failure` as a replay file; return its path."""
    document = {
        "format": FORMAT,
        "case": case,
        "version": version,
        "dut_role": dut_role,
        "violation": failure.violation,
        "steps": [step.as_dict() for step in failure.steps],
        "frames": list(failure.frames),
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def _need(document: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    value = document.get(key)
    if not isinstance(value, kind):
        raise ReplayFileError(f"{path}: [{key}] = {value!r}: expected a {kind.__name__}")
    return value


def load_replay(path: Path) -> Program:
    """Read and check a replay file; ReplayFileError says what is wrong and where."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReplayFileError(f"{path}: not a readable JSON file: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        shown = document.get("format") if isinstance(document, dict) else document
        raise ReplayFileError(f"{path}: [format] = {shown!r}: expected {FORMAT!r}")
    steps = []
    for index, raw in enumerate(_need(document, "steps", list, path)):
        if not isinstance(raw, dict) or raw.get("step") not in STEPS:
            shown = raw.get("step") if isinstance(raw, dict) else raw
            raise ReplayFileError(
                f"{path}: [steps[{index}].step] = {shown!r}: expected one of {', '.join(STEPS)}"
            )
        params = {k: v for k, v in raw.items() if k != "step"}
        steps.append(Step(str(raw["step"]), params))
    role = _need(document, "dut_role", str, path)
    version = _need(document, "version", str, path)
    if (version, role) != ("2.0.1", "station"):
        raise ReplayFileError(
            f"{path}: [version, dut_role] = {version!r}, {role!r}: expected '2.0.1', 'station' "
            "(stateful programs exist for 2.0.1 stations)"
        )
    return Program(
        case=_need(document, "case", str, path),
        version=version,
        dut_role=role,
        steps=tuple(steps),
        violation=str(document.get("violation", "")),
    )


async def replay_program(session: StationSession, program: Program) -> str | None:
    """Run the program's steps from a power cycle, checking after each; the violation or None."""
    await asyncio.to_thread(session.begin_example)
    for step in program.steps:
        await asyncio.to_thread(partial(session.step, step.name, **step.params))
        try:
            await asyncio.to_thread(session.check)
        except AssertionError as violation:
            return str(violation)
    return None
