"""Start a reference simulator as its own process and stop it, always bounded.

The simulator prints one line `READY {json}` on stdout when it is ready; everything it logs
goes to a file next to the case's wire log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path
from typing import Any

from harness.outcomes import EnvironmentFailure


class SimProcess:
    """A running simulator process and what it announced."""

    def __init__(self, process: asyncio.subprocess.Process, ready: dict[str, Any]) -> None:
        self.process = process
        self.ready = ready

    @classmethod
    async def start(cls, args: list[str], *, log_path: Path, ready_within: float) -> SimProcess:
        """Launch `python -m harness.sim ARGS`; raise EnvironmentFailure if it is not ready."""
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "harness.sim",
                *args,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
            )
        try:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), ready_within)
        except TimeoutError:
            line = b""
        text = line.decode(errors="replace").strip()
        if not text.startswith("READY "):
            await cls(process, {}).stop()
            raise EnvironmentFailure(
                f"simulator `{' '.join(args)}` did not get ready within {ready_within:g} s "
                f"(said {text!r}; log: {log_path})"
            )
        return cls(process, json.loads(text.removeprefix("READY ")))

    async def stop(self, within: float = 5.0) -> None:
        """Terminate, then kill if it does not exit within `within` seconds."""
        if self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), within)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
