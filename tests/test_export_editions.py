"""Issue 15: the 报送版 and 工作版, printing as an office prints, CSV data kept, short hints, the PDF."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfgoals.export import write_csv, write_workbook
from perfgoals.export.editions import NOT_CHECKED, Edition, parse_edition
from perfgoals.export.layout import LANDSCAPE_WIDTH
from perfgoals.export.pdf import office_command
from perfgoals.export.printing import decide
from perfgoals.models import Department, GoalTable, Indicator, LinkStatus, Project
from tests.test_export_data import sample_department


@pytest.fixture(scope="module")
def sample() -> Department:
    """The sample department (张家口市科学技术协会, 2022), as ``perfgoals demo`` loads it."""
    from perfgoals.importers import demo_department

    return demo_department()


def _project_sheets(book: Any) -> list[Any]:
    return [sheet for sheet in book.worksheets if sheet.title not in ("目录", "汇总", "对账", "问题", "_perfgoals")]


def test_edition_words() -> None:
    assert parse_edition("报送") is parse_edition("submit") is parse_edition("报送版") is Edition.SUBMIT
    assert parse_edition("工作") is parse_edition("WORK") is Edition.WORK
    with pytest.raises(ValueError, match="报送（submit）"):
        parse_edition("final")


def test_submit_edition_holds_the_toc_and_project_sheets_only(sample: Department, tmp_path: Path) -> None:
    path = tmp_path / "submit.xlsx"
    summary = write_workbook(path, [sample], edition=Edition.SUBMIT)
    assert "报送版" in summary.describe()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "目录" and len(book.sheetnames) == 16
    assert not {"汇总", "对账", "问题", "_perfgoals"} & set(book.sheetnames)
    assert all(sheet.sheet_state == "visible" for sheet in book.worksheets)
    assert len(book.defined_names) == 0
    toc = book["目录"]
    header = [cell.value for cell in toc[2]]
    assert header == ["序号", "部门", "功能科目", "项目名称", "预算金额", "金额说明", "指标行数"]
    rows = [row for row in toc.iter_rows(min_row=3, values_only=True) if row[0] is not None]
    assert len(rows) == 15
    # No status (草稿) anywhere; inferred amounts and suggested links marked.
    cells = {str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row}
    assert "草稿" not in cells
    assert all(row[2].endswith("（待确认）") for row in rows)  # every sample link is only suggested
    assert {row[5] for row in rows} == {"按成本指标推断，待确认", "按政府采购表推断，待确认"}


def test_submit_edition_shows_confirmed_facts_unmarked(tmp_path: Path) -> None:
    department = sample_department()
    confirmed = [
        project.model_copy(update={"line_link": LinkStatus.CONFIRMED}) for project in department.projects
    ]
    path = tmp_path / "clean.xlsx"
    write_workbook(path, [department.model_copy(update={"projects": confirmed})], edition=Edition.SUBMIT)
    toc = openpyxl.load_workbook(path)["目录"]
    rows = [row for row in toc.iter_rows(min_row=3, values_only=True) if row[0] is not None]
    assert not any("待确认" in str(row[2]) for row in rows)
    assert all(row[5] is None for row in rows)  # entered amounts: nothing to say


def test_work_edition_keeps_everything_and_says_when_unchecked(sample: Department, tmp_path: Path) -> None:
    path = tmp_path / "work.xlsx"
    summary = write_workbook(path, [sample], findings=lambda _d: [], checked=False)
    assert "未运行校验" in summary.describe() and "0 条问题" not in summary.describe()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:4] == ["目录", "汇总", "对账", "问题"]
    assert book["_perfgoals"].sheet_state == "veryHidden"
    toc = book["目录"]
    column = [cell.value for cell in toc[2]].index("未处理问题")
    values = [row[column] for row in toc.iter_rows(min_row=3, values_only=True)]
    assert values and set(values) == {NOT_CHECKED}


def test_project_sheets_print_in_one_orientation_and_scale(sample: Department, tmp_path: Path) -> None:
    path = tmp_path / "print.xlsx"
    summary = write_workbook(path, [sample], edition=Edition.SUBMIT)
    book = openpyxl.load_workbook(path)
    sheets = _project_sheets(book)
    assert len(sheets) == 15
    setups = {(s.page_setup.orientation, s.page_setup.scale, s.page_setup.fitToWidth) for s in sheets}
    assert len(setups) == 1
    ((orientation, scale, _fit),) = setups
    assert summary.printing is not None
    assert orientation == ("landscape" if summary.printing.landscape else "portrait")
    assert (int(scale) if scale is not None else 100) == summary.printing.scale
    for sheet in sheets:
        assert not (sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage)
        assert sheet.print_title_rows  # header rows repeated on every page
        assert sheet.oddHeader.center.text  # the project named on every page
        assert sheet["A1"].value.startswith(sheet.oddHeader.center.text.rstrip("…"))


def test_set_printing_decides_once() -> None:
    narrow, wide = [15.0] * 5, [30.0] * 6
    assert sum(wide) > LANDSCAPE_WIDTH >= sum(narrow)
    assert decide([narrow]).landscape is False and decide([narrow]).scale == 100
    both = decide([narrow, wide])
    assert both.landscape is True and both.scale <= 100
    assert decide([narrow, wide, [60.0] * 6]).scale < both.scale


def test_summary_hides_the_columns_that_hold_no_data(sample: Department, tmp_path: Path) -> None:
    path = tmp_path / "summary.xlsx"
    write_workbook(path, [sample], findings=lambda _d: [])
    sheet = openpyxl.load_workbook(path)["汇总"]
    assert sheet.page_setup.orientation == "landscape"
    header = [cell.value for cell in sheet[1]]
    hidden = {
        header[index]
        for index in range(len(header))
        if sheet.column_dimensions[openpyxl.utils.get_column_letter(index + 1)].hidden
    }
    assert "项目编码" in hidden and "上年指标值" in hidden
    assert not {"项目名称", "一级指标", "指标值"} & hidden


def test_csv_keeps_codes_and_percentages_as_written(tmp_path: Path) -> None:
    project = Project(
        name="项目",
        budget_amount=Decimal("10"),
        goal=GoalTable(
            indicators=[
                Indicator(level1="满意度指标", level2="服务对象满意度指标", level3="满意度", value="100%"),
                Indicator(level1="产出指标", level2="数量指标", level3="=1+1", value="-公式"),
            ]
        ),
    )
    department = sample_department().model_copy(update={"code": "003003", "projects": [project]})
    path = tmp_path / "rows.csv"
    write_csv(path, [department])
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert rows[0]["部门编码"] == "003003" and rows[0]["指标值"] == "100%"  # as written: no tab, no formula
    assert not any(value.startswith(("=", "\t")) for row in rows for value in row.values())
    assert rows[1]["三级指标"] == "'=1+1" and rows[1]["指标值"] == "'-公式"  # the formula guard stays


def test_many_departments_get_a_short_hint(cli: Any) -> None:
    assert cli("demo", "--scale", "30").code == 0
    for command in (["check"], ["export"], ["tui", "-y", "2022"]):
        result = cli(*command)
        assert result.code == 2, (command, result.stderr)
        message = result.stderr.strip()
        assert "30 个部门" in message and "-d 部门编码" in message and "--all-departments" in message
        assert len(message) < 160 and message.count("；") <= 1, message


def test_pdf_without_libreoffice_is_a_clear_error(cli: Any, tmp_path: Path) -> None:
    assert cli("demo").code == 0
    result = cli("export", "--pdf", "-o", str(tmp_path / "set.pdf"), env={"PERFGOALS_SOFFICE": "no-such-office"})
    assert result.code == 2
    assert "未找到 LibreOffice" in result.stderr
    assert not (tmp_path / "set.pdf").exists()


@pytest.mark.skipif(office_command() is None, reason="LibreOffice（soffice）未安装：不生成 PDF")
@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo（poppler-utils）未安装：无法读 PDF 页数")
def test_submit_pdf_of_the_sample_prints_its_tables_in_one_orientation(cli: Any, tmp_path: Path) -> None:
    assert cli("demo").code == 0
    target = tmp_path / "set.pdf"
    result = cli("export", "--format", "pdf", "-o", str(target))
    assert result.code == 0, result.stderr
    assert "报送版" in result.stdout
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(target)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    sizes = re.findall(r"^Page +\d+ size: +([\d.]+) x ([\d.]+)", info, flags=re.MULTILINE)
    # 目录 and the 15 tables, one page each, all landscape A4 (the widest tables need it).
    assert pages == 16
    assert len(sizes) == pages and all(float(width) > float(height) for width, height in sizes)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "_perfgoals" not in text and "校验问题" not in text and "草稿" not in text
