"""A 项目支出绩效自评表 read into a project: its goal table (targets from 年度指标值) and its ``evaluation``.

The layout (Anhui and most provinces): 项目名称 · 主管部门 · 实施单位; a 项目资金 block with 年初预算数 ·
全年预算数 · 全年执行数 · 分值 · 执行率 · 得分 for 年度资金总额 and its parts; 年度总体目标 with 预期目标 beside
实际完成情况; the indicators with 一级 · 二级 · 三级 · 年度指标值 · 实际完成值 · 分值 · 得分 · 偏差原因分析及改进措施;
a 总分 row and a 评价等级 row.  Variants: 全年实际值 for 实际完成值, 未完成原因 for 偏差原因…, 指标值 for
年度指标值, 权重 for 分值, the value split into 指标性质 · 指标值 · 度量单位, 一级 labels carrying their points
(``产出指标(50分)``).  Every cell is kept as written; figures become Decimals.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from perfgoals.importers.goal_layout import clean
from perfgoals.importers.interpret.cells import cell_starts, grid_width
from perfgoals.importers.interpret.goals.table import GoalRead
from perfgoals.importers.interpret.identity import named_department, title_year
from perfgoals.importers.interpret.report import Obstacle, Report
from perfgoals.importers.interpret.units import Unit
from perfgoals.importers.source import Row
from perfgoals.models import (
    DEFAULT_UNIT,
    AmountSource,
    EvaluationFunds,
    GoalTable,
    Indicator,
    IndicatorResult,
    LayoutColumn,
    Project,
    SelfEvaluation,
)
from perfgoals.money import AmountError, parse_amount

#: Indicator header words, by the field they fill (the first that a header cell contains wins).
INDICATOR_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标",)),
    ("actual", ("实际完成值", "全年实际值", "实际完成情况", "实际值", "完成值", "实际完成")),
    ("nature", ("指标性质",)),
    ("unit", ("度量单位", "计量单位", "单位")),
    ("value", ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "年度目标")),
    ("points", ("分值", "权重", "满分")),
    ("score", ("得分", "自评得分", "评分")),
    ("reason", ("偏差原因", "未完成原因", "原因分析", "改进措施", "原因")),
    ("description", ("指标描述", "绩效指标描述")),
)
#: Column words of the 项目资金 block.
FUNDS_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("initial", ("年初预算数", "年初预算")),
    ("full_year", ("全年预算数", "调整后预算", "全年预算")),
    ("executed", ("全年执行数", "执行数", "实际支出")),
    ("points", ("分值",)),
    ("rate", ("执行率",)),
    ("score", ("得分",)),
)
_POINTS_IN_LABEL = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_UNIT_IN_LABEL = re.compile(r"(百万元|千元|万元|亿元|元)")
_TOTAL = re.compile(r"^(?:总分|合计|总计|得分合计|总得分)$")
_GRADE = re.compile(r"^(?:评价等级|自评等级|等级|绩效等级|自评结果|评价结果)$")
_FOOTERS = ("填表人", "联系电话", "填报日期", "审核人", "单位负责人", "财务负责人", "备注", "说明")


def _key(text: str) -> str:
    return clean(text).rstrip(":：")


def _field(text: str, columns: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    key = _key(text)
    if not key:
        return None
    for name, words in columns:
        if any(word in key for word in words):
            return name
    return None


#: What perfgoals' own 自评表 export shows where a written figure differs from the computed one:
#: ``9.47（原填 10）`` — the figure as written is the one in brackets.
_WRITTEN = re.compile(r"^.*[（(]\s*原填\s*(.*?)\s*[)）]\s*$")


def _as_written(text: str) -> str:
    match = _WRITTEN.match(text.strip())
    return match.group(1) if match else text


def _figure(text: str, place: str, report: Report) -> Decimal | None:
    """A figure as written (``8``, ``8分``, ``89.974``); a cell that is not one is noted, not read."""
    text = _as_written(text)
    plain = unicodedata.normalize("NFKC", text).strip()
    plain = re.sub(r"(分|万元|元)$", "", plain).strip()
    try:
        return parse_amount(plain)
    except AmountError:
        report.note(place, f"“{text.strip()}”不是数字，未读作分值/金额")
        return None


@dataclass(slots=True)
class _Read:
    name: str = ""
    department: tuple[str | None, str] | None = None
    implementing_unit: str = ""
    unit: str = DEFAULT_UNIT
    funds: list[EvaluationFunds] = field(default_factory=list)
    rate_points: Decimal | None = None
    rate_score: Decimal | None = None
    goal_text: str = ""
    achieved: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    results: list[IndicatorResult] = field(default_factory=list)
    level1_points: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    grade: str = ""
    columns: list[LayoutColumn] = field(default_factory=list)
    block: list[LayoutColumn] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


def _distinct(row: Row) -> list[tuple[int, str]]:
    return [(start, text.strip()) for start, text in zip(cell_starts(row), row.cells, strict=True) if text.strip()]


def is_indicator_header(row: Row) -> bool:
    keys = {_key(cell) for cell in row.cells}
    return "一级指标" in keys or ("三级指标" in keys and "二级指标" in keys)


def read_evaluation_unit(unit: Unit, report: Report) -> list[GoalRead]:
    """One 自评表: a project with its targets and its 自评."""
    rows = [row for row in unit.rows if not row.is_blank]
    header = next((index for index, row in enumerate(rows) if is_indicator_header(row)), None)
    if header is None:
        raise Obstacle(f"{unit.name}{unit.table.place}", "自评表中找不到“一级指标”表头行")
    read = _Read()
    if unit.unit_text:
        found = _UNIT_IN_LABEL.search(unit.unit_text)
        read.unit = found.group(1) if found else read.unit
    width = grid_width(rows)
    _read_block(unit, rows[:header], width, read, report)
    _read_indicators(unit, rows[header], rows[header + 1 :], width, read, report)
    if not read.name:
        raise Obstacle(f"{unit.name}{unit.table.place}", "自评表中没有“项目名称”")
    project = Project(name=read.name, goal=GoalTable(goal_text=read.goal_text, indicators=read.indicators))
    project.implementing_unit = read.implementing_unit
    project.goal.columns = read.columns
    project.goal.block = read.block
    project.extra = read.extra
    project.evaluation = SelfEvaluation(
        unit=read.unit,
        funds=read.funds,
        rate_points=read.rate_points,
        rate_score=read.rate_score,
        level1_points=read.level1_points,
        achieved=read.achieved,
        total=read.total,
        grade=read.grade,
        rows=read.results,
    )
    _budget_from_funds(project, read)
    year = title_year(unit.title) or next((year for text in unit.before if (year := title_year(text))), None)
    return [GoalRead(project, unit.title_place, read.department, year)]


def _budget_from_funds(project: Project, read: _Read) -> None:
    """The project's budget: the 年初预算数 of 年度资金总额, or of its parts when that is blank or 0."""
    if not read.funds:
        return
    amount = read.funds[0].initial
    if not amount:
        parts = [part.initial for part in read.funds[1:] if part.initial is not None]
        amount = sum(parts, Decimal(0)) if parts else None
    if amount:
        project.budget_amount, project.amount_unit, project.amount_source = amount, read.unit, AmountSource.ENTERED


def _read_block(unit: Unit, rows: list[Row], width: int, read: _Read, report: Report) -> None:
    funds_columns: dict[str, int] | None = None
    goal_columns: list[tuple[int, str]] | None = None
    for row in rows:
        cells = _distinct(row)
        keys = [_key(text) for _, text in cells]
        if not cells:
            continue
        found = {name: start for start, text in cells if (name := _field(text, FUNDS_COLUMNS))}
        if "full_year" in found or "executed" in found or "initial" in found:
            funds_columns = found
            for _, text in cells:
                if "资金" in text and (unit_word := _UNIT_IN_LABEL.search(text)):
                    read.unit = unit_word.group(1)
            read.block.append(LayoutColumn(header="项目资金", field="evaluation.funds"))
            continue
        if "预期目标" in keys and "实际完成情况" in keys:
            goal_columns = [(start, _key(text)) for start, text in cells if _key(text) in ("预期目标", "实际完成情况")]
            funds_columns = None
            continue
        if goal_columns is not None:
            _read_goal_row(row, goal_columns, read)
            goal_columns = None
            continue
        if funds_columns is not None and _read_funds_row(row, cells, funds_columns, read, f"{unit.name}{row.place}", report):
            continue
        funds_columns = None
        _read_labels(cells, read)


def _read_goal_row(row: Row, columns: list[tuple[int, str]], read: _Read) -> None:
    cells = _distinct(row)
    for position, (start, name) in enumerate(columns):
        end = columns[position + 1][0] if position + 1 < len(columns) else 10**6
        text = "\n".join(value for cell_start, value in cells if start <= cell_start < end)
        if name == "预期目标":
            read.goal_text = text
        else:
            read.achieved = text


def _read_funds_row(
    row: Row, cells: list[tuple[int, str]], columns: dict[str, int], read: _Read, place: str, report: Report
) -> bool:
    first = min(columns.values())
    labels = [text for start, text in cells if start < first and "项目资金" not in _key(text)]
    if not labels:
        return False
    label = labels[-1]
    values = {start: text for start, text in cells if start >= first}
    by_field = {name: values.get(start, "") for name, start in columns.items()}
    funds = EvaluationFunds(
        label=label,
        initial=_figure(by_field.get("initial", ""), place, report),
        full_year=_figure(by_field.get("full_year", ""), place, report),
        executed=_figure(by_field.get("executed", ""), place, report),
        rate=_as_written(by_field.get("rate", "")) or None,
    )
    if not read.funds:
        read.rate_points = _figure(by_field.get("points", ""), place, report)
        read.rate_score = _figure(by_field.get("score", ""), place, report)
    read.funds.append(funds)
    return True


_LABELS = {
    "项目名称": "name",
    "主管部门": "department",
    "主管部门及编码": "department",
    "主管部门及代码": "department",
    "预算部门": "department",
    "实施单位": "implementing_unit",
    "项目单位": "implementing_unit",
}


def _read_labels(cells: list[tuple[int, str]], read: _Read) -> None:
    """Label cells followed by their values (项目名称 | 委托业务项目 | 主管部门 | 219-…)."""
    index = 0
    while index < len(cells):
        text = cells[index][1]
        pair = re.match(r"^\s*([^:：]{2,10})\s*[:：]\s*(.+)$", text)
        label, value = (pair.group(1), pair.group(2)) if pair else (text, None)
        target = _LABELS.get(_key(label))
        if target is None and pair is None and index + 1 < len(cells) and len(_key(label)) <= 10 and _key(label) != "年度总体目标":
            read.extra.setdefault(label.strip(), cells[index + 1][1])
            index += 2
            continue
        if target is None:
            index += 1
            continue
        if value is None:
            value = cells[index + 1][1] if index + 1 < len(cells) else ""
            index += 1
        index += 1
        read.block.append(LayoutColumn(header=label.strip(), field=f"project.{target}"))
        if target == "name":
            read.name = value.strip()
        elif target == "department":
            read.department = named_department(value)
        else:
            read.implementing_unit = value.strip()


def _header_columns(row: Row, width: int) -> tuple[dict[str, int], list[LayoutColumn]]:
    columns: dict[str, int] = {}
    recorded: list[LayoutColumn] = []
    for (start, text), span in zip(_distinct_with_spans(row), _spans(row), strict=True):
        name = _field(text, INDICATOR_COLUMNS)
        if _key(text) == "绩效指标":
            recorded.append(LayoutColumn(header=text, field="label", span=span))
            continue
        if name is None or name in columns:
            recorded.append(LayoutColumn(header=text, field="extra", span=span))
            continue
        columns[name] = start
        recorded.append(LayoutColumn(header=text, field=name, span=span))
    return columns, recorded


def _distinct_with_spans(row: Row) -> list[tuple[int, str]]:
    return [(start, text.strip()) for start, text in zip(cell_starts(row), row.cells, strict=True) if text.strip()]


def _spans(row: Row) -> list[int]:
    spans = row.spans or tuple(1 for _ in row.cells)
    return [span for span, text in zip(spans, row.cells, strict=True) if text.strip()]


def _grid(row: Row, width: int) -> list[str]:
    """A row as grid cells, a merged cell's text at its first column only."""
    cells = [""] * max(width, len(row.cells))
    for start, text in zip(cell_starts(row), row.cells, strict=True):
        if start < len(cells):
            cells[start] = text
    return cells


def _read_indicators(unit: Unit, header: Row, rows: list[Row], width: int, read: _Read, report: Report) -> None:
    columns, recorded = _header_columns(header, width)
    read.columns = recorded
    if "level3" not in columns and "value" not in columns:
        raise Obstacle(f"{unit.name}{header.place}", "自评表的指标表头中没有“三级指标”或“指标值”列")
    level1 = level2 = ""
    for row in rows:
        place = f"{unit.name}{row.place}"
        cells = _grid(row, width)
        words = [_key(text) for text in row.cells if _key(text)]
        if not words:
            continue
        if _is_total_row(words, row, read, place, report) or _is_grade_row(words, read):
            continue
        if any(words[0].startswith(label) for label in _FOOTERS):
            continue

        def cell(name: str, grid: list[str] = cells) -> str:
            start = columns.get(name)
            return grid[start] if start is not None and start < len(grid) else ""

        raw1 = cell("level1").strip()
        if raw1:
            level1 = _level1(raw1, read)
        raw2 = cell("level2").strip()
        level3 = cell("level3").strip()
        if raw2:
            level2 = raw2
        elif raw1:
            level2 = ""
        index = len(read.indicators)
        indicator = Indicator(
            level1=level1,
            level2=level2 if (raw2 or level3 or cell("value").strip()) else raw2,
            level3=level3,
            description=cell("description").strip(),
            value=cell("value").strip(),
            nature=cell("nature").strip() or None,
            unit=cell("unit").strip() or None,
        )
        read.indicators.append(indicator)
        actual, reason = cell("actual").strip(), cell("reason").strip()
        points = _figure(cell("points"), place, report) if cell("points").strip() else None
        score = _figure(cell("score"), place, report) if cell("score").strip() else None
        if actual or reason or points is not None or score is not None:
            read.results.append(
                IndicatorResult(row=index, level3=level3, actual=actual, points=points, score=score, reason=reason)
            )


def _level1(raw: str, read: _Read) -> str:
    """A 一级 label without its points (``产出指标(50分)`` → 产出指标, its 50 points kept)."""
    match = _POINTS_IN_LABEL.search(raw)
    if match is None:
        return raw
    name = _POINTS_IN_LABEL.sub("", raw).strip()
    read.level1_points[name] = Decimal(match.group(1))
    return name


def _is_total_row(words: list[str], row: Row, read: _Read, place: str, report: Report) -> bool:
    if not _TOTAL.match(words[0].rstrip(":：")):
        return False
    figures = [text for text in row.cells[1:] if text.strip()]
    for text in reversed(figures):
        if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*分?\s*", unicodedata.normalize("NFKC", text)):
            read.total = _figure(text, place, report)
            break
    grade = [text.strip() for text in figures if text.strip() in ("优", "良", "中", "差")]
    if grade:
        read.grade = grade[0]
    return True


def _is_grade_row(words: list[str], read: _Read) -> bool:
    if not _GRADE.match(words[0].rstrip(":：")):
        return False
    read.grade = next((word for word in words[1:] if word), read.grade)
    return True
