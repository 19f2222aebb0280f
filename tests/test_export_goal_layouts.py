"""A goal table goes out in its own layout and comes back cell by cell: every layout of the corpus
(tests/goal_corpus.py) and the real Hunan table are imported, stored, exported (the project sheet read
back with openpyxl, column by column under the table's own headers), and the workbook imported again
(nothing changes; an edit in a layout's own column comes back, and nothing else moves).  ``export
--layout`` puts a whole workbook into one named layout, and that reads back to the same rows too."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from perfgoals.export import write_workbook
from perfgoals.export.goal_layouts import NAMED_LAYOUTS
from perfgoals.importers.reading import import_path
from perfgoals.importers.workbook import import_workbook
from perfgoals.models import Department, Direction, Footer, Indicator, Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session
from tests.goal_corpus import (
    CORPUS,
    HUBEI,
    HUBEI_COLUMNS,
    HUNAN,
    HUNAN_COLUMNS,
    LABEL_COLUMNS,
    LABELLED,
    NATIONAL,
    NATIONAL_COLUMNS,
    SICHUAN,
    SICHUAN_COLUMNS,
    TWO_GROUP_COLUMNS,
    TWO_GROUPS,
    VARIANT,
    VARIANT_COLUMNS,
    Block,
    Column,
    CorpusTable,
    cell_text,
    write,
)
from tests.test_import_goal_corpus import tables

#: Copies of ../shared/samples/real (SOURCES.md there says where each came from), so a clean checkout has them.
REAL = Path(__file__).resolve().parent / "data" / "real"
HUNAN_REAL = REAL / "xiangtan_huanjing_weisheng_guanlichu_2023.docx"

#: Each table's columns as its sheet must print them, left to right (the headers as the table wrote them).
SHEET_COLUMNS: dict[str, list[Column]] = {
    NATIONAL.name: NATIONAL_COLUMNS,
    VARIANT.name: VARIANT_COLUMNS,
    LABELLED.name: [Column("本年度绩效指标", "label"), *LABEL_COLUMNS],
    TWO_GROUPS.name: TWO_GROUP_COLUMNS,
    SICHUAN.name: [
        Column("单位名称", "department"), Column("项目名称", "project.name"), Column("预算数", "project.budget_amount"),
        Column("年度目标", "goal.goal_text"), *SICHUAN_COLUMNS,
    ],
    HUBEI.name: HUBEI_COLUMNS,
    HUNAN.name: [Column("本年度 绩效指标", "label"), *HUNAN_COLUMNS],
}  # fmt: skip
#: A cell of a layout's own column to edit in Excel, and the text typed into it.
EDITS: dict[str, tuple[str, Any]] = {
    NATIONAL.name: ("description", "改写的描述"),
    VARIANT.name: ("extra", "每月督查"),
    LABELLED.name: ("basis", "历史标准"),
    TWO_GROUPS.name: ("mid_term_value", "≥32个"),
    SICHUAN.name: ("nature", "≤"),
    HUBEI.name: ("value", "≥125万平方米"),
    HUNAN.name: ("standard", "行业标准"),
}


# --------------------------------------------------------------------- helpers
def _stored(engine: Engine) -> Department:
    with read_session(engine) as session:
        (key,) = repo.list_departments(session)
        return repo.load_department(session, department_id=key.id)


def _store(engine: Engine, department: Department) -> Department:
    with write_session(engine) as session:
        repo.save_department(session, department=department, user="测试员")
    return _stored(engine)


def _reimport(engine: Engine, path: Path) -> str:
    with write_session(engine) as session:
        return import_workbook(session, path=path, user="财务", replace=False)


def _merged_values(sheet: Any) -> dict[tuple[int, int], Any]:
    """Every cell a merge covers, with the merge's value (as Excel shows a merged cell)."""
    values: dict[tuple[int, int], Any] = {}
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                values[(row, col)] = top
    return values


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_row(sheet: Any) -> int:
    for row in range(1, 40):
        if any(sheet.cell(row, col).value == "一级指标" for col in range(1, 16)):
            return row
    raise AssertionError(f"{sheet.title}: no 一级指标 header")


def _expected_cell(column: Column, department: Department, project: Project, indicator: Indicator) -> str:
    if column.field == "label":
        return column.header  # merged down from the header, as the table has it
    if column.field == "department":
        return department.name
    if column.field == "project.name":
        return project.name
    if column.field == "project.budget_amount":
        return _shown(project.budget_amount)
    if column.field == "goal.goal_text":
        return project.goal.goal_text
    return cell_text(indicator, column)


def assert_sheet_in_own_layout(path: Path, department: Department, columns: list[Column]) -> int:
    """Each project's sheet prints ``columns`` (headers as written, grouped ones under their group) and
    every row's cells under them; returns the number of cells compared."""
    book = openpyxl.load_workbook(path)
    compared = 0
    for project in department.projects:
        sheet = book[project.name]
        merged = _merged_values(sheet)

        def value(row: int, col: int, sheet: Any = sheet, merged: dict[tuple[int, int], Any] = merged) -> str:
            return _shown(merged.get((row, col), sheet.cell(row, col).value))

        top = _header_row(sheet)
        two_rows = any(column.upper for column in columns)
        for index, column in enumerate(columns, start=1):
            if column.upper:
                assert (value(top, index), value(top + 1, index)) == (column.upper, column.header), index
            else:
                assert value(top, index) == column.header, (project.name, index)
        first = top + (2 if two_rows else 1)
        # Nothing beside the layout's columns: the table holds nothing they leave out.
        assert all(sheet.cell(row, len(columns) + 1).value is None for row in range(top, first))
        for number, indicator in enumerate(project.goal.indicators):
            for index, column in enumerate(columns, start=1):
                expected = _expected_cell(column, department, project, indicator)
                assert value(first + number, index) == expected, (project.name, number + 1, column.header)
                compared += 1
        # The footers close the table, label and text.
        end = first + len(project.goal.indicators)
        for offset, footer in enumerate(project.goal.footers):
            assert (value(end + offset, 1), value(end + offset, 2)) == (footer.label, footer.text)
            compared += 2
        # Printing: the set's one scale (never each sheet fitted its own way), the header rows repeated.
        setup = sheet.sheet_properties.pageSetUpPr
        assert not (setup is not None and setup.fitToPage)
        assert sheet.page_setup.scale is None or 10 <= int(sheet.page_setup.scale) <= 100
        assert sheet.print_title_rows == f"${top}:${first - 1}"
    return compared


def _edit(path: Path, edited: Path, project: Project, columns: list[Column], field: str, text: str) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[project.name]
    top = _header_row(sheet)
    first = top + (2 if any(column.upper for column in columns) else 1)
    col = next(index for index, column in enumerate(columns, start=1) if column.field == field)
    sheet.cell(first, col).value = text
    book.save(edited)


def _edited(indicator: Indicator, field: str, text: str, columns: list[Column]) -> Indicator:
    if field == "extra":
        header = next(column.header for column in columns if column.field == "extra")
        return indicator.model_copy(update={"extra": {**indicator.extra, header: text}})
    return indicator.model_copy(update={field: text})


# --------------------------------------------------------------------- the corpus, each in its own layout
@pytest.mark.parametrize("table", CORPUS, ids=[table.name for table in CORPUS])
def test_corpus_table_exports_in_its_own_layout_and_comes_back(
    engine: Engine, tmp_path: Path, table: CorpusTable
) -> None:
    imported = import_path(write(tmp_path, table.name, table.blocks, "docx")).department
    stored = _store(engine, imported)
    # After import and storage: every row as the table was built.
    for project, expected in zip(stored.projects, table.projects, strict=True):
        assert project.goal.indicators == expected.indicators
        assert project.goal.layout is expected.layout
    # After export: the sheet in the table's own columns, every cell under its header.
    columns = SHEET_COLUMNS[table.name]
    path = tmp_path / "out.xlsx"
    write_workbook(path, [stored], findings=lambda _d: [])
    compared = assert_sheet_in_own_layout(path, stored, columns)
    assert compared >= sum(len(p.goal.indicators) for p in stored.projects) * len(columns)
    # After export and re-import: nothing changed, every cell back.
    report = _reimport(engine, path)
    assert "更新 0 个项目" in report, report
    assert _stored(engine) == stored
    # An edit in the layout's own column comes back, and nothing else moves.
    field, text = EDITS[table.name]
    project = stored.projects[0]
    _edit(path, tmp_path / "edited.xlsx", project, columns, field, text)
    report = _reimport(engine, tmp_path / "edited.xlsx")
    assert f"更新 1 个项目的绩效目标表：{project.name}" in report, report
    after = _stored(engine)
    rows = after.projects[0].goal.indicators
    assert rows[0] == _edited(project.goal.indicators[0], field, text, columns)
    assert rows[1:] == project.goal.indicators[1:]
    assert after.projects[0].goal.model_copy(update={"indicators": [], "revision": 1}) == project.goal.model_copy(
        update={"indicators": [], "revision": 1}
    )
    assert after.projects[1:] == stored.projects[1:]


def test_sichuan_amounts_go_out_in_yuan_as_written(engine: Engine, tmp_path: Path) -> None:
    stored = _store(engine, import_path(write(tmp_path, "s", SICHUAN.blocks, "xlsx")).department)
    path = tmp_path / "out.xlsx"
    write_workbook(path, [stored], findings=lambda _d: [])
    sheet = openpyxl.load_workbook(path)["临时救助"]
    top = _header_row(sheet)
    amount = sheet.cell(top + 1, 3)
    assert amount.value == 600000 and "元" in amount.number_format and "万元" not in amount.number_format
    assert any(cell.value == "单位：元" for row in sheet.iter_rows(max_row=3) for cell in row)
    # The merged project columns span the project's rows.
    assert f"A{top + 1}:A{top + len(stored.projects[0].goal.indicators)}" in {str(r) for r in sheet.merged_cells.ranges}


def test_two_groups_print_side_by_side_with_the_block_and_its_own_labels(engine: Engine, tmp_path: Path) -> None:
    stored = _store(engine, import_path(write(tmp_path, "g", TWO_GROUPS.blocks, "docx")).department)
    path = tmp_path / "out.xlsx"
    write_workbook(path, [stored], findings=lambda _d: [])
    sheet = openpyxl.load_workbook(path)["老旧小区改造"]
    labels = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(1, _header_row(sheet))}
    assert labels["实施单位"] == "某某市城市更新中心" and labels["项目属性"] == "延续项目"
    assert labels["项目期"] == "2023年至2025年" and labels["中期资金总额"] == 6000
    assert labels["其中：财政拨款"] == "1600"
    assert labels["实施期目标"] == "2025年底前完成30个老旧小区改造。"


def test_hubei_cost_breakdown_is_printed(engine: Engine, tmp_path: Path) -> None:
    stored = _store(engine, import_path(write(tmp_path, "h", HUBEI.blocks, "docx")).department)
    path = tmp_path / "out.xlsx"
    write_workbook(path, [stored], findings=lambda _d: [])
    rows = [tuple(_shown(v) for v in row[:4]) for row in openpyxl.load_workbook(path)["城区道路保洁"].iter_rows(values_only=True)]
    start = rows.index(("成本构成", "金额（万元）", "测算依据", "前两年实际执行数"))
    assert rows[start + 1 : start + 4] == [
        (item.item, _shown(item.amount), item.basis, item.previous) for item in stored.projects[0].breakdown
    ]


def test_a_table_entered_here_stays_in_the_national_template(engine: Engine, tmp_path: Path) -> None:
    department = import_path(write(tmp_path, "n", NATIONAL.blocks, "docx")).department
    for project in department.projects:
        project.goal.layout, project.goal.columns, project.goal.block = None, [], []
    stored = _store(engine, department)
    path = tmp_path / "out.xlsx"
    write_workbook(path, [stored], findings=lambda _d: [])
    sheet = openpyxl.load_workbook(path)["基层农技人员培训"]
    top = _header_row(sheet)
    headers = [sheet.cell(top, col).value for col in range(1, 7)]
    assert headers == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]


# --------------------------------------------------------------------- every table in one named layout
@pytest.mark.parametrize("layout", list(NAMED_LAYOUTS))
def test_a_named_layout_reads_back_to_the_same_rows(engine: Engine, tmp_path: Path, layout: str) -> None:
    """Every corpus table in one layout: nothing any row holds is lost, the workbook reads back unchanged."""
    departments = []
    for table in (SICHUAN, TWO_GROUPS, VARIANT):
        departments.append(import_path(write(tmp_path, table.name, table.blocks, "docx")).department)
    engines = []
    for number, department in enumerate(departments):
        own = open_database(f"sqlite:///{tmp_path / f'{layout}-{number}.db'}")
        engines.append(own)
        stored = _store(own, department)
        path = tmp_path / f"{layout}-{number}.xlsx"
        write_workbook(path, [stored], findings=lambda _d: [], layout=layout)
        assert "更新 0 个项目" in _reimport(own, path)
        assert _stored(own) == stored
        sheet = openpyxl.load_workbook(path)[stored.projects[0].name]
        named = NAMED_LAYOUTS[layout]
        if named is not None:
            top = _header_row(sheet)
            grouped = any("/" in c.header for c in named)
            printed = iter(_shown(sheet.cell(top + grouped, col).value or sheet.cell(top, col).value) for col in range(1, 30))
            # The layout's columns in its order (a column it lacks, for what some row holds, may follow them).
            assert all(c.header.rpartition("/")[2] in printed for c in named), layout
    for own in engines:
        own.dispose()


# --------------------------------------------------------------------- the real Hunan table, through the CLI
def test_real_hunan_table_round_trips_through_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", str(HUNAN_REAL)).code == 0
    first = tmp_path / "first.json"
    assert cli("dump", "-o", str(first)).code == 0
    exported = cli("export", "-o", str(tmp_path / "h.xlsx"))
    assert exported.code == 0, exported.stderr
    department = Department.model_validate(json.loads(first.read_text(encoding="utf-8"))["department"])
    compared = assert_sheet_in_own_layout(tmp_path / "h.xlsx", department, [Column("本年度 绩效指标", "label"), *HUNAN_COLUMNS])
    assert compared == 10 * 6 + 4
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx")["雾炮车降尘抑尘服务"]
    labels = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(1, _header_row(sheet))}
    assert labels["项目支出实施期"] == "2023.07-2024.01" and labels["该项目支出上级资金"] == 0
    again = cli("import", str(tmp_path / "h.xlsx"))
    assert again.code == 0 and "更新 0 个项目" in again.stdout, again.stdout + again.stderr
    second = tmp_path / "second.json"
    assert cli("dump", "-o", str(second)).code == 0
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    # The whole workbook in another layout, then read back: the same rows.
    assert cli("export", "--layout", "sichuan", "-o", str(tmp_path / "s.xlsx")).code == 0
    assert "更新 0 个项目" in cli("import", str(tmp_path / "s.xlsx")).stdout


def test_a_bad_layout_name_is_refused_with_the_names(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", str(write(tmp_path, "h", HUNAN.blocks, "docx"))).code == 0
    result = cli("export", "--layout", "guangdong", "-o", str(tmp_path / "x.xlsx"))
    assert result.code == 2
    assert "没有名为“guangdong”的表样" in result.stderr
    assert all(name in result.stderr for name in NAMED_LAYOUTS)
    assert not (tmp_path / "x.xlsx").exists()
    helped = cli("export", "--help")
    assert all(name in helped.stdout for name in NAMED_LAYOUTS)


def test_direction_and_weight_come_back_typed(engine: Engine, tmp_path: Path) -> None:
    stored = _store(engine, import_path(write(tmp_path, "s", SICHUAN.blocks, "docx")).department)
    path = tmp_path / "out.xlsx"
    write_workbook(path, [stored], findings=lambda _d: [])
    assert "更新 0 个项目" in _reimport(engine, path)
    rows = _stored(engine).projects[0].goal.indicators
    assert rows[3].direction is Direction.NEGATIVE and rows[0].weight == Decimal("30")


# --------------------------------------------------------------------- the property: built rows go out and come back
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(built=tables(), layout=st.sampled_from([None, *NAMED_LAYOUTS]))
def test_any_built_table_exports_and_reads_back_to_its_rows(
    tmp_path: Path, built: tuple[list[Block], list[Indicator], list[Footer]], layout: str | None
) -> None:
    """A table built from the layout elements (columns in any order, a row label, merges, page splits,
    footers), imported, exported in its own layout or a named one, reads back to the rows it imported to."""
    from perfgoals.importers.workbook import entries_of, open_workbook, read_goal, sheet_for

    blocks, _rows, _footers = built  # (that they import to these rows is test_import_goal_corpus's property)
    department = import_path(write(tmp_path, "p", blocks, "docx")).department
    rows = department.projects[0].goal.indicators
    path = tmp_path / "p.xlsx"
    write_workbook(path, [department], findings=lambda _d: [], layout=layout)
    book = open_workbook(path)
    (entry,) = entries_of(book, path.name)
    goal = read_goal(sheet_for(book, entry), path.name, expected=entry.columns)
    assert goal.indicators == rows
    assert goal.goal_text == department.projects[0].goal.goal_text
