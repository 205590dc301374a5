"""The cases can fail: clean simulators pass, every documented mutant is caught.

DESIGN.md "Test cases must be able to fail": each fault in `harness/sim/faults.py` names the
cases that catch it; here each claim is run and checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cases.coverage import case_files, implemented_cases
from harness.sim.faults import FAULTS
from tests.quality.conftest import SuiteRun, run_suite

pytestmark = pytest.mark.slow

FILES = case_files()
CLAIMED = {
    f"{role}:{name}": fault
    for role, table in FAULTS.items()
    for name, fault in table.items()
    if fault.caught_by
}


def _scheduled() -> set[str]:
    """Ids of every implemented case a plain run executes (on-demand ones need naming)."""
    return {case_id for (_, case_id), spec in implemented_cases().items() if not spec.on_demand}


def test_clean_simulators_pass_every_case(clean_run: SuiteRun) -> None:
    verdicts = clean_run.verdicts()
    implemented = _scheduled()
    families = {case_id.split("[", 1)[0] for case_id in verdicts}
    assert families == implemented, clean_run.output[-3000:]
    bad = {case_id: v for case_id, v in verdicts.items() if v not in ("PASS",)}
    assert not bad, clean_run.output[-6000:]


def test_every_case_is_claimed_by_a_mutant() -> None:
    implemented = _scheduled()
    claimed = {case_id for fault in CLAIMED.values() for case_id in fault.caught_by}
    assert implemented <= claimed, f"cases no mutant proves: {sorted(implemented - claimed)}"


@pytest.mark.parametrize("fault", sorted(CLAIMED))
def test_mutant_is_caught(fault: str, tmp_path: Path) -> None:
    claim = CLAIMED[fault]
    name = fault.split(":", 1)[1]
    only = [f"--ocpp-case={case_id}" for case_id in claim.caught_by]
    files = sorted({FILES[case_id] for case_id in claim.caught_by})
    run = run_suite(tmp_path, f"--ocpp-sim-fault={name}", *only, paths=files)
    verdicts = run.verdicts()
    missed = {
        c: v
        for c, v in family_verdicts(verdicts, claim.caught_by, claim.expected).items()
        if v != claim.expected
    }
    assert not missed, f"{fault} not caught ({claim.expected}): {missed}\n{run.output[-4000:]}"


def family_verdicts(
    verdicts: dict[str, str], wanted: tuple[str, ...], expected: str
) -> dict[str, str | None]:
    """Verdict per wanted id. A parametrized family (reported as `ID[param]` instances) counts
    as caught when one of its instances has the expected verdict."""
    found: dict[str, str | None] = {}
    for case_id in wanted:
        instances = [v for k, v in verdicts.items() if k == case_id or k.startswith(case_id + "[")]
        found[case_id] = expected if expected in instances else next(iter(instances), None)
    return found
