"""The Hypothesis state machine of a CSMS fuzz run: one rule per station step.

Rules apply only where they change something (a stop to a running transaction, a start to a
free EVSE: preconditions and EVSEs drawn among those), so no step is wasted and a shrunk
program replays as recorded. Every program starts with a transaction of the valid token;
tokens are drawn from the DUT profile's table, the valid one most often.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from harness.dut.device import Dut
from harness.fuzz.csms_dialects import Dialect
from harness.fuzz.stateful_csms import CsmsSession
from harness.fuzz.stateful_run import Budget, run_machine
from harness.roles.station import StationEmulator

#: Token kinds a step may use: the valid one half of the time.
TOKENS = ("valid", "valid", "valid", "invalid", "blocked", "expired")
#: Largest energy (Wh) one meter reading adds.
MAX_ENERGY = 5000


def applicable(events: list[dict[str, Any]], running: set[int]) -> list[dict[str, Any]]:
    """The offline events that do something, given the EVSEs with a running transaction."""
    busy, kept = set(running), []
    for event in events:
        evse, name = int(event["evse"]), event["step"]
        if name == "start_transaction" and evse in busy:
            continue
        if name in ("meter_values", "stop_transaction") and evse not in busy:
            continue
        if name == "start_transaction":
            busy.add(evse)
        elif name == "stop_transaction":
            busy.discard(evse)
        kept.append(event)
    return kept


def machine_for(session: CsmsSession) -> type[RuleBasedStateMachine]:
    """A state machine class whose rules are the session's steps."""
    evses = st.sampled_from(session.evses)
    tokens = st.sampled_from(TOKENS)
    energies = st.integers(min_value=0, max_value=MAX_ENERGY)
    statuses = st.sampled_from(session.dialect.statuses)
    offline_event = st.one_of(
        st.fixed_dictionaries(
            {"step": st.just("start_transaction"), "evse": evses, "token": tokens}
        ),
        st.fixed_dictionaries({"step": st.just("meter_values"), "evse": evses, "energy": energies}),
        st.fixed_dictionaries(
            {"step": st.just("stop_transaction"), "evse": evses, "with_token": st.booleans()}
        ),
        st.fixed_dictionaries({"step": st.just("status"), "evse": evses, "status": statuses}),
    )

    class CsmsMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            session.begin_example()

        @initialize(evse=evses)
        def first_transaction(self, evse: int) -> None:
            """Most invariants are about transactions: every program starts with one."""
            session.step("start_transaction", evse=evse, token="valid")

        @rule(token=tokens)
        def authorize(self, token: str) -> None:
            session.step("authorize", token=token)

        @precondition(lambda _: len(session.running) < len(session.evses))
        @rule(data=st.data(), token=tokens)
        def start_transaction(self, data: st.DataObject, token: str) -> None:
            free = [evse for evse in session.evses if evse not in session.running]
            evse = data.draw(st.sampled_from(free), label="evse")
            session.step("start_transaction", evse=evse, token=token)

        @precondition(lambda _: bool(session.running))
        @rule(data=st.data(), energy=energies)
        def meter_values(self, data: st.DataObject, energy: int) -> None:
            evse = data.draw(st.sampled_from(sorted(session.running)), label="evse")
            session.step("meter_values", evse=evse, energy=energy)

        @precondition(lambda _: bool(session.running))
        @rule(data=st.data(), with_token=st.booleans())
        def stop_transaction(self, data: st.DataObject, with_token: bool) -> None:
            evse = data.draw(st.sampled_from(sorted(session.running)), label="evse")
            session.step("stop_transaction", evse=evse, with_token=with_token)

        @rule(evse=evses, status=statuses)
        def status(self, evse: int, status: str) -> None:
            session.step("status", evse=evse, status=status)

        @rule()
        def heartbeat(self) -> None:
            session.step("heartbeat")

        @rule(offline=st.lists(offline_event, max_size=3))
        def connection_loss(self, offline: list[dict[str, Any]]) -> None:
            session.step("connection_loss", offline=applicable(offline, set(session.running)))

        @precondition(lambda _: bool(session.running) and session.remote_stops)
        @rule(data=st.data())
        def remote_stop(self, data: st.DataObject) -> None:
            evse = data.draw(st.sampled_from(sorted(session.running)), label="evse")
            session.step("remote_stop", evse=evse)

        @invariant()
        def answers_consistent(self) -> None:
            session.check()

    return CsmsMachine


async def fuzz_csms(
    station: StationEmulator, dut: Dut, dialect: Dialect, budget: Budget
) -> CsmsSession:
    """Run the state machine within `budget`; the session holds the recorded failures."""
    session = CsmsSession(station, dut, asyncio.get_running_loop(), dialect)
    await run_machine(machine_for(session), session, budget)
    return session
