"""True electrical behaviour of one EVSE: mains, control pilot, PWM, contactor, current, energy.

Attached to an `EvseModel` when the station runs with the virtual rig (`--virtual-rig`); the
station's own view (status, meter values, register) is then derived from this physics, so a
fault can make the station disagree with what the rig's instruments measure.

IEC 61851-1 rules modelled (DESIGN.md, "The rig"):

* pilot states A +12 V, B +9 V, C +6 V, D +3 V, E 0 V, F -12 V;
* offered current -> PWM duty: 10-85 %: I = duty x 0.6 A, 85-96 %: I = (duty - 64) x 2.5 A;
  below 6 A no PWM is offered (charging not allowed);
* the contactor is closed only with mains on, no pilot error, the EV in C/D and PWM on; it
  opens at once when the EV goes C -> B or A (rule: within 100 ms), and when PWM stops with the
  EV still in C it opens after `WIND_DOWN_S` (rule: within 6 s);
* current = min(EV request, offered current) while the contactor is closed and PWM is on.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from harness.sim.station.model import EVSE_MAX_A, INITIAL_REGISTER_WH, PHASES, VOLTAGE_V, EvseModel

#: Control pilot voltage (V, positive level) per state (IEC 61851-1 Table A.4).
CP_VOLTS = {"A": 12.0, "B": 9.0, "C": 6.0, "D": 3.0, "E": 0.0, "F": -12.0}
CP_STATES = tuple(CP_VOLTS)
#: Smallest and largest current a PWM duty cycle can signal (A).
MIN_PWM_A = 6.0
MAX_PWM_A = 80.0
#: Reference station: contactor opens this long after PWM stops with the EV still in C (<= 6 s).
WIND_DOWN_S = 1.0
#: Fault `phy-current-after-stop`: the power path stays on this long after a stop.
AFTER_STOP_S = 10.0
#: Fault `phy-energy-over-report-3pct`: register / true energy.
OVER_REPORT = 1.03


def duty_for(amps: float) -> float:
    """PWM duty (%) signalling `amps` (IEC 61851-1: 10-85 % -> x 0.6 A, 85-96 % -> (d-64) x 2.5)."""
    if amps < MIN_PWM_A:
        return 0.0
    amps = min(amps, MAX_PWM_A)
    return amps / 0.6 if amps <= 51.0 else amps / 2.5 + 64.0


def amps_for(duty: float) -> float:
    """Maximum current (A) a PWM duty (%) allows (IEC 61851-1 mapping; 0 outside 8-97 %)."""
    if 8.0 <= duty < 10.0:
        return 6.0
    if 10.0 <= duty <= 85.0:
        return duty * 0.6
    if 85.0 < duty <= 97.0:
        return min((duty - 64.0) * 2.5, MAX_PWM_A)
    return 0.0


class Mains:
    """The station's supply (the rig's AC source output): on or off, for every EVSE."""

    def __init__(self) -> None:
        self.on = True
        self.voltage_v = VOLTAGE_V
        self.frequency_hz = 50.0
        #: Called with the new state after a change (the station powers down or boots).
        self.listeners: list[Callable[[bool], None]] = []
        self.evses: list[Electrical] = []

    def switch(self, on: bool) -> None:
        """Switch the supply; every EVSE integrates up to now first."""
        if on == self.on:
            return
        for evse in self.evses:
            evse.advance()
        self.on = on
        for evse in self.evses:
            evse.changed()
        for listener in list(self.listeners):
            listener(on)

    def set_voltage(self, volts: float) -> None:
        """Set the nominal phase voltage (V)."""
        for evse in self.evses:
            evse.advance()
        self.voltage_v = volts


class Electrical:
    """Physics of one EVSE; the station-side state (intent, limit) is read from `evse`."""

    def __init__(
        self,
        evse: EvseModel,
        mains: Mains,
        fault: Callable[[str], bool],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.evse = evse
        self.mains = mains
        self.fault = fault
        self.clock = clock
        self.cp = "A"
        self.request_a = 32.0
        self.diode_fault = False
        self.pe_fault = False
        #: True once an EV emulator drives the pilot; until then it follows the control API.
        self.driven = False
        self.true_energy_wh = 0.0
        self._last = clock()
        self._intent = evse.energized
        self._released_at: float | None = None
        self._wind_down_until: float | None = None
        self._pwm_was_on = False
        mains.evses.append(self)
        evse.physics = self

    # ------------------------------------------------------------ derived, at time t
    @property
    def healthy(self) -> bool:
        """No pilot error (E/F) and no diode or PE fault detected."""
        return self.cp not in ("E", "F") and not self.diode_fault and not self.pe_fault

    def _intent_at(self, t: float) -> bool:
        if self.evse.energized and self.evse.operative:
            return True
        late = self._after_stop_end()
        return late is not None and t < late

    @property
    def offered_a(self) -> float:
        """Current the station signals on the pilot (A): its limit, or the rating if faulty."""
        if self.fault("phy-ignores-charging-limit"):
            return EVSE_MAX_A
        return min(self.evse.limit_a, EVSE_MAX_A)

    def pwm_on_at(self, t: float) -> bool:
        """PWM is offered: mains on, no error, charging allowed, offer >= 6 A."""
        return (
            self.mains.on
            and self.healthy
            and self.cp != "A"
            and self._intent_at(t)
            and self.offered_a >= MIN_PWM_A
        )

    def contactor_at(self, t: float) -> bool:
        """The contactor is closed at `t`."""
        if not (self.mains.on and self.healthy and self.cp in ("C", "D")):
            return False
        if self.pwm_on_at(t):
            return True
        late = self._after_stop_end()
        ends = [self._wind_down_until, None if late is None else late + WIND_DOWN_S]
        return any(end is not None and t < end for end in ends)

    def current_at(self, t: float) -> float:
        """True current per phase (A) at `t`."""
        if not (self.contactor_at(t) and self.pwm_on_at(t)):
            return 0.0
        return min(self.request_a, amps_for(duty_for(self.offered_a)))

    def outlet_voltage_at(self, t: float) -> float:
        """Phase voltage at the outlet (V): mains voltage while the contactor is closed."""
        return self.mains.voltage_v if self.contactor_at(t) else 0.0

    def power_at(self, t: float) -> float:
        """True active power (W) at `t`, all phases."""
        return self.outlet_voltage_at(t) * self.current_at(t) * PHASES

    # ------------------------------------------------------------ now
    @property
    def duty_percent(self) -> float:
        """PWM duty (%) now; 0 while PWM is off."""
        return duty_for(self.offered_a) if self.pwm_on_at(self.clock()) else 0.0

    @property
    def cp_voltage(self) -> float:
        """Positive pilot level (V) now; 0 without mains (no pilot supply)."""
        return CP_VOLTS[self.cp] if self.mains.on else 0.0

    @property
    def contactor_closed(self) -> bool:
        """The contactor is closed now."""
        return self.contactor_at(self.clock())

    @property
    def true_current_a(self) -> float:
        """True current per phase (A) now."""
        return self.current_at(self.clock())

    @property
    def true_voltage_v(self) -> float:
        """True outlet phase voltage (V) now."""
        return self.outlet_voltage_at(self.clock())

    @property
    def true_power_w(self) -> float:
        """True active power (W) now."""
        return self.power_at(self.clock())

    def true_energy(self) -> float:
        """Energy delivered since the station started (Wh), integrated up to now."""
        self.advance()
        return self.true_energy_wh

    # ------------------------------------------------------------ station's view
    @property
    def reported_current_a(self) -> float:
        """The current the station believes flows: the true one (fault: phantom in state B)."""
        t = self.clock()
        phantom = self.fault("phy-charging-in-state-b") and self.cp == "B" and self.pwm_on_at(t)
        if phantom:
            return min(self.request_a, self.offered_a)
        return self.current_at(t)

    @property
    def reported_power_w(self) -> float:
        """The power the station's meter reports (W)."""
        return self.mains.voltage_v * self.reported_current_a * PHASES

    def register_wh(self) -> float:
        """The station meter's register (Wh), derived from the true energy (fault: +3 %)."""
        factor = OVER_REPORT if self.fault("phy-energy-over-report-3pct") else 1.0
        return INITIAL_REGISTER_WH + self.true_energy() * factor

    # ------------------------------------------------------------ time and events
    def _after_stop_end(self) -> float | None:
        """Fault `phy-current-after-stop`: when the late PWM ends, after a release."""
        late = self._released_at
        if late is None or not self.fault("phy-current-after-stop"):
            return None
        return late + AFTER_STOP_S

    def _deadlines(self) -> list[float]:
        late = self._after_stop_end()
        marks = [self._wind_down_until]
        if late is not None:
            marks += [late, late + WIND_DOWN_S]
        return sorted(m for m in marks if m is not None)

    def advance(self) -> None:
        """Integrate the true energy up to now, splitting at timed switch points."""
        now = self.clock()
        start = self._last
        if now <= start:
            return
        points = [start, *(d for d in self._deadlines() if start < d < now), now]
        for a, b in itertools.pairwise(points):
            self.true_energy_wh += self.power_at((a + b) / 2) * (b - a) / 3600.0
        self._last = now

    def changed(self) -> None:
        """Record edges after a state change: intent released, PWM stopped with the EV in C."""
        now = self.clock()
        intent = self.evse.energized and self.evse.operative
        if self._intent and not intent:
            self._released_at = now
        elif intent:
            self._released_at = None
        self._intent = intent
        pwm = self.pwm_on_at(now)
        if pwm:
            self._wind_down_until = None
        elif self._pwm_was_on and self.cp in ("C", "D"):
            self._wind_down_until = now + WIND_DOWN_S
        self._pwm_was_on = pwm

    def after_change(self) -> None:
        """Hook for `EvseModel`: the station changed plug, suspension, intent or limit."""
        self.follow_protocol()
        self.changed()

    def set_pilot(self, state: str) -> None:
        """The EV (emulator) puts the pilot into `state` (A-F)."""
        if state not in CP_VOLTS:
            raise ValueError(f"pilot state must be one of {', '.join(CP_STATES)}, got {state!r}")
        self.advance()
        self.cp = state
        if state not in ("C", "D"):
            self._wind_down_until = None
        self.changed()

    def set_request(self, amps: float) -> None:
        """The EV's requested current per phase (A)."""
        self.advance()
        self.request_a = max(0.0, amps)
        self.changed()

    def set_faults(self, *, diode: bool | None = None, pe: bool | None = None) -> None:
        """Inject or clear the EV-side diode short / missing protective earth."""
        self.advance()
        if diode is not None:
            self.diode_fault = diode
        if pe is not None:
            self.pe_fault = pe
        self.changed()

    def follow_protocol(self) -> None:
        """Keep the pilot in line with a plug/suspend change made through the control API.

        Until an EV emulator drives the pilot, the EV is always ready: plugged and not
        suspended is state C, suspended B, unplugged A. Once driven, the emulator alone sets it
        (the station's events lag behind the pilot and must not override it).
        """
        if self.driven or self.cp in ("E", "F"):
            return
        wanted = "A" if not self.evse.plugged else "B" if self.evse.ev_suspended else "C"
        if wanted != self.cp:
            self.set_pilot(wanted)

    def state(self) -> dict[str, object]:
        """JSON view for the control API."""
        return {
            "mains": self.mains.on,
            "cp_state": self.cp,
            "pwm_duty_percent": round(self.duty_percent, 3),
            "contactor_closed": self.contactor_closed,
            "true_current_a": self.true_current_a,
            "true_energy_wh": round(self.true_energy(), 4),
            "ev_request_a": self.request_a,
            "diode_fault": self.diode_fault,
            "pe_fault": self.pe_fault,
        }
