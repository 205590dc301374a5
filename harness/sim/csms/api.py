"""The trigger API through which test cases make the reference CSMS act (FIELD_NOTES).

* `POST /api/octt/{version}/{stationId}/{action}`: 1.6 and 2.0.1 actions in kebab case
  (`remote-start-transaction`, `reset`, ...) with the OCPP payload as body; helpers
  `set-pending-boot`, `update-basic-auth-password`; 2.0.1 also names `set-variables`,
  `get-variables`, `trigger-message` this way.
* `POST /api/octt/{version}/{stationId}/call/{OcppAction}`: any CSMS-initiated action.
* `POST /api/octt/set-basic-auth-password {"station_id","password"}`,
  `POST /api/octt/create-token {"token_id","status"}`.
* `GET /api/stations`, `POST /shutdown`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from harness.ocppj.versions import OcppVersion
from harness.sim.csms import commands, handlers_v16, handlers_v201, v201_outgoing
from harness.sim.csms.commands import CommandError
from harness.sim.csms.context import CsmsContext

Payload = dict[str, Any]
CONTEXT = web.AppKey("context", CsmsContext)
STOP = web.AppKey("stop", asyncio.Event)


def build_app(ctx: CsmsContext, stop: asyncio.Event) -> web.Application:
    """The aiohttp application of one CSMS; setting `stop` asks the process to exit."""
    app = web.Application(middlewares=[_errors])
    app[CONTEXT] = ctx
    app[STOP] = stop
    app.add_routes(
        [
            web.get("/api/stations", stations),
            web.post("/shutdown", shutdown),
            web.post("/api/octt/set-basic-auth-password", set_basic_auth_password),
            web.post("/api/octt/create-token", create_token),
            web.post("/api/octt/{version}/{station_id}/call/{ocpp_action}", call_action),
            web.post("/api/octt/{version}/{station_id}/{action}", named_action),
        ]
    )
    return app


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Turn CommandError into a JSON error answer with its HTTP status."""
    try:
        response: web.StreamResponse = await handler(request)
    except CommandError as exc:
        return web.json_response(
            {"status": "error", "error": {"code": str(exc.status), "description": exc.message}},
            status=exc.status,
        )
    return response


async def _body(request: web.Request) -> Payload:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CommandError(400, f"body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise CommandError(400, f"body must be a JSON object, not {type(body).__name__}")
    return body


def _context(request: web.Request) -> CsmsContext:
    ctx = request.app[CONTEXT]
    version = request.match_info.get("version")
    if version is not None and version != ctx.version.value:
        raise CommandError(400, f"this CSMS speaks OCPP {ctx.version.value}, not {version}")
    return ctx


async def stations(request: web.Request) -> web.Response:
    """List the known stations: connection, boot state, connectors, transactions."""
    ctx = _context(request)
    listing = [
        record.as_json(ctx.link(station_id) is not None)
        for station_id, record in ctx.registry.stations.items()
    ]
    return web.json_response({"version": ctx.version.value, "stations": listing})


async def shutdown(request: web.Request) -> web.Response:
    """Ask the process to exit cleanly."""
    request.app[STOP].set()
    return web.json_response({"status": "stopping"})


async def set_basic_auth_password(request: web.Request) -> web.Response:
    """Set (and make known) a station's Basic auth password."""
    ctx = _context(request)
    body = await _body(request)
    station_id, password = body.get("station_id"), body.get("password")
    if not isinstance(station_id, str) or not isinstance(password, str) or not station_id:
        raise CommandError(400, 'body must be {"station_id": str, "password": str}')
    ctx.registry.add(station_id).password = password
    return web.json_response({"status": "ok"})


async def create_token(request: web.Request) -> web.Response:
    """Add or change an id token in the token table (status default Accepted)."""
    ctx = _context(request)
    body = await _body(request)
    token, status = body.get("token_id"), body.get("status", "Accepted")
    allowed = (
        handlers_v16.TOKEN_STATUSES
        if ctx.version is OcppVersion.V16
        else handlers_v201.TOKEN_STATUSES
    )
    if not isinstance(token, str) or not token or status not in allowed:
        raise CommandError(
            400, f'body must be {{"token_id": str, "status": one of {sorted(allowed)}}}'
        )
    ctx.tokens.statuses[token] = status
    return web.json_response({"status": "ok"})


async def _send(ctx: CsmsContext, station_id: str, action: str, payload: Payload) -> Payload:
    """Send a command; a 2.0.1 CSMS shapes it first (requestIds, ItemsPerMessage, B06/B07)."""
    if ctx.version is OcppVersion.V201:
        return await v201_outgoing.send(ctx, station_id, action, payload)
    return await commands.send(ctx, station_id, action, payload)


async def call_action(request: web.Request) -> web.Response:
    """Send any CSMS-initiated action named in OCPP spelling."""
    ctx = _context(request)
    action = commands.resolve_action(ctx.version, request.match_info["ocpp_action"])
    body = await _body(request)
    station_id = request.match_info["station_id"]
    return web.json_response(await _send(ctx, station_id, action, body))


async def named_action(request: web.Request) -> web.Response:
    """Run a helper, or send the action named in kebab case."""
    ctx = _context(request)
    name = request.match_info["action"]
    station_id = request.match_info["station_id"]
    body = await _body(request)
    if name == "set-pending-boot":
        return web.json_response(commands.set_pending_boot(ctx, station_id, body))
    if name == "update-basic-auth-password":
        password = body.get("password")
        if not isinstance(password, str) or not password:
            raise CommandError(400, 'body must be {"password": str}')
        action, payload = commands.password_change(ctx.version, password)
        return web.json_response(await _send(ctx, station_id, action, payload))
    action = commands.resolve_action(ctx.version, name)
    return web.json_response(await _send(ctx, station_id, action, body))
