"""Meter value fault switches of the reference 2.0.1 CSMS (block J, TC_E_11_CSMS).

Each imitates a CSMS that refuses valid readings: the main meter (EVSE 0, J01.FR.18),
signed readings (J01.FR.21, J02.FR.21) or decimal register values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.sim.csms.callerror import CallErrorReply
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]


def sampled_values(payload: Payload) -> Iterator[Payload]:
    """Every SampledValue of a MeterValues or TransactionEvent request."""
    for meter_value in payload.get("meterValue", []):
        if isinstance(meter_value, dict):
            yield from (s for s in meter_value.get("sampledValue", []) if isinstance(s, dict))


def screen(ctx: CsmsContext, record: StationRecord, action: str, payload: Payload) -> None:
    """Raise CallErrorReply where a faulty CSMS would refuse these readings."""
    if action not in ("MeterValues", "TransactionEvent"):
        return
    main_meter = action == "MeterValues" and payload.get("evseId") == 0
    if main_meter and ctx.fault("j201-meter-values-evse0-error"):
        raise CallErrorReply("InternalError", f"station {record.station_id} has no EVSE 0")
    for sample in sampled_values(payload):
        if ctx.fault("j201-signed-meter-value-error") and "signedMeterValue" in sample:
            raise CallErrorReply(
                "FormatViolation", "sampledValue has an unexpected property signedMeterValue"
            )
        value = sample.get("value")
        whole = isinstance(value, int | float) and float(value).is_integer()
        if ctx.fault("j201-integer-meter-values") and not whole:
            raise CallErrorReply(
                "FormatViolation", f"sampledValue.value {value!r} is not an integer"
            )
