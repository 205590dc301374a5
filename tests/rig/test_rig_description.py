"""Rig file loading: the shipped example, and each kind of malformed file with its message."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.rig.description import RigFileError, load_rig

ROOT = Path(__file__).resolve().parents[2]

SOURCE = """
[[instrument]]
name = "grid"
role = "ac_source"
driver = "chroma_61800"
resource = "TCPIP0::127.0.0.1::5025::SOCKET"
evse = 0
[instrument.limits]
max_voltage = 253
max_current = 32
"""
METER = """
[[instrument]]
name = "meter"
role = "power_meter"
driver = "yokogawa_wt300e"
resource = "TCPIP0::127.0.0.1::10001::SOCKET"
evse = 1
accuracy_class = "B"
"""
EV = """
[[instrument]]
name = "ev"
role = "ev_emulator"
driver = "virtual_ev"
resource = "TCPIP0::127.0.0.1::7000::SOCKET"
evse = 1
"""


def write(tmp_path: Path, body: str, head: str = '[rig]\nname = "t"\n') -> Path:
    path = tmp_path / "rig.toml"
    path.write_text(head + body, encoding="utf-8")
    return path


def error_of(tmp_path: Path, body: str, head: str = '[rig]\nname = "t"\n') -> str:
    path = write(tmp_path, body, head)
    with pytest.raises(RigFileError) as caught:
        load_rig(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_shipped_example_loads() -> None:
    rig = load_rig(ROOT / "rigs" / "example-lab.toml")
    assert rig.name == "example-lab" and not rig.virtual
    grid, meter, ev = rig.instruments
    assert (grid.driver, grid.evse, grid.limits.max_power) == ("chroma_61800", 0, 7400.0)
    assert (grid.ramp.voltage_step, grid.ramp.dwell_ms, grid.timeout_ms) == (50.0, 200, 3000)
    assert (meter.driver, meter.element, meter.accuracy_percent) == ("yokogawa_wt5000", 1, 0.05)
    assert meter.reference_uncertainty_percent == 0.1
    assert ev.driver == "command_ev" and ev.commands["inject_fault"].endswith("{kind} {on}")
    assert rig.source_for(1) is grid and rig.meter_for(1) is meter and rig.ev_for(1, 1) is ev
    assert rig.ev_for(1, 2) is None and rig.evses() == (1,)


def test_good_file_defaults_and_class_accuracy(tmp_path: Path) -> None:
    rig = load_rig(write(tmp_path, SOURCE + METER + EV))
    meter = rig.instrument("meter")
    assert meter.accuracy_class == "B" and meter.accuracy_percent == 1.0
    ev = rig.instrument("ev")
    assert (ev.connector, ev.timeout_ms, ev.read_termination) == (1, 5000, "\n")
    with pytest.raises(KeyError, match="no instrument 'nope'"):
        rig.instrument("nope")


def test_virtual_rig_takes_port_zero_and_real_ports_later(tmp_path: Path) -> None:
    body = (SOURCE + EV).replace("::5025::", "::0::").replace("::7000::", "::0::")
    rig = load_rig(write(tmp_path, body, '[rig]\nname = "v"\nvirtual = true\n'))
    real = rig.with_resources({"ev": "TCPIP0::127.0.0.1::40001::SOCKET"})
    assert real.instrument("ev").resource == "TCPIP0::127.0.0.1::40001::SOCKET"
    assert rig.instrument("ev").resource == "TCPIP0::127.0.0.1::0::SOCKET"
    with pytest.raises(KeyError):
        rig.with_resources({"ghost": "x"})
    message = error_of(tmp_path, body)
    assert (
        "instrument[0].resource: expected a real port (port 0 only in a rig with virtual" in message
    )


@pytest.mark.parametrize(
    ("body", "head", "expected"),
    [
        (SOURCE, '[rig]\nname = "t"\ncolour = "red"\n', "rig.colour: expected no such key here"),
        (SOURCE, "", "rig: expected a table (the key is missing)"),
        ("", '[rig]\nname = "t"\n', "instrument: expected at least one [[instrument]] table"),
        (SOURCE + "\n[extra]\n", '[rig]\nname = "t"\n', "extra: expected no such key here"),
        (
            SOURCE.replace("max_current = 32", 'max_current = "32"'),
            None,
            "instrument[0].limits.max_current: expected a number > 0, got '32'",
        ),
        (
            SOURCE.replace("max_current = 32", "max_current = 0"),
            None,
            "instrument[0].limits.max_current: expected a number > 0, got 0",
        ),
        (
            SOURCE.replace("max_current = 32\n", ""),
            None,
            "instrument[0].limits.max_current: expected a number > 0 (the key is missing)",
        ),
        (
            SOURCE.replace("max_current = 32", "max_curent = 32"),
            None,
            "instrument[0].limits.max_current: expected a number > 0 (the key is missing; "
            "is 'max_curent' a typo?)",
        ),
        (
            SOURCE.replace('role = "ac_source"\n', ""),
            None,
            "instrument[0].role: expected one of 'ac_source', 'dc_source', 'power_meter', "
            "'ev_emulator' (the key is missing)",
        ),
        (
            SOURCE.replace('"ac_source"', '"mains"'),
            None,
            "instrument[0].role: expected one of 'ac_source'",
        ),
        (
            SOURCE.replace('"chroma_61800"', '"chroma_9999"'),
            None,
            "instrument[0].driver: expected one of chroma_61800, command_ev",
        ),
        (
            SOURCE.replace('"chroma_61800"', '"yokogawa_wt300e"'),
            None,
            "instrument[0].driver: expected a driver for role 'ac_source' (chroma_61800, "
            "scpi_source), got 'yokogawa_wt300e'",
        ),
        (
            SOURCE.replace("evse = 0", 'evse = "1"'),
            None,
            "instrument[0].evse: expected an integer >= 0, got '1'",
        ),
        (
            SOURCE.replace("evse = 0", "evse = true"),
            None,
            "instrument[0].evse: expected an integer >= 0, got True",
        ),
        (
            SOURCE.replace('resource = "TCPIP0::127.0.0.1::5025::SOCKET"', 'resource = "nonsense"'),
            None,
            "instrument[0].resource: expected a VISA resource string",
        ),
        (
            SOURCE.replace("evse = 0", "evse = 0\nconnector = 1"),
            None,
            "instrument[0].connector: expected no such key here",
        ),
        (
            METER.replace('accuracy_class = "B"', ""),
            None,
            "instrument[0].accuracy_percent: expected accuracy_percent or accuracy_class",
        ),
        (
            METER.replace('accuracy_class = "B"', 'accuracy_class = "D"'),
            None,
            "instrument[0].accuracy_class: expected one of 'A', 'B', 'C', got 'D'",
        ),
        (
            METER + "accuracy_percent = 0.5\n",
            None,
            "instrument[0].accuracy_percent: expected either accuracy_class or accuracy_percent",
        ),
        (
            METER + "channel = 1\nelement = 2\n",
            None,
            "instrument[0].element: expected either channel or element, not both",
        ),
        (
            EV.replace("evse = 1", "evse = 0"),
            None,
            "instrument[0].evse: expected an integer >= 1, got 0",
        ),
        (
            EV.replace('name = "ev"', 'name = "e v"'),
            None,
            "instrument[0].name: expected letters, digits",
        ),
        (
            SOURCE + SOURCE.replace('"grid"', '"grid2"').replace("5025", "5026"),
            None,
            "instrument[1].evse: expected one source per place ('grid' is already wired to the "
            "whole station (evse 0)), got 0",
        ),
        (
            SOURCE.replace("evse = 0", "evse = 1")
            + SOURCE.replace('"grid"', '"grid2"').replace("5025", "5026"),
            None,
            "instrument[1].evse: expected one source per place ('grid' is already wired to EVSE 1)",
        ),
        (
            METER + METER.replace('"meter"', '"m2"').replace("10001", "10002"),
            None,
            "instrument[1].evse: expected one power meter per place ('meter' is already wired to "
            "EVSE 1)",
        ),
        (
            EV + EV.replace('"ev"', '"ev2"').replace("7000", "7001"),
            None,
            "instrument[1].evse: expected one ev emulator per place ('ev' is already wired to "
            "EVSE 1 connector 1)",
        ),
        (
            EV + EV.replace("7000", "7001"),
            None,
            "instrument[1].name: expected a name no other instrument has (instrument[0]), got 'ev'",
        ),
        (
            METER + EV.replace("7000", "10001"),
            None,
            "instrument[1].resource: expected a resource no other instrument uses (also 'meter')",
        ),
    ],
)
def test_malformed_files_name_the_key(
    tmp_path: Path, body: str, head: str | None, expected: str
) -> None:
    message = error_of(tmp_path, body, head if head is not None else '[rig]\nname = "t"\n')
    assert expected in message, message


def test_command_ev_hooks_are_checked(tmp_path: Path) -> None:
    base = EV.replace('driver = "virtual_ev"', 'driver = "command_ev"').replace(
        'resource = "TCPIP0::127.0.0.1::7000::SOCKET"\n', ""
    )
    good = base + '[instrument.commands]\nset_cp_state = "ev {state} {evse}"\n'
    assert load_rig(write(tmp_path, good)).instrument("ev").commands == {
        "set_cp_state": "ev {state} {evse}"
    }
    assert "instrument[0].commands: expected a table (the key is missing)" in error_of(
        tmp_path, base
    )
    wrong = base + '[instrument.commands]\nset_cp_state = "ev {amps}"\n'
    assert (
        "instrument[0].commands.set_cp_state: expected placeholders among {instrument}, {evse}, "
        "{connector}, {state}, got 'ev {amps}'" in error_of(tmp_path, wrong)
    )
    extra = base + '[instrument.commands]\nset_cp_state = "x"\nreboot = "y"\n'
    assert "instrument[0].commands.reboot: expected no such key here" in error_of(tmp_path, extra)
    with_resource = good + 'resource = "x"\n'
    assert "instrument[0].commands.resource" in error_of(tmp_path, with_resource)


def test_plugin_needs_an_entry_point(tmp_path: Path) -> None:
    base = EV.replace('driver = "virtual_ev"', 'driver = "plugin"')
    good = (
        base + 'entry_point = "acme.ev:make"\n[instrument.options]\nport = "/dev/x"\nbaud = 9600\n'
    )
    spec = load_rig(write(tmp_path, good)).instrument("ev")
    assert spec.entry_point == "acme.ev:make" and spec.options == {"port": "/dev/x", "baud": 9600}
    assert "instrument[0].entry_point: expected a string (the key is missing)" in error_of(
        tmp_path, base
    )
    bad = base + 'entry_point = "acme.ev"\n'
    assert "instrument[0].entry_point: expected 'package.module:factory', got 'acme.ev'" in (
        error_of(tmp_path, bad)
    )


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    with pytest.raises(RigFileError, match=r"none\.toml: expected a readable rig file"):
        load_rig(missing)
    broken = tmp_path / "broken.toml"
    broken.write_text("[rig\nname=", encoding="utf-8")
    with pytest.raises(RigFileError, match=r"broken\.toml: expected valid TOML"):
        load_rig(broken)
    assert RigFileError.exit_code == 4
