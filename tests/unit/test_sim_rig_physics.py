"""The reference station's physics (harness/sim/station/electrical.py) on a fake clock.

IEC 61851-1 numbers from DESIGN.md "The rig": duty <-> current mapping, contactor only with
the EV in C/D and PWM on, opening at once on C -> B, 6 s (here 1 s) after PWM stops with the EV
in C; energy integrated from the true power; the register derived from it. And the physical
mutants: each changes exactly what it claims.
"""

from __future__ import annotations

import pytest

from harness.sim.station.electrical import (
    AFTER_STOP_S,
    OVER_REPORT,
    WIND_DOWN_S,
    Electrical,
    Mains,
    amps_for,
    duty_for,
)
from harness.sim.station.model import INITIAL_REGISTER_WH, PHASES, VOLTAGE_V, EvseModel


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def make(*faults: str) -> tuple[EvseModel, Electrical, Mains, Clock]:
    clock = Clock()
    evse = EvseModel(1, clock=clock)
    mains = Mains()
    electrical = Electrical(evse, mains, lambda name: name in faults, clock=clock)
    electrical.driven = True
    return evse, electrical, mains, clock


def charging(*faults: str) -> tuple[EvseModel, Electrical, Mains, Clock]:
    evse, electrical, mains, clock = make(*faults)
    electrical.set_pilot("B")
    evse.plugged = True
    evse.energized = True
    electrical.set_pilot("C")
    return evse, electrical, mains, clock


@pytest.mark.parametrize(
    ("amps", "duty"), [(6.0, 10.0), (16.0, 26.6667), (32.0, 53.3333), (51.0, 85.0), (80.0, 96.0)]
)
def test_duty_mapping_both_ways(amps: float, duty: float) -> None:
    assert duty_for(amps) == pytest.approx(duty, abs=1e-3)
    assert amps_for(duty_for(amps)) == pytest.approx(amps)


def test_no_pwm_below_six_amps_and_six_amps_at_eight_to_ten_percent() -> None:
    assert duty_for(5.9) == 0.0
    assert amps_for(9.0) == 6.0
    assert amps_for(5.0) == 0.0
    assert amps_for(100.0) == 0.0


def test_contactor_needs_c_pwm_and_mains() -> None:
    evse, electrical, mains, _ = make()
    electrical.set_pilot("B")
    evse.plugged = True
    evse.energized = True
    assert electrical.duty_percent == pytest.approx(duty_for(32.0))
    assert not electrical.contactor_closed  # EV in B: no power
    electrical.set_pilot("C")
    assert electrical.contactor_closed
    assert electrical.true_current_a == 32.0
    mains.switch(False)
    assert not electrical.contactor_closed and electrical.duty_percent == 0.0
    assert electrical.cp_voltage == 0.0


def test_current_follows_limit_and_ev_request() -> None:
    evse, electrical, _, _ = charging()
    evse.limit_a = 10.0
    assert electrical.true_current_a == pytest.approx(10.0)
    assert electrical.duty_percent == pytest.approx(10.0 / 0.6)
    electrical.set_request(8.0)
    assert electrical.true_current_a == 8.0
    evse.limit_a = 4.0  # below 6 A: no PWM, no current
    assert electrical.duty_percent == 0.0 and electrical.true_current_a == 0.0


def test_c_to_b_opens_at_once_pwm_off_with_ev_in_c_winds_down() -> None:
    evse, electrical, _, clock = charging()
    electrical.set_pilot("B")
    assert not electrical.contactor_closed
    electrical.set_pilot("C")
    assert electrical.contactor_closed
    evse.energized = False  # the station stops: PWM off, EV still in C
    assert electrical.duty_percent == 0.0
    assert electrical.true_current_a == 0.0  # the EV obeys the missing PWM
    assert electrical.contactor_closed  # ... and the contactor follows after the wind-down
    clock.t += WIND_DOWN_S + 0.01
    assert not electrical.contactor_closed


def test_pilot_errors_open_the_contactor() -> None:
    for fault in ("E", "F", "diode", "pe"):
        _, electrical, _, _ = charging()
        if fault in ("diode", "pe"):
            electrical.set_faults(diode=fault == "diode", pe=fault == "pe")
        else:
            electrical.set_pilot(fault)
        assert not electrical.contactor_closed, fault
        assert electrical.true_current_a == 0.0, fault


def test_energy_is_integrated_from_true_power() -> None:
    evse, electrical, _, clock = charging()
    clock.t += 10.0
    expected = VOLTAGE_V * 32.0 * PHASES * 10.0 / 3600.0
    assert electrical.true_energy() == pytest.approx(expected)
    assert evse.register_wh == pytest.approx(INITIAL_REGISTER_WH + expected)
    evse.limit_a = 16.0
    clock.t += 10.0
    assert electrical.true_energy() == pytest.approx(expected * 1.5)


def test_fault_over_report_skews_only_the_register() -> None:
    evse, electrical, _, clock = charging("phy-energy-over-report-3pct")
    clock.t += 10.0
    true = electrical.true_energy()
    assert evse.register_wh - INITIAL_REGISTER_WH == pytest.approx(true * OVER_REPORT)


def test_fault_ignores_charging_limit() -> None:
    evse, electrical, _, _ = charging("phy-ignores-charging-limit")
    evse.limit_a = 10.0
    assert electrical.true_current_a == 32.0
    assert electrical.duty_percent == pytest.approx(duty_for(32.0))


def test_fault_current_after_stop_flows_ten_seconds() -> None:
    evse, electrical, _, clock = charging("phy-current-after-stop")
    evse.energized = False
    clock.t += AFTER_STOP_S - 0.5
    assert electrical.true_current_a == 32.0
    clock.t += 1.0
    assert electrical.true_current_a == 0.0
    energy = electrical.true_energy()
    assert energy == pytest.approx(VOLTAGE_V * 32.0 * PHASES * AFTER_STOP_S / 3600.0)


def test_fault_charging_in_state_b_reports_phantom_current() -> None:
    evse, electrical, _, _ = charging("phy-charging-in-state-b")
    electrical.set_pilot("B")
    assert electrical.true_current_a == 0.0
    assert evse.current_a == 32.0  # the station believes it still charges


def test_control_api_plug_moves_an_undriven_pilot() -> None:
    clock = Clock()
    evse = EvseModel(1, clock=clock)
    electrical = Electrical(evse, Mains(), lambda _name: False, clock=clock)
    evse.plugged = True
    assert electrical.cp == "C"
    evse.ev_suspended = True
    assert electrical.cp == "B"
    evse.plugged = False
    assert electrical.cp == "A"
