"""Reading back a workbook that ``perfgoals export`` wrote, after someone edited it in Excel.

The exporter leaves a very hidden ``_perfgoals`` sheet (department, year, project id, revision and a
fingerprint of each goal table as exported) and one defined name per project sheet, so a renamed
sheet is still found.  Only goal tables whose content differs from what was exported are saved,
through :func:`perfgoals.storage.repository.save_project` (revision-checked, history recorded).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlmodel import Session

from perfgoals.columns import EXTRA_PREFIX, header_field
from perfgoals.columns import column as registered_column
from perfgoals.errors import PerfgoalsError
from perfgoals.export.layout import (
    AMOUNT_LABEL,
    ANNUAL_VALUE_LABEL,
    IMPLEMENTING_UNIT_LABEL,
    INDICATOR_COLUMNS,
    MID_TERM_GOAL_LABEL,
)
from perfgoals.export.records import goal_fingerprint
from perfgoals.export.xlsx import (
    FORMAT_NAME,
    FORMAT_VERSION,
    META_FIRST_ROW,
    META_HEADER,
    META_HEADER_MINIMUM,
    META_SHEET,
)
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.workbook_limits import check_workbook
from perfgoals.models import AmountSource, Department, Direction, GoalTable, Indicator, Project
from perfgoals.money import AmountError, normalise_unit
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.money import Money, money_unit, read_money
from perfgoals.storage import repository as repo
from perfgoals.text import restore_controls

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: How far down a sheet to look for the 绩效目标 and header rows (rows may have been inserted above).
_SEARCH_ROWS = 60
_LABELS = {column.label: column.field for column in INDICATOR_COLUMNS} | {ANNUAL_VALUE_LABEL: "value"}
_REQUIRED = ("level1", "level2", "level3", "description", "value", "basis")
_OPTIONAL_TEXT = ("mid_term_value", "unit", "reference_value", "method")


class WorkbookImportError(PerfgoalsError):
    """A workbook that cannot be read back; nothing of it is written."""


@dataclass(frozen=True, slots=True)
class _Entry:
    defined_name: str
    sheet: str
    department_code: str
    department_name: str
    year: int
    project_id: int | None
    project_name: str
    revision: int
    fingerprint: str
    amount_wan: Decimal | None
    implementing_unit: str
    #: The fields of the sheet's columns as exported (each must still have its column).
    columns: tuple[str, ...] = ()


def _open(path: Path) -> Any:
    import openpyxl

    try:
        with path.open("rb") as stream:
            magic = stream.read(8)
    except OSError as exc:
        raise WorkbookImportError(f"无法读取 {path}：{exc.strerror}") from None
    if magic == _OLE_MAGIC:
        raise WorkbookImportError(
            f"{path.name}：文件已加密或是旧版 .xls 格式，请在 Excel 中取消密码并另存为 .xlsx 后再导入"
        )
    if not magic.startswith(b"PK"):
        raise WorkbookImportError(f"{path.name}：不是 .xlsx 工作簿（文件内容不是 Excel 格式）")
    try:
        check_workbook(path)
    except ImportFailure as exc:
        raise WorkbookImportError(str(exc)) from None
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, EOFError):
        raise WorkbookImportError(f"{path.name}：工作簿已损坏或不完整（可能被截断），无法打开") from None
    except KeyError:
        raise WorkbookImportError(f"{path.name}：工作簿缺少必要的组成部分，可能已损坏，无法打开") from None
    except OSError as exc:
        raise WorkbookImportError(
            f"{path.name}：无法读取工作簿（{exc.strerror or type(exc).__name__}）"
        ) from None
    except Exception as exc:  # openpyxl raises assorted errors for malformed XML parts
        raise WorkbookImportError(f"{path.name}：工作簿内容有误，无法读取（{type(exc).__name__}）") from None


def _entries(workbook: Any, name: str) -> list[_Entry]:
    if META_SHEET not in workbook.sheetnames:
        raise WorkbookImportError(
            f"{name}：不是 perfgoals 导出的工作簿（缺少 {META_SHEET} 说明表）；"
            "预算公开文件请以 .docx 或文本形式导入"
        )
    sheet = workbook[META_SHEET]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = {str(row[0]): row[1] for row in rows[: META_FIRST_ROW - 1] if row and row[0] is not None}
    if header.get("format") != FORMAT_NAME:
        raise WorkbookImportError(f"{name}：{META_SHEET} 表的格式标记有误，不是 perfgoals 导出的工作簿")
    try:
        version = int(str(header.get("version")))
    except ValueError:
        raise WorkbookImportError(f"{name}：{META_SHEET} 表的版本号有误") from None
    if version > FORMAT_VERSION:
        raise WorkbookImportError(
            f"{name}：由更新版本的 perfgoals 导出（格式第 {version} 版），请先升级 perfgoals"
        )
    written = tuple(rows[META_FIRST_ROW - 1][: len(META_HEADER)]) if len(rows) >= META_FIRST_ROW else ()
    while written and written[-1] is None:
        written = written[:-1]
    if len(written) < META_HEADER_MINIMUM or written != META_HEADER[: len(written)]:
        raise WorkbookImportError(f"{name}：{META_SHEET} 表已被改动，无法识别其中的项目")
    entries: list[_Entry] = []
    for offset, row in enumerate(rows[META_FIRST_ROW:], start=META_FIRST_ROW + 1):
        if not row or row[0] is None:
            continue
        values = {
            key: ("" if value is None else str(value)) for key, value in zip(META_HEADER, row, strict=False)
        }
        try:
            entries.append(
                _Entry(
                    defined_name=values["defined_name"],
                    sheet=values["sheet"],
                    department_code=values["department_code"],
                    department_name=values["department_name"],
                    year=int(values["year"]),
                    project_id=int(values["project_id"]) if values["project_id"] else None,
                    project_name=values["project_name"],
                    revision=int(values["revision"]),
                    fingerprint=values["fingerprint"],
                    amount_wan=Decimal(values["amount_wan"]) if values.get("amount_wan") else None,
                    implementing_unit=values.get("implementing_unit", ""),
                    columns=tuple(name for name in values.get("columns", "").split(",") if name),
                )
            )
        except (KeyError, ValueError, InvalidOperation):
            raise WorkbookImportError(f"{name}：{META_SHEET} 表第 {offset} 行已被改动，无法识别") from None
    if not entries:
        raise WorkbookImportError(f"{name}：工作簿中没有项目的绩效目标表")
    return entries


def _sheet_for(workbook: Any, entry: _Entry) -> Any | None:
    """The entry's sheet: through its defined name (which follows a renamed sheet), else by name."""
    defined = workbook.defined_names.get(entry.defined_name)
    if defined is not None:
        for title, _cell in defined.destinations:
            if title in workbook.sheetnames:
                return workbook[title]
    if entry.sheet in workbook.sheetnames:
        return workbook[entry.sheet]
    # Renamed by a program that left the defined name behind: find the sheet by its title row.
    title = f"{entry.project_name}绩效目标表"
    for sheet in workbook.worksheets:
        if sheet.title != META_SHEET and _text(sheet.cell(1, 1).value).strip() == title:
            return sheet
    return None


def _text(value: Any) -> str:
    """A cell as text: numbers Excel made of typed digits come back as the digits typed, and the
    control characters the export showed as signs (:func:`perfgoals.text.visible`) as themselves."""
    if value is None:
        return ""
    if isinstance(value, str):
        return restore_controls(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Grid:
    """Cell values with merged ranges resolved to their top-left value (un-merging 一级/二级)."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.merged: dict[tuple[int, int], Any] = {}
        for merged in sheet.merged_cells.ranges:
            value = sheet.cell(merged.min_row, merged.min_col).value
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        self.merged[(row, col)] = value

    def own(self, row: int, col: int) -> Any:
        """The cell's own value: ``None`` for a cell that a merge covers."""
        return None if (row, col) in self.merged else self.sheet.cell(row, col).value

    def value(self, row: int, col: int) -> Any:
        if (row, col) in self.merged:
            return self.merged[(row, col)]
        return self.sheet.cell(row, col).value


@dataclass(slots=True)
class _Columns:
    """Where a project sheet's indicator table is: its header rows and each column's field."""

    header_row: int
    first_row: int  # the first data row
    fields: dict[int, str]  # sheet column (1-based) → field (an Indicator field, extra:表头, label, project.…)
    headers: dict[int, str]  # sheet column → header as written (a two-row one joined with “/”)

    def column_of(self, field: str) -> int | None:
        return next((col for col, name in self.fields.items() if name == field), None)


def _locate(sheet: Any, grid: _Grid) -> _Columns | None:
    """The header row (the row with “一级指标”), a second header row where columns are grouped
    (实施期 / 年度: the 一级指标 cell merged down over it), and the field each column holds, read from its
    header words as the importer reads a goal table's (:mod:`perfgoals.importers.interpret.goals`)."""
    from perfgoals.importers.goal_layout import IGNORED_FIELDS, clean, goal_field
    from perfgoals.importers.interpret.goals import sichuan, two_groups
    from perfgoals.importers.interpret.goals.columns import EXTRA, LABEL, ColumnLayout, Group

    header_row = level1_col = None
    for row in range(1, min(sheet.max_row, _SEARCH_ROWS) + 1):
        for col in range(1, min(sheet.max_column, _SEARCH_COLUMNS) + 1):
            if clean(_text(grid.own(row, col))) == "一级指标":
                header_row, level1_col = row, col
                break
        if header_row is not None:
            break
    if header_row is None or level1_col is None:
        return None
    two_rows = (header_row + 1, level1_col) in grid.merged
    groups: list[Group] = []
    for col in range(1, sheet.max_column + 1):
        upper = _text(grid.value(header_row, col)).strip()
        lower = _text(grid.value(header_row + 1, col)).strip() if two_rows else upper
        if not upper and not lower:
            continue
        path = tuple(part for part in ((upper, lower) if upper != lower else (upper,)) if part)
        header = "/".join(path)
        # The registry's labels first (perfgoals' own headers), then the importer's header words.
        field = header_field(path[-1])
        if field is None:
            found = goal_field(tuple(clean(part) for part in path))
            field = EXTRA if found is None or found == "_unmodelled" else LABEL if found in IGNORED_FIELDS else found
        groups.append(Group(field, [col], header))
    layout = ColumnLayout(sheet.max_column, sheet.max_column, groups)
    sichuan.mark_project_columns(layout.groups)
    two_groups.pair(layout)
    fields: dict[int, str] = {}
    headers: dict[int, str] = {}
    seen: set[str] = set()
    for group in layout.groups:
        field = group.field
        if field == EXTRA or (field in seen and field != LABEL):
            field = EXTRA_PREFIX + group.header  # a column of the table's own, under its header
        seen.add(field)
        fields[group.columns[0]] = field
        headers[group.columns[0]] = group.header
    return _Columns(header_row, header_row + (2 if two_rows else 1), fields, headers)


#: How far right to look for the 一级指标 header (a row label or project columns may stand left of it).
_SEARCH_COLUMNS = 20
#: Indicator fields read as text that are absent (``None``) when their cell is empty.
_OPTIONAL_FIELDS = (
    "mid_term_value", "unit", "reference_value", "method", "nature", "standard", "expected_value",
    "mid_term_level2", "mid_term_level3",
)  # fmt: skip


def _is_indicator_column(field: str) -> bool:
    return field.startswith(EXTRA_PREFIX) or field in Indicator.model_fields


def _read_goal(
    sheet: Any, file_name: str, *, fill_down: bool = True, expected: tuple[str, ...] = ()
) -> GoalTable:
    """The goal table of a project sheet, in whatever columns it was exported with (``expected``: the
    fields the export wrote, every one of which must still have its column)."""
    grid = _Grid(sheet)
    where = f"{file_name} 工作表“{sheet.title}”"
    located = _locate(sheet, grid)
    if located is None:
        raise WorkbookImportError(f"{where}：找不到“一级指标”表头行")
    goal_row = mid_term_row = None
    for row in range(1, located.header_row):
        label = _text(grid.value(row, 1)).strip()
        if label == "绩效目标" and goal_row is None:
            goal_row = row
        elif label == MID_TERM_GOAL_LABEL and mid_term_row is None:
            mid_term_row = row
    columns = {field: col for col, field in located.fields.items() if _is_indicator_column(field)}
    present = set(columns)
    required = [name for name in _REQUIRED_ANY if name not in present and f"mid_term_{name}" not in present]
    wanted = expected or _REQUIRED
    required += [name for name in wanted if _is_indicator_column(name) and name not in present and name not in required]
    if required:
        raise WorkbookImportError(f"{where}：表头缺少“{'、'.join(_label(name) for name in required)}”列")
    goal_text = "" if goal_row is None else _labelled_text(grid, goal_row)
    mid_term_goal_text = "" if mid_term_row is None else _labelled_text(grid, mid_term_row)
    # Project columns beside the indicators (Sichuan's 年度目标) hold the goal text on the first row.
    for name in ("goal.goal_text", "goal.mid_term_goal_text"):
        col = located.column_of(name)
        if col is not None:
            text = _text(grid.value(located.first_row, col))
            if name == "goal.goal_text":
                goal_text = text
            else:
                mid_term_goal_text = text
    indicators: list[Indicator] = []
    previous: Indicator | None = None
    for row in range(located.first_row, sheet.max_row + 1):
        first_own = next(
            (_text(grid.own(row, col)).strip() for col in range(1, sheet.max_column + 1) if grid.own(row, col) is not None),
            "",
        )
        if first_own and (row, 1) not in grid.merged and _is_footer(_text(grid.own(row, 1))):
            break  # the table's footers (审核意见, 总分, 备注, 填表人) close it
        raw = {field: grid.value(row, col) for field, col in columns.items()}
        if all(_text(grid.own(row, col)).strip() == "" for col in columns.values()):
            continue  # an emptied row (merged 一级/二级 aside) is a deleted one
        values: dict[str, Any] = {field: _text(raw.get(field)) for field in _REQUIRED}
        for field in _OPTIONAL_FIELDS:
            if field in columns:
                values[field] = None if raw[field] is None or _text(raw[field]) == "" else _text(raw[field])
        if "weight" in columns and raw["weight"] is not None and _text(raw["weight"]).strip():
            values["weight"] = _weight(raw["weight"], f"{where} 第 {row} 行“权重”")
        if "direction" in columns and raw["direction"] is not None and _text(raw["direction"]).strip():
            values["direction"] = _direction(raw["direction"], f"{where} 第 {row} 行“指标方向”")
        extra = {
            field.removeprefix(EXTRA_PREFIX): _text(raw[field])
            for field in columns
            if field.startswith(EXTRA_PREFIX) and _text(raw[field]) != ""
        }
        if extra:
            values["extra"] = extra
        # As in published tables, a blank 一级 or 二级 cell means the same as the row above.
        if fill_down and previous is not None:
            if not values["level1"].strip():
                values["level1"] = previous.level1
            if not values["level2"].strip() and values["level1"] == previous.level1:
                values["level2"] = previous.level2
        # The 实施期 二级/三级 are printed as the 年度 ones where they are the same.
        for mid, annual in (("mid_term_level2", "level2"), ("mid_term_level3", "level3")):
            if values.get(mid) is not None and values[mid] == values[annual]:
                values[mid] = None
        indicator = Indicator(**values)
        indicators.append(indicator)
        previous = indicator
    return GoalTable(goal_text=goal_text, mid_term_goal_text=mid_term_goal_text, indicators=indicators)


_REQUIRED_ANY = ("level1", "level2", "level3", "value")


def _label(field: str) -> str:
    try:
        return registered_column(field).label
    except KeyError:
        return field


def _is_footer(text: str) -> bool:
    from perfgoals.importers.goal_layout import footer_label

    return footer_label(text) is not None


def _labelled_text(grid: _Grid, row: int) -> str:
    """The text beside a row's label (绩效目标, 实施期目标, 实施单位): the first non-empty cell after it."""
    return next(
        (_text(grid.value(row, col)) for col in range(2, grid.sheet.max_column + 1) if grid.value(row, col)),
        "",
    )


def _read_implementing_unit(sheet: Any) -> tuple[bool, str]:
    """The 实施单位 row above the goal table: whether the sheet has one, and its text."""
    grid = _Grid(sheet)
    for row in range(1, min(sheet.max_row, _SEARCH_ROWS) + 1):
        label = _text(grid.value(row, 1)).strip()
        if label == IMPLEMENTING_UNIT_LABEL:
            return True, _labelled_text(grid, row)
        if label == "一级指标":
            break
    return False, ""


#: A quoted literal in a number format: ``#,##0.00" 元"`` prints the unit after the figure.
_FORMAT_LITERAL = re.compile(r'"([^"]*)"')
#: The unit of a sheet that says none: what sheets showed before amounts were printed as written.
_DEFAULT_SHOWN_UNIT = "万元"


def _format_unit(number_format: str | None) -> str | None:
    """The money unit a cell's number format prints after the figure, if any."""
    for literal in _FORMAT_LITERAL.findall(number_format or ""):
        unit = money_unit(literal.strip())
        if unit is not None:
            return unit
    return None


def _line_unit(sheet: Any, above: int) -> str | None:
    """The unit of the sheet's unit line (``单位：元``) above row ``above``."""
    for row in range(1, above):
        for col in range(1, sheet.max_column + 1):
            text = _text(sheet.cell(row, col).value).strip()
            if text.startswith(("单位", "金额单位")):
                try:
                    return money_unit(normalise_unit(text))
                except AmountError:
                    continue
    return None


def _number_text(value: float) -> str:
    """A number cell as Excel shows it: 15 significant digits (``=22.85*1.1`` is 25.135, not
    25.135000000000002), written out without an exponent."""
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    return format(number, "f")


def _read_amount(sheet: Any, file_name: str) -> tuple[bool, Money | None]:
    """The 年度资金 cell: whether the sheet has one, and the amount it shows, in the unit it shows it in.

    The unit is the one printed with the figure (the cell's number format, ``755.00 元``), else the
    sheet's unit line (``单位：元``), else 万元; a figure typed with a unit (``800元``) is in that unit.
    """
    where = f"{file_name} 工作表“{sheet.title}”"
    for row in range(1, min(sheet.max_row, _SEARCH_ROWS) + 1):
        for col in range(1, sheet.max_column):
            if _text(sheet.cell(row, col).value).strip() == AMOUNT_LABEL:
                return True, _amount_cell(sheet, row, col + 1, where, AMOUNT_LABEL)
    # A 预算数 column beside the indicators (Sichuan's): its first row.
    located = _locate(sheet, _Grid(sheet))
    if located is not None:
        amount_col = located.column_of("project.budget_amount")
        if amount_col is not None:
            return True, _amount_cell(sheet, located.first_row, amount_col, where, located.headers[amount_col])
    return False, None


def _amount_cell(sheet: Any, row: int, col: int, where: str, label: str) -> Money | None:
    cell = sheet.cell(row, col)
    value = cell.value
    if value is None or _text(value).strip() == "":
        return None
    unit = _format_unit(cell.number_format) or _line_unit(sheet, row) or _DEFAULT_SHOWN_UNIT
    if isinstance(value, bool):
        raise WorkbookImportError(f"{where} 第 {row} 行“{label}”不是金额：{_text(value)}")
    text = _number_text(value) if isinstance(value, (int, float)) else _text(value)
    try:
        return read_money(text, default_unit=unit)
    except AmountError as exc:
        raise WorkbookImportError(f"{where} 第 {row} 行“{label}”：{exc}") from None


def _weight(value: Any, where: str) -> Decimal:
    if isinstance(value, bool):
        raise WorkbookImportError(f"{where}不是数字：{value}")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(_text(value).strip())
    except InvalidOperation:
        raise WorkbookImportError(f"{where}不是数字：{_text(value)}") from None
    if not number.is_finite():
        raise WorkbookImportError(f"{where}不是数字：{_text(value)}")
    return number


def _direction(value: Any, where: str) -> Direction:
    text = _text(value).strip()
    for direction in Direction:
        if text == direction.value:
            return direction
    raise WorkbookImportError(f"{where}应为“正向”或“反向”，现为“{text}”")


def _same_weights(old: GoalTable, new: GoalTable) -> GoalTable:
    """Keep weights written as before (12.50 stays 12.50) where Excel only changed their scale."""
    if len(old.indicators) != len(new.indicators):
        return new
    kept = []
    for before, after in zip(old.indicators, new.indicators, strict=True):
        if before.weight is not None and after.weight is not None and before.weight == after.weight:
            after = after.model_copy(update={"weight": before.weight})
        kept.append(after)
    return new.model_copy(update={"indicators": kept})


def import_workbook(session: Session, *, path: Path, user: str, replace: bool) -> str:
    """Save the goal tables edited in a workbook ``perfgoals export`` wrote; returns a report (Chinese).

    Projects whose table is unchanged since the export are left alone.  A project saved in the
    database since the export is a conflict: nothing is written unless ``replace`` is set.
    """
    path = Path(path)
    workbook = _open(path)
    entries = _entries(workbook, path.name)
    _require_departments(session, entries, path.name)
    departments: dict[tuple[str, int], Department] = {}
    changed: list[tuple[_Entry, Project, Project]] = []
    unchanged = 0
    missing_sheets: list[str] = []
    conflicts: list[str] = []
    for entry in entries:
        sheet = _sheet_for(workbook, entry)
        if sheet is None:
            missing_sheets.append(entry.project_name)
            continue
        # Cells as they stand (blank levels kept blank) tell whether anyone edited this table.
        literal = _read_goal(sheet, path.name, fill_down=False, expected=entry.columns)
        has_amount, amount = _read_amount(sheet, path.name)
        # Compared in 万元, exactly: 755 shown in 元 is the 0.0755 万元 exported.
        amount_wan = None if amount is None else amount.wan
        amount_edited = has_amount and amount_wan != entry.amount_wan
        has_unit, implementing_unit = _read_implementing_unit(sheet)
        unit_edited = has_unit and implementing_unit != entry.implementing_unit
        goal_edited = goal_fingerprint(literal) != entry.fingerprint
        if not goal_edited and not amount_edited and not unit_edited:
            unchanged += 1
            continue
        goal = _read_goal(sheet, path.name, expected=entry.columns)
        key = (entry.department_code, entry.year)
        if key not in departments:
            found = repo.find_department(session, code=entry.department_code, year=entry.year)
            departments[key] = repo.load_department(session, department_id=found.id)
        project, reloaded = _match_project(session, departments[key], entry, path.name)
        update: dict[str, Any] = {}
        if goal_edited and goal_fingerprint(goal) != goal_fingerprint(project.goal):
            kept = _same_weights(project.goal, goal)
            update["goal"] = project.goal.model_copy(
                update={
                    "goal_text": kept.goal_text,
                    "mid_term_goal_text": kept.mid_term_goal_text,
                    "indicators": kept.indicators,
                }
            )
        if amount_edited and amount_wan != project_amount(project).wan:
            # Kept as the sheet shows it (in the unit printed with it), and now a person's figure: an
            # inferred amount edited in Excel is entered.  An unedited one keeps its source.
            update["budget_amount"] = None if amount is None else amount.amount
            if amount is not None:
                update["amount_unit"] = amount.unit
            update["amount_source"] = AmountSource.ENTERED
        if unit_edited and implementing_unit != project.implementing_unit:
            update["implementing_unit"] = implementing_unit
        if not update:
            unchanged += 1  # already saved (an earlier import of this same workbook)
            continue
        if reloaded is not None and not replace:
            conflicts.append(
                f"“{project.name}”（{reloaded}，工作簿依据的是之前的第 {entry.revision} 版，"
                f"数据库中现为编号 {project.id} 的第 {project.goal.revision} 版）"
            )
        elif project.goal.revision != entry.revision and not replace:
            conflicts.append(
                f"“{project.name}”（导出时第 {entry.revision} 版，数据库中现为第 {project.goal.revision} 版）"
            )
        changed.append((entry, project, project.model_copy(update=update)))
    if conflicts:
        raise WorkbookImportError(
            f"{path.name}：以下项目在导出后已在数据库中修改过，未导入任何内容：{'；'.join(conflicts)}。"
            "如确认以工作簿为准覆盖，请加 --replace"
        )
    saved: list[str] = []
    for _entry, project, updated in changed:
        repo.save_project(session, project=updated, expected_revision=project.goal.revision, user=user)
        what = f"{len(updated.goal.indicators)} 行指标"
        if (updated.budget_amount, updated.amount_unit) != (project.budget_amount, project.amount_unit):
            what += f"，年度资金已改为 {project_amount(updated).text}"
        if updated.implementing_unit != project.implementing_unit:
            what += "，实施单位已改"
        saved.append(f"{project.name}（{what}）")
    parts = [f"已从 {path.name} 导入：更新 {len(saved)} 个项目的绩效目标表"]
    if saved:
        parts.append("：" + "、".join(saved))
    parts.append(f"；{unchanged} 个项目未改动")
    if missing_sheets:
        parts.append(f"；工作簿中已没有这些项目的工作表，未作改动：{'、'.join(missing_sheets)}")
    return "".join(parts) + "。"


def _require_departments(session: Session, entries: list[_Entry], file_name: str) -> None:
    """Refuse a workbook whose department-years this database lacks: its sheets update saved tables,
    so with nothing to update an import would report success having written nothing."""
    known = {(key.code, key.year) for key in repo.list_departments(session)}
    missing = sorted(
        {(e.department_code, e.year, e.department_name) for e in entries if (e.department_code, e.year) not in known}
    )
    if missing:
        named = "、".join(f"{code} {name}（{year} 年）" for code, year, name in missing)
        raise WorkbookImportError(
            f"{file_name}：这是 perfgoals 导出的工作簿，只能写回导出它的数据库中已有的部门；"
            f"本数据库中没有 {named}，未导入任何内容。请先导入该部门（perfgoals load 其 dump 文件，"
            "或 perfgoals import 其预算公开文件），或用 --db 指向导出它的数据库"
        )


def _match_project(
    session: Session, department: Department, entry: _Entry, file_name: str
) -> tuple[Project, str | None]:
    """The sheet's project, and why it is not the very project exported (``None`` when it is).

    By its database id first (names may have changed since; ids are never reused).  An id the
    department-year no longer has was replaced by a reload (``load``, ``import --replace``): the project
    is then the one of the same name, and the workbook is based on a version older than anything in the
    database, so its changes conflict (never written into whichever project now has the id or position).
    The same holds for an id deleted meanwhile whose name a new project took.  A sheet without an id
    (an older export) is matched by name.
    """
    reloaded: str | None = None
    if entry.project_id is not None:
        for project in department.projects:
            if project.id == entry.project_id:
                return project, None
        reloaded = (
            "导出后部门年度已重新读入（load 或 import --replace）"
            if repo.was_reloaded(session, project_id=entry.project_id)
            else f"导出时的项目（编号 {entry.project_id}）已不在，现为同名的另一项目"
        )
    for project in department.projects:
        if project.name == entry.project_name:
            return project, reloaded
    raise WorkbookImportError(
        f"{file_name}：数据库中 {department.code} {department.name}（{department.year}年）没有项目“{entry.project_name}”"
    )
