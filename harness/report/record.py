"""Per-case record: what one conformance case concluded, and the rule that decides its verdict."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class Verdict(enum.Enum):
    """Outcome of one case (DESIGN.md, "Verdicts")."""

    PASS = "PASS"
    NON_STRICT = "NON-STRICT"
    INFORMATIONAL = "INFORMATIONAL"
    FAIL = "FAIL"
    INCONCLUSIVE = "INCONCLUSIVE"
    NOT_APPLICABLE = "N/A"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One soft check made by a case: its level, whether it held, and why."""

    level: str
    passed: bool
    message: str
    ref: str | None
    at: float

    def to_json(self) -> dict[str, object]:
        """Return the serializable form."""
        return {
            "level": self.level,
            "passed": self.passed,
            "message": self.message,
            "ref": self.ref,
            "at": round(self.at, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CheckResult:
        """Build a check from its serialized form; raises ValueError when malformed."""
        return cls(
            level=_str(data, "level"),
            passed=_bool(data, "passed"),
            message=_str(data, "message"),
            ref=_opt_str(data, "ref"),
            at=_float(data, "at"),
        )


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """Everything the report keeps about one executed case."""

    id: str
    title: str
    role: str
    version: str
    profile: str
    section: str
    nodeid: str
    verdict: Verdict
    reason: str
    refs: tuple[str, ...]
    checks: tuple[CheckResult, ...]
    deviations: tuple[dict[str, object], ...]
    started_at: str
    duration_s: float
    dut: str
    wire_log: str
    attachments: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        """Return the serializable form (the content of `cases/<name>.json`)."""
        return {
            "id": self.id,
            "title": self.title,
            "role": self.role,
            "version": self.version,
            "profile": self.profile,
            "section": self.section,
            "nodeid": self.nodeid,
            "verdict": self.verdict.value,
            "reason": self.reason,
            "refs": list(self.refs),
            "checks": [check.to_json() for check in self.checks],
            "deviations": [dict(deviation) for deviation in self.deviations],
            "started_at": self.started_at,
            "duration_s": round(self.duration_s, 6),
            "dut": self.dut,
            "wire_log": self.wire_log,
            "attachments": list(self.attachments),
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CaseRecord:
        """Build a record from its serialized form; raises ValueError when malformed."""
        try:
            verdict = Verdict(_str(data, "verdict"))
        except ValueError as exc:
            raise ValueError(f"unknown verdict {data.get('verdict')!r}") from exc
        return cls(
            id=_str(data, "id"),
            title=_str(data, "title"),
            role=_str(data, "role"),
            version=_str(data, "version"),
            profile=_str(data, "profile"),
            section=_str(data, "section"),
            nodeid=_str(data, "nodeid"),
            verdict=verdict,
            reason=_str(data, "reason"),
            refs=tuple(_str_list(data, "refs")),
            checks=tuple(CheckResult.from_json(item) for item in _dict_list(data, "checks")),
            deviations=tuple(_dict_list(data, "deviations")),
            started_at=_str(data, "started_at"),
            duration_s=_float(data, "duration_s"),
            dut=_str(data, "dut"),
            wire_log=_str(data, "wire_log"),
            attachments=tuple(_str_list(data, "attachments", required=False)),
            notes=tuple(_str_list(data, "notes", required=False)),
        )


#: A deviation as `verdict_from` accepts it: a serialized deviation (`{"level", "ref",
#: "message", ...}`), a bare level string, or a level enum (`harness.ocppj.deviations.Level`).
DeviationInput = Mapping[str, object] | str | enum.Enum


def verdict_from(
    checks: Iterable[CheckResult],
    deviations: Iterable[DeviationInput],
    *,
    inconclusive: str | None,
    not_applicable: str | None,
) -> tuple[Verdict, str]:
    """Decide a case's verdict and the one-line reason for it.

    N/A if the feature is absent; INCONCLUSIVE if the environment failed; FAIL on a failed MUST
    check or a MUST deviation; NON-STRICT on a failed SHOULD (check or deviation);
    INFORMATIONAL on a failed INFO check (INFO deviations alone do not count); else PASS.
    The reason is the earliest deciding item's message with its ref.
    """
    if not_applicable is not None:
        return Verdict.NOT_APPLICABLE, not_applicable
    if inconclusive is not None:
        return Verdict.INCONCLUSIVE, inconclusive
    checks = tuple(checks)
    # (level, at, order, message, ref) for every failed item that can decide a verdict.
    failed: list[tuple[str, float, int, str, str | None]] = []
    for order, check in enumerate(checks):
        if not check.passed:
            failed.append((check.level.upper(), check.at, order, check.message, check.ref))
    for order, raw in enumerate(deviations, start=len(checks)):
        level, at, message, ref = _deviation_fields(raw)
        if level in ("MUST", "SHOULD"):
            failed.append((level, at, order, message, ref))
    for level, verdict in (
        ("MUST", Verdict.FAIL),
        ("SHOULD", Verdict.NON_STRICT),
        ("INFO", Verdict.INFORMATIONAL),
    ):
        deciding = sorted(item for item in failed if item[0] == level)
        if deciding:
            _, _, _, message, ref = deciding[0]
            reason = f"{message} ({ref})" if ref else message
            if len(deciding) > 1:
                reason += f" (+{len(deciding) - 1} more {level})"
            return verdict, reason
    count = len(checks)
    return Verdict.PASS, f"all {count} check{'s' if count != 1 else ''} passed"


def pytest_outcome(verdict: Verdict, strict: bool) -> str:
    """Map a verdict to the pytest outcome: passed, failed, error or skipped.

    FAIL -> failed, INCONCLUSIVE -> error, N/A -> skipped, the rest -> passed; with strict,
    NON-STRICT -> failed (`--ocpp-strict`).
    """
    if verdict is Verdict.FAIL or (strict and verdict is Verdict.NON_STRICT):
        return "failed"
    if verdict is Verdict.INCONCLUSIVE:
        return "error"
    if verdict is Verdict.NOT_APPLICABLE:
        return "skipped"
    return "passed"


def _deviation_fields(raw: DeviationInput) -> tuple[str, float, str, str | None]:
    """Return (level, at, message, ref) of one deviation in any accepted form."""
    if isinstance(raw, str):
        return raw.upper(), math.inf, f"{raw.upper()} deviation", None
    if isinstance(raw, enum.Enum):
        level = str(raw.value).upper()
        return level, math.inf, f"{level} deviation", None
    level_value = raw.get("level")
    level = str(getattr(level_value, "value", level_value)).upper()
    at = raw.get("at")
    ref = raw.get("ref")
    return (
        level,
        float(at) if isinstance(at, int | float) else math.inf,
        str(raw.get("message") or f"{level} deviation"),
        str(ref) if ref else None,
    )


def _str(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key!r}: expected a string, got {value!r}")
    return value


def _opt_str(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key!r}: expected a string or null, got {value!r}")
    return value


def _bool(data: Mapping[str, object], key: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise ValueError(f"{key!r}: expected true or false, got {value!r}")
    return value


def _float(data: Mapping[str, object], key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key!r}: expected a number, got {value!r}")
    return float(value)


def _list(data: Mapping[str, object], key: str, required: bool) -> list[object]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{key!r}: expected a list, got {value!r}")
    return value


def _str_list(data: Mapping[str, object], key: str, *, required: bool = True) -> list[str]:
    items = _list(data, key, required)
    if not all(isinstance(item, str) for item in items):
        raise ValueError(f"{key!r}: expected a list of strings, got {items!r}")
    return [str(item) for item in items]


def _dict_list(data: Mapping[str, object], key: str) -> list[dict[str, object]]:
    items = _list(data, key, True)
    result: list[dict[str, object]] = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError(f"{key!r}: expected a list of objects, got {item!r}")
        result.append({str(k): v for k, v in item.items()})
    return result
