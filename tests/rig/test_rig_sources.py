"""Source drivers byte for byte: commands in order, parsing, limits before writing, ramps."""

from __future__ import annotations

import pytest

from harness.rig.drivers.chroma_61800 import Chroma61800
from harness.rig.drivers.keysight_dc import KeysightDc
from harness.rig.drivers.scpi_source import ScpiSource99
from harness.rig.errors import InstrumentError, LimitError, NotSupported
from harness.rig.model import Limits, Ramp
from tests.rig.fakes import OK, ScriptedTransport, w

AC_LIMITS = Limits(max_voltage=253.0, max_current=32.0, max_power=7400.0)


def chroma(script: list[tuple[str, str | None]], **kwargs: object) -> Chroma61800:
    return Chroma61800(ScriptedTransport(script), name="grid", limits=AC_LIMITS, **kwargs)  # type: ignore[arg-type]


def transport(driver: object) -> ScriptedTransport:
    t = driver.transport  # type: ignore[attr-defined]
    assert isinstance(t, ScriptedTransport)
    return t


def test_chroma_commands_and_parsing() -> None:
    script = [
        *w("OUTP ON"),
        ("OUTP?", "ON"),
        *w("SOUR:VOLT:AC 230"),
        *w("SOUR:FREQ 50"),
        *w("SOUR:CURR:LIM 16.5"),
        ("FETC:VOLT:AC?", "229.87"),
        ("FETC:CURR:AC?", "15.9"),
        ("FETC:POW:AC?", "3654.9"),
        *w("OUTP OFF"),
        ("OUTP?", "0"),
    ]
    source = chroma(script)
    source.output_on()
    assert source.is_output_on() is True
    source.set_voltage(230)
    source.set_frequency(50)
    source.set_current_limit(16.5)
    assert source.measure_voltage() == pytest.approx(229.87)
    assert source.measure_current() == pytest.approx(15.9)
    assert source.measure_power() == pytest.approx(3654.9)
    source.output_off()
    assert source.is_output_on() is False
    transport(source).assert_done()


def test_voltage_beyond_limit_is_refused_before_any_write() -> None:
    source = chroma([])
    with pytest.raises(LimitError) as caught:
        source.set_voltage(260)
    message = str(caught.value)
    assert "grid" in message and "voltage = 260 V" in message
    assert "0..253 (rig limit max_voltage)" in message and "nothing was written" in message
    with pytest.raises(LimitError, match=r"current_limit = 40 A refused: outside 0\.\.32"):
        source.set_current_limit(40)
    with pytest.raises(LimitError, match=r"frequency = 400 Hz refused: outside 40\.\.70"):
        source.set_frequency(400)
    with pytest.raises(LimitError, match="finite"):
        source.set_voltage(float("nan"))
    with pytest.raises(LimitError):
        source.set_voltage(-1)
    assert transport(source).written == []


def test_max_power_checks_voltage_times_current_limit() -> None:
    source = chroma(w("SOUR:CURR:LIM 32"))
    source.set_current_limit(32)
    with pytest.raises(LimitError, match=r"8096 W refused: outside 0\.\.7400 .*253 V x 32 A"):
        source.set_voltage(253)
    assert transport(source).written == ["SOUR:CURR:LIM 32", "SYST:ERR?"]


def test_ramp_writes_steps_no_larger_than_configured_with_dwell() -> None:
    sleeps: list[float] = []
    script = [
        ("SOUR:VOLT:AC?", "0"),
        *w("SOUR:VOLT:AC 57.5"),
        *w("SOUR:VOLT:AC 115"),
        *w("SOUR:VOLT:AC 172.5"),
        *w("SOUR:VOLT:AC 230"),
    ]
    source = chroma(script, ramp=Ramp(voltage_step=60, dwell_ms=250), sleep=sleeps.append)
    source.set_voltage(230)
    transport(source).assert_done()
    assert sleeps == [0.25, 0.25, 0.25]


def test_ramp_down_and_no_ramp_when_already_there() -> None:
    script = [
        ("SOUR:VOLT:AC?", "230"),
        *w("SOUR:VOLT:AC 130"),
        *w("SOUR:VOLT:AC 30"),
        ("SOUR:VOLT:AC?", "30"),
        *w("SOUR:VOLT:AC 30"),
    ]
    source = chroma(script, ramp=Ramp(voltage_step=100, dwell_ms=0))
    source.set_voltage(30)
    source.set_voltage(30)
    transport(source).assert_done()


def test_error_queue_entries_surface_with_the_command() -> None:
    script = [
        ("SOUR:FREQ 65", None),
        ("SYST:ERR?", '-222,"Data out of range"'),
        ("SYST:ERR?", '-221,"Settings conflict"'),
        ("SYST:ERR?", OK),
    ]
    source = chroma(script)
    with pytest.raises(InstrumentError) as caught:
        source.set_frequency(65)
    text = str(caught.value)
    assert "grid: 'SOUR:FREQ 65'" in text
    assert '-222,"Data out of range"' in text and '-221,"Settings conflict"' in text
    transport(source).assert_done()


def test_unreadable_error_answer_and_silence_are_instrument_errors() -> None:
    source = chroma([("OUTP ON", None), ("SYST:ERR?", "garbage")])
    with pytest.raises(InstrumentError, match="unreadable SYST:ERR\\? answer 'garbage'"):
        source.output_on()
    silent = chroma([("FETC:POW:AC?", None)])
    with pytest.raises(InstrumentError, match=r"FETC:POW:AC\?'.*no answer"):
        silent.measure_power()
    odd = chroma([("OUTP?", "MAYBE")])
    with pytest.raises(InstrumentError, match="expected ON/OFF/1/0, got 'MAYBE'"):
        odd.is_output_on()


def test_endless_error_queue_is_bounded() -> None:
    script = [("OUTP ON", None)] + [("SYST:ERR?", '-100,"Command error"')] * 10
    source = chroma(script)
    with pytest.raises(InstrumentError, match="not empty after 10 reads"):
        source.output_on()
    transport(source).assert_done()


def test_io_is_recorded_in_order() -> None:
    seen: list[tuple[str, str, str]] = []
    source = chroma([("FETC:VOLT:AC?", "230.1"), *w("OUTP OFF")], on_io=lambda *e: seen.append(e))
    source.measure_voltage()
    source.output_off()
    assert seen == [
        ("grid", "write", "FETC:VOLT:AC?"),
        ("grid", "read", "230.1"),
        ("grid", "write", "OUTP OFF"),
        ("grid", "write", "SYST:ERR?"),
        ("grid", "read", OK),
    ]


def test_keysight_dc_arms_ovp_computes_power_and_has_no_frequency() -> None:
    script = [
        ("VOLT:PROT 60", None),
        ("SYST:ERR?", '+0,"No error"'),
        *w("VOLT 48"),
        *w("CURR 10"),
        ("OUTP?", "1"),
        ("MEAS:VOLT?", "+4.79800000E+01"),
        ("MEAS:CURR?", "+9.50000000E+00"),
    ]
    supply = KeysightDc(
        ScriptedTransport(script),
        name="dc",
        limits=Limits(max_voltage=60, max_current=20, max_power=500),
    )
    supply.setup()
    supply.set_voltage(48)
    supply.set_current_limit(10)
    assert supply.is_output_on() is True
    assert supply.measure_power() == pytest.approx(47.98 * 9.5)
    with pytest.raises(NotSupported, match="no frequency"):
        supply.set_frequency(50)
    with pytest.raises(LimitError, match=r"600 W refused: outside 0\.\.500"):
        supply.set_voltage(60)
    transport(supply).assert_done()


def test_generic_scpi_source_uses_the_standard_tree() -> None:
    script = [
        *w("VOLT 12.5"),
        *w("CURR 2"),
        *w("FREQ 60"),
        ("MEAS:POW?", "25.1"),
    ]
    source = ScpiSource99(
        ScriptedTransport(script), name="psu", limits=Limits(max_voltage=30, max_current=5)
    )
    source.set_voltage(12.5)
    source.set_current_limit(2)
    source.set_frequency(60)
    assert source.measure_power() == pytest.approx(25.1)
    transport(source).assert_done()
