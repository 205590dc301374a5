"""How every stateful fuzz case turns a run or a replay into checks (one place for all roles).

A run reports its size; steps that broke off with a harness error make it INCONCLUSIVE when
nothing failed; the shortest failing program is saved as a replay file and fails the case.
A replay fails when an invariant breaks again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from harness.cases.checks import Checks
from harness.fuzz.replay import (
    ReplaySession,
    load_replay,
    replay_program,
    require_kind,
    write_replay,
)
from harness.fuzz.stateful_run import Budget, FuzzSession, errors_text, program_text
from harness.outcomes import EnvironmentFailure, NotApplicable


def judge_run(
    check: Checks,
    session: FuzzSession,
    budget: Budget,
    fuzz_profile: str,
    *,
    artifacts: Path,
    case: str,
    version: str,
    dut_role: str,
    note: str = "",
) -> None:
    """Report the run's size, then its harness errors and its shortest failure."""
    check.must(session.examples > 0, f"at least one example ran ({session.examples})")
    check.info(
        True,
        f"profile {fuzz_profile}: {session.examples} examples of up to {budget.steps} steps "
        f"in {budget.seconds:g} s, "
        + ("derandomized (same programs every run)" if budget.derandomize else "random seed")
        + f"; steps: {session.coverage()}"
        + note,
    )
    failure, broken = session.shortest(), errors_text(session)
    if failure is None and broken is not None:
        raise EnvironmentFailure(broken)
    check.info(broken is None, broken or "every step was carried out")
    if failure is None:
        return
    path = write_replay(artifacts / "stateful-failure.json", case, version, dut_role, failure)
    check.must(
        False,
        f"{failure.violation}; shortest failing program ({len(failure.steps)} steps of "
        f"{len(session.failures)} failing runs): {program_text(failure)}; replay: "
        f"ocpp-harness replay {path}",
    )


async def judge_replay(
    check: Checks,
    start: Callable[[], Awaitable[ReplaySession]],
    path: Path | None,
    version: str,
    dut_role: str,
) -> None:
    """Run the program of `--ocpp-replay FILE` once; FAIL if an invariant breaks again.

    `start` prepares the DUT and returns the session, once the file is known to fit.
    """
    if path is None:
        raise NotApplicable("no program to replay (ocpp-harness replay FILE / --ocpp-replay)")
    program = load_replay(path)
    require_kind(program, path, version, dut_role)
    violation = await replay_program(await start(), program)
    check.must(
        violation is None,
        f"replayed {len(program.steps)} steps from {path}: {violation} "
        f"(recorded: {program.violation})",
    )
