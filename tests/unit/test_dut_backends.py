"""Action backends: shell hooks, the operator prompt, the trigger route names."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO

import pytest

from harness.dut.backends import CommandBackend, PromptBackend, RigBackend, kebab
from harness.outcomes import EnvironmentFailure


async def test_command_hook_gets_quoted_placeholders(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    backend = CommandBackend({"plug_in": f"echo {{evse}}/{{connector}} {{id_token}} > {out}"})
    await backend.perform("plug_in", {"evse": 2, "connector": 1, "id_token": "a b;c"}, 5)
    assert out.read_text() == "2/1 a b;c\n"


async def test_failing_or_slow_hook_is_an_environment_failure() -> None:
    backend = CommandBackend({"reboot": "echo broken >&2; exit 3", "unplug": "sleep 5"})
    with pytest.raises(EnvironmentFailure, match="exited 3"):
        await backend.perform("reboot", {}, 5)
    with pytest.raises(EnvironmentFailure, match="ran over"):
        await backend.perform("unplug", {}, 0.2)
    with pytest.raises(EnvironmentFailure, match=r"no \[actions\.commands\] plug_in"):
        await backend.perform("plug_in", {}, 1)


async def test_prompt_waits_for_the_operator() -> None:
    terminal = io.StringIO("\n")
    backend = PromptBackend(5, terminal=lambda: terminal)
    await backend.perform("plug_in", {"evse": 1, "connector": 1}, 5)
    assert "plug an EV into 1/1" in terminal.getvalue()


async def test_unanswered_prompt_times_out_inconclusive() -> None:
    read_end, write_end = os.pipe()  # nothing is ever written: the operator stays silent

    def terminal() -> IO[str]:
        return _Duplex(os.fdopen(read_end, "r"))

    try:
        with pytest.raises(EnvironmentFailure, match=r"did not confirm within 0\.2 s"):
            await PromptBackend(0.2, terminal=terminal).perform("power_cycle", {}, 1)
    finally:
        os.close(write_end)


def test_trigger_routes_are_kebab_case() -> None:
    assert kebab("RemoteStartTransaction") == "remote-start-transaction"
    assert kebab("Reset") == "reset"


async def test_rig_backend_without_a_rig_is_inconclusive() -> None:
    with pytest.raises(EnvironmentFailure, match="--ocpp-rig"):
        await RigBackend().perform("plug_in", {}, 1)


class _Duplex(io.TextIOWrapper):
    """A read end that also accepts the prompt text (discarded)."""

    def __init__(self, reader: IO[str]) -> None:
        self._reader = reader

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def readline(self, size: int = -1) -> str:
        return self._reader.readline(size)
