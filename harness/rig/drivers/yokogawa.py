"""Yokogawa WT300E, WT1800 and WT5000 power analyzers (`yokogawa_wt300e`, `_wt1800`, `_wt5000`).

All three speak Yokogawa's SCPI-like tree; the driver uses numeric items 1..5 of one element:
`:NUMeric:NORMal:ITEM<n> <function>,<element>` then `:NUMeric:NORMal:VALue? <n>`, energy by
`:INTEGrate:RESet|STARt|STOP` and `:INTEGrate:STATe?`, errors by `:STATus:ERRor?`, headers off
with `:COMMunicate:HEADer OFF`. Differences handled here:

* Watt-hour function: `WH` on the WT300E (as on the WT310/WT210), `WP` on WT1800/WT5000.
* Manual integration: the WT300E is put in `:INTEGrate:MODE NORMal` with `:INTEGrate:TIMer
  0,0,0` (manual mode: runs until STOP). WT1800/WT5000 have per-element timers with a different
  syntax that we could not confirm, so their integration mode is left as set on the front panel
  (factory default: normal mode, timer 0 = manual); set it there.
* TIME is read in seconds (NR1, WT1600/WT1800 manuals); an `h,m,s` answer is accepted too.
"""

from __future__ import annotations

from typing import ClassVar

from harness.rig.drivers.meter_base import IntegratingMeter, parse_reading, parse_seconds
from harness.rig.errors import InstrumentError

ITEMS: tuple[str, ...] = ("U", "I", "P", "ENERGY", "TIME")


class YokogawaAnalyzer(IntegratingMeter):
    """Shared WT-series logic; subclasses set the watt-hour function and mode commands."""

    error_query = ":STATus:ERRor?"
    energy_function: ClassVar[str] = "WP"
    integration_setup: ClassVar[tuple[str, ...]] = ()

    def _item(self, function: str) -> int:
        return ITEMS.index(function) + 1

    def setup(self) -> None:
        """Headers off, ASCII numerics, items U, I, P, watt-hours, TIME on our element."""
        self.write(":COMMunicate:HEADer OFF")
        self.write(":NUMeric:FORMat ASCii")
        self.write(f":NUMeric:NORMal:NUMBer {len(ITEMS)}")
        for index, function in enumerate(ITEMS, start=1):
            name = self.energy_function if function == "ENERGY" else function
            self.write(f":NUMeric:NORMal:ITEM{index} {name},{self.element}")
        for command in self.integration_setup:
            self.write(command)

    def _value(self, function: str) -> float:
        command = f":NUMeric:NORMal:VALue? {self._item(function)}"
        answer = self.query(command)
        if function == "TIME":
            return parse_seconds(self.name, command, answer)
        return parse_reading(self.name, command, answer)

    def integration_state(self) -> str:
        """RESET, START, STOP, ERROR or TIMEUP (short or long answers, any case)."""
        command = ":INTEGrate:STATe?"
        answer = self.query(command).upper()
        for state in self.STATES:
            short = "STAR" if state == "START" else state[:3]
            if answer and state.startswith(answer) and answer.startswith(short):
                return state
        raise InstrumentError(self.name, command, f"unknown integration state {answer!r}")

    def _expect_state(self, after: str, wanted: str) -> None:
        state = self.integration_state()
        if state != wanted:
            raise InstrumentError(self.name, after, f"integration state is {state}, not {wanted}")

    def integration_reset(self) -> None:
        """Zero the watt-hours and the integration time."""
        self.write(":INTEGrate:RESet")

    def integration_start(self) -> None:
        """Start (or resume) integrating; confirms the state is START."""
        self.write(":INTEGrate:STARt")
        self._expect_state(":INTEGrate:STARt", "START")

    def integration_stop(self) -> None:
        """Stop integrating; confirms the state is STOP."""
        self.write(":INTEGrate:STOP")
        self._expect_state(":INTEGrate:STOP", "STOP")

    def energy_wh(self) -> float:
        """Integrated active energy (sum of both polarities) in Wh."""
        return self._value("ENERGY")

    def elapsed_s(self) -> float:
        """Elapsed integration time in s."""
        return self._value("TIME")

    def voltage_v(self) -> float:
        """U of the element in V."""
        return self._value("U")

    def current_a(self) -> float:
        """I of the element in A."""
        return self._value("I")

    def power_w(self) -> float:
        """P of the element in W."""
        return self._value("P")


class WT300E(YokogawaAnalyzer):
    """WT310E/WT332E/WT333E: `WH` and manual integration set on setup."""

    energy_function = "WH"
    integration_setup = (":INTEGrate:MODE NORMal", ":INTEGrate:TIMer 0,0,0")


class WT1800(YokogawaAnalyzer):
    """WT1800/WT1800E: `WP`; integration mode left as on the front panel."""

    energy_function = "WP"


class WT5000(YokogawaAnalyzer):
    """WT5000: `WP`; integration mode left as on the front panel."""

    energy_function = "WP"
