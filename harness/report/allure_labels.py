"""Allure integration: title, suites, labels, links and attachments for the running test.

Every function is a no-op unless an Allure listener is registered (allure-pytest with
`--alluredir`), and never raises: a reporting problem must not change a verdict.
Call `label_case` during the test's setup, call or teardown phase: allure-pytest adds its
default suite labels at the end of teardown, only where none were set.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, Protocol

from harness.report.record import CaseRecord

# Loaded dynamically and typed Any: allure's API is untyped.
allure: Any
allure_commons: Any
try:
    allure = importlib.import_module("allure")
    allure_commons = importlib.import_module("allure_commons")
except ImportError:  # pragma: no cover - allure-pytest is a dependency, but stay inert without it
    allure = allure_commons = None


class CaseLike(Protocol):
    """What labelling needs from a case: its declaration (a CaseRecord fits)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def profile(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def refs(self) -> Sequence[str]: ...


#: Allure attachment type names by file suffix.
_TYPES: Final = {
    ".png": "PNG",
    ".svg": "SVG",
    ".jpg": "JPG",
    ".jpeg": "JPG",
    ".json": "JSON",
    ".jsonl": "TEXT",
    ".log": "TEXT",
    ".txt": "TEXT",
    ".csv": "CSV",
    ".html": "HTML",
    ".pcap": "PCAP",
}


def is_active() -> bool:
    """Return whether an Allure listener would record labels for the current test."""
    if allure_commons is None:
        return False
    try:
        return bool(allure_commons.plugin_manager.hook.add_label.get_hookimpls())
    except Exception:  # pragma: no cover - unexpected allure internals
        return False


def label_case(case: CaseLike, *, ref_url: str | Callable[[str], str] | None = None) -> None:
    """Set title, suites (role+version / profile / section), OCPP labels and requirement refs.

    Refs become tags; with `ref_url` (a `str.format` pattern such as
    `"https://example.org/req/{}"`, or a function) they also become links.
    """
    if not is_active():
        return
    if ref_url is None:
        links: list[tuple[str, str]] = []
    elif callable(ref_url):
        links = [(ref_url(ref), ref) for ref in case.refs]
    else:
        links = [(ref_url.format(ref), ref) for ref in case.refs]

    def apply() -> None:
        dynamic = allure.dynamic
        dynamic.title(f"{case.id} {case.title}")
        dynamic.parent_suite(f"{case.role} {case.version}")
        dynamic.suite(case.profile)
        if case.section:
            dynamic.sub_suite(case.section)
        dynamic.label("ocpp_id", case.id)
        dynamic.label("ocpp_role", case.role)
        dynamic.label("ocpp_version", case.version)
        dynamic.label("ocpp_profile", case.profile)
        if case.refs:
            dynamic.tag(*case.refs)
        for url, ref in links:
            dynamic.link(url, name=ref)

    _safely("label the case", apply)


def label_verdict(record: CaseRecord) -> None:
    """Record the OCPP verdict and its reason (Allure only knows passed/failed/broken/skipped)."""
    if not is_active():
        return

    def apply() -> None:
        allure.dynamic.label("ocpp_verdict", record.verdict.value)
        lines = [f"**{record.verdict.value}**: {record.reason}", ""]
        lines += [
            f"- {'ok' if check.passed else 'FAILED'} {check.level} {check.message}"
            + (f" ({check.ref})" if check.ref else "")
            for check in record.checks
        ]
        lines += [f"- note: {note}" for note in record.notes]
        allure.dynamic.description("\n".join(lines))

    _safely("label the verdict", apply)


def attach_file(path: Path, name: str, *, attachment_type: str | None = None) -> None:
    """Attach a file (plot, log...) to the current test; the type defaults from the suffix.

    `attachment_type` is an `allure.attachment_type` member name such as "PNG" or "TEXT".
    """
    if not is_active() or not path.is_file():
        return

    def apply() -> None:
        type_name = attachment_type or _TYPES.get(path.suffix.lower())
        kind = getattr(allure.attachment_type, type_name) if type_name else None
        extension = path.suffix.lstrip(".") or None
        allure.attach.file(str(path), name=name, attachment_type=kind, extension=extension)

    _safely(f"attach {path.name}", apply)


def attach_wire_log(path: Path, name: str = "wire log") -> None:
    """Attach the case's JSON-lines wire log as text (JSON lines are not one JSON document)."""
    attach_file(path, name, attachment_type="TEXT")


def report_case(record: CaseRecord, run_dir: Path) -> None:
    """Label the verdict and attach the wire log and other attachments of a finished case."""
    if not is_active():
        return
    label_verdict(record)
    if record.wire_log:
        attach_wire_log(run_dir / record.wire_log)
    for relative in record.attachments:
        attach_file(run_dir / relative, Path(relative).name)


def _safely(what: str, action: Callable[[], Any]) -> None:
    """Run an Allure call; on error warn instead of raising."""
    try:
        action()
    except Exception as exc:
        warnings.warn(f"allure: could not {what}: {exc!r}", RuntimeWarning, stacklevel=3)
