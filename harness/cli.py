"""`ocpp-harness`: run the demo or the suite, replay a fuzz program, start a simulator, show
catalog coverage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.cases.coverage import TESTCASES_DIR, coverage_rows, coverage_table, implemented_cases

#: The virtual lab's rig description (rigs/virtual.toml), used by `demo`.
VIRTUAL_RIG = TESTCASES_DIR.parent / "rigs" / "virtual.toml"


def _demo(args: argparse.Namespace) -> int:
    import pytest

    reports = Path(args.report_dir)
    reports.mkdir(parents=True, exist_ok=True)
    code = pytest.main(
        [
            str(TESTCASES_DIR),
            "--ocpp-run",
            f"--ocpp-report-dir={reports}",
            f"--junitxml={reports / 'junit.xml'}",
            f"--alluredir={reports / 'allure-results'}",
            # The physical cases run against the virtual lab; a later --ocpp-rig overrides it.
            f"--ocpp-rig={VIRTUAL_RIG}",
            "-p",
            "no:cacheprovider",
            "-q",
            *args.pytest_args,
        ]
    )
    latest = reports / "latest"
    print(f"\nReport: {latest / 'summary.html'}")
    print(f"Index:  {latest / 'index.json'}")
    print(f"JUnit:  {reports / 'junit.xml'}   Allure results: {reports / 'allure-results'}")
    return int(code)


def _run(args: argparse.Namespace) -> int:
    import pytest

    return int(pytest.main([str(TESTCASES_DIR), *args.pytest_args]))


def _catalog(args: argparse.Namespace) -> int:
    rows = coverage_rows(implemented_cases())
    if args.version:
        rows = [row for row in rows if row[0] == args.version]
    if args.coverage or args.sections:
        print("\n".join(coverage_table(rows, sections=True)))
        print()
    print("\n".join(coverage_table(rows, sections=False)))
    return 0


def _profile(args: argparse.Namespace) -> int:
    from harness.dut.profile import load_profile
    from harness.dut.profile_schema import ProfileError

    try:
        profile = load_profile(args.path)
    except ProfileError as error:
        print(f"invalid DUT profile: {error}", file=sys.stderr)
        return ProfileError.exit_code
    print(f"{args.path}: {profile.name} ({profile.role.value}, OCPP {profile.ocpp_version.value})")
    return 0


def _replay(args: argparse.Namespace) -> int:
    """Run a saved fuzz program once against the DUT (default: the reference simulators)."""
    import pytest

    from harness.fuzz.replay import ReplayFileError, load_replay

    try:
        program = load_replay(Path(args.path))
    except ReplayFileError as error:
        print(f"invalid replay file: {error}", file=sys.stderr)
        return 4
    case = program.case.rsplit("_", 1)[0] + "_replay"
    return int(
        pytest.main(
            [
                str(TESTCASES_DIR),
                "--ocpp-run",
                f"--ocpp-replay={args.path}",
                f"--ocpp-case={case}",
                "-p",
                "no:cacheprovider",
                "-q",
                *args.pytest_args,
            ]
        )
    )


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="ocpp-harness", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the suite against the reference simulators")
    demo.add_argument("--report-dir", default="reports")
    demo.add_argument("pytest_args", nargs=argparse.REMAINDER)
    demo.set_defaults(func=_demo)
    run = commands.add_parser("run", help="run the conformance cases with pytest options")
    run.add_argument("pytest_args", nargs=argparse.REMAINDER)
    run.set_defaults(func=_run)
    catalog = commands.add_parser("catalog", help="implemented / total cases per section")
    catalog.add_argument(
        "--coverage", action="store_true", help="per-section table before the totals"
    )
    catalog.add_argument("--version", choices=("1.6", "2.0.1", "2.1"))
    catalog.add_argument("--sections", action="store_true", help="same as --coverage")
    catalog.set_defaults(func=_catalog)
    replay = commands.add_parser(
        "replay", help="replay a saved fuzz program (pytest options such as --ocpp-dut follow)"
    )
    replay.add_argument("path", help="a stateful-failure.json from a FUZZ case's artifacts")
    replay.add_argument("pytest_args", nargs=argparse.REMAINDER)
    replay.set_defaults(func=_replay)
    profile = commands.add_parser("check-profile", help="validate a DUT profile (exit 4 if bad)")
    profile.add_argument("path")
    profile.set_defaults(func=_profile)
    commands.add_parser("sim", help="run a reference simulator: sim {station|csms} ...")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ocpp-harness` console script."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sim"]:
        from harness.sim.__main__ import main as sim_main

        return sim_main(argv[1:])
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if not hasattr(args, "pytest_args"):
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        # demo / run / replay pass pytest options through, wherever they stand
        args.pytest_args = [*unknown, *args.pytest_args]
    return int(args.func(args))
