"""Monitoring through the real interface: ``perfgoals monitor`` as a subprocess on the sample, the check
that follows it, the 监控表 export read back with openpyxl, and storage on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from perfgoals.models import DeviationCause, IndicatorProgress, Likelihood, Monitoring
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from tests.test_checks_builders import clean_department

PROJECT = "科普大篷车经费"  # 14.58 万元, 6 rows; row 1 数量指标 巡回展品件数 ≥25件


def _dump(cli, tmp_path: Path, name: str) -> dict:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    assert cli("dump", "-o", str(path)).code == 0
    return json.loads(path.read_text(encoding="utf-8"))


def _project(document: dict, name: str = PROJECT) -> dict:
    return next(project for project in document["department"]["projects"] if project["name"] == name)


def test_monitor_check_fix_and_export(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    shown = cli("monitor", "-p", PROJECT, "--show")
    assert shown.code == 0 and "尚未填写绩效监控" in shown.stdout

    entered = cli(
        "monitor", "-p", PROJECT, "--as-of", "2022-07-31", "--executed", "85000元", "--expected-executed", "14.58",
        "--row", "1", "--progress", "已巡展12件", "--expected", "20件",
        "--row", "6", "--progress", "96%", "--expected", "96%", "--likelihood", "确定能",
    )
    assert entered.code == 0, entered.stderr
    assert "已保存" in entered.stdout and "PG601" in entered.stdout
    stored = _project(_dump(cli, tmp_path, "one.json"))["monitoring"]
    assert stored["as_of"] == "2022-07-31" and stored["unit"] == "元"
    assert D(stored["executed"]) == D(85000) and D(stored["expected_executed"]) == D(145800)
    assert [(row["row"], row["progress"], row["expected"]) for row in stored["rows"]] == [
        (0, "已巡展12件", "20件"), (5, "96%", "96%")]

    checked = cli("check", "--select", "PG6")
    assert checked.code == 1
    assert "PG601" in checked.stdout and "巡回展品件数" in checked.stdout and "20件" in checked.stdout

    fixed = cli("monitor", "-p", PROJECT, "--row", "1", "--cause", "经费保障", "--cause", "其他",
                "--reason", "下半年配套资金到位后补齐展品", "--likelihood", "有可能", "--remark", "已报财政",
                "--achieved", " 已完成巡展 12 件，科普宣传 3 场")
    assert fixed.code == 0, fixed.stderr
    assert cli("check", "--select", "PG6").code == 0

    shown = cli("monitor", "-p", PROJECT, "--show")
    assert shown.code == 0
    assert "执行率 58.30%" in shown.stdout and "序时进度 58.33%" in shown.stdout
    assert "偏差原因 经费保障、其他：下半年配套资金到位后补齐展品" in shown.stdout
    assert "第2行" in shown.stdout and "未填监控" in shown.stdout
    assert "1-7月实际完成情况： 已完成巡展 12 件，科普宣传 3 场" in shown.stdout

    exported = cli("export", "--kind", "监控", "-o", str(tmp_path / "监控.xlsx"))
    assert exported.code == 0, exported.stderr
    assert_monitoring_workbook(tmp_path / "监控.xlsx")


def assert_monitoring_workbook(path: Path) -> None:
    """The sample's 监控表 as the round trip above leaves it, read back with openpyxl."""
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "目录" and PROJECT in book.sheetnames
    toc = book["目录"]
    headers = [cell.value for cell in toc[2]]
    assert headers[:3] == ["序号", "部门", "项目名称"]
    rows = {row[2]: row for row in toc.iter_rows(min_row=3, values_only=True)}
    assert rows[PROJECT][3] == "2022-07-31（1-7月）"
    assert rows[PROJECT][6:10] == ("58.30%", "58.33%", 1, 0)
    assert rows["科普活动"][3] == "未填报"
    sheet = book[PROJECT]
    assert sheet["A1"].value == "项目支出绩效目标执行监控表"
    assert sheet["A2"].value == "（2022年度）" and sheet["A3"].value == "截至日期：2022年7月31日"
    assert sheet["B4"].value == PROJECT
    assert sheet["H8"].value == "1-7月实际完成情况" and sheet["H9"].value == " 已完成巡展 12 件，科普宣传 3 场"
    assert [sheet.cell(6, col).value for col in (5, 6, 7, 8, 13, 14)] == [
        "年初预算数", "全年预算数", "1-7月执行数", "执行率", "全年预计执行数", "序时进度"]
    assert sheet["E7"].value == pytest.approx(14.58) and sheet["G7"].value == pytest.approx(8.5)
    assert sheet["H7"].value == "58.30%" and sheet["M7"].value == pytest.approx(14.58)
    assert [sheet.cell(11, col).value for col in range(8, 14)] == [
        "经费保障", "制度保障", "人员保障", "硬件条件保障", "其他", "原因说明"]
    assert [sheet.cell(11, col).value for col in range(14, 17)] == ["确定能", "有可能", "完全不可能"]
    first = [sheet.cell(12, col).value for col in range(2, 18)]
    assert first[:6] == ["产出指标", "数量指标", "巡回展品件数", "≥25件", "已巡展12件", "20件"]
    assert first[6:11] == ["✓", None, None, None, "✓"]
    assert first[11:] == ["下半年配套资金到位后补齐展品", None, "✓", None, "已报财政"]
    assert sheet.cell(17, 15).value is None and sheet.cell(17, 14).value == "✓"  # row 6: 确定能
    assert "B12:B15" in {str(merged) for merged in sheet.merged_cells.ranges}  # 产出指标 down its rows


def test_bad_input_is_named_and_nothing_is_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    assert cli("monitor", "-p", PROJECT, "--as-of", "2022-07-31", "--row", "1", "--progress", "3件").code == 0
    before = _dump(cli, tmp_path, "before.json")
    cases = [
        (("--row", "9", "--progress", "1件"), "没有第 9 行指标"),
        (("--row", "0", "--progress", "1件"), "没有第 0 行指标"),
        (("--row", "1", "--cause", "资金不足"), "资金不足"),
        (("--row", "1", "--likelihood", "大概"), "大概"),
        (("--as-of", "2022-02-30"), "2022-02-30"),
        (("--as-of", "七月底"), "七月底"),
        (("--executed", "-5"), "金额不能为负数"),
        (("--progress", "3件", "--row", "1"), "--row N 之后"),
        (("--row", "1", "--reason", "甲", "--reason", "乙"), "写了两次"),
    ]
    for args, named in cases:
        result = cli("monitor", "-p", PROJECT, "--as-of", "2022-07-31", *args) if args[0] != "--as-of" else cli(
            "monitor", "-p", PROJECT, *args)
        assert result.code == 2, (args, result.stdout, result.stderr)
        assert named in result.stderr and result.stderr.count("错误：") == 1, result.stderr
    first_time = cli("monitor", "-p", "科普活动", "--row", "1", "--progress", "1期")
    assert first_time.code == 2 and "截止日期" in first_time.stderr
    assert _dump(cli, tmp_path, "after.json") == before


def _monitoring() -> Monitoring:
    return Monitoring(
        as_of=date(2022, 7, 31), executed=D("170000.50"), expected_executed=D("300000"), unit="元",
        rows=[IndicatorProgress(row=0, level3="活动开展次数", progress=" 已开展12次 ", expected="15次",
                                causes=[DeviationCause.FUNDING, DeviationCause.OTHER], reason="资金未到位",
                                likelihood=Likelihood.POSSIBLE, remark="备注")],
    )


def test_monitoring_round_trips_through_storage(engine: Engine) -> None:
    department = clean_department()
    department.projects[0].monitoring = _monitoring()
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=department, user="甲")
    with read_session(engine) as session:
        loaded = repo.load_department(session, department_id=department_id)
    assert loaded.projects[0].monitoring == _monitoring()
    assert loaded.projects[1].monitoring is None

    changed = loaded.projects[1].model_copy(update={"monitoring": _monitoring()})
    with write_session(engine) as session:
        repo.save_project(session, project=changed, expected_revision=changed.goal.revision, user="乙")
    with write_session(engine) as session:
        cleared = repo.save_project(
            session,
            project=loaded.projects[0].model_copy(update={"monitoring": None}),
            expected_revision=loaded.projects[0].goal.revision,
            user="乙",
        )
    with read_session(engine) as session:
        again = repo.load_department(session, department_id=department_id)
    assert again.projects[1].monitoring == _monitoring()
    assert again.projects[0].monitoring is None and cleared.monitoring is None
    assert again.model_dump(mode="json")["projects"][1]["monitoring"]["executed"] == "170000.50"


def test_a_finance_approved_table_can_be_monitored(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Monitoring is not target content: the lock of a reviewed table (perfgoals.workflow.lock) lets it through."""
    from perfgoals.models import ProjectStatus
    from perfgoals.storage.db import open_database

    assert cli("demo").code == 0
    engine = open_database(str(tmp_path / "cli.db"))
    try:
        with read_session(engine) as session:
            department = repo.load_department(session, department_id=repo.find_department(session).id)
        target = department.project(PROJECT)
        assert target is not None
        with write_session(engine) as session:  # the state a finance review leaves (tests/test_workflow_* go through it)
            session.connection().execute(
                text("UPDATE project SET status = :status WHERE id = :id"),
                {"status": ProjectStatus.FINANCE_APPROVED.value, "id": target.id},
            )
    finally:
        engine.dispose()
    registered = cli("users", "add", "测试员", "--role", "财政审核人")
    assert registered.code == 0, registered.stderr
    monitored = cli("monitor", "-p", PROJECT, "--as-of", "2022-07-31", "--executed", "8.5",
                    "--row", "1", "--progress", "12件", "--expected", "25件", "--likelihood", "确定能")
    assert monitored.code == 0, monitored.stderr
    stored = _project(_dump(cli, tmp_path, "approved.json"))
    assert stored["status"] == "财政已审" and stored["monitoring"]["rows"][0]["expected"] == "25件"


def test_monitoring_workbook_of_several_departments(tmp_path: Path) -> None:
    """Two departments with projects of the same names: each sheet is named with its department's code,
    the 目录 links to it and lists its open findings; a project without monitoring has no sheet."""
    from perfgoals.export.monitoring_sheet import TOC_HEADERS, write_monitoring_workbook

    departments = []
    for code, expected in (("901", "15次"), ("902", "22次")):
        department = clean_department()
        department.code = code
        department.projects[0].monitoring = Monitoring(
            as_of=date(2022, 7, 31), executed=D("17"), unit="万元",
            rows=[IndicatorProgress(row=0, level3="活动开展次数", progress="12次", expected=expected)],
        )
        departments.append(department)
    summary = write_monitoring_workbook(tmp_path / "m.xlsx", iter(departments))
    assert (summary.departments, summary.projects, summary.findings) == (2, 2, 1)
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert book.sheetnames == ["目录", "901 科普活动", "902 科普活动"]
    toc = book["目录"]
    assert tuple(cell.value for cell in toc[2]) == TOC_HEADERS
    records = list(toc.iter_rows(min_row=3, values_only=True))
    assert [(row[1], row[2], row[3]) for row in records] == [
        ("901 示例市科学技术协会", "科普活动", "2022-07-31（1-7月）"),
        ("901 示例市科学技术协会", "科普讲座", "未填报"),
        ("901 示例市科学技术协会", "结转科普展览", "未填报"),
        ("902 示例市科学技术协会", "科普活动", "2022-07-31（1-7月）"),
        ("902 示例市科学技术协会", "科普讲座", "未填报"),
        ("902 示例市科学技术协会", "结转科普展览", "未填报"),
    ]
    assert records[0][9] == 1 and records[0][10].startswith("PG601 ") and records[3][9] == 0
    assert toc.cell(3, 3).hyperlink is not None and toc.cell(3, 3).hyperlink.location == "'901 科普活动'!A1"
    assert book["902 科普活动"]["B4"].value == "科普活动"
