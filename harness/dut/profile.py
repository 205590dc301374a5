"""Load a DUT profile (TOML) and validate it strictly: unknown keys, types, cross-field rules.

Every problem raises `ProfileError` naming the file, the dotted key, the value and what was
expected. Per-key rules are declared table by table in `profile_fields`; rules that relate
several keys are in `_cross_check` here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from harness.dut import profile_fields as spec
from harness.dut.profile_model import (
    ACTION_NAMES,
    ACTIONS,
    CSMS_ONLY_ACTIONS,
    FEATURES,
    HTTP_DEFAULT,
    PLACEHOLDERS,
    TRIGGER_PLACEHOLDERS,
    Actions,
    Backend,
    Connection,
    DutProfile,
    Evse,
    Features,
    HttpRequest,
    Role,
    Security,
    SimLaunch,
    Timeouts,
    Tokens,
    render_command,
)
from harness.dut.profile_schema import MISSING, Field, FieldError, ProfileError, Shown, read_table
from harness.ocppj.schemas import is_known_action
from harness.ocppj.versions import OcppVersion

__all__ = [
    "ACTIONS",
    "ACTION_NAMES",
    "FEATURES",
    "PLACEHOLDERS",
    "TRIGGER_PLACEHOLDERS",
    "Actions",
    "Backend",
    "Connection",
    "DutProfile",
    "Evse",
    "Features",
    "ProfileError",
    "Role",
    "Security",
    "SimLaunch",
    "Timeouts",
    "Tokens",
    "load_profile",
    "load_profile_text",
    "render_command",
]

# -- loading --------------------------------------------------------------------------------


def load_profile(path: Path | str) -> DutProfile:
    """Read and validate the DUT profile at `path`."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        shown = Shown(f"<{type(exc).__name__}: {exc.strerror or exc}>")
        raise ProfileError(source, "<file>", shown, "a readable TOML file") from exc
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = Shown(f"<byte {exc.start} is not UTF-8>")
        raise ProfileError(source, "<file>", shown, "a UTF-8 encoded TOML file") from exc
    return load_profile_text(content, source)


def load_profile_text(text: str, source: Path) -> DutProfile:
    """Validate profile `text`; `source` names it in errors and anchors relative paths."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(
            source, "<toml>", _toml_line(text, str(exc)), f"valid TOML: {exc}"
        ) from None
    try:
        profile = _build(document, source)
        _cross_check(profile)
    except FieldError as bad:
        raise ProfileError(source, bad.key, bad.value, bad.expected) from None
    return profile


def _toml_line(text: str, message: str) -> object:
    match = re.search(r"at line (\d+)", message)
    if match is None:
        return Shown("<end of document>")
    lines = text.splitlines()
    number_ = int(match.group(1))
    return lines[number_ - 1].strip() if 0 < number_ <= len(lines) else Shown("<end of document>")


def _build(document: dict[str, Any], source: Path) -> DutProfile:
    top = read_table(document, spec.TOP, "")

    def section(name: str, fields: Sequence[Field]) -> dict[str, Any]:
        return read_table(top.get(name, {}), fields, name)

    dut = section("dut", spec.DUT)
    version: OcppVersion = dut["ocpp_version"]
    actions = section("actions", spec.ACTIONS_TABLE)
    commands = read_table(actions.pop("commands", {}), spec.COMMANDS, "actions.commands")
    actions["http"] = MappingProxyType(_read_http(actions.pop("http", {}), version))
    return DutProfile(
        source=source,
        **dut,
        connection=Connection(**section("connection", spec.CONNECTION)),
        security=Security(**section("security", spec.security_fields(version, source.parent))),
        evses=_read_evses(top["evse"]),
        tokens=Tokens(**section("tokens", spec.token_fields(version))),
        features=Features(**section("features", spec.FEATURES_TABLE)),
        timeouts=Timeouts(**section("timeouts", spec.TIMEOUTS)),
        actions=Actions(commands=MappingProxyType(commands), **actions),
        sim=SimLaunch(**section("sim", spec.SIM)) if "sim" in top else None,
    )


def _read_http(tables: Mapping[str, object], version: OcppVersion) -> dict[str, HttpRequest]:
    """Read [actions.http.<name>]: `name` is an OCPP action of `version` or 'default'."""
    requests = {}
    for name, raw in tables.items():
        where = f"actions.http.{name}"
        if name != HTTP_DEFAULT and not is_known_action(version, name):
            expected = f"'default' or an OCPP {version.value} action name, e.g. 'Reset'"
            raise FieldError(where, Shown(f"[{where}]"), expected)
        values = read_table(raw, spec.HTTP_REQUEST, where)
        if "headers" in values:
            values["headers"] = MappingProxyType(values["headers"])
        requests[name] = HttpRequest(**values)
    return requests


def _read_evses(tables: Sequence[object]) -> tuple[Evse, ...]:
    """Read [[evse]] tables; ids and connector ids are numbered 1, 2, ... without gaps."""
    evses = []
    for index, raw in enumerate(tables):
        evse = Evse(**read_table(raw, spec.EVSE, f"evse[{index}]"))
        if evse.id != index + 1:
            raise FieldError(
                f"evse[{index}].id",
                evse.id,
                f"{index + 1}: EVSEs are numbered 1, 2, ... in order, without gaps "
                "(2.0.1 Part 1 §7.1)",
            )
        for position, connector in enumerate(evse.connectors):
            if connector != position + 1:
                raise FieldError(
                    f"evse[{index}].connectors[{position}]",
                    connector,
                    f"{position + 1}: connectors of an EVSE are numbered 1, 2, ... in order, "
                    "without gaps (2.0.1 Part 1 §7.2, 1.6 §3.8)",
                )
        evses.append(evse)
    return tuple(evses)


# -- rules relating several keys: each returns the first problem it finds, or None -----------


def _station_id_is_user_name(p: DutProfile) -> FieldError | None:
    if ":" in p.station_id and (p.ocpp_version is not OcppVersion.V16 or p.security.basic_auth):
        expected = "an id without ':' (it is the Basic auth user name; 2.0.1/2.1 Part 4 §3.1.1)"
        return FieldError("dut.station_id", p.station_id, expected)
    return None


def _password_given(p: DutProfile) -> FieldError | None:
    if p.security.basic_auth and p.security.password is None:
        lo, hi = spec.PASSWORD_LENGTH[p.ocpp_version]
        expected = f"a password of {lo}..{hi} characters for security profile {p.security.profile}"
        return FieldError("security.password", MISSING, expected)
    return None


def _cert_with_key(p: DutProfile) -> FieldError | None:
    for cert, key in (("server_cert", "server_key"), ("client_cert", "client_key")):
        given = [name for name in (cert, key) if getattr(p.security, name) is not None]
        if len(given) == 1:
            absent = key if given == [cert] else cert
            expected = f"a file path: {cert} and {key} go together"
            return FieldError(f"security.{absent}", MISSING, expected)
    return None


def _url_fits_role(p: DutProfile) -> FieldError | None:
    url = p.connection.url
    if p.role is Role.STATION and url is not None:
        expected = "no url when role = 'station': the harness listens"
        return FieldError("connection.url", url, expected + " (listen_host, listen_port, path)")
    if p.role is Role.CSMS and url is None and not p.launches_sim:
        expected = "a ws:// or wss:// URL template with {station_id} when role = 'csms'"
        return FieldError("connection.url", MISSING, expected + " (or [sim] launch = true)")
    return None


def _url_fits_security(p: DutProfile) -> FieldError | None:
    url, sec = p.connection.url, p.security
    if url is not None and url.startswith("wss://") != sec.tls:
        scheme = "wss://" if sec.tls else "ws://"
        return FieldError(
            "connection.url", url, f"a {scheme} URL for security profile {sec.profile}"
        )
    return None


def _backend_configured(p: DutProfile) -> FieldError | None:
    actions = p.actions
    if actions.backend is Backend.COMMAND and not actions.commands:
        expected = f"a table [actions.commands] with commands among: {', '.join(ACTION_NAMES)}"
        return FieldError("actions.commands", MISSING, expected)
    if actions.backend is Backend.SIM and actions.control_url is None and not p.launches_sim:
        expected = "the simulator control URL for backend 'sim' (or [sim] launch = true)"
        return FieldError("actions.control_url", MISSING, expected)
    if actions.backend in (Backend.HTTP, Backend.HTTP_OCTT) and p.role is not Role.CSMS:
        expected = "'sim', 'command', 'prompt' or 'rig' (the http backends trigger a CSMS)"
        return FieldError("actions.backend", actions.backend.value, expected)
    if actions.backend is Backend.HTTP_OCTT and actions.base_url is None:
        expected = "the CSMS base URL for backend 'http-octt', e.g. 'http://127.0.0.1:9000'"
        return FieldError("actions.base_url", MISSING, expected)
    if actions.backend is Backend.HTTP and not actions.http:
        expected = "at least one [actions.http.<OCPP action>] or [actions.http.default] request"
        return FieldError("actions.http", MISSING, expected)
    uses_base = any("{base_url}" in r.url for r in actions.http.values())
    if uses_base and actions.base_url is None:
        expected = "a base URL, since an [actions.http.*] url uses {base_url}"
        return FieldError("actions.base_url", MISSING, expected)
    if p.role is Role.STATION:
        csms_only = sorted(CSMS_ONLY_ACTIONS & actions.commands.keys())
        if csms_only:
            action = csms_only[0]
            expected = f"no {action!r} command when role = 'station' (it is for a CSMS under test)"
            return FieldError(f"actions.commands.{action}", actions.commands[action], expected)
    return None


def _tokens_distinct(p: DutProfile) -> FieldError | None:
    """Each token plays another part; compare case-insensitively (2.x IdToken)."""
    seen: dict[str, str] = {}
    parts = ("valid", "invalid", "blocked", "expired", "valid2", "master_pass_token", "emaid")
    for part in parts:
        value: str | None = getattr(p.tokens, part)
        if value is None:
            continue
        if value.casefold() in seen:
            expected = f"a token different from tokens.{seen[value.casefold()]}"
            return FieldError(f"tokens.{part}", value, expected + " (each plays another part)")
        seen[value.casefold()] = part
    return None


CROSS_RULES: tuple[Callable[[DutProfile], FieldError | None], ...] = (
    _station_id_is_user_name,
    _password_given,
    _cert_with_key,
    _url_fits_role,
    _url_fits_security,
    _backend_configured,
    _tokens_distinct,
)


def _cross_check(profile: DutProfile) -> None:
    """Apply CROSS_RULES in order; raise the first problem found."""
    for rule in CROSS_RULES:
        problem = rule(profile)
        if problem is not None:
            raise problem
