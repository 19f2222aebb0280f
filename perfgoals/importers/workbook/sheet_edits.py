"""A project sheet read as the workbook's side (``mine``) of the three-way merge, every edit listed.

:func:`read_sheet` takes the version exported and sets on it every cell the sheet shows as it now stands:
the goal table, the project's name, 年度资金, 实施单位, the layout's block rows and the footers, each edited
cell listed ``工作表!单元格：旧 → 新``.  What the sheet cannot show is kept as exported
(:func:`_kept_representation`), and a cell edited where perfgoals keeps nothing is listed with its reason
(:func:`_unaccounted`), never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from perfgoals.columns import EXTRA_PREFIX
from perfgoals.export.layout import AMOUNT_LABEL, IMPLEMENTING_UNIT_LABEL, MID_TERM_GOAL_LABEL
from perfgoals.export.records import goal_fingerprint
from perfgoals.importers.workbook.cells import (
    Grid,
    cell_text,
    column_letter,
    number_text,
    quoted,
    same_number,
    shown_value,
)
from perfgoals.importers.workbook.goal_table import (
    SEARCH_ROWS,
    labelled_text,
    locate,
    read_amount,
    read_footers,
    read_goal,
    read_goal_rows,
    read_implementing_unit,
)
from perfgoals.importers.workbook.opening import Entry, WorkbookImportError
from perfgoals.models import AmountSource, Department, Indicator, Project
from perfgoals.reading.amounts import project_amount
from perfgoals.text import visible


@dataclass(slots=True)
class _Sheet:
    """What one project sheet shows, read as the workbook's side (``mine``) of a three-way merge."""

    entry: Entry
    title: str
    mine: Project
    changes: list[str]  # sheet!cell: 旧 → 新, for the report
    refused: list[str]  # cells not taken, each with its reason


def _row_label(sheet: Any, grid: Grid, below: int, label: str) -> int | None:
    for row in range(1, below):
        if cell_text(grid.value(row, 1)).strip() == label:
            return row
    return None


def read_sheet(
    sheet: Any,
    entry: Entry,
    base: Project,
    file_name: str,
    *,
    first_row: int | None,
    department: Department | None = None,
) -> _Sheet:
    """The project as the sheet shows it: ``base`` (the version exported) with every cell the sheet
    shows as it now stands.  Each edited cell is listed as ``sheet!cell: 旧 → 新``; a cell that maps to
    nothing perfgoals keeps is listed with its reason, never dropped silently."""
    from perfgoals.export.layout import _block_rows
    from perfgoals.merge import column_label, match_rows

    title = sheet.title
    where = f"{title}!"
    grid = Grid(sheet)
    located = locate(sheet, grid)
    header_row = located.header_row if located is not None else SEARCH_ROWS
    changes: list[str] = []
    refused: list[str] = []
    update: dict[str, Any] = {}
    goal_update: dict[str, Any] = {}

    # The goal table: unchanged unless its cells (as they stand, blank levels blank) differ from the export.
    literal = read_goal(sheet, file_name, fill_down=False, expected=entry.columns)
    if goal_fingerprint(literal) != entry.fingerprint or goal_fingerprint(literal) != goal_fingerprint(base.goal):
        read, rows_at = read_goal_rows(sheet, file_name, expected=entry.columns)
        shown = set(located.fields.values()) if located is not None else set()
        indicators = _kept_representation(base.goal.indicators, read.indicators, shown)
        for goal_field, label in (("goal_text", "绩效目标"), ("mid_term_goal_text", MID_TERM_GOAL_LABEL)):
            old, new = getattr(base.goal, goal_field), getattr(read, goal_field)
            if old != new and not _cut_by_excel(old, new):
                goal_update[goal_field] = new
                at = _row_label(sheet, grid, header_row, label)
                cell = f"B{at}" if at is not None else label
                changes.append(f"{where}{cell}（{label}）：{quoted(old)} → {quoted(new)}")
        matched = match_rows(base.goal.indicators, indicators)
        columns = {field: col for col, field in located.fields.items()} if located is not None else {}
        for j, i in enumerate(matched):
            row = indicators[j]
            at = rows_at[j]
            if i is None:
                changes.append(f"{where}第 {at} 行（新增）：{quoted(_full_row_text(row))}")
                continue
            before = base.goal.indicators[i]
            for name in Indicator.model_fields:
                old_value, new_value = getattr(before, name), getattr(row, name)
                if name == "extra":
                    for key in sorted(set(old_value) | set(new_value)):
                        if old_value.get(key, "") != new_value.get(key, ""):
                            col = columns.get(EXTRA_PREFIX + key)
                            cell = f"{column_letter(col)}{at}" if col else f"第 {at} 行"
                            changes.append(
                                f"{where}{cell}（{key}）：{quoted(old_value.get(key, ''))} → {quoted(new_value.get(key, ''))}"
                            )
                    continue
                if shown_value(old_value) != shown_value(new_value):
                    col = columns.get(name)
                    cell = f"{column_letter(col)}{at}" if col else f"第 {at} 行"
                    changes.append(
                        f"{where}{cell}（{column_label(name)}）：{quoted(shown_value(old_value))} → {quoted(shown_value(new_value))}"
                    )
        kept = {i for i in matched if i is not None}
        for i, before in enumerate(base.goal.indicators):
            if i not in kept:
                at_text = f"第 {first_row + i} 行" if first_row is not None else f"原第 {i + 1} 行"
                changes.append(f"{where}{at_text}（删除）：{quoted(_full_row_text(before))}")
        if [r.model_dump() for r in indicators] != [r.model_dump() for r in base.goal.indicators]:
            goal_update["indicators"] = indicators

    # 项目名称: its cell (or Sichuan's column) and the title (“…绩效目标表”) name the project.
    names: list[tuple[str, str]] = []  # (cell, name shown)
    name_row = _row_label(sheet, grid, header_row, "项目名称")
    if name_row is not None:
        names.append((f"B{name_row}", labelled_text(grid, name_row).strip()))
    elif located is not None and located.column_of("project.name") is not None:
        col = located.column_of("project.name") or 1
        names.append((f"{column_letter(col)}{located.first_row}", cell_text(grid.value(located.first_row, col)).strip()))
    title_text = cell_text(grid.value(1, 1)).strip()
    if title_text != f"{base.name}绩效目标表":
        if title_text.endswith("绩效目标表") and title_text.removesuffix("绩效目标表").strip():
            names.append(("A1（标题）", title_text.removesuffix("绩效目标表").strip()))
        else:
            refused.append(
                f"{where}A1（标题）：{quoted(f'{base.name}绩效目标表')} → {quoted(title_text)}"
                "（未导入：标题应为“项目名称绩效目标表”）"
            )
    renamed = {name for _cell, name in names if name != base.name}
    if len(renamed) > 1:
        raise WorkbookImportError(
            f"{file_name} 工作表“{title}”：项目名称改得不一致（{'、'.join(f'{c} 为“{n}”' for c, n in names)}）"
        )
    if renamed:
        new_name = renamed.pop()
        if not new_name:
            raise WorkbookImportError(f"{file_name} 工作表“{title}”：项目名称不能为空")
        update["name"] = new_name
        for cell, name_shown in names:
            if name_shown == new_name:
                label = "" if "（" in cell else "（项目名称）"
                changes.append(f"{where}{cell}{label}：{quoted(base.name)} → {quoted(new_name)}")

    # 年度资金: compared in 万元, exactly (755 shown in 元 is the 0.0755 万元 exported).
    has_amount, amount = read_amount(sheet, file_name)
    amount_wan = None if amount is None else amount.wan
    if has_amount and amount_wan != project_amount(base).wan:
        update["budget_amount"] = None if amount is None else amount.amount
        if amount is not None:
            update["amount_unit"] = amount.unit
        # Now a person's figure: an inferred amount edited in Excel is entered.
        update["amount_source"] = AmountSource.ENTERED
        after = "（空）" if amount is None else f"{format(amount.amount, 'f')}{amount.unit}"
        cell = next(
            (
                f"{column_letter(col + 1)}{row}（{AMOUNT_LABEL}）"
                for row in range(1, header_row)
                for col in range(1, sheet.max_column)
                if cell_text(sheet.cell(row, col).value).strip() == AMOUNT_LABEL
            ),
            AMOUNT_LABEL,
        )
        changes.append(f"{where}{cell}：{project_amount(base).text or '（空）'} → {after}")

    has_unit, implementing_unit = read_implementing_unit(sheet)
    if has_unit and implementing_unit != base.implementing_unit:
        update["implementing_unit"] = implementing_unit
        at = _row_label(sheet, grid, header_row, IMPLEMENTING_UNIT_LABEL)
        changes.append(
            f"{where}B{at}（{IMPLEMENTING_UNIT_LABEL}）：{quoted(base.implementing_unit)} → {quoted(implementing_unit)}"
        )

    # The layout's block rows (项目属性, 实施期, 上级资金 …, and the project's own labelled rows).
    block = _block_rows(base)
    fields_by_label = {label: field for field, label in _block_fields(base)}
    extra = dict(base.extra)
    for label, value, _style in block:
        at = _row_label(sheet, grid, header_row, label)
        if at is None:
            continue
        old = shown_value(value)
        new = labelled_text(grid, at).strip() if old == old.strip() else labelled_text(grid, at)
        if isinstance(value, Decimal) or (value == "" and fields_by_label.get(label) in _MONEY_BLOCK):
            cell = sheet.cell(at, 2)
            new = number_text(cell.value) if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) else new
        field = fields_by_label.get(label)
        if new == old or (field in _MONEY_BLOCK and same_number(new, old)):
            continue
        change = f"{where}B{at}（{label}）：{quoted(old)} → {quoted(new)}"
        if field is None:
            extra[label] = new
        elif field in _MONEY_BLOCK:
            try:
                update[field] = None if not new else Decimal(new.replace(",", ""))
            except InvalidOperation:
                refused.append(f"{change}（未导入：不是数字）")
                continue
        else:
            update[field] = new
        changes.append(change)
    if extra != base.extra:
        update["extra"] = extra

    # The footers (审核意见, 总分, 备注, 填表人): a label, then the text, below the indicators.
    if located is not None and base.goal.footers:
        footers = read_footers(sheet, grid, located.first_row)
        if [(f.label, f.text) for f in footers] != [(f.label, f.text) for f in base.goal.footers]:
            goal_update["footers"] = footers
            for index in range(max(len(footers), len(base.goal.footers))):
                old_footer = base.goal.footers[index] if index < len(base.goal.footers) else None
                new_footer = footers[index] if index < len(footers) else None
                if old_footer == new_footer:
                    continue
                either = new_footer or old_footer
                label = either.label if either is not None else ""
                changes.append(
                    f"{where}{label}：{quoted(old_footer.text if old_footer else '')} → "
                    f"{quoted(new_footer.text if new_footer else '')}"
                )
    if goal_update:
        update["goal"] = base.goal.model_copy(update=goal_update)
    if department is not None and located is not None:
        refused += _unaccounted(sheet, grid, entry, base, department, located.header_row)
        # Sichuan's 单位名称 column names the department, which a project sheet does not change.
        department_col = located.column_of("department")
        if department_col is not None:
            department_shown = cell_text(grid.value(located.first_row, department_col)).strip()
            if department_shown != department.name:
                refused.append(
                    f"{where}{column_letter(department_col)}{located.first_row}（单位名称）："
                    f"{quoted(department.name)} → {quoted(department_shown)}（未导入：部门名称不在项目表中修改）"
                )
    return _Sheet(entry, title, base.model_copy(update=update), changes, refused)


#: Labels of the rows above the indicators that :func:`read_sheet` reads (the block rows besides).
_READ_LABELS = ("项目名称", "绩效目标", MID_TERM_GOAL_LABEL, IMPLEMENTING_UNIT_LABEL, AMOUNT_LABEL)


def _unaccounted(
    sheet: Any, grid: Grid, entry: Entry, base: Project, department: Department, header_row: int
) -> list[str]:
    """Cells above the indicator table edited where perfgoals keeps nothing (the 填报单位 line, a row
    added with a label of its own, a cost breakdown cell …): each listed with its reason, never dropped
    silently.  The sheet is compared with the version exported, laid out again as the export did."""
    from perfgoals.export.goal_layouts import NAMED_LAYOUTS
    from perfgoals.export.layout import Styled, _block_rows, project_sheet

    rendered = None
    for layout in (None, *NAMED_LAYOUTS):
        candidate, geometry = project_sheet(department, base, name=sheet.title, layout=layout)
        if tuple(name for name in geometry.columns if "," not in name) == entry.columns:
            rendered = candidate
            break
    if rendered is None:
        return []
    read_labels = set(_READ_LABELS) | {label for label, _value, _style in _block_rows(base)}
    refused: list[str] = []
    for row in rendered.rows:
        at = row.index + 1
        if at >= header_row:
            break
        if at == 1:
            continue  # the title: read as the project's name
        label = cell_text(grid.value(at, 1)).strip()
        expected_label = next((shown_value(c.value) for c in row.cells if c.col == 0), "")
        read_cols: set[int] = set()
        if label in read_labels and label == expected_label:
            read_cols = {1, 2}  # the label and the text beside it, read above
            for col in range(3, sheet.max_column + 1):
                if cell_text(grid.own(at, col)).strip() == AMOUNT_LABEL:
                    read_cols |= {col, col + 1}
        expected = {cell.col + 1: cell.value.value if isinstance(cell.value, Styled) else cell.value for cell in row.cells}
        for col in range(1, max(sheet.max_column, max(expected, default=0)) + 1):
            if (at, col) in grid.merged or col in read_cols:
                continue
            old = shown_value(expected.get(col))
            new = cell_text(grid.own(at, col))
            if old.strip() != new.strip() and not same_number(old, new) and new.strip() not in read_labels:
                refused.append(
                    f"{sheet.title}!{column_letter(col)}{at}：{quoted(old)} → {quoted(new)}"
                    "（未导入：这一格不对应 perfgoals 保存的数据）"
                )
    return refused


_MONEY_BLOCK = ("superior_amount", "mid_term_amount")
#: The most characters a cell holds: a longer text was cut when exported.
_CELL_LIMIT = 32767


def _cut_by_excel(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` as a cell could hold it (cut at Excel's limit), not an edit."""
    return len(new) >= _CELL_LIMIT - 16 and len(old) > len(new) and visible(old).startswith(visible(new))


def _full_row_text(row: Indicator) -> str:
    """Every non-empty cell of a row, in field order (``产出指标 / 数量指标 / 培训班次 / ≥20次 / 年初计划``)."""
    parts = [shown_value(getattr(row, name)) for name in Indicator.model_fields if name != "extra"]
    parts += list(row.extra.values())
    return " / ".join(part for part in parts if part) or "（空行）"


def _block_fields(project: Project) -> list[tuple[str, str]]:
    """(Project field, label as printed) of the block rows :func:`perfgoals.export.layout._block_rows` prints."""
    from perfgoals.export.layout import _BLOCK_LABELS, _BLOCK_SHOWN

    labels: dict[str, str] = {}
    for recorded in project.goal.block:
        if recorded.field == "extra" or recorded.field in _BLOCK_SHOWN:
            continue
        labels.setdefault(recorded.field, recorded.header)
    return [
        (field.removeprefix("project."), labels.get(field, default)) for field, default in _BLOCK_LABELS.items()
    ]


def _kept_representation(base: list[Indicator], rows: list[Indicator], shown: set[str]) -> list[Indicator]:
    """Rows read back with what the sheet cannot show kept from the version exported: a field without a
    column, a weight written 12.50 that Excel shows 12.5, an empty cell for a field that was ``None``."""
    from perfgoals.merge import match_rows

    matched = match_rows(base, rows)
    kept: list[Indicator] = []
    for j, i in enumerate(matched):
        row = rows[j]
        if i is None:
            kept.append(row)
            continue
        before = base[i]
        update: dict[str, Any] = {}
        for name in Indicator.model_fields:
            old, new = getattr(before, name), getattr(row, name)
            if name == "extra":
                continue
            if (name not in shown and name not in ("level1", "level2")) or (isinstance(old, Decimal) and isinstance(new, Decimal) and old == new) or (old is None and new == "") or (old == "" and new is None):
                update[name] = old
        kept.append(row.model_copy(update=update) if update else row)
    return kept
