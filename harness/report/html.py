"""Self-contained HTML summary of a run: pre-check table, then every case with its wire log."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Final

from harness.report.record import Verdict
from harness.report.run import load_index, write_text_atomic

#: CSS class per verdict value ("N/A" is not a valid class name).
_CLASS: Final = {
    Verdict.PASS.value: "pass",
    Verdict.NON_STRICT.value: "nonstrict",
    Verdict.INFORMATIONAL.value: "info",
    Verdict.FAIL.value: "fail",
    Verdict.INCONCLUSIVE.value: "inconclusive",
    Verdict.NOT_APPLICABLE.value: "na",
}
#: Images up to this size are embedded as data URIs; larger ones are linked.
_EMBED_LIMIT: Final = 2_000_000
_IMAGE_TYPES: Final = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}

_CSS: Final = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
td.n{text-align:right}
.badge{display:inline-block;min-width:7em;text-align:center;border-radius:3px;font-weight:bold}
.pass{background:#cdeccd}.nonstrict{background:#ffe7a8}.info{background:#d4e6fb}
.fail{background:#f7c1c1}.inconclusive{background:#e2d0f0}.na{background:#e4e4e4}
details.case{margin:.3em 0;border-left:4px solid #ccc;padding-left:.5em}
details.case.fail{border-color:#d33}details.case.pass{border-color:#3a3}
pre,.wire td{font:12px/1.3 ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
.muted{color:#777}img{max-width:100%}
"""


def write_html(run_dir: Path, *, max_wire_lines: int = 5000) -> Path:
    """Render `run_dir/summary.html` from index.json, the case records and the wire logs."""
    index = load_index(run_dir / "index.json")
    title = f"OCPP conformance run {index.get('run', run_dir.name)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        _run_info(index),
        "<h2>Pre-check by certification profile</h2>",
        _profile_table(index),
        "<h2>Cases</h2>",
    ]
    for entry in _mappings(index.get("cases")):
        parts.append(_case(run_dir, entry, max_wire_lines))
    parts.append("</body></html>\n")
    path = run_dir / "summary.html"
    write_text_atomic(path, "\n".join(parts))
    return path


def _run_info(index: Mapping[str, object]) -> str:
    rows = [
        ("status", index.get("status")),
        ("started", index.get("started_at")),
        ("finished", index.get("finished_at")),
    ]
    meta = index.get("meta")
    if isinstance(meta, Mapping):
        rows.extend((str(key), value) for key, value in meta.items())
    return _table(["", ""], [[_text(key), _text(value)] for key, value in rows], header=False)


def _profile_table(index: Mapping[str, object]) -> str:
    verdicts = [verdict.value for verdict in Verdict]
    rows = []
    for group in _mappings(index.get("by_profile")):
        counts = group.get("counts")
        counts = counts if isinstance(counts, Mapping) else {}
        precheck = str(group.get("precheck", ""))
        css = {"pass": "pass", "fail": "fail"}.get(precheck, "inconclusive")
        rows.append(
            [_text(group.get(key)) for key in ("role", "version", "profile")]
            + [f'<td class="n">{escape(str(counts.get(value, 0)))}</td>' for value in verdicts]
            + [f'<td><span class="badge {css}">{escape(precheck.upper())}</span></td>']
        )
    return _table(["role", "version", "profile", *verdicts, "pre-check"], rows)


def _case(run_dir: Path, entry: Mapping[str, object], max_wire_lines: int) -> str:
    record = _read_json(run_dir / str(entry.get("record", "")))
    data: Mapping[str, object] = record if isinstance(record, Mapping) else entry
    verdict = str(data.get("verdict", ""))
    css = _CLASS.get(verdict, "na")
    opened = " open" if verdict in (Verdict.FAIL.value, Verdict.INCONCLUSIVE.value) else ""
    out = [
        f'<details class="case {css}"{opened}><summary>'
        f'<span class="badge {css}">{escape(verdict)}</span> '
        f"<b>{escape(str(data.get('id', '')))}</b> {escape(str(data.get('title', '')))}"
        f' <span class="muted">— {escape(str(data.get("reason", "")))}</span></summary>'
    ]
    facts = ["role", "version", "profile", "section", "nodeid", "dut", "started_at", "duration_s"]
    out.append(
        _table(["", ""], [[_text(key), _text(data.get(key))] for key in facts], header=False)
    )
    refs = data.get("refs")
    if isinstance(refs, list) and refs:
        out.append(f"<p>Requirements: {escape(', '.join(str(ref) for ref in refs))}</p>")
    checks = [
        [
            _text(c.get("level")),
            _text("ok" if c.get("passed") else "FAILED"),
            _text(c.get("message")),
            _text(c.get("ref")),
            _text(c.get("at")),
        ]
        for c in _mappings(data.get("checks"))
    ]
    if checks:
        out.append(_table(["level", "result", "message", "ref", "at (s)"], checks))
    deviations = [
        [_text(d.get(key)) for key in ("level", "ref", "message", "at", "frame")]
        for d in _mappings(data.get("deviations"))
    ]
    if deviations:
        out.append("<p>Deviations</p>")
        out.append(_table(["level", "ref", "message", "at (s)", "frame"], deviations))
    notes = data.get("notes")
    if isinstance(notes, list) and notes:
        out.append("<ul>" + "".join(f"<li>{escape(str(note))}</li>" for note in notes) + "</ul>")
    attachments = data.get("attachments")
    for relative in attachments if isinstance(attachments, list) else []:
        out.append(_attachment(run_dir, str(relative)))
    wire = str(data.get("wire_log") or "")
    if wire:
        out.append(_wire_log(run_dir / wire, wire, max_wire_lines))
    out.append("</details>")
    return "\n".join(out)


def _attachment(run_dir: Path, relative: str) -> str:
    path = run_dir / relative
    mime = _IMAGE_TYPES.get(path.suffix.lower())
    if mime and path.is_file() and path.stat().st_size <= _EMBED_LIMIT:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<p><img alt="{escape(relative)}" src="data:{mime};base64,{data}"></p>'
    return f'<p><a href="{escape(relative)}">{escape(relative)}</a></p>'


def _wire_log(path: Path, relative: str, max_lines: int) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        return f'<p class="muted">wire log {escape(relative)} unavailable: {escape(str(exc))}</p>'
    rows = []
    for line in lines[:max_lines]:
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        if not isinstance(item, dict):
            rows.append(["<td></td>", "<td></td>", "<td></td>", _text(line)])
            continue
        arrow = {"in": "←", "out": "→"}.get(str(item.get("dir")), "")
        t = item.get("t")
        when = f"{t:.3f}" if isinstance(t, int | float) else str(t)
        rows.append(
            [
                f'<td class="n">{escape(when)}</td>',
                _text(arrow),
                _text(item.get("kind")),
                _text(item.get("text")),
            ]
        )
    more = len(lines) - max_lines
    tail = f'<p class="muted">{more} more entries in {escape(relative)}</p>' if more > 0 else ""
    table = _table(["t (s)", "dir", "kind", "text"], rows, css="wire")
    return (
        f"<details><summary>wire log ({len(lines)} entries, {escape(relative)})</summary>"
        f"{table}{tail}</details>"
    )


def _table(head: list[str], rows: list[list[str]], *, header: bool = True, css: str = "") -> str:
    """Build a table from pre-rendered `<td>` cells; `head` is plain text."""
    attr = f' class="{css}"' if css else ""
    top = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>" if header else ""
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f"<table{attr}>{top}{body}</table>"


def _text(value: object) -> str:
    shown = "" if value is None else str(value)
    return f"<td>{escape(shown)}</td>"


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _mappings(value: object) -> list[Mapping[str, object]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]
