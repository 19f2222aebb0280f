"""Goal tables (项目支出绩效目标表) in the layouts other provinces and the central template publish.

Each document is built here as a real Word table (gridSpan and vMerge merges, as Word writes them) and,
where the layout survives it, as the one-cell-a-line text extraction of the same table.  Both are read
through :func:`import_path`, the function ``perfgoals import`` calls (and some through the command line
itself), and every indicator row is compared field by field with what the table says, values as typed.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as new_document

from perfgoals.checks import check_department
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.reading import ImportResult, import_path
from perfgoals.models import AmountSource, Direction, Indicator, Project
from tests.test_import import Cell, _add_table

D = Decimal
UP = "\x00continues"  # a cell continuing the vertical merge of the cell above it

Item = str | tuple[str, int]  # a cell's text, or its text and how many grid columns it spans
Block = str | list[list[Item]]  # a paragraph, or a table's rows


# --------------------------------------------------------------------- building the documents
def _grid(rows: list[list[Item]], *, strict: bool = True) -> list[list[Cell]]:
    """The rows as Word cells: ``UP`` continues the vertical merge of the cell above in the same columns."""
    result: list[list[Cell]] = []
    for cells in rows:
        row: list[Cell] = []
        column = 0
        for item in cells:
            if item == UP:
                start = 0
                for above in result[-1]:
                    if start == column:
                        above.merge = above.merge or "restart"
                        row.append(Cell("", above.span, "continue"))
                        column += above.span
                        break
                    start += above.span
                else:
                    raise AssertionError(f"nothing above column {column} to continue")
                continue
            text, span = (item, 1) if isinstance(item, str) else item
            row.append(Cell(text, span))
            column += span
        result.append(row)
    widths = {sum(cell.span for cell in row) for row in result}
    assert len(widths) == 1 or not strict, f"rows of different widths: {widths}"
    return result


def docx_of(blocks: list[Block], *, strict: bool = True) -> bytes:
    """A Word document; ``strict=False`` lets a row be wider than the table, as a converter may leave it."""
    document = new_document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            rows = _grid(block, strict=strict)
            _add_table(document, rows, max(sum(cell.span for cell in row) for row in rows))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def text_of(blocks: list[Block]) -> str:
    """The text extraction: a cell a line (each paragraph of a cell on its own), merged cells once."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        for row in _grid(block):
            for cell in row:
                lines.extend("\t" + part for part in (cell.text.split("\n") if cell.text else [""]))
            lines.append("")
    return "\n".join(lines) + "\n"


def import_blocks(tmp_path: Path, blocks: list[Block], form: str, name: str = "预算公开") -> ImportResult:
    path = tmp_path / f"{name}.{'docx' if form == 'docx' else 'txt'}"
    if form == "docx":
        path.write_bytes(docx_of(blocks))
    else:
        path.write_text(text_of(blocks), encoding="utf-8")
    return import_path(path)


def R(
    level1: str,
    level2: str,
    level3: str,
    description: str,
    value: str,
    basis: str,
    *,
    mid: str | None = None,
    unit: str | None = None,
    weight: str | None = None,
    direction: Direction | None = None,
    method: str | None = None,
    nature: str | None = None,
    extra: dict[str, str] | None = None,
) -> Indicator:
    return Indicator(
        level1=level1, level2=level2, level3=level3, description=description, value=value, basis=basis,
        mid_term_value=mid, unit=unit, weight=D(weight) if weight is not None else None, direction=direction,
        method=method, nature=nature, extra=extra or {},
    )


def only_project(result: ImportResult) -> Project:
    assert len(result.department.projects) == 1, [p.name for p in result.department.projects]
    return result.department.projects[0]


def notes(result: ImportResult) -> list[str]:
    return [str(note) for note in result.notes if "未对应功能科目" not in str(note)]


HEAD: list[Block] = [
    "某某省科学技术厅2024年部门预算",
    "部门整体绩效目标",
    "围绕全省科技创新，完成年度重点任务。",
]
DEPARTMENT = "编制部门：301某某省科学技术厅"
FORMS = ["docx", "text"]


# --------------------------------------------------------------------- 1. the 2021 framework
FRAMEWORK_2021: list[Block] = [*HEAD, "项目支出绩效目标表", DEPARTMENT, [
    ["项目名称", ("科技创新券补助", 5)],
    ["绩效目标", ("1.支持中小企业开展研发活动；2.培育科技型企业100家。", 5)],
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
    ["成本指标", "经济成本指标", "创新券补助成本", "按每家企业补助标准测算", "≤500万元", "预算支出标准"],
    [UP, "社会成本指标", "", "", "", ""],
    [UP, "生态环境成本指标", "", "", "", ""],
    ["产出指标", "数量指标", "补助企业数量", "获得创新券补助的企业数", "≥100家", "计划标准"],
    [UP, "质量指标", "补助资金发放准确率", "按规定发放的比例", "100%", "行业标准"],
    [UP, "时效指标", "资金拨付时间", "资金拨付到企业的时间", "2024年11月底前", "计划标准"],
    ["效益指标", "经济效益指标", "带动企业研发投入", "企业新增研发投入", "≥2亿元", "历史标准"],
    [UP, "社会效益指标", "新增科技型中小企业", "新入库企业数", "≥50家", "计划标准"],
    [UP, "生态效益指标", "", "", "", ""],
    [UP, "可持续影响指标", "企业研发活动持续开展", "企业持续研发情况", "长期", "其他"],
    ["满意度指标", "服务对象满意度指标", "企业满意度", "受补助企业满意度", "≥90%", "满意度调查"],
]]
FRAMEWORK_2021_ROWS = [
    R("成本指标", "经济成本指标", "创新券补助成本", "按每家企业补助标准测算", "≤500万元", "预算支出标准"),
    R("成本指标", "社会成本指标", "", "", "", ""),
    R("成本指标", "生态环境成本指标", "", "", "", ""),
    R("产出指标", "数量指标", "补助企业数量", "获得创新券补助的企业数", "≥100家", "计划标准"),
    R("产出指标", "质量指标", "补助资金发放准确率", "按规定发放的比例", "100%", "行业标准"),
    R("产出指标", "时效指标", "资金拨付时间", "资金拨付到企业的时间", "2024年11月底前", "计划标准"),
    R("效益指标", "经济效益指标", "带动企业研发投入", "企业新增研发投入", "≥2亿元", "历史标准"),
    R("效益指标", "社会效益指标", "新增科技型中小企业", "新入库企业数", "≥50家", "计划标准"),
    R("效益指标", "生态效益指标", "", "", "", ""),
    R("效益指标", "可持续影响指标", "企业研发活动持续开展", "企业持续研发情况", "长期", "其他"),
    R("满意度指标", "服务对象满意度指标", "企业满意度", "受补助企业满意度", "≥90%", "满意度调查"),
]


@pytest.mark.parametrize("form", FORMS)
def test_2021_framework_with_cost_as_level1(tmp_path: Path, form: str) -> None:
    result = import_blocks(tmp_path, FRAMEWORK_2021, form)
    department = result.department
    assert (department.code, department.name, department.year) == ("301", "某某省科学技术厅", 2024)
    assert department.framework == "mof-2021"
    project = only_project(result)
    assert project.name == "科技创新券补助"
    assert project.goal.goal_text == "1.支持中小企业开展研发活动；2.培育科技型企业100家。"
    assert project.goal.indicators == FRAMEWORK_2021_ROWS
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("500"), "万元", AmountSource.COST_INDICATOR)
    assert notes(result) == []
    findings = check_department(department, select=["PG3"])
    assert [f"{f.code} {f.message}" for f in findings] == []


def test_2021_framework_through_the_command_line_passes_the_checks(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "某某省科学技术厅2024年部门预算.docx"
    path.write_bytes(docx_of(FRAMEWORK_2021))
    imported = cli("import", str(path))
    assert imported.code == 0, imported.stderr
    assert "已导入 301 某某省科学技术厅（2024 年）" in imported.stdout and "1 个项目、11 行绩效指标" in imported.stdout
    checked = cli("check", "--select", "PG3", "--format", "json")
    assert checked.code == 0, checked.stdout + checked.stderr
    assert [line for line in checked.stdout.splitlines() if '"code"' in line] == []
    dump = tmp_path / "dump.json"
    assert cli("dump", "-o", str(dump)).code == 0
    department = json.loads(dump.read_text(encoding="utf-8"))["department"]
    assert department["framework"] == "mof-2021"
    assert department["projects"][0]["goal"]["indicators"][0]["value"] == "≤500万元"


# --------------------------------------------------------------------- 2. annual and mid-term values
VALUE_HEADER: list[list[Item]] = [
    ["一级指标", "二级指标", "三级指标", ("指标值", 2), "指标值确定依据"],
    [UP, UP, UP, "实施期", "年度", UP],
]
OUTPUT_ROWS: list[list[Item]] = [
    ["产出指标", "数量指标", "改造场馆数量", "9个", "3个", "计划标准"],
    [UP, "质量指标", "验收合格率", "100%", "100%", "行业标准"],
    [UP, "时效指标", "完成时间", "2026年12月前", "2024年12月前", "计划标准"],
]
OTHER_ROWS: list[list[Item]] = [
    ["效益指标", "社会效益指标", "年接待观众人次", "≥30万人次", "≥10万人次", "历史标准"],
    ["满意度指标", "服务对象满意度指标", "观众满意度", "≥95%", "≥95%", "满意度调查"],
]
TWO_ROW_VALUE_HEADER: list[Block] = [*HEAD, "1、科普基础设施建设绩效目标表", DEPARTMENT, [
    ["年度绩效目标", ("完成3个科普场馆改造。", 5)],
    *VALUE_HEADER,
    *OUTPUT_ROWS,
    [UP, "成本指标", "改造成本", "≤900万元", "≤300万元", "预算支出标准"],
    *OTHER_ROWS,
]]
#: The header's upper row groups the levels under 绩效指标 and the values under 指标值; 依据 spans both rows.
GROUPED_UPPER_HEADER: list[Block] = [*HEAD, "1、科普基础设施建设绩效目标表", DEPARTMENT, [
    ["年度绩效目标", ("完成3个科普场馆改造。", 5)],
    [("绩效指标", 3), ("指标值", 2), "指标值确定依据"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实施期指标值", UP],
    ["产出指标", "数量指标", "改造场馆数量", "3个", "9个", "计划标准"],
    [UP, "质量指标", "验收合格率", "100%", "100%", "行业标准"],
    [UP, "时效指标", "完成时间", "2024年12月前", "2026年12月前", "计划标准"],
    [UP, "成本指标", "改造成本", "≤300万元", "≤900万元", "预算支出标准"],
    ["效益指标", "社会效益指标", "年接待观众人次", "≥10万人次", "≥30万人次", "历史标准"],
    ["满意度指标", "服务对象满意度指标", "观众满意度", "≥95%", "≥95%", "满意度调查"],
]]
TWO_VALUE_ROWS = [
    R("产出指标", "数量指标", "改造场馆数量", "", "3个", "计划标准", mid="9个"),
    R("产出指标", "质量指标", "验收合格率", "", "100%", "行业标准", mid="100%"),
    R("产出指标", "时效指标", "完成时间", "", "2024年12月前", "计划标准", mid="2026年12月前"),
    R("产出指标", "成本指标", "改造成本", "", "≤300万元", "预算支出标准", mid="≤900万元"),
    R("效益指标", "社会效益指标", "年接待观众人次", "", "≥10万人次", "历史标准", mid="≥30万人次"),
    R("满意度指标", "服务对象满意度指标", "观众满意度", "", "≥95%", "满意度调查", mid="≥95%"),
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("blocks", [TWO_ROW_VALUE_HEADER, GROUPED_UPPER_HEADER], ids=["指标值over年度实施期", "绩效指标over三级"])
def test_annual_and_mid_term_value_columns(tmp_path: Path, form: str, blocks: list[Block]) -> None:
    result = import_blocks(tmp_path, blocks, form)
    project = only_project(result)
    assert project.name == "科普基础设施建设" and project.goal.goal_text == "完成3个科普场馆改造。"
    assert project.goal.indicators == TWO_VALUE_ROWS
    assert result.department.framework == "mof-2015"
    # The year's ceiling is the project's money, not the whole period's.
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("300"), "万元", AmountSource.COST_INDICATOR)
    assert notes(result) == []


#: The central layout: one 指标性质 and one 度量单位 column shared by the year's and the period's value.
SHARED_NATURE: list[Block] = [*HEAD, "1、科普基础设施建设绩效目标表", DEPARTMENT, [
    ["年度绩效目标", ("完成3个科普场馆改造。", 6)],
    ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "实施期指标值", "度量单位"],
    ["产出指标", "数量指标", "改造场馆数量", "≥", "3", "9", "个"],
    [UP, "时效指标", "完成时间", "定性", "2024年12月前", "2026年12月前", ""],
    [UP, "成本指标", "改造成本", "≤", "300", "900", "万元"],
    ["满意度指标", "服务对象满意度指标", "观众满意度", "≥", "95", "95", "%"],
]]


@pytest.mark.parametrize("form", FORMS)
def test_one_nature_column_for_both_values(tmp_path: Path, form: str) -> None:
    project = only_project(import_blocks(tmp_path, SHARED_NATURE, form))
    # 指标性质 is kept apart, once for both values; the values stay as typed.
    assert project.goal.indicators == [
        R("产出指标", "数量指标", "改造场馆数量", "", "3", "", mid="9", unit="个", nature="≥"),
        R("产出指标", "时效指标", "完成时间", "", "2024年12月前", "", mid="2026年12月前", nature="定性"),
        R("产出指标", "成本指标", "改造成本", "", "300", "", mid="900", unit="万元", nature="≤"),
        R("满意度指标", "服务对象满意度指标", "观众满意度", "", "95", "", mid="95", unit="%", nature="≥"),
    ]
    assert (project.budget_amount, project.amount_unit) == (D("300"), "万元")


# --------------------------------------------------------------------- 3. extra columns
EXTRA_COLUMNS: list[Block] = [*HEAD, "2、科技人才培训绩效目标表", DEPARTMENT, [
    ["项目名称", ("科技人才培训", 11)],
    ["绩效目标", ("培训科技人才2000人次。", 11)],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "指标方向", "权重（%）", "计算方法",
     "评（计）分标准", "指标值确定依据", "数据来源"],
    ["产出指标", "数量指标", "举办培训班", "定量", "20", "期", "正向", "20", "实际举办期数",
     "完成得满分，每少1期扣2分", "计划标准", "培训通知"],
    [UP, "质量指标", "培训合格率", "定量", "≥95", "%", "正向", "20", "合格人数/参训人数", "达到得满分", "行业标准",
     "考试成绩"],
    [UP, "时效指标", "培训完成时间", "定性", "2024年10月底前", "", "定性", "10", "—", "按期完成得满分", "计划标准",
     "培训总结"],
    [UP, "成本指标", "培训成本", "定量", "≤120", "万元", "反向", "10", "实际支出", "不超支得满分", "预算支出标准",
     "财务账目"],
    ["效益指标", "社会效益指标", "参训人员能力提升", "定性", "明显提升", "", "定性", "30", "", "视情况打分", "其他",
     "问卷"],
    ["满意度指标", "服务对象满意度指标", "参训人员满意度", "定量", "≥90", "%", "正向", "10", "问卷调查",
     "≥90%得满分", "满意度调查", "问卷"],
]]
#: 计算方法 and 评（计）分标准 are both the row's method, joined in column order; an empty cell adds nothing.
EXTRA_COLUMN_ROWS = [
    R("产出指标", "数量指标", "举办培训班", "", "20", "计划标准", unit="期", weight="20", direction=Direction.POSITIVE,
      method="实际举办期数；完成得满分，每少1期扣2分", nature="定量", extra={"数据来源": "培训通知"}),
    R("产出指标", "质量指标", "培训合格率", "", "≥95", "行业标准", unit="%", weight="20", direction=Direction.POSITIVE,
      method="合格人数/参训人数；达到得满分", nature="定量", extra={"数据来源": "考试成绩"}),
    R("产出指标", "时效指标", "培训完成时间", "", "2024年10月底前", "计划标准", weight="10", method="—；按期完成得满分",
      nature="定性", extra={"数据来源": "培训总结"}),
    R("产出指标", "成本指标", "培训成本", "", "≤120", "预算支出标准", unit="万元", weight="10", direction=Direction.NEGATIVE,
      method="实际支出；不超支得满分", nature="定量", extra={"数据来源": "财务账目"}),
    R("效益指标", "社会效益指标", "参训人员能力提升", "", "明显提升", "其他", weight="30", method="视情况打分",
      nature="定性", extra={"数据来源": "问卷"}),
    R("满意度指标", "服务对象满意度指标", "参训人员满意度", "", "≥90", "满意度调查", unit="%", weight="10",
      direction=Direction.POSITIVE, method="问卷调查；≥90%得满分", nature="定量", extra={"数据来源": "问卷"}),
]
#: 指标性质 used for 正向/反向 (as some provinces do), 分值 for points, the comparator typed in the value.
NATURE_AS_DIRECTION: list[Block] = [*HEAD, "3、科技成果转化绩效目标表", DEPARTMENT, [
    ["项目名称", ("科技成果转化", 6)],
    ["绩效目标", ("转化科技成果30项。", 6)],
    ["一级指标", "二级指标", "三级指标", "指标值", "指标性质", "分值", "指标值确定依据"],
    ["产出指标", "数量指标", "转化成果数", "≥30项", "正向指标", "20", "计划标准"],
    [UP, "质量指标", "转化合同履约率", "≥90%", "正向指标", "20", "行业标准"],
    [UP, "时效指标", "合同登记时限", "≤15个工作日", "反向指标", "10", "行业标准"],
    [UP, "成本指标", "转化补助成本", "≤200万元", "反向指标", "10", "预算支出标准"],
    ["效益指标", "经济效益指标", "技术合同成交额", "≥5亿元", "正向指标", "30", "历史标准"],
    ["满意度指标", "服务对象满意度指标", "企业满意度", "≥90%", "正向指标", "10", "满意度调查"],
]]
NATURE_AS_DIRECTION_ROWS = [
    R("产出指标", "数量指标", "转化成果数", "", "≥30项", "计划标准", weight="20", direction=Direction.POSITIVE, nature="正向指标"),
    R("产出指标", "质量指标", "转化合同履约率", "", "≥90%", "行业标准", weight="20", direction=Direction.POSITIVE, nature="正向指标"),
    R("产出指标", "时效指标", "合同登记时限", "", "≤15个工作日", "行业标准", weight="10", direction=Direction.NEGATIVE, nature="反向指标"),
    R("产出指标", "成本指标", "转化补助成本", "", "≤200万元", "预算支出标准", weight="10", direction=Direction.NEGATIVE, nature="反向指标"),
    R("效益指标", "经济效益指标", "技术合同成交额", "", "≥5亿元", "历史标准", weight="30", direction=Direction.POSITIVE, nature="正向指标"),
    R("满意度指标", "服务对象满意度指标", "企业满意度", "", "≥90%", "满意度调查", weight="10", direction=Direction.POSITIVE, nature="正向指标"),
]


@pytest.mark.parametrize("form", FORMS)
def test_nature_unit_direction_weight_method_and_unmodelled_columns(tmp_path: Path, form: str) -> None:
    result = import_blocks(tmp_path, EXTRA_COLUMNS, form)
    project = only_project(result)
    assert project.goal.goal_text == "培训科技人才2000人次。"
    assert project.goal.indicators == EXTRA_COLUMN_ROWS
    # The ceiling "≤120" with 万元 in its own column is still the project's money.
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("120"), "万元", AmountSource.COST_INDICATOR)
    # 数据来源 has no field of its own: it is kept under its header, and the column is recorded in order.
    assert notes(result) == []
    assert [(column.header, column.field) for column in project.goal.columns] == [
        ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "level3"), ("指标性质", "nature"),
        ("指标值", "value"), ("度量单位", "unit"), ("指标方向", "direction"), ("权重（%）", "weight"),
        ("计算方法", "method"), ("评（计）分标准", "method"), ("指标值确定依据", "basis"), ("数据来源", "extra"),
    ]


@pytest.mark.parametrize("form", FORMS)
def test_nature_column_holding_the_direction(tmp_path: Path, form: str) -> None:
    result = import_blocks(tmp_path, NATURE_AS_DIRECTION, form)
    project = only_project(result)
    assert project.goal.indicators == NATURE_AS_DIRECTION_ROWS
    assert (project.budget_amount, project.amount_unit) == (D("200"), "万元")
    assert notes(result) == []


# --------------------------------------------------------------------- 4. the comparator in its own cell
SPLIT_VALUE: list[Block] = [*HEAD, "3、农业科技推广绩效目标表", DEPARTMENT, [
    ["项目名称", ("农业科技推广", 7)],
    ["绩效目标", ("推广新品种10个。", 7)],
    ["一级指标", "二级指标", "三级指标", ("指标值", 3), "指标值确定依据", "分值"],
    ["产出指标", "数量指标", "推广新品种", "≥", "10", "个", "计划标准", "20"],
    [UP, "质量指标", "示范田达标率", "≥", "95", "%", "行业标准", "15"],
    [UP, "时效指标", "完成时间", "", "2024年底前", "", "计划标准", "10"],
    [UP, "成本指标", "推广成本", "≤", "80", "万元", "预算支出标准", "5"],
    ["效益指标", "经济效益指标", "农户增收", "≥", "500", "元/户", "历史标准", "30"],
    ["满意度指标", "服务对象满意度指标", "农户满意度", "≥", "90", "%", "满意度调查", "10"],
]]
OPERATOR_COLUMN: list[Block] = [*HEAD, "3、农业科技推广绩效目标表", DEPARTMENT, [
    ["项目名称", ("农业科技推广", 7)],
    ["绩效目标", ("推广新品种10个。", 7)],
    ["一级指标", "二级指标", "三级指标", "运算符号", "指标值", "计量单位", "指标值确定依据", "分值"],
    ["产出指标", "数量指标", "推广新品种", "≥", "10", "个", "计划标准", "20"],
    [UP, "质量指标", "示范田达标率", "≥", "95", "%", "行业标准", "15"],
    [UP, "时效指标", "完成时间", "定性", "2024年底前", "", "计划标准", "10"],
    [UP, "成本指标", "推广成本", "≤", "80", "万元", "预算支出标准", "5"],
    ["效益指标", "经济效益指标", "农户增收", "≥", "500", "元/户", "历史标准", "30"],
    ["满意度指标", "服务对象满意度指标", "农户满意度", "≥", "90", "%", "满意度调查", "10"],
]]
#: 指标值 over a lower row naming its parts (the central template's 指标性质 | 指标值 | 度量单位).
NAMED_VALUE_PARTS: list[Block] = [*HEAD, "3、农业科技推广绩效目标表", DEPARTMENT, [
    ["项目名称", ("农业科技推广", 7)],
    ["绩效目标", ("推广新品种10个。", 7)],
    ["一级指标", "二级指标", "三级指标", ("指标值", 3), "指标值确定依据", "分值"],
    [UP, UP, UP, "指标性质", "指标值", "度量单位", UP, UP],
    ["产出指标", "数量指标", "推广新品种", "≥", "10", "个", "计划标准", "20"],
    [UP, "质量指标", "示范田达标率", "≥", "95", "%", "行业标准", "15"],
    [UP, "时效指标", "完成时间", "定性", "2024年底前", "", "计划标准", "10"],
    [UP, "成本指标", "推广成本", "≤", "80", "万元", "预算支出标准", "5"],
    ["效益指标", "经济效益指标", "农户增收", "≥", "500", "元/户", "历史标准", "30"],
    ["满意度指标", "服务对象满意度指标", "农户满意度", "≥", "90", "%", "满意度调查", "10"],
]]
SPLIT_VALUE_ROWS = [
    R("产出指标", "数量指标", "推广新品种", "", "≥10", "计划标准", unit="个", weight="20"),
    R("产出指标", "质量指标", "示范田达标率", "", "≥95", "行业标准", unit="%", weight="15"),
    R("产出指标", "时效指标", "完成时间", "", "2024年底前", "计划标准", weight="10"),
    R("产出指标", "成本指标", "推广成本", "", "≤80", "预算支出标准", unit="万元", weight="5"),
    R("效益指标", "经济效益指标", "农户增收", "", "≥500", "历史标准", unit="元/户", weight="30"),
    R("满意度指标", "服务对象满意度指标", "农户满意度", "", "≥90", "满意度调查", unit="%", weight="10"),
]


#: A comparator in a column of its own (运算符号, 指标性质) is the row's 指标性质, kept apart from the value.
NATURE_COLUMN_ROWS = [
    row.model_copy(update={"value": row.value.lstrip("≥≤"), "nature": (row.value[0] if row.value[0] in "≥≤" else "定性")})
    for row in SPLIT_VALUE_ROWS
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("blocks", "expected"),
    [(SPLIT_VALUE, SPLIT_VALUE_ROWS), (OPERATOR_COLUMN, NATURE_COLUMN_ROWS), (NAMED_VALUE_PARTS, NATURE_COLUMN_ROWS)],
    ids=["指标值merged-over-3", "运算符号", "指标性质-under-指标值"],
)
def test_comparator_and_unit_in_their_own_cells(
    tmp_path: Path, form: str, blocks: list[Block], expected: list[Indicator]
) -> None:
    result = import_blocks(tmp_path, blocks, form)
    project = only_project(result)
    assert project.goal.indicators == expected
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("80"), "万元", AmountSource.COST_INDICATOR)
    assert notes(result) == []


def test_split_value_that_does_not_fit_is_refused_naming_the_row(tmp_path: Path) -> None:
    """In the text form the merged 指标值 header is only guessed from wider rows; a row that doesn't read
    as comparator | value | unit means the guess was wrong, and the row is named."""
    table = SPLIT_VALUE[-1]
    assert isinstance(table, list)
    bad = [*SPLIT_VALUE[:-1], [*table[:4], [UP, "质量指标", "示范田达标率", "95", "%", "以上", "行业标准", "15"], *table[5:]]]
    lines = text_of(bad).splitlines()
    row = lines.index("\t示范田达标率") - 1  # the row's first line, counted from 1
    with pytest.raises(ImportFailure) as caught:
        import_blocks(tmp_path, bad, "text")
    message = str(caught.value)
    assert f"「3、农业科技推广绩效目标表」第 {row} 行：这一行有 8 列，表头有 6 列（多列）" in message


# --------------------------------------------------------------------- 5. the central/province header block
#: 绩效指标 down the first column, merged over the header and every indicator row.
CENTRAL_INDICATORS: list[list[Item]] = [
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
    [UP, "成本指标", "经济成本指标", "研发经费", "≤1200万元", "预算支出标准"],
    [UP, "产出指标", "数量指标", "突破关键技术", "≥4项", "计划标准"],
    [UP, UP, "质量指标", "项目验收通过率", "≥90%", "行业标准"],
    [UP, UP, "时效指标", "项目立项时间", "2024年6月底前", "计划标准"],
    [UP, "效益指标", "社会效益指标", "形成发明专利", "≥20项", "计划标准"],
    [UP, "满意度指标", "服务对象满意度指标", "承担单位满意度", "≥90%", "满意度调查"],
]
CENTRAL_TEMPLATE: list[Block] = [
    "部门整体绩效目标", "围绕全省科技创新，完成年度重点任务。",
    "项目支出绩效目标表", "（2024年度）", [
        ["项目名称", ("重点研发计划", 5)],
        ["主管部门及代码", ("[301]某某省科学技术厅", 2), "实施单位", ("某某省科技项目中心", 2)],
        ["项目资金（万元）", ("年度资金总额", 2), ("1,200.00", 3)],
        [UP, ("其中：财政拨款", 2), ("1,000.00", 3)],
        [UP, ("其他资金", 2), ("200.00", 3)],
        ["总体目标", ("实施期目标", 2), ("年度目标", 3)],
        [UP, ("1.突破关键技术10项\n2.形成专利50项", 2), ("1.突破关键技术4项\n2.形成专利20项", 3)],
        *CENTRAL_INDICATORS,
    ],
]
CENTRAL_ROWS = [
    R("成本指标", "经济成本指标", "研发经费", "", "≤1200万元", "预算支出标准"),
    R("产出指标", "数量指标", "突破关键技术", "", "≥4项", "计划标准"),
    R("产出指标", "质量指标", "项目验收通过率", "", "≥90%", "行业标准"),
    R("产出指标", "时效指标", "项目立项时间", "", "2024年6月底前", "计划标准"),
    R("效益指标", "社会效益指标", "形成发明专利", "", "≥20项", "计划标准"),
    R("满意度指标", "服务对象满意度指标", "承担单位满意度", "", "≥90%", "满意度调查"),
]
#: The same block with the money in columns (实施期 | 年度) and the project's code beside its name.
CENTRAL_TEMPLATE_COLUMNS: list[Block] = [
    "部门整体绩效目标", "围绕全省科技创新，完成年度重点任务。",
    "项目支出绩效目标表", "（2024年度）", [
        ["项目名称", ("重点研发计划", 2), "项目编码", ("13000024T000000123456", 2)],
        ["主管部门", ("301-某某省科学技术厅", 2), "实施单位", ("某某省科技项目中心", 2)],
        ["项目资金（万元）", ("", 2), "实施期资金总额", ("年度资金总额", 2)],
        [UP, ("资金总额", 2), "3,600.00", ("1,200.00", 2)],
        [UP, ("其中：财政拨款", 2), "3,000.00", ("1,000.00", 2)],
        [UP, ("其他资金", 2), "600.00", ("200.00", 2)],
        ["总体目标", ("年度目标", 2), ("1.突破关键技术4项；2.形成专利20项", 3)],
        *CENTRAL_INDICATORS,
    ],
]


@pytest.mark.parametrize("form", FORMS)
def test_central_template_header_block(tmp_path: Path, form: str) -> None:
    result = import_blocks(tmp_path, CENTRAL_TEMPLATE, form)
    department = result.department
    # The code and name come from 主管部门及代码, the year from the line under the title.
    assert (department.code, department.name, department.year) == ("301", "某某省科学技术厅", 2024)
    assert department.framework == "mof-2021"
    project = only_project(result)
    assert project.name == "重点研发计划" and project.code is None
    assert project.implementing_unit == "某某省科技项目中心"
    assert project.goal.goal_text == "1.突破关键技术4项\n2.形成专利20项"
    assert project.goal.mid_term_goal_text == "1.突破关键技术10项\n2.形成专利50项"
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("1200.00"), "万元", AmountSource.ENTERED)
    assert project.goal.indicators == CENTRAL_ROWS
    assert notes(result) == []
    # The template has no 指标描述 or 依据 column: its rows are complete, not one empty-cell error each.
    framework_findings = check_department(department, select=["PG301", "PG302", "PG303", "PG304", "PG305"])
    assert [f"{f.code} {f.message}" for f in framework_findings] == []


@pytest.mark.parametrize("form", FORMS)
def test_money_in_columns_takes_the_years_total(tmp_path: Path, form: str) -> None:
    result = import_blocks(tmp_path, CENTRAL_TEMPLATE_COLUMNS, form)
    assert (result.department.code, result.department.name) == ("301", "某某省科学技术厅")
    project = only_project(result)
    assert (project.name, project.code) == ("重点研发计划", "13000024T000000123456")
    assert project.implementing_unit == "某某省科技项目中心"
    assert project.goal.goal_text == "1.突破关键技术4项；2.形成专利20项"
    assert project.goal.mid_term_goal_text == ""
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("1200.00"), "万元", AmountSource.ENTERED)
    assert project.goal.indicators == CENTRAL_ROWS
    assert notes(result) == []


SCHOOL_ROWS: list[list[Item]] = [
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
    ["产出指标", "数量指标", "进校园场次", "全年场次", "≥30场", "计划标准"],
    [UP, "成本指标", "活动成本", "场地与交通", "≤45万元", "预算支出标准"],
    ["满意度指标", "服务对象满意度指标", "师生满意度", "师生满意度", "≥90%", "满意度调查"],
]
PROJECT_BLOCKS: dict[str, list[list[Item]]] = {
    "label：value-in-one-cell": [
        [("项目名称：科普进校园", 6)],
        [("年度资金总额：45万元", 6)],
        [("绩效目标", 6)],
        [("1.开展科普进校园活动30场\n2.覆盖中小学生1万人次", 6)],
    ],
    "pairs-on-one-row": [
        ["项目名称", ("科普进校园", 2), "项目代码", ("P-001", 2)],
        ["项目资金（万元）", "实施期资金总额", "90", "年度资金总额", ("45", 2)],
        ["年度总体目标", ("1.开展科普进校园活动30场；2.覆盖中小学生1万人次", 5)],
    ],
    "goal-items-on-their-own-rows": [
        ["项目名称", ("科普进校园", 5)],
        ["年度资金总额（万元）", ("45.00", 5)],
        ["绩效目标", ("1.开展科普进校园活动30场", 5)],
        [UP, ("2.覆盖中小学生1万人次", 5)],
    ],
}
PROJECT_BLOCK_GOALS = {
    "label：value-in-one-cell": "1.开展科普进校园活动30场\n2.覆盖中小学生1万人次",
    "pairs-on-one-row": "1.开展科普进校园活动30场；2.覆盖中小学生1万人次",
    "goal-items-on-their-own-rows": "1.开展科普进校园活动30场\n2.覆盖中小学生1万人次",
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("shape", list(PROJECT_BLOCKS))
def test_project_block_shapes(tmp_path: Path, form: str, shape: str) -> None:
    blocks: list[Block] = [*HEAD, "项目支出绩效目标表", DEPARTMENT, [*PROJECT_BLOCKS[shape], *SCHOOL_ROWS]]
    result = import_blocks(tmp_path, blocks, form)
    project = only_project(result)
    assert project.name == "科普进校园"
    assert project.code == ("P-001" if shape == "pairs-on-one-row" else None)
    assert project.goal.goal_text == PROJECT_BLOCK_GOALS[shape]
    # The year's money as entered, never the 实施期 total beside it.
    amount = D("45.00") if shape == "goal-items-on-their-own-rows" else D("45")
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (amount, "万元", AmountSource.ENTERED)
    assert [(row.level1, row.level3, row.value) for row in project.goal.indicators] == [
        ("产出指标", "进校园场次", "≥30场"), ("产出指标", "活动成本", "≤45万元"), ("满意度指标", "师生满意度", "≥90%")]
    assert notes(result) == []


@pytest.mark.parametrize("form", FORMS)
def test_project_named_like_a_label_keeps_its_name(tmp_path: Path, form: str) -> None:
    blocks: list[Block] = [*HEAD, "项目支出绩效目标表", DEPARTMENT, [
        ["项目名称", ("省级科普项目资金", 5)],
        ["绩效目标", ("实现项目绩效目标", 5)],
        *SCHOOL_ROWS,
    ]]
    project = only_project(import_blocks(tmp_path, blocks, form))
    assert (project.name, project.goal.goal_text) == ("省级科普项目资金", "实现项目绩效目标")


# --------------------------------------------------------------------- 6. page breaks and spacer rows
HEADER: list[Item] = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
BEFORE_BREAK: list[list[Item]] = [
    ["项目名称", ("科技馆运行保障", 5)],
    ["绩效目标", ("保障科技馆全年正常开放。", 5)],
    HEADER,
    ["产出指标", "数量指标", "开放天数", "全年开放天数", "≥300天", "历史标准"],
    ["", "", "", "", "", ""],
    ["", "", "举办展览", "临时展览数量", "≥4个", "计划标准"],
]
AFTER_BREAK: list[list[Item]] = [
    HEADER,
    ["", "质量指标", "展品完好率", "展品完好比例", "≥98%", "行业标准"],
    [("", 6)],
    ["", "时效指标", "开放时间", "按时开放", "全年", "计划标准"],
    ["", "成本指标", "运行成本", "年度运行经费", "≤300万元", "预算支出标准"],
    HEADER,
    ["效益指标", "社会效益指标", "接待观众", "年接待人次", "≥50万人次", "历史标准"],
    ["满意度指标", "服务对象满意度指标", "观众满意度", "观众满意度", "≥95%", "满意度调查"],
]
PAGE_BREAK_ROWS = [
    R("产出指标", "数量指标", "开放天数", "全年开放天数", "≥300天", "历史标准"),
    R("产出指标", "数量指标", "举办展览", "临时展览数量", "≥4个", "计划标准"),
    R("产出指标", "质量指标", "展品完好率", "展品完好比例", "≥98%", "行业标准"),
    R("产出指标", "时效指标", "开放时间", "按时开放", "全年", "计划标准"),
    R("产出指标", "成本指标", "运行成本", "年度运行经费", "≤300万元", "预算支出标准"),
    R("效益指标", "社会效益指标", "接待观众", "年接待人次", "≥50万人次", "历史标准"),
    R("满意度指标", "服务对象满意度指标", "观众满意度", "观众满意度", "≥95%", "满意度调查"),
]
TITLE = "4、科技馆运行保障绩效目标表"
SPLIT_LAYOUTS: dict[str, list[Block]] = {
    "续表": [*HEAD, TITLE, DEPARTMENT, BEFORE_BREAK, "", "续表", AFTER_BREAK],
    "续表-unit-line-again": [*HEAD, TITLE, DEPARTMENT, BEFORE_BREAK, "（续表）", "单位：万元", AFTER_BREAK],
    "blank-paragraph": [*HEAD, TITLE, DEPARTMENT, BEFORE_BREAK, "", AFTER_BREAK],
    "one-table": [*HEAD, TITLE, DEPARTMENT, BEFORE_BREAK + AFTER_BREAK],
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("layout", list(SPLIT_LAYOUTS))
def test_table_split_across_a_page_break(tmp_path: Path, form: str, layout: str) -> None:
    result = import_blocks(tmp_path, SPLIT_LAYOUTS[layout], form)
    project = only_project(result)
    assert project.name == "科技馆运行保障" and project.goal.goal_text == "保障科技馆全年正常开放。"
    assert project.goal.indicators == PAGE_BREAK_ROWS
    assert (project.budget_amount, project.amount_unit) == (D("300"), "万元")
    assert notes(result) == []


TWO_ROW_HEADER_REPEATED: list[Block] = [*HEAD, "1、科普基础设施建设绩效目标表", DEPARTMENT, [
    ["年度绩效目标", ("完成3个科普场馆改造。", 5)],
    *VALUE_HEADER,
    *OUTPUT_ROWS,
], "续表", [
    *VALUE_HEADER,
    ["", "成本指标", "改造成本", "≤900万元", "≤300万元", "预算支出标准"],
    *OTHER_ROWS,
]]


@pytest.mark.parametrize("form", FORMS)
def test_two_row_header_repeated_after_a_page_break(tmp_path: Path, form: str) -> None:
    project = only_project(import_blocks(tmp_path, TWO_ROW_HEADER_REPEATED, form))
    assert project.goal.indicators == TWO_VALUE_ROWS


# --------------------------------------------------------------------- 7. full-width figures, units in headers
FULL_WIDTH: list[Block] = [*HEAD, "5、科普大篷车绩效目标表", "编制部门：３０１某某省科学技术厅", "单位：万元", [
    ["项目名称", ("科普大篷车", 5)],
    ["项目资金（万元）", ("年度资金总额", 2), ("１，２３４．５０", 3)],
    ["绩效目标", ("全年开展巡展１２０场。", 5)],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
    ["产出指标", "数量指标", "巡展场次", "≧", "１２０", "场"],
    [UP, "质量指标", "巡展完成率", "＝", "１００", "％"],
    [UP, "时效指标", "完成时间", "定性", "２０２４年１２月底前", ""],
    [UP, "成本指标", "巡展成本", "≦", "1,234.50", "万元"],
    ["效益指标", "社会效益指标", "受众人数", "≥", "１２，０００", "人次"],
    ["满意度指标", "服务对象满意度指标", "受众满意度", "≥", "９５", "％"],
]]
FULL_WIDTH_ROWS = [
    R("产出指标", "数量指标", "巡展场次", "", "１２０", "", unit="场", nature="≧"),
    R("产出指标", "质量指标", "巡展完成率", "", "１００", "", unit="％", nature="＝"),
    R("产出指标", "时效指标", "完成时间", "", "２０２４年１２月底前", "", nature="定性"),
    R("产出指标", "成本指标", "巡展成本", "", "1,234.50", "", unit="万元", nature="≦"),
    R("效益指标", "社会效益指标", "受众人数", "", "１２，０００", "", unit="人次", nature="≥"),
    R("满意度指标", "服务对象满意度指标", "受众满意度", "", "９５", "", unit="％", nature="≥"),
]
#: No amount row and no unit on the ceiling: the table's 单位：万元 line is the unit of its money.
UNIT_IN_TABLE_HEADING: list[Block] = [*HEAD, "6、科技期刊出版绩效目标表", "编制部门：301某某省科学技术厅　　单位：万元", [
    ["绩效目标", ("出版期刊１２期。", 5)],
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
    ["产出指标", "数量指标", "出版期数", "全年出版期数", "１２期", "计划标准"],
    [UP, "成本指标", "出版成本", "预算总成本", "≤1,050.5", "预算支出标准"],
    ["满意度指标", "服务对象满意度指标", "读者满意度", "读者满意度", "≥９０％", "满意度调查"],
]]


@pytest.mark.parametrize("form", FORMS)
def test_full_width_digits_and_grouped_figures(tmp_path: Path, form: str) -> None:
    result = import_blocks(tmp_path, FULL_WIDTH, form)
    assert result.department.code == "301"  # the same department whichever digits it was typed in
    project = only_project(result)
    assert project.goal.goal_text == "全年开展巡展１２０场。"
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("1234.50"), "万元", AmountSource.ENTERED)
    assert project.goal.indicators == FULL_WIDTH_ROWS
    assert notes(result) == []


@pytest.mark.parametrize("form", FORMS)
def test_unit_of_the_ceiling_from_the_table_heading(tmp_path: Path, form: str) -> None:
    project = only_project(import_blocks(tmp_path, UNIT_IN_TABLE_HEADING, form))
    assert project.name == "科技期刊出版"
    assert [row.value for row in project.goal.indicators] == ["１２期", "≤1,050.5", "≥９０％"]
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("1050.5"), "万元", AmountSource.COST_INDICATOR)


# --------------------------------------------------------------------- several projects in one Word table
def _project_rows(name: str, cost: str) -> list[list[Item]]:
    return [
        ["项目名称", (name, 5)],
        ["绩效目标", (f"完成{name}任务。", 5)],
        HEADER,
        ["产出指标", "数量指标", "完成任务数", "全年任务", "≥2项", "计划标准"],
        [UP, "成本指标", "预算总成本", "项目预算", f"≤{cost}万元", "预算支出标准"],
        ["满意度指标", "服务对象满意度指标", "满意度", "服务对象满意度", "≥90%", "满意度调查"],
    ]


SEVERAL_IN_ONE_TABLE: list[Block] = [*HEAD, "项目支出绩效目标表", DEPARTMENT, [
    *_project_rows("学会能力提升", "40"),
    [("项目支出绩效目标表", 6)],
    *_project_rows("科技咨询服务", "25"),
    *_project_rows("院士工作站建设", "60"),
]]


@pytest.mark.parametrize("form", FORMS)
def test_several_projects_in_one_table(tmp_path: Path, form: str) -> None:
    result = import_blocks(tmp_path, SEVERAL_IN_ONE_TABLE, form)
    projects = result.department.projects
    assert [(p.name, p.goal.goal_text, p.budget_amount) for p in projects] == [
        ("学会能力提升", "完成学会能力提升任务。", D("40")),
        ("科技咨询服务", "完成科技咨询服务任务。", D("25")),
        ("院士工作站建设", "完成院士工作站建设任务。", D("60")),
    ]
    for project, cost in zip(projects, ("40", "25", "60"), strict=True):
        assert project.goal.indicators == [
            R("产出指标", "数量指标", "完成任务数", "全年任务", "≥2项", "计划标准"),
            R("产出指标", "成本指标", "预算总成本", "项目预算", f"≤{cost}万元", "预算支出标准"),
            R("满意度指标", "服务对象满意度指标", "满意度", "服务对象满意度", "≥90%", "满意度调查"),
        ]
    assert notes(result) == []


# --------------------------------------------------------------------- bad input: one clear error, exit 2
def _goal_document(header: list[Item], data: list[list[Item]]) -> list[Block]:
    width = sum(1 if isinstance(item, str) else item[1] for item in header)
    return [*HEAD, "项目支出绩效目标表", DEPARTMENT, [
        ["项目名称", ("科技创新券补助", width - 1)],
        ["绩效目标", ("支持中小企业开展研发活动。", width - 1)],
        header,
        *data,
    ]]


BAD_DOCUMENTS: list[tuple[str, list[Block], str]] = [
    (
        "weight-not-a-number",
        _goal_document(
            ["一级指标", "二级指标", "三级指标", "指标值", "权重（%）", "指标值确定依据"],
            [["产出指标", "数量指标", "补助企业数量", "≥100家", "20", "计划标准"],
             [UP, "质量指标", "发放准确率", "100%", "较高", "行业标准"]],
        ),
        r"「项目支出绩效目标表」第 1 个表格第 5 行：权重“较高”无法读作数字",
    ),
    (
        "no-level3-column",
        _goal_document(["一级指标", "二级指标", "指标值", "指标值确定依据"], [["产出指标", "数量指标", "≥100家", "计划标准"]]),
        r"「项目支出绩效目标表」第 1 个表格第 3 行：缺少“三级指标”列",
    ),
    (
        "wider-row",
        _goal_document(HEADER, [["产出指标", "数量指标", "补助企业数量", "企业数", "≥100家", ("计划标准", 2)]]),
        r"「项目支出绩效目标表」第 1 个表格第 4 行：这一行有 7 列，表头有 6 列（多列）",
    ),
]


@pytest.mark.parametrize(("name", "blocks", "message"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_bad_goal_table_is_refused_with_one_clear_error(cli, tmp_path: Path, name: str, blocks: list[Block], message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{name}.docx"
    path.write_bytes(docx_of(blocks, strict=False))
    result = cli("import", str(path))
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith(f"错误：{path}：") and "Traceback" not in result.stderr, result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "cli.db").exists()  # refused before anything was written
