"""The Hypothesis state machine of a CSMS fuzz run: one rule per station step.

Rules apply only where they change something (a stop to a running transaction, a start to a
free EVSE: preconditions and EVSEs drawn among those), so no step is wasted and a shrunk
program replays as recorded. Every program starts with a transaction of the valid token;
tokens are drawn from the DUT profile's table, the valid one most often. A program loses the
connection at most MAX_LOSSES times (each reconnect waits the profile's reconnect delay), with
up to MAX_OFFLINE station events meanwhile. Heartbeats and statuses share one rule, so that
they do not crowd out the transaction steps (Hypothesis picks among applicable rules).
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
#: Connection losses per program: each costs the profile's reconnect delay.
MAX_LOSSES = 2
#: Station events while offline, per connection loss.
MAX_OFFLINE = 3


def machine_for(session: CsmsSession) -> type[RuleBasedStateMachine]:
    """A state machine class whose rules are the session's steps."""
    evses = st.sampled_from(session.evses)
    tokens = st.sampled_from(TOKENS)
    energies = st.integers(min_value=0, max_value=MAX_ENERGY)
    statuses = st.sampled_from(session.dialect.statuses)

    def offline_event(busy: set[int]) -> st.SearchStrategy[dict[str, Any]]:
        """One station event while offline, on an EVSE where it does something."""
        free = [evse for evse in session.evses if evse not in busy]
        running = sorted(busy)
        options = [
            st.fixed_dictionaries({"step": st.just("status"), "evse": evses, "status": statuses})
        ]
        if free:
            options.append(
                st.fixed_dictionaries(
                    {
                        "step": st.just("start_transaction"),
                        "evse": st.sampled_from(free),
                        "token": tokens,
                    }
                )
            )
        if running:
            on = st.sampled_from(running)
            options.append(
                st.fixed_dictionaries(
                    {"step": st.just("meter_values"), "evse": on, "energy": energies}
                )
            )
            options.append(
                st.fixed_dictionaries(
                    {"step": st.just("stop_transaction"), "evse": on, "with_token": st.booleans()}
                )
            )
        return st.one_of(options)

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

        @rule(data=st.data())
        def report(self, data: st.DataObject) -> None:
            """A heartbeat or a status change: one rule, so that they do not crowd out the
            transaction steps."""
            if data.draw(st.booleans(), label="heartbeat"):
                session.step("heartbeat")
                return
            evse = data.draw(evses, label="evse")
            session.step("status", evse=evse, status=data.draw(statuses, label="status"))

        @precondition(lambda _: session.losses < MAX_LOSSES)
        @rule(data=st.data())
        def connection_loss(self, data: st.DataObject) -> None:
            """Offline for up to MAX_OFFLINE events (transaction messages queued), then back."""
            busy = set(session.running)
            events: list[dict[str, Any]] = []
            for _ in range(data.draw(st.integers(0, MAX_OFFLINE), label="offline events")):
                event = data.draw(offline_event(busy), label="offline event")
                if event["step"] == "start_transaction":
                    busy.add(event["evse"])
                elif event["step"] == "stop_transaction":
                    busy.discard(event["evse"])
                events.append(event)
            session.step("connection_loss", offline=events)

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
