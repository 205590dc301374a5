"""Charging profiles the 1.6 Smart Charging _CSMS cases ask for, and their tool validations.

The validations follow the 2.0.1 Part 6 K cases (TC_K_01/02/37_CSMS step 1: purpose, kind,
stack level, transactionId, first startPeriod 0, limit "6.0 or 6000.0") with the 1.6 rules of
§5.16, §5.16.2, §5.16.4, §7.8 ChargingProfile and §7.13 ChargingSchedule.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from harness.cases.checks import Checks
from harness.ocppj.clock import utc_timestamp

#: The limit (A) every case asks for; in W the 2.0.1 tool accepts 1000 times it.
LIMIT_A = 6.0


def profile(
    profile_id: int,
    purpose: str,
    *,
    kind: str = "Absolute",
    stack: int = 0,
    transaction_id: int | None = None,
    limit: float = LIMIT_A,
) -> dict[str, Any]:
    """A ChargingProfile (§7.8) with one ampere period from startPeriod 0 (§5.16.4)."""
    now = datetime.now(UTC)
    schedule: dict[str, Any] = {
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit, "numberPhases": 3}],
    }
    body: dict[str, Any] = {
        "chargingProfileId": profile_id,
        "stackLevel": stack,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": kind,
        "chargingSchedule": schedule,
    }
    if kind == "Absolute":
        schedule["startSchedule"] = utc_timestamp(now)
        schedule["duration"] = 3600
        body["validFrom"] = utc_timestamp(now)
        body["validTo"] = utc_timestamp(now + timedelta(hours=1))
    if transaction_id is not None:
        body["transactionId"] = transaction_id
    return body


def check_profile(
    check: Checks,
    sent: object,
    asked: dict[str, Any],
    where: str,
    *,
    transaction_id: int | None,
) -> None:
    """Tool validations of a ChargingProfile the CSMS sent, against what was asked.

    Purpose, kind and stack level as asked (TC_K_01_CSMS); transactionId equal to the running
    transaction for a TxProfile set during it (§5.16 SHALL include it) and absent otherwise
    (§7.8: only for TxProfile; §5.16.2 SHALL NOT in RemoteStartTransaction); an Absolute
    schedule has its startSchedule (§7.13); the first period starts at 0 (§5.16.4 SHALL);
    the limit is 6 A, or 6000 W as the 2.0.1 tool also accepts.
    """
    if not check.must(isinstance(sent, dict), f"{where} carries a chargingProfile: {sent!r}"):
        return
    assert isinstance(sent, dict)
    for key in ("chargingProfilePurpose", "chargingProfileKind", "stackLevel"):
        check.equal(sent.get(key), asked[key], f"{where} {key}", ref="1.6 §7.8")
    check.equal(sent.get("transactionId"), transaction_id, f"{where} transactionId", ref="§5.16")
    schedule = sent.get("chargingSchedule") or {}
    if sent.get("chargingProfileKind") == "Absolute":
        check.must(
            "startSchedule" in schedule,
            f"{where} Absolute chargingSchedule has a startSchedule: saw {schedule}",
            ref="1.6 §7.13",
        )
    periods = schedule.get("chargingSchedulePeriod") or [{}]
    check.equal(periods[0].get("startPeriod"), 0, f"{where} first startPeriod", ref="§5.16.4")
    unit, limit = schedule.get("chargingRateUnit"), periods[0].get("limit")
    check.must(
        (unit, limit) in (("A", LIMIT_A), ("W", LIMIT_A * 1000)),
        f"{where} limit: expected {LIMIT_A:g} A or {LIMIT_A * 1000:g} W, saw {limit} {unit}",
        ref="1.6 §7.13, 2.0.1 TC_K_01_CSMS",
    )
