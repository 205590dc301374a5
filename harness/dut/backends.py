"""Action backends: how the harness makes the DUT do local things (plug in, present a token...).

A backend only performs; the `Dut` facade logs and bounds it. Any failure of the environment
(simulator unreachable, hook exits non-zero, operator does not answer) raises
EnvironmentFailure, which ends the case INCONCLUSIVE: the DUT was not judged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import threading
from collections.abc import Callable, Mapping
from typing import IO, Any, Protocol

import aiohttp

from harness.dut.profile_model import ACTIONS, render_command
from harness.outcomes import EnvironmentFailure


class ActionBackend(Protocol):
    """Something that can carry out a named local action on the DUT."""

    name: str

    async def perform(self, action: str, params: Mapping[str, Any], timeout: float) -> None:
        """Carry out `action`; raise EnvironmentFailure when it cannot be done."""


class SimControlBackend:
    """The reference station's control API: `POST {control_url}/{action}` with JSON params."""

    name = "sim"

    def __init__(self, control_url: str) -> None:
        self.control_url = control_url.rstrip("/")

    async def perform(self, action: str, params: Mapping[str, Any], timeout: float) -> None:
        """POST the action; a non-2xx answer or no answer is an environment failure."""
        url = f"{self.control_url}/{action}"
        await post_json(url, dict(params), timeout)


def kebab(action: str) -> str:
    """`RemoteStartTransaction` -> `remote-start-transaction` (1.6 trigger route names)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", action).lower()


class OcttTriggerBackend:
    """Make a CSMS send a command through the `api/octt` convention (FIELD_NOTES).

    2.0.1/2.1: `POST {base}/api/octt/{version}/{station}/call/{Action}`;
    1.6: `POST {base}/api/octt/1.6/{station}/{kebab-action}`; the body is the OCPP payload.
    A lower-case message names a helper (`set-pending-boot`): `.../{station}/{helper}`.
    """

    name = "http-octt"

    def __init__(self, base_url: str, version: str, station_id: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.version = version
        self.station_id = station_id

    async def perform(self, action: str, params: Mapping[str, Any], timeout: float) -> None:
        """Only `trigger` is meaningful for a CSMS; other actions are not available."""
        if action != "trigger":
            raise EnvironmentFailure(f"the CSMS trigger API cannot perform {action!r}")
        message = str(params["message"])
        # A lower-case name is a helper of the API (`set-pending-boot`), not an OCPP action.
        helper = message[:1].islower()
        route = kebab(message) if self.version == "1.6" or helper else f"call/{message}"
        url = f"{self.base_url}/api/octt/{self.version}/{self.station_id}/{route}"
        await post_json(url, dict(params.get("payload") or {}), timeout)


async def post_json(url: str, body: dict[str, Any], timeout: float) -> Any:
    """POST JSON and return the decoded answer; failures raise EnvironmentFailure."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http,
            http.post(url, json=body) as response,
        ):
            text = await response.text()
            if response.status >= 300:
                raise EnvironmentFailure(f"POST {url} answered HTTP {response.status}: {text}")
            return json.loads(text) if text else None
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise EnvironmentFailure(f"POST {url} failed: {exc!r}") from exc


class CommandBackend:
    """Shell hooks per action from the DUT profile, with `{placeholder}` values quoted."""

    name = "command"

    def __init__(self, commands: Mapping[str, str]) -> None:
        self.commands = dict(commands)

    async def perform(self, action: str, params: Mapping[str, Any], timeout: float) -> None:
        """Run the action's command; non-zero exit or overrun is an environment failure."""
        template = self.commands.get(action)
        if template is None:
            raise EnvironmentFailure(f"the DUT profile has no [actions.commands] {action}")
        values = {k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in params.items()}
        command = render_command(template, values)
        process = await asyncio.create_subprocess_shell(
            command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(), timeout)
        except TimeoutError as exc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the hook and everything it started
            await process.wait()
            raise EnvironmentFailure(f"{action} hook ran over {timeout:g} s: {command}") from exc
        if process.returncode != 0:
            tail = output.decode(errors="replace")[-500:]
            raise EnvironmentFailure(
                f"{action} hook exited {process.returncode}: {command}\n{tail}"
            )


class PromptBackend:
    """Ask the operator at the terminal, with a countdown (how the official tool works)."""

    name = "prompt"

    def __init__(self, countdown: float, terminal: Callable[[], IO[str]] | None = None) -> None:
        self.countdown = countdown
        self._terminal = terminal or _open_tty

    async def perform(self, action: str, params: Mapping[str, Any], timeout: float) -> None:
        """Print the instruction and wait for Enter; no answer in time is INCONCLUSIVE."""
        instruction = ACTIONS[action].format_map(_Defaulting(params))
        try:
            terminal = self._terminal()
        except OSError as exc:
            raise EnvironmentFailure(f"no operator terminal to ask: {instruction}") from exc
        terminal.write(f"\n>>> OPERATOR: {instruction}. Press Enter when done ")
        terminal.write(f"({self.countdown:g} s) ")
        terminal.flush()
        answered = asyncio.get_running_loop().create_future()
        _read_line_in_thread(terminal, answered)
        try:
            await asyncio.wait_for(answered, self.countdown)
        except TimeoutError as exc:
            raise EnvironmentFailure(
                f"operator did not confirm within {self.countdown:g} s: {instruction}"
            ) from exc


class RigActionPerformer(Protocol):
    """The rig layer's part of the `rig` backend (harness/cases/rig_session.py RigActions)."""

    actions: frozenset[str]

    async def perform(self, action: str, params: Mapping[str, Any]) -> None:
        """Carry out a physical action with the EV emulator / source."""


class RigBackend:
    """The lab rig: EV emulator and mains for physical actions, `fallback` for the rest.

    Without an attached rig (`--ocpp-rig`) and without a fallback nothing can be done.
    """

    name = "rig"

    def __init__(
        self, rig: RigActionPerformer | None = None, fallback: ActionBackend | None = None
    ) -> None:
        self.rig = rig
        self.fallback = fallback

    async def perform(self, action: str, params: Mapping[str, Any], timeout: float) -> None:
        """Physical actions through the rig (bounded by `timeout`), others to the fallback."""
        if self.rig is not None and action in self.rig.actions:
            try:
                async with asyncio.timeout(timeout):
                    await self.rig.perform(action, params)
            except TimeoutError as exc:
                raise EnvironmentFailure(f"{action} on the rig took over {timeout:g} s") from exc
            return
        if self.fallback is not None:
            await self.fallback.perform(action, params, timeout)
            return
        raise EnvironmentFailure(f"{action}: the rig backend needs a rig (--ocpp-rig PATH)")


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _open_tty() -> IO[str]:
    return open("/dev/tty", "r+", encoding="utf-8")


def _read_line_in_thread(terminal: IO[str], answered: asyncio.Future[str]) -> None:
    """Read one line in a daemon thread so an unanswered prompt never blocks exit."""
    loop = asyncio.get_running_loop()

    def read() -> None:
        try:
            line = terminal.readline()
        except (OSError, ValueError):
            line = ""
        if not loop.is_closed():
            loop.call_soon_threadsafe(_settle, answered, line)

    threading.Thread(target=read, name="operator-prompt", daemon=True).start()


def _settle(future: asyncio.Future[str], value: str) -> None:
    if not future.done():
        future.set_result(value)
