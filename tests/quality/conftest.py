"""Run the conformance suite in a child pytest against the reference simulators."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class SuiteRun:
    """What one child run produced: exit code, output and the verdict per case id."""

    returncode: int
    output: str
    index: dict[str, object]

    def verdicts(self) -> dict[str, str]:
        """Case id -> verdict."""
        cases = self.index["cases"]
        assert isinstance(cases, list)
        return {case["id"]: case["verdict"] for case in cases}

    def durations(self) -> dict[str, float]:
        """Case id -> seconds."""
        cases = self.index["cases"]
        assert isinstance(cases, list)
        return {case["id"]: case["duration_s"] for case in cases}


def run_suite(
    report_dir: Path, *args: str, timeout: float = 600, paths: list[Path] | None = None
) -> SuiteRun:
    """Run `pytest PATHS --ocpp-run ARGS` in a child process and read its index.

    `paths` (default: all of testcases/) narrows collection to the files holding the cases.
    """
    command = [
        sys.executable,
        "-m",
        "pytest",
        *[str(path) for path in paths or [ROOT / "testcases"]],
        "--ocpp-run",
        f"--ocpp-report-dir={report_dir}",
        "-p",
        "no:cacheprovider",
        "-q",
        f"--ocpp-rig={ROOT / 'rigs' / 'virtual.toml'}",  # the physical cases' virtual lab
        *args,
    ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    index_path = report_dir / "latest" / "index.json"
    assert index_path.exists(), done.stdout + done.stderr
    return SuiteRun(done.returncode, done.stdout + done.stderr, json.loads(index_path.read_text()))


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """The whole suite against the clean reference simulators, once per session."""
    return run_suite(tmp_path_factory.mktemp("clean"))
