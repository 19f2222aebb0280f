"""A 项目支出绩效自评表 read into a project: its goal table (targets from 年度指标值) and its ``evaluation``.

The layout (Anhui and most provinces): 项目名称 · 主管部门 · 实施单位; a 项目资金 block with 年初预算数 ·
全年预算数 · 全年执行数 · 分值 · 执行率 · 得分 for 年度资金总额 and its parts; 年度总体目标 with 预期目标 beside
实际完成情况; the indicators with 一级 · 二级 · 三级 · 年度指标值 · 实际完成值 · 分值 · 得分 · 偏差原因分析及改进措施;
a 总分 row and a 评价等级 row.  Variants: 全年实际值 for 实际完成值, 未完成原因 for 偏差原因…, 指标值 for
年度指标值, 权重 for 分值, the value split into 指标性质 · 指标值 · 度量单位, 一级 labels carrying their points
(``产出指标(50分)``, ``效益指标 30分``), 四川's 预算执行情况 with 调整后预算数 · 预算执行数 · 权重 and its 评价结论 ·
存在问题 · 改进措施 rows (kept in ``Project.extra``).  Every cell is kept as written; figures become Decimals.
The words each layout uses are in :mod:`~perfgoals.importers.interpret.evaluation_words`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from perfgoals.importers.interpret.cells import cell_starts, grid_width
from perfgoals.importers.interpret.evaluation_words import (
    ACHIEVED_WORDS,
    CLOSING,
    FUNDS_COLUMNS,
    GOAL_WORDS,
    GRADE,
    GRADES,
    INDICATOR_COLUMNS,
    LABELS,
    TOTAL,
    as_written,
    field_of,
    figure,
    is_nothing,
    is_whole_department,
    key,
    label_key,
    level1_points,
    points_in,
    unit_in_header,
    unit_word,
)
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

__all__ = ["FUNDS_COLUMNS", "INDICATOR_COLUMNS", "is_indicator_header", "read_evaluation_unit"]



@dataclass(slots=True)
class _Read:
    name: str = ""
    department: tuple[str | None, str] | None = None
    implementing_unit: str = ""
    unit: str = DEFAULT_UNIT
    funds: list[EvaluationFunds] = field(default_factory=list)
    rate_points: Decimal | None = None
    rate_score: Decimal | None = None
    rate_label_points: Decimal | None = None  # 预算执行情况（10分）: used when no 分值 cell says otherwise
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
    keys = {key(cell) for cell in row.cells}
    return "一级指标" in keys or ("三级指标" in keys and "二级指标" in keys)


def read_evaluation_unit(unit: Unit, report: Report) -> list[GoalRead]:
    """The 自评表 of a table: one project each, with its targets and its 自评 (several when they are stacked
    in one table, as one sheet or one Word table holding a department's projects one under another)."""
    rows = [row for row in unit.rows if not row.is_blank]
    if is_whole_department(unit.title, [cell for row in rows for cell in row.cells]):
        raise Obstacle(
            f"{unit.name}{unit.table.place}",
            "这是部门整体支出绩效自评表，不是项目支出绩效自评表：perfgoals 只导入项目支出绩效自评表（每个项目一张）",
        )
    return [_read_project(unit, part, report, first=index == 0) for index, part in enumerate(_stacked(rows))]


def _opens_project(row: Row) -> bool:
    cells = _distinct(row)
    if not cells:
        return False
    pair = re.match(r"^\s*([^:：]{2,20})\s*[:：]", cells[0][1])
    return label_key(pair.group(1) if pair else cells[0][1]) == "项目名称"


def _stacked(rows: list[Row]) -> list[list[Row]]:
    """The rows cut where a 项目名称 row comes after an indicator header (its title rows going with it)."""
    parts: list[list[Row]] = [[]]
    indicators = False
    for row in rows:
        if indicators and _opens_project(row):
            previous = parts[-1]
            moved: list[Row] = []
            while previous and len({text for _, text in _distinct(previous[-1])}) == 1 and (
                "自评" in (text := _distinct(previous[-1])[0][1]) or title_year(text) is not None
            ):
                moved.insert(0, previous.pop())
            parts.append(moved)
            indicators = False
        indicators = indicators or is_indicator_header(row)
        parts[-1].append(row)
    return parts


def _read_project(unit: Unit, rows: list[Row], report: Report, *, first: bool = True) -> GoalRead:
    where = f"{unit.name}{rows[0].place if rows else unit.table.place}"
    header = next((index for index, row in enumerate(rows) if is_indicator_header(row)), None)
    if header is None:
        raise Obstacle(where, "自评表中找不到“一级指标”表头行")
    read = _Read()
    if unit.unit_text and (word := unit_word(unit.unit_text)):
        read.unit = word
    width = grid_width(rows)
    if first:  # 项目名称：… · 主管部门：… written in the lines above the table
        for text in unit.before:
            _read_labels([(0, part) for part in re.split(r"\s{2,}|\u3000+", text.strip()) if part], read)
    _read_block(unit, rows[:header], read, report)
    _read_indicators(unit, rows[header], rows[header + 1 :], width, read, report)
    if not read.name:
        raise Obstacle(where, "自评表中没有“项目名称”")
    if read.rate_points is None and read.funds:
        read.rate_points = read.rate_label_points
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
    titles = [text for row in rows[:header] for _, text in _distinct(row)[:1] if "自评" in text]
    year = next((year for text in [*titles, unit.title, *unit.before] if (year := title_year(text))), None)
    return GoalRead(project, unit.title_place, read.department, year)


def _budget_from_funds(project: Project, read: _Read) -> None:
    """The project's budget: the 年初预算数 of 年度资金总额, or of its parts when that is blank or 0; a table
    with no 年初预算数 column (湖北's 预算数（A）) gives its 全年预算数 the same way."""
    if not read.funds:
        return
    for attribute in ("initial", "full_year"):
        amount = getattr(read.funds[0], attribute)
        if not amount:
            parts = [getattr(part, attribute) for part in read.funds[1:] if getattr(part, attribute) is not None]
            amount = sum(parts, Decimal(0)) if parts else None
        if amount:
            project.budget_amount, project.amount_unit, project.amount_source = amount, read.unit, AmountSource.ENTERED
            return


def _is_funds_header(found: dict[str, int]) -> bool:
    return len({"initial", "full_year", "executed"} & found.keys()) >= 2 or (
        "executed" in found and ("rate" in found or "full_year" in found)
    )


def _goal_columns(cells: list[tuple[int, str]]) -> list[tuple[int, str]] | None:
    """The 预期目标 and 实际完成情况 headers (any of their names), when a row has both."""
    found: list[tuple[int, str]] = []
    for start, text in cells:
        word = label_key(text)
        if word in GOAL_WORDS and not any(name == "goal" for _, name in found):
            found.append((start, "goal"))
        elif word in ACHIEVED_WORDS and not any(name == "achieved" for _, name in found):
            found.append((start, "achieved"))
    return found if len(found) == 2 else None


def _read_block(unit: Unit, rows: list[Row], read: _Read, report: Report) -> None:
    funds_columns: dict[str, int] | None = None
    goal_columns: list[tuple[int, str]] | None = None
    for row in rows:
        cells = _distinct(row)
        if not cells:
            continue
        found = {name: start for start, text in cells if (name := field_of(text, FUNDS_COLUMNS))}
        if _is_funds_header(found):
            funds_columns = found
            first = min(found.values())
            for start, text in cells:
                if (word := unit_in_header(text)) is not None:
                    read.unit = word
                if start < first and (points := points_in(text)) is not None:
                    read.rate_label_points = points
            read.block.append(LayoutColumn(header="项目资金", field="evaluation.funds"))
            continue
        if (columns := _goal_columns(cells)) is not None:
            goal_columns, funds_columns = columns, None
            continue
        if goal_columns is not None:
            _read_goal_row(row, goal_columns, read)
            goal_columns = None
            continue
        if funds_columns is not None and _read_funds_row(cells, funds_columns, read, f"{unit.name}{row.place}", report):
            continue
        funds_columns = None
        _read_labels(cells, read)


def _read_goal_row(row: Row, columns: list[tuple[int, str]], read: _Read) -> None:
    cells = _distinct(row)
    for position, (start, name) in enumerate(columns):
        end = columns[position + 1][0] if position + 1 < len(columns) else 10**6
        text = "\n".join(value for cell_start, value in cells if start <= cell_start < end)
        if name == "goal":
            read.goal_text = text
        else:
            read.achieved = text


def _read_funds_row(
    cells: list[tuple[int, str]], columns: dict[str, int], read: _Read, place: str, report: Report
) -> bool:
    first = min(columns.values())
    labels = [text for start, text in cells if start < first and "项目资金" not in key(text)]
    if not labels or any(_ends_funds(text) for text in labels):
        return False
    label = labels[-1]
    values = {start: text for start, text in cells if start >= first}
    by_field = {name: values.get(start, "") for name, start in columns.items()}
    if any(text.strip() and not _funds_figure(text) for text in by_field.values()):
        return False  # words under the figures: the block has ended
    rate = as_written(by_field.get("rate", "")).strip()
    funds = EvaluationFunds(
        label=label,
        initial=figure(by_field.get("initial", ""), place, report),
        full_year=figure(by_field.get("full_year", ""), place, report),
        executed=figure(by_field.get("executed", ""), place, report),
        rate=rate if rate and not is_nothing(rate) else None,
    )
    if not read.funds:
        read.rate_points = figure(by_field.get("points", ""), place, report)
        read.rate_score = figure(by_field.get("score", ""), place, report)
    read.funds.append(funds)
    return True


def _ends_funds(label: str) -> bool:
    word = label_key(label)
    return word in LABELS or word in GOAL_WORDS or word in ACHIEVED_WORDS or "目标" in word or "绩效指标" in word


def _funds_figure(text: str) -> bool:
    """A funds cell: a figure, a percentage, ``/`` or ``—`` (a 执行率 ``99.97%``, an amount ``1,200,000.00``)."""
    plain = as_written(text).strip().rstrip("%％分").strip()
    return is_nothing(plain) or figure(plain, "", Report("")) is not None


def _read_labels(cells: list[tuple[int, str]], read: _Read) -> None:
    """Label cells followed by their values (项目名称 | 委托业务项目 | 主管部门 | 219-…)."""
    index = 0
    while index < len(cells):
        text = cells[index][1]
        pair = re.match(r"^\s*([^:：]{2,20})\s*[:：]\s*(.+)$", text)
        label, value = (pair.group(1), pair.group(2)) if pair else (text, None)
        target = LABELS.get(label_key(label))
        following = value if value is not None else (cells[index + 1][1] if index + 1 < len(cells) else None)
        if following is not None and _goal_label(label, following, read):
            index += 1 if value is not None else 2
            continue
        if _total_or_grade(label, value if value is not None else (cells[index + 1][1] if index + 1 < len(cells) else ""),
                           read):
            index += 1 if value is not None else 2
            continue
        if target is None:
            if value is not None:
                read.extra.setdefault(label.strip(), value.strip())
            elif index + 1 < len(cells) and len(label_key(label)) <= 20 and label_key(label) != "年度总体目标":
                read.extra.setdefault(label.strip(), cells[index + 1][1])
                index += 1
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


def _goal_label(label: str, value: str, read: _Read) -> bool:
    """年度总体目标 and its 完成情况 written as label · text rows, one under the other."""
    word = label_key(label)
    if (word in GOAL_WORDS or word in ("年度总体目标", "绩效总目标")) and not read.goal_text:
        read.goal_text = value.strip()
        return True
    if word in ACHIEVED_WORDS and not read.achieved:
        read.achieved = value.strip()
        return True
    return False


def _total_or_grade(label: str, value: str, read: _Read) -> bool:
    """``总分：97.67分`` or ``自评等级：优`` written above the table or beside the project's name."""
    word = label_key(label)
    if TOTAL.match(word) and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*分?\s*", value):
        read.total = figure(value, "", Report(""))
        return True
    if GRADE.match(word) and value.strip() in GRADES:
        read.grade = value.strip()
        return True
    return False


def _header_columns(row: Row) -> tuple[dict[str, int], list[LayoutColumn]]:
    columns: dict[str, int] = {}
    recorded: list[LayoutColumn] = []
    for (start, text), span in zip(_distinct(row), _spans(row), strict=True):
        name = field_of(text, INDICATOR_COLUMNS)
        if label_key(text) == "绩效指标":  # the vertical label beside the indicators, ``绩效指标（90分）`` too
            recorded.append(LayoutColumn(header=text, field="label", span=span))
            continue
        if name is None or name in columns:
            recorded.append(LayoutColumn(header=text, field="extra", span=span))
            continue
        columns[name] = start
        recorded.append(LayoutColumn(header=text, field=name, span=span))
    return columns, recorded


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
    columns, recorded = _header_columns(header)
    read.columns = recorded
    if "level3" not in columns and "value" not in columns:
        raise Obstacle(f"{unit.name}{header.place}", "自评表的指标表头中没有“三级指标”或“指标值”列")
    level1 = level2 = ""
    closed = False  # past the 总分 row or the 评价结论: no more indicators
    for row in rows:
        place = f"{unit.name}{row.place}"
        cells = _grid(row, width)
        words = [key(text) for text in row.cells if key(text)]
        if not words:
            continue
        pair = re.match(r"^([^:：]{2,10})[:：](.*)$", words[0])
        if pair is not None and len(words) == 1 and _total_or_grade(pair.group(1), pair.group(2), read):
            closed = True
            continue
        if _is_total_row(words, cells, columns, read, place, report):
            closed = True
            continue
        if _is_grade_row(words, read):
            closed = True
            continue
        if closed or any(label_key(words[0]).startswith(label) for label in CLOSING):
            closed = True
            _read_labels(_distinct(row), read)
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
        points = figure(cell("points"), place, report) if cell("points").strip() else None
        score = figure(cell("score"), place, report) if cell("score").strip() else None
        if actual or reason or points is not None or score is not None:
            read.results.append(
                IndicatorResult(row=index, level3=level3, actual=actual, points=points, score=score, reason=reason)
            )


def _level1(raw: str, read: _Read) -> str:
    """A 一级 label without its points (``产出指标(50分)`` → 产出指标, its 50 points kept)."""
    name, points = level1_points(raw)
    if points is not None:
        read.level1_points[name] = points
    return name


def _is_total_row(
    words: list[str], cells: list[str], columns: dict[str, int], read: _Read, place: str, report: Report
) -> bool:
    """The 总分 (合计) row: its score is the figure under 得分; the one under 分值 is the points' total."""
    if not TOTAL.match(label_key(words[0])):
        return False
    score_at, points_at = columns.get("score"), columns.get("points")
    figures = [
        (start, text) for start, text in enumerate(cells)
        if text.strip() and re.fullmatch(r"\s*\d+(?:\.\d+)?\s*分?\s*", text.strip()) and not TOTAL.match(label_key(text))
    ]
    if score_at is not None and any(start == score_at for start, _ in figures):
        text = next(text for start, text in figures if start == score_at)
    else:
        others = [text for start, text in figures if start != points_at]
        text = others[-1] if others else ""
    if text:
        read.total = figure(text, place, report)
    grade = [text.strip() for text in cells if text.strip() in GRADES]
    if grade:
        read.grade = grade[0]
    return True


def _is_grade_row(words: list[str], read: _Read) -> bool:
    if not GRADE.match(label_key(words[0])):
        return False
    read.grade = next((word for word in words[1:] if word), read.grade)
    return True
