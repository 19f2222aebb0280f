"""The exported workbook, read back with openpyxl: values, merges, formats, names, links, printing."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfgoals.checks.findings import Finding, Location, Severity
from perfgoals.export import ExportError, write_workbook
from perfgoals.export.layout import display_width, lines_needed, spans
from perfgoals.export.sheetnames import MAX_LENGTH, SheetNamer, shorten
from perfgoals.models import Department, GoalTable, Indicator, Project
from tests.test_export_data import KEPU_ROWS, LONG_NAME, kepu_project, sample_department

FORMULA_PROJECT = '=HYPERLINK("http://x")[危险]'


def _findings(department: Department) -> list[Finding]:
    where = Location(department=department.code, year=department.year)
    return [
        Finding("PG101", Severity.ERROR, "成本指标超过预算", Location(department.code, department.year, "科普活动", row=5),
                hint="核对预算"),
        Finding("PG201", Severity.WARNING, "指标值方向可疑", Location(department.code, department.year, "科普活动", row=7)),
        Finding("PG202", Severity.WARNING, "已接受的问题", Location(department.code, department.year, "科普活动"),
                accepted=True, acceptance_reason="历史原因"),
        Finding("PG301", Severity.INFO, "部门层面提示", where),
    ]  # fmt: skip


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    path = tmp_path / "out" / "731.xlsx"
    summary = write_workbook(path, [sample_department()], findings=_findings)
    assert summary.projects == 4 and summary.indicator_rows == 14 and summary.findings == 4
    return path


def test_sheets_in_order_with_metadata_hidden(workbook_path: Path) -> None:
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames[:4] == ["目录", "汇总", "对账", "问题"]
    assert book["_perfgoals"].sheet_state == "veryHidden"
    projects = [name for name in book.sheetnames[4:] if name != "_perfgoals"]
    assert projects[0] == "科普活动"
    assert projects[1] == LONG_NAME  # exactly 31 characters: kept whole
    assert projects[2] == '=HYPERLINK("http___x")_危险_'
    for name in book.sheetnames:
        assert len(name) <= MAX_LENGTH and not set(name) & set("[]:*?/\\")
    # No temporary file is left beside the result.
    assert [p.name for p in workbook_path.parent.iterdir()] == ["731.xlsx"]


def test_project_sheet_is_the_published_table(workbook_path: Path) -> None:
    sheet = openpyxl.load_workbook(workbook_path)["科普活动"]
    assert sheet["A1"].value == "科普活动绩效目标表"
    assert sheet["A2"].value == "填报单位：张家口市科学技术协会"
    assert sheet["D2"].value == "预算年度：2022年"
    assert sheet["F2"].value == "单位：万元"
    assert (sheet["A3"].value, sheet["B3"].value, sheet["E3"].value) == ("项目名称", "科普活动", "年度资金")
    # The amount as written, its unit in the number format (65.61 万元): a number, printed with its unit.
    assert sheet["F3"].value == pytest.approx(65.61) and sheet["F3"].number_format == '#,##0.00" 万元"'
    assert sheet.max_column == 6  # an entered amount has no marker beside it
    assert (sheet["A4"].value, sheet["B4"].value) == ("绩效目标", "1.开展科普活动，服务科技工作者")
    header = [cell.value for cell in sheet[5]]
    assert header == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6, max_row=12)]
    for row, expected in zip(rows, KEPU_ROWS, strict=True):
        assert row[2:] == list(expected[2:])
    merged = {str(merged) for merged in sheet.merged_cells.ranges}
    # 产出指标 spans five rows, 数量指标 two; 效益/满意度 stand alone; title, header line and goal row merge across.
    assert {"A6:A10", "B6:B7", "A1:F1", "B4:F4", "A2:C2", "D2:E2", "B3:D3"} <= merged
    assert not any(m.startswith(("A11", "A12", "B8", "B9", "B10")) for m in merged)
    assert sheet["A6"].value == "产出指标" and sheet["A7"].value is None
    # Borders and wrapped text on the table, a CJK font set for East Asian text.
    cell = sheet["D11"]
    assert cell.border.left.style == "thin" and cell.alignment.wrap_text
    assert cell.font.name == "宋体" and cell.font.charset == 134
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 16


def test_column_widths_and_row_heights_fit_the_text(workbook_path: Path) -> None:
    sheet = openpyxl.load_workbook(workbook_path)["科普活动"]
    description = "为开展科普活动做好保障"  # 22 display columns
    assert sheet.column_dimensions["D"].width >= display_width(description)
    # The long 指标值 of 效益指标 wraps within its capped column, and its row grows to show it.
    value_width = sheet.column_dimensions["E"].width
    value = "营造广泛动员、群众参与的良好氛围"
    assert value_width < display_width(value)
    assert lines_needed(value, value_width) >= 2
    assert sheet.row_dimensions[11].height >= 2 * 14
    assert sheet.row_dimensions[6].height < sheet.row_dimensions[11].height


def test_print_setup(workbook_path: Path) -> None:
    sheet = openpyxl.load_workbook(workbook_path)["科普活动"]
    assert sheet.page_setup.paperSize == 9  # A4
    # One scale for the set, never each sheet fitted to the page its own way.
    setup = sheet.sheet_properties.pageSetUpPr
    assert not (setup is not None and setup.fitToPage)
    assert sheet.print_title_rows == "$5:$5"
    assert "第 &P 页" in sheet.oddFooter.center.text
    assert sheet.oddHeader.center.text == "科普活动"  # the project named on every printed page


def test_optional_columns_only_when_used(workbook_path: Path) -> None:
    book = openpyxl.load_workbook(workbook_path)
    sheet = book["全民科学素质行动计划专项经费"]
    header = [cell.value for cell in sheet[5]]
    assert header == [
        "一级指标", "二级指标", "三级指标", "绩效指标描述", "实施期指标值", "年度指标值",
        "度量单位", "指标方向", "权重", "指标值确定依据",
    ]  # fmt: skip
    first = [cell.value for cell in sheet[6]]
    assert first[4:9] == ["≥2000", "≥500", "人次", "正向", 12.5]
    assert sheet["I6"].data_type == "n"
    assert "实施期指标值" not in [cell.value for cell in book["科普活动"][5]]


def test_implementing_unit_mid_term_goal_and_method_only_when_used(tmp_path: Path) -> None:
    kepu = kepu_project()
    indicators = list(kepu.goal.indicators)
    indicators[1] = indicators[1].model_copy(update={"method": "实际举办次数；完成得满分"})
    full = kepu.model_copy(
        update={
            "name": "科普活动（实施期）",
            "implementing_unit": "张家口市科技馆",
            "goal": kepu.goal.model_copy(
                update={"mid_term_goal_text": "三年开展科普活动30次", "indicators": indicators}
            ),
        }
    )
    department = sample_department().model_copy(update={"projects": [full, kepu]})
    path = write_workbook(tmp_path / "m.xlsx", [department], findings=lambda _d: []).path
    book = openpyxl.load_workbook(path)
    sheet = book["科普活动（实施期）"]
    labels = [(sheet.cell(row, 1).value, sheet.cell(row, 2).value) for row in range(3, 7)]
    assert labels == [
        ("项目名称", "科普活动（实施期）"),
        ("实施单位", "张家口市科技馆"),
        ("绩效目标", "1.开展科普活动，服务科技工作者"),
        ("实施期目标", "三年开展科普活动30次"),
    ]
    header = [cell.value for cell in sheet[7]]
    assert header == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据", "计算方法"]
    assert [sheet.cell(row, 7).value for row in (8, 9, 10)] == [None, "实际举办次数；完成得满分", None]
    assert sheet.print_title_rows == "$7:$7"
    assert {"B4:G4", "B5:G5", "B6:G6"} <= {str(merged) for merged in sheet.merged_cells.ranges}
    # Without them the sheet keeps the published layout: no extra rows, no 计算方法 column.
    plain = book["科普活动"]
    assert [plain.cell(row, 1).value for row in (3, 4, 5)] == ["项目名称", "绩效目标", "一级指标"]
    assert "计算方法" not in [cell.value for cell in plain[5]]


def test_formula_like_text_stays_text(workbook_path: Path) -> None:
    book = openpyxl.load_workbook(workbook_path)
    sheet = book['=HYPERLINK("http___x")_危险_']
    assert sheet["A1"].value == FORMULA_PROJECT + "绩效目标表"
    assert sheet["B4"].value == "=1+1" and sheet["B4"].data_type == "s"
    row = [sheet.cell(6, col) for col in range(1, 7)]
    assert [cell.value for cell in row[2:]] == ["+ 增长", "-减少", "@SUM(A1)", "=A1*2"]
    assert all(cell.data_type == "s" for cell in row[2:])
    assert book["目录"]["D5"].value == FORMULA_PROJECT and book["目录"]["D5"].data_type == "s"


def test_table_of_contents_links_and_counts(workbook_path: Path) -> None:
    sheet = openpyxl.load_workbook(workbook_path)["目录"]
    assert sheet["A1"].value == "绩效目标表目录"
    assert [cell.value for cell in sheet[2]] == [
        "序号", "部门", "功能科目", "项目名称", "预算金额", "金额来源", "状态", "未处理问题", "指标行数",
    ]  # fmt: skip
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3, max_row=7)]
    assert rows[0] == [1, "731 张家口市科学技术协会", "2060702", "科普活动", 65.61, "填报", "草稿", 2, 7]
    # Each amount in the unit it was written in: 228500 元 stays 228500, printed in 元.
    assert rows[1][3] == LONG_NAME and rows[1][4] == 228500 and sheet["E4"].number_format == '#,##0.00" 元"'
    assert sheet["E3"].number_format == '#,##0.00" 万元"'
    # The department's total, in 万元 to 0.01: 65.61 + 22.85 + 15 + 0.
    assert rows[4][:5] == [None, "731 张家口市科学技术协会", None, "合计（4 个项目）", pytest.approx(103.46)]
    assert sheet["E7"].number_format == '#,##0.00" 万元"' and rows[4][7:] == [2, 14]
    assert sheet.max_row == 7
    link = sheet["D3"].hyperlink
    assert link is not None and link.location == "'科普活动'!A1"
    assert sheet["D5"].hyperlink.location == "'=HYPERLINK(\"http___x\")_危险_'!A1"
    assert sheet.freeze_panes == "A3"


def test_summary_has_every_indicator_row(workbook_path: Path) -> None:
    sheet = openpyxl.load_workbook(workbook_path)["汇总"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Z15"  # 上年实际完成值 added a column
    header = [cell.value for cell in sheet[1]]
    assert header[:11] == [
        "部门编码", "部门名称", "年度", "项目名称", "项目编码", "功能科目编码",
        "预算金额", "金额单位", "预算金额（万元）", "金额来源", "状态",
    ]  # fmt: skip
    rows = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 14
    assert rows[4]["项目名称"] == "科普活动" and rows[4]["指标值"] == "≤65.61万元"
    assert rows[4]["指标值类型"] == "金额" and rows[4]["序号"] == 5
    assert rows[-1]["权重"] == 10 and rows[-1]["度量单位"] == "%"
    # The amount as written and in 万元: 228500 元 is 22.85 万元.
    long = next(row for row in rows if row["项目名称"] == LONG_NAME)
    assert (long["预算金额"], long["金额单位"], long["预算金额（万元）"], long["金额来源"]) == (228500, "元", 22.85, "填报")
    assert sheet["G9"].number_format == '#,##0.00" 元"' and sheet["I9"].number_format == "#,##0.00####"
    assert sheet["G2"].number_format == '#,##0.00" 万元"'
    # A value with its unit in the 度量单位 column is read with it: ≥500 + 人次 is a 数量 of 人次.
    assert (rows[-2]["指标值"], rows[-2]["指标值类型"], rows[-2]["指标值解读"]) == ("≥500", "数量", "≥ 500 人次")


def test_reconciliation_uses_wan_per_row_unit(workbook_path: Path) -> None:
    sheet = openpyxl.load_workbook(workbook_path)["对账"]
    assert [cell.value for cell in sheet[2]] == [
        "部门", "科目编码", "级次", "科目名称 / 项目名称", "项目支出（万元）", "项目金额合计（万元）", "项目数",
        "差额（万元）", "结论", "说明",
    ]  # fmt: skip
    body = list(sheet.iter_rows(min_row=3))
    rows = {row[1].value: [cell.value for cell in row] for row in body if row[1].value}
    # 206: 444.13 against all four projects (65.61 + 22.85 + 15 + 0); the difference is projects − line.
    assert rows["206"][2:4] == ["类", "科学技术支出（小计）"]
    assert rows["206"][4] == pytest.approx(444.13) and rows["206"][5] == pytest.approx(103.46)
    assert rows["206"][7] == pytest.approx(-340.67) and rows["206"][8] == "不一致"
    assert rows["2060702"][4:9] == [pytest.approx(65.61), pytest.approx(65.61), 1, 0, "一致"]
    # 2060799 is written in 元: 378500 元 = 37.85 万元, the projects add up to 22.85 + 15 + 0.
    assert rows["2060799"][4] == pytest.approx(37.85) and rows["2060799"][7] == pytest.approx(0)
    assert "1 个项目的科目关联待确认" in rows["2060799"][9]
    # Under each line, its projects, one row each with its amount, indented one step further.
    at = next(index for index, row in enumerate(body) if row[1].value == "2060799")
    under = body[at + 1 : at + 4]
    assert [row[3].value for row in under] == [LONG_NAME, FORMULA_PROJECT, "全民科学素质行动计划专项经费"]
    assert [row[2].value for row in under] == ["项目"] * 3
    assert [row[5].value for row in under] == [pytest.approx(22.85), pytest.approx(15), 0]
    assert under[0][9].value == "金额 228,500.00 元；科目关联待确认"
    assert under[0][3].alignment.indent > body[at][3].alignment.indent
    # The department's 合计: every project against the expense table's total (none given here).
    assert rows["合计"][3:9] == ["全部项目", None, pytest.approx(103.46), 4, None, "科目未填项目支出"]
    assert sheet["E3"].number_format == "#,##0.00"


def test_findings_sheet(workbook_path: Path) -> None:
    sheet = openpyxl.load_workbook(workbook_path)["问题"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == ["PG101", "PG201", "PG301", "PG202"]  # open first, by severity
    assert rows[0][:6] == ("PG101", "错误", "731 张家口市科学技术协会", "科普活动", 5, "成本指标超过预算")
    assert rows[3][7] == "已接受：历史原因"
    assert sheet["D3"].hyperlink.location == "'科普活动'!A10"  # indicator row 5 is sheet row 10
    assert sheet["D5"].hyperlink is None


def test_number_formats_and_money_are_numbers(tmp_path: Path) -> None:
    department = sample_department()
    path = write_workbook(tmp_path / "m.xlsx", [department], findings=lambda _d: []).path
    sheet = openpyxl.load_workbook(path)["目录"]
    amount = sheet["E4"]
    assert amount.data_type == "n" and amount.number_format == '#,##0.00" 元"'


def test_multi_department_sheet_names_are_prefixed_and_unique(tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    write_workbook(
        path, [sample_department("731"), sample_department("732")], multi_department=True, findings=lambda _d: []
    )
    book = openpyxl.load_workbook(path)
    assert "731 科普活动" in book.sheetnames and "732 科普活动" in book.sheetnames
    long_names = [name for name in book.sheetnames if name.startswith("731 提前下达")]
    assert len(long_names) == 1 and len(long_names[0]) == MAX_LENGTH and "…" in long_names[0]
    assert long_names[0].endswith("的通知")
    assert len(set(name.casefold() for name in book.sheetnames)) == len(book.sheetnames)
    toc = book["目录"]
    assert toc.max_row == 2 + 8 + 2  # a total row per department
    assert [toc.cell(row, 4).value for row in (7, 12)] == ["合计（4 个项目）"] * 2


def test_only_project_sheets_when_not_consolidated(tmp_path: Path) -> None:
    department = sample_department()
    department = department.model_copy(update={"projects": [kepu_project()]})
    path = write_workbook(tmp_path / "one.xlsx", [department], consolidated=False).path
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["_perfgoals", "科普活动"]
    assert book.active is not None and book.active.title == "科普活动"  # opens on the visible sheet


def test_failed_export_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    target.write_bytes(b"previous export")

    def boom(_department: Department) -> list[Finding]:
        raise RuntimeError("checks failed")

    with pytest.raises(RuntimeError):
        write_workbook(target, [sample_department()], findings=boom)
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]
    with pytest.raises(ExportError, match="没有可导出的部门"):
        write_workbook(tmp_path / "empty.xlsx", [], findings=lambda _d: [])
    assert not (tmp_path / "empty.xlsx").exists()


def test_progress_callback_counts_projects(tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    write_workbook(
        tmp_path / "p.xlsx", [sample_department()], findings=lambda _d: [], total_projects=4,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_empty_goal_table_and_missing_amount(tmp_path: Path) -> None:
    department = sample_department().model_copy(
        update={"projects": [Project(name="空表项目", goal=GoalTable()), kepu_project()]}
    )
    path = write_workbook(tmp_path / "e.xlsx", [department], findings=lambda _d: []).path
    book = openpyxl.load_workbook(path)
    sheet = book["空表项目"]
    assert sheet["A5"].value == "一级指标" and sheet.max_row == 5
    assert book["目录"]["E3"].value is None


# --- sheet names and layout helpers ------------------------------------------------------------


def test_sheet_namer_shortens_recognisably_and_numbers_duplicates() -> None:
    namer = SheetNamer(("目录",))
    long = "关于提前下达2023年中央财政科学技术普及专项资金及配套资金的通知（第二批）"
    first = namer.claim(long)
    assert len(first) == MAX_LENGTH and first.startswith("关于提前下达2023年") and first.endswith("（第二批）")
    second = namer.claim(long)
    assert second != first and second.endswith("(2)") and len(second) <= MAX_LENGTH
    assert namer.claim("目录") == "目录(2)"
    assert namer.claim("a/b:c*d?[e]\\") == "a_b_c_d__e__"
    assert namer.claim("'引号'") == "引号"
    assert namer.claim("History") == "History(2)"
    assert namer.claim("ABC") == "ABC" and namer.claim("abc") == "abc(2)"


@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=20))
def test_sheet_names_always_valid_and_unique(names: list[str]) -> None:
    namer = SheetNamer(("目录", "汇总"))
    claimed = [namer.claim(name) for name in names]
    assert len({name.casefold() for name in claimed}) == len(claimed)
    for name in claimed:
        assert 1 <= sum(2 if ord(c) > 0xFFFF else 1 for c in name) <= MAX_LENGTH
        assert not set(name) & set("[]:*?/\\") and not name.startswith("'") and not name.endswith("'")


def test_shorten_keeps_start_and_end() -> None:
    assert shorten("短名") == "短名"
    text = "一二三四五六七八九十" * 4
    short = shorten(text)
    assert len(short) == MAX_LENGTH and short.startswith("一二三四五") and short.endswith("八九十")


def test_spans_merge_only_equal_nonempty_runs() -> None:
    keys = [("产出",), ("产出",), ("效益",), ("",), ("",), ("满意",)]
    assert spans(keys) == [(0, 1)]


def test_display_width_counts_cjk_double() -> None:
    assert display_width("ab科普") == 6
    assert display_width("≥95%") == 5


def test_big_export_rows_stay_in_order(tmp_path: Path) -> None:
    rows = [Indicator(level1="产出指标", level2="数量指标", level3=f"指标{i}", value=f"≥{i}次") for i in range(300)]
    project = Project(name="大项目", budget_amount=Decimal("1"), goal=GoalTable(indicators=rows))
    department = sample_department().model_copy(update={"projects": [project]})
    path = write_workbook(tmp_path / "big.xlsx", [department], findings=lambda _d: []).path
    book = openpyxl.load_workbook(path)
    sheet = book["大项目"]
    assert sheet.max_row == 5 + 300
    # The 一级 label is merged in runs that fit well within a page, each with the label on top: no printed
    # page is left without it.
    runs = sorted(
        (m for m in sheet.merged_cells.ranges if m.min_col == m.max_col == 1 and m.min_row >= 6), key=lambda m: m.min_row
    )
    assert runs[0].min_row == 6 and runs[-1].max_row == 305
    assert all(later.min_row == earlier.max_row + 1 for earlier, later in itertools.pairwise(runs))
    assert all(run.max_row - run.min_row + 1 <= 12 for run in runs)
    assert all(sheet.cell(run.min_row, 1).value == "产出指标" for run in runs)
    assert sheet["E305"].value == "≥299次"
    assert book["汇总"].max_row == 301


def test_unwritable_destination_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match=r"无法在 .*a-file 写入文件"):
        write_workbook(blocker / "out.xlsx", [sample_department()], findings=lambda _d: [])


def test_large_multi_department_workbook_leaves_out_project_sheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfgoals.export import xlsx

    monkeypatch.setattr(xlsx, "MAX_PROJECT_SHEETS", 5)
    departments = [sample_department("731"), sample_department("732")]
    path = write_workbook(
        tmp_path / "p.xlsx", departments, multi_department=True, total_projects=8, findings=_findings
    ).path
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["目录", "汇总", "对账", "问题", "_perfgoals"]
    assert book["目录"]["D3"].value == "科普活动" and book["目录"]["D3"].hyperlink is None
    assert book["问题"]["D3"].value == "科普活动" and book["问题"]["D3"].hyperlink is None
    assert book["汇总"].max_row == 29
    # Asked for explicitly, they are there.
    path = write_workbook(
        tmp_path / "q.xlsx", departments, multi_department=True, total_projects=8, project_sheets=True,
        findings=lambda _d: [],
    ).path  # fmt: skip
    assert "732 科普活动" in openpyxl.load_workbook(path).sheetnames
