"""Tests of the report layer: verdict rule, record model, run directory, summaries, Allure."""

from __future__ import annotations

import enum
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from harness.report import allure_labels
from harness.report.html import write_html
from harness.report.record import (
    CaseRecord,
    CheckResult,
    Verdict,
    pytest_outcome,
    verdict_from,
)
from harness.report.run import RunReport, load_index, safe_name, summary_lines

STARTED = datetime(2025, 3, 4, 5, 6, 7, 891_000, tzinfo=UTC)


def check(
    level: str, passed: bool, message: str = "m", ref: str | None = "R.1", at: float = 0.0
) -> CheckResult:
    return CheckResult(level=level, passed=passed, message=message, ref=ref, at=at)


def record(case_id: str = "TC_B_01_CS", **changes: object) -> CaseRecord:
    base = CaseRecord(
        id=case_id,
        title="Cold boot - accepted",
        role="station",
        version="2.0.1",
        profile="Core",
        section="B Provisioning",
        nodeid=f"testcases/v201/station/test_b.py::test_{case_id.lower()}",
        verdict=Verdict.PASS,
        reason="all 1 check passed",
        refs=("B01.FR.01",),
        checks=(check("MUST", True, "boot reason PowerUp", "B01.FR.01", 1.25),),
        deviations=(
            {"level": "INFO", "ref": "X", "message": "late", "at": 2.0, "frame": "[2,...]"},
        ),
        started_at="2025-03-04T05:06:07.891Z",
        duration_s=1.5,
        dut="reference-station",
        wire_log=f"wire/{case_id}.jsonl",
        attachments=("artifacts/plot.png",),
        notes=("unconsumed: Heartbeat",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# --- verdict rule --------------------------------------------------------------------------


def test_verdict_pass_without_failures() -> None:
    assert verdict_from([], [], inconclusive=None, not_applicable=None) == (
        Verdict.PASS,
        "all 0 checks passed",
    )
    verdict, reason = verdict_from(
        [check("MUST", True), check("INFO", True)], [], inconclusive=None, not_applicable=None
    )
    assert (verdict, reason) == (Verdict.PASS, "all 2 checks passed")


@pytest.mark.parametrize(
    ("checks", "deviations", "expected"),
    [
        ([check("MUST", False, "reason was Unknown", "B01.FR.01")], [], Verdict.FAIL),
        ([], [{"level": "MUST", "ref": "C.1", "message": "bad frame", "at": 1.0}], Verdict.FAIL),
        ([check("SHOULD", False)], [], Verdict.NON_STRICT),
        ([], [{"level": "SHOULD", "ref": "S.1", "message": "slow"}], Verdict.NON_STRICT),
        ([check("INFO", False)], [], Verdict.INFORMATIONAL),
        ([], [{"level": "INFO", "ref": "I.1", "message": "fyi"}], Verdict.PASS),
        ([], ["MUST"], Verdict.FAIL),
        ([], ["should"], Verdict.NON_STRICT),
    ],
)
def test_verdict_each_rule(
    checks: list[CheckResult], deviations: list[object], expected: Verdict
) -> None:
    verdict, _ = verdict_from(checks, deviations, inconclusive=None, not_applicable=None)  # type: ignore[arg-type]
    assert verdict is expected


def test_verdict_precedence() -> None:
    failing = [check("INFO", False, at=0.1), check("SHOULD", False, at=0.2), check("MUST", False)]
    assert verdict_from(failing, [], inconclusive=None, not_applicable=None)[0] is Verdict.FAIL
    assert verdict_from(failing, ["MUST"], inconclusive="DUT unreachable", not_applicable=None) == (
        Verdict.INCONCLUSIVE,
        "DUT unreachable",
    )
    assert verdict_from(failing, [], inconclusive="x", not_applicable="no reservation") == (
        Verdict.NOT_APPLICABLE,
        "no reservation",
    )
    # SHOULD deviation outranks an INFO check.
    assert (
        verdict_from([check("INFO", False)], ["SHOULD"], inconclusive=None, not_applicable=None)[0]
        is Verdict.NON_STRICT
    )


def test_verdict_reason_is_earliest_deciding_item_with_ref() -> None:
    checks = [check("MUST", False, "late check", "B01.FR.02", at=2.0)]
    deviations = [{"level": "MUST", "ref": "OCPP-J 4.1", "message": "bad id", "at": 1.0}]
    verdict, reason = verdict_from(checks, deviations, inconclusive=None, not_applicable=None)
    assert verdict is Verdict.FAIL
    assert reason == "bad id (OCPP-J 4.1) (+1 more MUST)"
    single = verdict_from(checks, [], inconclusive=None, not_applicable=None)
    assert single == (Verdict.FAIL, "late check (B01.FR.02)")


def test_verdict_accepts_level_enums() -> None:
    class Level(enum.Enum):
        MUST = "MUST"

    assert verdict_from([], [Level.MUST], inconclusive=None, not_applicable=None)[0] is Verdict.FAIL


@pytest.mark.parametrize(
    ("verdict", "strict", "outcome"),
    [
        (Verdict.PASS, False, "passed"),
        (Verdict.NON_STRICT, False, "passed"),
        (Verdict.NON_STRICT, True, "failed"),
        (Verdict.INFORMATIONAL, True, "passed"),
        (Verdict.FAIL, False, "failed"),
        (Verdict.INCONCLUSIVE, False, "error"),
        (Verdict.NOT_APPLICABLE, True, "skipped"),
    ],
)
def test_pytest_outcome(verdict: Verdict, strict: bool, outcome: str) -> None:
    assert pytest_outcome(verdict, strict) == outcome


# --- record model --------------------------------------------------------------------------


def test_record_json_round_trip() -> None:
    original = record(verdict=Verdict.NOT_APPLICABLE, reason="feature absent")
    data = json.loads(json.dumps(original.to_json()))
    assert data["verdict"] == "N/A"
    assert CaseRecord.from_json(data) == original


def test_record_from_json_rejects_malformed() -> None:
    data = record().to_json()
    with pytest.raises(ValueError, match="verdict"):
        CaseRecord.from_json({**data, "verdict": "MAYBE"})
    with pytest.raises(ValueError, match="duration_s"):
        CaseRecord.from_json({**data, "duration_s": "1.5"})
    with pytest.raises(ValueError, match="passed"):
        CaseRecord.from_json({**data, "checks": [{"level": "MUST", "passed": 1}]})


# --- run directory ---------------------------------------------------------------------------


def test_create_makes_directory_latest_link_and_running_index(tmp_path: Path) -> None:
    report = RunReport.create(tmp_path, started=STARTED, meta={"dut": "ref"})
    assert report.directory == tmp_path / "20250304-050607-891"
    index = load_index(report.directory)
    assert index["status"] == "running"
    assert index["finished_at"] is None
    assert index["cases"] == []
    assert index["meta"] == {"dut": "ref"}
    assert index["started_at"] == "2025-03-04T05:06:07.891Z"
    latest = tmp_path / "latest"
    assert latest.is_symlink()
    assert os.readlink(latest) == report.directory.name
    assert load_index(tmp_path)["run"] == report.directory.name


def test_runs_in_same_millisecond_get_distinct_dirs(tmp_path: Path) -> None:
    first = RunReport.create(tmp_path, started=STARTED)
    second = RunReport.create(tmp_path, started=STARTED)
    assert first.directory != second.directory
    assert second.directory.name == "20250304-050607-891-2"
    assert os.readlink(tmp_path / "latest") == second.directory.name
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_latest_txt_when_symlinks_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("symlinks not permitted")

    monkeypatch.setattr(os, "symlink", refuse)
    report = RunReport.create(tmp_path, started=STARTED)
    assert (tmp_path / "latest.txt").read_text().strip() == report.directory.name
    assert not (tmp_path / "latest").exists()
    assert load_index(tmp_path)["run"] == report.directory.name


def test_results_survive_abort(tmp_path: Path) -> None:
    report = RunReport.create(tmp_path, started=STARTED)
    first = report.add(record("TC_B_01_CS"))
    report.add(record("TC_B_02_CS", verdict=Verdict.FAIL, reason="no boot (B01.FR.01)"))
    del report  # simulated abort: finish() never runs
    index = load_index(tmp_path / "latest" / "index.json")
    assert index["status"] == "running"
    cases = index["cases"]
    assert isinstance(cases, list)
    assert [case["id"] for case in cases] == ["TC_B_01_CS", "TC_B_02_CS"]
    assert cases[1]["verdict"] == "FAIL"
    assert cases[1]["reason"] == "no boot (B01.FR.01)"
    run_dir = first.parent.parent
    assert CaseRecord.from_json(json.loads((run_dir / cases[0]["record"]).read_text())) == record()
    assert index["totals"] == {
        "PASS": 1,
        "NON-STRICT": 0,
        "INFORMATIONAL": 0,
        "FAIL": 1,
        "INCONCLUSIVE": 0,
        "N/A": 0,
    }
    assert not [p for p in run_dir.rglob(".*")]


def test_finish_totals_and_precheck_per_profile(tmp_path: Path) -> None:
    report = RunReport.create(tmp_path, started=STARTED)
    report.add(record("TC_B_01_CS"))
    report.add(record("TC_B_02_CS", verdict=Verdict.FAIL))
    report.add(record("TC_B_03_CS", verdict=Verdict.INCONCLUSIVE))
    report.add(record("TC_H_01_CS", profile="Reservation", verdict=Verdict.INCONCLUSIVE))
    report.add(record("TC_H_02_CS", profile="Reservation", verdict=Verdict.NOT_APPLICABLE))
    report.add(record("TC_C_01_CS", profile="Local Auth List", verdict=Verdict.NON_STRICT))
    report.add(record("TC_001_CSMS", role="csms", version="1.6", verdict=Verdict.INFORMATIONAL))
    report.finish()
    index = load_index(report.directory)
    assert index["status"] == "complete"
    assert isinstance(index["finished_at"], str)
    assert index["totals"] == {
        "PASS": 1,
        "NON-STRICT": 1,
        "INFORMATIONAL": 1,
        "FAIL": 1,
        "INCONCLUSIVE": 2,
        "N/A": 1,
    }
    by_profile = index["by_profile"]
    assert isinstance(by_profile, list)
    groups = {(g["role"], g["version"], g["profile"]): g for g in by_profile}
    assert groups[("station", "2.0.1", "Core")]["precheck"] == "fail"
    assert groups[("station", "2.0.1", "Core")]["total"] == 3
    assert groups[("station", "2.0.1", "Reservation")]["precheck"] == "incomplete"
    assert groups[("station", "2.0.1", "Local Auth List")]["precheck"] == "pass"
    assert groups[("csms", "1.6", "Core")]["counts"]["INFORMATIONAL"] == 1
    with pytest.raises(ValueError, match="status"):
        report.finish(status="done")


def test_rerun_of_same_node_replaces_its_entry(tmp_path: Path) -> None:
    report = RunReport.create(tmp_path, started=STARTED)
    report.add(record(verdict=Verdict.FAIL))
    report.add(record(verdict=Verdict.PASS))
    cases = report.index()["cases"]
    assert isinstance(cases, list)
    assert [case["verdict"] for case in cases] == ["PASS"]


def test_safe_names_for_parametrized_node_ids(tmp_path: Path) -> None:
    node = "testcases/v201/station/test_b.py::test_boot[reason:PowerUp/x]"
    other = "testcases/v201/station/test_b.py::test_boot[reason:Watchdog/x]"
    name = safe_name("TC_B_01_CS", node)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name)
    assert name.startswith("TC_B_01_CS__reason_PowerUp_x__")
    assert name == safe_name("TC_B_01_CS", node)
    assert name != safe_name("TC_B_01_CS", other)
    assert safe_name("TC_B_01_CS", node.upper()).lower() != name.lower()
    report = RunReport.create(tmp_path, started=STARTED)
    wire = report.wire_log_path("TC_B_01_CS", node)
    assert wire.parent.is_dir() and wire.parent.parent == report.directory
    assert wire.name == f"{name}.jsonl"
    assert report.case_dir("TC_B_01_CS", node).is_dir()
    assert report.relative(wire) == f"wire/{name}.jsonl"
    path = report.add(record(nodeid=node))
    assert path == report.directory / "cases" / f"{name}.json"


# --- summaries -------------------------------------------------------------------------------


def test_summary_lines(tmp_path: Path) -> None:
    report = RunReport.create(tmp_path, started=STARTED)
    report.add(record("TC_B_01_CS"))
    report.add(record("TC_B_02_CS", verdict=Verdict.FAIL, reason="no boot"))
    report.add(record("TC_C_01_CS", profile="Local Auth List", verdict=Verdict.NON_STRICT))
    lines = summary_lines(report.index(), location="reports/latest")
    assert lines[0] == "OCPP conformance summary (reports/latest)"
    assert lines[1].split() == [
        "role", "version", "profile", "PASS", "NON-STRICT", "INFO", "FAIL", "INCONCL", "N/A",
        "pre-check",
    ]  # fmt: skip
    core = next(line for line in lines if " Core " in line)
    assert core.split() == ["station", "2.0.1", "Core", "1", "0", "0", "1", "0", "0", "FAIL"]
    assert any(line.split()[:4] == ["station", "2.0.1", "Local", "Auth"] for line in lines)
    assert any(line.startswith("all ") for line in lines)
    assert "run status: running (results so far)" in lines
    assert any("FAIL" in line and "TC_B_02_CS: no boot" in line for line in lines)
    assert any("NON-STRICT" in line and "TC_C_01_CS" in line for line in lines)
    report.finish()
    done = summary_lines(load_index(report.directory), details=False)
    assert done[0] == f"OCPP conformance summary ({report.directory.name})"
    assert not any("run status" in line or "TC_B_02_CS" in line for line in done)
    assert summary_lines({"status": "complete", "run": "r"})[1] == "no cases recorded"


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    report = RunReport.create(tmp_path, started=STARTED)
    rec = record(verdict=Verdict.FAIL, reason="<script>alert(1)</script>", attachments=())
    wire = report.wire_log_path(rec.id, rec.nodeid)
    entries = [
        {"t": 0.5, "utc": "x", "kind": "frame", "dir": "in", "text": '[2,"1","<b>Boot</b>",{}]'},
        {"t": 0.6, "utc": "x", "kind": "event", "dir": None, "text": "closed"},
    ]
    wire.write_text("\n".join(json.dumps(e) for e in entries) + "\nnot json <i>\n")
    report.add(replace(rec, wire_log=report.relative(wire)))
    report.finish()
    page = write_html(report.directory).read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Boot&lt;/b&gt;" in page and "<b>Boot" not in page
    assert "not json &lt;i&gt;" in page
    assert "wire log (3 entries" in page
    assert "http" not in page and "<link" not in page
    assert 'class="badge fail">FAIL' in page


# --- Allure ----------------------------------------------------------------------------------


def test_allure_calls_are_harmless_outside_a_test(tmp_path: Path) -> None:
    rec = record()
    allure_labels.label_case(rec, ref_url="https://example.org/{}")
    allure_labels.label_verdict(rec)
    allure_labels.attach_file(tmp_path / "missing.png", "plot")
    allure_labels.report_case(rec, tmp_path)


def test_allure_labels_reach_the_results(tmp_path: Path) -> None:
    log = tmp_path / "wire.jsonl"
    log.write_text('{"t": 0.1, "kind": "frame", "dir": "out", "text": "[2]"}\n')
    (tmp_path / "record.json").write_text(json.dumps(record(wire_log="wire.jsonl").to_json()))
    (tmp_path / "test_case.py").write_text(
        textwrap.dedent(
            """
            import json
            from pathlib import Path

            from harness.report import allure_labels
            from harness.report.record import CaseRecord

            def test_it():
                here = Path(__file__).parent
                rec = CaseRecord.from_json(json.loads((here / "record.json").read_text()))
                assert allure_labels.is_active()
                allure_labels.label_case(rec, ref_url=lambda ref: "https://req/" + ref)
                allure_labels.report_case(rec, here)
            """
        )
    )
    results = tmp_path / "allure"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:ocpp_harness",
         f"--alluredir={results}", str(tmp_path / "test_case.py")],
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (result_file,) = results.glob("*-result.json")
    result = json.loads(result_file.read_text())
    labels = {(label["name"], label["value"]) for label in result["labels"]}
    assert result["name"] == "TC_B_01_CS Cold boot - accepted"
    assert ("parentSuite", "station 2.0.1") in labels
    assert ("suite", "Core") in labels and ("subSuite", "B Provisioning") in labels
    assert ("ocpp_id", "TC_B_01_CS") in labels and ("ocpp_verdict", "PASS") in labels
    assert ("tag", "B01.FR.01") in labels
    assert sum(1 for name, _ in labels if name == "suite") == 1
    assert {"url": "https://req/B01.FR.01", "name": "B01.FR.01"}.items() <= result["links"][
        0
    ].items()
    assert [a["name"] for a in result["attachments"]] == ["wire log"]
