"""`python -m harness.sim station ...`: run the reference station until SIGTERM/SIGINT or /shutdown.

When the control API listens it prints exactly one line, `READY {"control_url": ...}`, and
flushes stdout (connecting to the CSMS may still be in progress); logs go to stderr. With
`--virtual-rig` the line also carries `"rig": {instrument name: VISA resource}` of the virtual
lab's instrument servers (harness/sim/rig/lab.py), coupled to the station's physics.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from pathlib import Path

from harness.ocppj.versions import OcppVersion
from harness.sim.faults import STATION_FAULTS
from harness.sim.orphan import stop_when_orphaned
from harness.sim.rig.lab import VirtualLab
from harness.sim.station.config import StationConfig
from harness.sim.station.control import start_control
from harness.sim.station.physical import StationPlant
from harness.sim.station.station import Station
from harness.sim.station.v16 import V16
from harness.sim.station.v201 import V201
from harness.transport.wirelog import WireLog


def _seconds(text: str) -> int:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected seconds >= 0, got {text!r}")
    return round(value)


def parser() -> argparse.ArgumentParser:
    """The command line of the reference station."""
    p = argparse.ArgumentParser(prog="python -m harness.sim station", description=__doc__)
    p.add_argument("--ocpp-version", required=True, choices=("1.6", "2.0.1"))
    p.add_argument(
        "--csms-url", required=True, help="ws[s]://host:port/path/{station_id} (template)"
    )
    p.add_argument("--station-id", required=True)
    p.add_argument("--evses", type=int, default=2, help="EVSEs, one connector each")
    p.add_argument("--control-host", default="127.0.0.1")
    p.add_argument("--control-port", type=int, default=0, help="0: any free port")
    p.add_argument("--security-profile", type=int, choices=(0, 1, 2, 3), default=0)
    p.add_argument("--password", help="Basic auth password (profiles 1-2)")
    p.add_argument("--ca-cert", type=Path, help="CA that signs the CSMS certificate")
    p.add_argument("--client-cert", type=Path, help="station certificate (profile 3)")
    p.add_argument("--client-key", type=Path, help="station key (profile 3)")
    p.add_argument("--heartbeat-interval", type=_seconds, default=300)
    p.add_argument("--meter-interval", type=_seconds, default=60)
    p.add_argument("--call-timeout", type=float, default=10.0)
    p.add_argument(
        "--fixed-cable", action="store_true", help="tethered cables: no connector lock to unlock"
    )
    p.add_argument(
        "--power-backup",
        action="store_true",
        help="on power loss, stop transactions before going down (backup power)",
    )
    p.add_argument(
        "--no-reserve-connector-zero",
        action="store_true",
        help="1.6: ReserveConnectorZeroSupported false (no reservations of connector 0)",
    )
    p.add_argument(
        "--reject-reservations",
        action="store_true",
        help="configured to refuse reservations: ReserveNow is answered Rejected",
    )
    p.add_argument(
        "--fault", action="append", default=[], choices=sorted(STATION_FAULTS), metavar="NAME"
    )
    p.add_argument(
        "--virtual-rig",
        action="store_true",
        help="model the station's physics and serve the virtual lab's instruments (SCPI/TCP)",
    )
    p.add_argument("--wire-log", type=Path, help="append the wire log (JSON lines) here")
    p.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    return p


def config_from(args: argparse.Namespace) -> StationConfig:
    """Build the configuration from parsed arguments."""
    return StationConfig(
        version=OcppVersion.parse(args.ocpp_version),
        csms_url=args.csms_url,
        station_id=args.station_id,
        evses=args.evses,
        control_host=args.control_host,
        control_port=args.control_port,
        security_profile=args.security_profile,
        password=args.password,
        ca_cert=args.ca_cert,
        client_cert=args.client_cert,
        client_key=args.client_key,
        heartbeat_interval=args.heartbeat_interval,
        meter_interval=args.meter_interval,
        call_timeout=args.call_timeout,
        faults=frozenset(args.fault),
        fixed_cable=args.fixed_cable,
        power_backup=args.power_backup,
        reserve_connector_zero=not args.no_reserve_connector_zero,
        reject_reservations=args.reject_reservations,
    )


def behaviour_for(version: OcppVersion) -> type[V16] | type[V201]:
    """The behaviour class of an OCPP version."""
    return V16 if version is OcppVersion.V16 else V201


async def run(
    config: StationConfig, wire_log: Path | None = None, *, virtual_rig: bool = False
) -> None:
    """Serve until a signal or `POST /shutdown`, then stop within a few seconds."""
    wirelog = WireLog(wire_log)
    station = Station(config, wirelog, behaviour_for(config.version))
    lab: VirtualLab | None = None
    if virtual_rig:
        lab = await VirtualLab.start(StationPlant(station))
    shutdown = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, shutdown.set)
    runner, url = await start_control(station, shutdown, config.control_host, config.control_port)
    try:
        ready: dict[str, object] = {"control_url": url}
        if lab is not None:
            ready["rig"] = lab.resources()
        print("READY " + json.dumps(ready), flush=True)
        station.start()
        watcher = asyncio.create_task(stop_when_orphaned(shutdown))
        await shutdown.wait()
        watcher.cancel()
    finally:
        await station.stop()
        if lab is not None:
            await lab.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner.cleanup(), 5)
        wirelog.close()
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signum)


def main(argv: list[str]) -> int:
    """Entry point; returns the exit status (2 for bad options)."""
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level, stream=sys.stderr, format="%(asctime)s station %(message)s"
    )
    try:
        config = config_from(args)
        config.check()
    except ValueError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return 2
    asyncio.run(run(config, args.wire_log, virtual_rig=args.virtual_rig))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
