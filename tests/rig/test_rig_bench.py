"""The bench through a real pyvisa ResourceManager (pyvisa-sim): open, roles, I/O log, safety."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import pyvisa

from harness.rig.bench import Bench
from harness.rig.description import load_rig
from harness.rig.errors import InstrumentError, RigError
from harness.rig.safety import SafeState

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "instruments"


@pytest.fixture
def manager() -> Iterator[pyvisa.ResourceManager]:
    rm = pyvisa.ResourceManager(f"{FIXTURES / 'rig-sim.yaml'}@sim")
    yield rm
    rm.close()


def test_open_sets_up_every_instrument_and_logs_io(manager: pyvisa.ResourceManager) -> None:
    log: list[tuple[str, str, str]] = []
    rig = load_rig(FIXTURES / "rig-sim.toml")
    bench = Bench.open(rig, manager, on_io=lambda *e: log.append(e))
    try:
        assert bench.identities == {
            "grid": "Chroma ATE,61845,SIM001,1.00",
            "reference": "YOKOGAWA,WT310E,SIM002,F1.01",
            "ev": "OCPP harness,virtual EV,SIM003,1",
        }
        meter_writes = [t for n, d, t in log if n == "reference" and d == "write"]
        assert meter_writes[:4] == [
            "*IDN?",
            ":COMMunicate:HEADer OFF",
            ":STATus:ERRor?",
            ":NUMeric:FORMat ASCii",
        ]
        source = bench.source(1)  # the station-wide source feeds EVSE 1
        source.set_voltage(230)
        source.set_frequency(50)
        source.output_on()
        assert source.is_output_on() and source.measure_power() == pytest.approx(3632.4)
        meter = bench.meter(1)
        assert (meter.accuracy_percent, meter.reference_uncertainty_percent) == (0.1, 0.05)
        meter.integration_reset()
        meter.integration_start()
        meter.integration_stop()
        assert meter.energy_wh() == pytest.approx(1009.5) and meter.elapsed_s() == 1000
        ev = bench.ev(1)
        ev.plug_in()
        ev.request_current(16)
        ev.inject_fault("diode", True)
        assert (ev.cp_state(), ev.requested_current(), ev.pwm_duty_percent()) == ("B", 16, 26.7)
        with pytest.raises(RigError, match="no EV emulator on EVSE 2"):
            bench.ev(2)
    finally:
        bench.close()
    assert bench.closed


def test_instrument_side_errors_surface(manager: pyvisa.ResourceManager) -> None:
    bench = Bench.open(load_rig(FIXTURES / "rig-sim.toml"), manager)
    try:
        grid = bench.instruments["grid"]
        with pytest.raises(InstrumentError, match=r"'SOUR:FREQ 20'.*-113,\"Undefined header\""):
            grid.write("SOUR:FREQ 20")  # type: ignore[attr-defined]
        with pytest.raises(InstrumentError, match="no answer"):
            grid.query("SOUR:BOGUS?")  # type: ignore[attr-defined]
    finally:
        bench.close()


def test_safe_state_switches_everything_off_on_exception(manager: pyvisa.ResourceManager) -> None:
    bench = Bench.open(load_rig(FIXTURES / "rig-sim.toml"), manager)
    try:
        with pytest.raises(ZeroDivisionError), SafeState(bench, guard_process=False):
            bench.source(1).set_voltage(230)
            bench.source(1).output_on()
            bench.ev(1).set_cp_state("C")
            bench.ev(1).inject_fault("pe", True)
            bench.ev(1).request_current(20)
            _ = 1 / 0
        grid = bench.instruments["grid"]
        ev = bench.instruments["ev"]
        assert grid.query("OUTP?") == "OFF"  # type: ignore[attr-defined]
        assert [ev.query(q) for q in ("CP:STATE?", "FAULT:PE?", "EV:CURR?")] == ["A", "OFF", "0"]  # type: ignore[attr-defined]
    finally:
        bench.close()


@pytest.mark.filterwarnings("ignore:read string doesn't end with termination characters")
def test_open_failure_closes_what_was_opened(
    manager: pyvisa.ResourceManager, tmp_path: Path
) -> None:
    text = (FIXTURES / "rig-sim.toml").read_text().replace("::7000::", "::7999::")
    path = tmp_path / "rig.toml"
    path.write_text(text)
    # pyvisa-sim opens unknown resources as mute sessions; a real socket would be refused.
    with pytest.raises(RigError, match=r"ev: '\*IDN\?': (empty answer|no answer)"):
        Bench.open(load_rig(path), manager)
    assert manager.list_opened_resources() == []
