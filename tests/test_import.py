"""The importer against the sample disclosure: its text form, and a .docx built from it with real merges.

Expected values are read from the sample's raw lines by this test's own small reader (``SampleText``),
never by calling the importer, and compared with what the importer produced, field by field.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as new_document

from perfgoals.importers import demo_department
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.reading import ImportResult, import_docx, import_text
from perfgoals.models import AmountSource, Department, FundSource, LayoutFamily, LinkStatus, SummaryTable

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "perfgoals" / "data" / "zhangjiakou-kexie-2022-budget.txt"
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
GOAL_TITLE = re.compile(r"^(\d+)、\s*(.*?)\s*绩效目标表$")


# --------------------------------------------------------------------- the test's own reading of the sample
@dataclass
class Block:
    kind: str  # "p" or "t"
    text: str = ""
    rows: list[list[str]] | None = None


def blocks_of(text: str) -> list[Block]:
    """Paragraphs and tables of the text form, read independently of the importer."""
    blocks: list[Block] = []
    row: list[str] = []
    table: Block | None = None
    for line in text.splitlines():
        if line.startswith("\t"):
            if table is None:
                table = Block("t", rows=[])
                blocks.append(table)
            row.append(line[1:])
        elif line == "":
            if row and table is not None and table.rows is not None:
                table.rows.append(row)
            row = []
        else:
            if row and table is not None and table.rows is not None:
                table.rows.append(row)
            row, table = [], None
            blocks.append(Block("p", text=BOOKMARK.sub("", line)))
    if row and table is not None and table.rows is not None:
        table.rows.append(row)
    return blocks


class SampleText:
    def __init__(self) -> None:
        self.text = SAMPLE.read_text(encoding="utf-8")
        self.blocks = blocks_of(self.text)

    def table_after(self, heading: str) -> list[list[str]]:
        """The rows of the first table after the paragraph ``heading``."""
        for index, block in enumerate(self.blocks):
            if block.kind == "p" and block.text.strip() == heading:
                for later in self.blocks[index + 1 :]:
                    if later.kind == "t" and later.rows is not None:
                        return later.rows
        raise AssertionError(f"no table after {heading}")

    def goal_tables(self) -> list[tuple[str, str, list[list[str]]]]:
        """(title, goal text, indicator rows as printed) of every numbered goal table."""
        result = []
        for index, block in enumerate(self.blocks):
            match = GOAL_TITLE.match(block.text) if block.kind == "p" else None
            if not match:
                continue
            goal_rows = self.blocks[index + 1].rows
            indicator_rows = self.blocks[index + 3].rows
            assert goal_rows is not None and indicator_rows is not None
            assert goal_rows[0][0] == "绩效目标" and indicator_rows[0][0] == "一级指标"
            result.append((match.group(2), "\n".join(goal_rows[0][1:]), indicator_rows[1:]))
        return result


SAMPLE_TEXT = SampleText()
D = Decimal


def amount(cell: str) -> Decimal | None:
    return D(cell) if cell.strip() else None


# --------------------------------------------------------------------- the .docx built from the sample
#: How many grid columns a header cell covers where the text extraction collapsed a merge; the last cell
#: of a short row takes what remains.  This is what the published Word tables look like.
HEADER_SPANS = {"功能分类科目": 2, "支出部门经济分类科目": 2, "本年收入": 8, "收入": 2, "政府采购项目来源": 2,
                "政府采购金额（当年部门预算安排资金）": 8}


def _is_data(row: list[str]) -> bool:
    first = row[0].strip()
    return first.isdigit() or first == "栏次" or bool(re.fullmatch(r"[\d.]+", "".join(row[1:2]).strip()))


@dataclass
class Cell:
    text: str
    span: int = 1
    merge: str | None = None  # "restart" or "continue": a vertical merge


def _add_table(document, rows: list[list[Cell]], width: int) -> None:  # type: ignore[no-untyped-def]
    """Append a real Word table (gridSpan for horizontal merges, vMerge for vertical ones)."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml

    parts = [f'<w:tbl xmlns:w="{W}"><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>']
    parts.append("<w:gridCol/>" * width + "</w:tblGrid>")
    for row in rows:
        parts.append("<w:tr>")
        for cell in row:
            properties = (f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else "") + (
                '<w:vMerge w:val="restart"/>' if cell.merge == "restart" else "<w:vMerge/>" if cell.merge else "")
            paragraphs = "".join(
                f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
                for line in (cell.text.split("\n") if cell.text else [""])
            )
            parts.append(f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraphs}</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    table = parse_xml("".join(parts))
    body = document.element.body
    if body.sectPr is not None:
        body.sectPr.addprevious(table)
    else:
        body.append(table)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _merge_down(rows: list[list[Cell]], r: int, index: int) -> bool:
    """Make cell ``index`` of row ``r`` continue the cell above it, where both cover the same columns."""
    start = sum(c.span for c in rows[r][:index])
    column = 0
    for above in rows[r - 1]:
        if column == start and above.span == rows[r][index].span and (above.text.strip() or above.merge):
            above.merge = above.merge or "restart"
            rows[r][index] = Cell("", above.span, "continue")
            return True
        column += above.span
    return False


def _budget_rows(rows: list[list[str]], width: int) -> list[list[Cell]]:
    result: list[list[Cell]] = []
    header_done = False
    for cells in rows:
        header_done = header_done or _is_data(cells)
        spans = [1] * len(cells)
        if len(cells) < width:
            used = 0
            for i, cell in enumerate(cells):
                spans[i] = HEADER_SPANS.get(re.sub(r"\s+", "", cell), 1)
                used += spans[i]
            spans[-1] += width - used
        result.append([Cell(text, span) for text, span in zip(cells, spans, strict=True)])
        if not header_done and len(result) > 1:
            for index, text in enumerate(cells):
                if not text.strip():
                    _merge_down(result, len(result) - 1, index)  # a header cell continuing downwards
    return result


def _goal_rows(title: str | None, goal: list[list[str]], indicators: list[list[str]]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[Cell(title, 6)]] if title else []  # the title row, merged across
    rows += [[Cell(cells[0]), Cell("\n".join(cells[1:]), 5)] for cells in goal]
    for n, cells in enumerate(indicators):
        rows.append([Cell(text) for text in cells])
        # 一级 and 二级 merge vertically where the printed table leaves 一级 blank and repeats 二级.
        if n > 1 and not cells[0].strip():
            _merge_down(rows, len(rows) - 1, 0)
            if cells[1] == indicators[n - 1][1]:
                _merge_down(rows, len(rows) - 1, 1)
    return rows


def build_docx(text: str) -> bytes:
    """A Word document with the sample's paragraphs and tables, merged as published ones are."""
    document = new_document()
    blocks = blocks_of(text)
    index = 0
    goal_number = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "p" and GOAL_TITLE.match(block.text):
            goal_number += 1
            goal, indicators = blocks[index + 1].rows, blocks[index + 3].rows
            assert goal is not None and indicators is not None
            if goal_number % 2:
                document.add_paragraph(block.text)  # title in the paragraph before the table
                _add_table(document, _goal_rows(None, goal, indicators), 6)
            else:
                _add_table(document, _goal_rows(block.text, goal, indicators), 6)  # title row inside
            index += 4
            continue
        if block.kind == "p":
            if block.text.strip():
                document.add_paragraph(block.text)
        else:
            rows = block.rows or []
            width = max(len(row) for row in rows)
            if "三公" in _previous_text(blocks, index):
                # This table's unit line sits above it, as a paragraph.
                document.add_paragraph("\u3000".join(rows[0]))
                rows = rows[1:]
            _add_table(document, _budget_rows(rows, width), width)
        index += 1
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _previous_text(blocks: list[Block], index: int) -> str:
    return next((b.text for b in reversed(blocks[:index]) if b.kind == "p" and b.text.strip()), "")


@pytest.fixture(scope="module")
def text_result() -> ImportResult:
    return import_text(SAMPLE.read_bytes(), source=SAMPLE.name)


@pytest.fixture(scope="module")
def docx_result() -> ImportResult:
    return import_docx(build_docx(SAMPLE_TEXT.text), source="sample.docx")


@pytest.fixture(params=["text", "docx"])
def result(request: pytest.FixtureRequest, text_result: ImportResult, docx_result: ImportResult) -> ImportResult:
    return text_result if request.param == "text" else docx_result


# --------------------------------------------------------------------- department-level facts
def test_department_identity(result: ImportResult) -> None:
    department = result.department
    assert (department.code, department.name, department.year) == ("731", "张家口市科学技术协会", 2022)
    assert department.money_unit == "万元"
    assert department.framework == "mof-2015"


def test_every_function_line_and_total(result: ImportResult) -> None:
    department = result.department
    spending = SAMPLE_TEXT.table_after("部门预算支出总表")
    income = SAMPLE_TEXT.table_after("部门预算收入总表")
    fiscal = SAMPLE_TEXT.table_after("部门预算一般公共预算财政拨款支出表")
    expected_codes = [row[1] for row in spending if re.fullmatch(r"\d{3,7}", row[1])]
    assert [line.code for line in department.budget_lines] == expected_codes
    for row in spending:
        if not row[0].isdigit():
            continue
        line = department.line(row[1]) if row[1] else department.function_total
        assert line is not None, row
        if row[1]:
            assert department.line(row[1]).name == row[2]  # type: ignore[union-attr]
        assert (line.total, line.basic, line.project) == (amount(row[3]), amount(row[4]), amount(row[5])), row
        assert line.unit == "万元"
    for row in income:
        if not row[0].isdigit():
            continue
        line = department.line(row[1]) if row[1] else department.function_total
        assert line is not None
        assert line.income_total == amount(row[3]) and line.income_current == amount(row[4]), row
        assert line.income_sources.get("财政拨款收入") == amount(row[5]), row
        assert line.carryover == amount(row[12]), row
    for row in fiscal:
        if not row[0].isdigit():
            continue
        line = department.line(row[1]) if row[1] else department.function_total
        assert line is not None
        split = line.fiscal["一般公共预算"]
        assert (split.total, split.basic, split.project) == (amount(row[3]), amount(row[4]), amount(row[5]))
    assert department.function_total is not None
    assert department.function_total.total == D("1135.10")


def test_economic_three_public_and_procurement(result: ImportResult) -> None:
    department = result.department
    economic = [row for row in SAMPLE_TEXT.table_after("部门预算一般公共预算财政拨款基本支出表") if row[0].isdigit()]
    assert [(e.code, e.name, e.total, e.personnel, e.public) for e in department.economic_lines] == [
        ("" if row[2] == "合计" else row[1], row[2], amount(row[3]), amount(row[4]), amount(row[5]))
        for row in economic
    ]
    three = [row for row in SAMPLE_TEXT.table_after("部门预算财政拨款“三公”经费支出表") if row[0].isdigit()]
    assert [(t.position, t.item, t.total) for t in department.three_public] == [
        (int(row[0]), row[1].strip(), amount(row[2])) for row in three
    ]
    assert {t.category for t in department.three_public} >= {"total", "subtotal", "vehicle_operation", "reception"}
    assert department.three_public[0].amounts == {"一般公共预算财政拨款": D("5.42")}
    procurement = [row for row in SAMPLE_TEXT.table_after("部门政府采购预算") if len(row) == 16 and row[3].startswith("A")]
    assert [(p.project_name, p.project_budget, p.item, p.catalogue_code, p.measure, p.quantity, p.unit_price, p.amount)
            for p in department.procurement] == [
        (row[0], amount(row[1]), row[2], row[3], row[4], amount(row[5]), amount(row[6]), amount(row[7]))
        for row in procurement
    ]
    assert all(p.funding == {"一般公共预算拨款": p.amount} and p.sme_reserved == p.amount for p in department.procurement)
    assert department.procurement_total == D("13.86")


def test_summary_tables(result: ImportResult) -> None:
    department = result.department
    rows = [row for row in SAMPLE_TEXT.table_after("部门预算收支总表") if row[0].isdigit()]
    budget = [r for r in department.summary_rows if r.table is SummaryTable.BUDGET]
    expected = []
    for row in rows:
        for side, item, value in (("收入", row[1], row[2]), ("支出", row[3], row[4])):
            if item.strip() or value.strip():
                expected.append((side, int(row[0]), item, {"预算数": D(value)} if value.strip() else {}))
    assert [(r.side, r.position, r.item, r.amounts) for r in budget] == expected
    fiscal = [r for r in department.summary_rows if r.table is SummaryTable.FISCAL]
    last = [r for r in fiscal if r.position == 36]
    assert [(r.side, r.item, r.amounts) for r in last] == [
        ("收入", "收入总计", {"金额": D("1135.10")}),
        ("支出", "支出总计", {"合计": D("1135.10"), "一般公共预算财政拨款": D("1135.10")}),
    ]


def test_narrative_goals_and_org_units(result: ImportResult) -> None:
    department = result.department
    lines = SAMPLE_TEXT.text.splitlines()
    start = lines.index("（一）总体绩效目标")
    middle = lines.index("（二）分项绩效目标")
    end = lines.index("（三）工作保障措施")
    stop = lines.index("第二部分  预算项目绩效目标")
    assert department.goals.overall == "\n".join(lines[start + 1 : middle])
    assert department.goals.itemised == "\n".join(lines[middle + 1 : end])
    assert department.goals.safeguards == "\n".join(lines[end + 1 : stop])
    org = SAMPLE_TEXT.table_after("部门机构设置情况")
    assert [(u.name, u.nature, u.rank, u.funding) for u in department.org_units] == [tuple(r) for r in org[1:]]


# --------------------------------------------------------------------- projects and goal tables
def test_every_project_and_indicator_row(result: ImportResult) -> None:
    department = result.department
    tables = SAMPLE_TEXT.goal_tables()
    assert len(tables) == 15
    assert [p.name for p in department.projects] == [title for title, _, _ in tables]
    for project, (_, goal_text, rows) in zip(department.projects, tables, strict=True):
        assert project.goal.goal_text == goal_text
        expected = []
        level1 = level2 = ""
        for row in rows:
            level1 = row[0] or level1
            level2 = row[1] or level2
            expected.append((level1, level2, row[2], row[3], row[4], row[5]))
        got = [(i.level1, i.level2, i.level3, i.description, i.value, i.basis) for i in project.goal.indicators]
        assert got == expected, project.name
    assert result.indicator_rows == sum(len(rows) for _, _, rows in tables) == 91


def test_project_amounts_from_cost_indicator_or_procurement(result: ImportResult) -> None:
    for project, (_, _, rows) in zip(result.department.projects, SAMPLE_TEXT.goal_tables(), strict=True):
        cost = next(row[4] for row in rows if row[1] == "成本指标")
        match = re.fullmatch(r"≤([\d.]+)(万元|元)", cost)
        assert match, cost
        if project.name == "科普活动":  # the procurement table gives its 预算资金
            assert (project.budget_amount, project.amount_unit, project.amount_source) == (
                D("65.61"), "万元", AmountSource.PROCUREMENT)
        else:
            assert (project.budget_amount, project.amount_unit, project.amount_source) == (
                D(match.group(1)), match.group(2), AmountSource.COST_INDICATOR)


#: Which line each project is charged to, and from which fund (the sample's arithmetic truth).
LINKS = {
    "租赁办公场所费用": ("2060701", FundSource.CURRENT),
    "老科学工作者协会工作经费": ("2060701", FundSource.CURRENT),
    "科普活动": ("2060702", FundSource.CURRENT),
    "全民科学素质行动计划专项经费": ("2060702", FundSource.CURRENT),
    "提前下达2022年基层科普行动计划中央补助资金的通知": ("2060702", FundSource.CURRENT),
    "提前下达2022年省级支持市县科技创新和科学普及专项资金的通知": ("2060702", FundSource.CURRENT),
    "科普经费": ("2060702", FundSource.CARRYOVER),
    "常设展览经费": ("2060705", FundSource.CURRENT),
    "科技馆日常运行委托业务": ("2060705", FundSource.CURRENT),
    "科普大篷车经费": ("2060705", FundSource.CURRENT),
    "关于提前下达2022年科技馆免费开放中央补助资金": ("2060705", FundSource.CURRENT),
    "河北省财政厅关于提前下达2021年科技馆免费开放中央补助资金的通知": ("2060705", FundSource.CARRYOVER),
    "河北省财政厅关于下达2021年科技馆免费开放中央补助的通知（49号）": ("2060705", FundSource.CARRYOVER),
    "开展科技工作者助力乡村振兴经费": ("2060799", FundSource.CURRENT),
    "开展科技工作者助力精准扶贫经费": ("2060799", FundSource.CARRYOVER),
}


def test_budget_line_links_are_suggested_and_right(result: ImportResult) -> None:
    department = result.department
    assert {p.name: (p.budget_line_code, p.fund_source) for p in department.projects} == LINKS
    assert all(p.line_link is LinkStatus.SUGGESTED for p in department.projects)
    ambiguous = {link.project for link in result.links.ambiguous}
    assert ambiguous == {"老科学工作者协会工作经费", "全民科学素质行动计划专项经费"}
    assert result.links.solutions == 2 and result.links.complete


def test_unplaced_table_is_reported_with_its_place(text_result: ImportResult) -> None:
    line = SAMPLE_TEXT.text.splitlines().index("\t张家口市科学技术协会固定资产占用情况表") + 1
    notes = [str(note) for note in text_result.notes]
    assert any(f"第 {line} 行" in note and "固定资产占用情况表" in note for note in notes), notes
    assert len(notes) == 1


def test_docx_and_text_give_the_same_department(text_result: ImportResult, docx_result: ImportResult) -> None:
    assert docx_result.department.model_dump() == text_result.department.model_dump()


def test_demo_department_is_the_imported_sample(text_result: ImportResult) -> None:
    assert demo_department().model_dump() == text_result.department.model_dump()


def _text_department(text: str) -> Department:
    return import_text(text.encode("utf-8"), source="t.txt").department


def test_grouped_and_full_width_numbers_read_right() -> None:
    text = SAMPLE_TEXT.text.replace("\t1135.10\n\t690.97", "\t1,135.10\n\t６９０.９７", 1)
    assert text != SAMPLE_TEXT.text
    department = _text_department(text)
    assert department.function_total is not None
    assert (department.function_total.total, department.function_total.basic) == (D("1135.10"), D("690.97"))


def test_unreadable_number_names_table_row_and_column() -> None:
    lines = SAMPLE_TEXT.text.splitlines()
    number = lines.index("\t409.91") + 1  # 2060701 合计 in the 收入总表
    lines[number - 1] = "\t409.9l"
    with pytest.raises(ImportFailure) as caught:
        _text_department("\n".join(lines))
    message = str(caught.value)
    assert "t.txt" in message and "部门预算收入总表" in message and "合计" in message and "409.9l" in message
    row_start = max(i for i in range(number) if lines[i] == "") + 2
    assert f"第 {row_start} 行" in message


def test_goal_table_with_a_missing_column_is_refused() -> None:
    lines = SAMPLE_TEXT.text.splitlines()
    header = lines.index("3、科普活动绩效目标表") + 6
    assert lines[header + 4] == "\t指标值"
    del lines[header + 4]  # drop the 指标值 header cell
    with pytest.raises(ImportFailure) as caught:
        _text_department("\n".join(lines))
    assert "科普活动绩效目标表" in str(caught.value) and "指标值" in str(caught.value)


def test_goal_row_with_an_extra_cell_names_the_row() -> None:
    lines = SAMPLE_TEXT.text.splitlines()
    row = lines.index("\t编印期数") - 2  # the row of 科普活动's first indicator
    lines.insert(row + 6, "\t多出的一格")
    with pytest.raises(ImportFailure) as caught:
        _text_department("\n".join(lines))
    message = str(caught.value)
    assert "科普活动绩效目标表" in message and f"第 {row + 1} 行" in message and "7 列" in message


def test_other_layout_columns_map_to_indicator_fields() -> None:
    text = "\n".join([
        "[bookmark: x]部门预算支出总表",
        "\t101某某局", "\t预算年度：2023", "\t单位：元", "",
        "\t科目编码", "\t科目名称", "\t合计", "\t基本支出", "\t项目支出", "",
        "\t", "\t合计", "\t1,000.00", "\t", "\t1,000.00", "",
        "\t2010101", "\t行政运行", "\t１０００.００", "\t", "\t1000.00", "",
        "1、办公运转保障绩效目标表",
        "\t年度绩效目标", "\t1.保障机关运转", "",
        "\t一级指标", "\t二级指标", "\t三级指标", "\t实施期指标值", "\t年度指标值", "\t度量单位", "\t权重",
        "\t指标方向", "",
        "\t产出指标", "\t数量指标", "\t保障人数", "\t≥20", "\t≥20", "\t人", "\t20", "\t正向", "",
        "\t", "\t成本指标", "\t预算控制数", "\t", "\t≤1000元", "\t元", "\t10", "\t反向", "",
    ])
    department = _text_department(text)
    assert (department.code, department.name, department.year) == ("101", "某某局", 2023)
    line = department.line("2010101")
    assert line is not None and line.unit == "元" and line.total == D("1000.00")
    project = department.projects[0]
    assert project.name == "办公运转保障" and project.goal.goal_text == "1.保障机关运转"
    first, second = project.goal.indicators
    assert (first.level3, first.mid_term_value, first.value, first.unit, first.weight, first.direction) == (
        "保障人数", "≥20", "≥20", "人", D("20"), "正向")
    assert (second.level1, second.level2, second.description, second.basis) == ("产出指标", "成本指标", "", "")
    assert (project.budget_amount, project.amount_unit) == (D("1000"), "元")
    assert (project.budget_line_code, project.line_link, project.fund_source) == ("2010101", LinkStatus.SUGGESTED, None)


def test_no_recognisable_tables_is_refused() -> None:
    with pytest.raises(ImportFailure, match="没有找到可识别的预算表或绩效目标表"):
        _text_department("一段说明文字。\n\t一个\n\t表格\n")


def test_gbk_text_is_read() -> None:
    text = SAMPLE_TEXT.text.replace("•", "·")  # the one character of the sample that GBK lacks
    result = import_text(text.encode("gbk"), source="gbk.txt")
    assert result.department.model_dump() == _text_department(text).model_dump()
    assert any("GBK" in str(note) for note in result.notes)


def test_undecodable_text_is_refused_with_its_place() -> None:
    raw = "第一行\n第二行\n".encode() + b"\xff\xfe\xfd\x80\n"
    with pytest.raises(ImportFailure, match=r"bad.txt：第 3 行"):
        import_text(raw[:-1] + b"\x81", source="bad.txt")


def test_goal_table_header_wider_than_its_rows_is_refused_naming_every_row() -> None:
    lines = SAMPLE_TEXT.text.splitlines()
    header = lines.index("3、科普活动绩效目标表") + 6
    lines.insert(header + 6, "\t备注说明")  # an extra header cell after 指标值确定依据, no cell below it
    with pytest.raises(ImportFailure) as caught:
        _text_department("\n".join(lines))
    message = str(caught.value)
    rows = next(table for title, _, table in SAMPLE_TEXT.goal_tables() if title == "科普活动")
    assert f"有 {len(rows)} 处无法读取" in message, message
    assert message.count("「3、科普活动绩效目标表」") == len(rows)
    assert message.count("这一行有 6 列，表头有 7 列（缺列）") == len(rows)


MOF_TEMPLATE = "\n".join([
    "部门预算支出总表",
    "\t202某某中心", "\t预算年度：2024", "\t单位：万元", "",
    "\t序号", "\t功能分类科目", "\t合计", "\t基本支出", "\t项目支出", "",
    "\t", "\t科目编码", "\t科目名称", "\t", "\t", "\t", "",
    "\t1", "\t", "\t合计", "\t30.00", "\t", "\t30.00", "",
    "\t2", "\t2130101", "\t行政运行", "\t30.00", "\t", "\t30.00", "",
    "项目支出绩效目标申报表",
    "\t项目名称", "\t农业技术推广", "",
    "\t年度资金总额", "\t300000元", "",
    "\t年度绩效目标", "\t1.推广新技术", "\t2.培训农民", "",
    "\t绩效指标", "\t一级指标", "\t二级指标", "\t三级指标", "\t指标性质", "\t指标值", "\t度量单位", "",
    "\t", "\t成本指标", "\t经济成本指标", "\t培训成本", "\t≤", "\t30", "\t万元", "",
    "\t", "\t产出指标", "\t数量指标", "\t培训人次", "\t≥", "\t500", "\t人次", "",
])


def test_central_template_goal_table() -> None:
    result = import_text(MOF_TEMPLATE.encode(), source="mof.txt")
    department = result.department
    assert department.framework == "mof-2021"  # 成本指标 as 一级
    project = department.projects[0]
    assert project.name == "农业技术推广"
    assert project.goal.goal_text == "1.推广新技术\n2.培训农民"
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (
        D("300000"), "元", AmountSource.ENTERED)
    cost, count = project.goal.indicators
    # 指标性质 is kept apart from the value, which stays as typed.
    assert (cost.level1, cost.level2, cost.level3, cost.nature, cost.value, cost.unit) == (
        "成本指标", "经济成本指标", "培训成本", "≤", "30", "万元")
    assert (count.nature, count.value, count.unit) == ("≥", "500", "人次")
    assert project.goal.layout is LayoutFamily.CENTRAL
    assert [column.header for column in project.goal.columns] == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"]
    assert project.budget_line_code == "2130101" and project.line_link is LinkStatus.SUGGESTED


def test_goal_header_split_into_mid_term_and_annual_values() -> None:
    text = MOF_TEMPLATE.split("项目支出绩效目标申报表")[0] + "\n".join([
        "1、农业技术推广绩效目标表",
        "\t一级指标", "\t二级指标", "\t三级指标", "\t指标值", "\t指标值确定依据", "",
        "\t", "\t", "\t", "\t实施期", "\t年度", "\t", "",
        "\t产出指标", "\t数量指标", "\t培训人次", "\t≥1500人次", "\t≥500人次", "\t计划标准", "",
        "\t", "\t成本指标", "\t培训成本", "\t≤90万元", "\t≤30万元", "\t预算支出标准", "",
    ])
    project = _text_department(text).projects[0]
    first, second = project.goal.indicators
    assert (first.level1, first.level3, first.mid_term_value, first.value, first.basis) == (
        "产出指标", "培训人次", "≥1500人次", "≥500人次", "计划标准")
    assert (second.level1, second.level2, second.mid_term_value, second.value) == ("产出指标", "成本指标", "≤90万元", "≤30万元")
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (D("30"), "万元", AmountSource.COST_INDICATOR)


def test_tables_are_recognised_by_title_not_position(text_result: ImportResult) -> None:
    chunks = re.split(r"(?m)^(?=\[bookmark:)", SAMPLE_TEXT.text)
    assert chunks[0].splitlines()[0].endswith("]部门预算收支总表")
    assert chunks[2].splitlines()[0].endswith("]部门预算支出总表")
    chunks[0], chunks[2] = chunks[2], chunks[0]  # 支出总表 first, 收支总表 third
    assert _text_department("".join(chunks)).model_dump() == text_result.department.model_dump()


def test_fund_row_behind_a_label_cell() -> None:
    text = MOF_TEMPLATE.replace("\t年度资金总额\n\t300000元\n", "\t项目资金（万元）\n\t年度资金总额\n\t30\n\t其中：财政拨款\n\t30\n")
    result = import_text(text.encode(), source="m.txt")
    project = result.department.projects[0]
    assert (project.budget_amount, project.amount_unit, project.amount_source) == (D("30"), "万元", AmountSource.ENTERED)
    assert not result.notes


def test_category_section_item_columns() -> None:
    text = "\n".join([
        "部门预算支出总表",
        "\t305某馆", "\t预算年度：2023", "\t单位：万元", "",
        "\t科目编码", "\t科目名称", "\t合计", "\t基本支出", "\t项目支出", "",
        "\t类", "\t款", "\t项", "\t", "\t", "\t", "\t", "",
        "\t", "\t", "\t", "\t合计", "\t12.00", "\t2.00", "\t10.00", "",
        "\t206", "\t", "\t", "\t科学技术支出", "\t12.00", "\t2.00", "\t10.00", "",
        "\t", "\t07", "\t", "\t科学技术普及", "\t12.00", "\t2.00", "\t10.00", "",
        "\t", "\t", "\t01", "\t机构运行", "\t2.00", "\t2.00", "\t", "",
        "\t", "\t", "\t02", "\t科普活动", "\t10.00", "\t", "\t10.00", "",
    ])
    department = _text_department(text)
    assert [(line.code, line.name, line.total, line.project) for line in department.budget_lines] == [
        ("206", "科学技术支出", D("12.00"), D("10.00")),
        ("20607", "科学技术普及", D("12.00"), D("10.00")),
        ("2060701", "机构运行", D("2.00"), None),
        ("2060702", "科普活动", D("10.00"), D("10.00")),
    ]
    assert department.function_total is not None and department.function_total.total == D("12.00")
