"""The editing model behind the main screen: a project being edited, with undo/redo and TSV copy/paste.

Nothing here imports Textual, so every editing rule is unit-tested without a terminal.  A
:class:`ProjectDraft` owns a private copy of one project; each change records a snapshot first, so
undo and redo restore whole states (goal tables are small) and can never drift out of step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from perfgoals.columns import (
    ALL_FIELDS,
    INDICATOR_COLUMNS,
    STANDARD_FIELDS,
    cell_text,
    header_fields,
    is_column,
    label,
    parse_cell,
    set_value,
    used_fields,
    value_of,
)
from perfgoals.columns import OPTIONAL_FIELDS as OPTIONAL_COLUMN_FIELDS
from perfgoals.models import Indicator, Project

#: The goal-table columns always shown in the grid, in order (the one column registry's standard ones).
GRID_FIELDS: tuple[str, ...] = STANDARD_FIELDS

#: Columns shown only when some row of the table fills them in, or when added by hand (添加列).
OPTIONAL_FIELDS: tuple[str, ...] = OPTIONAL_COLUMN_FIELDS

#: Every column the grid can show and edit, in the published order.
ALL_GRID_FIELDS: tuple[str, ...] = ALL_FIELDS

#: The grid's header for each column (the registry's short labels).
GRID_LABELS: dict[str, str] = {column.field: column.short for column in INDICATOR_COLUMNS}

#: Fields of the goal table (not of the project itself) that the goal editor (F4) edits.
GOAL_TEXT_FIELDS: tuple[str, ...] = ("goal_text", "mid_term_goal_text")

#: Project fields a user edits outside the grid, with their Chinese names.
PROJECT_FIELD_LABELS: dict[str, str] = {
    "name": "项目名称",
    "code": "项目编码",
    "budget_line_code": "功能分类科目",
    "line_link": "科目关联",
    "fund_source": "资金来源",
    "fund_source_detail": "资金来源说明",
    "budget_amount": "金额",
    "amount_unit": "金额单位",
    "amount_source": "金额来源",
    "owner": "负责人",
    "implementing_unit": "实施单位",
    "status": "状态",
    "notes": "备注",
    "goal_text": "绩效目标",
    "mid_term_goal_text": "实施期目标",
}

_MAX_UNDO = 200


@dataclass(frozen=True, slots=True)
class CellRange:
    """A rectangle of grid cells, 0-based and inclusive, always normalised (top ≤ bottom, left ≤ right)."""

    top: int
    left: int
    bottom: int
    right: int

    @classmethod
    def spanning(cls, a: tuple[int, int], b: tuple[int, int]) -> CellRange:
        return cls(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))

    @classmethod
    def cell(cls, row: int, column: int) -> CellRange:
        return cls(row, column, row, column)

    def contains(self, row: int, column: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= column <= self.right

    @property
    def rows(self) -> int:
        return self.bottom - self.top + 1

    @property
    def columns(self) -> int:
        return self.right - self.left + 1


def visible_fields(indicators: Sequence[Indicator], extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The grid's columns for these rows: the standard ones and each optional one some row fills in
    (or that ``extra`` names: added by hand), in the published order."""
    return used_fields(indicators, extra)


def _stored(field: str, text: str) -> Any:
    """What ``text`` typed into ``field`` stores (raises CellValueError for what it cannot hold)."""
    return parse_cell(field, text)


@dataclass(frozen=True, slots=True)
class Choice:
    """One value a picker offers: the fields it sets (e.g. 一级 and 二级 together) and how it is shown."""

    label: str
    changes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a change happened, so that undo can put the cursor back there."""

    row: int | None = None  # 0-based indicator row
    field: str | None = None


@dataclass(slots=True)
class _Step:
    label: str
    before: Project
    place: Place
    #: The saved version ``before`` was edited over (its revision is what a save of it is checked
    #: against): undoing past a merge or a taken version brings the older base back with the content.
    base: Project | None = None


# --- TSV (what Excel and LibreOffice put on the clipboard) ------------------------------------------


def parse_tsv(text: str) -> list[list[str]]:
    """Cells of clipboard text as Excel writes it: tabs between cells, newlines between rows,
    cells holding a tab, newline or quote wrapped in quotes with quotes doubled.

    One trailing newline (Excel always adds one) does not make an empty last row.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_cell_start = True
    while i < n:
        char = text[i]
        if at_cell_start and char == '"':
            # A quoted cell runs to the closing quote that is followed by a separator or the end.
            j = i + 1
            parts: list[str] = []
            closed = False
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        parts.append('"')
                        j += 2
                        continue
                    if j + 1 == n or text[j + 1] in "\t\n":
                        closed = True
                        j += 1
                        break
                parts.append(text[j])
                j += 1
            if closed:
                cell = parts
                i = j
                at_cell_start = False
                continue
            # An unbalanced quote is plain text, as in a spreadsheet.
        at_cell_start = False
        if char == "\t":
            row.append("".join(cell))
            cell = []
            at_cell_start = True
        elif char == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            at_cell_start = True
        else:
            cell.append(char)
        i += 1
    row.append("".join(cell))
    rows.append(row)
    return rows


def _quote(cell: str) -> str:
    if any(char in cell for char in '\t\n\r"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def format_tsv(rows: Iterable[Sequence[str]]) -> str:
    """Cells as clipboard text that pastes into a spreadsheet cell for cell."""
    return "\n".join("\t".join(_quote(cell) for cell in row) for row in rows)


# --- the draft --------------------------------------------------------------------------------------


def _copy(project: Project) -> Project:
    return project.model_copy(deep=True)


def _comparable(project: Project) -> dict[str, Any]:
    # The revision is bookkeeping, not content: a saved draft is clean whatever its revision.
    data = project.model_dump(exclude={"acceptances": True, "goal": {"revision"}})
    data["id"] = project.id
    return data


class ProjectDraft:
    """One project under edit: its current state, what was last saved, and the undo history."""

    def __init__(self, project: Project) -> None:
        self._saved = _copy(project)
        self._saved_form = _comparable(project)
        self.project = _copy(project)
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._changes = 0  # bumped by every change, so that ``dirty`` is computed once per change
        self._dirty_at: tuple[int, bool] = (0, False)
        #: Optional columns added by hand (添加列) before anything is typed into them: view state only.
        self.added_columns: list[str] = []

    # -- state ----------------------------------------------------------------------------------

    @property
    def id(self) -> int | None:
        return self.project.id

    @property
    def saved(self) -> Project:
        return self._saved

    @property
    def revision(self) -> int:
        """The revision this draft was opened at: a save expects the database to still hold it."""
        return self._saved.goal.revision

    @property
    def dirty(self) -> bool:
        changes, dirty = self._dirty_at
        if changes != self._changes:
            dirty = _comparable(self.project) != self._saved_form
            self._dirty_at = (self._changes, dirty)
        return dirty

    @property
    def indicators(self) -> list[Indicator]:
        return self.project.goal.indicators

    @property
    def fields(self) -> tuple[str, ...]:
        """The grid's columns as now shown: what range columns (copy, paste, clear) refer to."""
        return visible_fields(self.indicators, self.added_columns)

    def addable_columns(self) -> list[str]:
        """The optional columns not shown yet, in order: what 添加列 offers."""
        shown = set(self.fields)
        return [field for field in OPTIONAL_FIELDS if field not in shown]

    def add_column(self, field: str) -> bool:
        """Show an optional column although no row fills it in yet; returns whether it was hidden."""
        if not (field in OPTIONAL_FIELDS or (field.startswith("extra:") and is_column(field))) or field in self.fields:
            return False
        self.added_columns.append(field)
        self._changes += 1
        return True

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _set_saved(self, saved: Project) -> None:
        self._saved = saved
        self._saved_form = _comparable(saved)

    def mark_saved(self, saved: Project, *, sent: Project | None = None, merged: bool = False) -> None:
        """The database now holds ``saved`` (new revision); edits made meanwhile stay unsaved.

        ``merged``: the save took cells a colleague saved meanwhile (``sent`` is what was sent): the
        draft takes them as one undoable step, whose undo also brings the older base back, so that
        saving the undone state merges their cells in again rather than overwriting them.
        Otherwise the undo history edited over the version just replaced now edits over ``saved``
        (undoing one's own edit after saving it and saving again writes the undo).
        """
        saved = _copy(saved)
        self._changes += 1
        if merged:
            self._record("合并他人的修改", Place())
            current = self.project
            if sent is None or _comparable(current) == _comparable(sent):
                self.project = _copy(saved)
            else:  # edits made while saving: kept over the merged version
                from perfgoals.merge import merge_projects

                self.project = merge_projects(sent, current, saved).project
            self._set_saved(saved)
            self.project.goal.revision = saved.goal.revision
            return
        old = self._saved
        for step in (*self._undo, *self._redo):
            if step.base is old:
                step.base = saved
        self._set_saved(saved)
        self.project.goal.revision = saved.goal.revision

    def rebase(self, base: Project, mine: Project, label: str) -> None:
        """Edit ``mine`` over ``base`` from now on (a merge's result over the colleague's version, or
        their version itself), as one undoable step: its undo brings the previous base back too."""
        self._record(label, Place())
        self._set_saved(_copy(base))
        self.project = _copy(mine)
        self.project.goal.revision = base.goal.revision

    def replace(self, project: Project) -> None:
        """Take ``project`` as both the saved and the current state (e.g. someone else's version).

        The replaced state (and the base it was edited over) stays on the undo stack, so the user can
        still get their edits back; saving them then meets the newer version again.
        """
        self.rebase(project, project, "采用已保存的版本")

    def restore(self, mine: Project, label: str = "恢复未保存的修改") -> bool:
        """Make ``mine`` (edits kept elsewhere: a recovery file) the current state, over this draft's
        saved version, as one undoable change; returns whether anything changed."""
        if _comparable(mine) == _comparable(self.project):
            return False
        self._record(label, Place())
        revision = self.project.goal.revision
        self.project = _copy(mine)
        self.project.goal.revision = revision
        return True

    def _record(self, label: str, place: Place) -> None:
        self._changes += 1
        self._undo.append(_Step(label, _copy(self.project), place, self._saved))
        del self._undo[:-_MAX_UNDO]
        self._redo.clear()

    def _go_to(self, step: _Step) -> None:
        """Make ``step``'s state (and the base it was edited over) the current one."""
        self._changes += 1
        self.project = step.before
        if step.base is not None and step.base is not self._saved:
            self._set_saved(step.base)
        self.project.goal.revision = self._saved.goal.revision

    def undo(self) -> _Step | None:
        """Go back one change; returns it (label and where it happened) or ``None`` if there is none."""
        if not self._undo:
            return None
        step = self._undo.pop()
        self._redo.append(_Step(step.label, self.project, step.place, self._saved))
        self._go_to(step)
        return step

    def redo(self) -> _Step | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        self._undo.append(_Step(step.label, self.project, step.place, self._saved))
        self._go_to(step)
        return step

    # -- cells ----------------------------------------------------------------------------------

    def cell(self, row: int, field: str) -> str:
        return cell_text(self.indicators[row], field)

    def check_cells(self, changes: dict[str, str]) -> str | None:
        """Why ``changes`` cannot be stored (a weight that is no number …), or ``None`` when they can."""
        for field, text in changes.items():
            try:
                _stored(field, text)
            except ValueError as exc:
                return str(exc)
        return None

    def set_cell(self, row: int, field: str, text: str) -> bool:
        """Set one cell to ``text`` exactly as typed; returns whether anything changed."""
        return self.set_cells(row, {field: text})

    def set_cells(self, row: int, changes: dict[str, str]) -> bool:
        """Set several cells of one row as one undoable change (e.g. 一级 and 二级 together).

        Raises ValueError (:class:`perfgoals.columns.CellValueError`) for text a column cannot hold,
        changing nothing: check first with :meth:`check_cells`.
        """
        unknown = {field for field in changes if not is_column(field)}
        if unknown:
            raise ValueError(f"不可编辑的列：{'、'.join(sorted(unknown))}")
        values = {field: _stored(field, text) for field, text in changes.items()}
        if all(value_of(self.indicators[row], field) == value for field, value in values.items()):
            return False
        first = next(iter(changes))
        self._record(f"修改{label(first)}", Place(row, first))
        for field, value in values.items():
            set_value(self.indicators[row], field, value)
        return True

    def clear_range(self, cells: CellRange) -> bool:
        fields = self.fields
        targets = [
            (row, fields[column])
            for row in range(cells.top, min(cells.bottom, len(self.indicators) - 1) + 1)
            for column in range(cells.left, min(cells.right, len(fields) - 1) + 1)
        ]
        if not any(self.cell(row, field) for row, field in targets):
            return False
        self._record("清空单元格", Place(cells.top, fields[cells.left]))
        for row, field in targets:
            set_value(self.indicators[row], field, _stored(field, ""))
        return True

    # -- rows -----------------------------------------------------------------------------------

    def insert_row(self, at: int, indicator: Indicator | None = None) -> int:
        """Insert a row at index ``at`` (clamped); a new row inherits the 一级/二级 of the row above."""
        at = max(0, min(at, len(self.indicators)))
        if indicator is None:
            above = self.indicators[at - 1] if at > 0 else None
            indicator = Indicator(level1=above.level1 if above else "", level2=above.level2 if above else "")
        self._record("插入行", Place(at, "level3"))
        self.indicators.insert(at, indicator)
        return at

    def delete_rows(self, first: int, last: int) -> bool:
        first, last = max(0, first), min(last, len(self.indicators) - 1)
        if first > last:
            return False
        self._record("删除行" if first == last else f"删除 {last - first + 1} 行", Place(first, None))
        del self.indicators[first : last + 1]
        return True

    def duplicate_rows(self, first: int, last: int) -> int:
        """Copy rows ``first``…``last`` below themselves; returns the index of the first copy."""
        first, last = max(0, first), min(last, len(self.indicators) - 1)
        if first > last:
            return first
        self._record("复制行", Place(last + 1, None))
        copies = [indicator.model_copy(deep=True) for indicator in self.indicators[first : last + 1]]
        self.indicators[last + 1 : last + 1] = copies
        return last + 1

    def move_rows(self, first: int, last: int, delta: int) -> int:
        """Move rows ``first``…``last`` by ``delta`` places (clamped); returns their new first index."""
        first, last = max(0, first), min(last, len(self.indicators) - 1)
        if first > last:
            return first
        target = max(0, min(first + delta, len(self.indicators) - (last - first + 1)))
        if target == first:
            return first
        self._record("移动行", Place(first, None))
        block = self.indicators[first : last + 1]
        del self.indicators[first : last + 1]
        self.indicators[target:target] = block
        return target

    # -- project fields ---------------------------------------------------------------------------

    def set_fields(self, changes: dict[str, Any], label: str = "修改项目信息") -> bool:
        """Set project fields (``goal_text`` included); returns whether anything changed."""
        unknown = set(changes) - set(PROJECT_FIELD_LABELS)
        if unknown:
            raise ValueError(f"未知的项目字段：{'、'.join(sorted(unknown))}")
        current = {key: self._field(key) for key in changes}
        if current == changes:
            return False
        first = next(key for key in changes if current[key] != changes[key])
        self._record(label, Place(None, first))
        for key, value in changes.items():
            setattr(self.project.goal if key in GOAL_TEXT_FIELDS else self.project, key, value)
        return True

    def _field(self, key: str) -> Any:
        return _project_field(self.project, key)

    # -- clipboard --------------------------------------------------------------------------------

    def copy(self, cells: CellRange) -> str:
        fields = self.fields
        rows = [
            [
                self.cell(row, fields[column])
                for column in range(cells.left, min(cells.right, len(fields) - 1) + 1)
            ]
            for row in range(cells.top, min(cells.bottom, len(self.indicators) - 1) + 1)
        ]
        return format_tsv(rows)

    def paste(self, top: int, left: int, text: str, selection: CellRange | None = None) -> CellRange | None:
        """Paste clipboard text with its top-left cell at (``top``, ``left``).

        Rows are added at the end when the paste runs past the last row; columns beyond the last
        shown one are dropped.  A single value pasted over a selection fills the whole selection, as a
        spreadsheet does.  A first line of column headers (一级指标, 二级指标 … as copied from a sheet
        with its header) is recognised and not pasted as a row: its columns then go to the fields they
        name, from the first column on, whichever columns are shown.  Returns the cells written, or
        ``None`` when nothing changed; raises ValueError naming the cell when a value cannot be held
        (a weight that is no number), changing nothing.
        """
        cells = parse_tsv(text)
        named = header_fields(cells[0]) if cells else None
        if named is not None:
            cells = cells[1:]
            if not cells:
                return None
            return self._paste_by_header(top, named, cells)
        fields = self.fields
        if not cells or left >= len(fields):
            return None
        if selection is not None and len(cells) == 1 and len(cells[0]) == 1:
            top, left = selection.top, selection.left
            cells = [[cells[0][0]] * selection.columns for _ in range(selection.rows)]
        width = min(max(len(row) for row in cells), len(fields) - left)
        area = CellRange(top, left, top + len(cells) - 1, left + width - 1)
        writes = [
            (top + offset, fields[left + column], row[column] if column < len(row) else "")
            for offset, row in enumerate(cells)
            for column in range(width)
        ]
        if not self._write_pasted(writes, Place(top, fields[left])):
            return None
        return area

    def _paste_by_header(self, top: int, named: list[str], cells: list[list[str]]) -> CellRange | None:
        writes = [
            (top + offset, field, row[column] if column < len(row) else "")
            for offset, row in enumerate(cells)
            for column, field in enumerate(named)
            if field
        ]
        first = next(field for field in named if field)
        if not self._write_pasted(writes, Place(top, first)):
            return None
        shown = self.fields
        columns = [shown.index(field) for field in named if field in shown]
        return CellRange(top, min(columns), top + len(cells) - 1, max(columns))

    def _write_pasted(self, writes: list[tuple[int, str, str]], place: Place) -> bool:
        """Write (row, field, text) cells as one undoable change, adding rows as needed; all or none."""
        values = []
        for row, field, text in writes:
            try:
                values.append((row, field, _stored(field, text)))
            except ValueError as exc:
                raise ValueError(f"第 {row + 1} 行 {label(field)}：{exc}") from None
        before = _copy(self.project)
        while len(self.indicators) <= max(row for row, _, _ in values):
            self.indicators.append(Indicator())
        for row, field, value in values:
            set_value(self.indicators[row], field, value)
        if _comparable(before) == _comparable(self.project):
            self.project = before
            return False
        self._changes += 1
        self._undo.append(_Step("粘贴", before, place, self._saved))
        del self._undo[:-_MAX_UNDO]
        self._redo.clear()
        return True


# --- comparing two versions ------------------------------------------------------------------------


def _show(value: Any) -> str:
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def _project_field(project: Project, key: str) -> Any:
    return getattr(project.goal if key in GOAL_TEXT_FIELDS else project, key)


def differences(mine: Project, theirs: Project) -> list[tuple[str, str, str]]:
    """Where two versions of a project differ: (what, my text, their text), fields then rows."""
    result: list[tuple[str, str, str]] = []
    for key, name in PROJECT_FIELD_LABELS.items():
        a = _project_field(mine, key)
        b = _project_field(theirs, key)
        if a != b:
            result.append((name, _show(a), _show(b)))
    rows = max(len(mine.goal.indicators), len(theirs.goal.indicators))
    for index in range(rows):
        a_row = mine.goal.indicators[index] if index < len(mine.goal.indicators) else None
        b_row = theirs.goal.indicators[index] if index < len(theirs.goal.indicators) else None
        if a_row is None or b_row is None:
            present = a_row or b_row
            assert present is not None
            text = " / ".join(cell_text(present, f) for f in used_fields([present]) if cell_text(present, f))
            result.append(
                (f"第 {index + 1} 行", text if a_row else "（无此行）", text if b_row else "（无此行）")
            )
            continue
        for field in used_fields([a_row, b_row]):
            if value_of(a_row, field) != value_of(b_row, field):
                result.append(
                    (
                        f"第 {index + 1} 行 {label(field)}",
                        cell_text(a_row, field),
                        cell_text(b_row, field),
                    )
                )
    return result
