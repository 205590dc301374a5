"""EV emulator backends: the virtual EV command set, shell hooks, vendor plug-ins."""

from __future__ import annotations

import os
import time
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from harness.rig import catalog
from harness.rig.description import load_rig
from harness.rig.drivers.virtual_ev import VirtualEv
from harness.rig.errors import InstrumentError, LimitError, NotSupported, RigError
from harness.rig.ev.command_ev import CommandEv
from harness.rig.ev.plugins import PluginEv, open_plugin
from harness.rig.model import InstrumentSpec, Limits
from tests.rig.fakes import OK, ScriptedTransport, w
from tests.rig.plugin_sample import SampleEv

EV_LIMITS = Limits(max_current=32.0)


def virtual(script: list[tuple[str, str | None]]) -> VirtualEv:
    return VirtualEv(ScriptedTransport(script), name="ev", limits=EV_LIMITS)


def test_virtual_ev_command_set() -> None:
    script = [
        *w("CP:STATE B"),
        ("CP:STATE?", "B"),
        ("CP:DUTY?", "53.3"),
        ("CP:VOLT?", "9.0"),
        *w("EV:CURR 16"),
        ("EV:CURR?", "16"),
        *w("FAULT:DIODE ON"),
        *w("FAULT:PE OFF"),
        *w("CP:STATE C"),
        *w("CP:STATE A"),
    ]
    ev = virtual(script)
    ev.plug_in()
    assert ev.cp_state() == "B"
    assert ev.pwm_duty_percent() == pytest.approx(53.3)
    assert ev.cp_voltage() == pytest.approx(9.0)
    ev.request_current(16)
    assert ev.requested_current() == 16.0
    ev.inject_fault("diode", True)
    ev.inject_fault("pe", False)
    ev.set_cp_state("c")
    ev.unplug()
    ev.transport.assert_done()  # type: ignore[attr-defined]


def test_virtual_ev_refuses_bad_input_before_writing() -> None:
    ev = virtual([("CP:STATE?", "X")])
    with pytest.raises(LimitError, match=r"requested current = 40 A refused: outside 0\.\.32"):
        ev.request_current(40)
    with pytest.raises(RigError, match=r"'G' is not one of A\.\.F"):
        ev.set_cp_state("G")
    with pytest.raises(RigError, match="fault 'earth' is not one of diode, pe"):
        ev.inject_fault("earth", True)
    assert ev.transport.written == []  # type: ignore[attr-defined]
    with pytest.raises(InstrumentError, match=r"expected A\.\.F, got 'X'"):
        ev.cp_state()


def test_virtual_ev_safe_state_attempts_every_step() -> None:
    script = [
        ("CP:STATE A", None),
        ("SYST:ERR?", '-200,"Execution error"'),
        ("SYST:ERR?", OK),
        *w("FAULT:DIODE OFF"),
        *w("FAULT:PE OFF"),
        *w("EV:CURR 0"),
    ]
    ev = virtual(script)
    with pytest.raises(RigError, match=r"safe state incomplete: CP:STATE A: .*-200"):
        ev.safe_state()
    ev.transport.assert_done()  # type: ignore[attr-defined]


def command_spec(tmp_path: Path, timeout_ms: int = 5000, **commands: str) -> InstrumentSpec:
    return InstrumentSpec(
        name="ev",
        role="ev_emulator",
        driver="command_ev",
        evse=2,
        connector=1,
        limits=EV_LIMITS,
        timeout_ms=timeout_ms,
        commands=commands,
    )


def test_command_ev_runs_hooks_with_quoted_placeholders(tmp_path: Path) -> None:
    log = tmp_path / "log"
    seen: list[tuple[str, str, str]] = []
    ev = CommandEv(
        command_spec(
            tmp_path,
            set_cp_state=f"echo state {{state}} {{evse}}/{{connector}} >> {log}",
            cp_state="echo noise; echo c",
            pwm_duty="printf '53.3\\n\\n'",
            request_current=f"echo amps {{amps}} >> {log}",
            inject_fault=f"echo fault {{kind}} {{on}} >> {log}",
        ),
        on_io=lambda *e: seen.append(e),
    )
    ev.plug_in()
    assert ev.cp_state() == "C"
    assert ev.pwm_duty_percent() == pytest.approx(53.3)
    ev.request_current(13.5)
    ev.inject_fault("pe", True)
    ev.safe_state()
    assert log.read_text().splitlines() == [
        "state B 2/1",
        "amps 13.5",
        "fault pe on",
        "state A 2/1",
        "fault diode off",
        "fault pe off",
        "amps 0",
    ]
    assert seen[0] == ("ev", "write", f"echo state B 2/1 >> {log}")
    assert ("ev", "read", "noise\nc") in seen


def test_command_ev_failures(tmp_path: Path) -> None:
    ev = CommandEv(
        command_spec(
            tmp_path,
            set_cp_state="echo broken; exit 3",
            cp_state="echo Z",
            cp_voltage="true",
            requested_current="echo lots",
        )
    )
    with pytest.raises(InstrumentError, match="hook exited 3: broken"):
        ev.set_cp_state("B")
    with pytest.raises(InstrumentError, match=r"not one of A\.\.F"):
        ev.cp_state()
    with pytest.raises(InstrumentError, match="printed nothing"):
        ev.cp_voltage()
    with pytest.raises(InstrumentError, match="expected a number, got 'lots'"):
        ev.requested_current()
    with pytest.raises(NotSupported, match=r"no commands\.pwm_duty"):
        ev.pwm_duty_percent()
    with pytest.raises(LimitError):
        ev.request_current(33)


def test_command_ev_overrun_kills_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    ev = CommandEv(
        command_spec(
            tmp_path, timeout_ms=300, set_cp_state=f"sleep 30 & echo $! > {pid_file}; wait"
        )
    )
    started = time.monotonic()
    with pytest.raises(InstrumentError, match=r"ran over 0\.3 s; killed"):
        ev.set_cp_state("A")
    assert time.monotonic() - started < 5
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the hook's child {child} survived the timeout")


def plugin_spec(**fields: object) -> InstrumentSpec:
    base: dict[str, object] = {
        "name": "vendor",
        "role": "ev_emulator",
        "driver": "plugin",
        "evse": 1,
        "connector": 1,
        "limits": EV_LIMITS,
        "entry_point": "tests.rig.plugin_sample:make",
    }
    base.update(fields)
    return InstrumentSpec(**base)  # type: ignore[arg-type]


def test_plugin_by_entry_point_is_checked_and_logged() -> None:
    seen: list[tuple[str, str, str]] = []
    ev = open_plugin(plugin_spec(), on_io=lambda *e: seen.append(e))
    inner = ev.inner
    assert isinstance(inner, SampleEv)
    ev.plug_in()
    assert ev.cp_state() == "B"
    assert ev.cp_voltage() == 9.0
    with pytest.raises(LimitError):
        ev.request_current(50)
    ev.request_current(10)
    ev.safe_state()
    assert inner.state == "A" and inner.amps == 0 and inner.faults == {"diode": False, "pe": False}
    assert inner.calls[:2] == [("set_cp_state", ("B",)), ("request_current", (10.0,))]
    assert seen[0] == ("vendor", "write", "set_cp_state('B')")


def test_plugin_failures_are_rig_errors() -> None:
    failing = open_plugin(plugin_spec(options={"pe_breaks": True}))
    with pytest.raises(RigError, match=r"pe fault off|inject_fault\('pe', True\) failed"):
        failing.inject_fault("pe", True)
    with pytest.raises(RigError, match="failed to start: RuntimeError"):
        open_plugin(plugin_spec(entry_point="tests.rig.plugin_sample:broken"))
    with pytest.raises(RigError, match="lacks cp_state, pwm_duty_percent"):
        open_plugin(plugin_spec(entry_point="tests.rig.plugin_sample:incomplete"))
    with pytest.raises(RigError, match="cannot be loaded"):
        open_plugin(plugin_spec(entry_point="tests.rig.no_such_module:make"))


def test_installed_plugin_found_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = [
        EntryPoint(
            name="acme_ev", value="tests.rig.plugin_sample:make", group=catalog.EV_PLUGIN_GROUP
        )
    ]
    monkeypatch.setattr(catalog, "entry_points", lambda group: fake)
    assert "acme_ev" in catalog.known_driver_names()
    ev = open_plugin(plugin_spec(driver="acme_ev", entry_point=None))
    assert isinstance(ev, PluginEv) and isinstance(ev.inner, SampleEv)


def test_rig_file_may_name_an_installed_plugin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = [
        EntryPoint(
            name="acme_ev", value="tests.rig.plugin_sample:make", group=catalog.EV_PLUGIN_GROUP
        )
    ]
    monkeypatch.setattr(catalog, "entry_points", lambda group: fake)
    path = tmp_path / "rig.toml"
    path.write_text(
        '[rig]\nname = "p"\n[[instrument]]\nname = "ev"\nrole = "ev_emulator"\n'
        'driver = "acme_ev"\nevse = 1\n[instrument.options]\nport = "COM3"\n'
    )
    spec = load_rig(path).instrument("ev")
    assert (spec.driver, spec.entry_point, spec.options) == ("acme_ev", None, {"port": "COM3"})
    assert isinstance(open_plugin(spec).inner, SampleEv)
