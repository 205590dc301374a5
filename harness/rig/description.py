"""Read a rig description (`rigs/*.toml`) strictly: every problem names file, key and need.

The format is documented, with a commented example, in rigs/README.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

from pyvisa import rname
from pyvisa.errors import Error as VisaError

from harness.rig.catalog import ROLES, driver_info, known_driver_names
from harness.rig.errors import RigFileError
from harness.rig.model import (
    ACCURACY_CLASSES,
    COMMAND_EV_OPERATIONS,
    COMMON_PLACEHOLDERS,
    InstrumentSpec,
    Limits,
    Ramp,
    RigDescription,
)
from harness.rig.tomlread import TableReader

__all__ = ["InstrumentSpec", "Limits", "Ramp", "RigDescription", "RigFileError", "load_rig"]

_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ENTRY_POINT = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*")


def load_rig(path: Path | str) -> RigDescription:
    """Read and validate a rig file; any problem raises RigFileError naming file and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RigFileError(path, "", f"a readable rig file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise RigFileError(path, "", f"UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RigFileError(path, "", f"valid TOML ({exc})") from exc
    top = TableReader(path, data, "")
    rig = top.table_of("rig", required=True)
    assert rig is not None
    name = rig.string("name")
    assert name is not None
    virtual = rig.boolean("virtual", False)
    rig.string("description", required=False)
    rig.finish()
    instruments = tuple(_instrument(r, virtual) for r in top.array_of_tables("instrument"))
    top.finish()
    _check_wiring(path, instruments, virtual)
    return RigDescription(name=name, path=path, instruments=instruments, virtual=virtual)


def _instrument(r: TableReader, virtual: bool) -> InstrumentSpec:
    name = r.string("name")
    role = r.string("role", choices=ROLES)
    driver = r.string("driver")
    assert name is not None and role is not None and driver is not None
    if not _NAME.fullmatch(name):
        raise r.fail("name", "letters, digits, '_', '.' or '-'", name)
    info = driver_info(driver)
    if info is None:
        raise r.fail("driver", f"one of {', '.join(known_driver_names())}", driver)
    if role not in info.roles:
        fits = [d for d in known_driver_names() if role in (driver_info(d) or info).roles]
        raise r.fail("driver", f"a driver for role {role!r} ({', '.join(fits)})", driver)
    is_ev = role == "ev_emulator"
    evse = r.integer("evse", minimum=1 if is_ev else 0)
    assert evse is not None
    spec = InstrumentSpec(
        name=name,
        role=role,
        driver=driver,
        evse=evse,
        connector=(r.integer("connector", required=False, minimum=1) or 1) if is_ev else None,
        timeout_ms=r.integer("timeout_ms", required=False, minimum=1) or 5000,
    )
    if info.kind == "visa":
        spec = replace(
            spec,
            resource=_resource(r, virtual, required=True),
            read_termination=r.text("read_termination", "\n"),
            write_termination=r.text("write_termination", "\n"),
        )
    elif info.kind == "plugin":
        spec = replace(
            spec, resource=_resource(r, virtual, required=False), options=r.scalars("options")
        )
        if driver == "plugin":
            entry = r.string("entry_point")
            if not _ENTRY_POINT.fullmatch(entry or ""):
                raise r.fail("entry_point", "'package.module:factory'", entry)
            spec = replace(spec, entry_point=entry)
    else:
        spec = replace(spec, commands=_commands(r))
    if not is_ev:
        spec = replace(spec, element=_element(r))
    if spec.is_source:
        limits = _limits(r, ("max_voltage", "max_current"), ("max_power",))
        spec = replace(spec, limits=limits, ramp=_ramp(r))
    elif is_ev:
        spec = replace(spec, limits=_limits(r, (), ("max_current",)))
    else:
        spec = _meter_accuracy(r, spec)
    r.finish()
    return spec


def _resource(r: TableReader, virtual: bool, *, required: bool) -> str | None:
    resource = r.string("resource", required=required)
    if resource is None:
        return None
    try:
        parsed = rname.parse_resource_name(resource)
    except (VisaError, ValueError) as exc:
        raise r.fail("resource", f"a VISA resource string ({exc})", resource) from exc
    port = getattr(parsed, "port", None)
    if not virtual and port is not None and str(port) == "0":
        raise r.fail("resource", "a real port (port 0 only in a rig with virtual = true)", resource)
    return resource


def _element(r: TableReader) -> int:
    if r.has("channel") and r.has("element"):
        raise r.fail("element", "either channel or element, not both", r.table["element"])
    channel = r.integer("channel", required=False, minimum=1)
    element = r.integer("element", required=False, minimum=1)
    return element or channel or 1


def _limits(r: TableReader, required: tuple[str, ...], optional: tuple[str, ...]) -> Limits:
    table = r.table_of("limits", required=bool(required))
    if table is None:
        return Limits()
    values = {k: table.number(k) for k in required}
    values.update({k: table.number(k, required=False) for k in optional})
    table.finish()
    return Limits(**values)


def _ramp(r: TableReader) -> Ramp:
    table = r.table_of("ramp")
    if table is None:
        return Ramp()
    ramp = Ramp(
        voltage_step=table.number("voltage_step", required=False),
        current_step=table.number("current_step", required=False),
        dwell_ms=_or(table.integer("dwell_ms", required=False, minimum=0), Ramp.dwell_ms),
    )
    table.finish()
    return ramp


def _meter_accuracy(r: TableReader, spec: InstrumentSpec) -> InstrumentSpec:
    if r.has("accuracy_class") and r.has("accuracy_percent"):
        value = r.table["accuracy_percent"]
        raise r.fail("accuracy_percent", "either accuracy_class or accuracy_percent", value)
    klass = r.string("accuracy_class", required=False, choices=ACCURACY_CLASSES)
    percent = r.number("accuracy_percent", required=False)
    if percent is None:
        if klass is None:
            raise RigFileError(
                r.path, r.key("accuracy_percent"), "accuracy_percent or accuracy_class (missing)"
            )
        percent = ACCURACY_CLASSES[klass]
    uncertainty = r.number("reference_uncertainty_percent", required=False, positive=False)
    return replace(
        spec,
        accuracy_class=klass,
        accuracy_percent=percent,
        reference_uncertainty_percent=uncertainty or 0.0,
    )


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _commands(r: TableReader) -> dict[str, str]:
    table = r.table_of("commands", required=True)
    assert table is not None
    commands: dict[str, str] = {}
    for operation, extra in COMMAND_EV_OPERATIONS.items():
        template = table.string(operation, required=operation == "set_cp_state")
        if template is None:
            continue
        allowed = (*COMMON_PLACEHOLDERS, *extra)
        for placeholder in _PLACEHOLDER.findall(template):
            if placeholder not in allowed:
                names = ", ".join("{" + p + "}" for p in allowed)
                raise table.fail(operation, f"placeholders among {names}", template)
        commands[operation] = template
    table.finish()
    return commands


def _check_wiring(path: Path, instruments: tuple[InstrumentSpec, ...], virtual: bool) -> None:
    """Refuse duplicate names, shared resources and two instruments in one place."""
    names: dict[str, int] = {}
    resources: dict[str, str] = {}
    placed: list[InstrumentSpec] = []
    for index, spec in enumerate(instruments):
        key = f"instrument[{index}]"
        if spec.name in names:
            expected = f"a name no other instrument has (instrument[{names[spec.name]}])"
            raise RigFileError(path, f"{key}.name", expected, spec.name)
        names[spec.name] = index
        if spec.resource is not None and not (virtual and _port_zero(spec.resource)):
            other = resources.setdefault(spec.resource, spec.name)
            if other != spec.name:
                expected = f"a resource no other instrument uses (also {other!r})"
                raise RigFileError(path, f"{key}.resource", expected, spec.resource)
        clash = next((o for o in placed if _same_place(o, spec)), None)
        if clash is not None:
            where = "the whole station (evse 0)" if clash.evse == 0 else f"EVSE {clash.evse}"
            if clash.connector is not None:
                where += f" connector {clash.connector}"
            kind = "source" if spec.is_source else spec.role.replace("_", " ")
            expected = f"one {kind} per place ({clash.name!r} is already wired to {where})"
            raise RigFileError(path, f"{key}.evse", expected, spec.evse)
        placed.append(spec)


def _same_place(a: InstrumentSpec, b: InstrumentSpec) -> bool:
    """Two sources overlap on one EVSE or when either feeds the whole station (evse 0)."""
    if a.is_source and b.is_source:
        return a.evse == b.evse or 0 in (a.evse, b.evse)
    return a.role == b.role and a.evse == b.evse and a.connector == b.connector


def _port_zero(resource: str) -> bool:
    try:
        return str(getattr(rname.parse_resource_name(resource), "port", "")) == "0"
    except (VisaError, ValueError):
        return False
