"""`--ocpp-rig` / `ocpp_rig`: validated at session start, stored for the runner."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLE = Path(__file__).resolve().parents[2] / "rigs" / "example-lab.toml"

READS_SETTINGS = """
from harness.pytest_plugin import SETTINGS_KEY

def test_rig_is_stored(request):
    rig = request.config.stash[SETTINGS_KEY].rig
    assert rig is not None and rig.name == "example-lab"
    assert [s.name for s in rig.instruments] == ["grid", "reference", "ev"]
"""


def test_rig_option_loads_the_file_into_run_settings(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_settings=READS_SETTINGS)
    result = pytester.runpytest_subprocess(f"--ocpp-rig={EXAMPLE}", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_rig_ini_key_works_too(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_settings=READS_SETTINGS)
    pytester.makeini(f"[pytest]\nocpp_rig = {EXAMPLE}\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_malformed_rig_ends_the_session_with_exit_code_4(pytester: pytest.Pytester) -> None:
    bad = pytester.path / "bad.toml"
    bad.write_text(EXAMPLE.read_text().replace("max_current = 32.0", 'max_current = "32"', 1))
    pytester.makepyfile(test_settings=READS_SETTINGS)
    result = pytester.runpytest_subprocess(f"--ocpp-rig={bad}", "-p", "no:cacheprovider")
    assert result.ret == 4
    result.stderr.fnmatch_lines(
        [
            f"*invalid rig description: {bad}: instrument[[]0[]].limits.max_current: "
            "expected a number > 0, got '32'*"
        ]
    )
