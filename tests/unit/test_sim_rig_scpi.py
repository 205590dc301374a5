"""The virtual instruments' SCPI interpreter (harness/sim/rig/scpi.py), no sockets."""

from __future__ import annotations

import pytest

from harness.sim.rig.scpi import (
    NO_ERROR,
    QUEUE_LENGTH,
    ScpiError,
    ScpiInstrument,
    boolean,
    nr3,
    number,
)


class Box(ScpiInstrument):
    def __init__(self) -> None:
        super().__init__("ACME,BOX,1,1.0")
        self.level = 1.0
        self.items: dict[int, str] = {}
        self.add(
            "[SOURce:]VOLTage[:LEVel][:IMMediate][:AMPLitude]:AC",
            query=lambda _a, _s: format(self.level, "g"),
            write=self._set,
        )
        self.add("NUMeric[:NORMal]:ITEM#", query=self._item, write=self._set_item)
        self.add_error_queue("SYSTem:ERRor[:NEXT]")

    def _set(self, args: list[str], _s: list[int]) -> None:
        self.level = number(args, low=0, high=300)

    def _item(self, _a: list[str], suffixes: list[int]) -> str:
        return self.items.get(suffixes[0], "NONE")

    def _set_item(self, args: list[str], suffixes: list[int]) -> None:
        self.items[suffixes[0]] = ",".join(args)

    def reset(self) -> None:
        self.level = 0.0


@pytest.mark.parametrize(
    "header",
    [
        "SOUR:VOLT:AC",
        "SOURCE:VOLTAGE:LEVEL:IMMEDIATE:AMPLITUDE:AC",
        "volt:ac",
        ":Source:Volt:Lev:Ac",
        "VOLTage:AMPL:AC",
    ],
)
def test_short_long_optional_and_case(header: str) -> None:
    box = Box()
    assert box.handle(f"{header} 230") is None
    assert box.handle(f"{header}?") == "230"
    assert box.handle("SYST:ERR?") == NO_ERROR


def test_partial_mnemonics_are_not_accepted() -> None:
    box = Box()
    assert box.handle("SOURC:VOLT:AC 5") is None
    assert box.handle("SYST:ERR?") == '-113,"Undefined header"'
    assert box.level == 1.0


def test_numeric_suffix_defaults_to_one() -> None:
    box = Box()
    box.handle(":NUMeric:NORMal:ITEM3 WH,1")
    box.handle("NUM:ITEM P,2")
    assert box.handle("NUM:NORM:ITEM3?") == "WH,1"
    assert box.handle("NUMERIC:ITEM1?") == "P,2"


def test_errors_are_queued_in_order_and_popped() -> None:
    box = Box()
    box.handle("VOLT:AC 400")
    box.handle("VOLT:AC abc")
    box.handle("VOLT:AC")
    box.handle("NOPE?")
    assert [box.handle("SYSTem:ERRor:NEXT?") for _ in range(5)] == [
        '-222,"Data out of range"',
        '-104,"Data type error"',
        '-109,"Missing parameter"',
        '-113,"Undefined header"',
        NO_ERROR,
    ]


def test_queue_overflow_keeps_the_oldest_and_flags_the_overflow() -> None:
    box = Box()
    for _ in range(QUEUE_LENGTH + 5):
        box.handle("BAD")
    popped = [box.handle("SYST:ERR?") for _ in range(QUEUE_LENGTH + 1)]
    assert popped[0] == '-113,"Undefined header"'
    assert popped[QUEUE_LENGTH - 1] == '-350,"Queue overflow"'
    assert popped[QUEUE_LENGTH] == NO_ERROR


def test_common_commands() -> None:
    box = Box()
    assert box.handle("*IDN?") == "ACME,BOX,1,1.0"
    box.handle("BAD")
    box.handle("*CLS")
    assert box.handle("SYST:ERR?") == NO_ERROR
    box.handle("*RST")
    assert box.level == 0.0
    assert box.handle("*OPC?") == "1"
    assert box.handle("") is None


def test_parameter_helpers() -> None:
    assert boolean(["on"]) is True and boolean(["0"]) is False
    with pytest.raises(ScpiError):
        boolean(["maybe"])
    with pytest.raises(ScpiError):
        number(["nan"])
    assert nr3(230.01) == "2.30010E+02"
