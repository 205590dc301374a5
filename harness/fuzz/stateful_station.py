"""Stateful fuzzing of a 2.0.1 charging station: Hypothesis drives random sessions, the
invariants of `invariants_v201` judge every step, failures shrink to a replayable program.

A Hypothesis `RuleBasedStateMachine` runs in a worker thread; each rule is one step
(plug in, start a session, unplug, remote start/stop, a connection loss, availability) that
is carried out on the case's event loop (`asyncio.run_coroutine_threadsafe`) through the
DUT's action backend and the harness CSMS. Every example starts from a power cycle.

The run is bounded by `Budget.seconds`: once spent, steps do nothing, so Hypothesis finishes
its remaining examples and shrink attempts at once. Every failing example is recorded; the
shortest one is the result (Hypothesis's shrinker produces ever shorter ones while time
lasts), with its steps, the violation and the frames of that example: `replay` runs it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from harness.dut.device import Dut
from harness.fuzz.invariants_v201 import running_transactions, transaction_violation
from harness.fuzz.program import Failure, Step
from harness.outcomes import ExpectationFailed
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message

T = TypeVar("T")

#: Seconds without a new message after which the station counts as settled.
QUIET = 0.15


@dataclass(frozen=True)
class Budget:
    """How much fuzzing one run does."""

    examples: int = 6
    steps: int = 6
    seconds: float = 15.0
    derandomize: bool = True


class StationSession:
    """Carries out steps against the station under test and checks the invariants.

    Called from the Hypothesis thread; every coroutine runs on the case's loop, bounded.
    """

    def __init__(self, csms: CsmsEmulator, dut: Dut, loop: asyncio.AbstractEventLoop) -> None:
        self.csms = csms
        self.dut = dut
        self.loop = loop
        self.evses = [evse.id for evse in dut.profile.evses]
        self.failures: list[Failure] = []
        self.examples = 0
        self.steps: list[Step] = []
        self.window = 0.0
        self.offline = False
        self.plugged: set[int] = set()
        self.remote_start_id = 0
        self.deadline = float("inf")

    # -- bridging ---------------------------------------------------------------------------
    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    @property
    def spent(self) -> bool:
        """The time budget is used up: steps and checks do nothing any more."""
        return time.monotonic() >= self.deadline

    # -- examples ---------------------------------------------------------------------------
    def begin_example(self) -> None:
        """Power cycle into a known state; what arrives from now on belongs to this example."""
        self.steps = []
        self.offline = False
        self.plugged = set()
        if self.spent:
            return
        self.examples += 1
        timeouts = self.dut.timeouts
        self._run(self._reset(), timeouts.boot + timeouts.action + timeouts.call)

    async def _reset(self) -> None:
        await self.dut.go_online()
        mark = self.csms.wirelog.now()
        await self.dut.power_cycle()
        await self.csms.expect("BootNotification", within=self.dut.timeouts.boot, since=mark)
        await self._settle()
        self.window = self.csms.wirelog.now()
        self.csms.consume_all()

    async def _settle(self) -> None:
        """Wait until no message arrived for QUIET seconds (bounded by the call timeout)."""
        deadline = self.csms.wirelog.now() + self.dut.timeouts.call
        count = len(self.csms.received())
        quiet_since = self.csms.wirelog.now()
        while self.csms.wirelog.now() < deadline:
            await asyncio.sleep(QUIET / 3)
            now_count = len(self.csms.received())
            if now_count != count:
                count, quiet_since = now_count, self.csms.wirelog.now()
            elif self.csms.wirelog.now() - quiet_since >= QUIET:
                return

    def step(self, name: str, **params: Any) -> None:
        """Carry out one step and let the station settle."""
        if self.spent:
            return
        self.steps.append(Step(name, params))
        timeouts = self.dut.timeouts
        self._run(self._perform(Step(name, params)), timeouts.action + 2 * timeouts.call)

    async def _perform(self, step: Step) -> None:
        evse = int(step.params.get("evse", 1))
        if step.name in ("plug_in", "start_session"):
            await self.dut.plug_in(evse)
            self.plugged.add(evse)
        if step.name == "start_session":
            await self.dut.present_token(evse=evse)
        elif step.name == "unplug":
            await self.dut.unplug(evse)
            self.plugged.discard(evse)
        elif step.name == "connection_loss":
            await self._connection_loss(step.params.get("offline_unplug"))
        elif step.name == "remote_start":
            self.remote_start_id += 1
            await self.csms.call(
                "RequestStartTransaction",
                idToken={"idToken": self.dut.tokens.valid, "type": self.dut.tokens.token_type},
                remoteStartId=self.remote_start_id,
                evseId=evse,
            )
        elif step.name == "remote_stop":
            running = running_transactions(self._window_messages())
            if evse in running:
                await self.csms.call("RequestStopTransaction", transactionId=running[evse])
        elif step.name == "change_availability":
            await self.csms.call(
                "ChangeAvailability",
                operationalStatus=step.params["status"],
                evse={"id": evse},
            )
        await self._settle()

    async def _connection_loss(self, offline_unplug: int | None) -> None:
        """Go offline, optionally unplug an EV meanwhile (queued events, E04), come back."""
        await self.dut.go_offline()
        self.offline = True
        if offline_unplug is not None:
            await self.dut.unplug(int(offline_unplug))
            self.plugged.discard(int(offline_unplug))
        mark = self.csms.wirelog.now()
        await self.dut.go_online()
        await self.csms.wait_connected(within=self.dut.timeouts.connect)
        self.offline = False
        if running_transactions(self._window_messages()):
            # A running transaction reports within TxUpdatedInterval; see what follows a
            # reconnect before the next step (bounded: the interval plus a call timeout).
            with contextlib.suppress(ExpectationFailed):
                await self.csms.expect_any(
                    [("TransactionEvent", None)],
                    within=self.dut.timeouts.meter_interval + self.dut.timeouts.call,
                    since=mark,
                )

    def _window_messages(self) -> list[Message]:
        return [m for m in self.csms.received() if m.at >= self.window]

    def check(self) -> None:
        """Raise AssertionError (and record the failure) when an invariant is broken."""
        if self.spent or not self.steps:
            return
        messages = self._window_messages()
        self.csms.consume_all(self.window)
        problem = transaction_violation(messages, complete=not self.offline)
        if problem is None:
            return
        frames = tuple(m.summary()[:400] for m in messages)
        self.failures.append(Failure(tuple(self.steps), problem, frames))
        raise AssertionError(problem)

    def shortest(self) -> Failure | None:
        """The shortest recorded failing program (the shrunk one, while time lasted)."""
        return min(self.failures, key=lambda f: len(f.steps), default=None)


def machine_for(session: StationSession) -> type[RuleBasedStateMachine]:
    """A state machine class whose rules are the session's steps."""
    evses = st.sampled_from(session.evses)

    class StationMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            session.begin_example()

        @initialize(evse=evses)
        def first_session(self, evse: int) -> None:
            """Most invariants are about transactions: every program starts with one."""
            session.step("start_session", evse=evse)

        @rule(evse=evses)
        def start_session(self, evse: int) -> None:
            if evse not in session.plugged:
                session.step("start_session", evse=evse)

        @rule(evse=evses)
        def plug_in(self, evse: int) -> None:
            if evse not in session.plugged:
                session.step("plug_in", evse=evse)

        @rule(evse=evses)
        def unplug(self, evse: int) -> None:
            if evse in session.plugged:
                session.step("unplug", evse=evse)

        @rule(evse=evses)
        def remote_start(self, evse: int) -> None:
            session.step("remote_start", evse=evse)

        @rule(evse=evses)
        def remote_stop(self, evse: int) -> None:
            session.step("remote_stop", evse=evse)

        @rule(unplug=st.none() | evses)
        def connection_loss(self, unplug: int | None) -> None:
            if unplug is not None and unplug not in session.plugged:
                unplug = None
            session.step("connection_loss", offline_unplug=unplug)

        @rule(evse=evses, status=st.sampled_from(["Inoperative", "Operative"]))
        def change_availability(self, evse: int, status: str) -> None:
            session.step("change_availability", evse=evse, status=status)

        @invariant()
        def transactions_consistent(self) -> None:
            session.check()

    return StationMachine


async def fuzz_station(csms: CsmsEmulator, dut: Dut, budget: Budget) -> StationSession:
    """Run the state machine within `budget`; the session holds the recorded failures."""
    session = StationSession(csms, dut, asyncio.get_running_loop())
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
    )
    machine = machine_for(session)

    def run() -> None:
        # The failure itself is recorded in the session; Hypothesis's own exception (the
        # falsifying example, or "flaky" once the budget made a replay do nothing) is not.
        with contextlib.suppress(Exception):
            run_state_machine_as_test(machine, settings=config)

    await asyncio.to_thread(run)
    return session
