"""pytest plugin: options with ini twins, the case runner fixture, verdict reporting.

Registered through the `pytest11` entry point and inert unless an `--ocpp-*` option or an
`ocpp_*` ini key is given, so installing the harness changes no other test suite.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from pathlib import Path
from typing import Any, Final

import pytest

from harness.cases.catalog import CATALOG_DIR
from harness.cases.model import CaseFunction, CaseSpec
from harness.cases.runner import RunSettings, execute, failure_text
from harness.dut.profile import load_profile
from harness.dut.profile_model import DutProfile
from harness.dut.profile_schema import ProfileError
from harness.report import allure_labels
from harness.report.html import write_html
from harness.report.record import Verdict
from harness.report.record import pytest_outcome as outcome_of
from harness.report.run import RunReport, summary_lines
from harness.rig.model import RigDescription
from harness.sim.faults import FAULTS, is_known

#: The reference simulators' profiles, each base profile (e.g. reference-station-16) before
#: its variants (reference-station-16-fixed-cable), so cases without special needs use it.
REFERENCE_PROFILES: Final = tuple(
    sorted(
        (CATALOG_DIR.parent / "dut").glob("reference-*.toml"),
        key=lambda path: (path.stem.count("-"), path.name),
    )
)
_OPTIONS: Final = (
    "ocpp_dut",
    "ocpp_strict",
    "ocpp_report_dir",
    "ocpp_sim_fault",
    "ocpp_run",
    "ocpp_case",
    "ocpp_rig",
    "ocpp_fuzz_profile",
    "ocpp_replay",
)
#: Sizes of a fuzz run: `ci` small and derandomized, `lab` larger, `soak` for hours.
FUZZ_PROFILES: Final = ("ci", "lab", "soak")
SETTINGS_KEY: Final = pytest.StashKey[RunSettings]()
VERDICT_KEY: Final = pytest.StashKey[Verdict]()


class InconclusiveVerdict(Exception):
    """Raised from a case whose environment failed; reported as an error, not a failure."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the `--ocpp-*` options and their ini twins."""
    group = parser.getgroup("ocpp", "OCPP conformance harness")
    group.addoption(
        "--ocpp-dut",
        action="append",
        metavar="PATH",
        help="DUT profile (TOML); repeat for several roles/versions. "
        "'reference' = the reference simulators (default).",
    )
    parser.addini("ocpp_dut", "DUT profile paths, one per line", type="linelist")
    group.addoption(
        "--ocpp-strict", action="store_true", default=None, help="NON-STRICT verdicts fail"
    )
    parser.addini("ocpp_strict", "NON-STRICT verdicts fail", type="bool", default=False)
    group.addoption("--ocpp-report-dir", metavar="DIR", help="where run reports go (reports)")
    parser.addini("ocpp_report_dir", "where run reports go (empty: reports)", default="")
    group.addoption(
        "--ocpp-sim-fault",
        action="append",
        metavar="NAME",
        help="switch on a documented fault in the launched reference simulators (mutants)",
    )
    parser.addini("ocpp_sim_fault", "simulator faults, one per line", type="linelist")
    group.addoption(
        "--ocpp-run", action="store_true", default=None, help="activate with the defaults"
    )
    group.addoption(
        "--ocpp-case",
        action="append",
        metavar="ID",
        help="run only this official case id (exact match); repeatable",
    )
    parser.addini("ocpp_case", "official case ids to run, one per line", type="linelist")
    parser.addini("ocpp_run", "activate the OCPP harness", type="bool", default=False)
    group.addoption(
        "--ocpp-rig",
        metavar="PATH",
        help="rig description (TOML, see rigs/README.md) for the physical cases",
    )
    parser.addini("ocpp_rig", "rig description path (empty: no rig)", default="")
    group.addoption(
        "--ocpp-fuzz-profile",
        choices=FUZZ_PROFILES,
        help="size of fuzz runs: ci (default, derandomized), lab, soak",
    )
    parser.addini("ocpp_fuzz_profile", "fuzz run size: ci (empty), lab or soak", default="")
    group.addoption(
        "--ocpp-replay",
        metavar="FILE",
        help="a fuzz program to replay (FUZZ_*_replay cases; see ocpp-harness replay)",
    )
    parser.addini("ocpp_replay", "fuzz program to replay (empty: none)", default="")


def is_active(config: pytest.Config) -> bool:
    """True when any `--ocpp-*` option or `ocpp_*` ini key was given."""
    return any(config.getoption(name) or config.getini(name) for name in _OPTIONS)


def _value(config: pytest.Config, name: str) -> Any:
    option = config.getoption(name)
    return option if option is not None else config.getini(name)


def _profile_paths(config: pytest.Config) -> list[Path]:
    paths: list[Path] = []
    for entry in _value(config, "ocpp_dut") or ["reference"]:
        if entry == "reference":
            paths.extend(REFERENCE_PROFILES)
        else:
            paths.append(Path(entry))
    return paths


def load_profiles(paths: list[Path]) -> dict[tuple[str, str], list[DutProfile]]:
    """Load every profile, grouped by (DUT role, OCPP version) in the order given."""
    profiles: dict[tuple[str, str], list[DutProfile]] = {}
    for path in paths:
        profile = load_profile(path)
        profiles.setdefault((profile.role.value, profile.ocpp_version.value), []).append(profile)
    return profiles


def pytest_configure(config: pytest.Config) -> None:
    """Validate profiles and faults before anything runs (exit code 4 on a bad profile)."""
    if not is_active(config):
        return
    try:
        profiles = load_profiles(_profile_paths(config))
    except ProfileError as error:
        pytest.exit(f"invalid DUT profile: {error}", returncode=ProfileError.exit_code)
    faults = tuple(_value(config, "ocpp_sim_fault") or ())
    unknown = [f for f in faults if not is_known(f)]
    if unknown:
        known = sorted({name for table in FAULTS.values() for name in table})
        pytest.exit(
            f"unknown simulator fault(s) {unknown}; known: {', '.join(known)}",
            returncode=ProfileError.exit_code,
        )
    rig = _load_rig(config)
    root = Path(_value(config, "ocpp_report_dir") or "reports")
    report = RunReport.create(
        root, meta={"profiles": [str(p.source) for group in profiles.values() for p in group]}
    )
    config.stash[SETTINGS_KEY] = RunSettings(
        profiles=profiles,
        report=report,
        strict=bool(_value(config, "ocpp_strict")),
        faults=faults,
        pki_root=root / ".pki",
        rig=rig,
    )


def _load_rig(config: pytest.Config) -> RigDescription | None:
    """Load and validate `--ocpp-rig`; a bad file ends the session (exit code 4)."""
    path = _value(config, "ocpp_rig")
    if not path:
        return None
    from harness.rig.description import load_rig
    from harness.rig.errors import RigFileError

    try:
        return load_rig(Path(path))
    except RigFileError as error:
        pytest.exit(f"invalid rig description: {error}", returncode=RigFileError.exit_code)


class CaseRunner:
    """The `ocpp_runner` fixture: runs a case function and turns its verdict into an outcome."""

    def __init__(self, settings: RunSettings) -> None:
        self.settings = settings

    def run(
        self, spec: CaseSpec, function: CaseFunction, request: Any, kwargs: dict[str, Any]
    ) -> None:
        """Run one case to its verdict; raise the matching pytest outcome."""
        allure_labels.label_case(spec)
        node = request.node
        record, details = asyncio.run(execute(spec, function, node.nodeid, kwargs, self.settings))
        report = self.settings.report
        report.add(record)
        allure_labels.report_case(record, report.directory)
        node.stash[VERDICT_KEY] = record.verdict
        node.user_properties.append(("ocpp_verdict", record.verdict.value))
        outcome = outcome_of(record.verdict, self.settings.strict)
        text = failure_text(record, details, report.directory / record.wire_log)
        if outcome == "failed":
            pytest.fail(text, pytrace=False)
        if outcome == "skipped":
            pytest.skip(f"N/A: {record.reason}")
        if outcome == "error":
            raise InconclusiveVerdict(text)


@pytest.fixture(scope="session")
def ocpp_runner(request: pytest.FixtureRequest) -> CaseRunner:
    """The case runner of this session (skips cases while the harness is inactive)."""
    settings = request.config.stash.get(SETTINGS_KEY, None)
    if settings is None:
        pytest.skip("OCPP harness inactive: give --ocpp-dut, --ocpp-run or another --ocpp-* option")
    return CaseRunner(settings)


@pytest.fixture(scope="session")
def ocpp_fuzz_profile(request: pytest.FixtureRequest) -> str:
    """The fuzz profile of this run (`--ocpp-fuzz-profile`, ini `ocpp_fuzz_profile`)."""
    value = str(_value(request.config, "ocpp_fuzz_profile") or "ci")
    if value not in FUZZ_PROFILES:
        raise pytest.UsageError(f"ocpp_fuzz_profile = {value!r}: expected one of {FUZZ_PROFILES}")
    return value


@pytest.fixture(scope="session")
def ocpp_replay(request: pytest.FixtureRequest) -> Path | None:
    """The program file to replay (`--ocpp-replay`), or None."""
    value = _value(request.config, "ocpp_replay")
    return Path(value) if value else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Let `-k TC_B_01_CS` find a case by its id; `--ocpp-case ID` keeps exactly those ids.

    On-demand cases (e.g. FUZZ_201_CS_replay) run only when named by `--ocpp-case`.
    """
    wanted = set(_value(config, "ocpp_case") or ())
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        spec = getattr(getattr(item, "function", None), "ocpp_case", None)
        if isinstance(spec, CaseSpec):
            item.extra_keyword_matches.add(spec.id)
        named = isinstance(spec, CaseSpec) and spec.id in wanted
        on_demand = isinstance(spec, CaseSpec) and spec.on_demand
        if (wanted and not named) or (on_demand and not named):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Carry the OCPP verdict on the report for the status line."""
    report = yield
    verdict = item.stash.get(VERDICT_KEY, None)
    if verdict is not None and report.when == "call":
        report.ocpp_verdict = verdict.value  # type: ignore[attr-defined]
    return report


def pytest_report_teststatus(
    report: pytest.TestReport, config: pytest.Config
) -> tuple[str, str, str] | None:
    """Show INCONCLUSIVE as an error and NON-STRICT/INFORMATIONAL by name."""
    verdict = getattr(report, "ocpp_verdict", None)
    if verdict == Verdict.INCONCLUSIVE.value:
        return "error", "E", "INCONCLUSIVE"
    if verdict in (Verdict.NON_STRICT.value, Verdict.INFORMATIONAL.value) and report.passed:
        return "passed", "N" if verdict == Verdict.NON_STRICT.value else "I", verdict
    return None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Close the run: final index (aborted when interrupted) and the HTML summary."""
    settings = session.config.stash.get(SETTINGS_KEY, None)
    if settings is None:
        return
    interrupted = exitstatus == pytest.ExitCode.INTERRUPTED
    settings.report.finish(status="aborted" if interrupted else "complete")
    write_html(settings.report.directory)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print verdicts grouped by role, version and certification profile."""
    settings = config.stash.get(SETTINGS_KEY, None)
    if settings is None:
        return
    terminalreporter.section("OCPP conformance")
    for line in summary_lines(settings.report.index(), location=str(settings.report.directory)):
        terminalreporter.write_line(line)
