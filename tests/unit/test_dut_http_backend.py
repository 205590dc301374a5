"""CSMS trigger backends `http` (per-action request templates) and `http-octt`: profile
validation with clear errors, and the exact requests sent to a loopback HTTP server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from harness.cases.environment import _backend
from harness.dut.backends import OcttTriggerBackend
from harness.dut.http_backend import HttpTemplateBackend
from harness.dut.profile import load_profile
from harness.dut.profile_model import HttpRequest
from harness.outcomes import EnvironmentFailure
from tests.unit.test_dut_profile import FIXTURES, doc, error_of, write

CSMS = {"dut": {"role": "csms"}, "connection": {"url": "ws://127.0.0.1:9/ocpp/{station_id}"}}


def http_doc(actions: dict[str, Any], **dut: Any) -> dict[str, Any]:
    """A CSMS profile with the given [actions] table and [dut] values."""
    document = doc(**CSMS)
    document["dut"].update(dut)
    document["actions"] = actions
    return document


# -- profile validation -------------------------------------------------------------------------


def test_shipped_http_and_prompt_examples() -> None:
    http = load_profile(FIXTURES / "csms-http-example.toml")
    assert http.actions.backend.value == "http"
    assert set(http.actions.http) == {"default", "RequestStartTransaction", "Reset"}
    assert http.actions.http["default"].headers["X-Api-Key"].startswith("staging")
    prompt = load_profile(FIXTURES / "csms-prompt-example.toml")
    assert (prompt.actions.backend.value, prompt.actions.countdown) == ("prompt", 120.0)


# fmt: off
BAD: list[tuple[str, dict[str, Any], str, object, str]] = [
    ("octt without base", {"backend": "http-octt"}, "actions.base_url", "<missing>",
     "the CSMS base URL for backend 'http-octt'"),
    ("http without requests", {"backend": "http"}, "actions.http", "<missing>",
     "at least one [actions.http.<OCPP action>]"),
    ("unknown action", {"backend": "http", "http": {"RemoteStart": {"url": "http://h/x"}}},
     "actions.http.RemoteStart", "[actions.http.RemoteStart]",
     "'default' or an OCPP 2.0.1 action name"),
    ("missing url", {"backend": "http", "http": {"Reset": {"body": "{payload}"}}},
     "actions.http.Reset.url", "<missing>", "an http(s):// URL"),
    ("relative url", {"backend": "http", "http": {"Reset": {"url": "/reset"}}},
     "actions.http.Reset.url", "/reset", "an http(s):// URL or one starting with {base_url}"),
    ("unknown placeholder", {"backend": "http", "http": {"Reset": {"url": "http://h/{evse}"}}},
     "actions.http.Reset.url", "http://h/{evse}", "an http(s):// URL"),
    ("body not json", {"backend": "http",
                       "http": {"Reset": {"url": "http://h/r", "body": "type={payload}"}}},
     "actions.http.Reset.body", "type={payload}", "a JSON text with placeholders"),
    ("method", {"backend": "http", "http": {"Reset": {"url": "http://h/r", "method": "SEND"}}},
     "actions.http.Reset.method", "SEND", "one of 'POST', 'PUT'"),
    ("base needed", {"backend": "http", "http": {"Reset": {"url": "{base_url}/r"}}},
     "actions.base_url", "<missing>", "a base URL, since an [actions.http.*] url uses"),
]
# fmt: on


@pytest.mark.parametrize(
    ("actions", "key", "shown", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD]
)
def test_bad_http_actions(
    tmp_path: Path, actions: dict[str, Any], key: str, shown: object, expected: str
) -> None:
    error = error_of(tmp_path, http_doc(actions))
    assert error.key == key
    assert str(error.value) == str(shown)
    assert error.expected.startswith(expected), error.expected


def test_http_backends_are_for_a_csms(tmp_path: Path) -> None:
    document = doc()
    document["actions"] = {"backend": "http-octt", "base_url": "http://h:1"}
    error = error_of(tmp_path, document)
    assert (error.key, error.value) == ("actions.backend", "http-octt")


# -- requests on the wire -----------------------------------------------------------------------


class Recorder:
    """A loopback HTTP server that records every request and answers `status`."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(
            {
                "method": request.method,
                "path_qs": request.path_qs,
                "body": await request.text(),
                "headers": dict(request.headers),
            }
        )
        return web.json_response({"status": "queued"}, status=self.status)


@pytest.fixture
async def server() -> AsyncIterator[tuple[Recorder, str]]:
    recorder = Recorder()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", recorder.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield recorder, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_templates_fill_url_encoded_and_json_values(
    tmp_path: Path, server: tuple[Recorder, str]
) -> None:
    recorder, base = server
    actions = {
        "backend": "http",
        "base_url": base,
        "http": {
            "default": {"url": "{base_url}/cs/{station_id}/{message}"},
            "RequestStartTransaction": {
                "url": "{base_url}/evdriver/start?identifier={station_id}&tenantId=1",
                "body": '{"stationId": {station_id}, "request": {payload}}',
                "headers": {"X-Api-Key": "k1"},
            },
            "Reset": {"url": "{base_url}/reset/{station_id}", "method": "PUT", "body": "{}"},
        },
    }
    document = http_doc(actions, station_id="CS 1|a")
    profile = load_profile(write(tmp_path, document))
    backend = _backend(profile)
    assert isinstance(backend, HttpTemplateBackend)
    start = {"idToken": {"idToken": "04A2", "type": "ISO14443"}, "remoteStartId": 7}
    await backend.perform("trigger", {"message": "RequestStartTransaction", "payload": start}, 5)
    await backend.perform("trigger", {"message": "Reset", "payload": {"type": "OnIdle"}}, 5)
    await backend.perform("trigger", {"message": "GetVariables", "payload": {"x": 1}}, 5)
    first, second, third = recorder.requests
    assert first["method"] == "POST"
    assert first["path_qs"] == "/evdriver/start?identifier=CS%201%7Ca&tenantId=1"
    assert json.loads(first["body"]) == {"stationId": "CS 1|a", "request": start}
    assert first["headers"]["X-Api-Key"] == "k1"
    assert first["headers"]["Content-Type"] == "application/json"
    assert (second["method"], second["path_qs"], second["body"]) == (
        "PUT",
        "/reset/CS%201%7Ca",
        "{}",
    )
    assert third["path_qs"] == "/cs/CS%201%7Ca/GetVariables"
    assert json.loads(third["body"]) == {"x": 1}


async def test_refused_or_unconfigured_trigger_is_inconclusive(
    server: tuple[Recorder, str],
) -> None:
    recorder, base = server
    backend = HttpTemplateBackend({"Reset": HttpRequest(url=f"{base}/r")}, None, "CS1")
    recorder.status = 409
    with pytest.raises(EnvironmentFailure, match=r"answered HTTP 409: .*queued"):
        await backend.perform("trigger", {"message": "Reset", "payload": {}}, 5)
    with pytest.raises(EnvironmentFailure, match=r"no \[actions.http.ClearCache\]"):
        await backend.perform("trigger", {"message": "ClearCache", "payload": {}}, 5)
    with pytest.raises(EnvironmentFailure, match="cannot perform 'plug_in'"):
        await backend.perform("plug_in", {}, 5)


async def test_octt_backend_from_profile_posts_the_convention(
    tmp_path: Path, server: tuple[Recorder, str]
) -> None:
    recorder, base = server
    document = http_doc({"backend": "http-octt", "base_url": base}, ocpp_version="1.6")
    backend = _backend(load_profile(write(tmp_path, document)))
    assert isinstance(backend, OcttTriggerBackend)
    payload = {"connectorId": 1, "idTag": "04A2"}
    await backend.perform("trigger", {"message": "RemoteStartTransaction", "payload": payload}, 5)
    (request,) = recorder.requests
    station = load_profile(write(tmp_path, document)).station_id
    assert request["path_qs"] == f"/api/octt/1.6/{station}/remote-start-transaction"
    assert json.loads(request["body"]) == payload
