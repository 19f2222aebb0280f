"""Reading back a workbook that ``perfgoals export`` wrote, after someone edited it in Excel.

The exporter leaves a very hidden ``_perfgoals`` sheet (department, year, project id, revision and a
fingerprint of each goal table as exported, and, since the embedded dump, each project as exported and
the department-year's ``dump`` document: :mod:`perfgoals.export.embedded`) and one defined name per
project sheet, so a renamed sheet is still found.

- A department-year the database lacks is created whole from the embedded dump, with the workbook's
  edits on top (an older workbook without the dump is refused, naming the department).
- Otherwise each project is merged three-way (:func:`perfgoals.merge.merge_projects`): base = the
  version exported, mine = what the sheet shows, theirs = the database's.  Cells only the workbook
  changed are taken, a colleague's cells kept, cells both changed are conflicts (nothing is written
  unless ``replace``, which takes the workbook's side for those cells only).  Saved through
  :func:`perfgoals.storage.repository.save_project` (revision-checked, history recorded).
- Every edited cell is reported ``工作表!单元格：旧 → 新``, or refused with its reason (a cell with no place
  in the data, an edit to the read-only 汇总).  Cells are read as Excel shows them (:func:`displayed`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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
    SUMMARY_SHEET,
)
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.workbook_limits import check_workbook
from perfgoals.merge import Side, merge_projects, same_content
from perfgoals.models import AmountSource, Department, Direction, Footer, GoalTable, Indicator, Project
from perfgoals.money import AmountError, normalise_unit
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.money import Money, money_unit, read_money
from perfgoals.storage import repository as repo
from perfgoals.text import restore_controls, visible

_MINE, _THEIRS, _BASE = Side.MINE, Side.THEIRS, Side.BASE
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
    #: The project as exported (``Project`` JSON), carried by workbooks since the embedded dump.
    base: str | None = None
    #: The sheet row of the first indicator as exported.
    first_row: int | None = None


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
    """The projects the workbook holds."""
    return _read_meta(workbook, name)[0]


def _read_meta(workbook: Any, name: str) -> tuple[list[_Entry], dict[tuple[str, int], str]]:
    """The projects the workbook holds, and the dump of each department-year it carries (JSON)."""
    from perfgoals.export.embedded import EMBED_HEADER, read_dump_row, read_embedded

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
    header_row = rows[META_FIRST_ROW - 1]
    embed_at = header_row.index(EMBED_HEADER[0]) if EMBED_HEADER[0] in header_row else None
    chunks: dict[tuple[str, int], list[str]] = {}
    for offset, row in enumerate(rows[META_FIRST_ROW:], start=META_FIRST_ROW + 1):
        if not row or row[0] is None:
            try:
                dump_row = read_dump_row(row, embed_at) if row else None
            except ValueError:
                raise WorkbookImportError(f"{name}：{META_SHEET} 表第 {offset} 行已被改动，无法识别") from None
            if dump_row is not None:
                chunks.setdefault(dump_row[:2], []).append(dump_row[2])
            continue
        values = {
            key: ("" if value is None else str(value)) for key, value in zip(META_HEADER, row, strict=False)
        }
        try:
            base = read_embedded(row, embed_at)
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
                    base=base,
                    first_row=int(values["first_row"]) + 1 if values.get("first_row") else None,
                )
            )
        except (KeyError, ValueError, InvalidOperation):
            raise WorkbookImportError(f"{name}：{META_SHEET} 表第 {offset} 行已被改动，无法识别") from None
    if not entries:
        raise WorkbookImportError(f"{name}：工作簿中没有项目的绩效目标表")
    dumps = {key: "".join(parts) for key, parts in chunks.items()}
    return entries, dumps


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
    if isinstance(value, float):
        return _number_text(value)
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
            value = displayed(sheet.cell(merged.min_row, merged.min_col))
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        self.merged[(row, col)] = value

    def own(self, row: int, col: int) -> Any:
        """The cell's own value as shown: ``None`` for a cell that a merge covers."""
        return None if (row, col) in self.merged else displayed(self.sheet.cell(row, col))

    def value(self, row: int, col: int) -> Any:
        if (row, col) in self.merged:
            return self.merged[(row, col)]
        return displayed(self.sheet.cell(row, col))


#: A number format's fixed decimals (``0.0%`` → one).
_DECIMALS = re.compile(r"0\.(0+)")
#: Date formats Excel shows in the reader's locale: as a Chinese Excel shows them.
_LOCALE_DATE_FORMATS = {"mm-dd-yy": "yyyy/m/d", "m/d/yy h:mm": "yyyy/m/d h:mm", "General": "yyyy/m/d"}
_DATE_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|AM/PM|.', re.IGNORECASE)


def displayed(cell: Any) -> Any:
    """A cell's value as Excel shows it, where Excel converted what was typed: a percent-formatted
    number (``0.95`` shown ``95%``) and a date (``2022/1/12``) as the text shown, a float as its 15
    significant digits (``0.1+0.2`` is ``0.3``).  Text, whole numbers and booleans are left as they are."""
    value = cell.value
    if value is None or isinstance(value, (str, bool, int)):
        return value
    number_format = str(cell.number_format or "General")
    section = number_format.split(";")[0]
    if isinstance(value, float):
        if "%" in section:
            found = _DECIMALS.search(section)
            decimals = len(found.group(1)) if found else 0
            figure = (Decimal(f"{value:.15g}") * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
            return f"{figure}%"
        return _number_text(value)
    if isinstance(value, (datetime, date, time)):
        return _date_text(value, _LOCALE_DATE_FORMATS.get(section, section))
    return value


def _date_text(value: date | time, number_format: str) -> str:
    """A date or time as its number format prints it (years, months, days, hours, minutes, seconds)."""
    parts: list[str] = []
    previous = ""
    tokens = _DATE_TOKEN.findall(number_format)
    for index, token in enumerate(tokens):
        lower = token.lower()
        if lower in ("mm", "m"):
            # m after an hour or before a second is minutes
            following = next((t.lower() for t in tokens[index + 1 :] if t.strip(" :")), "")
            minutes = previous in ("h", "hh") or following in ("s", "ss")
            number = getattr(value, "minute" if minutes else "month", 0)
            parts.append(f"{number:02d}" if lower == "mm" else str(number))
        elif lower in ("yyyy", "yy"):
            year = getattr(value, "year", 0)
            parts.append(str(year) if lower == "yyyy" else f"{year % 100:02d}")
        elif lower in ("dd", "d"):
            day = getattr(value, "day", 0)
            parts.append(f"{day:02d}" if lower == "dd" else str(day))
        elif lower in ("hh", "h"):
            hour = getattr(value, "hour", 0)
            parts.append(f"{hour:02d}" if lower == "hh" else str(hour))
        elif lower in ("ss", "s"):
            second = getattr(value, "second", 0)
            parts.append(f"{second:02d}" if lower == "ss" else str(second))
        elif lower in ("mmmm", "mmm", "dddd", "ddd") and isinstance(value, date):
            parts.append(value.strftime({"mmmm": "%B", "mmm": "%b", "dddd": "%A", "ddd": "%a"}[lower]))
        elif token.startswith('"'):
            parts.append(token[1:-1])
        elif token.startswith("\\"):
            parts.append(token[1:])
        elif token.startswith("[") or lower == "am/pm":
            continue
        else:
            parts.append(token)
        if lower[:1] in ("y", "m", "d", "h", "s"):
            previous = lower
    return "".join(parts)


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


@dataclass(slots=True)
class _Sheet:
    """What one project sheet shows, read as the workbook's side (``mine``) of a three-way merge."""

    entry: _Entry
    title: str
    mine: Project
    changes: list[str]  # sheet!cell: 旧 → 新, for the report
    refused: list[str]  # cells not taken, each with its reason


def _column_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def _shown_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _quoted(text: str) -> str:
    return visible(text, one_line=True) if text else "（空）"


def _row_label(sheet: Any, grid: _Grid, below: int, label: str) -> int | None:
    for row in range(1, below):
        if _text(grid.value(row, 1)).strip() == label:
            return row
    return None


def _read_sheet(
    sheet: Any,
    entry: _Entry,
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
    grid = _Grid(sheet)
    located = _locate(sheet, grid)
    header_row = located.header_row if located is not None else _SEARCH_ROWS
    changes: list[str] = []
    refused: list[str] = []
    update: dict[str, Any] = {}
    goal_update: dict[str, Any] = {}

    # The goal table: unchanged unless its cells (as they stand, blank levels blank) differ from the export.
    literal = _read_goal(sheet, file_name, fill_down=False, expected=entry.columns)
    if goal_fingerprint(literal) != entry.fingerprint or goal_fingerprint(literal) != goal_fingerprint(base.goal):
        read, rows_at = _read_goal_rows(sheet, file_name, expected=entry.columns)
        shown = set(located.fields.values()) if located is not None else set()
        indicators = _kept_representation(base.goal.indicators, read.indicators, shown)
        for goal_field, label in (("goal_text", "绩效目标"), ("mid_term_goal_text", MID_TERM_GOAL_LABEL)):
            old, new = getattr(base.goal, goal_field), getattr(read, goal_field)
            if old != new and not _cut_by_excel(old, new):
                goal_update[goal_field] = new
                at = _row_label(sheet, grid, header_row, label)
                cell = f"B{at}" if at is not None else label
                changes.append(f"{where}{cell}（{label}）：{_quoted(old)} → {_quoted(new)}")
        matched = match_rows(base.goal.indicators, indicators)
        columns = {field: col for col, field in located.fields.items()} if located is not None else {}
        for j, i in enumerate(matched):
            row = indicators[j]
            at = rows_at[j]
            if i is None:
                changes.append(f"{where}第 {at} 行（新增）：{_quoted(_full_row_text(row))}")
                continue
            before = base.goal.indicators[i]
            for name in Indicator.model_fields:
                old_value, new_value = getattr(before, name), getattr(row, name)
                if name == "extra":
                    for key in sorted(set(old_value) | set(new_value)):
                        if old_value.get(key, "") != new_value.get(key, ""):
                            col = columns.get(EXTRA_PREFIX + key)
                            cell = f"{_column_letter(col)}{at}" if col else f"第 {at} 行"
                            changes.append(
                                f"{where}{cell}（{key}）：{_quoted(old_value.get(key, ''))} → {_quoted(new_value.get(key, ''))}"
                            )
                    continue
                if _shown_value(old_value) != _shown_value(new_value):
                    col = columns.get(name)
                    cell = f"{_column_letter(col)}{at}" if col else f"第 {at} 行"
                    changes.append(
                        f"{where}{cell}（{column_label(name)}）：{_quoted(_shown_value(old_value))} → {_quoted(_shown_value(new_value))}"
                    )
        kept = {i for i in matched if i is not None}
        for i, before in enumerate(base.goal.indicators):
            if i not in kept:
                at_text = f"第 {first_row + i} 行" if first_row is not None else f"原第 {i + 1} 行"
                changes.append(f"{where}{at_text}（删除）：{_quoted(_full_row_text(before))}")
        if [r.model_dump() for r in indicators] != [r.model_dump() for r in base.goal.indicators]:
            goal_update["indicators"] = indicators

    # 项目名称: its cell (or Sichuan's column) and the title (“…绩效目标表”) name the project.
    names: list[tuple[str, str]] = []  # (cell, name shown)
    name_row = _row_label(sheet, grid, header_row, "项目名称")
    if name_row is not None:
        names.append((f"B{name_row}", _labelled_text(grid, name_row).strip()))
    elif located is not None and located.column_of("project.name") is not None:
        col = located.column_of("project.name") or 1
        names.append((f"{_column_letter(col)}{located.first_row}", _text(grid.value(located.first_row, col)).strip()))
    title_text = _text(grid.value(1, 1)).strip()
    if title_text != f"{base.name}绩效目标表":
        if title_text.endswith("绩效目标表") and title_text.removesuffix("绩效目标表").strip():
            names.append(("A1（标题）", title_text.removesuffix("绩效目标表").strip()))
        else:
            refused.append(
                f"{where}A1（标题）：{_quoted(f'{base.name}绩效目标表')} → {_quoted(title_text)}"
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
                changes.append(f"{where}{cell}{label}：{_quoted(base.name)} → {_quoted(new_name)}")

    # 年度资金: compared in 万元, exactly (755 shown in 元 is the 0.0755 万元 exported).
    has_amount, amount = _read_amount(sheet, file_name)
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
                f"{_column_letter(col + 1)}{row}（{AMOUNT_LABEL}）"
                for row in range(1, header_row)
                for col in range(1, sheet.max_column)
                if _text(sheet.cell(row, col).value).strip() == AMOUNT_LABEL
            ),
            AMOUNT_LABEL,
        )
        changes.append(f"{where}{cell}：{project_amount(base).text or '（空）'} → {after}")

    has_unit, implementing_unit = _read_implementing_unit(sheet)
    if has_unit and implementing_unit != base.implementing_unit:
        update["implementing_unit"] = implementing_unit
        at = _row_label(sheet, grid, header_row, IMPLEMENTING_UNIT_LABEL)
        changes.append(
            f"{where}B{at}（{IMPLEMENTING_UNIT_LABEL}）：{_quoted(base.implementing_unit)} → {_quoted(implementing_unit)}"
        )

    # The layout's block rows (项目属性, 实施期, 上级资金 …, and the project's own labelled rows).
    block = _block_rows(base)
    fields_by_label = {label: field for field, label in _block_fields(base)}
    extra = dict(base.extra)
    for label, value, _style in block:
        at = _row_label(sheet, grid, header_row, label)
        if at is None:
            continue
        old = _shown_value(value)
        new = _labelled_text(grid, at).strip() if old == old.strip() else _labelled_text(grid, at)
        if isinstance(value, Decimal) or (value == "" and fields_by_label.get(label) in _MONEY_BLOCK):
            cell = sheet.cell(at, 2)
            new = _number_text(cell.value) if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) else new
        field = fields_by_label.get(label)
        if new == old or (field in _MONEY_BLOCK and _same_number(new, old)):
            continue
        change = f"{where}B{at}（{label}）：{_quoted(old)} → {_quoted(new)}"
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
        footers = _read_footers(sheet, grid, located.first_row)
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
                    f"{where}{label}：{_quoted(old_footer.text if old_footer else '')} → "
                    f"{_quoted(new_footer.text if new_footer else '')}"
                )
    if goal_update:
        update["goal"] = base.goal.model_copy(update=goal_update)
    if department is not None and located is not None:
        refused += _unaccounted(sheet, grid, entry, base, department, located.header_row)
        # Sichuan's 单位名称 column names the department, which a project sheet does not change.
        department_col = located.column_of("department")
        if department_col is not None:
            department_shown = _text(grid.value(located.first_row, department_col)).strip()
            if department_shown != department.name:
                refused.append(
                    f"{where}{_column_letter(department_col)}{located.first_row}（单位名称）："
                    f"{_quoted(department.name)} → {_quoted(department_shown)}（未导入：部门名称不在项目表中修改）"
                )
    return _Sheet(entry, title, base.model_copy(update=update), changes, refused)


#: Labels of the rows above the indicators that :func:`_read_sheet` reads (the block rows besides).
_READ_LABELS = ("项目名称", "绩效目标", MID_TERM_GOAL_LABEL, IMPLEMENTING_UNIT_LABEL, AMOUNT_LABEL)


def _unaccounted(
    sheet: Any, grid: _Grid, entry: _Entry, base: Project, department: Department, header_row: int
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
        label = _text(grid.value(at, 1)).strip()
        expected_label = next((_shown_value(c.value) for c in row.cells if c.col == 0), "")
        read_cols: set[int] = set()
        if label in read_labels and label == expected_label:
            read_cols = {1, 2}  # the label and the text beside it, read above
            for col in range(3, sheet.max_column + 1):
                if _text(grid.own(at, col)).strip() == AMOUNT_LABEL:
                    read_cols |= {col, col + 1}
        expected = {cell.col + 1: cell.value.value if isinstance(cell.value, Styled) else cell.value for cell in row.cells}
        for col in range(1, max(sheet.max_column, max(expected, default=0)) + 1):
            if (at, col) in grid.merged or col in read_cols:
                continue
            old = _shown_value(expected.get(col))
            new = _text(grid.own(at, col))
            if old.strip() != new.strip() and not _same_number(old, new) and new.strip() not in read_labels:
                refused.append(
                    f"{sheet.title}!{_column_letter(col)}{at}：{_quoted(old)} → {_quoted(new)}"
                    "（未导入：这一格不对应 perfgoals 保存的数据）"
                )
    return refused


_MONEY_BLOCK = ("superior_amount", "mid_term_amount")
#: The most characters a cell holds: a longer text was cut when exported.
_CELL_LIMIT = 32767


def _cut_by_excel(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` as a cell could hold it (cut at Excel's limit), not an edit."""
    return len(new) >= _CELL_LIMIT - 16 and len(old) > len(new) and visible(old).startswith(visible(new))


def _read_footers(sheet: Any, grid: _Grid, first_row: int) -> list[Footer]:
    """The rows closing the table, from the first footer label below the indicators on."""
    footers: list[Footer] = []
    for row in range(first_row, sheet.max_row + 1):
        label = _text(grid.own(row, 1)).strip()
        if label and (footers or ((row, 1) not in grid.merged and _is_footer(label))):
            footers.append(Footer(label=label, text=_labelled_text(grid, row)))
    return footers


def _full_row_text(row: Indicator) -> str:
    """Every non-empty cell of a row, in field order (``产出指标 / 数量指标 / 培训班次 / ≥20次 / 年初计划``)."""
    parts = [_shown_value(getattr(row, name)) for name in Indicator.model_fields if name != "extra"]
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


def _read_goal_rows(sheet: Any, file_name: str, *, expected: tuple[str, ...]) -> tuple[GoalTable, list[int]]:
    """The goal table filled down as published tables are, and the sheet row of each indicator."""
    goal = _read_goal(sheet, file_name, expected=expected)
    rows: list[int] = []
    grid = _Grid(sheet)
    located = _locate(sheet, grid)
    if located is not None:
        columns = [col for col, field in located.fields.items() if _is_indicator_column(field)]
        for row in range(located.first_row, sheet.max_row + 1):
            if len(rows) == len(goal.indicators):
                break
            if any(_text(grid.own(row, col)).strip() for col in columns):
                rows.append(row)
    rows += [0] * (len(goal.indicators) - len(rows))
    return goal, rows


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


@dataclass(slots=True)
class _Outcome:
    lines: list[str]
    obstacles: list[str]


def import_workbook(session: Session, *, path: Path, user: str, replace: bool) -> str:
    """Bring back a workbook ``perfgoals export`` wrote; returns a report (Chinese), one cell a line.

    A department-year the database lacks is created whole from the dump the workbook carries, with the
    workbook's edits on top.  Otherwise each edited project is merged three-way: the version exported
    (carried in the workbook) is the base, the sheet is one side and the database the other; cells only
    the workbook changed are taken, a colleague's cells are kept, cells both changed are conflicts (nothing
    written unless ``replace``, which takes the workbook's side for those cells only).  Raises
    :class:`WorkbookImportError` listing every obstacle; nothing is written then.
    """
    from perfgoals.documents import DocumentError, parse_document

    path = Path(path)
    workbook = _open(path)
    entries, dumps = _read_meta(workbook, path.name)
    known = {(key.code, key.year) for key in repo.list_departments(session)}
    missing = sorted(
        {(e.department_code, e.year, e.department_name) for e in entries if (e.department_code, e.year) not in known}
    )
    without_dump = [item for item in missing if (item[0], item[1]) not in dumps]
    if without_dump:
        named = "、".join(f"{code} {name}（{year} 年）" for code, year, name in without_dump)
        raise WorkbookImportError(
            f"{path.name}：这是旧版 perfgoals 导出的工作簿（不带部门数据），只能写回导出它的数据库中已有的部门；"
            f"本数据库中没有 {named}，未导入任何内容。请先导入该部门（perfgoals load 其 dump 文件，"
            "或 perfgoals import 其预算公开文件），或用 --db 指向导出它的数据库"
        )
    lines: list[str] = []
    obstacles: list[str] = []
    conflicted = False  # an obstacle --replace would settle
    unchanged = 0
    missing_sheets: list[str] = []
    saved: list[str] = []
    created: list[str] = []
    edited_new: list[str] = []  # projects of a department-year created here, with the workbook's edits
    pending: list[tuple[Project, Project]] = []  # (theirs as stored, merged) to save
    new_departments: list[Department] = []
    departments: dict[tuple[str, int], Department] = {}
    exported_departments: dict[tuple[str, int], Department] = {}
    for dump_key, text in dumps.items():
        try:
            exported_departments[dump_key] = parse_document(text, source=f"{path.name} 内嵌的部门数据")
        except DocumentError as exc:
            raise WorkbookImportError(str(exc)) from None
    for code, year, _name in missing:
        try:
            department = parse_document(dumps[(code, year)], source=f"{path.name} 内嵌的部门数据")
        except DocumentError as exc:
            raise WorkbookImportError(str(exc)) from None
        departments[(code, year)] = department
        new_departments.append(department)
    for entry in entries:
        sheet = _sheet_for(workbook, entry)
        if sheet is None:
            missing_sheets.append(entry.project_name)
            continue
        key = (entry.department_code, entry.year)
        creating = key in {(d.code, d.year) for d in new_departments}
        if key not in departments:
            found = repo.find_department(session, code=entry.department_code, year=entry.year)
            departments[key] = repo.load_department(session, department_id=found.id)
        department = departments[key]
        reloaded: str | None = None
        if creating:
            theirs = next((p for p in department.projects if p.name == entry.project_name), None)
            if theirs is None:
                obstacles.append(f"{path.name}：内嵌的部门数据中没有项目“{entry.project_name}”")
                continue
        else:
            try:
                theirs, reloaded = _match_project(session, department, entry, path.name)
            except WorkbookImportError as exc:
                obstacles.append(str(exc))
                continue
        try:
            base = _base_of(entry, theirs)
            as_exported = exported_departments.get(key)
            read = _read_sheet(sheet, entry, base, path.name, first_row=entry.first_row, department=as_exported)
        except WorkbookImportError as exc:
            obstacles.append(str(exc))
            continue
        lines.extend(f"  {line}（未导入）" if "未导入" not in line else f"  {line}" for line in read.refused)
        if same_content(base, read.mine):
            if not creating:
                unchanged += 1
            continue
        result = merge_projects(base, read.mine, theirs)
        stale = entry.base is None and theirs.goal.revision != entry.revision
        if (reloaded is not None or stale) and not replace:
            why = reloaded or f"导出时第 {entry.revision} 版，数据库中现为第 {theirs.goal.revision} 版"
            obstacles.append(
                f"“{theirs.name}”（{why}，工作簿依据的是之前的第 {entry.revision} 版，"
                f"数据库中现为编号 {theirs.id} 的第 {theirs.goal.revision} 版）在导出后已在数据库中修改过"
                if reloaded is not None
                else f"“{theirs.name}”（{why}）在导出后已在数据库中修改过"
            )
            conflicted = True
            continue
        if result.conflicts and not replace:
            listed = "；".join(
                f"{read.title} {c.label}：工作簿为 {_quoted(c.text(_MINE))}，数据库中（他人修改）为 "
                f"{_quoted(c.text(_THEIRS))}，导出时为 {_quoted(c.text(_BASE))}"
                for c in result.conflicts
            )
            obstacles.append(f"“{theirs.name}”有 {len(result.conflicts)} 处工作簿与他人都改过的单元格：{listed}")
            conflicted = True
            continue
        merged = result.project
        if same_content(merged, theirs):
            unchanged += 1  # already saved (an earlier import of this same workbook)
            continue
        lines.extend(f"  {change}" for change in read.changes)
        if result.conflicts:
            lines.extend(
                f"  {read.title} {c.label}：以工作簿为准（--replace），他人的 {_quoted(c.text(_THEIRS))} 被替换"
                for c in result.conflicts
            )
        if result.taken_from_theirs:
            lines.append(f"  {read.title}：保留了他人在导出后修改的 {'、'.join(result.taken_from_theirs)}")
        what = f"{len(merged.goal.indicators)} 行指标"
        if (merged.budget_amount, merged.amount_unit) != (theirs.budget_amount, theirs.amount_unit):
            what += f"，年度资金已改为 {project_amount(merged).text}"
        if merged.implementing_unit != theirs.implementing_unit:
            what += "，实施单位已改"
        if merged.name != theirs.name:
            what += f"，改名为“{merged.name}”"
        if creating:
            department.projects[department.projects.index(theirs)] = merged
            edited_new.append(f"{theirs.name}（{what}）")
        else:
            pending.append((theirs, merged))
            saved.append(f"{theirs.name}（{what}）")
    for department in departments.values():
        names = [p.name for p in department.projects]
        for theirs, merged in pending:
            if theirs in department.projects:
                names[department.projects.index(theirs)] = merged.name
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            obstacles.append(
                f"{department.code} {department.name}（{department.year} 年）：改名后项目名称重复：{'、'.join(repeated)}"
            )
    if obstacles:
        raise WorkbookImportError(
            f"{path.name}：未导入任何内容（{len(obstacles)} 处问题）：\n"
            + "\n".join(f"  {obstacle}" for obstacle in obstacles)
            + ("\n  如确认以工作簿为准覆盖他人修改过的内容，请加 --replace" if conflicted and not replace else "")
        )
    for department in new_departments:
        repo.save_department(session, department=department, user=user, action="import")
        rows = sum(len(p.goal.indicators) for p in department.projects)
        created.append(
            f"{department.code} {department.name}（{department.year} 年，{len(department.projects)} 个项目、"
            f"{rows} 行指标、{len(department.budget_lines)} 个功能科目）"
        )
    for theirs, merged in pending:
        repo.save_project(session, project=merged, expected_revision=theirs.goal.revision, user=user)
    parts = []
    if created:
        parts.append(f"已从 {path.name} 新建部门年度（按工作簿内嵌的部门数据）：{'、'.join(created)}")
        if edited_new:
            parts.append(f"，其中按工作簿的修改：{'、'.join(edited_new)}")
    if saved or unchanged or not created:
        parts.append("；" if created else "")
        parts.append(f"已从 {path.name} 导入：更新 {len(saved)} 个项目的绩效目标表")
        if saved:
            parts.append("：" + "、".join(saved))
        parts.append(f"；{unchanged} 个项目未改动")
    if missing_sheets:
        parts.append(f"；工作簿中已没有这些项目的工作表，未作改动：{'、'.join(missing_sheets)}")
    summary_edits = _summary_edits(workbook, [departments[key] for key in dict.fromkeys((e.department_code, e.year) for e in entries) if key in departments], dumps)
    lines.extend(f"  {line}" for line in summary_edits)
    return "".join(parts) + "。" + "".join(f"\n{visible(line)}" for line in lines)


def _base_of(entry: _Entry, theirs: Project) -> Project:
    """The version the workbook was exported from: carried in the workbook, else (an older workbook)
    the stored version, which the sheet is then read over as before."""
    if entry.base is None:
        return theirs
    try:
        return Project.model_validate_json(entry.base).model_copy(update={"id": theirs.id})
    except ValueError:
        raise WorkbookImportError(f"{META_SHEET} 表中“{entry.project_name}”的导出版本已被改动，无法识别") from None


def _summary_edits(workbook: Any, departments: list[Department], dumps: dict[tuple[str, int], str]) -> list[str]:
    """Edits to 汇总 (read-only: made from the project sheets), each reported as not imported.  The sheet's
    columns are found by their headers, its rows compared in order with the records exported."""
    from perfgoals.documents import DocumentError, parse_document
    from perfgoals.export.layout import Styled, money_cell
    from perfgoals.export.records import INDICATOR_FIELDS, indicator_rows

    if SUMMARY_SHEET not in workbook.sheetnames or not dumps:
        return []
    exported: list[tuple[Any, ...]] = []
    for department in departments:
        text = dumps.get((department.code, department.year))
        if text is None:
            return []  # an older workbook: what 汇总 held is not known
        try:
            exported.extend(indicator_rows(parse_document(text, source=""), amount_cell=money_cell))
        except DocumentError:
            return []
    labels = {item.label: index for index, item in enumerate(INDICATOR_FIELDS)}
    sheet = workbook[SUMMARY_SHEET]
    rows = [list(row) for row in sheet.iter_rows()]
    header_at = next(
        (i for i, row in enumerate(rows[:5]) if sum(1 for c in row if _text(c.value).strip() in labels) >= 3), None
    )
    if header_at is None:
        return [f"{SUMMARY_SHEET}：表头已被改动（汇总为只读，未导入）"]
    columns = {
        col: labels[_text(cell.value).strip()]
        for col, cell in enumerate(rows[header_at])
        if _text(cell.value).strip() in labels
    }
    edits: list[str] = []
    body = rows[header_at + 1 :]
    for index in range(max(len(body), len(exported))):
        cells = body[index] if index < len(body) else []
        record = exported[index] if index < len(exported) else None
        for col, field in columns.items():
            shown = _text(displayed(cells[col])) if col < len(cells) else ""
            value = None if record is None else record[field]
            if isinstance(value, Styled):
                value = value.value
            expected = _shown_value(value)
            if shown.strip() != expected.strip() and not _same_number(shown, expected):
                edits.append(
                    f"{SUMMARY_SHEET}!{_column_letter(col + 1)}{header_at + index + 2}：{_quoted(expected)} → "
                    f"{_quoted(shown)}（未导入：汇总由各项目表生成，为只读；请在项目工作表中修改）"
                )
    return edits


def _same_number(a: str, b: str) -> bool:
    try:
        return Decimal(a.replace(",", "")) == Decimal(b.replace(",", ""))
    except InvalidOperation:
        return False


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
