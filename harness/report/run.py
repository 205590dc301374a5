"""The run directory: one folder per run, a JSON record per case and an index kept current.

Layout (relative to the reports root)::

    latest -> 20250101-120000-000/      (symlink; `latest.txt` where symlinks are unavailable)
    20250101-120000-000/
        index.json                      rewritten after every case, so an abort keeps results
        cases/<safe>.json               one CaseRecord each
        wire/<safe>.jsonl               wire logs
        artifacts/<safe>/               plots and other per-case files
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from harness.report.record import CaseRecord, Verdict
from harness.report.summary import summary_lines

__all__ = ["INDEX_NAME", "RunReport", "load_index", "safe_name", "summary_lines"]

INDEX_NAME: Final = "index.json"
STATUSES: Final = ("running", "complete", "aborted")
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_PARAM: Final = 60


def safe_name(case_id: str, nodeid: str) -> str:
    """Return a file-name stem unique to (case id, node id) and safe on every filesystem.

    Parametrized node ids carry `[`, `]`, `/` and `:`; the readable part keeps the case id and
    the parameter id, the hash of the full node id keeps names unique (also on
    case-insensitive filesystems).
    """
    digest = hashlib.sha1(f"{case_id}\n{nodeid}".encode()).hexdigest()[:10]
    stem = _UNSAFE.sub("_", case_id).strip("._") or "case"
    if nodeid.endswith("]") and "[" in nodeid:
        param = _UNSAFE.sub("_", nodeid[nodeid.index("[") + 1 : -1]).strip("._")
        if param:
            stem += "__" + param[:_MAX_PARAM]
    return f"{stem}__{digest}"


class RunReport:
    """Writer of one run directory; every write is atomic (temp file + os.replace)."""

    def __init__(self, directory: Path, *, started_at: str, meta: dict[str, object]) -> None:
        self.directory = directory
        self.started_at = started_at
        self.meta = dict(meta)
        self.status = "running"
        self.finished_at: str | None = None
        # Index entries keyed by record path: a rerun of the same node replaces its entry.
        self._entries: dict[str, dict[str, object]] = {}

    @classmethod
    def create(
        cls,
        root: Path,
        *,
        started: datetime | None = None,
        meta: dict[str, object] | None = None,
    ) -> RunReport:
        """Make `root/<YYYYmmdd-HHMMSS-fff>/` (UTC), write a running index and point `latest`."""
        moment = (datetime.now(UTC) if started is None else started).astimezone(UTC)
        root.mkdir(parents=True, exist_ok=True)
        base = moment.strftime("%Y%m%d-%H%M%S-") + f"{moment.microsecond // 1000:03d}"
        directory = _make_unique_dir(root, base)
        report = cls(directory, started_at=_utc(moment), meta=meta or {})
        report._write_index()
        _point_latest(root, directory.name)
        return report

    @property
    def name(self) -> str:
        """Return the run's directory name (its id)."""
        return self.directory.name

    def case_dir(self, case_id: str, nodeid: str) -> Path:
        """Return (and create) the per-case folder for plots and other attachments."""
        path = self.directory / "artifacts" / safe_name(case_id, nodeid)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def wire_log_path(self, case_id: str, nodeid: str) -> Path:
        """Return the path for the case's wire log (JSON lines); its folder exists."""
        path = self.directory / "wire" / f"{safe_name(case_id, nodeid)}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def relative(self, path: Path) -> str:
        """Return `path` relative to the run directory, with forward slashes."""
        return path.resolve().relative_to(self.directory.resolve()).as_posix()

    def add(self, record: CaseRecord) -> Path:
        """Write the case record, then the updated index; return the record's path."""
        relative = f"cases/{safe_name(record.id, record.nodeid)}.json"
        path = self.directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path, record.to_json())
        self._entries[relative] = {
            "id": record.id,
            "title": record.title,
            "role": record.role,
            "version": record.version,
            "profile": record.profile,
            "verdict": record.verdict.value,
            "reason": record.reason,
            "duration_s": round(record.duration_s, 3),
            "record": relative,
            "wire_log": record.wire_log,
        }
        self._write_index()
        return path

    def finish(self, *, status: str = "complete") -> None:
        """Write the final index with the end time and `status` (complete or aborted)."""
        if status not in STATUSES:
            raise ValueError(f"run status must be one of {STATUSES}, got {status!r}")
        self.status = status
        self.finished_at = _utc(datetime.now(UTC))
        self._write_index()

    def index(self) -> dict[str, object]:
        """Return the index as it stands (the content of index.json)."""
        entries = list(self._entries.values())
        return {
            "run": self.directory.name,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "status": self.status,
            "meta": self.meta,
            "totals": _counts(entries),
            "by_profile": _by_profile(entries),
            "cases": entries,
        }

    def _write_index(self) -> None:
        write_json_atomic(self.directory / INDEX_NAME, self.index())


def load_index(path: Path) -> dict[str, object]:
    """Read a run index from index.json, a run directory, or a reports root (its latest run)."""
    file = _index_file(path)
    data = json.loads(file.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{file}: expected a JSON object, got {type(data).__name__}")
    return data


def precheck(counts: dict[str, int]) -> str:
    """Return a profile's pre-check result: fail on any FAIL, incomplete on INCONCLUSIVE."""
    if counts.get(Verdict.FAIL.value, 0):
        return "fail"
    if counts.get(Verdict.INCONCLUSIVE.value, 0):
        return "incomplete"
    return "pass"


def _counts(entries: list[dict[str, object]]) -> dict[str, int]:
    seen = Counter(str(entry["verdict"]) for entry in entries)
    return {verdict.value: seen.get(verdict.value, 0) for verdict in Verdict}


def _by_profile(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    groups: dict[tuple[str, str, str], list[dict[str, object]]] = {}
    for entry in entries:
        key = (str(entry["role"]), str(entry["version"]), str(entry["profile"]))
        groups.setdefault(key, []).append(entry)
    result: list[dict[str, object]] = []
    for (role, version, profile), members in sorted(groups.items()):
        counts = _counts(members)
        result.append(
            {
                "role": role,
                "version": version,
                "profile": profile,
                "total": len(members),
                "counts": counts,
                "precheck": precheck(counts),
            }
        )
    return result


def _utc(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _make_unique_dir(root: Path, base: str) -> Path:
    """Create root/base, or root/base-2, -3... when another run took the name (mkdir is atomic)."""
    for attempt in range(1, 1000):
        directory = root / (base if attempt == 1 else f"{base}-{attempt}")
        try:
            directory.mkdir()
        except FileExistsError:
            continue
        return directory
    raise FileExistsError(f"no free run directory name for {root / base}")


def _point_latest(root: Path, name: str) -> None:
    """Point root/latest at `name`: a relative symlink swapped atomically, else latest.txt."""
    temp = root / f".latest-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        os.symlink(name, temp, target_is_directory=True)
    except (OSError, NotImplementedError):
        write_text_atomic(root / "latest.txt", name + "\n")
        return
    try:
        os.replace(temp, root / "latest")
    except OSError:  # `latest` is a real directory, or the filesystem refuses
        temp.unlink(missing_ok=True)
        write_text_atomic(root / "latest.txt", name + "\n")


def _index_file(path: Path) -> Path:
    if path.is_file():
        return path
    if (path / INDEX_NAME).is_file():
        return path / INDEX_NAME
    pointer = path / "latest.txt"
    if not (path / "latest").exists() and pointer.is_file():
        return path / pointer.read_text(encoding="utf-8").strip() / INDEX_NAME
    return path / "latest" / INDEX_NAME


def write_json_atomic(path: Path, data: object) -> None:
    """Write `data` as indented UTF-8 JSON, atomically."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write via a temp file and os.replace, so readers never see a partial file."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temp, 0o644)  # mkstemp makes 0600; reports are meant to be shared
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
