"""The cases can fail: clean simulators pass, every documented mutant is caught.

DESIGN.md "Test cases must be able to fail": each fault in `harness/sim/faults.py` names the
cases that catch it; here each claim is run and checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cases.coverage import implemented_cases
from harness.sim.faults import FAULTS
from tests.quality.conftest import SuiteRun, run_suite

pytestmark = pytest.mark.slow

CLAIMED = {
    f"{role}:{name}": fault
    for role, table in FAULTS.items()
    for name, fault in table.items()
    if fault.caught_by
}


def test_clean_simulators_pass_every_case(clean_run: SuiteRun) -> None:
    verdicts = clean_run.verdicts()
    implemented = {case_id for _, case_id in implemented_cases()}
    assert set(verdicts) == implemented, clean_run.output[-3000:]
    bad = {case_id: v for case_id, v in verdicts.items() if v not in ("PASS",)}
    assert not bad, clean_run.output[-6000:]


def test_every_case_is_claimed_by_a_mutant() -> None:
    implemented = {case_id for _, case_id in implemented_cases()}
    claimed = {case_id for fault in CLAIMED.values() for case_id in fault.caught_by}
    assert implemented <= claimed, f"cases no mutant proves: {sorted(implemented - claimed)}"


@pytest.mark.parametrize("fault", sorted(CLAIMED))
def test_mutant_is_caught(fault: str, tmp_path: Path) -> None:
    claim = CLAIMED[fault]
    name = fault.split(":", 1)[1]
    only = [f"--ocpp-case={case_id}" for case_id in claim.caught_by]
    run = run_suite(tmp_path, f"--ocpp-sim-fault={name}", *only)
    verdicts = run.verdicts()
    missed = {c: verdicts.get(c) for c in claim.caught_by if verdicts.get(c) != claim.expected}
    assert not missed, f"{fault} not caught ({claim.expected}): {missed}\n{run.output[-4000:]}"
