"""Three-way merge of a project and its goal table, cell by cell.

When a user saves a project someone else saved meanwhile, three versions exist: **base** (the revision
the user started from), **mine** (the user's draft) and **theirs** (the newer saved version).  A cell
changed on one side only takes that side's value without a question; a cell both sides changed to
different values is a :class:`Conflict` offering 我的 / 他人的 / 合并前.  Nothing here touches Textual
or the database: :mod:`perfgoals.storage.merging` saves, :mod:`perfgoals.tui.screens.merge` asks.

API
---
- :func:`merge_projects` ``(base, mine, theirs) -> MergeResult``.
- :class:`MergeResult`: ``project`` (the merge with every conflict answered 我的), ``conflicts``,
  ``clean`` (no conflict), ``taken_from_theirs`` (what came in silently, for a status line),
  ``resolve(choices) -> Project`` (``choices``: conflict index → :class:`Side`; missing ones are 我的).
  The merged project carries ``theirs``' id and revision: it is saved over ``theirs``.
- :class:`Conflict`: ``row`` (1-based row of the merged table, ``None`` for a project field),
  ``column`` (an :class:`~perfgoals.models.Indicator` field, ``extra:表头`` for a column kept in
  ``Indicator.extra``, a key of :data:`PROJECT_CELLS`, or :data:`WHOLE_ROW`), ``row_label`` / ``column_label`` and ``text(side)`` for display, ``value(side)``.
- :class:`Draft` ``(base, mine)``: what an editor must keep for each open project **and in every undo
  step**.  The revision a save is checked against is always ``draft.base.goal.revision``, never a
  revision tracked beside the draft: so undoing past a merge also undoes its new base, and the next
  save conflicts again instead of overwriting what was merged in.
- :func:`same_content`, :func:`describe_changes`: whether and where two versions differ.

Cells
-----
A project's cells are its fields, with the fields that only mean something together merged as one
cell: 功能分类科目 (line code + whether the link is confirmed), 资金来源 (source + its note) and
年度资金 (amount + unit + where it came from; mixing one side's amount with the other's unit would
invent a figure); every other field of the project and of its goal table (the layout it came in, its
footers …) is a cell of its own, so a field added to the models later is merged too, never dropped.
Each indicator field of a row is a cell, and so is each extra column (``Indicator.extra``).  Decimals compare by their text, so
``5`` and ``5.0`` differ as they do on screen.

Row identity (indicator rows have no ids)
-----------------------------------------
Each side's rows are matched to base rows on their own:

1. rows identical to a base row are matched as the longest common subsequence (:mod:`difflib`);
2. between two such anchors, the unmatched rows are paired in order: first rows that share more than
   half of their non-empty cells (maximising the cells shared), then, between those pairs, stretches
   with as many rows on both sides one for one by position (rows edited in place);
3. rows still unmatched on both sides that share more than half of their cells are a move (best pairs
   first); every other side row is new, every other base row was deleted.

The merged order follows the side that reordered the rows both kept (mine when both did, or neither);
rows only one side kept and new rows go after the row that precedes them on their side; at one place
my new rows come before theirs, and a row both sides added identically is kept once.

Limits: a row rewritten in every cell is a deletion plus an insertion unless it stays in place; when
both sides reorder rows differently my order wins without a question; a row one side deleted and the
other edited is a whole-row conflict (:data:`WHOLE_ROW`) rather than per-cell ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from enum import Enum, StrEnum
from typing import Any

from pydantic import BaseModel

from perfgoals.models import AmountSource, GoalTable, Indicator, Project
from perfgoals.workflow.comments import merge_comments, merge_reviews


class Side(StrEnum):
    MINE = "mine"
    THEIRS = "theirs"
    BASE = "base"

    @property
    def label(self) -> str:
        return SIDE_LABELS[self]


SIDE_LABELS: dict[Side, str] = {Side.MINE: "我的", Side.THEIRS: "他人的", Side.BASE: "合并前"}

#: The ``column`` of a conflict about a whole row (deleted on one side, edited on the other).
WHOLE_ROW = ""

#: A row's cells named ``extra:表头`` are the columns kept in :attr:`Indicator.extra`, one cell each.
EXTRA_PREFIX = "extra:"

#: Every indicator field but ``extra``, each one a cell, in model order.
INDICATOR_FIELDS: tuple[str, ...] = tuple(name for name in Indicator.model_fields if name != "extra")
_HAS_EXTRA = "extra" in Indicator.model_fields


def _short_label(name: str, description: str | None) -> str:
    """A field's Chinese name from its description (``项目属性（新增/延续 …），原文照录`` → ``项目属性``)."""
    text = re.sub(r"（[^）]*）|\([^)]*\)", "", description or name)
    for stop in ("，", "：", ","):
        text = text.split(stop)[0]
    return text.strip() or name


INDICATOR_LABELS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "指标描述",
    "value": "指标值",
    "basis": "确定依据",
    "mid_term_value": "实施期指标值",
    "weight": "权重",
    "direction": "指标方向",
    "unit": "度量单位",
    "reference_value": "上年指标值",
    "reference_actual": "上年实际完成值",
    "method": "计算方法",
}
for _name in INDICATOR_FIELDS:  # fields added to the model later get a name from their description
    INDICATOR_LABELS.setdefault(_name, _short_label(_name, Indicator.model_fields[_name].description))


def column_label(column: str) -> str:
    """A row cell's Chinese name: ``指标值``, or the header of an extra column as written."""
    if column.startswith(EXTRA_PREFIX):
        return column.removeprefix(EXTRA_PREFIX)
    return INDICATOR_LABELS.get(column, column)


@dataclass(frozen=True, slots=True)
class ProjectCell:
    """One cell of the project's own data: ``fields`` are attribute paths (``goal.goal_text``)."""

    key: str
    label: str
    fields: tuple[str, ...]


_NAMED_CELLS: tuple[ProjectCell, ...] = (
    ProjectCell("name", "项目名称", ("name",)),
    ProjectCell("code", "项目编码", ("code",)),
    ProjectCell("budget_line", "功能分类科目", ("budget_line_code", "line_link")),
    ProjectCell("fund_source", "资金来源", ("fund_source", "fund_source_detail")),
    ProjectCell("amount", "年度资金", ("budget_amount", "amount_unit", "amount_source")),
    ProjectCell("owner", "负责人", ("owner",)),
    ProjectCell("implementing_unit", "实施单位", ("implementing_unit",)),
    ProjectCell("status", "状态", ("status",)),
    ProjectCell("notes", "备注", ("notes",)),
    ProjectCell("goal_text", "绩效目标", ("goal.goal_text",)),
    ProjectCell("mid_term_goal_text", "实施期目标", ("goal.mid_term_goal_text",)),
    ProjectCell("extra", "其他项目信息", ("extra",)),
)


_MODEL_PATHS = set(Project.model_fields) | {f"goal.{name}" for name in GoalTable.model_fields}


def _other_cells() -> tuple[ProjectCell, ...]:
    """Every other field of a project and of its goal table, one cell each (named from its description)."""
    covered = {path for cell in _NAMED_CELLS for path in cell.fields}
    cells = []
    for prefix, model, skip in (
        ("", Project, {"id", "goal", "acceptances"}),
        ("goal.", GoalTable, {"indicators", "revision"}),
    ):
        for name, info in model.model_fields.items():
            path = prefix + name
            if name in skip or path in covered:
                continue
            cells.append(ProjectCell(path.replace(".", "_"), _short_label(name, info.description), (path,)))
    return tuple(cells)


#: The project's own cells: the named ones above (those the models have), then every other field of the
#: project and its goal table (``id``, ``acceptances`` and the revision are not data a user merges:
#: acceptances are stored apart, the revision is the saved version's).
PROJECT_CELLS: tuple[ProjectCell, ...] = tuple(
    cell for cell in _NAMED_CELLS if all(path in _MODEL_PATHS for path in cell.fields)
) + _other_cells()
_CELLS_BY_KEY = {cell.key: cell for cell in PROJECT_CELLS}

#: Project cells merged as lists rather than as one value: the review's comments (by number, replies
#: united) and its transitions (united in time order), so that a merge never loses one.
_LIST_MERGES: dict[str, Callable[[Any, Any, Any], list[Any]]] = {
    "comments": merge_comments,
    "reviews": merge_reviews,
}

#: Rows sharing more than this share of their non-empty cells are the same row (edited or moved).
SAME_ROW = 0.5

RowKey = tuple[Any, ...]


# --- comparing values -------------------------------------------------------------------------------


def _field(model: BaseModel, name: str) -> Any:
    """``model.name``, or the field's default when the model was built without it (the repository
    builds models from complete rows without validation; a field added later may not be there yet)."""
    try:
        return getattr(model, name)
    except AttributeError:
        return type(model).model_fields[name].get_default(call_default_factory=True)


def _key(value: Any) -> Any:
    """What equality means for a cell, as a hashable value: decimals by their text, enums by their
    value, lists, dicts and models by their contents."""
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return tuple(_key(part) for part in value)
    if isinstance(value, dict):
        return ("dict", tuple((key, _key(part)) for key, part in value.items()))
    if isinstance(value, BaseModel):
        return (type(value).__name__, tuple((name, _key(_field(value, name))) for name in type(value).model_fields))
    return value


def _same(a: Any, b: Any) -> bool:
    return bool(_key(a) == _key(b))


def _row_key(row: Indicator) -> RowKey:
    key = tuple(_key(_field(row, name)) for name in INDICATOR_FIELDS)
    if _HAS_EXTRA:
        key += (_key(dict(sorted(_extra(row).items()))),)
    return key


def _extra(row: Indicator) -> dict[str, Any]:
    return dict(_field(row, "extra") or {}) if _HAS_EXTRA else {}


def row_cells(*rows: Indicator) -> list[str]:
    """The cells of these rows: every field, then each extra column any of them has (``extra:表头``)."""
    headers = dict.fromkeys(header for row in rows for header in _extra(row))
    return list(INDICATOR_FIELDS) + [EXTRA_PREFIX + header for header in headers]


def row_value(row: Indicator, cell: str) -> Any:
    """One cell of a row (an extra column the row does not have is ``None``)."""
    if cell.startswith(EXTRA_PREFIX):
        return _extra(row).get(cell.removeprefix(EXTRA_PREFIX))
    return _field(row, cell)


def _with_cells(row: Indicator, values: Mapping[str, Any]) -> Indicator:
    update = {cell: value for cell, value in values.items() if not cell.startswith(EXTRA_PREFIX)}
    extras = {cell.removeprefix(EXTRA_PREFIX): value for cell, value in values.items() if cell.startswith(EXTRA_PREFIX)}
    if extras:
        extra = _extra(row)
        for header, value in extras.items():
            if value is None:
                extra.pop(header, None)
            else:
                extra[header] = value
        update["extra"] = extra
    return row.model_copy(update=update) if update else row


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _similarity(a: RowKey, b: RowKey) -> float:
    compared = equal = 0
    for x, y in zip(a, b, strict=True):
        if _blank(x) and _blank(y):
            continue
        compared += 1
        equal += x == y
    return 1.0 if compared == 0 else equal / compared


def _get(project: Project, path: str) -> Any:
    target: Any = project
    for part in path.split("."):
        target = _field(target, part)
    return target


def _cell_value(project: Project, cell: ProjectCell) -> tuple[Any, ...]:
    return tuple(_get(project, path) for path in cell.fields)


# --- showing values -----------------------------------------------------------------------------------


def _part_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return "、".join(text for text in (_part_text(part) for part in value) if text)
    if isinstance(value, dict):
        return "；".join(f"{key}：{_part_text(part)}" for key, part in value.items())
    if isinstance(value, BaseModel):
        parts = (_part_text(_field(value, name)) for name in type(value).model_fields)
        return " / ".join(part for part in parts if part)
    return str(value)


def row_text(row: Indicator) -> str:
    """A row in one line: its levels and value (``产出指标 / 数量指标 / 培训班次 / ≥20次``)."""
    parts = [row.level1, row.level2, row.level3, row.value]
    return " / ".join(part for part in parts if part) or "（空行）"


def cell_text(column: str, value: Any) -> str:
    """A cell's value as the conflict dialog shows it."""
    if column == WHOLE_ROW:
        return "（已删除）" if value is None else row_text(value)
    cell = _CELLS_BY_KEY.get(column)
    if cell is not None and isinstance(value, tuple):
        if cell.key == "amount":
            amount, unit, source = value
            if amount is None:
                return "（空）"
            inferred = "" if source is None or AmountSource(source) is AmountSource.ENTERED else "（推断）"
            return f"{amount} {unit}{inferred}"
        if cell.key == "budget_line":
            code, link = value
            if not code:
                return "（空）"
            return f"{code}（{'已确认' if _part_text(link) == 'confirmed' else '待确认'}）"
        text = " ".join(part for part in (_part_text(v) for v in value) if part)
        return text or "（空）"
    return _part_text(value) or "（空）"


# --- the result -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Conflict:
    """A cell both sides changed to different values."""

    index: int
    row: int | None
    column: str
    row_label: str
    column_label: str
    base: Any
    mine: Any
    theirs: Any

    def value(self, side: Side) -> Any:
        return {Side.MINE: self.mine, Side.THEIRS: self.theirs, Side.BASE: self.base}[side]

    def text(self, side: Side) -> str:
        return cell_text(self.column, self.value(side))

    @property
    def label(self) -> str:
        return f"{self.row_label} {self.column_label}"


@dataclass(frozen=True, slots=True)
class _Fixed:
    row: Indicator


@dataclass(frozen=True, slots=True)
class _Cells:
    row: Indicator  # the merged row with every conflict as mine
    conflicts: tuple[tuple[str, int], ...]  # (field, conflict index)


@dataclass(frozen=True, slots=True)
class _Pending:
    conflict: int  # a whole-row conflict: the row or None (deleted)


_Slot = _Fixed | _Cells | _Pending


@dataclass(frozen=True)
class MergeResult:
    """The merge of ``mine`` and ``theirs`` over ``base``: see the module docstring."""

    base: Project
    mine: Project
    theirs: Project
    conflicts: tuple[Conflict, ...]
    taken_from_theirs: tuple[str, ...]
    _fields: dict[str, Any] = field(repr=False)  # project cell key → merged value (conflicts as mine)
    _field_conflicts: dict[str, int] = field(repr=False)
    _slots: tuple[_Slot, ...] = field(repr=False)

    @property
    def clean(self) -> bool:
        return not self.conflicts

    @property
    def project(self) -> Project:
        """The merged project with every conflict answered 我的."""
        return self.resolve({})

    def resolve(self, choices: Mapping[int, Side]) -> Project:
        """The merged project with each conflict answered by ``choices`` (index → side; default 我的)."""
        unknown = set(choices) - {conflict.index for conflict in self.conflicts}
        if unknown:
            raise ValueError(f"no such conflicts: {sorted(unknown)}")

        def chosen(index: int) -> Any:
            return self.conflicts[index].value(choices.get(index, Side.MINE))

        values = dict(self._fields)
        for key, index in self._field_conflicts.items():
            values[key] = chosen(index)
        rows: list[Indicator] = []
        for slot in self._slots:
            if isinstance(slot, _Fixed):
                rows.append(slot.row)
            elif isinstance(slot, _Cells):
                rows.append(_with_cells(slot.row, {name: chosen(i) for name, i in slot.conflicts}))
            else:
                row = chosen(slot.conflict)
                if row is not None:
                    rows.append(row)
        return _build_project(self.theirs, values, rows)


def _build_project(template: Project, values: Mapping[str, tuple[Any, ...]], rows: list[Indicator]) -> Project:
    project_update: dict[str, Any] = {}
    goal_update: dict[str, Any] = {"indicators": rows}
    for cell in PROJECT_CELLS:
        for path, value in zip(cell.fields, values[cell.key], strict=True):
            if path.startswith("goal."):
                goal_update[path.removeprefix("goal.")] = value
            else:
                project_update[path] = value
    return template.model_copy(update={**project_update, "goal": template.goal.model_copy(update=goal_update)})


# --- matching rows ----------------------------------------------------------------------------------


def _pair_in_order(base: Sequence[RowKey], side: Sequence[RowKey]) -> list[tuple[int, int]]:
    """Monotonic pairs (base index, side index) of rows alike enough, sharing the most cells."""
    n, m = len(base), len(side)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            similarity = _similarity(base[i], side[j])
            if similarity > SAME_ROW:
                best = max(best, similarity + score[i + 1][j + 1])
            score[i][j] = best
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        similarity = _similarity(base[i], side[j])
        if similarity > SAME_ROW and score[i][j] == similarity + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def match_rows(base: Sequence[Indicator], side: Sequence[Indicator]) -> list[int | None]:
    """For each row of ``side``, the index of the base row it continues, or ``None`` for a new row."""
    base_keys = [_row_key(row) for row in base]
    side_keys = [_row_key(row) for row in side]
    matched: list[int | None] = [None] * len(side_keys)
    matcher = SequenceMatcher(None, base_keys, side_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                matched[j1 + offset] = i1 + offset
        elif tag == "replace":
            # Rows alike enough first; then, between those pairs, stretches of as many rows on both
            # sides are rows edited in place.
            pairs = _pair_in_order(base_keys[i1:i2], side_keys[j1:j2])
            previous = (-1, -1)
            for i, j in [*pairs, (i2 - i1, j2 - j1)]:
                gap_base, gap_side = i - previous[0] - 1, j - previous[1] - 1
                if gap_base == gap_side:
                    for offset in range(gap_base):
                        matched[j1 + previous[1] + 1 + offset] = i1 + previous[0] + 1 + offset
                if (i, j) != (i2 - i1, j2 - j1):
                    matched[j1 + j] = i1 + i
                previous = (i, j)
    used = {i for i in matched if i is not None}
    free_base = [i for i in range(len(base_keys)) if i not in used]
    free_side = [j for j, i in enumerate(matched) if i is None]
    candidates = sorted(
        (-similarity, i, j)
        for i in free_base
        for j in free_side
        if (similarity := _similarity(base_keys[i], side_keys[j])) > SAME_ROW
    )
    for _, i, j in candidates:
        if i not in used and matched[j] is None:
            matched[j] = i
            used.add(i)
    return matched


# --- merging ----------------------------------------------------------------------------------------

_START = -1


@dataclass
class _SideRows:
    rows: list[Indicator]
    matched: list[int | None]
    at: dict[int, int]  # base index → side index

    @classmethod
    def of(cls, base: Sequence[Indicator], rows: list[Indicator]) -> _SideRows:
        matched = match_rows(base, rows)
        return cls(rows, matched, {i: j for j, i in enumerate(matched) if i is not None})

    def identities(self) -> list[int]:
        """The base rows this side kept, in this side's order."""
        return [i for i in self.matched if i is not None]

    def new_rows(self) -> dict[int, list[int]]:
        """This side's new rows, grouped by the base row before them (:data:`_START` for none)."""
        groups: dict[int, list[int]] = {}
        anchor = _START
        for j, i in enumerate(self.matched):
            if i is None:
                groups.setdefault(anchor, []).append(j)
            else:
                anchor = i
        return groups


def _identity_order(n: int, primary: _SideRows, secondary: _SideRows) -> list[int]:
    """Every base row in merged order: the primary side's order, the rows it dropped put back after
    the row before them on the secondary side (or in the base)."""
    order = primary.identities()
    placed = set(order)
    secondary_order = secondary.identities()
    for d in range(n):
        if d in placed:
            continue
        before = secondary_order[: secondary_order.index(d)] if d in secondary.at else list(range(d))
        predecessor = next((i for i in reversed(before) if i in placed), None)
        position = 0 if predecessor is None else order.index(predecessor) + 1
        order.insert(position, d)
        placed.add(d)
    return order


def merge_projects(base: Project, mine: Project, theirs: Project) -> MergeResult:
    """Merge ``mine`` and ``theirs`` over ``base``, cell by cell (see the module docstring)."""
    conflicts: list[Conflict] = []
    taken: list[str] = []

    # The project's own cells.
    fields: dict[str, Any] = {}
    field_conflicts: dict[str, int] = {}
    for cell in PROJECT_CELLS:
        b, m, t = (_cell_value(p, cell) for p in (base, mine, theirs))
        if cell.key in _LIST_MERGES and not _same(m, t):  # the review's comments and transitions: never lost
            fields[cell.key] = (_LIST_MERGES[cell.key](b[0], m[0], t[0]),)
            if not _same(fields[cell.key], m):
                taken.append(cell.label)
            continue
        if _same(m, t) or _same(t, b):
            fields[cell.key] = m
        elif _same(m, b):
            fields[cell.key] = t
            taken.append(cell.label)
        else:
            fields[cell.key] = m
            field_conflicts[cell.key] = len(conflicts)
            conflicts.append(Conflict(len(conflicts), None, cell.key, "项目信息", cell.label, b, m, t))

    # The rows: who kept which base row, and in which order.
    base_rows = list(base.goal.indicators)
    n = len(base_rows)
    my_rows = _SideRows.of(base_rows, list(mine.goal.indicators))
    their_rows = _SideRows.of(base_rows, list(theirs.goal.indicators))
    common = [i for i in range(n) if i in my_rows.at and i in their_rows.at]
    reordered_by_me = sorted(common, key=my_rows.at.__getitem__) != common
    reordered_by_them = sorted(common, key=their_rows.at.__getitem__) != common
    if reordered_by_them and not reordered_by_me:
        order = _identity_order(n, their_rows, my_rows)
    else:
        order = _identity_order(n, my_rows, their_rows)
    my_new, their_new = my_rows.new_rows(), their_rows.new_rows()

    # Each slot's content; conflicts are numbered in slot order, after the project's own.
    plan: list[tuple[str, Any]] = []

    def add_new_rows(anchor: int) -> None:
        mine_added = [my_rows.rows[j] for j in my_new.get(anchor, [])]
        plan.extend(("mine-new", row) for row in mine_added)
        unmatched = [_row_key(row) for row in mine_added]
        for j in their_new.get(anchor, []):
            row = theirs.goal.indicators[j]
            key = _row_key(row)
            if key in unmatched:  # both added the same row here: keep it once
                unmatched.remove(key)
                continue
            plan.append(("theirs-new", row))

    add_new_rows(_START)
    for i in order:
        plan.append(("base", i))
        add_new_rows(i)

    slots: list[_Slot] = []
    for kind, item in plan:
        number = len(slots) + 1
        if kind == "mine-new":
            slots.append(_Fixed(item))
            continue
        if kind == "theirs-new":
            slots.append(_Fixed(item))
            taken.append(f"第 {number} 行（新增）")
            continue
        i = item
        b_row = base_rows[i]
        m_row = my_rows.rows[my_rows.at[i]] if i in my_rows.at else None
        t_row = their_rows.rows[their_rows.at[i]] if i in their_rows.at else None
        label = f"第 {number} 行" + (f"（{b_row.level3}）" if b_row.level3 else "")
        if m_row is None and t_row is None:
            continue
        if m_row is None or t_row is None:
            kept = m_row if m_row is not None else t_row
            assert kept is not None
            if _row_key(kept) == _row_key(b_row):  # deleted on one side, untouched on the other
                if m_row is None:
                    continue
                taken.append(f"{label}（删除）")
                continue
            conflicts.append(Conflict(len(conflicts), number, WHOLE_ROW, label, "整行", b_row, m_row, t_row))
            slots.append(_Pending(len(conflicts) - 1))
            continue
        update: dict[str, Any] = {}
        row_conflicts: list[tuple[str, int]] = []
        for name in row_cells(b_row, m_row, t_row):
            b, m, t = row_value(b_row, name), row_value(m_row, name), row_value(t_row, name)
            if _same(m, t) or _same(t, b):
                continue
            if _same(m, b):
                update[name] = t
                taken.append(f"{label} {column_label(name)}")
                continue
            row_conflicts.append((name, len(conflicts)))
            conflicts.append(Conflict(len(conflicts), number, name, label, column_label(name), b, m, t))
        slots.append(_Cells(_with_cells(m_row, update), tuple(row_conflicts)))

    return MergeResult(
        base=base,
        mine=mine,
        theirs=theirs,
        conflicts=tuple(conflicts),
        taken_from_theirs=tuple(taken),
        _fields=fields,
        _field_conflicts=field_conflicts,
        _slots=tuple(slots),
    )


# --- drafts and differences ---------------------------------------------------------------------------


def same_content(a: Project, b: Project) -> bool:
    """Whether two versions hold the same cells (ids, revisions and acceptances aside)."""
    return all(_same(_cell_value(a, cell), _cell_value(b, cell)) for cell in PROJECT_CELLS) and [
        _row_key(row) for row in a.goal.indicators
    ] == [_row_key(row) for row in b.goal.indicators]


def describe_changes(base: Project, other: Project) -> list[str]:
    """Where ``other`` differs from ``base``, one short Chinese label each (for lists and dialogs)."""
    changes = [
        cell.label for cell in PROJECT_CELLS if not _same(_cell_value(base, cell), _cell_value(other, cell))
    ]
    matched = match_rows(base.goal.indicators, other.goal.indicators)
    for j, i in enumerate(matched):
        row = other.goal.indicators[j]
        if i is None:
            changes.append(f"第 {j + 1} 行（新增）")
            continue
        before = base.goal.indicators[i]
        changes.extend(
            f"第 {j + 1} 行 {column_label(name)}"
            for name in row_cells(before, row)
            if not _same(row_value(before, name), row_value(row, name))
        )
    kept = {i for i in matched if i is not None}
    changes.extend(f"原第 {i + 1} 行（删除）" for i in range(len(base.goal.indicators)) if i not in kept)
    return changes


@dataclass(frozen=True, slots=True)
class Draft:
    """A project being edited: the saved version it started from (``base``) and the edits (``mine``).

    Keep one per open project and one in every undo step: a save is checked against
    ``base.goal.revision`` (see the module docstring).
    """

    base: Project
    mine: Project

    @property
    def project_id(self) -> int | None:
        return self.base.id

    @property
    def revision(self) -> int:
        """The revision a save of this draft is checked against."""
        return self.base.goal.revision

    @property
    def dirty(self) -> bool:
        return not same_content(self.base, self.mine)

    def edited(self, mine: Project) -> Draft:
        """The same base with new edits."""
        return Draft(self.base, mine)

    @classmethod
    def saved(cls, project: Project) -> Draft:
        """A clean draft of a project as saved (or loaded)."""
        return cls(project, project)
