"""Stateful fuzzing of a charging station: Hypothesis drives random sessions, the invariants
of the station's OCPP version judge every step, failures shrink to a replayable program.

Each rule is one step (plug in, start a session, unplug, remote start/stop, a connection loss,
availability) carried out through the DUT's action backend and the harness CSMS; every example
starts from a power cycle. What differs between versions (the commands' payloads, the
invariants: `invariants_v201`, `invariants_v16`) is a `StationRules` object; 2.0.1's is
`V201Rules` here, 1.6's is `station_rules_16.V16Rules`. Running, budget and shrinking:
`stateful_run`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import Any, Protocol

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from harness.dut.device import Dut
from harness.fuzz.invariants_v201 import running_transactions, transaction_violation
from harness.fuzz.program import Step
from harness.fuzz.stateful_run import Budget, FuzzSession, run_machine
from harness.outcomes import ExpectationFailed
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message

__all__ = ["QUIET", "Budget", "StationRules", "StationSession", "V201Rules", "fuzz_station"]

#: Seconds without a new message after which the station counts as settled.
QUIET = 0.15


class StationRules(Protocol):
    """What a station's OCPP version decides in a stateful run."""

    #: The message a running transaction sends periodically (awaited after a reconnect).
    update_action: str

    async def remote_start(self, csms: CsmsEmulator, dut: Dut, evse: int) -> None:
        """Ask the station to start a transaction on `evse`."""

    async def remote_stop(self, csms: CsmsEmulator, transaction: object) -> None:
        """Ask the station to stop a running transaction (an id from `running`)."""

    async def change_availability(self, csms: CsmsEmulator, evse: int, status: str) -> None:
        """Make `evse` Operative or Inoperative."""

    def running(self, messages: Iterable[Message]) -> dict[int, Any]:
        """EVSE id -> id of the transaction running there, from the station's messages."""

    def violation(self, messages: Iterable[Message], *, complete: bool) -> str | None:
        """The first invariant the messages break, or None; `complete`: nothing is queued."""


class V201Rules:
    """2.0.1: RequestStart/StopTransaction, ChangeAvailability per EVSE, `invariants_v201`."""

    update_action = "TransactionEvent"

    def __init__(self) -> None:
        self.remote_start_id = 0

    async def remote_start(self, csms: CsmsEmulator, dut: Dut, evse: int) -> None:
        """RequestStartTransaction with the valid token (F01)."""
        self.remote_start_id += 1
        await csms.call(
            "RequestStartTransaction",
            idToken={"idToken": dut.tokens.valid, "type": dut.tokens.token_type},
            remoteStartId=self.remote_start_id,
            evseId=evse,
        )

    async def remote_stop(self, csms: CsmsEmulator, transaction: object) -> None:
        """RequestStopTransaction (F03)."""
        await csms.call("RequestStopTransaction", transactionId=transaction)

    async def change_availability(self, csms: CsmsEmulator, evse: int, status: str) -> None:
        """ChangeAvailability of one EVSE (G03)."""
        await csms.call("ChangeAvailability", operationalStatus=status, evse={"id": evse})

    def running(self, messages: Iterable[Message]) -> dict[int, Any]:
        """Transactions Started and not Ended (invariants_v201)."""
        return dict(running_transactions(messages))

    def violation(self, messages: Iterable[Message], *, complete: bool) -> str | None:
        """seqNo, Started/Ended and register rules (invariants_v201)."""
        return transaction_violation(messages, complete=complete)


class StationSession(FuzzSession):
    """Carries out steps against the station under test and checks the invariants.

    Called from the Hypothesis thread; every coroutine runs on the case's loop, bounded.
    """

    def __init__(
        self,
        csms: CsmsEmulator,
        dut: Dut,
        loop: asyncio.AbstractEventLoop,
        rules: StationRules | None = None,
    ) -> None:
        super().__init__(loop)
        self.csms = csms
        self.dut = dut
        self.rules: StationRules = rules if rules is not None else V201Rules()
        self.evses = [evse.id for evse in dut.profile.evses]
        self.window = 0.0
        self.offline = False
        self.plugged: set[int] = set()

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
        self.take_step(Step(name, params))
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
            await self.rules.remote_start(self.csms, self.dut, evse)
        elif step.name == "remote_stop":
            running = self.rules.running(self._window_messages())
            if evse in running:
                await self.rules.remote_stop(self.csms, running[evse])
        elif step.name == "change_availability":
            await self.rules.change_availability(self.csms, evse, step.params["status"])
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
        if self.rules.running(self._window_messages()):
            # A running transaction reports within its update interval; see what follows a
            # reconnect before the next step (bounded: the interval plus a call timeout).
            with contextlib.suppress(ExpectationFailed):
                await self.csms.expect_any(
                    [(self.rules.update_action, None)],
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
        problem = self.rules.violation(messages, complete=not self.offline)
        if problem is not None:
            self.fail(problem, tuple(m.summary()[:400] for m in messages))


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


async def fuzz_station(
    csms: CsmsEmulator, dut: Dut, budget: Budget, rules: StationRules | None = None
) -> StationSession:
    """Run the state machine within `budget`; the session holds the recorded failures."""
    session = StationSession(csms, dut, asyncio.get_running_loop(), rules)
    await run_machine(machine_for(session), session, budget)
    return session
