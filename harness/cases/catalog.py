"""The official test case catalogs (ids, sections, titles, certification profiles) as data.

The CSVs in `fixtures/catalog/` are copies of the Open Charge Alliance catalogs; 2.0.1 rows carry
the certification profile from Part 5, 1.6 rows get theirs from the section number (catalog
README: 01-17 and 24 Core, 18 Local Auth List Management, 19-20 Firmware Management,
21 Reservation, 22 Remote Trigger, 23 Smart Charging, 25 Security).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

CATALOG_DIR: Final = Path(__file__).resolve().parents[2] / "fixtures" / "catalog"

_PROFILE_16_BY_SECTION: Final = {
    18: "Local Auth List Management",
    19: "Firmware Management",
    20: "Firmware Management",
    21: "Reservation",
    22: "Remote Trigger",
    23: "Smart Charging",
    25: "Security",
}
_PROFILE_16_CSMS: Final = {
    "Core": "Core",
    "Local Auth List Management": "Local Auth List Management",
}


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One official test case."""

    id: str
    version: str
    system_under_test: str
    section: str
    title: str
    profiles: tuple[str, ...]
    requirement: str

    @property
    def profile(self) -> str:
        """The first certification profile, or "Other" outside the certification program."""
        return self.profiles[0] if self.profiles else "Other"

    @property
    def dut_role(self) -> str:
        """`station` when a charging station is under test, `csms` otherwise."""
        return "station" if self.system_under_test == "charging-station" else "csms"


class CatalogError(ValueError):
    """A case names an id or title the official catalog does not have."""


def _profiles_16(section: str) -> tuple[str, ...]:
    head = section.split(" ", 1)[0]
    if head.isdigit():
        return (_PROFILE_16_BY_SECTION.get(int(head), "Core"),)
    return (section,)


def _read(path: Path) -> list[CatalogEntry]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    entries = []
    for row in rows:
        profiles_text = row.get("certification_profile") or ""
        if row["ocpp_version"] == "1.6":
            profiles = _profiles_16(row["section"])
        else:
            profiles = tuple(p.strip() for p in profiles_text.split(";") if p.strip())
        entries.append(
            CatalogEntry(
                id=row["id"],
                version=row["ocpp_version"],
                system_under_test=row["system_under_test"],
                section=row["section"],
                title=row["title"],
                profiles=profiles,
                requirement=row.get("requirement") or "",
            )
        )
    return entries


@cache
def load_catalog(directory: Path = CATALOG_DIR) -> dict[tuple[str, str], CatalogEntry]:
    """All catalog entries keyed by (version, id)."""
    entries: dict[tuple[str, str], CatalogEntry] = {}
    for path in sorted(directory.glob("ocpp*.csv")):
        for entry in _read(path):
            entries[(entry.version, entry.id)] = entry
    return entries


def lookup(version: str, case_id: str, title: str | None = None) -> CatalogEntry:
    """Return the catalog entry; raise CatalogError for an unknown id or a wrong title."""
    entry = load_catalog().get((version, case_id))
    if entry is None:
        raise CatalogError(f"{case_id} is not in the OCPP {version} catalog ({CATALOG_DIR})")
    if title is not None and title != entry.title:
        raise CatalogError(f"{case_id}: title {title!r} differs from the catalog's {entry.title!r}")
    return entry
