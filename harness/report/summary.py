"""Terminal summary of a run index, grouped by role, version and certification profile."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from harness.report.record import Verdict

#: Verdict columns with their short headers, in display order.
_COLUMNS: Final = (
    (Verdict.PASS, "PASS"),
    (Verdict.NON_STRICT, "NON-STRICT"),
    (Verdict.INFORMATIONAL, "INFO"),
    (Verdict.FAIL, "FAIL"),
    (Verdict.INCONCLUSIVE, "INCONCL"),
    (Verdict.NOT_APPLICABLE, "N/A"),
)
#: Verdicts whose cases are listed under the table: pytest shows them as passed or hides them.
_LISTED: Final = (Verdict.FAIL, Verdict.INCONCLUSIVE, Verdict.NON_STRICT, Verdict.INFORMATIONAL)


def summary_lines(
    index: Mapping[str, object], *, location: str | None = None, details: bool = True
) -> list[str]:
    """Render the index as a compact table, one row per (role, version, profile).

    With `details`, the FAIL, INCONCLUSIVE, NON-STRICT and INFORMATIONAL cases follow, one line
    each with the reason, since pytest reports the last two as plain passes.
    """
    groups = [group for group in _list(index.get("by_profile")) if isinstance(group, Mapping)]
    header = ["role", "version", "profile"] + [label for _, label in _COLUMNS] + ["pre-check"]
    rows: list[list[str]] = []
    for group in groups:
        counts = group.get("counts")
        counts = counts if isinstance(counts, Mapping) else {}
        rows.append(
            [
                str(group.get("role", "")),
                str(group.get("version", "")),
                str(group.get("profile", "")),
            ]
            + [str(counts.get(verdict.value, 0)) for verdict, _ in _COLUMNS]
            + [str(group.get("precheck", "")).upper()]
        )
    totals = index.get("totals")
    if len(rows) > 1 and isinstance(totals, Mapping):
        rows.append(
            ["all", "", ""] + [str(totals.get(verdict.value, 0)) for verdict, _ in _COLUMNS] + [""]
        )
    widths = [max(len(row[col]) for row in [header, *rows]) for col in range(len(header))]

    def render(row: list[str]) -> str:
        cells = [
            cell.ljust(width) if col < 3 or col == len(row) - 1 else cell.rjust(width)
            for col, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    where = location or str(index.get("run", "?"))
    lines = [f"OCPP conformance summary ({where})"]
    if not rows:
        lines.append("no cases recorded")
    else:
        lines.extend(render(row) for row in [header, *rows])
    status = index.get("status")
    if status != "complete":
        lines.append(f"run status: {status} (results so far)")
    if details:
        lines.extend(_details(index))
    return lines


def _details(index: Mapping[str, object]) -> list[str]:
    cases = [case for case in _list(index.get("cases")) if isinstance(case, Mapping)]
    listed = [case for verdict in _LISTED for case in cases if case.get("verdict") == verdict.value]
    if not listed:
        return []
    width = max(len(str(case.get("verdict", ""))) for case in listed)
    return [""] + [
        f"{str(case.get('verdict', '')).ljust(width)}  {case.get('id', '?')}: "
        f"{case.get('reason', '')}"
        for case in listed
    ]


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
