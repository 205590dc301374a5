"""Field specs of each DUT profile table, and the checks only the profile needs."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from harness.dut.profile_model import (
    ACTION_NAMES,
    FEATURES,
    HTTP_PLACEHOLDERS,
    PLACEHOLDERS,
    TRIGGER_PLACEHOLDERS,
    Backend,
    Role,
    Timeouts,
    placeholders,
)
from harness.dut.profile_schema import (
    Check,
    Field,
    Reject,
    boolean,
    integer,
    list_of,
    number,
    one_of,
    path_to,
    table,
    text,
)
from harness.ocppj.versions import OcppVersion

#: IdToken length: 1.6 IdToken is CiString20; 2.0.1 IdTokenType.idToken string[36];
#: 2.1 IdTokenType.idToken string[255] (the JSON schemas of each version).
TOKEN_MAX: Final = {OcppVersion.V16: 20, OcppVersion.V201: 36, OcppVersion.V21: 255}

#: Token types: 2.0.1 IdTokenEnumType; 2.1 Part 2 Appendix 7.1 IdTokenEnumStringType.
_TYPES_201: Final = (
    "Central",
    "eMAID",
    "ISO14443",
    "ISO15693",
    "KeyCode",
    "Local",
    "MacAddress",
    "NoAuthorization",
)
TOKEN_TYPES: Final = {
    OcppVersion.V16: _TYPES_201,  # 1.6 has no token type; the 2.0.1 names are accepted
    OcppVersion.V201: _TYPES_201,
    OcppVersion.V21: (*_TYPES_201, "DirectPayment", "EVCCID", "VIN"),
}

#: Basic auth password length. 1.6 security whitepaper ed. 3 A00.FR.205 (AuthorizationKey: at
#: least 16 bytes, at most 40 hex digits; accepted as 16..40 characters, hex not required).
#: 2.0.1 errata 2025-01 A00.FR.205/A00.FR.304: passwordString of at least 16 and at most the
#: BasicAuthPassword maxLimit, which is 40..64 (was 16..40 before the errata); 2.1 Part 2
#: Appendices §3.1.16 keeps "maxLimit at least 40", so 64 is the most any DUT may accept.
PASSWORD_LENGTH: Final = {
    OcppVersion.V16: (16, 40),
    OcppVersion.V201: (16, 64),
    OcppVersion.V21: (16, 64),
}

_PASSWORD_RULE: Final = {
    OcppVersion.V16: "1.6 security whitepaper A00.FR.205 AuthorizationKey",
    OcppVersion.V201: "2.0.1 BasicAuthPassword, errata 2025-01 A00.FR.205",
    OcppVersion.V21: "2.1 BasicAuthPassword",
}


# -- checks specific to the profile -------------------------------------------------------------


def _url(schemes: tuple[str, ...], example: str, *, template: bool) -> Check:
    """Accept a URL with one of `schemes`; a template must contain `{station_id}`."""
    article = "an" if schemes[0].startswith("h") else "a"  # "an http://", "a ws://"
    expected = f"{article} " + " or ".join(f"{s}://" for s in schemes) + " URL"
    if template:
        expected += " template containing {station_id}"
    expected += f", e.g. {example!r}"

    def convert(value: object) -> str:
        if not isinstance(value, str) or (template and "{station_id}" not in value):
            raise Reject()
        for name in placeholders(value):
            if not template or name != "station_id":
                raise Reject(f"{expected}; {{{name}}} is not a known placeholder")
        parts = urlsplit(value.replace("{station_id}", "CS001"))
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise Reject() from None
        if parts.scheme not in schemes or not parts.hostname:
            raise Reject()
        return value

    return Check(expected, convert)


def _url_path() -> Check:
    def convert(value: object) -> str:
        if (
            not isinstance(value, str)
            or not value.startswith("/")
            or any(c.isspace() for c in value)
        ):
            raise Reject()
        return value

    return Check("a URL path starting with '/', e.g. '/ocpp'", convert)


def _pki(base: Path) -> Check:
    directory = path_to(base, "directory")

    def convert(value: object) -> Path | None:
        if value == "generate":
            return None
        try:
            resolved: Path = directory(value)
        except Reject as bad:
            raise Reject(f"'generate' or {bad.expected}") from None
        return resolved

    return Check(f"'generate' or {directory.expected}", convert)


def _optional_token(max_len: int) -> Check:
    inner = text(0, max_len)

    def convert(value: object) -> str | None:
        return inner(value) or None

    return Check(f"{inner.expected} ('' for none)", convert)


def _command(action: str) -> Check:
    allowed = PLACEHOLDERS + (TRIGGER_PLACEHOLDERS if action == "trigger" else ())
    if action == "connector_fault":
        allowed += ("error_code",)
    names = ", ".join(f"{{{name}}}" for name in allowed)
    expected = f"a shell command using only the placeholders {names} (write $VAR, not ${{VAR}})"

    def convert(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise Reject()
        for name in placeholders(value):
            if name not in allowed:
                raise Reject(f"{expected}; {{{name}}} is not one")
        return value

    return Check(expected, convert)


def _evse_array() -> Check:
    expected = "an array of tables, at least one (write [[evse]], not [evse])"

    def convert(value: object) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise Reject()
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise Reject("a table", value=item, at=f"[{index}]")
        return value

    return Check(expected, convert)


# -- field specs per table ------------------------------------------------------------------------

TOP: Final = (
    Field("dut", table(), required=True),
    Field("connection", table()),
    Field("security", table()),
    Field("evse", _evse_array(), required=True),
    Field("tokens", table()),
    Field("features", table()),
    Field("timeouts", table()),
    Field("actions", table(), required=True),
    Field("sim", table()),
)
DUT: Final = (
    Field("name", text(nonblank=True), required=True),
    Field("role", one_of([r.value for r in Role], Role), required=True),
    Field("ocpp_version", one_of([v.value for v in OcppVersion], OcppVersion), required=True),
    Field(
        "station_id",
        text(1, 48, forbid="/", rule="an OCPP-J URL path segment, 2.0.1 Part 4 §3.1.1"),
        required=True,
    ),
)
CONNECTION: Final = (
    Field("listen_host", text(nonblank=True)),
    Field("listen_port", integer(0, 65535, rule="0: any free port")),
    Field("path", _url_path()),
    Field("url", _url(("ws", "wss"), "ws://127.0.0.1:9000/ocpp/{station_id}", template=True)),
    Field("reconnect_delay", number(0, inclusive=True)),
)
EVSE: Final = (
    Field("id", integer(1), required=True),
    Field("connectors", list_of(integer(1), min_items=1), required=True),
)
FEATURES_TABLE: Final = tuple(Field(name, boolean()) for name in FEATURES)
TIMEOUTS: Final = tuple(Field(f.name, number(0, inclusive=False)) for f in fields(Timeouts))
ACTIONS_TABLE: Final = (
    Field("backend", one_of([b.value for b in Backend], Backend), required=True),
    Field("control_url", _url(("http", "https"), "http://127.0.0.1:8900", template=False)),
    Field("commands", table()),
    Field("countdown", number(0, inclusive=False)),
    Field("base_url", _url(("http", "https"), "http://127.0.0.1:9000", template=False)),
    Field("http", table("a table of [actions.http.<OCPP action or 'default'>] requests")),
)


def _http_template(kind: str) -> Check:
    """A request URL or body template using only HTTP_PLACEHOLDERS; a body must be JSON."""
    names = ", ".join(f"{{{name}}}" for name in HTTP_PLACEHOLDERS)
    if kind == "url":
        expected = f"an http(s):// URL or one starting with {{base_url}}, placeholders {names}"
    else:
        expected = f"a JSON text with placeholders {names} as values, e.g. '{{payload}}'"

    def convert(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise Reject()
        for name in placeholders(value):
            if name not in HTTP_PLACEHOLDERS:
                raise Reject(f"{expected}; {{{name}}} is not one")
        if kind == "url" and not value.startswith(("http://", "https://", "{base_url}")):
            raise Reject()
        if kind == "body":
            sample = value
            for name in HTTP_PLACEHOLDERS:
                sample = sample.replace(f"{{{name}}}", '"x"')
            try:
                json.loads(sample)
            except ValueError:
                raise Reject() from None
        return value

    return Check(expected, convert)


def _headers() -> Check:
    expected = "a table of header name = string value"

    def convert(value: object) -> dict[str, str]:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise Reject()
        return dict(value)

    return Check(expected, convert)


HTTP_REQUEST: Final = (
    Field("url", _http_template("url"), required=True),
    Field("method", one_of(["POST", "PUT", "PATCH", "GET", "DELETE"])),
    Field("body", _http_template("body")),
    Field("headers", _headers()),
)
COMMANDS: Final = tuple(Field(name, _command(name)) for name in ACTION_NAMES)
SIM: Final = (
    Field("launch", boolean()),
    Field("faults", list_of(text(nonblank=True), unique=True)),
)


def security_fields(version: OcppVersion, base: Path) -> tuple[Field, ...]:
    lo, hi = PASSWORD_LENGTH[version]
    profile_rule = "0 none, 1 Basic auth, 2 TLS + Basic auth, 3 mutual TLS"
    return (
        Field("profile", integer(0, 3, rule=profile_rule)),
        Field("password", text(lo, hi, rule=_PASSWORD_RULE[version]), secret=True),
        Field("pki", _pki(base)),
        *(
            Field(name, path_to(base, "file"))
            for name in ("ca_cert", "server_cert", "server_key", "client_cert", "client_key")
        ),
    )


def token_fields(version: OcppVersion) -> tuple[Field, ...]:
    token = text(1, TOKEN_MAX[version])
    return (
        *(Field(name, token) for name in ("valid", "invalid", "blocked", "expired")),
        Field("token_type", one_of(TOKEN_TYPES[version])),
        Field("group", _optional_token(TOKEN_MAX[version])),
        Field("master_pass", _optional_token(TOKEN_MAX[version])),
        Field("valid2", _optional_token(TOKEN_MAX[version])),
        Field("master_pass_token", _optional_token(TOKEN_MAX[version])),
        Field("emaid", _optional_token(TOKEN_MAX[version])),
    )
