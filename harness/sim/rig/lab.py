"""Start the virtual lab of one station: its AC source, and per EVSE an analyzer and an EV.

Instrument names match `rigs/virtual.toml`: `mains` (Chroma 61800 feeding the station),
`meter<n>` (WT300E on EVSE n's outlet), `ev<n>` (EV emulator on EVSE n, connector 1). The
station prints `{"rig": {name: VISA resource}}` in its READY line; the harness fills those
resources into the rig description (`RigDescription.with_resources`).
"""

from __future__ import annotations

import contextlib

from harness.sim.rig.ac_source import VirtualChroma61800
from harness.sim.rig.analyzer import VirtualWt300e
from harness.sim.rig.ev import VirtualEv
from harness.sim.rig.scpi import ScpiInstrument
from harness.sim.rig.server import InstrumentServer, IoLog
from harness.sim.station.physical import Plant


def instruments(plant: Plant) -> dict[str, ScpiInstrument]:
    """The virtual instruments of `plant`, by rig-file name."""
    found: dict[str, ScpiInstrument] = {"mains": VirtualChroma61800(plant)}
    for number, electrical in sorted(plant.electrical.items()):
        found[f"meter{number}"] = VirtualWt300e(electrical, f"VIRT-WT300E-{number}")
        found[f"ev{number}"] = VirtualEv(plant, number)
    return found


class VirtualLab:
    """The running instrument servers of one plant."""

    def __init__(self, servers: list[InstrumentServer]) -> None:
        self.servers = servers

    @classmethod
    async def start(cls, plant: Plant, on_io: IoLog | None = None) -> VirtualLab:
        """Serve every instrument on an ephemeral loopback port."""
        lab = cls([InstrumentServer(n, i, on_io) for n, i in instruments(plant).items()])
        try:
            for server in lab.servers:
                await server.start()
        except BaseException:
            await lab.close()
            raise
        return lab

    def resources(self) -> dict[str, str]:
        """Instrument name -> `TCPIP0::127.0.0.1::<port>::SOCKET`."""
        return {server.name: server.resource for server in self.servers}

    async def close(self) -> None:
        """Stop every server (bounded per server)."""
        for server in self.servers:
            with contextlib.suppress(Exception):
                await server.close()
