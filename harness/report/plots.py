"""PNG plots for case reports: reported versus measured values over the case's time axis.

Matplotlib with the Agg backend (no display); one figure per call, closed afterwards so a long
run does not accumulate figures. Points are `(t, value)` with t in seconds on the wire-log clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # after choosing the backend


@dataclass
class Series:
    """One line: its label, points, and whether it holds its value until the next point."""

    label: str
    points: list[tuple[float, float]] = field(default_factory=list)
    steps: bool = False
    markers: bool = False

    def add(self, t: float, value: float) -> None:
        """Append one point."""
        self.points.append((t, value))


@dataclass
class Panel:
    """One subplot: a y-axis label, its lines, optional horizontal limit lines."""

    ylabel: str
    series: list[Series]
    limits: list[tuple[str, float]] = field(default_factory=list)


def plot(
    path: Path,
    title: str,
    panels: Sequence[Panel],
    events: Sequence[tuple[float, str]] = (),
) -> Path:
    """Write a PNG with one panel per row sharing the time axis; `events` are vertical lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(
        len(panels), 1, sharex=True, figsize=(9, 2.6 * len(panels)), squeeze=False
    )
    try:
        for axis, panel in zip(axes[:, 0], panels, strict=True):
            for series in panel.series:
                if not series.points:
                    continue
                xs = [p[0] for p in series.points]
                ys = [p[1] for p in series.points]
                style = "o-" if series.markers else "-"
                if series.steps:
                    axis.step(xs, ys, style, where="post", label=series.label, markersize=3)
                else:
                    axis.plot(xs, ys, style, label=series.label, markersize=3)
            for label, value in panel.limits:
                axis.axhline(value, linestyle="--", color="red", linewidth=1, label=label)
            for t, label in events:
                axis.axvline(t, linestyle=":", color="grey", linewidth=1)
                if axis is axes[0, 0]:
                    axis.annotate(
                        label,
                        (t, 1.0),
                        xycoords=("data", "axes fraction"),
                        rotation=90,
                        va="top",
                        ha="right",
                        fontsize=7,
                    )
            axis.set_ylabel(panel.ylabel)
            axis.grid(True, alpha=0.3)
            if any(s.points for s in panel.series) or panel.limits:
                axis.legend(loc="best", fontsize=7)
        axes[-1, 0].set_xlabel("s since case start")
        axes[0, 0].set_title(title, fontsize=10)
        figure.tight_layout()
        figure.savefig(path, dpi=90)
    finally:
        plt.close(figure)
    return path
