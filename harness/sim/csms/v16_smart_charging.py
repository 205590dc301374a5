"""Smart charging faults of the reference 1.6 CSMS (1.6 §3.13, §5.5, §5.7, §5.11, §5.16).

The reference CSMS sends the charging profiles, composite schedule requests and clear
requests it is asked to; it keeps no profile store of its own. Each fault switch breaks the
request the way a CSMS with that bug would build it.
"""

from __future__ import annotations

from typing import Any, Final

from harness.sim.csms.context import CsmsContext

Payload = dict[str, Any]

#: Fault names of this module (see harness/sim/faults_csms_v16_advanced.py).
RATE_UNIT_MISMATCH: Final = "sc16-rate-unit-mismatch"
CLEAR_ALL: Final = "sc16-clear-all"
COMPOSITE_CONNECTOR_ZERO: Final = "sc16-composite-connector-zero"


def _profile_of(action: str, payload: Payload) -> Payload | None:
    """The charging profile a SetChargingProfile / RemoteStartTransaction request carries."""
    key = "csChargingProfiles" if action == "SetChargingProfile" else "chargingProfile"
    if action not in ("SetChargingProfile", "RemoteStartTransaction"):
        return None
    profile = payload.get(key)
    return profile if isinstance(profile, dict) else None


def distort(ctx: CsmsContext, action: str, payload: Payload) -> Payload:
    """Apply the smart charging faults to an outgoing CALL (`payload` is the CSMS's copy).

    `sc16-rate-unit-mismatch`: an ampere schedule is relabelled W with its limits unchanged
    (§7.7 ChargingRateUnitType: a 6 A limit becomes 6 W). `sc16-clear-all`:
    ClearChargingProfile.req without any criteria, which clears every profile (§5.5).
    `sc16-composite-connector-zero`: GetCompositeSchedule.req for connector 0, the whole
    charge point, instead of the connector asked for (§5.7).
    """
    profile = _profile_of(action, payload)
    schedule = profile.get("chargingSchedule") if profile is not None else None
    if (
        isinstance(schedule, dict)
        and schedule.get("chargingRateUnit") == "A"
        and ctx.fault(RATE_UNIT_MISMATCH)
    ):
        schedule["chargingRateUnit"] = "W"
    if action == "ClearChargingProfile" and ctx.fault(CLEAR_ALL):
        payload.clear()
    if action == "GetCompositeSchedule" and ctx.fault(COMPOSITE_CONNECTOR_ZERO):
        payload["connectorId"] = 0
    return payload
