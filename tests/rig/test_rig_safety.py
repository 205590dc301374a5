"""The safe-state guarantee: exceptions, Ctrl-C, signals, failing and dead instruments."""

from __future__ import annotations

import os
import signal
import time
from types import FrameType

import pytest

from harness.rig import safety
from harness.rig.errors import SafeStateError
from harness.rig.safety import ProcessGuard, SafeState, make_safe
from tests.rig.safety_fakes import FakeEv, FakeSource, fake_bench


def test_normal_exit_and_exception_make_everything_safe() -> None:
    grid, ev = FakeSource("grid"), FakeEv("ev")
    bench = fake_bench(grid, ev)
    with SafeState(bench, guard_process=False):
        grid.output_on()
        ev.set_cp_state("C")
    assert (grid.on, ev.state) == (False, "A")
    with pytest.raises(ValueError, match="case failed"), SafeState(bench, guard_process=False):
        grid.output_on()
        ev.set_cp_state("C")
        raise ValueError("case failed")
    assert (grid.on, ev.state) == (False, "A")


def test_keyboard_interrupt_makes_everything_safe_and_propagates() -> None:
    grid, ev = FakeSource("grid"), FakeEv("ev")
    with pytest.raises(KeyboardInterrupt), SafeState(fake_bench(grid, ev), guard_process=False):
        grid.output_on()
        ev.set_cp_state("B")
        raise KeyboardInterrupt
    assert (grid.on, ev.state) == (False, "A")


def test_real_sigint_is_handled_by_the_guard_then_raises_keyboard_interrupt() -> None:
    grid, ev = FakeSource("grid"), FakeEv("ev")
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), SafeState(fake_bench(grid, ev)):
        grid.output_on()
        ev.set_cp_state("C")
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the handler interrupts this
        pytest.fail("SIGINT was not delivered")
    assert (grid.on, ev.state) == (False, "A")
    assert grid.calls.count("off") == 1  # the guard did it; the block's exit did not repeat it
    assert signal.getsignal(signal.SIGINT) is before


def test_a_failing_instrument_does_not_stop_the_others() -> None:
    bad, good, ev_bad, ev_good = (
        FakeSource("bad", "fail"),
        FakeSource("good"),
        FakeEv("ev-bad", "fail"),
        FakeEv("ev-good"),
    )
    bench = fake_bench(bad, good, ev_bad, ev_good)
    for source in (bad, good):
        source.output_on()
    ev_good.set_cp_state("C")
    with pytest.raises(SafeStateError) as caught, SafeState(bench, guard_process=False):
        pass
    assert good.on is False and ev_good.state == "A"
    assert bad.calls == ["on", "off"] and ev_bad.calls == ["safe"]
    text = str(caught.value)
    assert "bad: output off: connection reset by peer" in text
    assert "ev-bad: state A: EV emulator unplugged" in text


def test_safe_state_failures_never_mask_the_original_exception() -> None:
    bench = fake_bench(FakeSource("bad", "fail"), FakeSource("good"))
    with (
        pytest.raises(RuntimeError, match="the real problem") as caught,
        SafeState(bench, guard_process=False),
    ):
        raise RuntimeError("the real problem")
    notes = getattr(caught.value, "__notes__", [])
    assert notes == ["rig safe state incomplete: bad: output off: connection reset by peer"]


def test_a_dead_instrument_cannot_hang_the_exit() -> None:
    dead, good, ev = FakeSource("dead", "hang"), FakeSource("good"), FakeEv("ev")
    good.output_on()
    started = time.monotonic()
    try:
        report = make_safe(fake_bench(dead, good, ev), deadline_s=0.5)
    finally:
        dead.release.set()
    elapsed = time.monotonic() - started
    assert 0.4 < elapsed < 2.0
    assert report.failures == ["dead: output off: no confirmation within the 0.5 s deadline"]
    assert good.on is False and ev.state == "A"


def test_guard_restores_previous_handlers_and_atexit(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: list[object] = []
    monkeypatch.setattr(safety.atexit, "register", registered.append)
    monkeypatch.setattr(safety.atexit, "unregister", registered.remove)

    def custom(signum: int, frame: FrameType | None) -> None:
        """A handler someone else installed before."""

    previous_term = signal.signal(signal.SIGTERM, custom)
    try:
        guard = ProcessGuard(fake_bench(FakeSource("grid"))).install()
        assert signal.getsignal(signal.SIGTERM) == guard._on_signal
        assert len(registered) == 1
        guard.uninstall()
        guard.uninstall()  # idempotent
        assert signal.getsignal(signal.SIGTERM) is custom
        assert registered == []
    finally:
        signal.signal(signal.SIGTERM, previous_term)


def test_sigterm_runs_the_safe_state_then_the_previous_handler() -> None:
    grid = FakeSource("grid")
    seen: list[int] = []
    previous_term = signal.signal(signal.SIGTERM, lambda signum, frame: seen.append(signum))
    try:
        guard = ProcessGuard(fake_bench(grid)).install()
        grid.output_on()
        os.kill(os.getpid(), signal.SIGTERM)
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
        assert seen == [signal.SIGTERM] and grid.on is False
        assert guard.handled is not None and guard.handled.failures == []
        assert signal.getsignal(signal.SIGTERM) is not guard._on_signal
    finally:
        signal.signal(signal.SIGTERM, previous_term)


def test_at_exit_hook_makes_safe() -> None:
    grid, ev = FakeSource("grid"), FakeEv("ev")
    guard = ProcessGuard(fake_bench(grid, ev), deadline_s=1)
    grid.output_on()
    ev.set_cp_state("C")
    guard._at_exit()
    assert (grid.on, ev.state) == (False, "A")
