"""Declarative SCPI drivers: a property is a query template, a set template, a unit and limits.

`ScpiInstrument.write` checks the error queue after every command; `ScpiProperty` checks limits
before anything is written and can ramp a setpoint in steps. Synchronous by design.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, overload

from harness.rig.errors import InstrumentError, LimitError, RigError
from harness.rig.model import Limits, Ramp

#: `on_io(instrument, direction, text)` with direction "write" or "read".
IoCallback = Callable[[str, str, str], None]

MAX_ERROR_READS = 10
MAX_RAMP_STEPS = 1000


class OwnedLock:
    """A re-entrant lock that can tell whether the calling thread holds it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> OwnedLock:
        self._lock.acquire()
        self._owner = threading.get_ident()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
        self._lock.release()

    def held_here(self) -> bool:
        """True when the calling thread is inside this lock (e.g. a signal handler's thread)."""
        return self._owner == threading.get_ident()


class Transport(Protocol):
    """The part of a pyvisa message-based resource the drivers use."""

    def write(self, message: str) -> Any:
        """Send one program message (the resource adds the write termination)."""

    def read(self) -> str:
        """Read one response message (up to the read termination)."""

    def close(self) -> None:
        """Close the session."""


def format_number(value: float) -> str:
    """The number as sent on the wire: up to 9 significant digits, no trailing zeros."""
    return format(value, ".9g")


def parse_error_entry(text: str) -> tuple[int, str]:
    """`-222,"Data out of range"` -> (-222, 'Data out of range'); ValueError if unreadable."""
    code, _, message = text.strip().partition(",")
    return int(code.strip().lstrip("+")), message.strip().strip('"')


@dataclass
class ScpiProperty:
    """One numeric setting: `query`/`set` templates (`{value}`, `{element}`), unit, limits, ramp.

    `limits` is a Limits field name (`"max_voltage"`: allowed 0..limit from the rig file) or a
    fixed `(low, high)` range. `ramp` names a Ramp field (`"voltage_step"`): when the rig sets
    it, a change is written in steps of at most that size, `dwell_ms` apart.
    """

    query: str | None = None
    set: str | None = None
    unit: str = ""
    limits: str | tuple[float, float] | None = None
    ramp: str | None = None
    name: str = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = self.name or name

    @overload
    def __get__(self, obj: None, owner: type) -> ScpiProperty: ...

    @overload
    def __get__(self, obj: ScpiInstrument, owner: type) -> float: ...

    def __get__(self, obj: ScpiInstrument | None, owner: type) -> ScpiProperty | float:
        if obj is None:
            return self
        return obj.get_property(self)

    def __set__(self, obj: ScpiInstrument, value: float) -> None:
        obj.set_property(self, value)


class ScpiInstrument:
    """A SCPI instrument over a pyvisa resource: logged I/O, error queue, limits, ramps."""

    error_query: ClassVar[str] = "SYST:ERR?"

    def __init__(
        self,
        transport: Transport,
        *,
        name: str,
        limits: Limits | None = None,
        ramp: Ramp | None = None,
        element: int = 1,
        on_io: IoCallback | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.transport = transport
        self.name = name
        self.limits = limits or Limits()
        self.ramp = ramp or Ramp()
        self.element = element
        self.on_io = on_io
        self._sleep = sleep
        self.lock = OwnedLock()
        self._setpoints: dict[str, float] = {}

    # -- wire -----------------------------------------------------------------------------

    def _record(self, direction: str, text: str) -> None:
        if self.on_io is not None:
            self.on_io(self.name, direction, text)

    def send(self, command: str) -> None:
        """Write one command without checking the error queue (queries, error reads)."""
        with self.lock:
            self._record("write", command)
            try:
                self.transport.write(command)
            except Exception as exc:
                raise InstrumentError(self.name, command, f"write failed: {exc}") from exc

    def query(self, command: str) -> str:
        """Send a query and return its answer, stripped; no answer in time is InstrumentError."""
        with self.lock:
            self.send(command)
            try:
                answer = self.transport.read().strip()
            except Exception as exc:
                raise InstrumentError(self.name, command, f"no answer: {exc}") from exc
            self._record("read", answer)
            if not answer:
                raise InstrumentError(self.name, command, "empty answer")
            return answer

    def query_float(self, command: str) -> float:
        """A query whose answer is one number."""
        answer = self.query(command)
        try:
            return float(answer)
        except ValueError as exc:
            raise InstrumentError(self.name, command, f"expected a number, got {answer!r}") from exc

    def write(self, command: str) -> None:
        """Send a set command, then read the error queue; any error raises InstrumentError."""
        with self.lock:
            self.send(command)
            self.check_errors(command)

    def check_errors(self, after: str) -> None:
        """Drain the error queue (at most MAX_ERROR_READS entries); raise on any non-zero code."""
        errors: list[str] = []
        for _ in range(MAX_ERROR_READS):
            entry = self.query(self.error_query)
            try:
                code, _message = parse_error_entry(entry)
            except ValueError as exc:
                raise InstrumentError(
                    self.name, after, f"unreadable {self.error_query} answer {entry!r}"
                ) from exc
            if code == 0:
                break
            errors.append(entry)
        else:
            errors.append(f"(error queue not empty after {MAX_ERROR_READS} reads)")
        if errors:
            raise InstrumentError(self.name, after, "instrument reported " + "; ".join(errors))

    # -- lifecycle --------------------------------------------------------------------------

    def identify(self) -> str:
        """`*IDN?`."""
        return self.query("*IDN?")

    def setup(self) -> None:
        """Put the instrument in the state the driver relies on (called once after opening)."""

    def close(self) -> None:
        """Close the session; never raises."""
        with contextlib.suppress(Exception):
            self.transport.close()

    # -- declarative properties --------------------------------------------------------------

    def _render(self, template: str, value: float | None = None) -> str:
        number = "" if value is None else format_number(value)
        return template.format(value=number, element=self.element)

    def get_property(self, prop: ScpiProperty) -> float:
        """Query a property's value."""
        if prop.query is None:
            raise RigError(f"{self.name}: {prop.name} cannot be read")
        return self.query_float(self._render(prop.query))

    def check_limit(self, prop: ScpiProperty, value: float) -> None:
        """Raise LimitError unless `value` is allowed for `prop`; writes nothing."""
        if not math.isfinite(value):
            raise LimitError(self.name, prop.name, value, "finite values", prop.unit)
        if isinstance(prop.limits, tuple):
            low, high = prop.limits
            if not low <= value <= high:
                raise LimitError(self.name, prop.name, value, f"{low:g}..{high:g}", prop.unit)
        elif prop.limits is not None:
            limit = getattr(self.limits, prop.limits)
            if limit is None:
                return
            if not 0 <= value <= limit:
                text = f"0..{limit:g} (rig limit {prop.limits})"
                raise LimitError(self.name, prop.name, value, text, prop.unit)

    def set_property(self, prop: ScpiProperty, value: float) -> None:
        """Check limits, then write the value, in ramp steps when the rig asks for them."""
        if prop.set is None:
            raise RigError(f"{self.name}: {prop.name} cannot be set")
        value = float(value)
        self.check_limit(prop, value)
        with self.lock:
            for step in self._ramp_steps(prop, value):
                self.write(self._render(prop.set, step))
            self._setpoints[prop.name] = value

    def setpoint(self, prop: ScpiProperty) -> float | None:
        """The last value this driver wrote for `prop`, if any."""
        return self._setpoints.get(prop.name)

    def _ramp_steps(self, prop: ScpiProperty, target: float) -> Iterator[float]:
        step = getattr(self.ramp, prop.ramp) if prop.ramp else None
        if step is None:
            return iter([target])
        start = self.get_property(prop) if prop.query else self._setpoints.get(prop.name)
        if start is None or start == target:
            return iter([target])
        count = math.ceil(abs(target - start) / step)
        if count > MAX_RAMP_STEPS:
            raise RigError(
                f"{self.name}: ramping {prop.name} from {start:g} to {target:g} in steps of "
                f"{step:g} takes {count} steps (at most {MAX_RAMP_STEPS}); raise ramp.{prop.ramp}"
            )
        steps = [start + (target - start) * k / count for k in range(1, count)] + [target]
        return _dwell_between(steps, self.ramp.dwell_ms / 1000, self._sleep)


def _dwell_between(
    steps: list[float], dwell_s: float, sleep: Callable[[float], None]
) -> Iterator[float]:
    """Yield the steps, sleeping `dwell_s` between consecutive ones."""
    for index, step in enumerate(steps):
        if index and dwell_s > 0:
            sleep(dwell_s)
        yield step
