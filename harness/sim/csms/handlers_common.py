"""Answers both OCPP versions give alike: boot, heartbeat, plain acknowledgements."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from harness.ocppj.clock import utc_timestamp
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]
Handler = Callable[[CsmsContext, StationRecord, Payload], Payload]

#: Measurand of the energy register, the default when a sampled value names none.
ENERGY_REGISTER = "Energy.Active.Import.Register"


def boot_notification(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer BootNotification with the armed status, the current time and an interval.

    1.6 §4.2 / 2.0.1 B01.FR.02, B02, B03: Accepted carries the heartbeat interval, Pending and
    Rejected the retry interval. The `boot-rejected` fault answers every boot Rejected.
    """
    answer = ctx.registry.next_boot(record)
    status = "Rejected" if ctx.fault("boot-rejected") else answer.status
    interval = ctx.config.heartbeat_interval if status == "Accepted" else answer.interval
    record.boot_status = status
    record.boot_request = payload
    record.boots += 1
    if status == "Accepted":
        record.permitted.clear()
    return {
        "status": status,
        "currentTime": utc_timestamp(),
        "interval": ctx.config.retry_interval if interval is None else interval,
    }


def heartbeat(_ctx: CsmsContext, _record: StationRecord, _payload: Payload) -> Payload:
    """Answer Heartbeat with the current time (1.6 §4.6, 2.0.1 G02)."""
    return {"currentTime": utc_timestamp()}


def constant(answer: Payload) -> Handler:
    """A handler that acknowledges with a fixed payload (a copy each time)."""

    def handle(_ctx: CsmsContext, _record: StationRecord, _payload: Payload) -> Payload:
        return dict(answer)

    return handle


def data_transfer(_ctx: CsmsContext, _record: StationRecord, _payload: Payload) -> Payload:
    """Answer DataTransfer with UnknownVendorId: the CSMS knows no vendor extension.

    1.6 §4.3 / 2.0.1 P01 (a vendorId the receiver does not implement).
    """
    return {"status": "UnknownVendorId"}


def energy_reading(meter_values: object) -> float | None:
    """The last Energy.Active.Import.Register reading in a list of MeterValue objects, in Wh.

    Readings in kWh and 2.0.1 multipliers are applied; per-phase samples and values that do
    not parse are skipped.
    """
    reading: float | None = None
    if not isinstance(meter_values, list):
        return None
    for meter_value in meter_values:
        if not isinstance(meter_value, dict):
            continue
        for sample in meter_value.get("sampledValue", []):
            if not isinstance(sample, dict):
                continue
            if sample.get("measurand", ENERGY_REGISTER) != ENERGY_REGISTER:
                continue
            if sample.get("phase") is not None:
                continue
            value = _number(sample.get("value"))
            if value is None:
                continue
            measure = sample.get("unitOfMeasure") or {}
            unit = sample.get("unit") or measure.get("unit", "Wh")
            value = _scaled(value, measure.get("multiplier", 0))
            if value is None:
                continue
            reading = value * 1000 if unit == "kWh" else value
    return reading


def _scaled(value: float, multiplier: object) -> float | None:
    """`value` x 10^multiplier, or None when that is no finite number.

    Any integer multiplier is schema-valid; `10 ** int(m)` for m = 2**31 - 1 would keep the
    CSMS busy for minutes (found by FUZZ_201_CSMS_valid_payloads / tests/unit/test_fuzz_sim.py).
    """
    if isinstance(multiplier, bool) or not isinstance(multiplier, int | float):
        return None
    try:
        scaled = value * 10.0 ** int(multiplier)
    except OverflowError:
        return None
    return scaled if math.isfinite(scaled) else None


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(Decimal(value))
        except InvalidOperation:
            return None
    return None
