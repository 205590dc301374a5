"""Electrical and metering model of one EVSE (one connector), and the transaction record.

Physics, not protocol: whether an EV is plugged in, whether the contactor is closed, how much
current flows and how much energy the meter has registered. Energy is integrated over
monotonic time whenever anything that changes the current is about to change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

#: Mains phase voltage (V), phases used, EV request and EVSE rating (A): a 22 kW AC EVSE.
VOLTAGE_V = 230.0
PHASES = 3
EV_REQUEST_A = 32.0
EVSE_MAX_A = 32.0
#: Register reading of a new meter, Wh (non-zero so a wrong meterStop is visibly wrong).
INITIAL_REGISTER_WH = 10_000.0


class Physics(Protocol):
    """True electrical behaviour attached to an EVSE (`electrical.Electrical`, virtual rig)."""

    def advance(self) -> None:
        """Integrate the true energy up to now (before a change)."""

    def after_change(self) -> None:
        """React to a change of plug, suspension, intent, availability or limit."""

    @property
    def reported_current_a(self) -> float:
        """The current the station's own meter reports (A per phase)."""

    @property
    def reported_power_w(self) -> float:
        """The power the station's own meter reports (W)."""

    def register_wh(self) -> float:
        """The station meter's energy register (Wh)."""


@dataclass
class Transaction:
    """One transaction on one EVSE, as both protocol versions need it."""

    key: str
    evse_id: int
    started_at: str
    meter_start_wh: int
    id_token: str | None = None
    token_type: str = "ISO14443"
    remote_start_id: int | None = None
    #: 1.6 transactionId assigned by the Central System (StartTransaction.conf).
    csms_id: int | None = None
    #: 2.0.1: next seqNo, last reported chargingState, start/stop points seen true.
    seq_no: int = 0
    charging_state: str | None = None
    seen: set[str] = field(default_factory=set)
    token_reported: bool = False
    #: 1.6: the Transaction.Begin MeterValue, repeated in StopTransaction.transactionData.
    begin: dict[str, Any] | None = None

    def next_seq(self) -> int:
        """Return the next TransactionEvent seqNo (2.0.1 E: 0 for Started, +1 per event)."""
        seq = self.seq_no
        self.seq_no += 1
        return seq


class EvseModel:
    """Physical state of one EVSE with one connector, and its energy register."""

    def __init__(self, evse_id: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.id = evse_id
        self._clock = clock
        self._register = INITIAL_REGISTER_WH
        self._last = clock()
        self._plugged = False
        self._suspended = False
        self._energized = False
        self._operative = True
        self._limit_a = EVSE_MAX_A
        self.ev_request_a = EV_REQUEST_A
        self.lock_fails = False
        # Protocol-side state that belongs to the EVSE (reset on reboot).
        self.transaction: Transaction | None = None
        self.authorized: str | None = None
        self.token_type = "ISO14443"
        self.remote_start_id: int | None = None
        self.finishing = False
        self.scheduled_operative: bool | None = None
        #: With the virtual rig: the true physics the values below are derived from.
        self.physics: Physics | None = None

    # ---------------------------------------------------------------- physics
    def _changed(self) -> None:
        if self.physics is not None:
            self.physics.after_change()

    def _advance(self) -> None:
        if self.physics is not None:
            self.physics.advance()
            return
        now = self._clock()
        self._register += self.power_w * max(0.0, now - self._last) / 3600.0
        self._last = now

    @property
    def current_a(self) -> float:
        """Current per phase now: min(EV request, limit) while energy can flow, else 0."""
        if self.physics is not None:
            return self.physics.reported_current_a
        flowing = self._plugged and self._energized and self._operative and not self._suspended
        return min(self.ev_request_a, self._limit_a) if flowing else 0.0

    @property
    def power_w(self) -> float:
        """Active power delivered now (W)."""
        if self.physics is not None:
            return self.physics.reported_power_w
        return VOLTAGE_V * self.current_a * PHASES

    @property
    def register_wh(self) -> float:
        """Energy.Active.Import.Register now (Wh), integrated up to this moment."""
        if self.physics is not None:
            return self.physics.register_wh()
        self._advance()
        return self._register

    def meter_wh(self) -> int:
        """The register in whole Wh (1.6 meterStart/meterStop are integers)."""
        return int(self.register_wh)

    @property
    def plugged(self) -> bool:
        """True while an EV is connected."""
        return self._plugged

    @plugged.setter
    def plugged(self, value: bool) -> None:
        self._advance()
        self._plugged = value
        if not value:
            self._suspended = False
        self._changed()

    @property
    def ev_suspended(self) -> bool:
        """True while the EV does not draw current (SuspendedEV)."""
        return self._suspended

    @ev_suspended.setter
    def ev_suspended(self, value: bool) -> None:
        self._advance()
        self._suspended = value
        self._changed()

    @property
    def energized(self) -> bool:
        """True while the contactor is closed (power path closed)."""
        return self._energized

    @energized.setter
    def energized(self, value: bool) -> None:
        self._advance()
        self._energized = value
        self._changed()

    @property
    def operative(self) -> bool:
        """False while the EVSE is Unavailable (ChangeAvailability Inoperative)."""
        return self._operative

    @operative.setter
    def operative(self, value: bool) -> None:
        self._advance()
        self._operative = value
        self._changed()

    @property
    def limit_a(self) -> float:
        """Charging limit per phase (A)."""
        return self._limit_a

    @limit_a.setter
    def limit_a(self, value: float) -> None:
        self._advance()
        self._limit_a = max(0.0, value)
        self._changed()

    # --------------------------------------------------------------- protocol
    def reset_runtime(self) -> None:
        """Forget volatile state on reboot; the EV, meter and availability persist."""
        self.energized = False
        self.transaction = None
        self.authorized = None
        self.remote_start_id = None
        self.finishing = False
        self.scheduled_operative = None

    def state(self) -> dict[str, object]:
        """JSON view for the control API."""
        tx = self.transaction
        return {
            "evse": self.id,
            "plugged": self.plugged,
            "ev_suspended": self.ev_suspended,
            "energized": self.energized,
            "operative": self.operative,
            "authorized": self.authorized,
            "current_a": self.current_a,
            "power_w": self.power_w,
            "limit_a": self.limit_a,
            "register_wh": round(self.register_wh, 3),
            "transaction": None
            if tx is None
            else {
                "id": tx.csms_id if tx.csms_id is not None else tx.key,
                "id_token": tx.id_token,
                "meter_start_wh": tx.meter_start_wh,
                "started_at": tx.started_at,
            },
        }


def change_availability_of(evses: Iterable[EvseModel], operative: bool) -> bool:
    """Apply ChangeAvailability; return whether any EVSE had the change scheduled.

    An EVSE in a transaction gets it at the transaction's end (1.6 §5.2, 2.0.1 G03).
    """
    scheduled = False
    for evse in evses:
        if evse.transaction is not None and evse.operative != operative:
            evse.scheduled_operative = operative
            scheduled = True
        else:
            evse.operative = operative
    return scheduled
