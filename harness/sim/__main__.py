"""Run a reference simulator: `python -m harness.sim {station|csms} ...`.

Each simulator package has `main.py` with `main(argv: list[str]) -> int`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

SIMULATORS = ("station", "csms")


def main(argv: list[str]) -> int:
    """Dispatch to `harness.sim.<name>.main.main` for the simulator named first."""
    if not argv or argv[0] not in SIMULATORS:
        print(f"usage: python -m harness.sim {{{'|'.join(SIMULATORS)}}} [options]", file=sys.stderr)
        return 2
    run: Callable[[list[str]], int] = importlib.import_module(f"harness.sim.{argv[0]}.main").main
    return run(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
