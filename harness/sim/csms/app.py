"""Start and stop a whole reference CSMS (websocket side and trigger API) in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiohttp import web

from harness.sim.csms.api import build_app
from harness.sim.csms.config import CsmsConfig
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.server import WebsocketServer
from harness.transport.wirelog import WireLog


class CsmsApp:
    """A reference CSMS: `await start()` returns the READY announcement, `await stop()` ends it.

    `stop_requested` is set by `POST /shutdown`; the process entry point waits on it.
    """

    def __init__(self, config: CsmsConfig, wirelog: WireLog | None = None) -> None:
        self.ctx = CsmsContext(config, wirelog)
        self.stop_requested = asyncio.Event()
        self.websockets = WebsocketServer(self.ctx)
        #: A TLS listener beside a profile 0/1 one, for stations raised to 2/3 (2.0.1 A05).
        self.upgrade: WebsocketServer | None = None
        if config.upgrade_listener and config.security_profile < 2:
            self.upgrade = WebsocketServer(self.ctx, profile=2)
        self._runner: web.AppRunner | None = None
        self.api_url = ""

    @property
    def ws_url(self) -> str:
        """Base websocket URL; stations connect to `ws_url + "/" + station_id`."""
        return self.websockets.url

    async def start(self) -> dict[str, Any]:
        """Listen on both ports; return `{"ws_url", "api_url"}`."""
        config = self.ctx.config
        await self.websockets.start()
        if self.upgrade is not None:
            await self.upgrade.start()
        runner = web.AppRunner(
            build_app(self.ctx, self.stop_requested),
            access_log=None,
            handle_signals=False,
            shutdown_timeout=2,
        )
        await runner.setup()
        site = web.TCPSite(runner, config.host, config.api_port)
        await site.start()
        self._runner = runner
        port = runner.addresses[0][1]
        self.api_url = f"http://{config.host}:{port}"
        self.ctx.wirelog.record("connection", f"trigger API on {self.api_url}")
        return {"ws_url": self.ws_url, "api_url": self.api_url}

    async def stop(self) -> None:
        """Close station connections and both listeners, each step bounded."""
        for link in list(self.ctx.links.values()):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(link.close(1001, "CSMS shutting down"), 5)
        await self.websockets.close()
        if self.upgrade is not None:
            await self.upgrade.close()
        if self._runner is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._runner.cleanup(), 5)
            self._runner = None
        self.ctx.wirelog.close()

    async def __aenter__(self) -> CsmsApp:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
