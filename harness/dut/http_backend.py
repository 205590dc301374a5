"""Make a CSMS with its own REST API send OCPP messages: per-action HTTP request templates.

The DUT profile declares `[actions.http.<OcppAction>]` (or `[actions.http.default]`) with a
URL, a method, a JSON body and headers, e.g. for a CSMS whose operator API starts a
transaction with `POST {base_url}/ocpp/2.0.1/evdriver/requestStartTransaction?identifier=
{station_id}`. Only `trigger` can be performed. Some CSMSs answer the HTTP request at once
and send the OCPP message later; the case's own `expect` bounds that wait.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import aiohttp

from harness.dut.profile_model import HTTP_DEFAULT, HttpRequest
from harness.outcomes import EnvironmentFailure

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(template: str, values: Mapping[str, Any], encode: Any) -> str:
    """Replace each `{name}` of `values` with `encode(value)`; other braces stay literal."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(encode(values[name])) if name in values else match.group(0)

    return _PLACEHOLDER.sub(substitute, template)


def _url_value(value: Any) -> str:
    """URL-encode a value (a JSON object is encoded as its JSON text)."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return quote(text, safe="")


class HttpTemplateBackend:
    """Backend `http`: one templated HTTP request per OCPP message the CSMS must send."""

    name = "http"

    def __init__(
        self, requests: Mapping[str, HttpRequest], base_url: str | None, station_id: str
    ) -> None:
        self.requests = dict(requests)
        self.base_url = (base_url or "").rstrip("/")
        self.station_id = station_id

    def request_for(self, message: str, payload: Mapping[str, Any]) -> tuple[str, str, str | None]:
        """(method, url, body) for `message`; EnvironmentFailure when none is configured."""
        template = self.requests.get(message) or self.requests.get(HTTP_DEFAULT)
        if template is None:
            raise EnvironmentFailure(
                f"the DUT profile has no [actions.http.{message}] (or [actions.http.default]) "
                f"to make the CSMS send {message}"
            )
        values = {
            "base_url": self.base_url,
            "station_id": self.station_id,
            "message": message,
            "payload": dict(payload),
        }
        url = fill(template.url.replace("{base_url}", self.base_url), values, _url_value)
        body = None if template.body is None else fill(template.body, values, json.dumps)
        return template.method, url, body

    async def perform(self, action: str, params: Mapping[str, Any], timeout: float) -> None:
        """Send the request for `trigger`; a non-2xx answer or no answer is INCONCLUSIVE."""
        if action != "trigger":
            raise EnvironmentFailure(f"the CSMS HTTP API backend cannot perform {action!r}")
        message = str(params["message"])
        method, url, body = self.request_for(message, params.get("payload") or {})
        template = self.requests.get(message) or self.requests[HTTP_DEFAULT]
        headers = dict(template.headers)
        if body is not None:
            headers.setdefault("Content-Type", "application/json")
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http,
                http.request(method, url, data=body, headers=headers) as response,
            ):
                text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise EnvironmentFailure(f"{method} {url} failed: {exc!r}") from exc
        if response.status >= 300:
            raise EnvironmentFailure(f"{method} {url} answered HTTP {response.status}: {text}")
