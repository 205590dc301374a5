"""Meter readings of one EVSE as OCPP MeterValue structures (1.6 §7.31/§7.45, 2.0.1 MeterValueType).

1.6 sampled values are strings with format Raw; 2.0.1 values are numbers with unitOfMeasure.
`energy_wh` overrides the register reading (the meter-stop-wrong fault uses it).
"""

from __future__ import annotations

from typing import Any

from harness.ocppj.clock import utc_timestamp
from harness.sim.station.model import VOLTAGE_V, EvseModel

_UNITS = {
    "Energy.Active.Import.Register": "Wh",
    "Power.Active.Import": "W",
    "Current.Import": "A",
    "Current.Offered": "A",
    "Voltage": "V",
}


def readings(
    evse: EvseModel, measurands: list[str], energy_wh: float | None = None
) -> list[tuple[str, str, float]]:
    """(measurand, unit, value) for each supported measurand; the register is always first."""
    values = {
        "Energy.Active.Import.Register": evse.register_wh if energy_wh is None else energy_wh,
        "Power.Active.Import": evse.power_w,
        "Current.Import": evse.current_a,
        "Current.Offered": evse.limit_a if evse.energized else 0.0,
        "Voltage": VOLTAGE_V,
    }
    chosen = [m for m in measurands if m in values] or ["Energy.Active.Import.Register"]
    return [(m, _UNITS[m], values[m]) for m in chosen]


def meter_value_16(
    evse: EvseModel, measurands: list[str], context: str, energy_wh: float | None = None
) -> dict[str, Any]:
    """One 1.6 MeterValue (§7.31) with a SampledValue per measurand."""
    sampled = [
        {
            "value": str(int(value)) if unit == "Wh" else f"{value:.1f}",
            "context": context,
            "format": "Raw",
            "measurand": measurand,
            "location": "Outlet",
            "unit": unit,
        }
        for measurand, unit, value in readings(evse, measurands, energy_wh)
    ]
    return {"timestamp": utc_timestamp(), "sampledValue": sampled}


def meter_value_201(
    evse: EvseModel, measurands: list[str], context: str, energy_wh: float | None = None
) -> dict[str, Any]:
    """One 2.0.1 MeterValueType with a SampledValueType per measurand."""
    sampled = [
        {
            "value": round(value, 1),
            "context": context,
            "measurand": measurand,
            "location": "Outlet",
            "unitOfMeasure": {"unit": unit},
        }
        for measurand, unit, value in readings(evse, measurands, energy_wh)
    ]
    return {"timestamp": utc_timestamp(), "sampledValue": sampled}
