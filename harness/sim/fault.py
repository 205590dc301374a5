"""One fault switch (mutant) of a reference simulator, and how the per-area tables are joined."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault switch: what it breaks, which cases catch it, with which verdict."""

    description: str
    caught_by: tuple[str, ...] = ()
    expected: str = "FAIL"


def merged(*tables: dict[str, Fault]) -> dict[str, Fault]:
    """Join per-area fault tables of one simulator; a name defined twice is a programming error."""
    joined: dict[str, Fault] = {}
    for table in tables:
        for name, fault in table.items():
            if name in joined:
                raise ValueError(f"fault {name!r} is defined in two fault tables")
            joined[name] = fault
    return joined
