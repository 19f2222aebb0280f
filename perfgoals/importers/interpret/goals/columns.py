"""Which indicator columns fill which field: the header read by its words, never by position.

Every column is kept: a header with no field of its own fills ``extra`` under its header text.  Two
indicator groups side by side (二级 · 三级 · 指标值 for the 实施期, then for the 年度: the 88号 申报表) are
paired (:mod:`.two_groups`); project columns merged down beside the indicators (Sichuan: 单位名称 · 项目名称
· 预算数 · 年度目标) are told apart (:mod:`.sichuan`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perfgoals.importers.goal_layout import IGNORED_FIELDS, JOINED_FIELDS, goal_field
from perfgoals.importers.interpret.cells import grid_width, row_key
from perfgoals.importers.interpret.geometry import labels as header_labels
from perfgoals.importers.interpret.goals import sichuan, two_groups
from perfgoals.importers.interpret.report import Obstacle
from perfgoals.importers.interpret.units import Unit
from perfgoals.importers.source import Row
from perfgoals.models import LayoutColumn

#: The field of a column holding nothing of a row (a row label merged down: 本年度绩效指标, or 序号).
LABEL = "label"
#: The field of a column kept under its header text in ``Indicator.extra``.
EXTRA = "extra"
REQUIRED = (("level1", "一级指标"), ("level2", "二级指标"), ("level3", "三级指标"))


@dataclass(slots=True)
class Group:
    """One field of the indicator part and the grid columns it is read from (a header cell merged over
    several columns is one field)."""

    field: str  # an Indicator attribute, LABEL, EXTRA, or a project column (``project.name`` …)
    columns: list[int]
    header: str  # as written, a two-row header joined with “/”


@dataclass(slots=True)
class ColumnLayout:
    width: int
    header_width: int  # as the header is written; less than ``width`` where a merged 指标值 was widened
    groups: list[Group]
    two_groups: bool = False
    mid_term_first: bool = True  # the 实施期 group stands left of the 年度 one
    notes: list[str] = field(default_factory=list)

    @property
    def project_columns(self) -> list[Group]:
        return [group for group in self.groups if sichuan.is_project_field(group.field)]

    def recorded(self) -> list[LayoutColumn]:
        """The columns as :attr:`GoalTable.columns` records them."""
        return [LayoutColumn(header=group.header, field=group.field, span=len(group.columns)) for group in self.groups]


def column_layout(unit: Unit, header_rows: list[Row], rest: list[Row]) -> ColumnLayout:
    """The indicator columns of a goal table from its header rows (``rest``: the rows below, to tell how
    wide a text extraction's rows are)."""
    width = grid_width(header_rows)
    header_width = width
    paths = header_labels(header_rows, width)
    written = header_labels(header_rows, width, as_written=True)
    if not any(row.spans for row in header_rows):
        # A text extraction shows a 指标值 header merged over its ≥ | 95 | % cells once: the data rows
        # are then wider than the header, and only the value column can account for it.
        header_keys = {row_key(row) for row in header_rows}
        widths = {len(r.cells) for r in rest if not r.is_blank and len(r.cells) > 1 and row_key(r) not in header_keys}
        fields_present = {goal_field(path) for path in paths}
        value_columns = [i for i, path in enumerate(paths) if goal_field(path) == "value"]
        if (
            len(widths) == 1
            and 0 < (extra := next(iter(widths)) - width) <= 2
            and len(value_columns) == 1
            and not {"nature", "unit"} & fields_present
        ):
            column = value_columns[0]
            paths = paths[:column] + [paths[column]] * (extra + 1) + paths[column + 1 :]
            written = written[:column] + [written[column]] * (extra + 1) + written[column + 1 :]
            width += extra
    fields = _fields(paths)
    groups: list[Group] = []
    for index, field_name in enumerate(fields):
        if groups and index and paths[index] == paths[index - 1] and groups[-1].field == field_name:
            groups[-1].columns.append(index)  # one header cell merged over several columns
        else:
            text = "/".join(part for part in written[index] if part) or f"第{index + 1}列"
            groups.append(Group(field_name, [index], text))
    layout = ColumnLayout(width, header_width, groups)
    sichuan.mark_project_columns(layout.groups)
    two_groups.pair(layout)
    _place_duplicates(layout)
    present = {group.field for group in layout.groups}
    for required, label in REQUIRED:
        if required not in present and f"mid_term_{required}" not in present:
            raise Obstacle(f"{unit.name}{header_rows[-1].place}", f"缺少“{label}”列")
    if "value" not in present and "mid_term_value" not in present:
        raise Obstacle(f"{unit.name}{header_rows[-1].place}", "缺少“指标值”列")
    return layout


def _fields(paths: list[tuple[str, ...]]) -> list[str]:
    fields: list[str] = []
    for path in paths:
        found = goal_field(path)
        if found is None or found == "_unmodelled":
            fields.append(EXTRA)
        elif found in IGNORED_FIELDS:
            fields.append(LABEL)
        else:
            fields.append(found)
    return fields


def _place_duplicates(layout: ColumnLayout) -> None:
    """A field a second column also names (and that no pairing explains) is kept under its header."""
    seen: set[str] = set()
    for group in layout.groups:
        if group.field in (LABEL, EXTRA) or group.field in JOINED_FIELDS:
            continue
        if group.field in seen:
            group.field = EXTRA
        seen.add(group.field)
    keys: set[str] = set()
    for group in layout.groups:  # every extra column under a header of its own
        if group.field != EXTRA:
            continue
        key, number = group.header, 2
        while key in keys:
            key, number = f"{group.header}（{number}）", number + 1
        group.header = key
        keys.add(key)
