"""Manual actions on a 2.0.1 CSMS under test: make it send a command, check what it sent.

Part 6 "Manual Action: Trigger the CSMS to ...": the case asks the DUT's trigger backend
(`dut.trigger`, e.g. the api/octt convention) for the command, then takes the CALL the CSMS
actually sent from what the emulated station received.
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator

Payload = dict[str, Any]


async def commanded(station: StationEmulator, dut: Dut, action: str, payload: Payload) -> Message:
    """Make the CSMS send `action` with `payload`; return the CALL the station received.

    Register the station's answer (`station.on(action)`) before calling this. Fails the case
    when the CSMS sends no such CALL within the profile's call timeout.
    """
    since = station.wirelog.now()
    await dut.trigger(action, payload)
    return await station.expect(action, within=dut.timeouts.call, since=since)


def field_at(payload: Payload, path: str) -> object:
    """The value at a dotted `path` (`evse.id`), or None when any part is missing."""
    value: object = payload
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def check_fields(
    check: Checks, request: Message, expected: Payload, ref: str | None = None
) -> bool:
    """Check each dotted path of `expected` in the CALL; None means the field must be absent."""
    passed = True
    for path, wanted in expected.items():
        seen = field_at(request.payload, path)
        if wanted is None:
            ok = check.must(
                seen is None,
                f"{request.action}.{path}: expected it omitted, saw {seen!r}",
                ref=ref,
            )
        else:
            ok = check.equal(seen, wanted, f"{request.action}.{path}", ref=ref)
        passed = passed and ok
    return passed
