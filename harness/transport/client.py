"""The harness as charging station: a websockets client that connects to the CSMS under test.

The URL comes from a template with `{station_id}` because CSMSs differ in prefixes and trailing
slashes (FIELD_NOTES). OCPP-J 1.6 §3.1, 2.0.1 Part 4 §3.1; security profiles 1-3 per the 1.6
security whitepaper §2 and OCPP 2.0.1 Part 2 A00.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from harness.ocppj.deviations import Deviation, Level
from harness.ocppj.versions import OcppVersion
from harness.transport.tls import basic_auth_header
from harness.transport.wirelog import WireLog


class ConnectFailed(Exception):
    """The CSMS did not accept the websocket; `status` is the HTTP status when there was one."""

    def __init__(
        self, message: str, status: int | None = None, *, certificate_rejected: bool = False
    ) -> None:
        super().__init__(message)
        self.status = status
        #: The TLS handshake failed because the CSMS certificate did not verify.
        self.certificate_rejected = certificate_rejected


@dataclass(frozen=True, slots=True)
class ClientSecurity:
    """Security profile settings of the harness-as-station endpoint."""

    profile: int = 0
    username: str | None = None
    password: str | None = None
    ssl_context: ssl.SSLContext | None = None


def station_url(template: str, station_id: str) -> str:
    """Fill `{station_id}` (URL-quoted) into a URL template."""
    return template.replace("{station_id}", quote(station_id, safe=""))


async def open_station_connection(
    url: str,
    version: OcppVersion,
    wirelog: WireLog,
    *,
    security: ClientSecurity,
    open_timeout: float,
    subprotocols: tuple[str, ...] | None = None,
) -> tuple[ClientConnection, list[Deviation]]:
    """Connect as a station; return the websocket and handshake deviations of the CSMS.

    `subprotocols` overrides what is offered (negative tests); by default only the version's.
    Raises ConnectFailed when the handshake fails or times out.
    """
    offered = subprotocols if subprotocols is not None else (version.subprotocol,)
    headers = {}
    if security.password is not None:
        headers["Authorization"] = basic_auth_header(security.username or "", security.password)
    wirelog.record("connection", f"connecting to {url} offering {list(offered)}")
    try:
        websocket = await connect(
            url,
            subprotocols=[Subprotocol(p) for p in offered] or None,
            additional_headers=headers,
            ssl=security.ssl_context if url.startswith("wss:") else None,
            open_timeout=open_timeout,
            ping_interval=None,
            max_size=4 * 1024 * 1024,
            proxy=None,
        )
    except InvalidStatus as exc:
        status = exc.response.status_code
        wirelog.record("connection", f"handshake refused: HTTP {status}")
        raise ConnectFailed(f"CSMS refused the websocket with HTTP {status}", status) from exc
    except (OSError, TimeoutError, InvalidHandshake, ssl.SSLError) as exc:
        wirelog.record("connection", f"connect failed: {exc!r}")
        rejected = isinstance(exc, ssl.SSLCertVerificationError)
        raise ConnectFailed(
            f"could not connect to {url}: {exc!r}", certificate_rejected=rejected
        ) from exc
    deviations = []
    if websocket.subprotocol is None and version.subprotocol in offered:
        message = f"CSMS accepted the websocket without selecting {version.subprotocol}"
        deviations.append(
            Deviation(Level.MUST, f"OCPP-J {version.value} §3.2", message, wirelog.now())
        )
        wirelog.record("deviation", message)
    wirelog.record("connection", f"connected, subprotocol {websocket.subprotocol}")
    return websocket, deviations
