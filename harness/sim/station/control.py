"""HTTP control API of the reference station: the local actions a lab would do by hand.

JSON in and out on loopback. Success is `200 {"ok": true, ...}`; a bad request is
`4xx {"error": "..."}`. Actions on an EVSE are queued behind that EVSE's earlier actions and
answered at once; what the station then says over OCPP follows asynchronously.

    POST /plug_in {"evse": 1, "connector": 1}      POST /unplug {"evse": 1}
    POST /present_token {"evse": 1, "id_token": "04A2B3C4D5E6F7", "token_type": "ISO14443"}
    POST /ev_suspend {"evse": 1}                    POST /ev_resume {"evse": 1}
    POST /lock_failure {"evse": 1, "failing": true}
    POST /connector_fault {"evse": 1, "error_code": "GroundFailure"}   (null clears it)
    POST /power_cycle {"close_frame": false}        POST /reboot
    POST /go_offline                                POST /go_online
    POST /shutdown                                  GET /state
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from harness.sim.station.model import EvseModel
from harness.sim.station.station import Station

Route = Callable[[Station, dict[str, Any]], Awaitable[dict[str, Any]]]


class BadRequest(Exception):
    """The request cannot be carried out; the message says why."""


def _evse(station: Station, body: dict[str, Any]) -> EvseModel:
    number = body.get("evse", 1)
    if not isinstance(number, int) or number not in station.evses:
        raise BadRequest(f"evse must be one of {sorted(station.evses)}, got {number!r}")
    if body.get("connector", 1) != 1:
        raise BadRequest(f"each EVSE has connector 1 only, got {body.get('connector')!r}")
    return station.evses[number]


async def plug_in(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Plug an EV into the EVSE."""
    evse = _evse(station, body)
    station.evse_event(evse.id, station.behaviour.plug_in)
    return {"evse": evse.id}


async def unplug(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Unplug the EV."""
    evse = _evse(station, body)
    station.evse_event(evse.id, station.behaviour.unplug)
    return {"evse": evse.id}


async def present_token(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Present an id token at the EVSE's reader."""
    evse = _evse(station, body)
    token = body.get("id_token")
    kind = body.get("token_type", "ISO14443")
    if not isinstance(token, str) or not 1 <= len(token) <= 20:
        raise BadRequest(f"id_token must be a string of 1-20 characters, got {token!r}")
    if not isinstance(kind, str):
        raise BadRequest(f"token_type must be a string, got {kind!r}")

    async def present(evse: EvseModel) -> None:
        await station.behaviour.present_token(evse, token, kind)

    station.evse_event(evse.id, present)
    return {"evse": evse.id, "id_token": token}


def _suspend(suspended: bool) -> Route:
    async def route(station: Station, body: dict[str, Any]) -> dict[str, Any]:
        evse = _evse(station, body)
        if not evse.plugged:
            raise BadRequest(f"no EV is plugged into EVSE {evse.id}")

        async def apply(evse: EvseModel) -> None:
            await station.behaviour.ev_suspend(evse, suspended)

        station.evse_event(evse.id, apply)
        return {"evse": evse.id, "suspended": suspended}

    return route


async def lock_failure(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Make the connector lock of the EVSE fail (or work again with failing=false)."""
    evse = _evse(station, body)
    evse.lock_fails = bool(body.get("failing", True))
    return {"evse": evse.id, "lock_fails": evse.lock_fails}


async def connector_fault(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Raise a connector fault with a 1.6 ChargePointErrorCode, or clear it (error_code null)."""
    from harness.sim.station.v16 import V16

    evse = _evse(station, body)
    error = body.get("error_code", "GroundFailure")
    if not isinstance(station.behaviour, V16):
        raise BadRequest("connector_fault is implemented for OCPP 1.6 only")
    if error is not None and not (isinstance(error, str) and error and error != "NoError"):
        raise BadRequest(f"error_code must be a ChargePointErrorCode or null, got {error!r}")
    v16 = station.behaviour

    async def apply(evse: EvseModel) -> None:
        await v16.connector_fault(evse, error)

    station.evse_event(evse.id, apply)
    return {"evse": evse.id, "error_code": error}


async def power_cycle(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Cut power: drop the link (no close frame unless asked), boot again with PowerUp."""
    close_frame = bool(body.get("close_frame", False))
    await station.reboot("PowerUp", cause="PowerLoss", close_frame=close_frame)
    return {"close_frame": close_frame}


async def reboot(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Reboot by local means: stop transactions (Reboot), close, boot with LocalReset."""
    station.spawn(station.reboot("LocalReset", cause="Reboot", close_frame=True))
    return {}


async def go_offline(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Close the websocket and stay offline."""
    await station.go_offline()
    return {}


async def go_online(station: Station, body: dict[str, Any]) -> dict[str, Any]:
    """Connect again."""
    station.go_online()
    return {}


ROUTES: dict[str, Route] = {
    "plug_in": plug_in,
    "unplug": unplug,
    "present_token": present_token,
    "ev_suspend": _suspend(True),
    "ev_resume": _suspend(False),
    "lock_failure": lock_failure,
    "connector_fault": connector_fault,
    "power_cycle": power_cycle,
    "reboot": reboot,
    "go_offline": go_offline,
    "go_online": go_online,
}


def make_app(station: Station, shutdown: asyncio.Event) -> web.Application:
    """The aiohttp application; `POST /shutdown` sets `shutdown`."""

    async def action(request: web.Request) -> web.Response:
        route = ROUTES.get(request.match_info["action"])
        if route is None:
            return _error(404, f"no action {request.match_info['action']!r}")
        try:
            body = await _body(request)
            result = await route(station, body)
        except BadRequest as exc:
            return _error(400, str(exc))
        return web.json_response({"ok": True, **result})

    async def stop(_request: web.Request) -> web.Response:
        shutdown.set()
        return web.json_response({"ok": True})

    async def state(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True, **station.state()})

    app = web.Application()
    app.router.add_get("/state", state)
    app.router.add_post("/shutdown", stop)
    app.router.add_post("/{action}", action)
    return app


async def _body(request: web.Request) -> dict[str, Any]:
    text = await request.text()
    if not text.strip():
        return {}
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise BadRequest(f"body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def start_control(
    station: Station, shutdown: asyncio.Event, host: str, port: int
) -> tuple[web.AppRunner, str]:
    """Serve the control API; return the runner (for cleanup) and its base URL."""
    runner = web.AppRunner(make_app(station, shutdown), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0]
    return runner, f"http://{bound[0]}:{bound[1]}"
