"""The shared state of one running reference CSMS: settings, registry, tokens, live links."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from harness.sim.csms.config import CsmsConfig
from harness.sim.csms.state import Registry, TokenTable
from harness.sim.faults import CSMS_FAULTS
from harness.transport.wirelog import WireEntry, WireLog

if TYPE_CHECKING:
    from harness.sim.csms.link import StationLink


class EchoWireLog(WireLog):
    """A wire log that also writes each entry to stderr (the simulator's log file)."""

    def record(
        self,
        kind: str,
        text: str,
        *,
        direction: str | None = None,
        connection: str | None = None,
    ) -> WireEntry:
        """Append the entry, then echo it as one line on stderr."""
        entry = super().record(kind, text, direction=direction, connection=connection)
        print(entry.render(), file=sys.stderr, flush=True)
        return entry


def check_faults(names: frozenset[str]) -> None:
    """Raise ValueError for a fault name that is not a CSMS fault in the registry."""
    unknown = sorted(n for n in names if n not in CSMS_FAULTS)
    if unknown:
        raise ValueError(f"unknown CSMS fault(s) {unknown}; known: {sorted(CSMS_FAULTS)}")


class CsmsContext:
    """Everything the websocket side and the trigger API share."""

    def __init__(self, config: CsmsConfig, wirelog: WireLog | None = None) -> None:
        config.check()
        check_faults(config.faults)
        self.config = config
        self.version = config.version
        self.faults = config.faults
        if wirelog is None:
            log_class = EchoWireLog if config.verbose else WireLog
            wirelog = log_class(config.wire_log)
        self.wirelog = wirelog
        self.registry = Registry(
            config.stations,
            default_password=config.password,
            first_boot_status=config.boot_status,
            retry_interval=config.retry_interval,
        )
        self.tokens = TokenTable(
            config.tokens,
            invalid_for_valid=self.fault("auth-invalid-for-valid"),
            groups=config.token_groups,
        )
        self.links: dict[str, StationLink] = {}
        #: Base websocket URL (no station id) per security profile served, set by the server.
        self.endpoints: dict[int, str] = {}

    def fault(self, name: str) -> bool:
        """True when the fault switch `name` is on (see harness/sim/faults.py)."""
        return name in self.faults

    def link(self, station_id: str) -> StationLink | None:
        """The open connection of a station, or None when it is not connected."""
        link = self.links.get(station_id)
        if link is None or link.closed:
            return None
        return link
