"""OCPP 1.6 Smart Charging of the reference charge point (§3.13, §5.5, §5.7, §5.16 + errata).

Profiles are kept per connector (0 = the charge point) and survive reboots (errata 3.37).
The limit of a connector at a moment is the minimum of the prevailing ChargePointMaxProfile
(shared by the connectors charging) and the prevailing TxProfile, or TxDefaultProfile when the
transaction has no TxProfile (§3.13.1, §3.13.3); within one purpose the valid profile with the
highest stackLevel whose schedule runs at that moment prevails, else the next lower one
(§3.13.2, errata 3.7/3.43). The EVSE current limit follows this every second, so MeterValues
show it; GetCompositeSchedule samples the same function over the requested window.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from harness.ocppj.clock import parse_timestamp, utc_timestamp
from harness.sim.station.link import Answer, Payload
from harness.sim.station.model import EVSE_MAX_A, PHASES, VOLTAGE_V, EvseModel, Transaction

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16

Command = Callable[["V16", Payload], Awaitable[Answer]]
_RECURRENCE = {"Daily": 86_400.0, "Weekly": 604_800.0}
_UNITS = {"A": "Current", "W": "Power"}
#: Seconds between re-evaluations of the active schedules; samples of a composite schedule.
TICK = 1.0
_MAX_SAMPLES = 200_000


def _amps(limit: float, unit: str, phases: int | None) -> float:
    """A schedule limit in A per phase (W over the phases used; errata 3.34)."""
    return limit if unit == "A" else limit / (VOLTAGE_V * (phases or PHASES))


def _in_unit(amps: float, unit: str) -> float:
    value = amps if unit == "A" else amps * VOLTAGE_V * PHASES
    return round(value, 1)


@dataclass
class Profile:
    """One installed csChargingProfiles (§7.8) on one connector."""

    connector: int
    body: Payload
    installed: datetime
    seq: int
    tx: Transaction | None = None

    @property
    def id(self) -> int:
        return int(self.body["chargingProfileId"])

    @property
    def stack(self) -> int:
        return int(self.body["stackLevel"])

    @property
    def purpose(self) -> str:
        return str(self.body["chargingProfilePurpose"])

    def limit_at(self, t: datetime, tx_start: datetime) -> float | None:
        """This profile's limit (A) at `t`, or None when it is not valid or not running."""
        body, schedule = self.body, self.body["chargingSchedule"]
        if "validFrom" in body and t < parse_timestamp(body["validFrom"]):
            return None
        if "validTo" in body and t >= parse_timestamp(body["validTo"]):
            return None
        kind = body["chargingProfileKind"]
        if kind == "Relative":
            start = tx_start
        elif "startSchedule" in schedule:
            start = parse_timestamp(schedule["startSchedule"])
        else:
            start = self.installed
        offset = (t - start).total_seconds()
        if kind == "Recurring" and offset >= 0:
            offset %= _RECURRENCE[body.get("recurrencyKind", "Daily")]
        if offset < 0 or offset >= schedule.get("duration", float("inf")):
            return None
        current: float | None = None
        for period in schedule["chargingSchedulePeriod"]:
            if period["startPeriod"] <= offset:
                unit, phases = schedule["chargingRateUnit"], period.get("numberPhases")
                current = _amps(float(period["limit"]), unit, phases)
        return current


class SmartCharging:
    """The charge point's charging profiles and the limits they impose."""

    def __init__(self, v: V16) -> None:
        self.v = v
        self.profiles: list[Profile] = []
        self.pending: dict[str, Payload] = {}  # idTag -> TxProfile of a RemoteStart (§5.16.2)
        self._seq = itertools.count(1)
        self._tx_seq: dict[str, int] = {}
        self._ticking = False

    def fault(self, name: str) -> bool:
        return self.v.config.fault(name)

    # ------------------------------------------------------------ limits
    def _prevailing(
        self, candidates: list[Profile], t: datetime, tx_start: datetime
    ) -> float | None:
        """Limit of the highest valid, running stackLevel (§3.13.2, errata 3.43)."""
        ordered = sorted(
            candidates, key=lambda p: p.stack, reverse=not self.fault("stack-level-ignored")
        )
        for profile in ordered:
            limit = profile.limit_at(t, tx_start)
            if limit is not None:
                return limit
        return None

    def limits(
        self, connector: int, t: datetime, tx_start: datetime
    ) -> tuple[float | None, float | None]:
        """(ChargePointMax limit, TxProfile-or-TxDefaultProfile limit) in A at `t` (§3.13.1)."""
        by = {
            p: [q for q in self.profiles if q.purpose == p]
            for p in ("ChargePointMaxProfile", "TxProfile", "TxDefaultProfile")
        }
        cp_max = (
            None
            if self.fault("composite-ignores-max-profile")
            else self._prevailing(by["ChargePointMaxProfile"], t, tx_start)
        )
        if connector == 0:
            return cp_max, None  # the charge point as a whole (errata 3.30)
        evse = self.v.station.evses.get(connector)
        tx = evse.transaction if evse is not None else None
        own = [p for p in by["TxProfile"] if tx is not None and p.tx is tx]
        tx_limit = self._prevailing(own, t, tx_start)
        if tx_limit is None:
            defaults = [p for p in by["TxDefaultProfile"] if p.connector == connector]
            defaults = defaults or [p for p in by["TxDefaultProfile"] if p.connector == 0]
            if tx is not None and self.fault("txdefault-not-applied-to-running-tx"):
                started = self._tx_seq.get(tx.key, 0)
                defaults = [p for p in defaults if p.seq < started]
            tx_limit = self._prevailing(defaults, t, tx_start)
        return cp_max, tx_limit

    def _tx_start(self, connector: int, now: datetime) -> datetime:
        evse = self.v.station.evses.get(connector)
        tx = evse.transaction if evse is not None else None
        return parse_timestamp(tx.started_at) if tx is not None else now

    def composite_at(self, connector: int, t: datetime, tx_start: datetime) -> float:
        """Expected limit (A) of a connector, or of the whole charge point for 0 (errata 3.30)."""
        cp_max, tx_limit = self.limits(connector, t, tx_start)
        rating = EVSE_MAX_A * (len(self.v.station.evses) if connector == 0 else 1)
        return min(x for x in (cp_max, tx_limit, rating) if x is not None)

    def apply(self) -> None:
        """Set each EVSE's current limit from the schedules now (§3.13.3: CP max is shared)."""
        now = datetime.now(UTC)
        evses = self.v.station.evses.values()
        charging = max(1, sum(1 for e in evses if e.transaction is not None))
        for evse in evses:
            if self.fault("charging-limit-ignored"):
                evse.limit_a = EVSE_MAX_A
                continue
            cp_max, tx_limit = self.limits(evse.id, now, self._tx_start(evse.id, now))
            share = None if cp_max is None else cp_max / charging
            evse.limit_a = min(x for x in (share, tx_limit, EVSE_MAX_A) if x is not None)

    async def refresh(self) -> None:
        """Apply the limits and report connectors whose status changed (Charging/SuspendedEVSE)."""
        self.apply()
        for evse in self.v.station.evses.values():
            if evse.transaction is not None:
                await self.v.report(evse.id)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            await self.refresh()

    def _ensure_ticking(self) -> None:
        if not self._ticking:
            self._ticking = True
            self.v.station.spawn(self._tick())

    # ------------------------------------------------------ transactions
    def started(self, evse: EvseModel, tx: Transaction) -> None:
        """Bind the TxProfile of the RemoteStartTransaction that started `tx` (§5.16.2)."""
        self._tx_seq[tx.key] = next(self._seq)
        body = self.pending.pop(tx.id_token or "", None)
        if body is not None:
            self._install(evse.id, body, tx)
        self.apply()

    def ended(self, evse: EvseModel, tx: Transaction) -> None:
        """Delete the transaction's TxProfiles once it stopped (§3.13.1 SHOULD)."""
        self.profiles = [p for p in self.profiles if p.tx is not tx]
        self.apply()

    def _install(self, connector: int, body: Payload, tx: Transaction | None) -> None:
        """Add, replacing the same id or the same stackLevel/purpose on the connector (§5.16.3)."""
        new = Profile(connector, body, datetime.now(UTC), next(self._seq), tx)
        self.profiles = [
            p
            for p in self.profiles
            if p.id != new.id
            and not (p.connector == connector and p.stack == new.stack and p.purpose == new.purpose)
        ]
        self.profiles.append(new)
        self._ensure_ticking()

    # ---------------------------------------------------------- checks
    def acceptable(self, body: Payload) -> bool:
        """Within the advertised capabilities (§3.13.5, §9.4) and well formed (errata 3.45)."""
        keys, schedule = self.v.keys, body["chargingSchedule"]
        periods = schedule["chargingSchedulePeriod"]
        allowed = keys.get("ChargingScheduleAllowedChargingRateUnit").split(",")
        return (
            0 <= body["stackLevel"] <= keys.integer("ChargeProfileMaxStackLevel")
            and _UNITS.get(schedule["chargingRateUnit"]) in allowed
            and 0 < len(periods) <= keys.integer("ChargingScheduleMaxPeriods")
            and periods[0]["startPeriod"] == 0
            and all(a["startPeriod"] < b["startPeriod"] for a, b in itertools.pairwise(periods))
            and (body["chargingProfileKind"] != "Recurring" or "recurrencyKind" in body)
        )


# ------------------------------------------------------------------ commands
async def set_charging_profile(v: V16, p: Payload) -> Answer:
    """SetChargingProfile (§5.16): TxProfile only on a connector with that transaction."""
    smart, connector, body = v.smart, int(p["connectorId"]), p["csChargingProfiles"]
    evses = v.station.evses
    if connector != 0 and connector not in evses:
        return Answer({"status": "Rejected"})  # no such connector: schema-valid, so no CALLERROR
    purpose, tx = body["chargingProfilePurpose"], None
    if purpose == "ChargePointMaxProfile" and connector != 0:
        return Answer({"status": "Rejected"})  # §3.13.1: only at connectorId 0
    if purpose == "TxProfile":
        tx = evses[connector].transaction if connector in evses else None
        wrong = tx is None or body.get("transactionId", tx.csms_id) != tx.csms_id
        if wrong and not smart.fault("txprofile-unchecked"):
            return Answer({"status": "Rejected"})  # §3.13.1, §5.16: discard and reject
    replacing = any(q.id == body["chargingProfileId"] for q in smart.profiles)
    full = len(smart.profiles) >= v.keys.integer("MaxChargingProfilesInstalled") and not replacing
    if full or not smart.acceptable(body):
        return Answer({"status": "Rejected"})
    smart._install(connector, body, tx)
    smart.apply()
    return Answer({"status": "Accepted"}, then=smart.refresh)


async def clear_charging_profile(v: V16, p: Payload) -> Answer:
    """ClearChargingProfile (§5.5, errata 3.25/3.26): by id, else all matching fields (AND)."""
    smart = v.smart

    def hit(q: Profile) -> bool:
        if "id" in p:
            return bool(q.id == p["id"])
        fields = ("connectorId", "chargingProfilePurpose", "stackLevel")
        return all(
            p.get(f, mine) == mine
            for f, mine in zip(fields, (q.connector, q.purpose, q.stack), strict=True)
        )

    cleared = [q for q in smart.profiles if hit(q)]
    if not smart.fault("clear-profile-noop"):
        smart.profiles = [q for q in smart.profiles if q not in cleared]
    smart.apply()
    return Answer({"status": "Accepted" if cleared else "Unknown"}, then=smart.refresh)


async def get_composite_schedule(v: V16, p: Payload) -> Answer:
    """GetCompositeSchedule (§5.7, errata 3.28-3.30): from receipt up to duration, limits > 0."""
    smart, connector = v.smart, int(p["connectorId"])
    unit = str(p.get("chargingRateUnit", "A"))
    allowed = v.keys.get("ChargingScheduleAllowedChargingRateUnit").split(",")
    if (connector != 0 and connector not in v.station.evses) or _UNITS[unit] not in allowed:
        return Answer({"status": "Rejected"})
    duration = int(p["duration"])
    now = datetime.now(UTC)
    start = now.replace(microsecond=now.microsecond // 1000 * 1000)
    tx_start = smart._tx_start(connector, start)
    step = max(1, -(-duration // _MAX_SAMPLES))
    periods: list[dict[str, Any]] = []
    for offset in range(0, max(duration, 1), step):
        limit = _in_unit(
            smart.composite_at(connector, start + timedelta(seconds=offset), tx_start), unit
        )
        if not periods or periods[-1]["limit"] != limit:
            periods.append({"startPeriod": offset, "limit": limit})
    schedule = {
        "duration": duration,
        "startSchedule": utc_timestamp(start),
        "chargingRateUnit": unit,
        "chargingSchedulePeriod": periods,
    }
    return Answer(
        {
            "status": "Accepted",
            "connectorId": connector,
            "scheduleStart": utc_timestamp(start),
            "chargingSchedule": schedule,
        }
    )


def with_charging_profile(remote_start: Command) -> Command:
    """RemoteStartTransaction (§5.16.2): a chargingProfile must be a TxProfile without id."""

    async def command(v: V16, p: Payload) -> Answer:
        body = p.get("chargingProfile")
        if body is None:
            return await remote_start(v, p)
        bad = body["chargingProfilePurpose"] != "TxProfile" or "transactionId" in body
        if (
            bad and not v.smart.fault("remote-start-profile-purpose-unchecked")
        ) or not v.smart.acceptable(body):
            return Answer({"status": "Rejected"})
        answer = await remote_start(v, p)
        accepted = answer.payload is not None and answer.payload.get("status") == "Accepted"
        if accepted and not v.smart.fault("remote-start-profile-ignored"):
            v.smart.pending[str(p["idTag"])] = body
        return answer

    return command


SMART_CHARGING_COMMANDS: dict[str, Command] = {
    "SetChargingProfile": set_charging_profile,
    "ClearChargingProfile": clear_charging_profile,
    "GetCompositeSchedule": get_composite_schedule,
}
