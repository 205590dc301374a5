"""Which official cases `testcases/` implements, set against the catalog."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

from harness.cases.catalog import CatalogEntry, load_catalog
from harness.cases.model import CaseSpec

TESTCASES_DIR = Path(__file__).resolve().parents[2] / "testcases"


def case_files(directory: Path = TESTCASES_DIR) -> dict[str, Path]:
    """Case id -> the `test_*.py` file that defines it (for running a few cases quickly)."""
    return {case_id: path for (_, case_id), (_, path) in _scan(directory).items()}


def implemented_cases(directory: Path = TESTCASES_DIR) -> dict[tuple[str, str], CaseSpec]:
    """Import every `test_*.py` under `directory` and return its cases by (version, id)."""
    return {key: spec for key, (spec, _) in _scan(directory).items()}


def _scan(directory: Path) -> dict[tuple[str, str], tuple[CaseSpec, Path]]:
    """Import every `test_*.py` under `directory`: each case with its file."""
    root = str(directory.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    found: dict[tuple[str, str], tuple[CaseSpec, Path]] = {}
    for path in sorted(directory.rglob("test_*.py")):
        module_name = ".".join(path.relative_to(directory.parent).with_suffix("").parts)
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        for value in vars(module).values():
            case = getattr(value, "ocpp_case", None)
            if isinstance(case, CaseSpec):
                found[(case.version, case.id)] = (case, path)
    return found


def coverage_rows(
    implemented: dict[tuple[str, str], CaseSpec],
) -> list[tuple[str, str, str, int, int]]:
    """Rows (version, role, section, implemented, total) in catalog order."""
    totals: Counter[tuple[str, str, str]] = Counter()
    done: Counter[tuple[str, str, str]] = Counter()
    order: list[tuple[str, str, str]] = []
    entry: CatalogEntry
    for key, entry in load_catalog().items():
        group = (entry.version, entry.dut_role, entry.section)
        if group not in totals:
            order.append(group)
        totals[group] += 1
        if key in implemented:
            done[group] += 1
    return [(v, r, s, done[(v, r, s)], totals[(v, r, s)]) for v, r, s in order]


def coverage_table(rows: list[tuple[str, str, str, int, int]], *, sections: bool) -> list[str]:
    """Render coverage as a Markdown table, per section or per version and role."""
    if not sections:
        merged: dict[tuple[str, str], list[int]] = {}
        for version, role, _, done, total in rows:
            counts = merged.setdefault((version, role), [0, 0])
            counts[0] += done
            counts[1] += total
        lines = ["| version | DUT | implemented | total |", "|---|---|---:|---:|"]
        lines += [f"| {v} | {r} | {d} | {t} |" for (v, r), (d, t) in merged.items()]
        return lines
    lines = ["| version | DUT | section | implemented | total |", "|---|---|---|---:|---:|"]
    lines += [f"| {v} | {r} | {s} | {d} | {t} |" for v, r, s, d, t in rows]
    return lines
