"""Which security profile the reference CSMS expects from each station (whitepaper A00, A05).

A CSMS uses one profile per station at a time (A00.FR.001/002). After a station accepted a
higher SecurityProfile over OCPP (1.6 ChangeConfiguration, whitepaper A05) the CSMS expects
that profile from it and SHALL NOT accept the lower one any more (A05.FR.09). Profile 2 -> 3
happens on the same TLS listener, which asks for an optional client certificate (A00.FR.006
would also allow a second port; one listener keeps the reference CSMS a single endpoint).
"""

from __future__ import annotations

from typing import Any

from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

#: Fault: after an upgrade the CSMS still accepts connections with the old profile.
LOWER_ACCEPTED = "sec16-accepts-lower-profile"


def expected_profile(ctx: CsmsContext, station_id: str) -> int:
    """The profile this station must connect with: its upgraded one, else the configured."""
    record = ctx.registry.stations.get(station_id)
    upgraded = record.security_profile if record is not None else None
    return ctx.config.security_profile if upgraded is None else upgraded


def lower_profile_tolerated(ctx: CsmsContext, station_id: str) -> bool:
    """True when the `sec16-accepts-lower-profile` fault lets an upgraded station fall back."""
    record = ctx.registry.stations.get(station_id)
    return record is not None and record.security_profile is not None and ctx.fault(LOWER_ACCEPTED)


def adopt(
    ctx: CsmsContext,
    record: StationRecord,
    action: str,
    payload: dict[str, Any],
    answer: dict[str, Any],
) -> None:
    """Expect the higher profile once the station accepted it (whitepaper A05.FR.05-09).

    Only an increase is adopted: lowering over OCPP is not allowed (A00.FR.005).
    """
    if (
        action != "ChangeConfiguration"
        or payload.get("key") != "SecurityProfile"
        or answer.get("status") != "Accepted"
    ):
        return
    try:
        wanted = int(str(payload.get("value")))
    except ValueError:
        return
    current = expected_profile(ctx, record.station_id)
    if wanted > current and wanted <= 3:
        record.security_profile = wanted
        ctx.wirelog.record(
            "action", f"{record.station_id}: security profile {current} -> {wanted} (A05)"
        )
