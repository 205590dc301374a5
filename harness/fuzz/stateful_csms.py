"""Stateful fuzzing of a CSMS under test: the harness is a charging station that Hypothesis
drives through random sessions; `invariants_csms` judges the CSMS's answers after every step.

Steps are what a station does: authorize a token of the DUT profile's table (valid, invalid,
blocked, expired), start, meter and stop transactions, report a status, heartbeat, lose the
connection (transactions started, metered and stopped meanwhile are queued, E04 / 1.6 §3.7,
statuses deferred; the reconnect respects the profile's reconnect_delay, then the queue is
delivered in order and the statuses reported), and have the operator stop a transaction
through the trigger backend. A transaction whose start the CSMS
answers with a status other than Accepted is stopped at once (DeAuthorized, 1.6 §3.5.4; C01).
Every example starts on a new connection with a boot, after the previous example's
transactions were stopped (not judged). Payloads per version: `csms_dialects`. The machine's
rules: `csms_machine`. Running, budget and shrinking: `stateful_run`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from harness.dut.device import Dut
from harness.dut.profile_model import Backend
from harness.fuzz import invariants_csms as inv
from harness.fuzz.csms_dialects import Dialect, EmulatedTransaction, Payload
from harness.fuzz.invariants_csms import Answered
from harness.fuzz.program import Step
from harness.fuzz.stateful_run import FuzzSession
from harness.outcomes import ExpectationFailed
from harness.roles.station import MODEL, VENDOR, StationEmulator
from harness.transport.client import ConnectFailed

#: Energy register (Wh) of every EVSE when a run begins.
FIRST_REGISTER = 1000


@dataclass
class _Queued:
    """A transaction message made while offline, sent after the reconnect."""

    tx: EmulatedTransaction
    action: str
    payload: Payload


class CsmsSession(FuzzSession):
    """Carries out station steps against the CSMS under test and checks its answers.

    Called from the Hypothesis thread; every coroutine runs on the case's loop, bounded.
    """

    def __init__(
        self, station: StationEmulator, dut: Dut, loop: asyncio.AbstractEventLoop, dialect: Dialect
    ) -> None:
        super().__init__(loop)
        self.station = station
        self.dut = dut
        self.dialect = dialect
        self.evses = [evse.id for evse in dut.profile.evses]
        self.tokens = {kind: str(getattr(dut.tokens, kind)) for kind in inv.TABLE_STATUS}
        self.registers = dict.fromkeys(self.evses, FIRST_REGISTER)
        self.running: dict[int, EmulatedTransaction] = {}
        self.queue: list[_Queued] = []
        self.offline = False
        #: Connection losses in the current example.
        self.losses = 0
        #: EVSE -> status reached while offline, reported after the reconnect (1.6 §4.9, G01).
        self.deferred: dict[int, str] = {}
        self.history: list[Answered] = []
        self.problems: list[str] = []
        #: SHOULD-level findings of the whole run (1.6 StopTransaction.conf idTagInfo).
        self.shortfalls: list[str] = []
        self.window = 0.0
        backend = dut.profile.actions.backend
        self.remote_stops = dut.trigger_backend is not None and backend is not Backend.PROMPT

    # -- bridging ---------------------------------------------------------------------------
    def _bound(self, calls: int) -> float:
        """Seconds a step of `calls` CALLs and one reconnect may take."""
        timeouts = self.dut.timeouts
        reconnect = self.dut.profile.connection.reconnect_delay + timeouts.connect
        return reconnect + timeouts.action + (calls + 2) * timeouts.call

    def _carry_out(self, work: Callable[[], Awaitable[None]], calls: int) -> None:
        async def guarded() -> None:
            try:
                await work()
            except (ExpectationFailed, ConnectFailed) as problem:
                self.problems.append(f"the CSMS let the station down: {problem}")

        self._run(guarded(), self._bound(calls))

    # -- examples ---------------------------------------------------------------------------
    def begin_example(self) -> None:
        """Stop what the last example left running, then reconnect and boot; what is sent
        from now on belongs to this example."""
        self.steps = []
        if self.spent:
            return
        self.examples += 1
        calls = len(self.queue) + 2 * len(self.running) + len(self.evses) + 2
        self._carry_out(self._reset, calls)

    async def _reset(self) -> None:
        self.history, self.problems = [], []
        if self.station.connection_count:
            if self.offline:
                await self._go_online()  # a step cut short: deliver what it queued
            if self.station.connected:
                for tx in list(self.running.values()):
                    await self._end(tx, None, "Reboot")
            await self.station.disconnect()
        self.running.clear()
        self.queue.clear()
        self.offline, self.losses = False, 0
        await self.station.connect()
        self.window = self.station.wirelog.now()
        self.history, self.problems = [], []
        boot = await self._send("BootNotification", self._boot_payload())
        if boot.answer is not None and boot.answer.get("status") != "Accepted":
            self.problems.append(f"BootNotification answered {boot.answer}, expected Accepted")
        for payload in self.dialect.boot_statuses():
            await self._send("StatusNotification", payload)

    def _boot_payload(self) -> Payload:
        if self.dialect.version == "1.6":
            return {"chargePointVendor": VENDOR, "chargePointModel": MODEL}
        return {"reason": "PowerUp", "chargingStation": {"vendorName": VENDOR, "model": MODEL}}

    # -- sending ----------------------------------------------------------------------------
    async def _send(
        self,
        action: str,
        payload: Payload,
        *,
        token: str | None = None,
        tx: EmulatedTransaction | None = None,
    ) -> Answered:
        """One CALL to the CSMS; its answer is kept for the invariants."""
        concurrent = token is not None and any(
            t.token == token and t is not tx for t in self.running.values()
        )
        outcome = await self.station.call(action, payload, allow_no_answer=True)
        error = outcome.error
        answered = Answered(
            action,
            payload,
            outcome.request.at,
            answered_at=outcome.request.answered_at,
            answer=outcome.payload,
            error=None if error is None else f"{error.code}: {error.description}",
            violations=tuple(str(v) for v in outcome.violations),
            token=token,
            concurrent=concurrent,
            transaction=None if tx is None else tx.key,
        )
        self.history.append(answered)
        shortfall = inv.stop_without_id_tag_info(answered)
        if shortfall is not None and len(self.shortfalls) < 20:
            self.shortfalls.append(shortfall)
        return answered

    async def _transact(self, tx: EmulatedTransaction, action: str, payload: Payload) -> None:
        """Send a transaction message now, or queue it while offline (E04, 1.6 §3.7)."""
        if self.offline:
            self.queue.append(_Queued(tx, action, payload))
            return
        await self._deliver(_Queued(tx, action, payload), offline=False)

    async def _deliver(self, item: _Queued, *, offline: bool) -> None:
        tx = item.tx
        payload = self.dialect.deliver(tx, item.action, item.payload, offline)
        if payload is None:
            return  # 1.6: the transaction never got an id, nothing to refer to
        token = tx.token if "idTag" in payload or "idToken" in payload else None
        answered = await self._send(item.action, payload, token=token, tx=tx)
        if item.action != "StartTransaction" and payload.get("eventType") != "Started":
            return
        self.dialect.started(tx, answered.answer)
        status = inv.token_status(answered)
        if status not in (None, "Accepted") and self.running.get(tx.evse) is tx:
            await self._end(tx, None, "DeAuthorized")  # 1.6 §3.5.4, 2.0.1 C01.FR.03

    async def _go_online(self) -> None:
        """Reconnect, deliver the queue in order, then report the deferred statuses."""
        await self.station.connect()
        self.offline = False
        while self.queue:
            await self._deliver(self.queue.pop(0), offline=True)
        for evse, status in sorted(self.deferred.items()):
            await self._send("StatusNotification", self.dialect.status(evse, status))
        self.deferred.clear()

    async def _end(self, tx: EmulatedTransaction, token: str | None, reason: str) -> None:
        self.running.pop(tx.evse, None)
        value = None if token is None else self.tokens[token]
        action, payload = self.dialect.stop(tx, value, reason, self.registers[tx.evse])
        await self._transact(tx, action, payload)

    # -- steps ------------------------------------------------------------------------------
    def step(self, name: str, **params: Any) -> None:
        """Carry out one step (see the module doc)."""
        if self.spent:
            return
        self.take_step(Step(name, params))
        calls = 2 * len(params.get("offline") or ()) + len(self.evses) + 2
        self._carry_out(lambda: self._perform(Step(name, params)), calls)

    async def _perform(self, step: Step) -> None:
        params = step.params
        evse = int(params.get("evse", 0))
        if step.name == "authorize":
            token = str(params["token"])
            await self._send("Authorize", self.dialect.authorize(self.tokens[token]), token=token)
        elif step.name == "heartbeat":
            await self._send("Heartbeat", {})
        elif step.name == "connection_loss":
            await self.station.disconnect()
            self.offline = True
            self.losses += 1
            for event in params.get("offline") or []:
                await self._station_event(str(event["step"]), int(event["evse"]), event)
            await self._go_online()
        elif step.name == "remote_stop":
            await self._remote_stop(evse)
        else:
            await self._station_event(step.name, evse, params)

    async def _station_event(self, name: str, evse: int, params: dict[str, Any]) -> None:
        """A start, meter reading, stop or status: sent, or queued/deferred while offline."""
        tx = self.running.get(evse)
        if name == "start_transaction" and tx is None:
            tx = EmulatedTransaction(str(uuid.uuid4()), evse, str(params["token"]))
            self.running[evse] = tx
            action, payload = self.dialect.start(tx, self.tokens[tx.token], self.registers[evse])
            await self._transact(tx, action, payload)
        elif name == "meter_values" and tx is not None:
            self.registers[evse] += int(params.get("energy", 0))
            await self._transact(tx, *self.dialect.meter(tx, self.registers[evse]))
        elif name == "stop_transaction" and tx is not None:
            await self._end(tx, tx.token if params.get("with_token") else None, "Local")
        elif name == "status" and self.offline:
            self.deferred[evse] = str(params["status"])
        elif name == "status":
            await self._send("StatusNotification", self.dialect.status(evse, params["status"]))

    async def _remote_stop(self, evse: int) -> None:
        """The operator stops the EVSE's transaction: the CSMS sends the stop command, the
        station accepts it (default answer) and ends the transaction (1.6 §5.12, F03)."""
        tx = self.running.get(evse)
        tx_id = None if tx is None else self.dialect.csms_id(tx)
        if tx is None or tx_id is None or not self.remote_stops:
            return
        command = self.dialect.stop_command
        mark = self.station.wirelog.now()
        await self.dut.trigger(command, {"transactionId": tx_id})
        try:
            sent = await self.station.expect(command, within=self.dut.timeouts.call, since=mark)
        except ExpectationFailed:
            self.problems.append(
                f"asked the CSMS (trigger) to send {command} for transaction {tx_id}: it sent "
                f"none within {self.dut.timeouts.call:g} s"
            )
            return
        if sent.payload.get("transactionId") != tx_id:
            self.problems.append(
                f"asked the CSMS (trigger) to stop transaction {tx_id!r}: its {command} names "
                f"{sent.payload.get('transactionId')!r}"
            )
            return
        await self._end(tx, None, "Remote")

    # -- judging ----------------------------------------------------------------------------
    def check(self) -> None:
        """Raise AssertionError (and record the failure) when an invariant is broken."""
        if self.spent or not self.steps:
            return
        commands = [m for m in self.station.received() if m.at >= self.window]
        self.station.consume_all(self.window)
        version_rule = (
            inv.transaction_id_violation_16
            if self.dialect.version == "1.6"
            else inv.id_token_info_violation_201
        )
        problem = (
            (self.problems[0] if self.problems else None)
            or inv.answer_violation(self.history, self.dut.timeouts.call)
            or inv.token_violation(self.history)
            or version_rule(self.history)
            or inv.remote_stop_violation(self.history, commands)
        )
        if problem is not None:
            frames = [a.summary() for a in self.history] + [m.summary() for m in commands]
            self.fail(problem, tuple(frame[:400] for frame in frames))
