"""`python -m harness.sim csms ...`: run the reference CSMS until SIGTERM/SIGINT or /shutdown.

When both listeners are up it prints one line, `READY {"ws_url": ..., "api_url": ...}`, and
flushes stdout; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from pathlib import Path

from harness.ocppj.versions import OcppVersion
from harness.sim.csms.app import CsmsApp
from harness.sim.csms.config import BOOT_STATUSES, DEFAULT_TOKENS, CsmsConfig
from harness.sim.faults import faults_for
from harness.sim.orphan import stop_when_orphaned


def _token(text: str) -> tuple[str, str]:
    token, sep, status = text.partition("=")
    if not sep or not token or not status:
        raise argparse.ArgumentTypeError(f"expected ID=Status, got {text!r}")
    return token, status


def parser() -> argparse.ArgumentParser:
    """The command line of the reference CSMS."""
    p = argparse.ArgumentParser(prog="python -m harness.sim csms", description=__doc__)
    p.add_argument("--ocpp-version", required=True, choices=("1.6", "2.0.1"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="websocket port (0: any free port)")
    p.add_argument("--api-port", type=int, default=0, help="trigger API port (0: any)")
    p.add_argument("--path", default="/ocpp", help="URL path before /<stationId>")
    p.add_argument(
        "--station",
        action="append",
        default=[],
        help="known station id (repeat); default: accept any id",
    )
    p.add_argument(
        "--token",
        action="append",
        type=_token,
        default=[],
        metavar="ID=STATUS",
        help=f"id token status (repeat); default table {DEFAULT_TOKENS}",
    )
    p.add_argument("--heartbeat-interval", type=int, default=300)
    p.add_argument(
        "--boot-status",
        choices=BOOT_STATUSES,
        default="Accepted",
        help="answer to each station's first BootNotification; later ones Accepted",
    )
    p.add_argument(
        "--retry-interval",
        type=int,
        default=5,
        help="interval sent with a Pending/Rejected boot answer",
    )
    p.add_argument("--security-profile", type=int, choices=(0, 1, 2, 3), default=0)
    p.add_argument("--password", help="Basic auth password of every station (profiles 1-2)")
    p.add_argument("--server-cert", type=Path)
    p.add_argument("--server-key", type=Path)
    p.add_argument("--ca-cert", type=Path, help="CA of station certificates (profile 3)")
    p.add_argument("--ca-key", type=Path, help="key of --ca-cert: sign station CSRs (2.0.1 A02)")
    p.add_argument("--v2g-ca-cert", type=Path, help="V2G root signing 15118 certificates")
    p.add_argument("--v2g-ca-key", type=Path, help="key of --v2g-ca-cert")
    p.add_argument(
        "--upgrade-listener",
        action="store_true",
        help="profile 0/1: also listen with TLS for stations raised to profile 2/3 (A05)",
    )
    p.add_argument(
        "--token-group",
        action="append",
        type=_token,
        default=[],
        metavar="ID=GROUP",
        help="group id token of an id token (repeat; 2.0.1 C09, C16 master pass)",
    )
    p.add_argument("--fault", action="append", default=[], choices=sorted(faults_for("csms")))
    p.add_argument(
        "--call-timeout",
        type=float,
        default=10.0,
        help="seconds the CSMS waits for a station's answer",
    )
    p.add_argument("--wire-log", type=Path, help="append the wire log (JSON lines) here")
    p.add_argument("--quiet", action="store_true", help="do not echo the wire log on stderr")
    return p


def config_from(args: argparse.Namespace) -> CsmsConfig:
    """Build the configuration from parsed arguments."""
    return CsmsConfig(
        version=OcppVersion.parse(args.ocpp_version),
        host=args.host,
        port=args.port,
        api_port=args.api_port,
        path=args.path,
        stations=tuple(args.station),
        tokens=dict(args.token) if args.token else dict(DEFAULT_TOKENS),
        heartbeat_interval=args.heartbeat_interval,
        boot_status=args.boot_status,
        retry_interval=args.retry_interval,
        security_profile=args.security_profile,
        password=args.password,
        server_cert=args.server_cert,
        server_key=args.server_key,
        ca_cert=args.ca_cert,
        ca_key=args.ca_key,
        v2g_ca_cert=args.v2g_ca_cert,
        v2g_ca_key=args.v2g_ca_key,
        token_groups=dict(args.token_group),
        upgrade_listener=args.upgrade_listener,
        faults=frozenset(args.fault),
        call_timeout=args.call_timeout,
        wire_log=args.wire_log,
        verbose=not args.quiet,
    )


async def run(config: CsmsConfig) -> None:
    """Serve until a signal or `POST /shutdown`, then stop within a few seconds."""
    app = CsmsApp(config)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, app.stop_requested.set)
    try:
        ready = await app.start()
        print("READY " + json.dumps(ready), flush=True)
        watcher = asyncio.create_task(stop_when_orphaned(app.stop_requested))
        await app.stop_requested.wait()
        watcher.cancel()
    finally:
        await app.stop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signum)


def main(argv: list[str]) -> int:
    """Entry point; returns the exit status (2 for bad options)."""
    args = parser().parse_args(argv)
    try:
        config = config_from(args)
        config.check()
    except ValueError as exc:
        print(f"csms: {exc}", file=sys.stderr)
        return 2
    asyncio.run(run(config))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
