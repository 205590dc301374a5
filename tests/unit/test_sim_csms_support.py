"""Helpers shared by the reference-CSMS tests (no tests here): run it, connect stations, POST.

The CSMS runs in-process on loopback with short timeouts; stations are the harness's own
`StationEmulator`, so both sides of every exchange are checked by the OCPP-J core.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from harness.ocppj.versions import OcppVersion
from harness.roles.station import StationEmulator
from harness.sim.csms.app import CsmsApp
from harness.sim.csms.config import CsmsConfig
from harness.transport.client import ClientSecurity
from harness.transport.wirelog import WireLog

V16 = OcppVersion.V16
V201 = OcppVersion.V201
VALID, INVALID, BLOCKED, EXPIRED = (
    "04A2B3C4D5E6F7",
    "0BADBADBADBAD0",
    "0B10C4ED0B10C4",
    "0E4B14ED0E4B14",
)
#: Seconds the CSMS waits for a station's answer to a trigger API call in these tests.
CSMS_CALL_TIMEOUT = 2.0


@asynccontextmanager
async def running_csms(version: OcppVersion, **settings: Any) -> AsyncIterator[CsmsApp]:
    """Run a reference CSMS for the duration of the block."""
    settings.setdefault("call_timeout", CSMS_CALL_TIMEOUT)
    settings.setdefault("heartbeat_interval", 60)
    app = CsmsApp(CsmsConfig(version=version, **settings))
    await app.start()
    try:
        yield app
    finally:
        await app.stop()


def make_station(
    app: CsmsApp,
    station_id: str = "CS001",
    *,
    security: ClientSecurity | None = None,
    call_timeout: float = 2.0,
) -> StationEmulator:
    """A station emulator aimed at the CSMS (not yet connected)."""
    return StationEmulator(
        app.ctx.version,
        WireLog(),
        station_id=station_id,
        url_template=app.ws_url + "/{station_id}",
        call_timeout=call_timeout,
        open_timeout=2.0,
        reconnect_delay=0.1,
        security=security,
    )


@asynccontextmanager
async def connected(
    app: CsmsApp, station_id: str = "CS001", **kwargs: Any
) -> AsyncIterator[StationEmulator]:
    """A connected station emulator, closed at the end of the block."""
    station = make_station(app, station_id, **kwargs)
    await station.connect()
    try:
        yield station
    finally:
        await station.aclose()


async def post(app: CsmsApp, route: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """POST JSON to the trigger API; return (HTTP status, decoded body)."""
    timeout = aiohttp.ClientTimeout(total=CSMS_CALL_TIMEOUT + 3)
    async with (
        aiohttp.ClientSession(timeout=timeout) as http,
        http.post(app.api_url + route, json=body or {}) as response,
    ):
        return response.status, await response.json()


async def get(app: CsmsApp, route: str) -> Any:
    """GET JSON from the trigger API."""
    timeout = aiohttp.ClientTimeout(total=5)
    async with aiohttp.ClientSession(timeout=timeout) as http, http.get(app.api_url + route) as r:
        assert r.status == 200, await r.text()
        return await r.json()


def id_token(token: str) -> dict[str, str]:
    """A 2.0.1 IdTokenType of type ISO14443."""
    return {"idToken": token, "type": "ISO14443"}
