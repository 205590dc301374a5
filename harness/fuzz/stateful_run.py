"""What every stateful fuzz session shares, whichever role the harness plays.

A Hypothesis `RuleBasedStateMachine` runs in a worker thread; each rule is one step that a
session carries out on the case's event loop (`asyncio.run_coroutine_threadsafe`), bounded.
The run is bounded by `Budget.seconds`: once spent, steps do nothing, so Hypothesis finishes
its remaining examples and shrink attempts at once. Every failing example is recorded; the
shortest one is the result (Hypothesis's shrinker produces ever shorter ones while time lasts).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from harness.fuzz.program import Failure, Step

T = TypeVar("T")


@dataclass(frozen=True)
class Budget:
    """How much fuzzing one run does."""

    examples: int = 6
    steps: int = 6
    seconds: float = 15.0
    derandomize: bool = True


def budget_for(
    case_seconds: float, fuzz_profile: str, *, ci_examples: int = 6, ci_steps: int = 6
) -> Budget:
    """The run's size: per fuzz profile (ci, lab, soak), within half of the case deadline."""
    half = case_seconds / 2
    if fuzz_profile == "soak":
        return Budget(examples=200, steps=20, seconds=half, derandomize=False)
    if fuzz_profile == "lab":
        return Budget(examples=40, steps=12, seconds=half, derandomize=False)
    return Budget(examples=ci_examples, steps=ci_steps, seconds=min(15.0, half), derandomize=True)


class FuzzSession:
    """Bridging to the case's loop, the time budget and the failures of one fuzz run."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.failures: list[Failure] = []
        self.examples = 0
        self.steps: list[Step] = []
        #: How often each step was carried out in the whole run.
        self.performed: Counter[str] = Counter()
        self.deadline = float("inf")
        #: Steps that broke off with an exception other than a failed expectation (a harness
        #: or environment problem: the case ends INCONCLUSIVE, see `errors_text`).
        self.errors: list[str] = []

    def take_step(self, step: Step) -> None:
        """Add `step` to the current program (before carrying it out)."""
        self.steps.append(step)
        self.performed[step.name] += 1

    def coverage(self) -> str:
        """`name x count, ...` of the steps carried out in the run."""
        return ", ".join(f"{name} x{count}" for name, count in sorted(self.performed.items()))

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run `coroutine` on the case's loop from the Hypothesis thread, bounded."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            self.errors.append(f"a step did not finish within its bound of {timeout:g} s")
            raise
        except AssertionError:
            raise  # a failed expectation: Hypothesis treats the example as failing
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}"[:500])
            raise

    @property
    def spent(self) -> bool:
        """The time budget is used up: steps and checks do nothing any more."""
        return time.monotonic() >= self.deadline

    def fail(self, problem: str, frames: tuple[str, ...]) -> NoReturn:
        """Record the current program as failing with `problem`, and raise AssertionError."""
        self.failures.append(Failure(tuple(self.steps), problem, frames))
        raise AssertionError(problem)

    def shortest(self) -> Failure | None:
        """The shortest recorded failing program (the shrunk one, while time lasted)."""
        return min(self.failures, key=lambda f: len(f.steps), default=None)


def errors_text(session: FuzzSession) -> str | None:
    """The steps that broke off with an error (see FuzzSession.errors), or None."""
    if not session.errors:
        return None
    return f"{len(session.errors)} step(s) broke off: {'; '.join(session.errors[:3])}"


def program_text(failure: Failure) -> str:
    """The failing program in one line: `step(params), ...`."""
    return ", ".join(
        step.name + (f"({step.params})" if step.params else "") for step in failure.steps
    )


async def run_machine(
    machine: type[RuleBasedStateMachine], session: FuzzSession, budget: Budget
) -> None:
    """Run `machine` within `budget` in a worker thread; failures end up in `session`."""
    session.deadline = time.monotonic() + budget.seconds
    config = settings(
        max_examples=budget.examples,
        stateful_step_count=budget.steps,
        deadline=None,
        database=None,
        derandomize=budget.derandomize,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,  # the failure is reported by the case, not on stdout
    )

    def run() -> None:
        # The failure itself is recorded in the session; Hypothesis's own exception (the
        # falsifying example, or "flaky" once the budget made a replay do nothing) is not.
        with contextlib.suppress(Exception):
            run_state_machine_as_test(machine, settings=config)

    await asyncio.to_thread(run)
