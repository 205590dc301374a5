"""Replay files: a failing fuzz program saved with its violation and frames, run again later.

Format (JSON): `{"format": FORMAT, "case": id, "version": "2.0.1", "dut_role": "station",
"violation": text, "steps": [{"step": name, ...params}], "frames": [text, ...]}`; version and
dut_role one of PROGRAM_KINDS, the steps those of the role (`program.STEPS_BY_ROLE`). A stateful
run writes one for its shortest failing program; `ocpp-harness replay FILE` runs its steps
against the DUT profile of that version and role and checks the same invariants.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from harness.fuzz.program import STEPS_BY_ROLE, Failure, Step

FORMAT = "ocpp-harness-replay/1"
#: (version, dut_role) pairs that have stateful programs.
PROGRAM_KINDS = (("2.0.1", "station"), ("1.6", "station"), ("2.0.1", "csms"), ("1.6", "csms"))
_ALL_STEPS = tuple(dict.fromkeys(name for steps in STEPS_BY_ROLE.values() for name in steps))


class ReplaySession(Protocol):
    """A stateful session a program can be replayed on (station or CSMS under test)."""

    def begin_example(self) -> None:
        """Bring the DUT into the known state every program starts from."""

    def step(self, name: str, **params: Any) -> None:
        """Carry out one step."""

    def check(self) -> None:
        """Raise AssertionError when an invariant is broken."""


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
        if not isinstance(raw, dict) or raw.get("step") not in _ALL_STEPS:
            shown = raw.get("step") if isinstance(raw, dict) else raw
            raise ReplayFileError(
                f"{path}: [steps[{index}].step] = {shown!r}: expected one of "
                f"{', '.join(_ALL_STEPS)}"
            )
        params = {k: v for k, v in raw.items() if k != "step"}
        steps.append(Step(str(raw["step"]), params))
    role = _need(document, "dut_role", str, path)
    version = _need(document, "version", str, path)
    if (version, role) not in PROGRAM_KINDS:
        kinds = "; ".join(f"{v!r}, {r!r}" for v, r in PROGRAM_KINDS)
        raise ReplayFileError(
            f"{path}: [version, dut_role] = {version!r}, {role!r}: expected one of {kinds} "
            "(the versions and roles that have stateful programs)"
        )
    for index, step in enumerate(steps):
        if step.name not in STEPS_BY_ROLE[role]:
            raise ReplayFileError(
                f"{path}: [steps[{index}].step] = {step.name!r}: not a step against a {role} "
                f"under test; expected one of {', '.join(STEPS_BY_ROLE[role])}"
            )
    return Program(
        case=_need(document, "case", str, path),
        version=version,
        dut_role=role,
        steps=tuple(steps),
        violation=str(document.get("violation", "")),
    )


def require_kind(program: Program, path: Path, version: str, dut_role: str) -> None:
    """Raise ReplayFileError unless the program was found against a `dut_role` of `version`."""
    if (program.version, program.dut_role) != (version, dut_role):
        raise ReplayFileError(
            f"{path}: [version, dut_role] = {program.version!r}, {program.dut_role!r}: this "
            f"replay case plays {version!r}, {dut_role!r} (replay {program.case}'s programs "
            "with ocpp-harness replay FILE)"
        )


async def replay_program(session: ReplaySession, program: Program) -> str | None:
    """Run the program's steps from the known start state, checking after each; the violation
    or None."""
    await asyncio.to_thread(session.begin_example)
    for step in program.steps:
        await asyncio.to_thread(partial(session.step, step.name, **step.params))
        try:
            await asyncio.to_thread(session.check)
        except AssertionError as violation:
            return str(violation)
    return None
