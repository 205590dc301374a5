"""Bodies of the negative conformance cases (testcases/negative/), per DUT role.

A station under test is first let connect and boot (the harness plays the CSMS); a CSMS under
test is first booted by the emulated station. Then the mutations of one action's request
(OCPP-J 1.6 §4.2.3, 2.0.1 Part 4 §4.2.3 / §4.3) or the framing mutations (§4.1) are sent, each
graded by harness/fuzz/negative_run.py. After the DUT closed the connection, a station under
test is waited for until it reconnects; against a CSMS under test the emulated station
reconnects after the profile's reconnect delay and boots again.
"""

from __future__ import annotations

import uuid
from contextlib import suppress

from harness.cases.checks import Checks
from harness.cases.states import csms_v16, csms_v201, station_v16, station_v201
from harness.dut.device import Dut
from harness.fuzz.mutations import Mutation, framing_mutations, payload_mutations
from harness.fuzz.negative_run import MutationRunner
from harness.ocppj.versions import OcppVersion
from harness.outcomes import ExpectationFailed
from harness.roles.csms import CsmsEmulator
from harness.roles.station import StationEmulator
from harness.transport.client import ConnectFailed

#: Seconds to wait, after a station under test reconnects, for a BootNotification it may send.
REBOOT_SETTLE = 0.5


def new_id() -> str:
    """A fresh MessageId (36 characters, unique on every connection: 2.0.1 Part 4 §4.1.4)."""
    return str(uuid.uuid4())


def _mutations(version: OcppVersion, action: str | None) -> list[Mutation]:
    if action is None:
        return framing_mutations(version, new_id)
    return payload_mutations(version, action, new_id)


async def against_station(csms: CsmsEmulator, dut: Dut, check: Checks, action: str | None) -> None:
    """Send the mutations of `action` (None: the framing ones) to a station under test."""
    states = station_v16 if csms.version is OcppVersion.V16 else station_v201
    await states.idle(csms, dut)

    async def reconnected() -> None:
        mark = csms.wirelog.now()
        await csms.wait_connected(within=dut.timeouts.connect)
        with suppress(ExpectationFailed):  # a station that reboots on reconnecting boots now
            await csms.expect("BootNotification", within=REBOOT_SETTLE, since=mark)

    runner = MutationRunner(csms, dut, check, reconnected)
    await runner.run(_mutations(csms.version, action))


async def against_csms(
    station: StationEmulator, dut: Dut, check: Checks, action: str | None
) -> None:
    """Send the mutations of `action` (None: the framing ones) to a CSMS under test."""
    states = csms_v16 if station.version is OcppVersion.V16 else csms_v201
    await states.booted(station, dut, check)

    async def reconnected() -> None:
        try:
            await station.connect()
        except ConnectFailed as refused:
            raise ExpectationFailed(
                f"expected the CSMS to accept the station again; it refused: {refused}",
                timeline=station.wirelog.timeline(),
            ) from refused
        boot = await station.boot()
        check.must(
            boot.get("status") == "Accepted",
            f"BootNotification after reconnecting: expected Accepted, saw {boot.describe()}",
        )

    runner = MutationRunner(station, dut, check, reconnected)
    await runner.run(_mutations(station.version, action))
