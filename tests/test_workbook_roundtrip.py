"""Workbooks that travel: a department's export imported elsewhere creates it whole; edited in Excel and
brought back, every edited cell is taken (or refused with its reason) and reported before → after."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from perfgoals.documents import dump_document
from perfgoals.export import write_workbook
from perfgoals.importers.workbook import WorkbookImportError, import_workbook
from perfgoals.models import Department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session
from tests.conftest import SAMPLE_TEXT
from tests.test_export_data import sample_department

KEPU = "科普活动"


def _load_sample(engine: Engine) -> None:
    """The sample as ``perfgoals demo`` has it (imported from its text), with a finding accepted."""
    from perfgoals.importers.reading import import_text

    department = import_text(SAMPLE_TEXT.read_bytes(), source=SAMPLE_TEXT.name).department
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=department, user="测试员")
        project_id = repo.load_department(session, department_id=department_id).projects[0].id
        repo.accept_finding(
            session, department_id=department_id, project_id=project_id, code="PG305", reason="按上级模板", user="测试员"
        )


def _department(engine: Engine, code: str = "731") -> Department:
    with read_session(engine) as session:
        key = repo.find_department(session, code=code, year=2022)
        return repo.load_department(session, department_id=key.id)


def _import(engine: Engine, path: Path, *, replace: bool = False) -> str:
    with write_session(engine) as session:
        return import_workbook(session, path=path, user="财务", replace=replace)


@pytest.fixture
def source(tmp_path: Path) -> Engine:
    engine = open_database(f"sqlite:///{tmp_path / 'source.db'}")
    _load_sample(engine)
    yield engine
    engine.dispose()


def test_export_into_an_empty_database_dumps_the_same(source: Engine, engine: Engine, tmp_path: Path) -> None:
    """SQLite → SQLite and SQLite → PostgreSQL: the same dump, byte for byte (revisions included)."""
    original = _department(source)
    write_workbook(tmp_path / "a.xlsx", [original], findings=lambda _d: [])
    report = _import(engine, tmp_path / "a.xlsx")
    assert "新建部门年度" in report and "15 个项目、91 行指标" in report
    copied = _department(engine)
    assert sum(len(p.goal.indicators) for p in copied.projects) == 91
    assert copied.projects[0].acceptances and copied.projects[0].acceptances[0].reason == "按上级模板"
    assert dump_document(copied) == dump_document(original)
    # Imported again: nothing to do, nothing reported as done.
    assert "更新 0 个项目" in _import(engine, tmp_path / "a.xlsx")


def _edit(path: Path, edited: Path) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[KEPU]
    assert sheet["A1"].value == "科普活动绩效目标表" and sheet["A3"].value == "项目名称"
    sheet["B3"] = "科普活动（改）"  # 项目名称
    sheet["A1"] = "科普活动（改）绩效目标表"  # the title says the same
    assert sheet["E7"].value == "22人"
    sheet["E7"] = "25人"
    # Row 9 (时效指标) deleted by clearing it (its 一级 cell is part of the merged 产出指标).
    assert sheet["C9"].value == "活动开展时间"
    for col in "BCDEF":
        sheet[f"{col}9"] = None
    # A new row: 95% typed into Excel (a number shown as percent), a deadline Excel took for a date, a
    # figure Excel computed (0.1 + 0.2).
    sheet["A13"], sheet["B13"], sheet["C13"] = "满意度指标", "服务对象满意度指标", "参观公众满意度"
    sheet["D13"] = 0.1 + 0.2
    sheet["E13"] = 0.95
    sheet["E13"].number_format = "0%"
    sheet["F13"] = datetime(2022, 12, 1)
    sheet["F13"].number_format = 'yyyy"年"m"月"'
    book.save(edited)


def _named(department: Department, name: str) -> int:
    return next(i for i, p in enumerate(department.projects) if p.name == name)


def test_edits_come_back_exactly_and_are_reported_cell_by_cell(source: Engine, tmp_path: Path) -> None:
    before = _department(source)
    write_workbook(tmp_path / "a.xlsx", [before], findings=lambda _d: [])
    _edit(tmp_path / "a.xlsx", tmp_path / "edited.xlsx")

    report = _import(source, tmp_path / "edited.xlsx")
    after = _department(source)
    at = _named(before, KEPU)
    kepu_before, kepu = before.projects[at], after.projects[at]
    assert kepu.name == "科普活动（改）" and kepu.id == kepu_before.id
    assert "科普活动!B3（项目名称）：科普活动 → 科普活动（改）" in report
    assert "科普活动!E7（指标值）：22人 → 25人" in report
    assert "科普活动!第 9 行（删除）" in report
    assert "科普活动!第 13 行（新增）" in report and "95%" in report
    rows = kepu.goal.indicators
    added = rows[-1]
    assert (added.level3, added.value, added.basis) == ("参观公众满意度", "95%", "2022年12月")
    assert added.description == "0.3"
    assert "科普活动!E13" not in report  # a new row is listed whole, not cell by cell
    assert rows[1].value == "25人"
    assert len(rows) == len(kepu_before.goal.indicators)  # one deleted, one added
    assert [r.level3 for r in rows[:-1]] == [
        r.level3 for i, r in enumerate(kepu_before.goal.indicators) if i != 3
    ]
    # Nothing else changed: every other project as it was, this one but for the cells edited.
    assert [p for i, p in enumerate(after.projects) if i != at] == [
        p for i, p in enumerate(before.projects) if i != at
    ]
    expected = kepu_before.model_copy(
        update={
            "name": "科普活动（改）",
            "goal": kepu_before.goal.model_copy(
                update={"indicators": rows, "revision": kepu_before.goal.revision + 1}
            ),
        }
    )
    assert kepu == expected


def test_summary_is_read_only_and_its_edits_are_reported(source: Engine, tmp_path: Path) -> None:
    before = _department(source)
    write_workbook(tmp_path / "a.xlsx", [before], findings=lambda _d: [])
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    summary = book["汇总"]
    assert summary.protection.sheet  # protected, without a password
    header = [cell.value for cell in summary[1]]
    column = header.index("指标值") + 1
    old = summary.cell(2, column).value
    summary.cell(2, column).value = "≥99期"
    book.save(tmp_path / "edited.xlsx")
    report = _import(source, tmp_path / "edited.xlsx")
    letter = openpyxl.utils.get_column_letter(column)
    assert f"汇总!{letter}2：{old} → ≥99期（未导入：汇总由各项目表生成，为只读" in report
    assert _department(source) == before


def test_a_colleagues_change_survives_a_stale_workbook(source: Engine, tmp_path: Path) -> None:
    before = _department(source)
    write_workbook(tmp_path / "a.xlsx", [before], findings=lambda _d: [])
    at = _named(before, KEPU)
    kepu = before.projects[at]
    with write_session(source) as session:
        rows = list(kepu.goal.indicators)
        rows[0] = rows[0].model_copy(update={"value": "≥10期"})
        repo.save_project(
            session,
            project=kepu.model_copy(update={"goal": kepu.goal.model_copy(update={"indicators": rows})}),
            expected_revision=kepu.goal.revision,
            user="同事",
        )
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    book[KEPU]["E7"] = "25人"
    book.save(tmp_path / "edited.xlsx")
    report = _import(source, tmp_path / "edited.xlsx", replace=True)  # --replace never reverts their cells
    assert "保留了他人在导出后修改的" not in report or KEPU in report
    values = [row.value for row in _department(source).projects[at].goal.indicators[:2]]
    assert values == ["≥10期", "25人"]


def test_a_folder_of_two_workbooks_in_one_transaction(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "gathered"
    folder.mkdir()
    write_workbook(folder / "a.xlsx", [sample_department("731")], findings=lambda _d: [])
    write_workbook(folder / "b.xlsx", [sample_department("999")], findings=lambda _d: [])
    target = str(tmp_path / "office.db")
    result = cli("import", str(folder), db=target)
    assert result.code == 0, result
    assert result.stdout.count("新建部门年度") == 2
    listed = cli("list", db=target).stdout
    assert "731" in listed and "999" in listed

    # A folder with a bad workbook: nothing written, every obstacle listed.
    bad_folder = tmp_path / "bad"
    bad_folder.mkdir()
    write_workbook(bad_folder / "a.xlsx", [sample_department("732")], findings=lambda _d: [])
    for name, code in (("b.xlsx", "733"), ("c.xlsx", "734")):
        write_workbook(bad_folder / name, [sample_department(code)], findings=lambda _d: [])
        book = openpyxl.load_workbook(bad_folder / name)
        book[KEPU]["B3"] = ""
        book[KEPU]["A1"] = "别的项目绩效目标表"
        book.save(bad_folder / name)
    other = str(tmp_path / "other.db")
    result = cli("import", str(bad_folder), db=other)
    assert result.code == 2, result
    assert "2 个工作簿无法导入，本次没有写入任何内容" in result.stderr
    assert "b.xlsx" in result.stderr and "c.xlsx" in result.stderr
    assert "732" not in cli("list", db=other).stdout


def test_a_conflicting_cell_is_listed_and_nothing_written(source: Engine, tmp_path: Path) -> None:
    before = _department(source)
    write_workbook(tmp_path / "a.xlsx", [before], findings=lambda _d: [])
    at = _named(before, KEPU)
    kepu = before.projects[at]
    with write_session(source) as session:
        repo.save_project(
            session,
            project=kepu.model_copy(update={"name": "同事改的名"}),
            expected_revision=kepu.goal.revision,
            user="同事",
        )
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    book[KEPU]["B3"] = "我改的名"
    book.save(tmp_path / "edited.xlsx")
    with pytest.raises(WorkbookImportError, match="项目名称：工作簿为 我改的名，数据库中（他人修改）为 同事改的名"):
        _import(source, tmp_path / "edited.xlsx")
    assert _department(source).projects[at].name == "同事改的名"
    _import(source, tmp_path / "edited.xlsx", replace=True)
    assert _department(source).projects[at].name == "我改的名"


def _block_department() -> Department:
    from decimal import Decimal

    from perfgoals.export.goal_layouts import NAMED_LAYOUTS
    from perfgoals.models import LayoutFamily

    department = sample_department("731")
    project = department.projects[0]
    department.projects[0] = project.model_copy(
        update={
            "attribute": "延续",
            "period": "2022.1-2022.12",
            "superior_amount": Decimal("5.00"),
            "goal": project.goal.model_copy(
                update={"layout": LayoutFamily.CENTRAL, "columns": list(NAMED_LAYOUTS["central"])}
            ),
        }
    )
    return department


def _labelled(sheet: object, label: str) -> str:
    for row in sheet.iter_rows(max_row=15):  # type: ignore[attr-defined]
        if row[0].value == label:
            return str(row[1].coordinate)
    raise AssertionError(label)


def test_block_rows_come_back(engine: Engine, tmp_path: Path) -> None:
    from decimal import Decimal

    with write_session(engine) as session:
        repo.save_department(session, department=_block_department(), user="测试员")
    before = _department(engine)
    write_workbook(tmp_path / "a.xlsx", [before], findings=lambda _d: [])
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book[KEPU]
    attribute, period, superior = (_labelled(sheet, label) for label in ("项目属性", "实施期", "上级资金"))
    sheet[attribute] = "新增"
    sheet[period] = datetime(2023, 1, 1)
    sheet[period].number_format = "yyyy.m"
    sheet[superior] = 6.5
    book.save(tmp_path / "edited.xlsx")
    report = _import(engine, tmp_path / "edited.xlsx")
    project = _department(engine).projects[0]
    assert (project.attribute, project.period, project.superior_amount) == ("新增", "2023.1", Decimal("6.5"))
    assert f"科普活动!{attribute}（项目属性）：延续 → 新增" in report
    assert f"科普活动!{period}（实施期）：2022.1-2022.12 → 2023.1" in report
    assert f"科普活动!{superior}（上级资金）：5.00 → 6.5" in report
    assert project.goal.indicators == before.projects[0].goal.indicators


@pytest.mark.parametrize("layout", [None, "national", "central", "two_groups", "sichuan", "hubei", "hunan"])
def test_an_unedited_workbook_in_any_layout_reports_nothing(tmp_path: Path, layout: str | None) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'b.db'}")
    with write_session(engine) as session:
        repo.save_department(session, department=_block_department(), user="测试员")
    before = _department(engine)
    write_workbook(tmp_path / "a.xlsx", [before], findings=lambda _d: [], layout=layout)
    assert _import(engine, tmp_path / "a.xlsx") == "已从 a.xlsx 导入：更新 0 个项目的绩效目标表；4 个项目未改动。"
    assert _department(engine) == before
    engine.dispose()


def test_a_cell_with_no_place_in_the_data_is_refused_with_its_reason(source: Engine, tmp_path: Path) -> None:
    before = _department(source)
    write_workbook(tmp_path / "a.xlsx", [before], findings=lambda _d: [])
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    book[KEPU]["A2"] = "填报单位：别的单位"
    book[KEPU]["E7"] = "30人"
    book.save(tmp_path / "edited.xlsx")
    report = _import(source, tmp_path / "edited.xlsx")
    assert "科普活动!A2：填报单位：张家口市科学技术协会 → 填报单位：别的单位（未导入：这一格不对应 perfgoals 保存的数据）" in report
    assert "科普活动!E7（指标值）：22人 → 30人" in report  # the other edit is taken
    assert _department(source).projects[_named(before, KEPU)].goal.indicators[1].value == "30人"


def test_footer_edits_come_back(engine: Engine, tmp_path: Path) -> None:
    from perfgoals.models import Footer

    department = sample_department("731")
    project = department.projects[0]
    footers = [Footer(label="审核意见", text="同意"), Footer(label="填表人", text="张三")]
    department.projects[0] = project.model_copy(update={"goal": project.goal.model_copy(update={"footers": footers})})
    with write_session(engine) as session:
        repo.save_department(session, department=department, user="测试员")
    before = _department(engine)
    write_workbook(tmp_path / "a.xlsx", [before], findings=lambda _d: [])
    assert "更新 0 个项目" in _import(engine, tmp_path / "a.xlsx")
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = book[KEPU]
    at = next(row[0].row for row in sheet.iter_rows() if row[0].value == "填表人")
    sheet.cell(at, 2).value = "李四"
    book.save(tmp_path / "edited.xlsx")
    report = _import(engine, tmp_path / "edited.xlsx")
    assert "科普活动!填表人：张三 → 李四" in report
    after = _department(engine).projects[0]
    assert [(f.label, f.text) for f in after.goal.footers] == [("审核意见", "同意"), ("填表人", "李四")]
    assert after.goal.indicators == before.projects[0].goal.indicators


def test_a_workbook_of_two_departments_creates_both(engine: Engine, tmp_path: Path) -> None:
    first, second = sample_department("731"), sample_department("999")
    write_workbook(tmp_path / "a.xlsx", [first, second], findings=lambda _d: [])
    report = _import(engine, tmp_path / "a.xlsx")
    assert report.count("个功能科目") == 2 and "汇总!" not in report
    for original in (first, second):
        assert dump_document(_department(engine, original.code)) == dump_document(original)


def test_the_embedded_dump_spans_cells_and_keeps_every_character(engine: Engine, tmp_path: Path) -> None:
    """A dump longer than a cell holds is cut across rows and comes back whole, control characters,
    bidi overrides and the signs the export shows for them included."""
    department = sample_department("731")
    project = department.projects[0]
    text = "目标" * 20000 + "\u202e反向\u202c␛<U+202E>\x0b结束"
    department.projects[0] = project.model_copy(update={"goal": project.goal.model_copy(update={"goal_text": text})})
    write_workbook(tmp_path / "a.xlsx", [department], findings=lambda _d: [])
    meta = openpyxl.load_workbook(tmp_path / "a.xlsx")["_perfgoals"]
    assert sum(1 for row in meta.iter_rows(min_row=6) if row[0].value is None) >= 2  # dump rows
    assert "新建部门年度" in _import(engine, tmp_path / "a.xlsx")
    assert dump_document(_department(engine)) == dump_document(department)
