"""Fuzz a live DUT with schema-valid CALLs, one Hypothesis run per action.

For each action the DUT must handle, Hypothesis draws payloads from `strategy_for` (seeded per
action, `settings.action_seed`); each example is one CALL on the case's event loop, judged by
`fuzzing_oracle.judge`. A failing example makes Hypothesis shrink it: every smaller candidate
is another real exchange with the DUT, up to the profile's `shrink_exchanges`. The last example
Hypothesis raises is the minimal failing exchange, reported with its exact frames.

Hypothesis runs in a worker thread and hands each exchange to the loop
(`asyncio.run_coroutine_threadsafe`), bounded. Repeated payloads are answered from memory, so a
replay by Hypothesis (and its final report of the minimal example) costs no exchange. Once the
time budget or the shrink budget is spent, the next new payload ends the Hypothesis run (the
smallest failing example seen so far is the result).

Connection: the DUT must keep it open. Restart-capable commands (fuzzing_actions) run last;
once the DUT has answered one with a CALLRESULT that does not say Rejected, a closed
connection is expected and the fuzzer waits for the DUT to come back (`reconnect`); an
exchange cut off by such a restart is not judged.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis.errors import Flaky

from harness.fuzz.frames_log import frames_of
from harness.fuzz.fuzzing_oracle import judge
from harness.fuzz.settings import FuzzProfile, action_seed
from harness.fuzz.strategies import strategy_for
from harness.ocppj.frames import Call, serialize
from harness.ocppj.schemas import PayloadKind
from harness.outcomes import ExpectationFailed
from harness.roles.peer import Peer
from harness.transport.client import ConnectFailed

Payload = dict[str, Any]
Reconnect = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Failure:
    """One failing exchange: what was wrong, the frames as exchanged, the payload sent."""

    action: str
    reason: str
    frames: tuple[str, ...]
    payload: Payload | None = None
    level: str = "MUST"


@dataclass
class ActionResult:
    """What fuzzing one action found."""

    action: str
    seed: int
    exchanges: int = 0
    shrinking: int = 0
    failing: int = 0
    cut_off: int = 0
    legitimate_errors: Counter[str] = field(default_factory=Counter)
    #: Requirement level (MUST, SHOULD) -> the smallest failing exchange of that level.
    minimal: dict[str, Failure] = field(default_factory=dict)
    skipped: str = ""


@dataclass
class FuzzRun:
    """The whole run: per action results, lost connections, and the DUT being gone."""

    profile: FuzzProfile
    seed: int
    budget: float
    actions: list[ActionResult] = field(default_factory=list)
    connection_failures: list[Failure] = field(default_factory=list)
    gone: str = ""


class _Falsified(AssertionError):
    """Raised inside the Hypothesis test for a failing exchange."""


class _Stop(BaseException):
    """Ends the Hypothesis run at once: time or shrink budget spent, or the case is over.

    A BaseException (like KeyboardInterrupt), so Hypothesis passes it through instead of
    taking it for a failure to shrink; otherwise, with every new example passing unsent, the
    shrinker would go on trying candidates of a large failing example for a minute.
    """


@dataclass(slots=True)
class _Judged:
    failure: Failure | None


class ValidPayloadFuzzer:
    """Send schema-valid CALLs of `actions` through `peer` and judge every answer."""

    def __init__(
        self,
        peer: Peer,
        *,
        actions: Sequence[str],
        profile: FuzzProfile,
        seed: int,
        budget: float,
        reconnect: Reconnect,
        reconnect_within: float,
        restart_capable: frozenset[str] = frozenset(),
    ) -> None:
        self.peer = peer
        self.version = peer.version
        self.actions = tuple(actions)
        self.profile = profile
        self.run_data = FuzzRun(profile, seed, budget)
        self.reconnect = reconnect
        self.reconnect_within = reconnect_within
        self.restart_capable = restart_capable
        self.excused = False
        self._deadline = 0.0
        self._loss_accounted = True
        self._last_frames: tuple[str, ...] = ()

    async def run(self) -> FuzzRun:
        """Fuzz every action in order until done, out of time, or the DUT is gone."""
        self._deadline = time.monotonic() + self.run_data.budget
        for action in self.actions:
            result = ActionResult(action, action_seed(self.run_data.seed, action))
            self.run_data.actions.append(result)
            if self.run_data.gone:
                result.skipped = "the DUT did not come back"
            elif self._spent():
                result.skipped = f"time budget of {self.run_data.budget:g} s spent"
            else:
                await self._fuzz_action(result)
        return self.run_data

    def _spent(self) -> bool:
        return time.monotonic() >= self._deadline or bool(self.run_data.gone)

    async def _fuzz_action(self, result: ActionResult) -> None:
        loop = asyncio.get_running_loop()
        stop = threading.Event()
        try:
            await asyncio.to_thread(self._hypothesis, result, loop, stop)
        finally:
            stop.set()  # also when the case is cancelled: the thread then ends at once

    # ------------------------------------------------------------ worker thread
    def _hypothesis(
        self, result: ActionResult, loop: asyncio.AbstractEventLoop, stop: threading.Event
    ) -> None:
        strategy = strategy_for(self.version, result.action, PayloadKind.REQUEST)
        memory: dict[str, _Judged] = {}
        raised: list[Failure] = []
        bound = self.peer.call_timeout + self.reconnect_within + 5.0

        def exchange(payload: Payload) -> None:
            key = json.dumps(payload, sort_keys=True)
            judged = memory.get(key)
            if judged is None:
                over = result.failing > 0 and result.shrinking >= self.profile.shrink_exchanges
                if stop.is_set() or self._spent() or over:
                    raise _Stop
                future = asyncio.run_coroutine_threadsafe(self._exchange(result, payload), loop)
                try:
                    judged = future.result(timeout=bound)
                except (TimeoutError, concurrent.futures.CancelledError):
                    future.cancel()
                    stop.set()
                    raise _Stop from None
                memory[key] = judged
            if judged.failure is not None:
                raised.append(judged.failure)
                raise _Falsified(judged.failure.reason)

        test = settings(
            max_examples=self.profile.examples,
            deadline=None,
            database=None,
            phases=(Phase.generate, Phase.shrink),
            report_multiple_bugs=False,
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
            print_blob=False,
        )(seed(result.seed)(given(strategy)(exchange)))
        # Failures are recorded in `raised`; Flaky: the DUT failed once and not on replay.
        with contextlib.suppress(_Falsified, Flaky, _Stop):
            test()
        for failure in raised:  # shrinking makes later failures smaller; the last is minimal
            result.minimal[failure.level] = failure

    # ------------------------------------------------------------ event loop
    async def _exchange(self, result: ActionResult, payload: Payload) -> _Judged:
        action = result.action
        await self._ensure_connected()
        if self.run_data.gone:
            return _Judged(None)
        result.exchanges += 1
        if result.failing:
            result.shrinking += 1
        try:
            outcome = await self.peer.call(action, payload, allow_no_answer=True)
        except ExpectationFailed as lost:
            if self.excused:
                result.cut_off += 1
                return _Judged(None)
            self._loss_accounted = True
            return self._failed(result, f"{action}: could not be sent: {lost.message}", payload)
        accepted = outcome.payload is not None and outcome.payload.get("status") != "Rejected"
        if action in self.restart_capable and accepted:
            self.excused = True  # from now on the DUT may restart (see module doc)
        judgement = judge(
            self.version,
            payload,
            outcome,
            connected=self.peer.connected,
            restart_excused=self.excused,
        )
        frames = tuple(frames_of(self.peer.wirelog, outcome.request.message_id))
        self._last_frames = frames or (
            self._call_frame(outcome.request.message_id, action, payload),
        )
        # A loss seen now was judged with this exchange; one seen later is a failure of its own.
        self._loss_accounted = not self.peer.connected
        if not judgement.judged:
            result.cut_off += 1
            return _Judged(None)
        if judgement.note and outcome.error is not None:
            result.legitimate_errors[outcome.error.code] += 1
        if judgement.passed:
            return _Judged(None)
        return self._failed(result, judgement.reason, payload, self._last_frames, judgement.level)

    def _failed(
        self,
        result: ActionResult,
        reason: str,
        payload: Payload,
        frames: tuple[str, ...] = (),
        level: str = "MUST",
    ) -> _Judged:
        result.failing += 1
        failure = Failure(result.action, reason, frames, payload, level)
        self.peer.wirelog.record("note", f"fuzz failure: {reason}")
        return _Judged(failure)

    @staticmethod
    def _call_frame(message_id: str, action: str, payload: Payload) -> str:
        return "-> " + serialize(Call(message_id, action, payload))

    async def _ensure_connected(self) -> None:
        """Reconnect after a lost connection; a loss nothing excused is a failure of its own."""
        if self.peer.connected:
            return
        if not self._loss_accounted and not self.excused:
            self.run_data.connection_failures.append(
                Failure(
                    "connection",
                    "the DUT closed the connection after this exchange (a schema-valid CALL "
                    "must not end the connection)",
                    self._last_frames,
                )
            )
        self._loss_accounted = True
        try:
            await asyncio.wait_for(self.reconnect(), self.reconnect_within)
        except (ExpectationFailed, ConnectFailed, TimeoutError, OSError) as error:
            self.run_data.gone = (
                f"the DUT did not come back within {self.reconnect_within:g} s: {error}"
            )
