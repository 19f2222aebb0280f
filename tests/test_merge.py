"""The three-way merge by cell (perfgoals.merge): table-driven cases and properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals.merge import (
    WHOLE_ROW,
    Draft,
    MergeResult,
    Side,
    describe_changes,
    match_rows,
    merge_projects,
    same_content,
)
from perfgoals.models import AmountSource, GoalTable, Indicator, Project


def row(name: str, value: str = "≥1次", level2: str = "数量指标", **more: Any) -> Indicator:
    return Indicator(level1="产出指标", level2=level2, level3=name, description="", value=value, basis="方案", **more)


def project(rows: list[Indicator], revision: int = 3, **fields: Any) -> Project:
    return Project(
        id=7,
        name=fields.pop("name", "科普活动"),
        budget_amount=fields.pop("budget_amount", D("21.87")),
        goal=GoalTable(goal_text=fields.pop("goal_text", "目标"), indicators=rows, revision=revision),
        **fields,
    )


def names(p: Project) -> list[str]:
    return [r.level3 for r in p.goal.indicators]


def values(p: Project) -> list[tuple[str, str]]:
    return [(r.level3, r.value) for r in p.goal.indicators]


A, B, C, E = row("培训班次", "≥20次"), row("参训人数", "≥500人"), row("满意度", "≥95%", "质量指标"), row(
    "覆盖乡镇", "≥10个", "时效指标"
)
BASE = project([A, B, C, E])


def edit(r: Indicator, **changes: Any) -> Indicator:
    return r.model_copy(update=changes)


@dataclass
class Case:
    mine: list[Indicator]
    theirs: list[Indicator]
    expected: list[tuple[str, str]] | None  # rows with every conflict answered 我的
    conflicts: list[tuple[int | None, str]] = field(default_factory=list)  # (row, column)


CASES: dict[str, Case] = {
    "disjoint cells of one row": Case(
        [edit(A, value="≥25次"), B, C, E],
        [edit(A, basis="年度计划"), B, C, E],
        [("培训班次", "≥25次"), ("参训人数", "≥500人"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个")],
    ),
    "the same cell to the same value": Case(
        [edit(A, value="≥25次"), B, C, E],
        [edit(A, value="≥25次"), B, C, E],
        [("培训班次", "≥25次"), ("参训人数", "≥500人"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个")],
    ),
    "the same cell to different values": Case(
        [edit(A, value="≥25次"), B, C, E],
        [edit(A, value="≥30次"), B, C, E],
        [("培训班次", "≥25次"), ("参训人数", "≥500人"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个")],
        [(1, "value")],
    ),
    "a row inserted by me, a row below edited by them": Case(
        [A, row("科普讲座", "≥8场"), B, C, E],
        [A, B, edit(C, value="≥98%"), E],
        [("培训班次", "≥20次"), ("科普讲座", "≥8场"), ("参训人数", "≥500人"), ("满意度", "≥98%"), ("覆盖乡镇", "≥10个")],
    ),
    "a row inserted and an edit of the row after it, by me": Case(
        [A, row("科普讲座", "≥8场"), edit(B, value="≥600人"), C, E],
        [A, edit(B, basis="上年实际"), C, E],
        [("培训班次", "≥20次"), ("科普讲座", "≥8场"), ("参训人数", "≥600人"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个")],
    ),
    "a row deleted by them, another edited by me": Case(
        [A, edit(B, value="≥600人"), C, E],
        [A, B, E],
        [("培训班次", "≥20次"), ("参训人数", "≥600人"), ("覆盖乡镇", "≥10个")],
    ),
    "a row deleted by them and edited by me": Case(
        [A, B, edit(C, value="≥98%"), E],
        [A, B, E],
        [("培训班次", "≥20次"), ("参训人数", "≥500人"), ("满意度", "≥98%"), ("覆盖乡镇", "≥10个")],
        [(3, WHOLE_ROW)],
    ),
    "a row moved by me, its value edited by them": Case(
        [A, C, B, E],
        [A, edit(B, value="≥700人"), C, E],
        [("培训班次", "≥20次"), ("满意度", "≥95%"), ("参训人数", "≥700人"), ("覆盖乡镇", "≥10个")],
    ),
    "a row moved to the end by them, edited by me": Case(
        [edit(A, value="≥21次"), B, C, E],
        [B, C, E, A],
        [("参训人数", "≥500人"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个"), ("培训班次", "≥21次")],
    ),
    "the same row added by both at one place": Case(
        [A, B, row("科普讲座", "≥8场"), C, E],
        [A, B, row("科普讲座", "≥8场"), C, E],
        [("培训班次", "≥20次"), ("参训人数", "≥500人"), ("科普讲座", "≥8场"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个")],
    ),
    "different rows added at one place: mine first": Case(
        [A, B, row("科普讲座", "≥8场"), C, E],
        [A, B, row("科技周", "≥1次", "时效指标"), C, E],
        [("培训班次", "≥20次"), ("参训人数", "≥500人"), ("科普讲座", "≥8场"), ("科技周", "≥1次"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个")],
    ),
    "both reorder differently: my order": Case(
        [B, A, C, E],
        [A, B, E, C],
        [("参训人数", "≥500人"), ("培训班次", "≥20次"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个")],
    ),
    "a row rewritten in place by me, one of its cells by them": Case(
        [A, row("新指标", "≥3项", "质量指标"), C, E],
        [A, edit(B, value="≥550人"), C, E],
        [("培训班次", "≥20次"), ("新指标", "≥3项"), ("满意度", "≥95%"), ("覆盖乡镇", "≥10个")],
        [(2, "value")],
    ),
    "everything deleted by me, a row added by them": Case(
        [],
        [A, B, C, E, row("科技周", "≥1次")],
        [("科技周", "≥1次")],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_rows_merge_by_cell(name: str) -> None:
    case = CASES[name]
    result = merge_projects(BASE, project(case.mine), project(case.theirs, revision=4))
    assert [(c.row, c.column) for c in result.conflicts] == case.conflicts
    assert values(result.project) == case.expected
    assert result.project.goal.revision == 4  # saved over theirs


def test_a_conflict_offers_mine_theirs_and_base_and_each_answer_applies() -> None:
    mine = project([edit(A, value="≥25次"), B, C, E])
    theirs = project([edit(A, value="≥30次"), B, C, E], revision=4)
    result = merge_projects(BASE, mine, theirs)
    [conflict] = result.conflicts
    assert (conflict.text(Side.MINE), conflict.text(Side.THEIRS), conflict.text(Side.BASE)) == (
        "≥25次",
        "≥30次",
        "≥20次",
    )
    assert conflict.label == "第 1 行（培训班次） 指标值"
    assert [Side(s).label for s in ("mine", "theirs", "base")] == ["我的", "他人的", "合并前"]
    for side, expected in ((Side.MINE, "≥25次"), (Side.THEIRS, "≥30次"), (Side.BASE, "≥20次")):
        assert result.resolve({0: side}).goal.indicators[0].value == expected
    with pytest.raises(ValueError):
        result.resolve({5: Side.MINE})


def test_a_whole_row_conflict_keeps_or_drops_the_row() -> None:
    result = merge_projects(BASE, project([A, B, edit(C, value="≥98%"), E]), project([A, B, E], revision=4))
    [conflict] = result.conflicts
    assert conflict.column == WHOLE_ROW and conflict.text(Side.THEIRS) == "（已删除）"
    assert "≥98%" in conflict.text(Side.MINE)
    assert names(result.resolve({0: Side.THEIRS})) == ["培训班次", "参训人数", "覆盖乡镇"]
    assert values(result.resolve({0: Side.BASE}))[2] == ("满意度", "≥95%")


def test_project_fields_merge_as_cells_and_an_amount_with_its_unit() -> None:
    base = project([A], notes="", owner="王芳")
    mine = project([A], notes="已核对", owner="王芳", budget_amount=D("218700"), amount_unit="元")
    theirs = project([A], notes="", owner="李明", budget_amount=D("22.00"), revision=4)
    result = merge_projects(base, mine, theirs)
    # 负责人 came from them, 备注 from me; the amount changed on both sides is one conflict, unit included.
    assert result.taken_from_theirs == ("负责人",)
    [conflict] = result.conflicts
    assert (conflict.row, conflict.column_label) == (None, "年度资金")
    assert (conflict.text(Side.MINE), conflict.text(Side.THEIRS)) == ("218700 元", "22.00 万元")
    taken = result.resolve({0: Side.THEIRS})
    assert (taken.budget_amount, taken.amount_unit, taken.owner, taken.notes) == (D("22.00"), "万元", "李明", "已核对")
    mine_kept = result.resolve({})
    assert (mine_kept.budget_amount, mine_kept.amount_unit) == (D("218700"), "元")


def test_an_inferred_amount_is_shown_so() -> None:
    base = project([A])
    mine = project([A], budget_amount=D("30"), amount_source=AmountSource.ENTERED)
    theirs = project([A], budget_amount=D("25"), amount_source=AmountSource.COST_INDICATOR, revision=4)
    [conflict] = merge_projects(base, mine, theirs).conflicts
    assert conflict.text(Side.THEIRS) == "25 万元（推断）"


def test_decimals_compare_as_written() -> None:
    base = project([row("权重行", weight=D("5"))])
    mine = project([row("权重行", weight=D("5.0"))])
    theirs = project([row("权重行", weight=D("6"))], revision=4)
    [conflict] = merge_projects(base, mine, theirs).conflicts
    assert conflict.column == "weight" and conflict.text(Side.MINE) == "5.0"


def test_goal_text_conflict_and_describe_changes() -> None:
    mine = project([A, edit(B, value="≥1人"), row("新增", "1")], goal_text="我的目标")
    theirs = project([A, B, C, E], goal_text="他人的目标", revision=4)
    result = merge_projects(BASE, mine, theirs)
    # Rows I deleted that they left alone go without a question.
    assert [c.column_label for c in result.conflicts] == ["绩效目标"]
    assert values(result.project) == [("培训班次", "≥20次"), ("参训人数", "≥1人"), ("新增", "1")]
    assert describe_changes(BASE, mine) == [
        "绩效目标",
        "第 2 行 指标值",
        "第 3 行（新增）",
        "原第 3 行（删除）",
        "原第 4 行（删除）",
    ]


def test_rows_are_matched_through_inserts_deletes_and_moves() -> None:
    assert match_rows([A, B, C, E], [row("新", "x", "效益指标"), A, edit(B, value="1"), E, C]) == [None, 0, 1, 3, 2]
    assert match_rows([A, B, C], []) == []
    assert match_rows([], [A]) == [None]


def test_a_draft_checks_saves_against_its_base_revision() -> None:
    saved = project([A, B], revision=5)
    draft = Draft.saved(saved)
    assert not draft.dirty and draft.revision == 5 and draft.project_id == 7
    edited = draft.edited(project([A], revision=5))
    assert edited.dirty and edited.revision == 5


# --- properties ---------------------------------------------------------------------------------------

_CELL = st.sampled_from(["", "甲", "乙", "丙"])
_ROW = st.builds(
    Indicator,
    level1=_CELL,
    level2=_CELL,
    level3=_CELL,
    value=_CELL,
    basis=_CELL,
    weight=st.sampled_from([None, D("5"), D("5.0")]),
)
_PROJECT = st.builds(
    lambda rows, name, notes, amount: project(rows, name=name, notes=notes, budget_amount=amount),
    st.lists(_ROW, max_size=7),
    st.sampled_from(["甲项目", "乙项目"]),
    _CELL,
    st.sampled_from([None, D("1"), D("1.00")]),
)


def _merged(result: MergeResult) -> Project:
    assert result.clean, [c.label for c in result.conflicts]
    return result.project


@settings(max_examples=400, deadline=None)
@given(base=_PROJECT, mine=_PROJECT)
def test_merging_with_unchanged_theirs_gives_mine(base: Project, mine: Project) -> None:
    assert same_content(_merged(merge_projects(base, mine, base)), mine)


@settings(max_examples=400, deadline=None)
@given(base=_PROJECT, theirs=_PROJECT)
def test_merging_with_unchanged_mine_gives_theirs(base: Project, theirs: Project) -> None:
    assert same_content(_merged(merge_projects(base, base, theirs)), theirs)


@settings(max_examples=400, deadline=None)
@given(base=_PROJECT, both=_PROJECT)
def test_the_same_change_on_both_sides_merges_to_it(base: Project, both: Project) -> None:
    assert same_content(_merged(merge_projects(base, both, both)), both)


_FIELDS = ("level1", "level2", "level3", "description", "value", "basis")
_PROJECT_FIELDS = ("name", "notes", "owner", "goal_text")


@st.composite
def disjoint_changes(draw: st.DrawFn) -> tuple[Project, Project, Project, Project]:
    """A base of distinct rows, two sides changing disjoint cells and rows, and both changes applied."""
    n = draw(st.integers(0, 6))
    base_rows = [Indicator(**{f: f"{f}{i}" for f in _FIELDS}) for i in range(n)]
    sides = ("A", "B")
    rows: dict[str, list[Indicator]] = {"A": [], "B": [], "both": []}
    for i, base_row in enumerate(base_rows):
        owner = draw(st.sampled_from([None, "A", "B", "shared"]))
        fates = {side: base_row for side in sides}
        after: dict[str, list[Indicator]] = {side: [] for side in sides}
        if owner == "shared":  # both edit one cell each, different cells
            first, second = draw(st.lists(st.sampled_from(_FIELDS), min_size=2, max_size=2, unique=True))
            fates["A"] = edit(base_row, **{first: f"A改{first}{i}"})
            fates["B"] = edit(base_row, **{second: f"B改{second}{i}"})
            merged: Indicator | None = edit(base_row, **{first: f"A改{first}{i}", second: f"B改{second}{i}"})
        elif owner in sides:
            action = draw(st.sampled_from(["edit", "delete", "insert", "edit+insert"]))
            merged = base_row
            if "edit" in action:
                edited_fields = draw(st.lists(st.sampled_from(_FIELDS), min_size=1, max_size=2, unique=True))
                merged = edit(base_row, **{f: f"{owner}改{f}{i}" for f in edited_fields})
            if action == "delete":
                merged = None
            fates[owner] = merged  # type: ignore[assignment]
            if "insert" in action:
                after[owner] = [
                    Indicator(**{f: f"{owner}新{i}{k}{f}" for f in _FIELDS})
                    for k in range(draw(st.integers(1, 2)))
                ]
        else:
            merged = base_row
        for side in sides:
            if fates[side] is not None:
                rows[side].append(fates[side])
            rows[side].extend(after[side])
        if merged is not None:
            rows["both"].append(merged)
        rows["both"].extend(after["A"] + after["B"])
    fields_a, fields_b, fields_both = {}, {}, {}
    for name in _PROJECT_FIELDS:
        owner = draw(st.sampled_from([None, "A", "B"]))
        if owner:
            value = f"{owner}的{name}"
            (fields_a if owner == "A" else fields_b)[name] = value
            fields_both[name] = value
    return (
        project(base_rows),
        project(rows["A"], **fields_a),
        project(rows["B"], **fields_b),
        project(rows["both"], **fields_both),
    )


@settings(max_examples=400, deadline=None)
@given(disjoint_changes())
def test_disjoint_changes_merge_without_a_question_and_commute(
    scenario: tuple[Project, Project, Project, Project],
) -> None:
    base, a, b, both = scenario
    ab = _merged(merge_projects(base, a, b))
    ba = _merged(merge_projects(base, b, a))
    assert same_content(ab, both)
    assert same_content(ba, both)


def test_every_field_of_a_project_and_its_goal_table_is_a_cell() -> None:
    """A field added to the models is merged like the others, never silently taken from one side."""
    from perfgoals.merge import PROJECT_CELLS
    from perfgoals.models import GoalTable

    covered = {path for cell in PROJECT_CELLS for path in cell.fields}
    expected = {name for name in Project.model_fields if name not in ("id", "goal", "acceptances")} | {
        f"goal.{name}" for name in GoalTable.model_fields if name not in ("indicators", "revision")
    }
    assert covered == expected
    assert all(cell.label and not cell.label.isascii() for cell in PROJECT_CELLS)


def test_extra_columns_merge_one_header_at_a_time() -> None:
    base = project([row("培训班次", extra={"备注": "原", "口径": "年度"})])  # type: ignore[arg-type]
    mine = project([row("培训班次", extra={"备注": "我的", "口径": "年度"})])  # type: ignore[arg-type]
    theirs = project([row("培训班次", "≥30次", extra={"备注": "原", "口径": "全年", "新列": "x"})], revision=4)  # type: ignore[arg-type]
    merged = merge_projects(base, mine, theirs)
    assert merged.clean
    assert merged.project.goal.indicators[0].extra == {"备注": "我的", "口径": "全年", "新列": "x"}
    assert merged.project.goal.indicators[0].value == "≥30次"
    clash = merge_projects(base, mine, project([row("培训班次", extra={"备注": "他人的", "口径": "年度"})], revision=4))  # type: ignore[arg-type]
    [conflict] = clash.conflicts
    assert (conflict.column, conflict.column_label, conflict.text(Side.THEIRS)) == ("extra:备注", "备注", "他人的")
    assert clash.resolve({0: Side.THEIRS}).goal.indicators[0].extra["备注"] == "他人的"
