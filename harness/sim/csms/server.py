"""Websocket acceptance of the reference CSMS: station ids, subprotocol, security profiles.

`ws[s]://host:port/<path>/<stationId>` (a trailing slash is tolerated), OCPP-J 1.6 §3 /
2.0.1 Part 4 §3. Security profiles per the 1.6 security whitepaper §2 and 2.0.1 A00:
1 Basic auth, 2 TLS + Basic auth, 3 mutual TLS with the certificate CN equal to the station id.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Coroutine, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from harness.ocppj.versions import OcppVersion
from harness.sim.csms import security_profiles, v16_security, v16_tls
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.link import StationLink
from harness.transport.tls import parse_basic_auth, peer_common_name, server_context


def station_id_from_path(prefix: str, raw_path: str) -> str | None:
    """The station id in `<prefix>/<id>[/]`, or None when the path has another shape."""
    path = urlsplit(raw_path).path
    head = prefix.rstrip("/") + "/"
    if not path.startswith(head):
        return None
    rest = path[len(head) :].rstrip("/")
    return unquote(rest) if rest and "/" not in rest else None


def basic_auth_ok(ctx: CsmsContext, station_id: str, header: str | None) -> bool:
    """Check HTTP Basic credentials: user = station id, password = the station's password.

    A00.FR.204 (TC_A_01/02/03_CSMS); 1.6 security whitepaper §2.3. Fault
    `accept-wrong-username` skips the user check, `accept-any-password` the password check.
    """
    credentials = parse_basic_auth(header)
    if credentials is None:
        return False
    user, password = credentials
    expected = ctx.registry.password_for(station_id)
    user_ok = user == station_id or ctx.fault("accept-wrong-username")
    password_ok = (
        expected is not None and v16_security.password_matches(ctx, password, expected)
    ) or ctx.fault("accept-any-password")
    return user_ok and password_ok


def tls_context(ctx: CsmsContext, profile: int | None = None) -> ssl.SSLContext | None:
    """The server TLS context for profiles 2 and 3 (TLS 1.2 minimum), None for 0 and 1.

    `profile` is the listener's profile (default: the configured one).
    """
    config = ctx.config
    profile = config.security_profile if profile is None else profile
    if profile < 2:
        return None
    assert config.server_cert is not None and config.server_key is not None
    mutual = profile == 3
    legacy = ctx.version is OcppVersion.V201 and ctx.fault("a201-tls-legacy-accepted")
    legacy = legacy or (ctx.version is OcppVersion.V16 and ctx.fault("sec16-tls-legacy"))
    context = server_context(
        config.server_cert,
        config.server_key,
        # Profile 2 asks for an optional client certificate: a station raised to profile 3
        # over OCPP (whitepaper A05) presents it on the same listener.
        config.ca_cert,
        require_client_cert=mutual,
        # Fault a201-tls-legacy-accepted: TLS 1.0/1.1 handshakes complete (A00.FR.314/418).
        minimum_version=ssl.TLSVersion.TLSv1 if legacy else ssl.TLSVersion.TLSv1_2,
    )
    if ctx.version is OcppVersion.V16:
        v16_tls.add_rsa_twin(config, context, legacy=legacy)  # TLS_RSA suites, A00.FR.317
    return context


class WebsocketServer:
    """Accept stations into `ctx.links`; one live connection per station id."""

    def __init__(self, ctx: CsmsContext, profile: int | None = None) -> None:
        self.ctx = ctx
        #: The security profile this listener serves (a TLS listener also serves profile 3).
        self.profile = ctx.config.security_profile if profile is None else profile
        self.ssl_context = tls_context(ctx, self.profile)
        self.port = ctx.config.port if profile is None else 0
        self._server: Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        """Base URL; a station appends `/<stationId>`."""
        scheme = "wss" if self.ssl_context is not None else "ws"
        path = self.ctx.config.path.rstrip("/")
        return f"{scheme}://{self.ctx.config.host}:{self.port}{path}"

    async def start(self) -> None:
        """Bind and listen; `port` becomes the bound port."""
        self._server = await serve(
            self._handle,
            self.ctx.config.host,
            self.ctx.config.port,
            ssl=self.ssl_context,
            subprotocols=[Subprotocol(self.ctx.version.subprotocol)],
            select_subprotocol=self._select_subprotocol,
            process_request=self._process_request,
            ping_interval=None,
            open_timeout=10,
            close_timeout=5,
            max_size=4 * 1024 * 1024,
        )
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        served = (2, 3) if self.ssl_context is not None else (self.profile,)
        for profile in served:
            self.ctx.endpoints.setdefault(profile, self.url)
        self.ctx.wirelog.record("connection", f"reference CSMS listening on {self.url}")

    async def close(self) -> None:
        """Stop listening and close every station connection, bounded."""
        if self._server is None:
            return
        self._server.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._server.wait_closed(), 5)
        self._server = None

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse unknown ids (404), wrong client certificates (403), wrong credentials (401)."""
        ctx = self.ctx
        ctx.wirelog.record("connection", f"handshake: GET {request.path}")
        station_id = station_id_from_path(ctx.config.path, request.path)
        if station_id is None or not ctx.registry.is_known(station_id):
            return self._refuse(connection, 404, "unknown charging station identity")
        profile = security_profiles.expected_profile(ctx, station_id)
        if self._below(profile):
            # A05.FR.07 (TC_A_19_CSMS): no lower profile once the station was raised.
            return self._refuse(
                connection, 403, f"{station_id} must use security profile {profile} (TLS)"
            )
        if profile == 3:
            common_name = peer_common_name(connection.transport.get_extra_info("ssl_object"))
            unchecked = ctx.version is OcppVersion.V201 and ctx.fault("a201-client-cn-unchecked")
            # Fault sec16-accepts-lower-profile: after an upgrade, Basic auth still admits.
            unchecked = unchecked or (
                security_profiles.lower_profile_tolerated(ctx, station_id)
                and basic_auth_ok(ctx, station_id, request.headers.get("Authorization"))
            )
            if common_name != station_id and not unchecked:
                # A00.FR.405 (1.6 whitepaper §2.5): the certificate must name the station.
                return self._refuse(
                    connection, 403, f"certificate CN {common_name!r} is not {station_id!r}"
                )
        elif profile in (1, 2) and not basic_auth_ok(
            ctx, station_id, request.headers.get("Authorization")
        ):
            response = self._refuse(connection, 401, "Basic authentication failed")
            response.headers["WWW-Authenticate"] = 'Basic realm="OCPP", charset="UTF-8"'
            return response
        return None

    def _below(self, expected: int) -> bool:
        """True when a 2.0.1 station raised to TLS (profile 2/3) comes to a TLS-less listener.

        Fault `a201-downgrade-accepted` lets it in anyway.
        """
        return (
            expected >= 2
            and self.ssl_context is None
            and self.ctx.version is OcppVersion.V201
            and not self.ctx.fault("a201-downgrade-accepted")
        )

    def _refuse(self, connection: ServerConnection, status: int, reason: str) -> Response:
        self.ctx.wirelog.record("connection", f"handshake refused: HTTP {status} {reason}")
        return connection.respond(status, reason + "\n")

    def _select_subprotocol(
        self, _connection: ServerConnection, offered: Sequence[Subprotocol]
    ) -> Subprotocol | None:
        """Select only this CSMS's version (OCPP-J §3.1.2); None when it was not offered."""
        wanted = self.ctx.version.subprotocol
        if self.ctx.version is OcppVersion.V16 and self.ctx.fault("sec16-subprotocol-ignored"):
            return None
        return Subprotocol(wanted) if wanted in offered else None

    async def _handle(self, connection: ServerConnection) -> None:
        request = connection.request
        station_id = station_id_from_path(self.ctx.config.path, request.path if request else "")
        if station_id is None:  # cannot happen: _process_request refused such paths
            await connection.close(1011, "no station id")
            return
        ignored = self.ctx.version is OcppVersion.V201 and self.ctx.fault(
            "b201-subprotocol-ignored"
        )
        ignored = ignored or (
            self.ctx.version is OcppVersion.V16 and self.ctx.fault("sec16-subprotocol-ignored")
        )
        if connection.subprotocol is None and not ignored:
            # OCPP-J §3.2: complete the handshake without a subprotocol, then close at once.
            self.ctx.wirelog.record("connection", f"{station_id}: no common subprotocol, closing")
            await connection.close(1002, "no common OCPP subprotocol")
            return
        record = self.ctx.registry.get(station_id)
        record.connections += 1
        link = StationLink(self.ctx, record, connection, f"{station_id}#{record.connections}")
        previous = self.ctx.links.get(station_id)
        self.ctx.links[station_id] = link
        if previous is not None and not previous.closed:
            self._background(previous.close(1000, "replaced by a new connection"))
        self.ctx.wirelog.record(
            "connection", f"{station_id} connected", connection=link.connection.label
        )
        try:
            await link.run()
        finally:
            if self.ctx.links.get(station_id) is link:
                del self.ctx.links[station_id]

    def _background(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
