"""Round trip: export a department, edit the workbook as Excel would, import it back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from perfgoals.errors import PerfgoalsError
from perfgoals.export import write_workbook
from perfgoals.importers.workbook import WorkbookImportError, import_workbook
from perfgoals.models import AmountSource, Department, Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from tests.test_export_data import sample_department


def _stored(engine: Engine) -> Department:
    with read_session(engine) as session:
        key = repo.find_department(session, code="731", year=2022)
        return repo.load_department(session, department_id=key.id)


def _export(engine: Engine, path: Path) -> Department:
    department = _stored(engine)
    write_workbook(path, [department], findings=lambda _d: [])
    return department


def _import(engine: Engine, path: Path, *, replace: bool = False) -> str:
    with write_session(engine) as session:
        return import_workbook(session, path=path, user="财务", replace=replace)


@pytest.fixture
def stored(engine: Engine) -> Engine:
    with write_session(engine) as session:
        repo.save_department(session, department=sample_department(), user="测试员")
    return engine


def test_unedited_workbook_changes_nothing(stored: Engine, tmp_path: Path) -> None:
    before = _export(stored, tmp_path / "a.xlsx")
    report = _import(stored, tmp_path / "a.xlsx")
    assert "更新 0 个项目" in report and "4 个项目未改动" in report
    assert _stored(stored) == before


def test_edits_come_back_and_nothing_else_changes(stored: Engine, tmp_path: Path) -> None:
    before = _export(stored, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book["科普活动"]
    assert sheet["E6"].value == "≥6期"
    sheet["E6"] = "≥8期"  # 指标值 of row 1
    sheet["B4"] = "1.开展科普活动，服务科技工作者\n2.新增目标"
    sheet["D7"] = "=在职人数"
    sheet["D7"].data_type = "s"  # formula-looking text entered as text, as Excel does in a text cell
    # A new row under 满意度指标, with 一级/二级 left blank as in published tables.
    sheet["C13"], sheet["D13"], sheet["E13"], sheet["F13"] = "公众满意度", "参观公众满意度", "≥90%", "满意度调查"
    # Row 4 (时效指标) deleted by clearing it (its 一级 cell is part of the merged 产出指标).
    for col in "BCDEF":
        sheet[f"{col}9"] = None
    # Excel keeps defined names pointing at a sheet when it is renamed.
    sheet.title = "科普活动（改）"
    book.defined_names["perfgoals_sheet_1"].attr_text = "'科普活动（改）'!$A$1"
    book.save(tmp_path / "edited.xlsx")

    report = _import(stored, tmp_path / "edited.xlsx")
    assert "更新 1 个项目的绩效目标表：科普活动（7 行指标）" in report and "3 个项目未改动" in report

    after = _stored(stored)
    kepu_before, kepu = before.projects[0], after.projects[0]
    assert kepu.goal.revision == kepu_before.goal.revision + 1
    assert kepu.goal.goal_text == "1.开展科普活动，服务科技工作者\n2.新增目标"
    rows = kepu.goal.indicators
    assert [row.level3 for row in rows] == ["编印期数", "在职人数", "活动开展效果", "预算总成本",
                                            "为开展科普活动做好保障", "科技工作者满意度", "公众满意度"]  # fmt: skip
    assert rows[0].value == "≥8期" and rows[1].description == "=在职人数"
    assert (rows[-1].level1, rows[-1].level2, rows[-1].value) == ("满意度指标", "服务对象满意度指标", "≥90%")
    unchanged_rows = [row for row in kepu_before.goal.indicators if row.level3 not in ("编印期数", "在职人数", "活动开展时间")]
    assert unchanged_rows == rows[2:6]
    # Everything else — other projects, project fields — is exactly as before.
    assert after.projects[1:] == before.projects[1:]
    assert kepu.model_copy(update={"goal": kepu_before.goal}) == kepu_before
    with read_session(stored) as session:
        changes = repo.history(session, department_id=after.id or 0)
    assert [(c.action, c.entity_key, c.user) for c in changes[:1]] == [("update", "科普活动", "财务")]
    # Importing the same workbook again is a no-op.
    assert "更新 0 个项目" in _import(stored, tmp_path / "edited.xlsx")


def test_optional_columns_round_trip_and_weight_scale_kept(stored: Engine, tmp_path: Path) -> None:
    before = _export(stored, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book["全民科学素质行动计划专项经费"]
    assert [c.value for c in sheet[5]][4:9] == ["实施期指标值", "年度指标值", "度量单位", "指标方向", "权重"]
    sheet["F7"] = "≥92"
    sheet["I7"] = 15  # weight of row 2
    book.save(tmp_path / "edited.xlsx")
    _import(stored, tmp_path / "edited.xlsx")
    project = _stored(stored).projects[3]
    first, second = project.goal.indicators
    assert first == before.projects[3].goal.indicators[0]
    assert first.weight == Decimal("12.50") and str(first.weight) == "12.50"
    assert second.value == "≥92" and second.weight == Decimal("15") and second.unit == "%"
    assert second.direction is not None and second.direction.value == "正向"


def _with_unit_mid_term_goal_and_method(engine: Engine) -> Department:
    """The stored 科普活动 given an implementing unit, a 实施期目标 and a 计算方法 on its second row."""
    kepu = _stored(engine).projects[0]
    indicators = list(kepu.goal.indicators)
    indicators[1] = indicators[1].model_copy(update={"method": "在职人数计数；达到得满分"})
    changed = kepu.model_copy(
        update={
            "implementing_unit": "张家口市科技馆",
            "goal": kepu.goal.model_copy(update={"mid_term_goal_text": "三年编印60期", "indicators": indicators}),
        }
    )
    with write_session(engine) as session:
        repo.save_project(session, project=changed, expected_revision=kepu.goal.revision, user="测试员")
    return _stored(engine)


def test_implementing_unit_mid_term_goal_and_method_round_trip(stored: Engine, tmp_path: Path) -> None:
    _with_unit_mid_term_goal_and_method(stored)
    before = _export(stored, tmp_path / "a.xlsx")
    # Unedited, the new rows and column read back as they were written: nothing to save.
    assert "更新 0 个项目" in _import(stored, tmp_path / "a.xlsx")
    assert _stored(stored) == before

    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book["科普活动"]
    assert [sheet.cell(row, 1).value for row in (4, 5, 6, 7)] == ["实施单位", "绩效目标", "实施期目标", "一级指标"]
    assert sheet["G7"].value == "计算方法" and sheet["G9"].value == "在职人数计数；达到得满分"
    sheet["E8"] = "≥8期"  # an indicator value: the goal table is saved, so every column must come back
    sheet["G8"] = "实际编印期数"
    sheet["B6"] = "三年编印72期"
    sheet["B4"] = "张家口市科技馆（新）"
    book.save(tmp_path / "edited.xlsx")
    report = _import(stored, tmp_path / "edited.xlsx")
    assert "科普活动（7 行指标，实施单位已改）" in report

    kepu_before, kepu = before.projects[0], _stored(stored).projects[0]
    assert kepu.implementing_unit == "张家口市科技馆（新）"
    assert kepu.goal.mid_term_goal_text == "三年编印72期"
    assert kepu.goal.goal_text == kepu_before.goal.goal_text
    assert [row.method for row in kepu.goal.indicators[:3]] == ["实际编印期数", "在职人数计数；达到得满分", None]
    assert kepu.goal.indicators[0].value == "≥8期"
    assert kepu.goal.indicators[2:] == kepu_before.goal.indicators[2:]


def test_a_workbook_exported_before_the_implementing_unit_column_still_reads(
    stored: Engine, tmp_path: Path
) -> None:
    before = _export(stored, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    meta = book["_perfgoals"]
    column = [cell.value for cell in meta[5]].index("implementing_unit") + 1
    meta.delete_cols(column)  # the metadata as the previous release wrote it
    book.save(tmp_path / "old.xlsx")
    assert "更新 0 个项目" in _import(stored, tmp_path / "old.xlsx")
    assert _stored(stored) == before


def test_a_colleagues_newer_cells_are_kept_and_only_cells_both_changed_conflict(
    stored: Engine, tmp_path: Path
) -> None:
    before = _export(stored, tmp_path / "a.xlsx")
    kepu = before.projects[0]
    with write_session(stored) as session:
        rows = list(kepu.goal.indicators)
        rows[1] = rows[1].model_copy(update={"value": "≥50人"})  # E7, which the workbook also edits
        changed = kepu.model_copy(
            update={"goal": kepu.goal.model_copy(update={"goal_text": "数据库中改过", "indicators": rows})}
        )
        repo.save_project(session, project=changed, expected_revision=kepu.goal.revision, user="他人")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    book["科普活动"]["E6"] = "≥9期"  # only the workbook changed this cell
    book["科普活动"]["E7"] = "≥60人"  # both changed it
    book["全民科学素质行动计划专项经费"]["F6"] = "≥600"
    book.save(tmp_path / "edited.xlsx")

    with pytest.raises(WorkbookImportError, match=r"(?s)“科普活动”有 1 处.*第 2 行（在职人数） 指标值：工作簿为 ≥60人，数据库中（他人修改）为 ≥50人.*--replace"):
        _import(stored, tmp_path / "edited.xlsx")
    # Nothing was written, not even the project without a conflict.
    assert _stored(stored).projects[3] == before.projects[3]

    report = _import(stored, tmp_path / "edited.xlsx", replace=True)
    assert "以工作簿为准（--replace），他人的 ≥50人 被替换" in report
    after = _stored(stored)
    assert after.projects[0].goal.goal_text == "数据库中改过"  # the colleague's cell is kept
    assert [row.value for row in after.projects[0].goal.indicators[:2]] == ["≥9期", "≥60人"]
    assert after.projects[3].goal.indicators[0].value == "≥600"


def test_stale_unedited_workbook_does_not_revert_newer_edits(stored: Engine, tmp_path: Path) -> None:
    before = _export(stored, tmp_path / "a.xlsx")
    kepu = before.projects[0]
    with write_session(stored) as session:
        changed = kepu.model_copy(update={"goal": kepu.goal.model_copy(update={"goal_text": "新的目标"})})
        repo.save_project(session, project=changed, expected_revision=kepu.goal.revision, user="他人")
    assert "更新 0 个项目" in _import(stored, tmp_path / "a.xlsx")
    assert _stored(stored).projects[0].goal.goal_text == "新的目标"


# --- workbooks that are not ours, or broken ----------------------------------------------------


def test_bad_workbooks_are_refused_clearly(stored: Engine, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "别人的表"
    book.save(foreign)
    with pytest.raises(WorkbookImportError, match="不是 perfgoals 导出的工作簿"):
        _import(stored, foreign)

    _export(stored, tmp_path / "good.xlsx")
    data = (tmp_path / "good.xlsx").read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(WorkbookImportError, match="已损坏或不完整"):
        _import(stored, truncated)

    import zipfile

    missing_part = tmp_path / "missing-part.xlsx"
    with zipfile.ZipFile(tmp_path / "good.xlsx") as source, zipfile.ZipFile(missing_part, "w") as target:
        for item in source.infolist():
            if item.filename != "xl/workbook.xml":
                target.writestr(item, source.read(item))
    with pytest.raises(WorkbookImportError, match="缺少必要的组成部分"):
        _import(stored, missing_part)

    text = tmp_path / "text.xlsx"
    text.write_text("一级指标,二级指标\n", encoding="utf-8")
    with pytest.raises(WorkbookImportError, match=r"不是 \.xlsx 工作簿"):
        _import(stored, text)

    encrypted = tmp_path / "encrypted.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(WorkbookImportError, match="已加密"):
        _import(stored, encrypted)

    with pytest.raises(WorkbookImportError, match="无法读取"):
        _import(stored, tmp_path / "missing.xlsx")


def test_broken_table_names_sheet_and_column(stored: Engine, tmp_path: Path) -> None:
    before = _export(stored, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    book["科普活动"]["F5"] = "备用"  # (依据 alone still names the column, as the importer reads headers)
    book.save(tmp_path / "no-basis.xlsx")
    with pytest.raises(WorkbookImportError, match="工作表“科普活动”：表头缺少“指标值确定依据”列"):
        _import(stored, tmp_path / "no-basis.xlsx")

    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    book["全民科学素质行动计划专项经费"]["I6"] = "很重要"
    book.save(tmp_path / "bad-weight.xlsx")
    with pytest.raises(WorkbookImportError, match="第 6 行“权重”不是数字"):
        _import(stored, tmp_path / "bad-weight.xlsx")

    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    meta = book["_perfgoals"]
    first = next(row for row in range(6, meta.max_row + 1) if meta.cell(row, 1).value)  # (row 6)
    meta[f"E{first}"] = "二〇二二"
    book.save(tmp_path / "bad-meta.xlsx")
    with pytest.raises(WorkbookImportError, match=f"_perfgoals 表第 {first} 行"):
        _import(stored, tmp_path / "bad-meta.xlsx")
    assert _stored(stored) == before
    assert issubclass(WorkbookImportError, PerfgoalsError)


def test_an_old_workbook_for_a_department_missing_from_the_database(engine: Engine, tmp_path: Path) -> None:
    """Workbooks exported before the embedded dump cannot create their department: refused, naming it."""
    path = tmp_path / "other.xlsx"
    write_workbook(path, [sample_department("999")], findings=lambda _d: [])
    book = openpyxl.load_workbook(path)
    book["科普活动"]["E6"] = "≥7期"
    meta = book["_perfgoals"]
    meta.delete_cols([cell.value for cell in meta[5]].index("base_cells") + 1, 200)
    book.save(path)
    with pytest.raises(PerfgoalsError, match="999"):
        _import(engine, path)


def test_amount_edit_comes_back_in_the_unit_it_was_written_in(stored: Engine, tmp_path: Path) -> None:
    before = _export(stored, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    long_sheet = next(name for name in book.sheetnames if name.startswith("提前下达"))
    sheet = book[long_sheet]
    # The sheet shows the amount in 元, as it was written.
    assert (sheet["E3"].value, sheet["F3"].value, sheet["F2"].value) == ("年度资金", 228500, "单位：元")
    sheet["F3"] = 235000  # typed over in Excel: the cell keeps its 元 number format
    book.save(tmp_path / "edited.xlsx")
    report = _import(stored, tmp_path / "edited.xlsx")
    assert "年度资金已改为 235,000.00 元" in report
    after = _stored(stored)
    project = after.projects[1]
    assert project.budget_amount == Decimal("235000") and project.amount_unit == "元"
    assert project.amount_source is AmountSource.ENTERED
    assert project.goal.indicators == before.projects[1].goal.indicators
    assert after.projects[0] == before.projects[0]


# --- the sample: inferred amounts, one of them in 元 ---------------------------------------------

PRECISE = "开展科技工作者助力精准扶贫经费"


@pytest.fixture
def stored_sample(engine: Engine) -> Engine:
    """The sample imported from its text: every amount inferred, 精准扶贫's 755 元."""
    from perfgoals.importers.reading import import_text
    from tests.conftest import SAMPLE_TEXT

    department = import_text(SAMPLE_TEXT.read_bytes(), source=SAMPLE_TEXT.name).department
    with write_session(engine) as session:
        repo.save_department(session, department=department, user="测试员")
    return engine


def _amount_cell(sheet: Any) -> Any:
    """The cell right of the 年度资金 label."""
    for row in sheet.iter_rows(max_row=10):
        for position, cell in enumerate(row[:-1]):
            if cell.value == "年度资金":
                return row[position + 1]
    raise AssertionError(f"{sheet.title} has no 年度资金")


def _by_name(department: Department) -> dict[str, Project]:
    return {project.name: project for project in department.projects}


def test_a_yuan_amount_round_trips_and_an_edit_is_entered(stored_sample: Engine, tmp_path: Path) -> None:
    before = _export(stored_sample, tmp_path / "a.xlsx")
    # Unedited, 755 元 reads back as the 0.0755 万元 exported: nothing changes, inferred stays inferred.
    assert "更新 0 个项目" in _import(stored_sample, tmp_path / "a.xlsx")
    assert _stored(stored_sample) == before

    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    cell = _amount_cell(book[PRECISE])
    assert (cell.value, cell.number_format) == (755, '#,##0.00" 元"')
    cell.value = 800  # typed over in Excel: the cell keeps its number format, 元
    # Another project's goal edited, its amount not: its amount stays inferred.
    revival = book["开展科技工作者助力乡村振兴经费"]
    revival["E6"] = "≥4种"
    book.save(tmp_path / "edited.xlsx")
    report = _import(stored_sample, tmp_path / "edited.xlsx")
    assert f"{PRECISE}（6 行指标，年度资金已改为 800.00 元）" in report and "更新 2 个项目" in report

    old, new = _by_name(before), _by_name(_stored(stored_sample))
    precise = new[PRECISE]
    assert (precise.budget_amount, precise.amount_unit, precise.amount_source) == (
        Decimal("800"), "元", AmountSource.ENTERED
    )
    assert precise.goal == old[PRECISE].goal.model_copy(update={"revision": old[PRECISE].goal.revision + 1})
    revived = new["开展科技工作者助力乡村振兴经费"]
    assert revived.goal.indicators[0].value == "≥4种"
    assert (revived.budget_amount, revived.amount_source) == (Decimal("21.87"), AmountSource.COST_INDICATOR)
    untouched = [name for name in old if name not in (PRECISE, "开展科技工作者助力乡村振兴经费")]
    assert [new[name] for name in untouched] == [old[name] for name in untouched]
    assert all(new[name].amount_source is not AmountSource.ENTERED for name in untouched)

    # The next export shows the entered amount without a marker.
    _export(stored_sample, tmp_path / "b.xlsx")
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    row = [cell.value for cell in book[PRECISE][3]]
    assert row[-2:] == ["年度资金", 800] and "待确认" not in str(row)


def test_an_amount_typed_with_its_unit_or_in_an_older_layout(stored_sample: Engine, tmp_path: Path) -> None:
    before = _export(stored_sample, tmp_path / "a.xlsx")
    # A value pasted over the cell drops its number format: the sheet's 单位：元 line still says 元.
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    _amount_cell(book[PRECISE]).number_format = "General"
    book.save(tmp_path / "pasted.xlsx")
    assert "更新 0 个项目" in _import(stored_sample, tmp_path / "pasted.xlsx")
    # A workbook of the previous release: 年度资金 in 万元 (0.0755 for 755 元), a plain number format and
    # 单位：万元 above it.  Unedited, it changes nothing.
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book[PRECISE]
    cell = _amount_cell(sheet)
    cell.value, cell.number_format = 0.0755, "#,##0.00"
    sheet["F2"] = "单位：万元"
    book.save(tmp_path / "old.xlsx")
    assert "更新 0 个项目" in _import(stored_sample, tmp_path / "old.xlsx")
    assert _stored(stored_sample) == before
    # Edited there, the amount is kept in the unit that sheet shows.
    cell.value = 0.08
    book.save(tmp_path / "old-edited.xlsx")
    assert "年度资金已改为 0.08 万元" in _import(stored_sample, tmp_path / "old-edited.xlsx")
    precise = _by_name(_stored(stored_sample))[PRECISE]
    assert (precise.budget_amount, precise.amount_unit, precise.amount_source) == (
        Decimal("0.08"), "万元", AmountSource.ENTERED
    )

    # A formula's float noise (800 × 1.1 = 880.0000000000001) reads as Excel shows it: 880, in the
    # 万元 the amount is now kept in and the new sheet shows.
    _export(stored_sample, tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(tmp_path / "f.xlsx")
    cell = _amount_cell(book[PRECISE])
    assert cell.number_format == '#,##0.00" 万元"'
    cell.value = 800 * 1.1
    book.save(tmp_path / "formula.xlsx")
    _import(stored_sample, tmp_path / "formula.xlsx")
    precise = _by_name(_stored(stored_sample))[PRECISE]
    assert (precise.budget_amount, precise.amount_unit) == (Decimal("880"), "万元")

    # Typed as text with a unit, the unit typed wins; a negative amount is refused, nothing saved.
    _export(stored_sample, tmp_path / "b.xlsx")
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    _amount_cell(book[PRECISE]).value = "960元"
    book.save(tmp_path / "typed.xlsx")
    _import(stored_sample, tmp_path / "typed.xlsx")
    precise = _by_name(_stored(stored_sample))[PRECISE]
    assert (precise.budget_amount, precise.amount_unit) == (Decimal("960"), "元")
    _export(stored_sample, tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    _amount_cell(book[PRECISE]).value = -5
    book.save(tmp_path / "negative.xlsx")
    settled = _stored(stored_sample)
    with pytest.raises(WorkbookImportError, match=r"年度资金.*负数"):
        _import(stored_sample, tmp_path / "negative.xlsx")
    assert _stored(stored_sample) == settled
