"""DUT profile loading: shipped examples, defaults, paths and strict error messages."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from harness.dut.profile import (
    ACTION_NAMES,
    FEATURES,
    Backend,
    Connection,
    DutProfile,
    Features,
    ProfileError,
    Role,
    Timeouts,
    load_profile,
    load_profile_text,
    render_command,
)
from harness.dut.profile_schema import MISSING
from harness.ocppj.versions import OcppVersion

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "dut"
INVALID = FIXTURES / "invalid"

MINIMAL: dict[str, Any] = {
    "dut": {
        "name": "Test station",
        "role": "station",
        "ocpp_version": "2.0.1",
        "station_id": "CS1",
    },
    "evse": [{"id": 1, "connectors": [1]}],
    "actions": {"backend": "prompt"},
}


# -- helpers --------------------------------------------------------------------------------------


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return repr(value)


def _dump(document: dict[str, Any]) -> str:
    """Write a small TOML document (tables, arrays of tables, scalars, lists)."""
    lines: list[str] = []

    def emit(prefix: str, table: dict[str, Any]) -> None:
        nested = []
        for key, value in table.items():
            if isinstance(value, dict) or (
                isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
            ):
                nested.append((key, value))
            else:
                lines.append(f"{key} = {_value(value)}")
        for key, value in nested:
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                lines.append(f"[{name}]")
                emit(name, value)
            else:
                for item in value:
                    lines.append(f"[[{name}]]")
                    emit(name, item)

    emit("", document)
    return "\n".join(lines) + "\n"


def doc(**tables: Any) -> dict[str, Any]:
    """Return MINIMAL with tables merged in (None removes a key or a whole table)."""
    document = copy.deepcopy(MINIMAL)
    for name, updates in tables.items():
        current = document.get(name, {})
        if updates is None:
            document.pop(name, None)
        elif isinstance(updates, dict) and isinstance(current, dict):
            merged = {**current, **updates}
            document[name] = {key: value for key, value in merged.items() if value is not None}
        else:
            document[name] = updates
    return document


def write(tmp_path: Path, document: dict[str, Any], name: str = "dut.toml") -> Path:
    path = tmp_path / name
    path.write_text(_dump(document), encoding="utf-8")
    return path


def error_of(tmp_path: Path, document: dict[str, Any]) -> ProfileError:
    path = write(tmp_path, document)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: [{caught.value.key}] = ")
    return caught.value


# -- shipped profiles ---------------------------------------------------------------------------

SHIPPED = (
    "reference-station-16.toml",
    "reference-station-201.toml",
    "reference-csms-16.toml",
    "reference-csms-201.toml",
    "lab-station-example.toml",
    "csms-command-example.toml",
)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_profile_loads(name: str) -> None:
    profile = load_profile(FIXTURES / name)
    assert isinstance(profile, DutProfile)
    assert profile.source == FIXTURES / name


def test_every_toml_in_fixtures_loads() -> None:
    found = sorted(path.name for path in FIXTURES.glob("*.toml"))
    assert set(SHIPPED) <= set(found)
    for name in found:
        load_profile(FIXTURES / name)


@pytest.mark.parametrize("version", ["16", "201"])
def test_reference_station_profiles(version: str) -> None:
    profile = load_profile(FIXTURES / f"reference-station-{version}.toml")
    assert profile.role is Role.STATION
    assert profile.ocpp_version is OcppVersion.parse({"16": "1.6", "201": "2.0.1"}[version])
    assert profile.launches_sim and profile.sim is not None and profile.sim.faults == ()
    assert profile.actions.backend is Backend.SIM
    assert [(e.id, e.connectors) for e in profile.evses] == [(1, (1,)), (2, (1,))]
    assert profile.timeouts == Timeouts(
        boot=10, call=5, connect=10, action=10, case=30, heartbeat_interval=300, meter_interval=1
    )


@pytest.mark.parametrize("version", ["16", "201"])
def test_reference_csms_profiles(version: str) -> None:
    profile = load_profile(FIXTURES / f"reference-csms-{version}.toml")
    assert profile.role is Role.CSMS
    assert profile.connection.url is None  # filled in at launch
    assert profile.launches_sim and profile.actions.backend is Backend.SIM


def test_lab_and_command_examples() -> None:
    lab = load_profile(FIXTURES / "lab-station-example.toml")
    assert lab.security.profile == 2 and lab.security.tls and lab.security.basic_auth
    assert lab.security.generate_pki and lab.actions.backend is Backend.PROMPT
    assert "password" not in repr(lab.security)
    csms = load_profile(FIXTURES / "csms-command-example.toml")
    assert csms.actions.backend is Backend.COMMAND
    assert csms.actions.command_for("trigger") is not None
    assert csms.connection.url_for("HARNESS-CS-01").endswith("/ocpp/HARNESS-CS-01")


# -- shipped broken profiles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "value", "expected"),
    [
        (
            "typo-key.toml",
            "dut.ocpp_verison",
            "2.0.1",
            "a known key of [dut]; allowed keys: name, role, ocpp_version, station_id",
        ),
        ("wrong-type-connector.toml", "evse[1].connectors[0]", "1", "an integer >= 1"),
        (
            "missing-password.toml",
            "security.password",
            MISSING,
            "a password of 16..64 characters for security profile 2",
        ),
        (
            "bool-as-int.toml",
            "security.profile",
            True,
            "an integer 0..3 (0 none, 1 Basic auth, 2 TLS + Basic auth, 3 mutual TLS)",
        ),
    ],
)
def test_broken_fixture(name: str, key: str, value: object, expected: str) -> None:
    path = INVALID / name
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    error = caught.value
    assert (error.path, error.key, error.value, error.expected) == (path, key, value, expected)
    assert str(error) == f"{path}: [{key}] = {value!r}: expected {expected}"
    assert error.exit_code == 4


def test_missing_value_shows_missing() -> None:
    with pytest.raises(ProfileError, match=r"\[security.password\] = <missing>: expected"):
        load_profile(INVALID / "missing-password.toml")


def test_toml_syntax_error_names_line() -> None:
    path = INVALID / "toml-syntax.toml"
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.key == "<toml>"
    assert caught.value.value == 'name "No equals sign"'
    assert caught.value.expected.startswith("valid TOML: ")
    assert "line 3" in caught.value.expected


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path / "absent.toml")
    assert caught.value.key == "<file>"
    assert "FileNotFoundError" in repr(caught.value.value)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'[dut]\nname = "Station \xe9"\n')
    with pytest.raises(ProfileError, match=r"\[<file>\] = <byte \d+ is not UTF-8>"):
        load_profile(latin1)


# -- defaults and paths ------------------------------------------------------------------------


def test_defaults_applied(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, MINIMAL))
    assert profile.connection == Connection()
    assert profile.connection.listen_host == "127.0.0.1" and profile.connection.path == "/ocpp"
    assert profile.security.profile == 0 and profile.security.password is None
    assert profile.security.generate_pki
    assert profile.tokens.valid == "04A2B3C4D5E6F7" and profile.tokens.token_type == "ISO14443"
    assert profile.tokens.group is None and profile.tokens.master_pass is None
    assert profile.features == Features()
    assert profile.timeouts == Timeouts()
    assert profile.timeouts.boot == 30.0 and profile.connection.reconnect_delay == 2.0
    assert profile.actions.countdown == 60.0 and dict(profile.actions.commands) == {}
    assert profile.sim is None and not profile.launches_sim


def test_feature_defaults_and_reasons(tmp_path: Path) -> None:
    defaults = Features()
    absent = [name for name in FEATURES if not defaults.has(name)]
    assert absent == ["fixed_cable", "power_backup", "rejects_reservations", "iso15118"]
    profile = load_profile(write(tmp_path, doc(features={"reservation": False})))
    assert not profile.features.has("reservation")
    reason = profile.features.absent_reason("reservation")
    assert reason is not None and "reservation = false" in reason
    assert profile.features.absent_reason("smart_charging") is None
    with pytest.raises(KeyError, match="unknown DUT feature 'reservations'"):
        profile.features.has("reservations")


def test_vocabularies_match_dataclasses() -> None:
    assert [f.name for f in dataclasses.fields(Features)] == list(FEATURES)
    assert ACTION_NAMES == (
        "plug_in", "unplug", "present_token", "power_cycle", "reboot", "go_offline",
        "go_online", "ev_suspend", "ev_resume", "lock_failure",
        "connector_fault", "trigger",
    )  # fmt: skip


def test_relative_paths_resolved(tmp_path: Path) -> None:
    (tmp_path / "pki").mkdir()
    for name in ("ca.pem", "csms.pem", "csms.key"):
        (tmp_path / "pki" / name).write_text("x")
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    security = {
        "profile": 2,
        "password": "0123456789abcdef",
        "pki": "../pki",
        "ca_cert": "../pki/ca.pem",
        "server_cert": str(tmp_path / "pki" / "csms.pem"),
        "server_key": "./../pki/csms.key",
    }
    profile = load_profile(write(profiles, doc(security=security)))
    assert profile.security.pki == tmp_path / "pki"
    assert profile.security.ca_cert == tmp_path / "pki" / "ca.pem"
    assert profile.security.server_cert == tmp_path / "pki" / "csms.pem"
    assert profile.security.server_key == tmp_path / "pki" / "csms.key"
    assert not profile.security.generate_pki


def test_missing_tls_file(tmp_path: Path) -> None:
    error = error_of(tmp_path, doc(security={"profile": 3, "ca_cert": "nope/ca.pem"}))
    assert (error.key, error.value) == ("security.ca_cert", "nope/ca.pem")
    assert error.expected.startswith("a path to an existing file (relative paths start at ")
    assert str(tmp_path / "nope" / "ca.pem") in error.expected
    error = error_of(tmp_path, doc(security={"pki": "no-such-dir"}))
    assert error.key == "security.pki"
    assert error.expected.startswith("'generate' or a path to an existing directory")


def test_load_profile_text_uses_source_directory(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("x")
    text = _dump(doc(security={"profile": 3, "ca_cert": "ca.pem"}))
    profile = load_profile_text(text, tmp_path / "virtual.toml")
    assert profile.security.ca_cert == tmp_path / "ca.pem"
    assert profile.source == tmp_path / "virtual.toml"


# -- strict validation ---------------------------------------------------------------------------

PW16 = "0123456789abcdef"
# fmt: off
CASES: list[tuple[str, dict[str, Any], str, object, str]] = [
    # (id, tables merged into MINIMAL, dotted key, value shown, start of the expectation)
    ("bool port", {"connection": {"listen_port": False}}, "connection.listen_port", False,
     "an integer 0..65535"),
    ("bool evse id", {"evse": [{"id": True, "connectors": [1]}]}, "evse[0].id", True,
     "an integer >= 1"),
    ("bool connector", {"evse": [{"id": 1, "connectors": [True]}]}, "evse[0].connectors[0]",
     True, "an integer >= 1"),
    ("bool timeout", {"timeouts": {"boot": True}}, "timeouts.boot", True, "a number > 0"),
    ("string port", {"connection": {"listen_port": "9000"}}, "connection.listen_port", "9000",
     "an integer 0..65535 (0: any free port)"),
    ("port range", {"connection": {"listen_port": 70000}}, "connection.listen_port", 70000,
     "an integer 0..65535"),
    ("zero timeout", {"timeouts": {"call": 0}}, "timeouts.call", 0, "a number > 0"),
    ("inf timeout", {"timeouts": {"case": float("inf")}}, "timeouts.case", float("inf"),
     "a number > 0"),
    ("negative delay", {"connection": {"reconnect_delay": -1.0}}, "connection.reconnect_delay",
     -1.0, "a number >= 0"),
    ("role", {"dut": {"role": "charger"}}, "dut.role", "charger", "one of 'station', 'csms'"),
    ("unquoted version", {"dut": {"ocpp_version": 2.1}}, "dut.ocpp_version", 2.1,
     "one of '1.6', '2.0.1', '2.1'"),
    ("blank name", {"dut": {"name": "  "}}, "dut.name", "  ", "a string of at least 1"),
    ("missing name", {"dut": {"name": None}}, "dut.name", MISSING, "a string"),
    ("long id", {"dut": {"station_id": "C" * 49}}, "dut.station_id", "C" * 49,
     "a string of 1..48 characters without '/'"),
    ("slash id", {"dut": {"station_id": "a/b"}}, "dut.station_id", "a/b",
     "a string of 1..48 characters without '/'"),
    ("colon id", {"dut": {"station_id": "a:b"}}, "dut.station_id", "a:b", "an id without ':'"),
    ("path", {"connection": {"path": "ocpp"}}, "connection.path", "ocpp",
     "a URL path starting with '/'"),
    ("unknown feature", {"features": {"reservations": True}}, "features.reservations", True,
     "a known key of [features]; allowed keys: reservation, smart_charging,"),
    ("feature type", {"features": {"offline": "yes"}}, "features.offline", "yes",
     "true or false"),
    ("unknown table", {"conection": {"listen_port": 1}}, "conection", {"listen_port": 1},
     "a known table: dut, connection, security, evse, tokens, features, timeouts, actions, sim"),
    ("evse not array", {"evse": {"id": 1, "connectors": [1]}}, "evse",
     {"id": 1, "connectors": [1]}, "an array of tables, at least one (write [[evse]]"),
    ("evse gap", {"evse": [{"id": 1, "connectors": [1]}, {"id": 3, "connectors": [1]}]},
     "evse[1].id", 3, "2: EVSEs are numbered 1, 2, ..."),
    ("connector gap", {"evse": [{"id": 1, "connectors": [1, 1]}]}, "evse[0].connectors[1]", 1,
     "2: connectors of an EVSE are numbered"),
    ("no connectors", {"evse": [{"id": 1, "connectors": []}]}, "evse[0].connectors", [],
     "a non-empty list of an integer >= 1"),
    ("token 1.6 length", {"dut": {"ocpp_version": "1.6"}, "tokens": {"valid": "A" * 21}},
     "tokens.valid", "A" * 21, "a string of 1..20 characters"),
    ("token 2.0.1 length", {"tokens": {"blocked": "B" * 37}}, "tokens.blocked", "B" * 37,
     "a string of 1..36 characters"),
    ("token type", {"tokens": {"token_type": "RFID"}}, "tokens.token_type", "RFID",
     "one of 'Central', 'eMAID', 'ISO14443'"),
    ("2.1-only token type", {"tokens": {"token_type": "VIN"}}, "tokens.token_type", "VIN",
     "one of 'Central'"),
    ("same tokens", {"tokens": {"invalid": "04a2b3c4d5e6f7"}}, "tokens.invalid",
     "04a2b3c4d5e6f7", "a token different from tokens.valid"),
    ("profile range", {"security": {"profile": 4}}, "security.profile", 4, "an integer 0..3"),
    ("password for profile 1", {"security": {"profile": 1}}, "security.password", MISSING,
     "a password of 16..64 characters for security profile 1"),
    ("cert without key", {"security": {"profile": 2, "password": PW16, "server_cert": __file__}},
     "security.server_key", MISSING, "a file path: server_cert and server_key go together"),
    ("csms without url", {"dut": {"role": "csms"}}, "connection.url", MISSING,
     "a ws:// or wss:// URL template with {station_id} when role = 'csms'"),
    ("csms sim not launched", {"dut": {"role": "csms"}, "sim": {"launch": False}},
     "connection.url", MISSING, "a ws:// or wss:// URL template"),
    ("url for station", {"connection": {"url": "ws://h/ocpp/{station_id}"}}, "connection.url",
     "ws://h/ocpp/{station_id}", "no url when role = 'station'"),
    ("url without id", {"dut": {"role": "csms"}, "connection": {"url": "ws://h:9000/ocpp"}},
     "connection.url", "ws://h:9000/ocpp", "a ws:// or wss:// URL template containing"),
    ("url scheme", {"dut": {"role": "csms"}, "connection": {"url": "http://h/{station_id}"}},
     "connection.url", "http://h/{station_id}", "a ws:// or wss:// URL template"),
    ("url placeholder", {"dut": {"role": "csms"},
                         "connection": {"url": "ws://h/{tenant}/{station_id}"}},
     "connection.url", "ws://h/{tenant}/{station_id}", "a ws:// or wss:// URL template"),
    ("wss without tls", {"dut": {"role": "csms"}, "connection": {"url": "wss://h/{station_id}"}},
     "connection.url", "wss://h/{station_id}", "a ws:// URL for security profile 0"),
    ("ws with tls", {"dut": {"role": "csms"}, "connection": {"url": "ws://h/{station_id}"},
                     "security": {"profile": 2, "password": PW16}},
     "connection.url", "ws://h/{station_id}", "a wss:// URL for security profile 2"),
    ("unknown backend", {"actions": {"backend": "rest"}}, "actions.backend", "rest",
     "one of 'sim', 'command', 'prompt', 'rig', 'http-octt', 'http'"),
    ("command without commands", {"actions": {"backend": "command"}}, "actions.commands",
     MISSING, "a table [actions.commands] with commands among: plug_in, unplug,"),
    ("sim without url", {"actions": {"backend": "sim"}}, "actions.control_url", MISSING,
     "the simulator control URL for backend 'sim'"),
    ("control url scheme", {"actions": {"backend": "sim", "control_url": "ws://h:1"}},
     "actions.control_url", "ws://h:1", "an http:// or https:// URL"),
    ("unknown action", {"actions": {"commands": {"plugin": "true"}}}, "actions.commands.plugin",
     "true", "a known key of [actions.commands]; allowed keys: plug_in, unplug,"),
    ("unknown placeholder", {"actions": {"commands": {"plug_in": "plug {evse_id}"}}},
     "actions.commands.plug_in", "plug {evse_id}", "a shell command using only the"),
    ("shell braces", {"actions": {"commands": {"reboot": "ssh ${HOST} reboot"}}},
     "actions.commands.reboot", "ssh ${HOST} reboot", "a shell command using only the"),
    ("payload outside trigger", {"actions": {"commands": {"unplug": "x {payload}"}}},
     "actions.commands.unplug", "x {payload}", "a shell command using only the"),
    ("trigger for station", {"actions": {"commands": {"trigger": "x {message}"}}},
     "actions.commands.trigger", "x {message}", "no 'trigger' command when role = 'station'"),
    ("countdown", {"actions": {"countdown": -5}}, "actions.countdown", -5, "a number > 0"),
    ("fault type", {"sim": {"faults": ["no_boot", 3]}}, "sim.faults[1]", 3, "a string"),
    ("fault repeat", {"sim": {"faults": ["a", "a"]}}, "sim.faults[1]", "a", "a string"),
    ("sim launch type", {"sim": {"launch": 1}}, "sim.launch", 1, "true or false"),
    ("missing actions", {"actions": None}, "actions", MISSING, "a table"),
]
# fmt: on


@pytest.mark.parametrize(
    ("tables", "key", "value", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_invalid_value(
    tmp_path: Path, tables: dict[str, Any], key: str, value: object, expected: str
) -> None:
    document = doc(**tables)
    error = error_of(tmp_path, document)
    assert (error.key, error.value) == (key, value)
    assert error.expected.startswith(expected), error.expected
    assert f"[{key}] = {value!r}: expected {error.expected}" in str(error)


def test_password_lengths_per_version(tmp_path: Path) -> None:
    for version, longest in (("1.6", 40), ("2.0.1", 64), ("2.1", 64)):
        ok = doc(dut={"ocpp_version": version}, security={"profile": 1, "password": "p" * longest})
        assert load_profile(write(tmp_path, ok)).security.password == "p" * longest
        for bad in ("p" * 15, "p" * (longest + 1)):
            document = doc(dut={"ocpp_version": version}, security={"profile": 1, "password": bad})
            error = error_of(tmp_path, document)
            assert error.key == "security.password"
            assert error.expected.startswith(f"a string of 16..{longest} characters (")
            assert repr(error.value) == f"<secret: {len(bad)} characters>"
            assert bad not in str(error)


def test_version_specific_tokens(tmp_path: Path) -> None:
    document = doc(dut={"ocpp_version": "2.1"}, tokens={"valid": "V" * 200, "token_type": "VIN"})
    profile = load_profile(write(tmp_path, document))
    assert profile.tokens.token_type == "VIN" and profile.ocpp_version is OcppVersion.V21
    profile = load_profile(write(tmp_path, doc(tokens={"group": "G1", "master_pass": ""})))
    assert (profile.tokens.group, profile.tokens.master_pass) == ("G1", None)


def test_station_id_colon_allowed_for_unsecured_16(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, doc(dut={"ocpp_version": "1.6", "station_id": "a:b"})))
    assert profile.station_id == "a:b"


def test_csms_profile_with_url_and_commands(tmp_path: Path) -> None:
    trigger = "curl -d {payload} http://h/api/{station_id}/call/{message}"
    document = doc(
        dut={"role": "csms", "station_id": "RDAM|123"},
        connection={"url": "wss://csms.example:443/ocpp/{station_id}/"},
        security={"profile": 2, "password": PW16},
        actions={"backend": "command", "commands": {"trigger": trigger}},
    )
    profile = load_profile(write(tmp_path, document))
    assert profile.connection.url_for(profile.station_id) == (
        "wss://csms.example:443/ocpp/RDAM%7C123/"
    )
    command = profile.actions.command_for("trigger")
    assert command is not None
    rendered = render_command(
        command, {"payload": '{"evseId": 1}', "station_id": "CS1", "message": "Reset"}
    )
    assert rendered == """curl -d '{"evseId": 1}' http://h/api/CS1/call/Reset"""


def test_render_command_keeps_literal_braces() -> None:
    template = """curl -d '{"connector": {connector}}' http://h/plug"""
    assert (
        render_command(template, {"connector": 2}) == """curl -d '{"connector": 2}' http://h/plug"""
    )
    with pytest.raises(ValueError, match=r"needs a value for \{evse\}"):
        render_command("plug {evse}", {})


def test_sim_backend_with_control_url(tmp_path: Path) -> None:
    document = doc(actions={"backend": "sim", "control_url": "http://127.0.0.1:8900"},
                   sim={"launch": False, "faults": ["wrong_boot_reason"]})  # fmt: skip
    profile = load_profile(write(tmp_path, document))
    assert profile.sim is not None and profile.sim.faults == ("wrong_boot_reason",)
    assert not profile.launches_sim and profile.actions.control_url == "http://127.0.0.1:8900"


def test_flat_connector_ids(tmp_path: Path) -> None:
    evses = [{"id": 1, "connectors": [1, 2]}, {"id": 2, "connectors": [1]}]
    profile = load_profile(write(tmp_path, doc(dut={"ocpp_version": "1.6"}) | {"evse": evses}))
    assert [profile.flat_connector_id(1, 1), profile.flat_connector_id(1, 2)] == [1, 2]
    assert profile.flat_connector_id(2, 1) == 3
    assert profile.evse(2).connectors == (1,)
    with pytest.raises(KeyError):
        profile.flat_connector_id(2, 2)
