"""The `rig` DUT action backend: physical actions to the rig, the rest to the fallback."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from harness.dut.backends import RigBackend
from harness.outcomes import EnvironmentFailure


class Recorder:
    def __init__(self, name: str, delay: float = 0.0) -> None:
        self.name = name
        self.delay = delay
        self.actions = frozenset({"plug_in", "unplug", "power_cycle"})
        self.done: list[tuple[str, dict[str, Any]]] = []

    async def perform(
        self, action: str, params: Mapping[str, Any], timeout: float | None = None
    ) -> None:
        await asyncio.sleep(self.delay)
        self.done.append((action, dict(params)))


async def test_physical_actions_go_to_the_rig_others_to_the_fallback() -> None:
    rig, fallback = Recorder("rig"), Recorder("sim")
    backend = RigBackend(rig, fallback)
    await backend.perform("plug_in", {"evse": 1}, 1.0)
    await backend.perform("present_token", {"id_token": "X"}, 1.0)
    assert rig.done == [("plug_in", {"evse": 1})]
    assert fallback.done == [("present_token", {"id_token": "X"})]


async def test_a_slow_rig_action_is_bounded() -> None:
    backend = RigBackend(Recorder("rig", delay=1.0))
    with pytest.raises(EnvironmentFailure, match=r"over 0\.05 s"):
        await backend.perform("unplug", {}, 0.05)


async def test_without_rig_or_fallback_nothing_can_be_done() -> None:
    with pytest.raises(EnvironmentFailure, match="--ocpp-rig PATH"):
        await RigBackend().perform("plug_in", {}, 1.0)
    with pytest.raises(EnvironmentFailure, match="--ocpp-rig PATH"):
        await RigBackend(Recorder("rig")).perform("present_token", {}, 1.0)
