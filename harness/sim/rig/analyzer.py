"""Virtual Yokogawa WT300E power analyzer measuring one EVSE's outlet.

The SCPI subset the `yokogawa_wt300e` driver uses (harness/rig/drivers/README.md): header off,
ASCII numeric output, numeric items 1..255 set to a function and element, NORMal integration
with an optional timer. Element 1 is wired to the EVSE's outlet and reports its totals: phase
voltage U, phase current I, total active power P and the integral WH of P over the integration
time (exact: the station's true energy, not sampled), TIME in seconds (NR3). Elements 2 and 3
are not wired (0).
Integration errors follow the instrument: STARt while running or RESet while running answer
error 813 and change nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from harness.sim.rig.scpi import (
    DATA_OUT_OF_RANGE,
    ILLEGAL_PARAMETER,
    MISSING_PARAMETER,
    ScpiError,
    ScpiInstrument,
    boolean,
    nr3,
)
from harness.sim.station.electrical import Electrical

#: Numeric functions served (WT300E names; WH = signed watt-hour sum).
FUNCTIONS = ("U", "I", "P", "S", "Q", "LAMBDA", "WH", "WHP", "WHM", "TIME")
ELEMENTS = (1, 2, 3)
MAX_ITEMS = 255
BUSY: tuple[int, str] = (813, "Integration is running")


class _Integrator:
    """NORMal-mode integration of one EVSE's true energy and charge, with an optional timer."""

    def __init__(self, electrical: Electrical, clock: Callable[[], float]) -> None:
        self.electrical = electrical
        self.clock = clock
        self.state = "RESET"
        self.timer_s = 0.0
        self._held_wh = 0.0
        self._held_s = 0.0
        self._since: float | None = None
        self._energy_at: float = 0.0

    def _check_timer(self) -> None:
        since = self._since
        if since is not None and 0 < self.timer_s <= self._held_s + self.clock() - since:
            self._hold()  # frozen when next looked at: up to now, not the timer's exact end
            self.state = "TIMEUP"

    def _hold(self) -> None:
        if self._since is None:
            return
        self._held_wh += self.electrical.true_energy() - self._energy_at
        self._held_s += self.clock() - self._since
        self._since = None

    def start(self) -> None:
        self._check_timer()
        if self.state == "START":
            raise ScpiError(*BUSY)
        if self.state == "TIMEUP":
            raise ScpiError(*BUSY)  # must be reset first
        self._since = self.clock()
        self._energy_at = self.electrical.true_energy()
        self.state = "START"

    def stop(self) -> None:
        self._check_timer()
        if self.state == "START":
            self._hold()
            self.state = "STOP"

    def reset(self) -> None:
        self._check_timer()
        if self.state == "START":
            raise ScpiError(*BUSY)
        self._held_wh = self._held_s = 0.0
        self._since = None
        self.state = "RESET"

    def energy_wh(self) -> float:
        self._check_timer()
        running = 0.0 if self._since is None else self.electrical.true_energy() - self._energy_at
        return self._held_wh + running

    def elapsed_s(self) -> float:
        self._check_timer()
        return self._held_s + (0.0 if self._since is None else self.clock() - self._since)


class VirtualWt300e(ScpiInstrument):
    """WT300E front end: numeric items, integration, error queue."""

    def __init__(
        self,
        electrical: Electrical,
        serial: str = "VIRT-WT300E",
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(f"YOKOGAWA,WT310E,{serial},F1.04")
        self.electrical = electrical
        self.integrator = _Integrator(electrical, clock)
        self.items: dict[int, tuple[str, int]] = {}
        self.count = 15
        self.header = False
        self.add("COMMunicate:HEADer", query=self._header, write=self._set_header)
        self.add("NUMeric:FORMat", query=lambda _a, _s: "ASCII", write=self._set_format)
        self.add("NUMeric[:NORMal]:NUMBer", query=self._number, write=self._set_number)
        self.add("NUMeric[:NORMal]:ITEM#", query=self._item, write=self._set_item)
        self.add("NUMeric[:NORMal]:VALue", query=self._value)
        self.add("INTEGrate:MODE", query=lambda _a, _s: "NORM", write=self._set_mode)
        self.add("INTEGrate:TIMer", query=self._timer, write=self._set_timer)
        self.add("INTEGrate:STARt", write=lambda _a, _s: self.integrator.start())
        self.add("INTEGrate:STOP", write=lambda _a, _s: self.integrator.stop())
        self.add("INTEGrate:RESet", write=lambda _a, _s: self.integrator.reset())
        self.add("INTEGrate:STATe", query=lambda _a, _s: self._state())
        self.add_error_queue("STATus:ERRor")
        self.reset()

    def reset(self) -> None:
        """`*RST`: default items (U, I, P, ... on element 1), integration reset if stopped."""
        self.items = {n + 1: (f, 1) for n, f in enumerate(FUNCTIONS)}
        self.count = len(FUNCTIONS)
        if self.integrator.state != "START":
            self.integrator.reset()
        self.integrator.timer_s = 0.0

    # ------------------------------------------------------------ settings
    def _header(self, _args: list[str], _suffixes: list[int]) -> str:
        return "1" if self.header else "0"

    def _set_header(self, args: list[str], _suffixes: list[int]) -> None:
        if boolean(args):
            raise ScpiError(*ILLEGAL_PARAMETER)  # the virtual analyzer answers header-less only
        self.header = False

    def _set_format(self, args: list[str], _suffixes: list[int]) -> None:
        if not args or args[0].upper() not in ("ASC", "ASCII"):
            raise ScpiError(*ILLEGAL_PARAMETER)  # FLOat (binary) is not served

    def _number(self, _args: list[str], _suffixes: list[int]) -> str:
        return str(self.count)

    def _set_number(self, args: list[str], _suffixes: list[int]) -> None:
        self.count = _index(args)

    def _item(self, _args: list[str], suffixes: list[int]) -> str:
        function, element = self.items.get(_slot(suffixes), ("NONE", 1))
        return f"{function},{element}"

    def _set_item(self, args: list[str], suffixes: list[int]) -> None:
        if not args:
            raise ScpiError(*MISSING_PARAMETER)
        function = args[0].upper()
        function = "LAMBDA" if function in ("LAMB", "LAMBDA") else function
        if function not in FUNCTIONS:
            raise ScpiError(*ILLEGAL_PARAMETER)
        element = int(_index(args[1:])) if len(args) > 1 else 1
        if element not in ELEMENTS:
            raise ScpiError(*DATA_OUT_OF_RANGE)
        self.items[_slot(suffixes)] = (function, element)

    def _set_mode(self, args: list[str], _suffixes: list[int]) -> None:
        if not args or args[0].upper() not in ("NORM", "NORMAL"):
            raise ScpiError(*ILLEGAL_PARAMETER)  # CONTinuous mode is not served

    def _timer(self, _args: list[str], _suffixes: list[int]) -> str:
        total = int(self.integrator.timer_s)
        return f"{total // 3600},{total // 60 % 60},{total % 60}"

    def _set_timer(self, args: list[str], _suffixes: list[int]) -> None:
        if len(args) != 3:
            raise ScpiError(*MISSING_PARAMETER)
        try:
            hours, minutes, seconds = (int(a) for a in args)
        except ValueError as exc:
            raise ScpiError(*ILLEGAL_PARAMETER) from exc
        if not (0 <= hours <= 10000 and 0 <= minutes < 60 and 0 <= seconds < 60):
            raise ScpiError(*DATA_OUT_OF_RANGE)
        if self.integrator.state == "START":
            raise ScpiError(*BUSY)
        self.integrator.timer_s = float(hours * 3600 + minutes * 60 + seconds)

    # ------------------------------------------------------------ readings
    def _state(self) -> str:
        self.integrator.energy_wh()  # let a timer expire
        return self.integrator.state

    def _value(self, args: list[str], _suffixes: list[int]) -> str:
        if args:
            slot = int(_index(args))
            if slot > self.count:
                raise ScpiError(*DATA_OUT_OF_RANGE)
            return self._reading(slot)
        return ",".join(self._reading(n) for n in range(1, self.count + 1))

    def _reading(self, slot: int) -> str:
        function, element = self.items.get(slot, ("NONE", 1))
        if function == "NONE":
            return "9.91E+37"  # no data
        if function == "TIME":
            return nr3(self.integrator.elapsed_s() if element == 1 else 0.0)
        return nr3(self._measure(function) if element == 1 else 0.0)

    def _measure(self, function: str) -> float:
        e = self.electrical
        u, i = e.true_voltage_v, e.true_current_a
        p = e.true_power_w
        values = {
            "U": u,
            "I": i,
            "P": p,
            "S": p,  # resistive EV model: cos phi = 1
            "Q": 0.0,
            "LAMBDA": 1.0 if p > 0 else 0.0,
            "WH": self.integrator.energy_wh(),
            "WHP": self.integrator.energy_wh(),
            "WHM": 0.0,
        }
        return values[function]


def _index(args: list[str]) -> int:
    if not args:
        raise ScpiError(*MISSING_PARAMETER)
    try:
        value = int(float(args[0]))
    except ValueError as exc:
        raise ScpiError(*ILLEGAL_PARAMETER) from exc
    if not 1 <= value <= MAX_ITEMS:
        raise ScpiError(*DATA_OUT_OF_RANGE)
    return value


def _slot(suffixes: list[int]) -> int:
    slot = suffixes[0] if suffixes else 1
    if not 1 <= slot <= MAX_ITEMS:
        raise ScpiError(*DATA_OUT_OF_RANGE)
    return slot
