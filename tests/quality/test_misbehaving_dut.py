"""A silent, a disconnecting and a garbage-sending DUT each end in a verdict, on time."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cases.catalog import load_catalog
from harness.dut.profile import load_profile
from tests.quality.conftest import ROOT, run_suite

pytestmark = pytest.mark.slow

#: (fault, case run against it): both roles.
MISBEHAVIOUR = [
    ("silent", "TC_B_01_CS"),
    ("drop-after-boot", "TC_001_CS"),
    ("garbage", "TC_E_03_CS"),
    ("silent", "TC_B_01_CSMS"),
    ("drop-after-boot", "TC_E_03_CSMS"),
    ("garbage", "TC_E_03_CSMS"),
]


def _case_deadline(case_id: str) -> float:
    entry = next(e for e in load_catalog().values() if e.id == case_id)
    version = entry.version.replace(".", "")
    profile = load_profile(ROOT / "fixtures" / "dut" / f"reference-{entry.dut_role}-{version}.toml")
    return profile.timeouts.case


@pytest.mark.parametrize(("fault", "case_id"), MISBEHAVIOUR)
def test_misbehaving_dut_gets_a_verdict_within_the_deadline(
    fault: str, case_id: str, tmp_path: Path
) -> None:
    run = run_suite(tmp_path, f"--ocpp-sim-fault={fault}", f"--ocpp-case={case_id}")
    verdict = run.verdicts()[case_id]
    assert verdict in ("FAIL", "INCONCLUSIVE"), run.output[-3000:]
    assert run.durations()[case_id] <= _case_deadline(case_id) + 1.0
