"""Steps the 1.6 Smart Charging cases share: profiles, composite schedules, metered current.

The 1.6 compliance document is not public; the cases follow the 2.0.1 Part 6 K cases of the
same purpose, translated to 1.6 messages (SetChargingProfile, GetCompositeSchedule,
ClearChargingProfile, MeterValues).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness.cases.checks import Checks
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.ocppj.clock import parse_timestamp, utc_timestamp
from harness.roles.csms import CsmsEmulator
from harness.roles.exchange import Message

#: Seconds a schedule starts before "now", so a station clock a little behind still runs it
#: (Part 6: <Configured max time deviation>).
DEVIATION = 5
#: Tolerance (s) on where a composite period starts: request latency and whole seconds.
SLACK = 2.0
#: Metering tolerance on a reported current: 5 % + 0.1 A (register and rounding).
METER_TOLERANCE = 0.05


def profile(
    profile_id: int,
    purpose: str,
    periods: list[tuple[int, float]],
    *,
    stack: int = 0,
    kind: str = "Relative",
    duration: int | None = None,
    transaction_id: int | None = None,
    valid_for: int | None = None,
) -> dict[str, Any]:
    """A csChargingProfiles (1.6 §7.8) in A; Absolute ones start DEVIATION s ago."""
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=DEVIATION)
    schedule: dict[str, Any] = {
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [
            {"startPeriod": start, "limit": limit} for start, limit in periods
        ],
    }
    if duration is not None:
        schedule["duration"] = duration
    if kind == "Absolute":
        schedule["startSchedule"] = utc_timestamp(now)
    body: dict[str, Any] = {
        "chargingProfileId": profile_id,
        "stackLevel": stack,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": kind,
        "chargingSchedule": schedule,
    }
    if transaction_id is not None:
        body["transactionId"] = transaction_id
    if valid_for is not None:
        body["validFrom"] = utc_timestamp(now)
        body["validTo"] = utc_timestamp(now + timedelta(seconds=valid_for + 2 * DEVIATION))
    return body


async def set_profile(
    csms: CsmsEmulator, check: Checks, connector: int, body: dict[str, Any], expected: str
) -> None:
    """SetChargingProfile.req; the status must be `expected` (1.6 §5.16, §6.43)."""
    outcome = await csms.call(
        "SetChargingProfile", {"connectorId": connector, "csChargingProfiles": body}
    )
    check.equal(
        outcome.get("status"),
        expected,
        f"SetChargingProfile.conf status for {body['chargingProfilePurpose']} "
        f"id {body['chargingProfileId']} on connector {connector}",
        ref="1.6 §5.16",
    )


async def composite(
    csms: CsmsEmulator, check: Checks, connector: int, duration: int
) -> tuple[list[tuple[float, float]], datetime | None]:
    """GetCompositeSchedule.req in A; return its periods and its scheduleStart.

    1.6 §5.7 (errata 3.28/3.29): the periods run from receipt of the request up to `duration`.
    """
    outcome = await csms.call(
        "GetCompositeSchedule",
        {"connectorId": connector, "duration": duration, "chargingRateUnit": "A"},
    )
    check.equal(outcome.get("status"), "Accepted", "GetCompositeSchedule.conf status", ref="§6.22")
    schedule = outcome.get("chargingSchedule") or {}
    start = outcome.get("scheduleStart") or schedule.get("startSchedule")
    check.equal(schedule.get("chargingRateUnit", "A"), "A", "composite unit", ref="1.6 §6.22")
    periods = [
        (float(p["startPeriod"]), float(p["limit"]))
        for p in schedule.get("chargingSchedulePeriod", [])
    ]
    return periods, parse_timestamp(start) if start else None


def limit_at(periods: list[tuple[float, float]], offset: float) -> float | None:
    """The composite limit at `offset` seconds, None when the schedule says nothing."""
    current = None
    for start, limit in periods:
        if start <= offset:
            current = limit
    return current


def check_periods(
    check: Checks,
    periods: list[tuple[float, float]],
    expected: list[tuple[float, float]],
    *,
    origin: dict[str, Any],
    schedule_start: datetime | None,
    ref: str,
) -> None:
    """Composite periods match `expected`, given relative to the startSchedule of `origin`.

    Part 6 TC_K_40: x, the time from the profiles' start to scheduleStart, shifts each period.
    """
    begin = parse_timestamp(str(origin["chargingSchedule"]["startSchedule"]))
    x = (schedule_start - begin).total_seconds() if schedule_start else float(DEVIATION)
    want = [(max(0.0, start - x), limit) for start, limit in expected]
    same = len(periods) == len(want) and all(
        abs(a[0] - b[0]) <= SLACK and abs(a[1] - b[1]) < 0.05
        for a, b in zip(periods, want, strict=True)
    )
    shown = ", ".join(f"{s:g} s: {v:g} A" for s, v in want)
    check.must(same, f"composite periods: expected [{shown}] (x={x:.1f} s), saw {periods}", ref=ref)


async def configure_metering(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Sample the current every meter interval (1.6 §9.1.19 MeterValueSampleInterval)."""
    settings = {
        "MeterValuesSampledData": "Energy.Active.Import.Register,Current.Import",
        "MeterValueSampleInterval": str(max(1, int(dut.timeouts.meter_interval))),
    }
    for key, value in settings.items():
        outcome = await csms.call("ChangeConfiguration", {"key": key, "value": value})
        check.equal(outcome.get("status"), "Accepted", f"ChangeConfiguration {key}", ref="§5.3")


async def charging_session(csms: CsmsEmulator, dut: Dut, check: Checks) -> int:
    """Plug in, present the valid idTag, transaction started; return its transactionId."""
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await station_v16.authorized(csms, dut, check)
    start = await station_v16.charging(csms, dut, check, since=mark)
    return int((start.answer or {})["transactionId"])


async def drawn_current(
    csms: CsmsEmulator, dut: Dut, check: Checks, limit: float, *, since: float, skip: int
) -> None:
    """A MeterValues.req Current.Import at or below the limit (1.6 §3.13.3, §4.7).

    `skip` samples after `since` are not judged: they may have been taken before the station
    applied a profile it had just accepted.
    """
    within = dut.timeouts.meter_interval + dut.timeouts.call
    message: Message | None = None
    for _ in range(skip + 1):
        message = await csms.expect("MeterValues", within=within, since=since)
        since = message.at
    assert message is not None
    values = [
        float(v["value"])
        for meter in message["meterValue"]
        for v in meter["sampledValue"]
        if v.get("measurand") == "Current.Import" and v.get("phase") in (None, "L1", "L1-N")
    ]
    check.must(values, "MeterValues.req carries Current.Import (configured)", ref="1.6 §9.1.18")
    bound = limit * (1 + METER_TOLERANCE) + 0.1
    check.must(
        all(v <= bound for v in values),
        f"metered current within the charging profile limit {limit:g} A: saw {values} A",
        ref="1.6 §3.13.3",
    )
