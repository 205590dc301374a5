"""The pytest plugin end to end, in child pytest runs (pytester)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.quality.conftest import ROOT

pytest_plugins = ["pytester"]

PROFILE = ROOT / "fixtures" / "dut" / "reference-csms-201.toml"

CASES = """
from harness.cases.model import ocpp_case
from harness.outcomes import EnvironmentFailure, NotApplicable


@ocpp_case("TC_B_01_CSMS", version="2.0.1")
async def test_must_broken(station, check):
    check.must(False, "a MUST the DUT broke", ref="X.FR.01")


@ocpp_case("TC_B_02_CSMS", version="2.0.1")
async def test_should_broken(station, check):
    check.should(False, "a SHOULD the DUT broke")


@ocpp_case("TC_B_06_CSMS", version="2.0.1")
async def test_environment_failed(station):
    raise EnvironmentFailure("the rig fell over")


@ocpp_case("TC_B_07_CSMS", version="2.0.1")
async def test_feature_absent(station):
    raise NotApplicable("no reservation")


@ocpp_case("TC_B_09_CSMS", version="2.0.1")
async def test_passes(station, check):
    await station.connect()
    boot = await station.boot()
    check.must(boot["status"] == "Accepted")
"""


def _index(path: Path) -> dict[str, str]:
    data = json.loads((path / "reports" / "latest" / "index.json").read_text())
    return {case["id"]: case["verdict"] for case in data["cases"]}


def test_inert_without_ocpp_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "reports").exists()
    assert "OCPP conformance" not in result.stdout.str()


def test_cases_skip_while_inactive(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_cases=CASES)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(skipped=5)


def test_verdicts_map_to_pytest_outcomes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_cases=CASES)
    result = pytester.runpytest_subprocess(
        f"--ocpp-dut={PROFILE}", "--ocpp-report-dir=reports", "-p", "no:cacheprovider", "-rA"
    )
    result.assert_outcomes(passed=2, failed=1, skipped=1, errors=1)
    assert _index(pytester.path) == {
        "TC_B_01_CSMS": "FAIL",
        "TC_B_02_CSMS": "NON-STRICT",
        "TC_B_06_CSMS": "INCONCLUSIVE",
        "TC_B_07_CSMS": "N/A",
        "TC_B_09_CSMS": "PASS",
    }
    out = result.stdout.str()
    assert "a MUST the DUT broke (X.FR.01)" in out
    assert "OCPP conformance summary" in out


def test_strict_turns_non_strict_into_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_cases=CASES)
    result = pytester.runpytest_subprocess(
        f"--ocpp-dut={PROFILE}", "--ocpp-strict", "-k", "TC_B_02_CSMS", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(failed=1)


def test_malformed_profile_exits_4_naming_the_key(pytester: pytest.Pytester) -> None:
    text = PROFILE.read_text().replace("profile = 0", "profile = 7")
    bad = pytester.path / "bad.toml"
    bad.write_text(text)
    pytester.makepyfile(test_cases=CASES)
    result = pytester.runpytest_subprocess(f"--ocpp-dut={bad}", "-p", "no:cacheprovider")
    assert result.ret == 4
    err = result.stderr.str() + result.stdout.str()
    assert "bad.toml" in err and "security.profile" in err and "7" in err
    assert not (pytester.path / "reports").exists()


def test_unknown_catalog_id_is_a_collection_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bad="""
from harness.cases.model import ocpp_case

@ocpp_case("TC_Z_99_CS", version="2.0.1")
async def test_x(csms):
    pass
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert "TC_Z_99_CS is not in the OCPP 2.0.1 catalog" in result.stdout.str()
