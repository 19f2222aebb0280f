"""Importing 自评表: the real Anhui one (Word), another layout (Excel), and a 自评 for a stored project."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from openpyxl import Workbook

from perfgoals.evaluation import evaluate
from perfgoals.importers.reading import import_path
from perfgoals.models import EvaluationFunds, Grade, IndicatorResult

REAL = Path(__file__).parent / "data" / "real"
ANHUI = REAL / "chizhou_guichi_tangxi_zhen_2022_ziping.docx"
ANHUI_TEXT = REAL / "chizhou_guichi_tangxi_zhen_2022_ziping.crawled.txt"


def test_the_real_self_evaluation_imports_with_every_cell_in_place() -> None:
    result = import_path(ANHUI)
    department = result.department
    assert (department.code, department.name, department.year) == ("219", "池州市贵池区棠溪镇人民政府", 2022)
    assert result.standalone
    [project] = department.projects
    assert project.name == "委托业务项目"
    assert project.implementing_unit == "219001-池州市贵池区棠溪镇人民政府"
    assert (project.budget_amount, project.amount_unit) == (D(90), "万元")  # 年初预算数 of its parts
    assert project.goal.goal_text == (
        "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
        "30万元用于基建工程项目设计、规划、测绘。"
    )
    evaluation = project.evaluation
    assert evaluation is not None
    assert evaluation.unit == "万元"
    assert evaluation.achieved == (
        "本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
        "29.99万元用于基建工程项目设计、规划、测绘。"
    )
    assert evaluation.funds == [
        EvaluationFunds(label="年度资金总额:", initial=D(0), full_year=D(0), executed=D(0), rate="0"),
        EvaluationFunds(label="其中:本年财政拨款", initial=D(90), full_year=D("89.974"), executed=D("89.974")),
        EvaluationFunds(label="上年结转资金"),
        EvaluationFunds(label="其他资金"),
    ]
    assert (evaluation.rate_points, evaluation.rate_score) == (D(10), D(0))
    assert evaluation.level1_points == {"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)}
    # The published page is cut short in the 满意度 row: no 总分 or 评价等级 row survives.
    assert (evaluation.total, evaluation.grade) == (None, "")
    rows = [
        (i.level1, i.level2, i.level3, i.value) for i in project.goal.indicators
    ]
    assert rows == [
        ("产出指标", "数量指标", "基建工程委托业务项目数量", "≥50个"),
        ("产出指标", "质量指标", "委托业务报告合格率", "≥100百分比"),
        ("产出指标", "质量指标", "经费支出合规性", "严格执行相关制度规定"),
        ("产出指标", "时效指标", "提交报告及时性", "在项目计划完成时间内完成"),
        ("产出指标", "成本指标", "项目总成本", "≤90万元"),
        ("产出指标", "成本指标", "单项业务成本", "符合相关规定"),
        ("效益指标", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显"),
        ("效益指标", "生态效益指标", "对控制基建项目成本影响程度", "效果明显"),
        ("效益指标", "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显"),
        ("效益指标", "经济效益指标", "", ""),
        ("满意度指标", "满意度指标", "公众满", ""),
    ]
    achieved = "达成预期指标"
    assert [(r.row, r.level3, r.actual, r.points, r.score, r.reason) for r in evaluation.rows] == [
        (0, "基建工程委托业务项目数量", "50", D(8), D(8), ""),
        (1, "委托业务报告合格率", "100", D(8), D(8), ""),
        (2, "经费支出合规性", achieved, D(8), D(8), ""),
        (3, "提交报告及时性", achieved, D(8), D(8), ""),
        (4, "项目总成本", "90", D(8), D(8), ""),
        (5, "单项业务成本", achieved, D(10), D(10), ""),
        (6, "对维护基建市场公平的影响程度", achieved, D(10), D(10), ""),
        (7, "对控制基建项目成本影响程度", achieved, D(10), D(10), ""),
        (8, "对推动基建项目“四项制度”健全和落实的持续性影响", achieved, D(10), D(10), ""),
    ]
    summary = evaluate(project, department.framework)
    assert summary.points_total == D(100)  # 50 + 30 + 10 (the cut-off 满意度 row) + 执行率 10
    assert summary.rate.computed == D("10.00") and summary.rate.source == "parts"
    assert summary.total == D(80)  # as written: 执行率 0
    assert summary.computed_total == D(90)  # 满意度 has no actual: 0


def test_the_real_self_evaluation_text_reads_like_the_word_file() -> None:
    """The page as crawled (cells run together with spaces) gives the same project and 自评."""
    word = import_path(ANHUI).department.projects[0]
    text = import_path(ANHUI_TEXT).department.projects[0]
    assert text.name == word.name and text.implementing_unit == word.implementing_unit
    assert text.goal.goal_text == word.goal.goal_text
    assert [(i.level1, i.level2, i.level3, i.value) for i in text.goal.indicators] == [
        (i.level1, i.level2, i.level3, i.value) for i in word.goal.indicators
    ]
    assert text.evaluation is not None and word.evaluation is not None
    assert text.evaluation.rows == word.evaluation.rows
    assert [(f.initial, f.full_year, f.executed) for f in text.evaluation.funds] == [
        (f.initial, f.full_year, f.executed) for f in word.evaluation.funds
    ]
    assert text.evaluation.achieved == word.evaluation.achieved


def build_other_layout(path: Path, *, name: str = "社区科普大讲堂") -> Path:
    """A 自评表 in another layout: 全年实际值, 未完成原因, the value split into 指标性质 · 指标值 · 度量单位,
    权重 for 分值, no points in the 一级 labels, a 总分 row and a 评价等级 row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "自评表"
    rows: list[list[object]] = [
        ["2023年度项目支出绩效自评表"],
        ["项目名称", name, None, "主管部门", "901 示例市科学技术协会"],
        ["实施单位", "示例市科技馆"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 30, 30, 27, 10, "90%", 9],
        [None, "其中：财政拨款", 30, 30, 27],
        [None, "其他资金"],
        ["年度总体目标", "预期目标", None, None, "实际完成情况"],
        [None, "举办科普讲座20场，受众2000人次。", None, None, "举办讲座18场，受众1900人次。"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "全年实际值", "得分", "未完成原因"],
        ["产出指标", "数量指标", "讲座场次", "≥", "20", "场", 25, "18", 22.5, "场地改造，两场推迟"],
        [None, "质量指标", "受众人次", "≥", "2000", "人次", 15, "1900", 14.25, "同上"],
        [None, "成本指标", "讲座成本", "≤", "30", "万元", 10, "27", 10, None],
        ["效益指标", "社会效益指标", "公众科学素养", "定性", "明显提高", None, 30, "基本达成", 24, "宣传覆盖面不够"],
        ["满意度指标", "服务对象满意度指标", "听众满意度", "≥", "90", "%", 10, "95%", 10, None],
        ["总分", None, None, None, None, None, 100, None, 89.75],
        ["评价等级", "良"],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:J1")
    book.save(path)
    return path


def test_another_layout_imports_from_excel(tmp_path: Path) -> None:
    department = import_path(build_other_layout(tmp_path / "自评.xlsx")).department
    assert (department.code, department.name, department.year) == ("901", "示例市科学技术协会", 2023)
    [project] = department.projects
    assert (project.name, project.implementing_unit) == ("社区科普大讲堂", "示例市科技馆")
    assert [(i.level1, i.level2, i.level3, i.nature, i.value, i.unit) for i in project.goal.indicators] == [
        ("产出指标", "数量指标", "讲座场次", "≥", "20", "场"),
        ("产出指标", "质量指标", "受众人次", "≥", "2000", "人次"),
        ("产出指标", "成本指标", "讲座成本", "≤", "30", "万元"),
        ("效益指标", "社会效益指标", "公众科学素养", "定性", "明显提高", None),
        ("满意度指标", "服务对象满意度指标", "听众满意度", "≥", "90", "%"),
    ]
    evaluation = project.evaluation
    assert evaluation is not None
    assert evaluation.funds[0] == EvaluationFunds(
        label="年度资金总额", initial=D(30), full_year=D(30), executed=D(27), rate="90%"
    )
    assert (evaluation.rate_points, evaluation.rate_score, evaluation.total, evaluation.grade) == (
        D(10), D(9), D("89.75"), "良"
    )
    assert evaluation.level1_points == {}
    assert evaluation.rows[0] == IndicatorResult(
        row=0, level3="讲座场次", actual="18", points=D(25), score=D("22.5"), reason="场地改造，两场推迟"
    )
    assert [r.reason for r in evaluation.rows] == ["场地改造，两场推迟", "同上", "", "宣传覆盖面不够", ""]
    summary = evaluate(project)
    assert [row.computed.score for row in summary.rows] == [D("22.50"), D("14.25"), D("10.00"), D("24.00"), D("10.00")]
    assert summary.total == D("89.75") and summary.grade is Grade.GOOD


def _goal_table(path: Path) -> Path:
    """The targets of 社区科普大讲堂, as its owner filed them in spring."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [
        ["2023年度项目支出绩效目标表"],
        ["项目名称", "社区科普大讲堂", "主管部门", "901 示例市科学技术协会"],
        ["年度目标", "举办科普讲座20场，受众2000人次。"],
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
        ["产出指标", "质量指标", "受众人次", "≥2000人次", "年初工作计划"],
        ["产出指标", "数量指标", "讲座场次", "≥20场", "年初工作计划"],
        ["产出指标", "成本指标", "讲座成本", "≤30万元", "预算文本"],
        ["效益指标", "社会效益指标", "公众科学素养", "明显提高", "其他"],
        ["满意度指标", "服务对象满意度指标", "听众满意度", "≥90%", "满意度调查"],
    ]:
        sheet.append(row)
    book.save(path)
    return path


def test_a_self_evaluation_attaches_to_the_stored_project(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = cli("import", str(_goal_table(tmp_path / "目标.xlsx")))
    assert first.code == 0, first.stderr
    # Submitted under the review: the targets are locked, the 自评 still goes in.
    assert cli("users", "add", "测试员", "-r", "项目负责人", "-d", "901").code == 0
    submitted = cli("submit", "-p", "社区科普大讲堂", "--accept", "PG302=本项目没有时效要求")
    assert submitted.code == 0 and "已提交" in submitted.stdout, submitted.stderr
    second = cli("import", str(build_other_layout(tmp_path / "自评.xlsx")))
    assert second.code == 0, second.stderr
    assert "导入自评的项目（1 个）：社区科普大讲堂" in second.stdout
    dumped = cli("dump", "-d", "901", "-y", "2023", "-o", str(tmp_path / "d.json"))
    assert dumped.code == 0, dumped.stderr
    [project] = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["department"]["projects"]
    # The targets stay as filed (rows in their own order, with their 依据); the 自评 points at them by name.
    assert [i["level3"] for i in project["goal"]["indicators"]] == [
        "受众人次", "讲座场次", "讲座成本", "公众科学素养", "听众满意度"
    ]
    assert project["goal"]["indicators"][0]["basis"] == "年初工作计划"
    rows = {r["row"]: (r["level3"], r["actual"]) for r in project["evaluation"]["rows"]}
    assert rows[0] == ("受众人次", "1900") and rows[1] == ("讲座场次", "18")
    assert project["evaluation"]["total"] == "89.75"
    assert project["status"] == "已提交"
    again = cli("import", str(build_other_layout(tmp_path / "自评.xlsx")))
    assert again.code == 0 and "没有变化" in again.stdout
    # Changed since through the command line (on the locked table): a re-import needs --replace.
    typed = cli("evaluate", "-p", "社区科普大讲堂", "--row", "1", "--reason", "场地改造")
    assert typed.code == 0 and "已保存" in typed.stdout, typed.stderr
    blocked = cli("import", str(build_other_layout(tmp_path / "自评.xlsx")))
    assert blocked.code == 2 and "已有自评，与本次导入的不同" in blocked.stdout
    assert cli("import", "--replace", str(build_other_layout(tmp_path / "自评.xlsx"))).code == 0


def test_an_imported_self_evaluation_round_trips_through_storage(cli, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """On SQLite and PostgreSQL: import → dump gives the 自评 as read; an entry through the CLI is kept."""
    assert cli("import", str(ANHUI), db=db_url).code == 0
    typed = cli("evaluate", "-p", "委托业务项目", "--row", "11", "--actual", "基本达成", "--reason", "个别群众不满意",
                db=db_url)
    assert typed.code == 0, typed.stderr
    dumped = cli("dump", "-o", str(tmp_path / "d.json"), db=db_url)
    assert dumped.code == 0, dumped.stderr
    [project] = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["department"]["projects"]
    read = import_path(ANHUI).department.projects[0].evaluation
    assert read is not None
    stored = project["evaluation"]
    assert stored["funds"] == [funds.model_dump(mode="json") for funds in read.funds]
    assert stored["rows"][:9] == [row.model_dump(mode="json") for row in read.rows]
    assert stored["rows"][9] == {"row": 10, "level3": "公众满", "actual": "基本达成", "points": None, "score": None,
                                 "reason": "个别群众不满意"}
    shown = cli("evaluate", "-p", "委托业务项目", "--show", db=db_url)
    assert "总分 98（分值合计 100）" in shown.stdout, shown.stdout  # 满意度 基本达成: 80 % of its 10 points


def test_the_extracted_text_form_reads_like_the_word_file(tmp_path: Path) -> None:
    """The text extraction perfgoals reads (one cell per tab-indented line, rows apart by blank lines)."""
    from perfgoals.importers.source import Table
    from perfgoals.importers.wordfile import read_docx

    lines: list[str] = []
    for block in read_docx(ANHUI.read_bytes(), source=str(ANHUI)).blocks:
        if isinstance(block, Table):
            for row in block.rows:
                lines += [f"\t{cell}" for cell in row.cells] + [""]
        else:
            lines.append(block.text)
    path = tmp_path / "自评.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    text = import_path(path).department.projects[0]
    word = import_path(ANHUI).department.projects[0]
    assert text.evaluation == word.evaluation
    assert text.goal.indicators == word.goal.indicators and text.goal.goal_text == word.goal.goal_text
