"""The main screen's state and services without a terminal: the workspace, the typed store, the column
registry, the settings file and the pinyin search."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from perfgoals.columns import (
    EXPORTED_COLUMNS,
    INDICATOR_COLUMNS,
    CellValueError,
    cell_text,
    header_fields,
    parse_cell,
    used_fields,
)
from perfgoals.export.layout import INDICATOR_COLUMNS as EXPORT_COLUMNS
from perfgoals.models import Department, Direction, GoalTable, Indicator, Project
from perfgoals.tui.config import Settings
from perfgoals.tui.editing import GRID_FIELDS, ProjectDraft
from perfgoals.tui.search import initials, matches, score
from perfgoals.tui.services import ProjectGone, SaveConflict, SavedProject, Store
from perfgoals.tui.workspace import Workspace, finding_marks


def _project(project_id: int, name: str, line: str | None = None) -> Project:
    return Project(
        id=project_id,
        name=name,
        budget_line_code=line,
        budget_amount=Decimal("10"),
        goal=GoalTable(
            indicators=[
                Indicator(level1="产出指标", level2="数量指标", level3="活动场次", value="≥10场"),
                Indicator(level1="满意度指标", level2="服务对象满意度指标", level3="群众满意度", value="≥90%"),
            ]
        ),
    )


def _department(department_id: int = 1) -> Department:
    return Department(
        id=department_id,
        code="731",
        name="张家口市科学技术协会",
        year=2022,
        projects=[_project(1, "科普活动", "2060702"), _project(2, "科普经费", "2060702"), _project(3, "馆务", "2060705")],
    )


# --- the workspace -------------------------------------------------------------------------------------


def test_opening_the_same_department_keeps_unsaved_drafts_and_another_drops_them() -> None:
    workspace = Workspace()
    same, kept = workspace.open(_department(), keep_drafts=True)
    assert not same and kept == []
    workspace.current_id = 2
    workspace.drafts[2].set_cell(0, "value", "≥12场")
    same, kept = workspace.open(_department(), keep_drafts=True)
    assert same and kept == [2] and workspace.drafts[2].cell(0, "value") == "≥12场" and workspace.current_id == 2
    assert workspace.dirty_ids() == {2}
    same, kept = workspace.open(_department(9), keep_drafts=True)
    assert not same and kept == [] and workspace.current_id is None and not workspace.dirty_drafts()


def test_changes_are_told_to_listeners_and_saves_update_the_department() -> None:
    workspace = Workspace()
    workspace.open(_department(), keep_drafts=False)
    heard: list[int] = []
    workspace.on_change.append(heard.append)
    workspace.drafts[1].set_cell(0, "basis", "计划标准")
    workspace.changed(1)
    saved = workspace.drafts[1].project.model_copy(deep=True)
    saved.goal.revision = 2
    workspace.mark_saved(1, saved)
    assert heard == [1, 1] and not workspace.drafts[1].dirty
    assert workspace.department is not None and workspace.department.projects[0].goal.revision == 2


def test_a_colleagues_save_refreshes_a_clean_draft_and_never_an_edited_one() -> None:
    workspace = Workspace()
    workspace.open(_department(), keep_drafts=False)
    theirs = _project(1, "科普活动（改）", "2060702")
    assert workspace.refresh_project(theirs)
    assert workspace.drafts[1].project.name == "科普活动（改）" and not workspace.drafts[1].dirty
    workspace.drafts[2].set_cell(0, "value", "我的")
    assert not workspace.refresh_project(_project(2, "别人的"))
    assert workspace.drafts[2].cell(0, "value") == "我的"


def test_line_mates_are_the_projects_of_the_lines_left_and_joined() -> None:
    workspace = Workspace()
    workspace.open(_department(), keep_drafts=False)
    assert workspace.line_mates(1) == []
    workspace.drafts[1].set_fields({"budget_line_code": "2060705"})
    assert sorted(workspace.line_mates(1)) == [2, 3]
    assert workspace.line_mates(1) == []  # nothing changed since


def test_pickers_offer_the_framework_and_the_directions() -> None:
    workspace = Workspace()
    workspace.open(_department(), keep_drafts=False)
    workspace.current_id = 1
    level1 = workspace.choices(0, "level1")
    assert level1 is not None and [c.label for c in level1] == ["产出指标", "效益指标", "满意度指标"]
    level2 = workspace.choices(1, "level2")
    assert level2 is not None and [c.label for c in level2] == ["服务对象满意度指标"]
    workspace.drafts[1].set_cell(0, "level1", "不存在")
    pairs = workspace.choices(0, "level2")
    assert pairs is not None and dict(pairs[0].changes).keys() == {"level1", "level2"}
    direction = workspace.choices(0, "direction")
    assert direction is not None and [c.label for c in direction] == ["正向", "反向"]
    assert workspace.choices(0, "level3") is None
    assert workspace.suggestions()[:1] in (["活动场次"], ["群众满意度"])


def test_a_finding_on_a_hidden_column_is_marked_on_the_row() -> None:
    class Location:
        def __init__(self, row: int, field: str) -> None:
            self.row, self.field = row, field

    class Found:
        accepted = False
        severity = "error"

        def __init__(self, row: int, field: str) -> None:
            self.location = Location(row, field)

    marks = finding_marks([Found(1, "weight"), Found(2, "value")], shown=GRID_FIELDS)  # type: ignore[list-item]
    assert marks == {(0, "level3"): "✗", (1, "value"): "✗"}


# --- the base an edit is checked against travels with undo and redo ------------------------------------


def _revision(project: Project, revision: int, value: str) -> Project:
    copy = project.model_copy(deep=True)
    copy.goal.revision = revision
    copy.goal.indicators[0].value = value
    return copy


def test_undo_past_a_merge_or_a_taken_version_brings_the_older_base_back() -> None:
    base = _revision(_project(1, "甲"), 1, "≥10次")
    base.goal.indicators.append(Indicator(level3="二", value="x"))
    draft = ProjectDraft(base)
    draft.set_cell(0, "value", "≥20次")
    theirs = _revision(base, 2, "≥30次")
    draft.rebase(theirs, theirs, "采用已保存的版本")
    assert (draft.revision, draft.cell(0, "value"), draft.dirty) == (2, "≥30次", False)
    draft.undo()
    assert (draft.revision, draft.cell(0, "value"), draft.dirty) == (1, "≥20次", True)  # saving it merges again
    draft.redo()
    assert (draft.revision, draft.cell(0, "value")) == (2, "≥30次")
    # A save that merged a colleague's cell: the draft takes it, one undo step back to the old base.
    draft.set_cell(1, "value", "y")
    sent = draft.project.model_copy(deep=True)
    merged = _revision(sent, 4, "≥30次")
    merged.notes = "他人的备注"
    draft.mark_saved(merged, sent=sent, merged=True)
    assert (draft.revision, draft.project.notes, draft.dirty) == (4, "他人的备注", False)
    draft.undo()
    assert (draft.revision, draft.project.notes, draft.dirty) == (2, "", True)


def test_undo_after_ones_own_save_saves_the_undo() -> None:
    base = _revision(_project(1, "甲"), 1, "≥10次")
    draft = ProjectDraft(base)
    draft.set_cell(0, "value", "≥20次")
    draft.mark_saved(_revision(base, 2, "≥20次"))
    assert not draft.dirty
    draft.undo()
    # Over the version just saved (revision 2), not the one before it: saving writes the undo.
    assert (draft.revision, draft.cell(0, "value"), draft.dirty) == (2, "≥10次", True)


# --- the store -------------------------------------------------------------------------------------------


def test_the_store_says_what_a_save_did(sample_file_engine: Engine) -> None:
    store = Store(sample_file_engine, "测试员")
    department_id = store.first_department_id()
    assert department_id is not None
    assert store.find_department("731", 2022) == department_id and store.find_department("731", 1999) is None
    base = store.load_department(department_id).projects[0]
    mine = base.model_copy(deep=True)
    mine.goal.indicators[0].value = "≥11场"
    outcome = store.save(base, mine)
    assert isinstance(outcome, SavedProject) and outcome.project.goal.revision == base.goal.revision + 1
    # Saving the same edits over the old revision again: nothing of mine is left to write.
    again = store.save(base, mine)
    assert isinstance(again, SavedProject) and again.project.goal.revision == outcome.project.goal.revision
    # Other cells than a colleague's are merged; the same cell changed differently needs a choice.
    other = base.model_copy(deep=True)
    other.goal.indicators[0].basis = "我的依据"
    merged = store.save(base, other)
    assert isinstance(merged, SavedProject) and merged.taken == 1
    assert (merged.project.goal.indicators[0].value, merged.project.goal.indicators[0].basis) == ("≥11场", "我的依据")
    clash = base.model_copy(deep=True)
    clash.goal.indicators[0].value = "≥12场"
    conflict = store.save(base, clash)
    assert isinstance(conflict, SaveConflict) and [c.column for c in conflict.merge.conflicts] == ["value"]
    assert conflict.current.goal.revision == merged.project.goal.revision
    added = store.add_project(department_id, "新项目")
    assert added.id is not None and store.load_project(added.id).name == "新项目"
    store.delete_project(added.id)
    gone = store.save(added, added)
    assert isinstance(gone, ProjectGone) and gone.project_id == added.id


def test_an_empty_database_has_no_first_department(tmp_path: Path) -> None:
    from perfgoals.storage.db import open_database

    assert Store(open_database(f"sqlite:///{tmp_path / 'e.db'}"), "x").first_department_id() is None


# --- the column registry ----------------------------------------------------------------------------------


def test_every_indicator_field_is_a_column_and_the_export_prints_what_it_printed() -> None:
    fields = {column.field for column in INDICATOR_COLUMNS}
    assert set(Indicator.model_fields) - {"extra"} == fields
    assert [(c.field, c.label, c.optional) for c in EXPORT_COLUMNS] == [
        ("level1", "一级指标", False),
        ("level2", "二级指标", False),
        ("level3", "三级指标", False),
        ("description", "绩效指标描述", False),
        ("mid_term_value", "实施期指标值", True),
        ("value", "指标值", False),
        ("unit", "度量单位", True),
        ("direction", "指标方向", True),
        ("weight", "权重", True),
        ("basis", "指标值确定依据", False),
        ("method", "计算方法", True),
        ("reference_value", "上年指标值", True),
        ("reference_actual", "上年实际完成值", True),
    ]
    assert [c.field for c in EXPORTED_COLUMNS] == [c.field for c in EXPORT_COLUMNS]


def test_cells_are_read_and_written_as_text() -> None:
    assert parse_cell("weight", "12.5") == Decimal("12.5") and parse_cell("weight", "２０%") == Decimal("20")
    assert parse_cell("weight", "") is None and parse_cell("direction", "反") is Direction.NEGATIVE
    assert parse_cell("method", "") is None and parse_cell("value", "") == ""
    with pytest.raises(CellValueError, match="数字"):
        parse_cell("weight", "二十")
    with pytest.raises(CellValueError, match="正向"):
        parse_cell("direction", "向上")
    row = Indicator(weight=Decimal("10"), direction=Direction.POSITIVE)
    assert (cell_text(row, "weight"), cell_text(row, "direction"), cell_text(row, "unit")) == ("10", "正向", "")
    assert used_fields([row]) == ("level1", "level2", "level3", "description", "value", "direction", "weight", "basis")


def test_a_pasted_header_row_is_recognised_and_its_columns_go_where_they_say() -> None:
    assert header_fields(["一级指标", "二级指标", "三级指标", "绩效指标描述", "年度指标值", "权重（%）"]) == [
        "level1", "level2", "level3", "description", "value", "weight"
    ]
    assert header_fields(["产出指标", "数量指标", "活动场次"]) is None
    draft = ProjectDraft(_project(1, "科普活动"))
    area = draft.paste(0, 0, "三级指标\t指标值\t权重\n培训班次\t≥15次\t20\n参训人数\t≥500人\t30\n")
    assert area is not None and len(draft.indicators) == 2
    assert [(r.level3, r.value, r.weight) for r in draft.indicators] == [
        ("培训班次", "≥15次", Decimal("20")),
        ("参训人数", "≥500人", Decimal("30")),
    ]
    assert "weight" in draft.fields
    with pytest.raises(ValueError, match="第 1 行 权重"):
        draft.paste(0, 0, "三级指标\t权重\n活动\t很多\n")
    assert draft.indicators[0].level3 == "培训班次"  # nothing changed


def test_a_column_is_added_by_hand_and_offered_until_shown() -> None:
    draft = ProjectDraft(_project(1, "科普活动"))
    assert "method" in draft.addable_columns() and "weight" in draft.addable_columns()
    assert draft.add_column("method") and not draft.add_column("method") and not draft.add_column("level1")
    assert draft.fields == (*GRID_FIELDS, "method") and "method" not in draft.addable_columns()
    assert not draft.dirty  # showing a column changes no data


# --- settings and search ----------------------------------------------------------------------------------


def test_settings_round_trip_and_keep_the_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n[keys]\n"main.save" = "ctrl+s,f10"\n', encoding="utf-8")
    settings = Settings.load(path)
    assert settings.theme == "nord" and settings.keys == {"main.save": "ctrl+s,f10"} and not settings.problem
    settings.remember("sqlite:////tmp/a.db", "731", 2022)
    settings.set_theme("gruvbox")
    again = Settings.load(path)
    assert again.theme == "gruvbox" and again.keys == {"main.save": "ctrl+s,f10"}
    last = again.last_opened("sqlite:////tmp/a.db")
    assert last is not None and (last.code, last.year) == ("731", 2022)
    assert again.last_opened("sqlite:////tmp/b.db") is None


def test_an_unreadable_settings_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("theme = \n", encoding="utf-8")
    settings = Settings.load(path)
    assert "格式有误" in settings.problem
    settings.set_theme("nord")
    assert path.read_text(encoding="utf-8") == "theme = \n"


def test_pinyin_initials_find_names() -> None:
    assert initials("张家口市科学技术协会") == "zjkskxjsxh"
    assert initials("重庆市2022") == "cqs2022"
    assert matches("zjk", "张家口市科学技术协会") and matches("科协", None, "市科协") and matches("", "x")
    assert not matches("zzz", "张家口市科学技术协会")
    assert score("731", "731", "张家口") == 1.0 > score("zjk", "张家口") > 0 == score("q", "张家口")


def test_the_workspace_and_the_store_know_no_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import perfgoals.tui.workspace, perfgoals.tui.services, perfgoals.tui.editing, perfgoals.tui.config\n"
        "import perfgoals.tui.search, perfgoals.columns\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('textual', 'perfgoals.storage')))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_recovered_edits_are_restored_over_their_base_as_one_undo_step() -> None:
    workspace = Workspace()
    workspace.open(_department(), keep_drafts=False)
    heard: list[int] = []
    workspace.on_change.append(heard.append)
    base = _project(1, "科普活动", "2060702")
    mine = base.model_copy(deep=True)
    mine.goal.indicators[0].value = "≥20场"
    assert workspace.restore_draft(base, mine) and heard == [1]
    draft = workspace.drafts[1]
    assert draft.dirty and draft.cell(0, "value") == "≥20场" and draft.revision == base.goal.revision
    assert draft.undo() is not None and not draft.dirty
    assert not workspace.restore_draft(_project(99, "别处的项目"), mine)
