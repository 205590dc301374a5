"""EV emulator driven by shell hooks from the rig file (`command_ev`).

Each operation is a command template from `[instrument.commands]`; `{placeholder}` values are
shell-quoted. Every hook runs in its own process group with the instrument's timeout; on
overrun the whole group is killed. Query hooks print their answer as the last line of stdout.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
from collections.abc import Mapping

from harness.rig.drivers.base import IoCallback, format_number
from harness.rig.errors import InstrumentError, NotSupported
from harness.rig.ev import checks
from harness.rig.model import InstrumentSpec

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill `{name}` placeholders with shell-quoted values (unknown names are an error)."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise NotSupported(f"hook {template!r} needs a value for {{{name}}}")
        return shlex.quote(str(values[name]))

    return _PLACEHOLDER.sub(substitute, template)


class CommandEv:
    """EvEmulator whose operations are shell hooks."""

    def __init__(self, spec: InstrumentSpec, on_io: IoCallback | None = None) -> None:
        self.spec = spec
        self.name = spec.name
        self.commands = dict(spec.commands)
        self.timeout_s = spec.timeout_ms / 1000
        self.on_io = on_io

    def _record(self, direction: str, text: str) -> None:
        if self.on_io is not None:
            self.on_io(self.name, direction, text)

    def has(self, operation: str) -> bool:
        """Whether the rig file gives a hook for `operation`."""
        return operation in self.commands

    def run(self, operation: str, **values: object) -> str:
        """Run one hook; non-zero exit, overrun or a missing hook raises."""
        template = self.commands.get(operation)
        if template is None:
            raise NotSupported(f"{self.name}: the rig file gives no commands.{operation}")
        common = {"instrument": self.name, "evse": self.spec.evse, "connector": self.spec.connector}
        command = render(template, {**common, **values})
        self._record("write", command)
        process = subprocess.Popen(
            command,
            shell=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            text=True,
        )
        try:
            output, _ = process.communicate(timeout=self.timeout_s)
        except subprocess.TimeoutExpired as exc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise InstrumentError(
                self.name, command, f"hook ran over {self.timeout_s:g} s; killed"
            ) from exc
        output = output.strip()
        self._record("read", output)
        if process.returncode != 0:
            raise InstrumentError(
                self.name, command, f"hook exited {process.returncode}: {output[-500:]}"
            )
        return output

    def _answer(self, operation: str) -> str:
        lines = [line.strip() for line in self.run(operation).splitlines() if line.strip()]
        if not lines:
            raise InstrumentError(self.name, self.commands[operation], "hook printed nothing")
        return lines[-1]

    def _number(self, operation: str) -> float:
        answer = self._answer(operation)
        try:
            return float(answer)
        except ValueError as exc:
            raise InstrumentError(
                self.name, self.commands[operation], f"expected a number, got {answer!r}"
            ) from exc

    def set_cp_state(self, state: str) -> None:
        """Run `set_cp_state` with `{state}`."""
        self.run("set_cp_state", state=checks.cp_state(self.name, state))

    def cp_state(self) -> str:
        """Run `cp_state`; its last line is the letter."""
        answer = self._answer("cp_state")
        try:
            return checks.cp_state(self.name, answer)
        except Exception as exc:
            raise InstrumentError(self.name, self.commands["cp_state"], str(exc)) from exc

    def pwm_duty_percent(self) -> float:
        """Run `pwm_duty`."""
        return self._number("pwm_duty")

    def cp_voltage(self) -> float:
        """Run `cp_voltage`."""
        return self._number("cp_voltage")

    def request_current(self, amps: float) -> None:
        """Run `request_current` with `{amps}` (refused beyond max_current first)."""
        value = checks.ev_current(self.name, self.spec.limits, amps)
        self.run("request_current", amps=format_number(value))

    def requested_current(self) -> float:
        """Run `requested_current`."""
        return self._number("requested_current")

    def inject_fault(self, kind: str, on: bool) -> None:
        """Run `inject_fault` with `{kind}` (diode|pe) and `{on}` (on|off)."""
        self.run("inject_fault", kind=checks.fault_kind(self.name, kind), on="on" if on else "off")

    def plug_in(self) -> None:
        """State B."""
        self.set_cp_state("B")

    def unplug(self) -> None:
        """State A."""
        self.set_cp_state("A")

    def safe_state(self) -> None:
        """The `safe_state` hook if given; else state A, faults off, no current (where hooked)."""
        if self.has("safe_state"):
            self.run("safe_state")
            return
        steps = [("state A", lambda: self.set_cp_state("A"))]
        if self.has("inject_fault"):
            steps.append(("diode fault off", lambda: self.inject_fault("diode", False)))
            steps.append(("pe fault off", lambda: self.inject_fault("pe", False)))
        if self.has("request_current"):
            steps.append(("no current", lambda: self.request_current(0)))
        checks.run_all(self.name, steps)

    def close(self) -> None:
        """Nothing to release: every hook is its own process."""
