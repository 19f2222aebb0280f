"""A corpus of goal tables in the layouts real finance offices use, and builders writing any of them as a
Word document (real tables, gridSpan/vMerge merges), an Excel workbook (.xlsx with merged ranges, or .xls),
or the one-cell-a-line text extraction.

Each :class:`CorpusTable` holds the document (paragraphs and tables, cells as written) and what it must
import to: the department, the year and, per project, its fields and its indicator rows.  The rows of a
table are rendered here from the expected indicators (:func:`indicator_rows`), never read back by the
importer, so the expected values are independent of it.  The export/re-import tests use the same corpus.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfgoals.models import CostItem, Direction, Footer, Indicator, LayoutFamily

UP = "\x00continues"  # a cell continuing the vertical merge of the cell above it
Item = str | tuple[str, int]  # a cell's text, or its text and how many grid columns it spans
Block = str | list[list[Item]]  # a paragraph, or a table's rows
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FORMS = ("docx", "xlsx", "xls", "text")


# --------------------------------------------------------------------- the grid of a table
@dataclass
class Cell:
    text: str
    span: int = 1
    merge: str | None = None  # "restart" or "continue": a vertical merge


def grid(rows: list[list[Item]], *, strict: bool = True) -> list[list[Cell]]:
    """The rows as cells: ``UP`` continues the vertical merge of the cell above in the same columns
    (``strict=False`` lets rows differ in width, as a broken table does)."""
    result: list[list[Cell]] = []
    for cells in rows:
        row: list[Cell] = []
        column = 0
        for item in cells:
            if item == UP:
                start = 0
                for above in result[-1]:
                    if start == column:
                        above.merge = above.merge or "restart"
                        row.append(Cell("", above.span, "continue"))
                        column += above.span
                        break
                    start += above.span
                else:
                    raise AssertionError(f"nothing above column {column} to continue")
                continue
            text, span = (item, 1) if isinstance(item, str) else item
            row.append(Cell(text, span))
            column += span
        result.append(row)
    widths = {sum(cell.span for cell in row) for row in result}
    assert len(widths) == 1 or not strict, f"rows of different widths: {widths}"
    return result


def _ranges(rows: list[list[Cell]]) -> list[tuple[int, int, int, int, str]]:
    """Each written cell as (first row, last row, first column, last column, text), 0-based, inclusive."""
    found: list[tuple[int, int, int, int, str]] = []
    open_at: dict[int, int] = {}  # column → index in ``found`` of the cell a merge continues
    for r, row in enumerate(rows):
        column = 0
        for cell in row:
            if cell.merge == "continue":
                index = open_at[column]
                top, _, left, right, text = found[index]
                found[index] = (top, r, left, right, text)
            else:
                open_at[column] = len(found)
                found.append((r, r, column, column + cell.span - 1, cell.text))
            column += cell.span
    return found


# --------------------------------------------------------------------- the four forms
def docx_bytes(blocks: list[Block], *, strict: bool = True) -> bytes:
    from xml.sax.saxutils import escape

    from docx import Document
    from docx.oxml import parse_xml

    document = Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        rows = grid(block, strict=strict)
        width = max(sum(cell.span for cell in row) for row in rows)
        parts = [f'<w:tbl xmlns:w="{W}"><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>']
        parts.append("<w:gridCol/>" * width + "</w:tblGrid>")
        for row in rows:
            parts.append("<w:tr>")
            for cell in row:
                properties = (f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else "") + (
                    '<w:vMerge w:val="restart"/>' if cell.merge == "restart" else "<w:vMerge/>" if cell.merge else ""
                )
                paragraphs = "".join(
                    f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
                    for line in (cell.text.split("\n") if cell.text else [""])
                )
                parts.append(f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraphs}</w:tc>")
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        body = document.element.body
        body.sectPr.addprevious(parse_xml("".join(parts)))
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def text_of(blocks: list[Block]) -> str:
    """The text extraction: a cell a line (each paragraph of a cell on its own), merged cells once."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        for row in grid(block):
            for cell in row:
                lines.extend("\t" + part for part in (cell.text.split("\n") if cell.text else [""]))
            lines.append("")
    return "\n".join(lines) + "\n"


def _sheet_cells(blocks: list[Block]) -> tuple[list[tuple[int, int, int, int, Any]], int]:
    """Every written cell of a one-sheet workbook (paragraphs merged across the width), and the width."""
    width = max((sum(cell.span for cell in grid(b)[0]) for b in blocks if not isinstance(b, str)), default=1)
    cells: list[tuple[int, int, int, int, Any]] = []
    row = 0
    previous_table = False
    for block in blocks:
        if isinstance(block, str):
            cells.append((row, row, 0, width - 1, block))
            row += 1
            previous_table = False
            continue
        if previous_table:
            row += 1  # tables one after the other are parted by a blank row
        rows = grid(block)
        for top, bottom, left, right, text in _ranges(rows):
            cells.append((row + top, row + bottom, left, right, _typed(text)))
        row += len(rows)
        previous_table = True
    return cells, width


def _typed(text: str) -> Any:
    """A plain whole number is written as a number, as a person types it into Excel; the rest as text."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 and not text.startswith("0") else text


def xlsx_bytes(blocks: list[Block], sheet: str = "绩效目标表") -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    cells, _ = _sheet_cells(blocks)
    for top, bottom, left, right, value in cells:
        worksheet.cell(row=top + 1, column=left + 1, value=value if value != "" else None)
        if bottom > top or right > left:
            worksheet.merge_cells(start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xls_bytes(blocks: list[Block], sheet: str = "绩效目标表") -> bytes:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet)
    cells, _ = _sheet_cells(blocks)
    for top, bottom, left, right, value in cells:
        if bottom > top or right > left:
            worksheet.write_merge(top, bottom, left, right, value)
        else:
            worksheet.write(top, left, value)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def write(directory: Path, name: str, blocks: list[Block], form: str) -> Path:
    """The document in ``form`` (docx, xlsx, xls or text) as a file in ``directory``."""
    suffix = {"docx": ".docx", "xlsx": ".xlsx", "xls": ".xls", "text": ".txt"}[form]
    path = directory / f"{name}{suffix}"
    if form == "docx":
        path.write_bytes(docx_bytes(blocks))
    elif form == "xlsx":
        path.write_bytes(xlsx_bytes(blocks))
    elif form == "xls":
        path.write_bytes(xls_bytes(blocks))
    else:
        path.write_text(text_of(blocks), encoding="utf-8")
    return path


# --------------------------------------------------------------------- rendering indicator rows
@dataclass(frozen=True)
class Column:
    """An indicator column: its header as written, and the Indicator field its cells come from
    (``extra``: ``Indicator.extra[header]``; ``label``: a row-label column merged down the table;
    ``mid_term_level2``/``mid_term_level3``: the 实施期 group's, which is the 年度 one's where ``None``)."""

    header: str
    field: str
    upper: str | None = None  # the header's upper row, merged over the columns naming the same one


def cell_text(indicator: Indicator, column: Column) -> str:
    if column.field == "extra":
        return indicator.extra.get(column.header, "")
    if column.field in ("mid_term_level2", "mid_term_level3"):
        own = getattr(indicator, column.field)
        return own if own is not None else getattr(indicator, column.field.removeprefix("mid_term_"))
    value = getattr(indicator, column.field)
    if column.field == "direction":
        return value.value if value is not None else ""
    if column.field == "weight":
        return "" if value is None else format(value, "f")
    return value or ""


def header_rows(columns: list[Column], label: str | None = None) -> list[list[Item]]:
    """The header: one row, or two where a column has an upper header (the same upper text merged across
    neighbouring columns; a column without one is merged down both rows)."""
    lead: list[Item] = [label] if label else []
    if not any(column.upper for column in columns):
        return [[*lead, *(column.header for column in columns)]]
    upper: list[Item] = [label] if label else []
    lower: list[Item] = [UP] if label else []
    index = 0
    while index < len(columns):
        column = columns[index]
        if column.upper is None:
            upper.append(column.header)
            lower.append(UP)
            index += 1
            continue
        span = 1
        while index + span < len(columns) and columns[index + span].upper == column.upper:
            span += 1
        upper.append((column.upper, span) if span > 1 else column.upper)
        lower.extend(c.header for c in columns[index : index + span])
        index += span
    return [upper, lower]


def indicator_rows(
    columns: list[Column], indicators: list[Indicator], *, merge: bool = True, label: bool = False
) -> list[list[Item]]:
    """The data rows of ``indicators`` under ``columns``: 一级 (and 二级 under the same 一级) merged down
    where it repeats the row above, as published tables merge them; a row-label column merged down all."""
    rows: list[list[Item]] = []
    previous: Indicator | None = None
    for indicator in indicators:
        row: list[Item] = [UP] if label else []
        for column in columns:
            text = cell_text(indicator, column)
            same_l1 = previous is not None and previous.level1 == indicator.level1
            if (merge and previous is not None and column.field == "level1" and same_l1) or (
                merge and previous is not None and column.field in ("level2", "mid_term_level2") and same_l1
                and cell_text(previous, column) == text
            ):
                row.append(UP)
            else:
                row.append(text)
        rows.append(row)
        previous = indicator
    return rows


def I(level1: str, level2: str, level3: str, value: str, **fields: Any) -> Indicator:  # noqa: E743
    if "weight" in fields and fields["weight"] is not None:
        fields["weight"] = Decimal(fields["weight"])
    return Indicator(level1=level1, level2=level2, level3=level3, value=value, **fields)


# --------------------------------------------------------------------- the corpus
@dataclass
class Expected:
    """One project a corpus table must import to."""

    name: str
    indicators: list[Indicator]
    fields: dict[str, Any] = field(default_factory=dict)  # Project attributes (budget_amount, period …)
    goal: dict[str, Any] = field(default_factory=dict)  # GoalTable attributes (goal_text, footers …)
    layout: LayoutFamily = LayoutFamily.NATIONAL
    headers: list[str] = field(default_factory=list)  # GoalTable.columns' headers, left to right


@dataclass
class CorpusTable:
    name: str
    blocks: list[Block]
    department_name: str
    year: int
    projects: list[Expected]
    department_code: str | None = None  # None: derived from the name


# 1. The national 2021 template, stand-alone: 预算单位 in a labelled cell, the year in the title line.
NATIONAL_COLUMNS = [
    Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "level3"),
    Column("指标描述", "description"), Column("指标值", "value"), Column("指标值确定依据", "basis"),
]
NATIONAL_ROWS = [
    I("成本指标", "经济成本指标", "培训成本", "≤60万元", description="按人均标准测算", basis="预算支出标准"),
    I("成本指标", "社会成本指标", "", ""),
    I("产出指标", "数量指标", "培训人次", "≥1200人次", description="全年培训人次", basis="计划标准"),
    I("产出指标", "质量指标", "结业考核合格率", "≥95%", description="合格人数/参训人数", basis="行业标准"),
    I("产出指标", "时效指标", "完成时间", "2023年11月底前", description="培训全部完成", basis="计划标准"),
    I("效益指标", "经济效益指标", "", ""),
    I("效益指标", "社会效益指标", "基层农技人员能力提升", "明显提升", description="问卷评估", basis="其他"),
    I("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", description="问卷调查", basis="满意度调查"),
]
NATIONAL = CorpusTable(
    "national_2021",
    [
        "项目支出绩效目标表",
        "（2023年度）",
        [
            ["预算单位", ("某某县农业农村局", 2), "项目名称", ("基层农技人员培训", 2)],
            ["年度绩效目标", ("全年培训基层农技人员1200人次，考核合格率95%以上。", 5)],
            *header_rows(NATIONAL_COLUMNS),
            *indicator_rows(NATIONAL_COLUMNS, NATIONAL_ROWS),
        ],
    ],
    "某某县农业农村局",
    2023,
    [Expected(
        "基层农技人员培训", NATIONAL_ROWS,
        fields={"budget_amount": Decimal("60"), "amount_unit": "万元"},
        goal={"goal_text": "全年培训基层农技人员1200人次，考核合格率95%以上。", "footers": []},
        layout=LayoutFamily.NATIONAL, headers=[c.header for c in NATIONAL_COLUMNS],
    )],
)

# 2. The national template with 绩效标准, 计算方法, 当年预期实现值, an unknown column kept, and footers.
VARIANT_COLUMNS = [
    Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "level3"),
    Column("指标值", "value"), Column("绩效标准", "standard"), Column("计算方法", "method"),
    Column("当年预期实现值", "expected_value"), Column("保障措施", "extra"),
]
VARIANT_ROWS = [
    I("产出指标", "数量指标", "新建村级图书室", "≥12个", standard="计划标准", method="实际建成数", expected_value="12个",
      extra={"保障措施": "按季度督查"}),
    I("产出指标", "质量指标", "验收合格率", "100%", standard="行业标准", method="合格数/建成数", expected_value="100%"),
    I("产出指标", "成本指标", "建设成本", "≤36万元", standard="预算支出标准", method="决算金额", expected_value="36万元",
      extra={"保障措施": "专款专用"}),
    I("效益指标", "社会效益指标", "群众阅读条件改善", "明显改善", standard="其他", method="抽样走访"),
    I("满意度指标", "服务对象满意度指标", "村民满意度", "≥90%", standard="满意度调查", method="问卷调查",
      expected_value="92%"),
]
VARIANT = CorpusTable(
    "national_variant",
    [
        "2023年项目支出绩效目标表",
        [
            ["单位名称：某某市文化广电旅游局", ("项目名称：农家书屋提质", 7)],
            ["绩效目标", ("新建村级图书室12个，全部通过验收。", 7)],
            *header_rows(VARIANT_COLUMNS),
            *indicator_rows(VARIANT_COLUMNS, VARIANT_ROWS),
            ["备注", ("成本按2022年决算单价测算", 7)],
            ["填表人：王五", ("联系电话：略", 7)],
        ],
    ],
    "某某市文化广电旅游局",
    2023,
    [Expected(
        "农家书屋提质", VARIANT_ROWS,
        fields={"budget_amount": Decimal("36"), "amount_unit": "万元"},
        goal={"goal_text": "新建村级图书室12个，全部通过验收。",
              "footers": [Footer(label="备注", text="成本按2022年决算单价测算"), Footer(label="填表人", text="王五\n联系电话：略")]},
        layout=LayoutFamily.NATIONAL, headers=[c.header for c in VARIANT_COLUMNS],
    )],
)

# 3. The national template with a merged row-label column (本年度绩效指标) and a 审核意见 / 总分 footer.
LABEL_COLUMNS = [*NATIONAL_COLUMNS[:3], Column("指标值", "value"), Column("指标值确定依据", "basis")]
LABEL_ROWS = [
    I("产出指标", "数量指标", "巡查河道里程", "≥320公里", basis="计划标准"),
    I("产出指标", "时效指标", "问题整改时限", "≤7天", basis="行业标准"),
    I("产出指标", "成本指标", "巡查成本", "≤18.5万元", basis="预算支出标准"),
    I("效益指标", "生态效益指标", "水质达标率", "≥95%", basis="历史标准"),
    I("效益指标", "可持续影响指标", "", ""),
    I("满意度指标", "服务对象满意度指标", "沿河群众满意度", "≥85%", basis="满意度调查"),
]
LABELLED = CorpusTable(
    "national_row_label",
    [
        "某某区水利局2024年河湖巡查项目绩效目标表",
        [
            ["预算部门", ("某某区水利局", 2), "项目名称", ("河湖巡查", 2)],
            ["年度目标", ("完成全区河湖巡查320公里，问题7天内整改。", 5)],
            *header_rows(LABEL_COLUMNS, label="本年度绩效指标"),
            *indicator_rows(LABEL_COLUMNS, LABEL_ROWS, label=True),
            ["主管部门审核意见", ("", 5)],
            ["总分", ("100", 5)],
        ],
    ],
    "某某区水利局",
    2024,
    [Expected(
        "河湖巡查", LABEL_ROWS,
        fields={"budget_amount": Decimal("18.5"), "amount_unit": "万元"},
        goal={"goal_text": "完成全区河湖巡查320公里，问题7天内整改。",
              "footers": [Footer(label="主管部门审核意见", text=""), Footer(label="总分", text="100")]},
        layout=LayoutFamily.NATIONAL, headers=["本年度绩效指标", *(c.header for c in LABEL_COLUMNS)],
    )],
)

# 4. The 88号 申报表: the project block, then 实施期 and 年度 groups side by side (Hubei, Guangdong).
TWO_GROUP_COLUMNS = [
    Column("一级指标", "level1"),
    Column("二级指标", "mid_term_level2", "中期指标"), Column("三级指标", "mid_term_level3", "中期指标"),
    Column("指标值", "mid_term_value", "中期指标"),
    Column("二级指标", "level2", "年度指标"), Column("三级指标", "level3", "年度指标"), Column("指标值", "value", "年度指标"),
]
TWO_GROUP_ROWS = [
    I("产出指标", "数量指标", "改造老旧小区", "≥8个", mid_term_value="≥30个"),
    I("产出指标", "质量指标", "竣工验收合格率", "100%", mid_term_value="100%"),
    I("产出指标", "时效指标", "年度改造完成时间", "2023年12月底前", mid_term_level3="全部改造完成时间",
      mid_term_value="2025年12月底前"),
    I("产出指标", "成本指标", "年度改造成本", "≤1600万元", mid_term_level3="改造总成本", mid_term_value="≤6000万元"),
    I("效益指标", "社会效益指标", "受益居民户数", "≥2400户", mid_term_value="≥9000户"),
    I("效益指标", "可持续影响指标", "", "", mid_term_level3="长效管理机制", mid_term_value="建立"),
    I("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", mid_term_value="≥90%"),
]
TWO_GROUPS = CorpusTable(
    "mof88_two_groups",
    [
        "项目支出绩效目标申报表",
        "（2023年度）",
        [
            ["项目名称", ("老旧小区改造", 3), "主管部门及编码", ("[118]某某市住房和城乡建设局", 2)],
            ["实施单位", ("某某市城市更新中心", 3), "项目属性", ("延续项目", 2)],
            ["项目期", ("2023年至2025年", 6)],
            ["项目资金（万元）", ("中期资金总额", 3), ("6000", 3)],
            [UP, ("年度资金总额", 3), ("1600", 3)],
            [UP, ("其中：财政拨款", 3), ("1600", 3)],
            ["总体目标", ("实施期目标", 3), ("年度目标", 3)],
            [UP, ("2025年底前完成30个老旧小区改造。", 3), ("完成8个老旧小区改造。", 3)],
            *header_rows(TWO_GROUP_COLUMNS),
            *indicator_rows(TWO_GROUP_COLUMNS, TWO_GROUP_ROWS),
        ],
    ],
    "某某市住房和城乡建设局",
    2023,
    [Expected(
        "老旧小区改造", TWO_GROUP_ROWS,
        fields={"budget_amount": Decimal("1600"), "amount_unit": "万元", "mid_term_amount": Decimal("6000"),
                "implementing_unit": "某某市城市更新中心", "attribute": "延续项目", "period": "2023年至2025年"},
        goal={"goal_text": "完成8个老旧小区改造。", "mid_term_goal_text": "2025年底前完成30个老旧小区改造。", "footers": []},
        layout=LayoutFamily.TWO_GROUPS, headers=[f"{c.upper}/{c.header}" if c.upper else c.header for c in TWO_GROUP_COLUMNS],
    )],
    department_code="118",
)

# 5. The Sichuan 申报表: several projects, their columns merged down, amounts in 元.
SICHUAN_COLUMNS = [
    Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "level3"),
    Column("指标性质", "nature"), Column("指标值", "value"), Column("度量单位", "unit"), Column("权重", "weight"),
    Column("指标方向性", "direction"),
]
P, N = Direction.POSITIVE, Direction.NEGATIVE
SICHUAN_A = [
    I("产出指标", "数量指标", "救助困难群众", "500", nature="≥", unit="人", weight="30", direction=P),
    I("产出指标", "质量指标", "救助资金发放准确率", "100", nature="=", unit="%", weight="20", direction=P),
    I("产出指标", "时效指标", "资金发放及时性", "及时", nature="定性", weight="10", direction=P),
    I("产出指标", "成本指标", "人均救助标准", "1200", nature="≤", unit="元", weight="10", direction=N),
    I("效益指标", "社会效益指标", "困难群众基本生活保障", "有效保障", nature="定性", weight="20", direction=P),
    I("满意度指标", "服务对象满意度指标", "受助群众满意度", "90", nature="≥", unit="%", weight="10", direction=P),
]
SICHUAN_B = [
    I("产出指标", "数量指标", "维修敬老院", "3", nature="≥", unit="所", weight="40", direction=P),
    I("产出指标", "成本指标", "维修成本", "450000", nature="≤", unit="元", weight="20", direction=N),
    I("效益指标", "社会效益指标", "入住老人居住条件", "改善", nature="定性", weight="30", direction=P),
    I("满意度指标", "服务对象满意度指标", "入住老人满意度", "95", nature="≥", unit="%", weight="10", direction=P),
]


def _sichuan_rows() -> list[list[Item]]:
    rows: list[list[Item]] = []
    projects = [
        ("临时救助", "600000", "救助困难群众500人，资金及时足额发放。", SICHUAN_A),
        ("敬老院维修", "450000", "完成3所敬老院维修。", SICHUAN_B),
    ]
    for number, (name, amount, goal, indicators) in enumerate(projects):
        body = indicator_rows(SICHUAN_COLUMNS, indicators)
        for index, row in enumerate(body):
            unit_cell: Item = "某某县民政局" if number == 0 and index == 0 else UP
            own: list[Item] = [name, amount, goal] if index == 0 else [UP, UP, UP]
            rows.append([unit_cell, *own, *row])
    return rows


SICHUAN = CorpusTable(
    "sichuan_multi_project",
    [
        "某某县民政局2023年项目支出绩效目标表",
        "单位：元",
        [
            ["单位名称", "项目名称", "预算数", "年度目标", *(c.header for c in SICHUAN_COLUMNS)],
            *_sichuan_rows(),
            [("填表人：赵六", 12)],
        ],
    ],
    "某某县民政局",
    2023,
    [
        Expected("临时救助", SICHUAN_A, fields={"budget_amount": Decimal("600000"), "amount_unit": "元"},
                 goal={"goal_text": "救助困难群众500人，资金及时足额发放。", "footers": []},
                 layout=LayoutFamily.SICHUAN),
        Expected("敬老院维修", SICHUAN_B, fields={"budget_amount": Decimal("450000"), "amount_unit": "元"},
                 goal={"goal_text": "完成3所敬老院维修。", "footers": [Footer(label="填表人", text="赵六")]},
                 layout=LayoutFamily.SICHUAN),
    ],
)

# 6. The Hubei (Ezhou) 申报表: a cost breakdown in the project block.
HUBEI_COLUMNS = [*NATIONAL_COLUMNS[:3], Column("指标值", "value")]
HUBEI_ROWS = [
    I("产出指标", "数量指标", "保洁道路面积", "≥120万平方米"),
    I("产出指标", "质量指标", "道路保洁达标率", "≥98%"),
    I("产出指标", "成本指标", "保洁服务成本", "≤420万元"),
    I("效益指标", "社会效益指标", "市容环境改善", "明显改善"),
    I("满意度指标", "服务对象满意度指标", "市民满意度", "≥90%"),
]
HUBEI_BREAKDOWN = [
    CostItem(item="人工费", amount=Decimal("300"), unit="万元", basis="150人×2万元/年", previous="2020年285万元；2021年296万元"),
    CostItem(item="机械作业费", amount=Decimal("90"), unit="万元", basis="6台×15万元", previous="2020年80万元；2021年86万元"),
    CostItem(item="耗材费", amount=Decimal("30"), unit="万元", basis="按上年实际", previous="2020年28万元；2021年29万元"),
]
HUBEI = CorpusTable(
    "hubei_cost_breakdown",
    [
        "鄂州市2022年项目支出绩效目标申报表",
        [
            ["项目名称", "城区道路保洁", "主管部门及编码", "[205]鄂州市城市管理执法委员会"],
            ["实施单位", "鄂州市环境卫生服务中心", "项目属性", "经常性项目"],
            ["项目资金（万元）", "年度资金总额", ("420", 2)],
            ["成本构成", "金额（万元）", "测算依据", "前两年实际执行数"],
            *[[c.item, format(c.amount, "f"), c.basis, c.previous] for c in HUBEI_BREAKDOWN if c.amount is not None],
            ["合计", "420", "", ""],
            ["年度绩效目标", ("城区主次干道保洁全覆盖，达标率98%以上。", 3)],
            *header_rows(HUBEI_COLUMNS),
            *indicator_rows(HUBEI_COLUMNS, HUBEI_ROWS),
            ["财政部门审核意见", ("同意", 3)],
        ],
    ],
    "鄂州市城市管理执法委员会",
    2022,
    [Expected(
        "城区道路保洁", HUBEI_ROWS,
        fields={"budget_amount": Decimal("420"), "amount_unit": "万元", "implementing_unit": "鄂州市环境卫生服务中心",
                "attribute": "经常性项目", "breakdown": HUBEI_BREAKDOWN},
        goal={"goal_text": "城区主次干道保洁全覆盖，达标率98%以上。",
              "footers": [Footer(label="财政部门审核意见", text="同意")]},
        layout=LayoutFamily.HUBEI, headers=[c.header for c in HUBEI_COLUMNS],
    )],
    department_code="205",
)

# 7. The Hunan 申报表.
HUNAN_COLUMNS = [*NATIONAL_COLUMNS[:3], Column("指标值及单位", "value"), Column("绩效标准", "standard")]
HUNAN_ROWS = [
    I("产出指标", "数量指标", "公厕保洁座数", "48座", standard="计划标准"),
    I("产出指标", "质量指标", "保洁质量", "达标", standard="行业标准"),
    I("产出指标", "时效指标", "服务周期", "2024.01-2024.12", standard="计划标准"),
    I("产出指标", "成本指标", "控制在预算成本内", "96万", standard="计划标准"),
    I("效益指标", "经济效益指标", "", ""),
    I("效益指标", "社会效益指标", "如厕环境改善", "明显改善", standard="计划标准"),
    I("效益指标", "生态效益指标", "", ""),
    I("效益指标", "社会公众或服务对象满意度指标", "市民满意度", "≥90%", standard="计划标准"),
]
HUNAN = CorpusTable(
    "hunan_application",
    [
        "某某市公厕管理所2024年公厕保洁服务项目支出绩效目标申报表",
        "2024年项目支出绩效目标申报表",
        [
            [("填报单位:(盖章) 单位:万元", 6)],
            ["项目支出名称", "公厕保洁服务", "预算部门", ("某某市公厕管理所", 3)],
            ["年度本级 预算金额", "96万", "该项目支出上级资金", ("12", 3)],
            ["项目支出实施期", ("2024.01-2024.12", 5)],
            ["实施期绩效目标", ("全市48座公厕保洁服务全年达标。", 5)],
            ["本年度绩效目标", ("全市48座公厕全年保洁达标，市民满意度90%以上。", 5)],
            *header_rows(HUNAN_COLUMNS, label="本年度 绩效指标"),
            *indicator_rows(HUNAN_COLUMNS, HUNAN_ROWS, label=True),
            ["财政部门审核意见", ("", 5)],
        ],
        "填表人: 李四 联系电话: 略",
    ],
    "某某市公厕管理所",
    2024,
    [Expected(
        "公厕保洁服务", HUNAN_ROWS,
        fields={"budget_amount": Decimal("96"), "amount_unit": "万元", "superior_amount": Decimal("12"),
                "period": "2024.01-2024.12"},
        goal={"goal_text": "全市48座公厕全年保洁达标，市民满意度90%以上。", "mid_term_goal_text": "全市48座公厕保洁服务全年达标。",
              "footers": [Footer(label="财政部门审核意见", text=""), Footer(label="填表人", text="李四 联系电话: 略")]},
        layout=LayoutFamily.HUNAN, headers=["本年度 绩效指标", *(c.header for c in HUNAN_COLUMNS)],
    )],
)

CORPUS = [NATIONAL, VARIANT, LABELLED, TWO_GROUPS, SICHUAN, HUBEI, HUNAN]
