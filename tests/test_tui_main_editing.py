"""The editing model of the main screen: undo/redo, row operations and TSV copy/paste."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfgoals.models import GoalTable, Indicator, LinkStatus, Project
from perfgoals.tui.editing import (
    GRID_FIELDS,
    CellRange,
    ProjectDraft,
    differences,
    format_tsv,
    parse_tsv,
)


def _project() -> Project:
    return Project(
        id=7,
        name="科普活动",
        budget_amount=Decimal("21.87"),
        goal=GoalTable(
            goal_text="开展科普活动",
            revision=3,
            indicators=[
                Indicator(level1="产出指标", level2="数量指标", level3="活动场次", value="≥10场"),
                Indicator(level1="产出指标", level2="成本指标", level3="预算总成本", value="≤21.87万元"),
                Indicator(
                    level1="满意度指标", level2="服务对象满意度指标", level3="群众满意度", value="≥90%"
                ),
            ],
        ),
    )


def test_set_cell_marks_dirty_and_undo_restores_clean() -> None:
    draft = ProjectDraft(_project())
    assert not draft.dirty
    assert draft.set_cell(0, "value", "≥12场")
    assert draft.dirty and draft.cell(0, "value") == "≥12场"
    assert not draft.set_cell(0, "value", "≥12场")  # the same text is no change
    step = draft.undo()
    assert step is not None and step.place.row == 0 and step.place.field == "value"
    assert draft.cell(0, "value") == "≥10场" and not draft.dirty
    assert draft.redo() is not None
    assert draft.cell(0, "value") == "≥12场"
    assert draft.undo() is not None and draft.undo() is None


def test_new_edit_clears_redo() -> None:
    draft = ProjectDraft(_project())
    draft.set_cell(1, "basis", "预算文本")
    draft.undo()
    draft.set_cell(2, "basis", "满意度调查")
    assert draft.redo() is None
    assert draft.cell(1, "basis") == "" and draft.cell(2, "basis") == "满意度调查"


def test_row_operations() -> None:
    draft = ProjectDraft(_project())
    at = draft.insert_row(1)
    assert at == 1 and len(draft.indicators) == 4
    # A new row takes the 一级/二级 of the row above, so a user types only the 三级 and value.
    assert (draft.indicators[1].level1, draft.indicators[1].level2) == ("产出指标", "数量指标")
    assert draft.indicators[1].level3 == ""
    first_copy = draft.duplicate_rows(2, 2)
    assert first_copy == 3 and draft.indicators[3].level3 == "预算总成本"
    assert draft.indicators[3] is not draft.indicators[2]
    assert draft.move_rows(3, 3, -3) == 0
    assert draft.indicators[0].level3 == "预算总成本"
    assert draft.move_rows(0, 0, -1) == 0  # already at the top: nothing recorded
    assert draft.delete_rows(0, 1)
    assert [i.level3 for i in draft.indicators] == ["", "预算总成本", "群众满意度"]
    for _ in range(4):
        assert draft.undo() is not None
    assert [i.level3 for i in draft.indicators] == ["活动场次", "预算总成本", "群众满意度"]
    assert not draft.dirty


def test_save_keeps_later_edits_dirty_and_revision_is_bookkeeping() -> None:
    draft = ProjectDraft(_project())
    draft.set_cell(0, "value", "≥11场")
    saved = draft.project.model_copy(deep=True)
    saved.goal.revision = 4
    draft.mark_saved(saved)
    assert not draft.dirty and draft.revision == 4
    draft.undo()
    assert draft.dirty and draft.project.goal.revision == 4


def test_set_fields_and_goal_text() -> None:
    draft = ProjectDraft(_project())
    assert draft.set_fields({"budget_line_code": "2060702", "line_link": LinkStatus.CONFIRMED})
    assert draft.set_fields({"goal_text": "新的目标"}, label="修改绩效目标")
    assert draft.project.goal.goal_text == "新的目标"
    assert not draft.set_fields({"goal_text": "新的目标"})
    with pytest.raises(ValueError):
        draft.set_fields({"nonsense": 1})
    draft.undo()
    draft.undo()
    assert draft.project.budget_line_code is None and not draft.dirty


def test_tsv_round_trip_with_quotes_tabs_and_newlines() -> None:
    rows = [["a", "b\tc", 'say "hi"'], ["多行\n文本", "", "≥95%"]]
    text = format_tsv(rows)
    assert parse_tsv(text) == rows
    assert parse_tsv(text + "\r\n") == rows  # Excel's trailing newline is no extra row
    assert parse_tsv("x\ty\r\nz\tw\r\n") == [["x", "y"], ["z", "w"]]
    assert parse_tsv('"unbalanced\tx') == [['"unbalanced', "x"]]
    assert parse_tsv("") == [[""]]


def test_copy_range_and_paste_grows_the_table() -> None:
    draft = ProjectDraft(_project())
    text = draft.copy(CellRange.spanning((0, 2), (1, 4)))
    assert text == "活动场次\t\t≥10场\n预算总成本\t\t≤21.87万元"
    area = draft.paste(2, 2, text)
    assert area == CellRange(2, 2, 3, 4)
    assert len(draft.indicators) == 4
    assert draft.cell(3, "level3") == "预算总成本" and draft.cell(3, "value") == "≤21.87万元"
    assert draft.cell(2, "level1") == "满意度指标"  # cells left of the paste untouched
    draft.undo()
    assert len(draft.indicators) == 3 and draft.cell(2, "level3") == "群众满意度"


def test_paste_drops_columns_past_the_last_and_fills_selection_with_one_value() -> None:
    draft = ProjectDraft(_project())
    draft.paste(0, len(GRID_FIELDS) - 1, "依据A\t多余\t多余")
    assert draft.cell(0, "basis") == "依据A"
    draft.paste(0, 5, "计划标准", selection=CellRange(0, 5, 2, 5))
    assert [draft.cell(r, "basis") for r in range(3)] == ["计划标准"] * 3
    assert draft.paste(0, 5, "计划标准") is None  # same text: nothing recorded
    draft.undo()
    assert draft.cell(0, "basis") == "依据A"


def test_clear_range() -> None:
    draft = ProjectDraft(_project())
    assert draft.clear_range(CellRange(0, 4, 1, 4))
    assert draft.cell(0, "value") == "" and draft.cell(1, "value") == ""
    assert not draft.clear_range(CellRange(0, 4, 1, 4))


def test_differences_lists_fields_and_rows() -> None:
    mine = _project()
    theirs = _project()
    theirs.owner = "李四"
    theirs.goal.indicators[0].value = "≥20场"
    theirs.goal.indicators.append(Indicator(level3="新增"))
    found = differences(mine, theirs)
    assert ("负责人", "", "李四") in found
    assert ("第 1 行 指标值", "≥10场", "≥20场") in found
    assert ("第 4 行", "（无此行）", "新增") in found
