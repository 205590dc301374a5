"""Turn a valid-payload fuzz run into checks and a JSON artifact with the failing frames."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Final

from harness.cases.checks import Checks
from harness.fuzz.fuzzing import Failure, FuzzRun

ARTIFACT: Final = "fuzz-valid-payloads.json"
#: Longest frame quoted in a check message; the artifact has them whole.
QUOTE: Final = 1200


def quoted(frames: tuple[str, ...]) -> str:
    """Frames for a check message, each cut to QUOTE characters."""
    cut = [f if len(f) <= QUOTE else f[:QUOTE] + f"... ({len(f)} chars)" for f in frames]
    return " | ".join(cut) or "(no frames recorded)"


def as_document(run: FuzzRun, case_id: str) -> dict[str, Any]:
    """The artifact: profile, seeds, per-action counts and every minimal failing exchange."""
    return {
        "case": case_id,
        "profile": asdict(run.profile),
        "seed": run.seed,
        "budget_s": run.budget,
        "gone": run.gone,
        "actions": [
            {
                "action": r.action,
                "seed": r.seed,
                "exchanges": r.exchanges,
                "failing_exchanges": r.failing,
                "cut_off_by_restart": r.cut_off,
                "legitimate_errors": dict(r.legitimate_errors),
                "skipped": r.skipped,
                "minimal_failures": {level: _failure(f) for level, f in r.minimal.items()},
            }
            for r in run.actions
        ],
        "connection_failures": [_failure(f) for f in run.connection_failures],
    }


def _failure(failure: Failure | None) -> dict[str, Any] | None:
    if failure is None:
        return None
    return {
        "level": failure.level,
        "reason": failure.reason,
        "frames": list(failure.frames),
        "payload": failure.payload,
    }


def record(run: FuzzRun, check: Checks, artifacts: Path, case_id: str, ref: str) -> Path:
    """Write the artifact; add one MUST check per action and per lost connection."""
    path = artifacts / ARTIFACT
    path.write_text(json.dumps(as_document(run, case_id), indent=2) + "\n", encoding="utf-8")
    where = f"profile {run.profile.name}, run seed {run.seed}; details in {ARTIFACT}"
    for result in run.actions:
        if result.skipped and not result.exchanges:
            continue
        legit = ", ".join(f"{code} x{n}" for code, n in sorted(result.legitimate_errors.items()))
        if not result.minimal:
            check.must(
                result.failing == 0,
                f"{result.action}: {result.exchanges} schema-valid CALLs, {result.failing} "
                "answered otherwise than by a schema-valid CALLRESULT or an allowed CALLERROR"
                + (f" (allowed: {legit})" if legit else "")
                + f" (seed {result.seed})",
                ref=ref,
            )
            continue
        for level, failure in sorted(result.minimal.items()):
            text = (
                f"{failure.reason}; minimal failing exchange ({result.failing} failing of "
                f"{result.exchanges}, seed {result.seed}, {where}): {quoted(failure.frames)}"
            )
            if level == "MUST":
                check.must(False, text, ref=ref)
            else:
                check.should(False, text, ref=ref)
    for failure in run.connection_failures:
        check.must(False, f"{failure.reason}: {quoted(failure.frames)} ({where})", ref=ref)
    if run.gone:
        check.must(False, f"{run.gone} ({where})", ref=ref)
    done = [r for r in run.actions if not r.skipped]
    check.info(
        len(done) == len(run.actions),
        f"{len(done)} of {len(run.actions)} actions fuzzed within the {run.budget:g} s budget "
        f"({', '.join(r.action for r in run.actions if r.skipped) or 'none left out'})",
    )
    return path
