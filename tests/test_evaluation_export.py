"""The 自评表 export (``perfgoals export --kind 自评``) and ``perfgoals evaluate``, read back with openpyxl."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfgoals.export.evaluation_sheet import INDICATOR_HEADERS, write_evaluation_workbook
from perfgoals.importers.reading import import_path

ANHUI = Path(__file__).parent / "data" / "real" / "chizhou_guichi_tangxi_zhen_2022_ziping.docx"

#: 科普活动 of the sample, evaluated by its owner: 5 of ≥6期, a qualitative row 基本达成 scored 8 of 30.
EVALUATE = [
    "evaluate", "-p", "科普活动",
    "--funds", "年度资金总额=65.61,65.61,60.2", "--funds", "本年财政拨款=65.61,65.61,60.2",
    "--row", "1", "--actual", "5期",
    "--row", "2", "--actual", "22人",
    "--row", "3", "--actual", "100%",
    "--row", "4", "--actual", "全年完成",
    "--row", "5", "--actual", "60.2万元",
    "--row", "6", "--actual", "基本达成", "--score", "8", "--reason", "宣传不足",
    "--row", "7", "--actual", "96%",
]


def _rows(sheet) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [row for row in sheet.iter_rows(values_only=True) if any(value is not None for value in row)]


def test_the_samples_self_evaluation_exports_with_computed_scores(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    entered = cli(*EVALUATE)
    assert entered.code == 0, entered.stderr
    assert "已保存项目“科普活动”的绩效自评" in entered.stdout and "总分 91.51，等级 优" in entered.stdout
    assert "PG706 第1行" in entered.stdout  # 8.33 of 10 without a reason
    shown = cli("evaluate", "-p", "科普活动", "--show")
    assert shown.code == 0 and "91.75%" in shown.stdout and "编印期数" in shown.stdout

    out = tmp_path / "自评.xlsx"
    exported = cli("export", "--kind", "自评", "-o", str(out))
    assert exported.code == 0, exported.stderr
    assert "15 个项目" in exported.stdout and "自评表" in exported.stdout
    book = load_workbook(out)
    assert book.sheetnames[0] == "目录" and "科普活动" in book.sheetnames and len(book.sheetnames) == 16
    toc = _rows(book["目录"])
    assert toc[1][:4] == ("序号", "部门", "项目名称", "全年预算数")
    kepu = next(row for row in toc if row[2] == "科普活动")
    assert kepu[3:9] == (65.61, 60.2, "91.75%", 91.51, "优", "已自评")
    other = next(row for row in toc if row[2] == "开展科技工作者助力精准扶贫经费")
    assert other[6] == "未自评" and other[8] == "未自评"

    rows = _rows(book["科普活动"])
    assert rows[0][0] == "项目支出绩效自评表" and rows[1][0] == "（2022年度）" and rows[1][8] == "单位：万元"
    assert rows[2][:2] == ("项目名称", "科普活动")
    assert rows[3][:2] == ("主管部门", "731-张家口市科学技术协会") and rows[3][4] == "实施单位"
    assert rows[4][3:] == ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    assert rows[5][1:] == ("年度资金总额", None, 65.61, 65.61, 60.2, 10, "91.75%", 9.18)
    assert rows[9][1] == "预期目标" and rows[9][5] == "实际完成情况"
    header = next(index for index, row in enumerate(rows) if row[1] == "一级指标")
    assert rows[header][0] == "绩效指标" and rows[header][1:] == INDICATOR_HEADERS
    indicators = rows[header + 1 : header + 8]
    assert indicators[0][1:8] == ("产出指标（50分）", "数量指标", "编印期数", "≥6期", "5期", 10, 8.33)
    assert indicators[4][3:8] == ("预算总成本", "≤65.61万元", "60.2万元", 10, 10)
    # The written score beside the computed one, where they differ.
    assert indicators[5][1:9] == (
        "效益指标（30分）", "社会效益指标", "为开展科普活动做好保障", "营造广泛动员、群众参与的良好氛围", "基本达成", 30,
        "24.00（原填 8）", "宣传不足",
    )
    assert rows[header + 8][0] == "总分" and rows[header + 8][6:8] == (100, 91.51)
    assert rows[header + 9][0] == "评价等级" and rows[header + 9][6] == "优"

    # A project without a 自评: its targets with empty actuals, ready to be filled in.
    blank = _rows(book["开展科技工作者助力精准扶贫经费"])
    start = next(index for index, row in enumerate(blank) if row[1] == "一级指标")
    assert blank[start + 1][3:8] == ("活动开展次数", "≥1次", None, 12.5, None)  # 产出 50 over 4 rows


def test_the_real_self_evaluation_shows_written_beside_computed(tmp_path: Path) -> None:
    department = import_path(ANHUI).department
    summary = write_evaluation_workbook(tmp_path / "zp.xlsx", [department])
    assert summary.projects == 1 and summary.findings == 2  # PG703 and PG704
    book = load_workbook(tmp_path / "zp.xlsx")
    rows = _rows(book["委托业务项目"])
    assert rows[3][1] == "219-池州市贵池区棠溪镇人民政府" and rows[3][5] == "219001-池州市贵池区棠溪镇人民政府"
    assert rows[5][1:] == ("年度资金总额:", None, 0, 0, 0, 10, "100.00%（原填 0）", "10.00（原填 0）")
    assert rows[6][1:6] == ("其中:本年财政拨款", None, 90, 89.974, 89.974)
    header = next(index for index, row in enumerate(rows) if row[1] == "一级指标")
    assert rows[header + 1][1:8] == ("产出指标（50分）", "数量指标", "基建工程委托业务项目数量", "≥50个", "50", 8, 8)
    total = next(row for row in rows if row[0] == "总分")
    assert total[6:8] == (100, 90)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "年报"], "没有“年报”这种导出"),
        (["--kind", "自评", "-f", "csv"], "只能导出 xlsx 或 pdf"),
        (["--kind", "evaluation", "--layout", "national"], "只用于绩效目标表"),
    ],
)
def test_export_kind_refusals(cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    result = cli("export", *args)
    assert result.code == 2 and message in result.stderr, result.stderr


def test_goals_stay_the_default_export(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    default = cli("export", "-o", str(tmp_path / "a.xlsx"))
    goals = cli("export", "--kind", "goals", "-o", str(tmp_path / "b.xlsx"))
    assert default.code == 0 and goals.code == 0
    assert load_workbook(tmp_path / "a.xlsx").sheetnames == load_workbook(tmp_path / "b.xlsx").sheetnames


def test_evaluate_refuses_what_it_cannot_take(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    assert "没有第 9 行指标" in cli("evaluate", "-p", "科普活动", "--row", "9", "--actual", "1").stderr
    assert "不是数字" in cli("evaluate", "-p", "科普活动", "--row", "1", "--score", "很好").stderr
    assert "须写在它所属的 --row N 之后" in cli("evaluate", "-p", "科普活动", "--actual", "5期").stderr
    twice = cli("evaluate", "-p", "科普活动", "--row", "1", "--actual", "5期", "--actual", "6期")
    assert twice.code == 2 and "第 1 行的 --actual 写了两次" in twice.stderr
    assert "应写作" in cli("evaluate", "-p", "科普活动", "--funds", "90,90").stderr
    deleted = cli(*EVALUATE)
    assert deleted.code == 0
    assert "已删除" in cli("evaluate", "-p", "科普活动", "--delete").stdout
    assert "尚未填写绩效自评" in cli("evaluate", "-p", "科普活动", "--show").stdout


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_export_renders_as_pdf(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0 and cli(*EVALUATE).code == 0
    result = cli("export", "--kind", "自评", "-p", "科普活动", "-o", str(tmp_path / "kepu.pdf"))
    assert result.code == 0, result.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "kepu.pdf"), "-"], capture_output=True, text=True).stdout
    assert "项目支出绩效自评表" in text and "偏差原因分析及改进措施" in text


def test_an_exported_self_evaluation_imports_back(tmp_path: Path) -> None:
    """The exported 自评表 is itself a 自评表: its money and written figures come back (a written figure
    shown beside a differing computed one, ``10.00（原填 0）``, reads as written)."""
    department = import_path(ANHUI).department
    write_evaluation_workbook(tmp_path / "zp.xlsx", [department])
    again = import_path(tmp_path / "zp.xlsx").department
    before, after = department.projects[0], again.projects[0]
    assert (again.code, again.name, again.year) == (department.code, department.name, department.year)
    assert before.evaluation is not None and after.evaluation is not None
    assert after.evaluation.funds == before.evaluation.funds
    assert (after.evaluation.rate_points, after.evaluation.rate_score) == (D(10), D(0))
    assert after.evaluation.level1_points == before.evaluation.level1_points
    assert after.evaluation.rows[:9] == before.evaluation.rows
    # The cut-off 满意度 row now states the points it was given (its 一级's 10).
    assert after.evaluation.rows[9].points == D(10) and after.evaluation.rows[9].actual == ""
    assert [i.value for i in after.goal.indicators] == [i.value for i in before.goal.indicators]


def test_a_project_without_a_self_evaluation_has_no_total(tmp_path: Path) -> None:
    from perfgoals.importers import demo_department

    department = demo_department()
    department.projects = department.projects[:1]
    write_evaluation_workbook(tmp_path / "blank.xlsx", [department], findings=lambda _department: [])
    rows = _rows(load_workbook(tmp_path / "blank.xlsx")[department.projects[0].name])
    total = next(row for row in rows if row[0] == "总分")
    grade = next(row for row in rows if row[0] == "评价等级")
    assert total[6:8] == (100, None) and grade[6] == "未自评"
