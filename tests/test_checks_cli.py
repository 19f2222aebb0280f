"""``perfgoals check``, ``rules`` and ``accept`` through the real command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

SAMPLE_PROJECT = "常设展览经费"


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample loaded once by ``perfgoals demo``; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    environment = {**os.environ, "PERFGOALS_DB": str(path), "PERFGOALS_USER": "测试员"}
    completed = subprocess.run([sys.executable, "-m", "perfgoals", "demo"], capture_output=True, text=True,
                               encoding="utf-8", env=environment, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


@pytest.fixture
def demo(cli, demo_database: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    shutil.copyfile(demo_database, tmp_path / "cli.db")
    return cli


def test_check_on_the_sample_reads_like_review_notes(demo) -> None:  # type: ignore[no-untyped-def]
    result = demo("check")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "731 张家口市科学技术协会（2022年）"
    assert "部门预算表与汇总" in lines
    heading = next(i for i, line in enumerate(lines) if line.startswith(f"项目 10：{SAMPLE_PROJECT}"))
    assert "2060705" in lines[heading] and "10.94 万元，推断" in lines[heading]
    note = next(line for line in lines[heading:] if "PG407" in line)
    assert note.startswith("  ⚠ PG407 第6行 服务对象满意度指标：入馆参观群众满意度")
    assert "年初工作计划" in note
    assert not any(line.lstrip().startswith("✗") for line in lines)
    assert lines[-1].startswith("共检查 15 个项目：错误 0 条，警告 8 条")


def test_check_json_shape(demo) -> None:  # type: ignore[no-untyped-def]
    result = demo("check", "--format", "json")
    assert result.code == 0, result.stderr
    findings = json.loads(result.stdout)
    assert findings and isinstance(findings, list)
    keys = {"code", "severity", "department", "year", "project", "row", "field", "message", "hint", "accepted"}
    assert all(keys <= set(finding) for finding in findings)
    note = next(f for f in findings if f["code"] == "PG407" and f["project"] == SAMPLE_PROJECT)
    assert (note["severity"], note["department"], note["year"], note["row"], note["field"]) == (
        "warning", "731", 2022, 6, "basis")
    assert all(f["row"] is None for f in findings if f["code"] == "PG200")
    assert "共检查 15 个项目" in result.stderr


def test_check_one_project(demo) -> None:  # type: ignore[no-untyped-def]
    result = demo("check", "--project", SAMPLE_PROJECT)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("项目")] == [f"项目 10：{SAMPLE_PROJECT}（2060705，10.94 万元，推断）"]
    assert any(line.startswith("  ⚠ PG407 第6行") for line in lines)
    assert lines[-1].startswith("共检查 1 个项目：错误 0 条，警告 1 条")
    assert demo("check", "--project", "没有这个项目").code == 2


def test_select_and_ignore(demo) -> None:  # type: ignore[no-untyped-def]
    selected = json.loads(demo("check", "--format", "json", "--select", "PG407").stdout)
    assert {f["code"] for f in selected} == {"PG407"} and len(selected) == 3
    both = json.loads(demo("check", "--format", "json", "--select", "PG4", "--ignore", "PG407,PG408").stdout)
    assert {f["code"] for f in both} == {"PG406"}
    assert demo("check", "--select", "PG4", "--select", "PG200").code == 0


def test_bad_usage_exits_2(demo) -> None:  # type: ignore[no-untyped-def]
    unknown = demo("check", "--select", "PG999")
    assert unknown.code == 2 and "PG999" in unknown.stderr and unknown.stdout == ""
    assert demo("check", "--ignore", "XX1").code == 2
    missing = demo("check", "--department", "999")
    assert missing.code == 2 and "找不到" in missing.stderr
    assert demo("check", "--all-departments", "--department", "731").code == 2
    assert demo("check", "--format", "xml").code == 2
    assert demo("rules", "PG999").code == 2


def test_errors_exit_1_and_name_project_and_row(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dump = tmp_path / "sample.json"
    assert demo("dump", "-o", str(dump)).code == 0
    document = json.loads(dump.read_text(encoding="utf-8"))
    project = next(p for p in document["department"]["projects"] if p["name"] == "科普活动")
    cost = next(r for r in project["goal"]["indicators"] if r["level2"] == "成本指标")
    cost["value"] = "≤75.61万元"
    dump.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert demo("load", str(dump)).code == 0
    result = demo("check")
    assert result.code == 1
    assert ("  ✗ PG101 第5行 成本指标：预算总成本 ≤75.61万元 高于项目年度资金 65.61 万元（按政府采购表推断，待确认），"
            "超出 10.00 万元") in (
        result.stdout.splitlines())
    assert "错误 1 条" in result.stdout.splitlines()[-1]
    # Ignoring the rule (or accepting the finding) clears the exit code.
    assert demo("check", "--ignore", "PG101").code == 0
    accepted = demo("accept", "PG101", "--project", "科普活动", "--reason", "采购后追加预算，已报批")
    assert accepted.code == 0, accepted.stderr
    after = demo("check")
    assert after.code == 0
    assert "PG101" not in after.stdout and "已接受 1 条" in after.stdout
    shown = demo("check", "--show-accepted")
    assert "  ✓ PG101 第5行" in shown.stdout and "（已接受：采购后追加预算，已报批）" in shown.stdout


def test_accept_and_withdraw(demo) -> None:  # type: ignore[no-untyped-def]
    result = demo("accept", "PG407", "--project", SAMPLE_PROJECT, "--reason", "沿用往年满意度调查结果")
    assert result.code == 0, result.stderr
    assert SAMPLE_PROJECT in result.stdout
    findings = json.loads(demo("check", "--format", "json", "--select", "PG407").stdout)
    mine = [f for f in findings if f["project"] == SAMPLE_PROJECT]
    assert [(f["accepted"], f["acceptance_reason"]) for f in mine] == [(True, "沿用往年满意度调查结果")]
    assert all(not f["accepted"] for f in findings if f["project"] != SAMPLE_PROJECT)
    history = demo("history")
    assert "acceptance" in history.stdout
    withdrawn = demo("accept", "PG407", "--project", SAMPLE_PROJECT, "--withdraw")
    assert withdrawn.code == 0, withdrawn.stderr
    findings = json.loads(demo("check", "--format", "json", "--select", "PG407").stdout)
    assert not any(f["accepted"] for f in findings)
    again = demo("accept", "PG407", "--project", SAMPLE_PROJECT, "--withdraw")
    assert again.code == 2 and "没有已接受" in again.stderr


def test_department_level_acceptance(demo) -> None:  # type: ignore[no-untyped-def]
    assert demo("accept", "PG200", "--reason", "公开数四舍五入的尾差").code == 0
    findings = json.loads(demo("check", "--format", "json", "--select", "PG200").stdout)
    assert findings and all(f["accepted"] for f in findings)


def test_accept_refuses_bad_input(demo) -> None:  # type: ignore[no-untyped-def]
    assert demo("accept", "PG999", "--project", SAMPLE_PROJECT, "--reason", "x").code == 2
    no_reason = demo("accept", "PG407", "--project", SAMPLE_PROJECT)
    assert no_reason.code == 2 and "理由" in no_reason.stderr
    blank = demo("accept", "PG407", "--project", SAMPLE_PROJECT, "--reason", "   ")
    assert blank.code == 2
    unknown = demo("accept", "PG407", "--project", "没有这个项目", "--reason", "x")
    assert unknown.code == 2 and "中没有项目“没有这个项目”" in unknown.stderr
    findings = json.loads(demo("check", "--format", "json").stdout)
    assert not any(f["accepted"] for f in findings)


def test_rules_lists_and_explains(demo) -> None:  # type: ignore[no-untyped-def]
    listing = demo("rules")
    assert listing.code == 0
    assert "PG101  ✗ 错误  成本指标高于项目预算" in listing.stdout.splitlines()
    detail = demo("rules", "pg407")
    assert detail.code == 0
    assert detail.stdout.startswith("PG407 满意度的依据不是调查\n默认级别：警告")
    assert "错误示例：" in detail.stdout and "正确示例：" in detail.stdout


def test_all_departments_checks_every_department(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dump = tmp_path / "sample.json"
    assert demo("dump", "-o", str(dump)).code == 0
    document = json.loads(dump.read_text(encoding="utf-8"))
    document["department"]["code"] = "732"
    line = next(item for item in document["department"]["budget_lines"] if item["code"] == "2060702")
    line["project"] = str(D(line["project"]) + 10)
    dump.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert demo("load", str(dump)).code == 0
    ambiguous = demo("check")
    assert ambiguous.code == 2
    result = demo("check", "--all-departments", "--year", "2022")
    assert result.code == 1
    assert "731 张家口市科学技术协会（2022年）" in result.stdout
    assert "732 张家口市科学技术协会（2022年）" in result.stdout
    assert "共检查 2 个部门、30 个项目" in result.stdout
    errors = json.loads(demo("check", "--all-departments", "--format", "json").stdout)
    assert {f["department"] for f in errors if f["severity"] == "error"} == {"732"}
    assert demo("check", "--all-departments", "--year", "2031").code == 2
    # Checking in parallel processes gives the same report, in the same order, and the same exit code.
    for arguments in (("--all-departments",), ("--all-departments", "--format", "json")):
        serial, parallel = demo("check", *arguments, "--jobs", "1"), demo("check", *arguments, "--jobs", "2")
        assert (parallel.code, parallel.stdout, parallel.stderr) == (serial.code, serial.stdout, serial.stderr)
    assert demo("check", "--all-departments", "--year", "2031", "--jobs", "2").code == 2


def test_a_whole_year_is_checked_in_one_process_per_cpu_from_200_departments() -> None:
    import os

    from perfgoals.cli.checking import _processes

    cpus = os.cpu_count() or 1
    assert _processes(0, 199) == 1  # a small year: starting processes would cost what they save
    assert _processes(0, 200) == min(cpus, 4)
    assert _processes(0, 20_000) == cpus
    assert _processes(1, 1000) == 1
    assert _processes(3, 2) == 2  # never more processes than departments
