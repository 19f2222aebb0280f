"""Real 自评表 layouts beyond the Anhui sample: each built here as Word and Excel, imported, every cell checked.

The layouts, and what each is based on (published forms; the figures here are made up):

* ``sichuan`` — 四川 部门预算项目支出绩效自评表 (报表编号 510000_0013zp, as published by 青神县/大英县 for
  2023): 项目基本情况 with 项目年度目标 / 年度目标完成情况, 预算执行情况（10分） with 年度预算数（万元） ·
  年初预算 · 调整后预算数 · 预算执行数 · 预算执行率 · 权重 · 得分 · 原因 and 总额 / 其中：财政资金 / 财政专户管理资金 /
  单位资金 / 其他资金 (“/” in the parts' 权重 and 得分), 绩效指标（90分） as a vertical label beside 一级 · 二级 ·
  三级 · 指标性质 · 指标值 · 度量单位 · 完成值 · 权重 · 得分 · 未完成原因分析, a 合计 row (权重 total and score),
  then 评价结论 / 存在问题 / 改进措施 and the signatures.
* ``national`` — the 项目支出绩效自评表 of the central template (财政部《项目支出绩效评价管理办法》 财预〔2020〕10号
  附件; the Anhui sample's form): 项目资金（元） with 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金
  (“—” where a part has no 分值 or 得分), figures as text with thousands separators, 执行率 ``99.97%``, a
  vertical 绩效指标 label, 一级 labels with their points written three ways (``产出指标（50分）``,
  ``效益指标 30分``, ``满意度指标(10分)``), an empty 分值 cell, a 总分 row (100 and the score) and 自评等级.
* ``hubei`` — 湖北's 项目绩效目标自评表 (as published by 湖北工程学院 for its 学生资助项目): 总分 written above the
  table, 项目类别 ticked (☑/□), 预算执行情况（万元）（10分） with 预算数（A） · 执行数（B） · 执行率（B/A） ·
  得分（分值*执行率） for 年度财政资金总额, 年初目标值（A） · 实际完成值（B）, a 一级 label with empty points
  (``效益指标（分）``).
* ``hunan`` — the 湖南/湖北 form: 全年预算数（A） · 全年执行数（B） · 执行率（B/A） before 分值 and 得分, 其中：本年财政拨款,
  年度指标值（A） · 实际完成值（B） · 未完成原因和改进措施, no 绩效指标 label column, 评价等级; with the mistakes the
  checks exist for (年度资金总额 0 against its parts, a score above its points, a shortfall without a reason, a
  总分 the scores don't give, points summing to 110).
"""

from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path

import pytest

from perfgoals.importers.reading import import_path
from perfgoals.models import EvaluationFunds, IndicatorResult, Project
from tests.goal_corpus import UP, Block, Item, _ranges, _typed, grid, write

SICHUAN_NOTE = "1.预算执行率=预算执行数/调整后预算数，预算执行率未达到90%的需说明原因"


def sichuan(name: str = "51000021R000000019951-工资性支出", score: str = "28.5") -> list[list[Item]]:
    return [
        [("项目名称", 2), (name, 9)],
        [("主管部门", 2), ("示例县发展和改革局本级", 4), ("实施单位（盖章）", 2), ("示例县发展和改革局", 3)],
        ["项目基本情况", "1.项目年度目标完成情况", ("项目年度目标", 4), ("年度目标完成情况", 5)],
        [UP, UP, ("保障工资及时足额发放。", 4), ("全年工资已足额发放。", 5)],
        [UP, "2.项目实施内容及过程概述", ("按月发放工资，按时缴纳社保。", 9)],
        ["预算执行情况（10分）", "年度预算数（万元）", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重",
         "得分", ("原因", 3)],
        [UP, "总额", "238.93", "251.89", "241.80", "96.00%", "10", "9.6", (SICHUAN_NOTE, 3)],
        [UP, "其中：财政资金", "238.93", "251.89", "241.80", "96.00%", "/", "/", UP],
        [UP, "财政专户管理资金", "0.00", "0.00", "0.00", "0.00%", "/", "/", UP],
        [UP, "单位资金", "0.00", "0.00", "0.00", "0.00%", "/", "/", UP],
        [UP, "其他资金", "", "", "", "", "/", "/", UP],
        ["绩效指标（90分）", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重",
         "得分", "未完成原因分析"],
        [UP, "产出指标", "数量指标", "发放覆盖率", "=", "100", "%", "100", "30", "30", ""],
        [UP, UP, "时效指标", "按时发放率", "=", "100", "%", "95", "30", score, "个别月份延迟发放"],
        [UP, "效益指标", "社会效益指标", "足额保障率", "=", "100", "%", "100", "30", "30", ""],
        [("合计", 8), "100", "98.1", ""],
        [("评价结论", 2), ("项目按计划实施，自评得分98.1分。", 9)],
        [("存在问题", 2), ("个别月份工资发放延迟。", 9)],
        [("改进措施", 2), ("加强资金调度。", 9)],
        [("项目负责人：张三", 5), ("财务负责人：李四", 6)],
    ]


def national() -> list[list[Item]]:
    return [
        [("项目名称", 2), ("农村饮水安全工程维护", 7)],
        [("主管部门", 2), ("305 示例县水利局", 3), ("实施单位", 2), ("示例县农村供水站", 2)],
        ["项目资金（元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
        [UP, "年度资金总额", "1,200,000.00", "1,250,000.00", "1,249,625.00", "10", "99.97%", "10", ""],
        [UP, "其中：当年财政拨款", "1,000,000.00", "1,050,000.00", "1,049,625.00", "—", "", "—", ""],
        [UP, "上年结转资金", "200,000.00", "200,000.00", "200,000.00", "—", "", "—", ""],
        [UP, "其他资金", "", "", "", "—", "", "—", ""],
        ["年度总体目标", ("预期目标", 4), ("实际完成情况", 4)],
        [UP, ("维护供水管网120公里，保障3万人饮水安全。", 4), ("维护管网118公里，保障3.1万人饮水安全。", 4)],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
        [UP, "产出指标（50分）", "数量指标", "维护管网长度", "≥120公里", "118公里", "20", "19.67", "两段管网因道路施工推迟"],
        [UP, UP, "质量指标", "水质达标率", "≥95%", "98%", "15", "15", ""],
        [UP, UP, "时效指标", "故障修复时间", "≤48小时", "36小时", "", "15", ""],
        [UP, "效益指标 30分", "社会效益指标", "受益人口", "≥3万人", "3.1万人", "30", "30", ""],
        [UP, "满意度指标(10分)", "服务对象满意度指标", "群众满意度", "≥90%", "85%", "10", "9.44", "部分村组水压不足"],
        [("总分", 6), "100", "99.11", ""],
        [("自评等级", 6), ("优", 3)],
    ]


def hunan() -> list[list[Item]]:
    return [
        [("项目名称", 2), ("河道清淤", 6)],
        [("主管部门", 2), ("305 示例县水利局", 2), ("实施单位", 2), ("示例县河道站", 2)],
        ["项目资金", "", "年初预算数", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）", "分值", "得分"],
        [UP, "年度资金总额", "0", "0", "0", "0", "10", "0"],
        [UP, "其中：本年财政拨款", "90", "90", "85.5", "95%", "", ""],
        [UP, "上年结转资金", "", "", "", "", "", ""],
        [UP, "其他资金", "", "", "", "", "", ""],
        [("年度总体目标", 2), ("预期目标", 3), ("实际完成情况", 3)],
        [UP, ("清淤河道10公里。", 3), ("清淤河道9公里。", 3)],
        ["一级指标", "二级指标", "三级指标", "年度指标值（A）", "实际完成值（B）", "分值", "得分", "未完成原因和改进措施"],
        ["产出指标", "数量指标", "清淤长度", "≥10公里", "9公里", "50", "45", ""],
        ["效益指标", "生态效益指标", "河道水质改善", "明显改善", "明显改善", "30", "35", ""],
        ["满意度指标", "服务对象满意度指标", "沿岸群众满意度", "≥90%", "92%", "20", "20", ""],
        [("总分", 5), "100", "95", ""],
        [("评价等级", 5), ("优", 3)],
    ]


def hubei() -> list[list[Item]]:
    return [
        [("填报日期：2023年1月10日", 4), ("总分：97.67分", 4)],
        [("项目名称", 2), ("2022年学生资助项目", 6)],
        [("主管部门", 2), ("湖北省教育厅", 2), ("项目实施单位", 2), ("湖北工程学院", 2)],
        [("项目类别", 2), ("1、部门预算项目☑ 2、省直专项□ 3、省对下转移支付项目□", 6)],
        [("预算执行情况（万元）（10分）", 2), ("预算数（A）", 2), "执行数（B）", "执行率（B/A）", ("得分（分值*执行率）", 2)],
        [("年度财政资金总额", 2), ("1,520.00", 2), "1,482.00", "97.5%", ("9.75", 2)],
        ["一级指标", "二级指标", "三级指标", "年初目标值（A）", "实际完成值（B）", "分值", "得分", "未完成原因"],
        ["产出指标（50分）", "数量指标", "国家奖学金人数", "12人", "11人", "25", "22.92", "全校学生总数减少"],
        [UP, "成本指标", "国家奖学金人均资助", "≤8000元", "8000元", "25", "25", ""],
        ["效益指标（分）", "社会效益指标", "困难生完成学业率", "≥95%", "97%", "30", "30", ""],
        ["满意度指标（10分）", "服务对象满意度指标", "受助学生满意度", "≥90%", "93%", "10", "10", ""],
    ]


@pytest.mark.parametrize("form", ["docx", "xlsx", "text"])
def test_the_hubei_layout(tmp_path: Path, form: str) -> None:
    blocks: list[Block] = ["湖北工程学院2022年学生资助项目绩效目标自评表", hubei()]
    department = import_path(write(tmp_path, "湖北自评", blocks, form)).department
    assert (department.name, department.year) == ("湖北省教育厅", 2022)
    [project] = department.projects
    assert (project.name, project.implementing_unit) == ("2022年学生资助项目", "湖北工程学院")
    assert project.extra["项目类别"] == "1、部门预算项目☑ 2、省直专项□ 3、省对下转移支付项目□"
    evaluation = project.evaluation
    assert evaluation is not None
    assert evaluation.unit == "万元"
    assert evaluation.funds == [
        EvaluationFunds(label="年度财政资金总额", full_year=D(1520), executed=D(1482), rate="97.5%"),
    ]
    assert (evaluation.rate_points, evaluation.rate_score) == (D(10), D("9.75"))
    assert evaluation.level1_points == {"产出指标": D(50), "满意度指标": D(10)}
    assert [(i.level1, i.level2, i.level3, i.value) for i in project.goal.indicators] == [
        ("产出指标", "数量指标", "国家奖学金人数", "12人"),
        ("产出指标", "成本指标", "国家奖学金人均资助", "≤8000元"),
        ("效益指标", "社会效益指标", "困难生完成学业率", "≥95%"),
        ("满意度指标", "服务对象满意度指标", "受助学生满意度", "≥90%"),
    ]
    assert _results(project) == [
        (0, "国家奖学金人数", "11人", D(25), D("22.92"), "全校学生总数减少"),
        (1, "国家奖学金人均资助", "8000元", D(25), D(25), ""),
        (2, "困难生完成学业率", "97%", D(30), D(30), ""),
        (3, "受助学生满意度", "93%", D(10), D(10), ""),
    ]
    assert (evaluation.total, evaluation.grade) == (D("97.67"), "")
    # No 年初预算数 column: the budget is the 预算数（A）, never the 人均 cost ceiling.
    assert (project.budget_amount, project.amount_unit) == (D(1520), "万元")


def workbook(path: Path, sheets: list[tuple[str, list[Block]]]) -> Path:
    """Several sheets, one 自评表 each (merged ranges as a person merges them in Excel)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for title, blocks in sheets:
        sheet = book.create_sheet(title)
        width = max(sum(cell.span for cell in grid(b)[0]) for b in blocks if not isinstance(b, str))
        row = 0
        for block in blocks:
            if isinstance(block, str):
                sheet.cell(row=row + 1, column=1, value=block)
                sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=width)
                row += 1
                continue
            rows = grid(block)
            for top, bottom, left, right, text in _ranges(rows):
                sheet.cell(row=row + top + 1, column=left + 1, value=_typed(text) if text != "" else None)
                if bottom > top or right > left:
                    sheet.merge_cells(start_row=row + top + 1, start_column=left + 1, end_row=row + bottom + 1,
                                      end_column=right + 1)
            row += len(rows)
    stream = io.BytesIO()
    book.save(stream)
    path.write_bytes(stream.getvalue())
    return path


def _results(project: Project) -> list[tuple[int, str, str, D | None, D | None, str]]:
    assert project.evaluation is not None
    return [(r.row, r.level3, r.actual, r.points, r.score, r.reason) for r in project.evaluation.rows]


def _check_sichuan(project: Project, name: str = "51000021R000000019951-工资性支出") -> None:
    assert (project.name, project.implementing_unit) == (name, "示例县发展和改革局")
    assert project.goal.goal_text == "保障工资及时足额发放。"
    assert [(i.level1, i.level2, i.level3, i.nature, i.value, i.unit) for i in project.goal.indicators] == [
        ("产出指标", "数量指标", "发放覆盖率", "=", "100", "%"),
        ("产出指标", "时效指标", "按时发放率", "=", "100", "%"),
        ("效益指标", "社会效益指标", "足额保障率", "=", "100", "%"),
    ]
    evaluation = project.evaluation
    assert evaluation is not None
    assert evaluation.unit == "万元"
    assert evaluation.achieved == "全年工资已足额发放。"
    assert evaluation.funds == [
        EvaluationFunds(label="总额", initial=D("238.93"), full_year=D("251.89"), executed=D("241.80"), rate="96.00%"),
        EvaluationFunds(label="其中：财政资金", initial=D("238.93"), full_year=D("251.89"), executed=D("241.80"),
                        rate="96.00%"),
        EvaluationFunds(label="财政专户管理资金", initial=D(0), full_year=D(0), executed=D(0), rate="0.00%"),
        EvaluationFunds(label="单位资金", initial=D(0), full_year=D(0), executed=D(0), rate="0.00%"),
        EvaluationFunds(label="其他资金"),
    ]
    assert (evaluation.rate_points, evaluation.rate_score) == (D(10), D("9.6"))
    assert _results(project) == [
        (0, "发放覆盖率", "100", D(30), D(30), ""),
        (1, "按时发放率", "95", D(30), D("28.5"), "个别月份延迟发放"),
        (2, "足额保障率", "100", D(30), D(30), ""),
    ]
    assert (evaluation.total, evaluation.grade) == (D("98.1"), "")
    assert evaluation.level1_points == {}
    assert project.extra["评价结论"] == "项目按计划实施，自评得分98.1分。"
    assert project.extra["存在问题"] == "个别月份工资发放延迟。"
    assert project.extra["改进措施"] == "加强资金调度。"
    assert (project.budget_amount, project.amount_unit) == (D("238.93"), "万元")


@pytest.mark.parametrize("form", ["docx", "xlsx", "xls", "text"])
def test_the_sichuan_layout(tmp_path: Path, form: str) -> None:
    blocks: list[Block] = ["报表编号：510000_0013zp", "部门预算项目支出绩效自评表(2023年度)", sichuan()]
    result = import_path(write(tmp_path, "四川自评", blocks, form))
    department = result.department
    assert (department.name, department.year) == ("示例县发展和改革局本级", 2023)
    [project] = department.projects
    _check_sichuan(project)


def test_several_projects_in_one_word_file(tmp_path: Path) -> None:
    blocks: list[Block] = [
        "部门预算项目支出绩效自评表(2023年度)", sichuan(),
        "部门预算项目支出绩效自评表(2023年度)", sichuan("51000023T000010263357-安可替代补助资金"),
    ]
    department = import_path(write(tmp_path, "两个项目", blocks, "docx")).department
    first, second = department.projects
    _check_sichuan(first)
    _check_sichuan(second, "51000023T000010263357-安可替代补助资金")


@pytest.mark.parametrize("form", ["docx", "xlsx"])
def test_several_projects_stacked_in_one_table(tmp_path: Path, form: str) -> None:
    """One sheet (or one Word table) holding a department's 自评表 one under another, each with its title row."""
    title: list[Item] = [("部门预算项目支出绩效自评表(2023年度)", 11)]
    rows = [title, *sichuan(), title, *sichuan("51000023T000010263357-安可替代补助资金")]
    department = import_path(write(tmp_path, "一张表", ["报表编号：510000_0013zp", rows], form)).department
    assert department.year == 2023
    first, second = department.projects
    _check_sichuan(first)
    _check_sichuan(second, "51000023T000010263357-安可替代补助资金")


def _check_national(project: Project) -> None:
    assert (project.name, project.implementing_unit) == ("农村饮水安全工程维护", "示例县农村供水站")
    assert project.goal.goal_text == "维护供水管网120公里，保障3万人饮水安全。"
    assert [(i.level1, i.level2, i.level3, i.value) for i in project.goal.indicators] == [
        ("产出指标", "数量指标", "维护管网长度", "≥120公里"),
        ("产出指标", "质量指标", "水质达标率", "≥95%"),
        ("产出指标", "时效指标", "故障修复时间", "≤48小时"),
        ("效益指标", "社会效益指标", "受益人口", "≥3万人"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    evaluation = project.evaluation
    assert evaluation is not None
    assert evaluation.unit == "元"
    assert evaluation.achieved == "维护管网118公里，保障3.1万人饮水安全。"
    assert evaluation.funds == [
        EvaluationFunds(label="年度资金总额", initial=D(1200000), full_year=D(1250000), executed=D(1249625),
                        rate="99.97%"),
        EvaluationFunds(label="其中：当年财政拨款", initial=D(1000000), full_year=D(1050000), executed=D(1049625)),
        EvaluationFunds(label="上年结转资金", initial=D(200000), full_year=D(200000), executed=D(200000)),
        EvaluationFunds(label="其他资金"),
    ]
    assert (evaluation.rate_points, evaluation.rate_score) == (D(10), D(10))
    assert evaluation.level1_points == {"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)}
    assert _results(project) == [
        (0, "维护管网长度", "118公里", D(20), D("19.67"), "两段管网因道路施工推迟"),
        (1, "水质达标率", "98%", D(15), D(15), ""),
        (2, "故障修复时间", "36小时", None, D(15), ""),
        (3, "受益人口", "3.1万人", D(30), D(30), ""),
        (4, "群众满意度", "85%", D(10), D("9.44"), "部分村组水压不足"),
    ]
    assert (evaluation.total, evaluation.grade) == (D("99.11"), "优")
    assert (project.budget_amount, project.amount_unit) == (D(1200000), "元")


def _check_hunan(project: Project) -> None:
    assert (project.name, project.implementing_unit) == ("河道清淤", "示例县河道站")
    evaluation = project.evaluation
    assert evaluation is not None
    assert evaluation.unit == "万元"
    assert evaluation.funds[:2] == [
        EvaluationFunds(label="年度资金总额", initial=D(0), full_year=D(0), executed=D(0), rate="0"),
        EvaluationFunds(label="其中：本年财政拨款", initial=D(90), full_year=D(90), executed=D("85.5"), rate="95%"),
    ]
    assert (evaluation.rate_points, evaluation.rate_score) == (D(10), D(0))
    assert _results(project) == [
        (0, "清淤长度", "9公里", D(50), D(45), ""),
        (1, "河道水质改善", "明显改善", D(30), D(35), ""),
        (2, "沿岸群众满意度", "92%", D(20), D(20), ""),
    ]
    assert [(i.level1, i.level2, i.value) for i in project.goal.indicators] == [
        ("产出指标", "数量指标", "≥10公里"), ("效益指标", "生态效益指标", "明显改善"),
        ("满意度指标", "服务对象满意度指标", "≥90%"),
    ]
    assert (evaluation.total, evaluation.grade) == (D(95), "优")


def _national_workbook(path: Path) -> Path:
    return workbook(path, [
        ("饮水安全", ["项目支出绩效自评表", "（2022年度）", national()]),
        ("河道清淤", ["2022年度项目支出绩效自评表", "单位：万元", hunan()]),
    ])


@pytest.mark.parametrize("form", ["docx", "xls", "text"])
def test_the_national_layout(tmp_path: Path, form: str) -> None:
    blocks: list[Block] = ["项目支出绩效自评表", "（2022年度）", national()]
    department = import_path(write(tmp_path, "自评", blocks, form)).department
    assert (department.code, department.name, department.year) == ("305", "示例县水利局", 2022)
    [project] = department.projects
    _check_national(project)


def test_one_project_a_sheet(tmp_path: Path) -> None:
    department = import_path(_national_workbook(tmp_path / "自评.xlsx")).department
    assert (department.code, department.year) == ("305", 2022)
    national_project, hunan_project = department.projects
    _check_national(national_project)
    _check_hunan(hunan_project)


def test_the_checks_flag_what_the_tables_get_wrong(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    imported = cli("import", str(_national_workbook(tmp_path / "自评.xlsx")))
    assert imported.code == 0, imported.stdout + imported.stderr
    checked = cli("check", "-d", "305", "-y", "2022", "--select", "PG7")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in checked.stdout.splitlines():
        if line.strip().startswith("项目 "):
            current = line.split("：", 1)[1].split("（")[0]
        sections.setdefault(current, []).append(line)
    hunan_lines = sections["河道清淤"]
    national_lines = sections.get("农村饮水安全工程维护", [])
    codes = ("PG702", "PG703", "PG704", "PG705", "PG706", "PG707")
    found = {code for code in codes if any(code in line for line in hunan_lines)}
    assert found == set(codes), checked.stdout
    # The consistent table: nothing flagged.
    assert not [line for line in national_lines if "✗" in line or "PG7" in line], checked.stdout


def whole_department() -> list[list[Item]]:
    return [
        [("部门（单位）名称", 2), ("示例县水利局", 6)],
        [("年度主要任务", 2), "任务名称", ("主要内容", 3), "预算数", "执行数"],
        [UP, "水利工程维护", ("维护水库3座", 3), "120", "118"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标", "数量指标", "维护水库数", "3座", "3座", "50", "50", ""],
    ]


def test_a_whole_department_self_evaluation_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocks: list[Block] = ["2022年度部门整体支出绩效自评表", whole_department()]
    result = cli("import", str(write(tmp_path, "整体", blocks, "docx")))
    assert result.code == 2, result.stdout + result.stderr
    message = result.stdout + result.stderr
    assert "部门整体支出绩效自评表" in message and "项目支出" in message, message
    assert "找不到部门" not in message  # one message: the reason, not what follows from it
    assert "示例县水利局" not in cli("list").stdout


def test_a_self_evaluation_without_its_project_name_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = sichuan()[1:]
    blocks: list[Block] = ["部门预算项目支出绩效自评表(2023年度)", rows]
    result = cli("import", str(write(tmp_path, "无名", blocks, "xlsx")))
    assert result.code == 2
    message = result.stdout + result.stderr
    assert "项目名称" in message and "自评表" in message and "第 2 行" in message, message
    assert "找不到部门" not in message
    assert "发展和改革局" not in cli("list").stdout


def test_a_result_row_keeps_its_cells(tmp_path: Path) -> None:
    """A score written as text with 分 and thousands-separated money in an .xls-free Excel file."""
    rows = sichuan(score="28.5分")
    blocks: list[Block] = ["部门预算项目支出绩效自评表(2023年度)", rows]
    [project] = import_path(write(tmp_path, "分", blocks, "xlsx")).department.projects
    assert project.evaluation is not None
    assert project.evaluation.rows[1] == IndicatorResult(
        row=1, level3="按时发放率", actual="95", points=D(30), score=D("28.5"), reason="个别月份延迟发放"
    )


def test_goals_and_grade_written_as_label_and_text(tmp_path: Path) -> None:
    """年度总体目标 and 年度目标完成情况 one under the other (label · text), 自评等级：良 in one cell."""
    rows = national()
    rows[7:9] = [
        ["年度总体目标", ("维护供水管网120公里，保障3万人饮水安全。", 8)],
        ["年度目标完成情况", ("维护管网118公里，保障3.1万人饮水安全。", 8)],
    ]
    rows[-1] = [("自评等级：优", 9)]
    department = import_path(write(tmp_path, "竖排", ["项目支出绩效自评表", "（2022年度）", rows], "docx")).department
    [project] = department.projects
    _check_national(project)


def test_the_project_named_in_the_lines_above_the_table(tmp_path: Path) -> None:
    """项目名称 and 主管部门 as ``label：value`` lines above the table, the table starting at 项目资金."""
    blocks: list[Block] = [
        "项目支出绩效自评表",
        "（2022年度）",
        "项目名称：农村饮水安全工程维护　　主管部门：305 示例县水利局　　实施单位：示例县农村供水站",
        national()[2:],
    ]
    department = import_path(write(tmp_path, "表外", blocks, "docx")).department
    assert (department.code, department.year) == ("305", 2022)
    [project] = department.projects
    _check_national(project)
