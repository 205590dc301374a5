"""Send mutations to the DUT, grade each answer, and record one named check per answer.

Grading (harness/fuzz/oracles.py): the preferred answer passes a MUST check; a legitimate but
less precise one fails a SHOULD check (NON-STRICT); anything else fails a MUST check (FAIL).
Every check message starts with the mutation id, e.g. `[missing-required:idTag]`. When the DUT
closes the connection, the next mutation first waits for it to come back (`reconnect`), so one
bad answer does not hide the rest. Every wait is bounded: by the call timeout per answer, by
the case deadline overall (mutations that no longer fit are counted, not sent), and a DUT that
answers none of `SILENCE_LIMIT` mutations in a row is not sent the rest. After each unanswered
mutation a valid DataTransfer CALL checks that the DUT still answers at all: dropping a broken
message may be allowed (2.0.1 Part 4 §4.2.3), no longer answering valid ones is not.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.fuzz import oracles
from harness.fuzz.mutations import Mutation, Step, probe_payload
from harness.fuzz.oracles import Observed
from harness.roles.exchange import CallOutcome
from harness.roles.peer import Peer

#: Seconds to listen for an answer where silence is itself a passing answer.
QUIET_WINDOW = 1.0
#: Unexpected silences in a row after which the remaining mutations are not sent.
SILENCE_LIMIT = 2
#: Seconds kept in reserve before the case deadline (teardown, report).
DEADLINE_MARGIN = 2.0
#: Characters of an answer quoted in a check message.
QUOTE = 100

Reconnect = Callable[[], Awaitable[None]]


def observe(peer: Peer, outcome: CallOutcome | None, waited: float) -> Observed:
    """Turn the answer to one raw frame into an outcome label plus detail."""
    if outcome is None:
        return Observed(oracles.SILENCE, f"(nothing tracked within {waited:g} s)")
    if outcome.payload is not None:
        return Observed(oracles.RESULT, json.dumps(outcome.payload)[:QUOTE])
    if outcome.error is not None:
        return Observed(outcome.error.code, repr(outcome.error.description[:QUOTE]))
    if outcome.connection_closed:
        connection = peer.connection
        code = connection.websocket.close_code if connection is not None else None
        reason = connection.close_reason if connection is not None else ""
        return Observed(oracles.closed(code), f"({reason})" if reason else "")
    return Observed(oracles.SILENCE, f"within {waited:g} s")


class MutationRunner:
    """Drive a list of mutations through one emulator against one DUT (see module doc)."""

    def __init__(self, peer: Peer, dut: Dut, check: Checks, reconnect: Reconnect) -> None:
        self.peer = peer
        self.dut = dut
        self.check = check
        self.reconnect = reconnect
        self.deadline = peer.wirelog.now() + dut.timeouts.case - DEADLINE_MARGIN
        self.silent_in_a_row = 0

    async def run(self, mutations: Sequence[Mutation]) -> None:
        """Send every mutation that fits in the case deadline; record a check per answer."""
        previous: tuple[Mutation, bool] | None = None
        for index, mutation in enumerate(mutations):
            left = len(mutations) - index
            if self.silent_in_a_row >= SILENCE_LIMIT:
                self._not_sent(left, f"the DUT answered none of the last {SILENCE_LIMIT}")
                return
            if not self._fits(mutation):
                self._not_sent(left, "they would not end before the case deadline")
                return
            if not self.peer.connected:
                if previous is not None and not previous[1]:
                    self.check.must(
                        False,
                        f"[{previous[0].id}] expected the connection to stay open after the "
                        f"answer; saw the DUT close it",
                        ref=mutation.steps[0].oracle.ref,
                    )
                await self.reconnect()
            closed, silent = await self._one(mutation)
            previous = (mutation, closed)
            self.silent_in_a_row = self.silent_in_a_row + 1 if silent else 0
            if silent and not await self._still_answers(mutation):
                self._not_sent(left - 1, "the DUT no longer answers valid CALLs")
                return

    def _fits(self, mutation: Mutation) -> bool:
        call = self.dut.timeouts.call
        needed = call if mutation.concurrent else call * len(mutation.steps)
        needed += call  # the liveness CALL after an unanswered mutation
        if not self.peer.connected:
            needed += self.dut.timeouts.connect
        return self.peer.wirelog.now() + needed <= self.deadline

    def _not_sent(self, count: int, why: str) -> None:
        if count > 0:
            self.check.info(False, f"{count} mutation(s) not sent: {why}")

    def _wait_for(self, step: Step) -> float:
        call = self.dut.timeouts.call
        return min(call, QUIET_WINDOW) if step.quiet else call

    async def _send(self, step: Step) -> Observed:
        waited = self._wait_for(step)
        outcome = await self.peer.send_raw(
            step.text, within=waited, allow_no_answer=True, expect_answer=True
        )
        return observe(self.peer, outcome, waited)

    async def _still_answers(self, after: Mutation) -> bool:
        """Check, with a valid DataTransfer CALL, that the DUT still answers (MUST)."""
        text = json.dumps([2, str(uuid.uuid4()), "DataTransfer", probe_payload()])
        waited = self.dut.timeouts.call
        outcome = await self.peer.send_raw(
            text, within=waited, allow_no_answer=True, expect_answer=True
        )
        observed = observe(self.peer, outcome, waited)
        answered = observed.outcome == oracles.RESULT or observed.is_error_code
        seen = observed.outcome + (f" {observed.detail}" if observed.detail else "")
        self.check.must(
            answered,
            f"[{after.id}] afterwards a valid DataTransfer CALL: expected an answer; saw {seen}",
            ref=after.steps[0].oracle.ref,
        )
        return answered

    async def _one(self, mutation: Mutation) -> tuple[bool, bool]:
        """Send one mutation and grade its answers.

        Returns (a graded answer was a close, an answer was an unexpected silence).
        """
        if mutation.concurrent:
            seen = list(await asyncio.gather(*(self._send(s) for s in mutation.steps)))
        else:
            seen = []
            for step in mutation.steps:
                if seen and seen[-1].outcome.startswith("connection closed"):
                    break  # the DUT is gone; the close was graded on the step that caused it
                seen.append(await self._send(step))
        unexpected_silence = False
        for number, (step, observed) in enumerate(zip(mutation.steps, seen, strict=False), 1):
            label = mutation.id if len(mutation.steps) == 1 else f"{mutation.id} #{number}"
            self._record(label, mutation.description, step, observed)
            if observed.outcome == oracles.SILENCE and oracles.SILENCE not in step.oracle.expected:
                unexpected_silence = True
        closed = any(o.outcome.startswith("connection closed") for o in seen)
        return closed, unexpected_silence and not closed

    def _record(self, label: str, description: str, step: Step, observed: Observed) -> None:
        graded = oracles.grade(self.peer.version, step.oracle, observed)
        message = f"[{label}] {description}: {graded.message}"
        ref = step.oracle.ref
        if graded.verdict == oracles.PASS:
            self.check.must(True, message, ref=ref)
        elif graded.verdict == oracles.NON_STRICT:
            self.check.should(False, message, ref=ref)
        else:
            self.check.must(False, message, ref=ref)
