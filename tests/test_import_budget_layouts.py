"""Budget tables (部门预算公开的收支、收入、支出、财政拨款、基本支出、三公表) in the layouts other provinces publish.

One small department's budget — the same figures every time — is written out in many layouts: 功能分类
codes in one column, split into 类 | 款 | 项, or joined with the name; 万元 or 元 (the unit above the table
or in its title); headers on one, two or three rows with the 基本支出 and 单位资金 parts split out; the
收支总表 side by side or stacked; tables broken across pages; empty tables with a note; figures with
thousands separators, full-width digits and dashes.  Each is built as a real Word document (gridSpan and
vMerge merges) and as its one-cell-a-line text extraction, imported through :func:`import_path` (the
function ``perfgoals import`` calls; some through the command line itself), and every budget line is
compared field by field with the figures it was written from.  ``perfgoals check`` must then find no
PG1xx/PG2xx error: the document is consistent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest

from perfgoals.checks import Severity, check_department
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.reading import ImportResult, import_path
from perfgoals.models import Department, EconomicLine, SummaryRow, SummaryTable
from tests.test_import import SAMPLE_TEXT
from tests.test_import_layouts import UP, Block, Item, docx_of, text_of

D = Decimal
FORMS = ["docx", "text"]
WAN = D(10000)


# --------------------------------------------------------------------- the department's figures (万元)
@dataclass(frozen=True)
class Figures:
    """One function line (or the 合计 row, code ``""``) as the tables print it, in 万元; ``None`` is blank."""

    code: str
    name: str
    total: str
    basic: str | None = None
    personnel: str | None = None
    public: str | None = None
    project: str | None = None
    general: str | None = None  # 本年收入：一般公共预算拨款
    business: str | None = None  # 本年收入：单位资金 · 事业收入
    carry: str | None = None  # 上年结转

    def current(self) -> str | None:
        parts = [D(p) for p in (self.general, self.business) if p is not None]
        return f"{sum(parts, D(0)):.2f}" if parts else None


TOTAL = Figures("", "合计", "350.00", "170.00", "140.00", "30.00", "180.00", "325.00", "5.00", "20.00")
LINES = [
    Figures("205", "教育支出", "10.00", "10.00", None, "10.00", None, "10.00"),
    Figures("20508", "进修及培训", "10.00", "10.00", None, "10.00", None, "10.00"),
    Figures("2050802", "干部教育", "10.00", "10.00", None, "10.00", None, "10.00"),
    Figures("206", "科学技术支出", "300.00", "120.00", "100.00", "20.00", "180.00", "275.00", "5.00", "20.00"),
    Figures("20607", "科学技术普及", "300.00", "120.00", "100.00", "20.00", "180.00", "275.00", "5.00", "20.00"),
    Figures("2060701", "机构运行", "150.00", "120.00", "100.00", "20.00", "30.00", "145.00", "5.00"),
    Figures("2060702", "科普活动", "150.00", None, None, None, "150.00", "130.00", None, "20.00"),
    Figures("208", "社会保障和就业支出", "40.00", "40.00", "40.00", None, None, "40.00"),
    Figures("20805", "行政事业单位养老支出", "40.00", "40.00", "40.00", None, None, "40.00"),
    Figures("2080505", "机关事业单位基本养老保险缴费支出", "40.00", "40.00", "40.00", None, None, "40.00"),
]
#: The 一般公共预算 part of each line (the 事业收入 of 2060701 pays part of its projects).
GENERAL = {"": ("325.00", "170.00", "155.00"), "205": ("10.00", "10.00", None), "20508": ("10.00", "10.00", None),
           "2050802": ("10.00", "10.00", None), "206": ("275.00", "120.00", "155.00"),
           "20607": ("275.00", "120.00", "155.00"), "2060701": ("145.00", "120.00", "25.00"),
           "2060702": ("130.00", None, "130.00"), "208": ("40.00", "40.00", None), "20805": ("40.00", "40.00", None),
           "2080505": ("40.00", "40.00", None)}
ECONOMIC = [  # code, name, total, 人员经费, 公用经费
    ("", "合计", "170.00", "140.00", "30.00"),
    ("301", "工资福利支出", "140.00", "140.00", None),
    ("30101", "基本工资", "100.00", "100.00", None),
    ("30108", "机关事业单位基本养老保险缴费", "40.00", "40.00", None),
    ("302", "商品和服务支出", "30.00", None, "30.00"),
    ("30201", "办公费", "20.00", None, "20.00"),
    ("30211", "差旅费", "10.00", None, "10.00"),
]
PROJECTS = [("机关运转保障", "30"), ("科普活动经费", "130"), ("上年结转科普大篷车经费", "20")]
DEPARTMENT_CODE, DEPARTMENT_NAME, YEAR = "305", "某某市科学技术协会", 2024


# --------------------------------------------------------------------- how a layout writes them
@dataclass(frozen=True)
class Layout:
    unit: str = "万元"  # 万元 or 元
    unit_place: str = "row"  # "row": a row of the table beside the department; "paragraph": above the table;
    # "title": in the title paragraph, 部门收支总表（单位：元）; "title_row": in a title row inside the table
    codes: str = "one"  # "one": 2060702 | 科普活动; "split": 206 | 07 | 02 in 类 | 款 | 项 under 科目编码;
    # "split_short": a row prints only its own part; "full_per_level": 206 / 20607 / 2060702 in their level's
    # column; "joined": "2060702 科普活动" in one cell
    joined_header: str = "功能分类科目"
    serial: bool = False  # a 序号 column
    column_numbers: bool = False  # a 栏次 row under the header
    total_last: bool = False  # the 合计 row after the lines instead of before
    spacer_rows: bool = False  # blank rows between data rows
    expense_depth: int = 1  # 2: 基本支出 split into (小计 |) 人员经费 | 公用经费; 3: all of it under 支出
    basic_subtotal: bool = True  # with depth ≥ 2, a 小计 column under 基本支出
    income_layout: str = "sample"  # "sample": 本年收入 (小计 | sources) | 上年结转; "grouped": with 单位资金 (…)
    # and the other 财政 sources; "flat": the sources side by side, no 本年收入 column
    blank: str = ""  # how a blank figure is written: "", "-", "—"
    grouping: bool = False  # thousands separators
    full_width: bool = False  # full-width digits
    summary: str = "side"  # "side": 收入 | 支出 over 项目 | 预算数; "side_flat": one header row; "stacked": 收入 rows
    # above 支出 rows under headings; "stacked_column": a 类别 column merged down each side
    split_pages: str = ""  # the function tables broken across pages: "续表" paragraph; "blank" paragraph; "inside"
    # (one table, the header repeated); "title_again" (the title paragraph repeated); "unit_again" (the unit row
    # too); "continued_title_row" (a title row 某某表（续） inside the next table)
    three_public: str = "empty"  # "empty": a note row across the table; "across": categories as columns
    economic_split: bool = False  # 经济分类 codes as 类 | 款
    titles: str = "sample"  # "sample": 部门预算支出总表 …; "budget": 部门收支预算总表, 部门支出预算表 …
    total_word: str = "合计"  # the label of the row adding up the lines: 合计 or 总计
    name_header: str = "科目名称"  # or 项目
    basic_heading: bool = True  # with depth 2, False: 人员经费 | 公用经费 side by side with 项目支出, no 基本支出 above
    income_total_word: str = "合计"  # the 收入总表's total column: 合计 or 收入合计

    def title(self, table: str) -> str:
        return TITLES[table][0 if self.titles == "sample" else 1]

    def money(self, text: str | None) -> str:
        if text is None:
            return self.blank
        value = D(text) * (WAN if self.unit == "元" else 1)
        written = f"{value:,.2f}" if self.grouping else f"{value:.2f}"
        if self.full_width:
            written = written.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，"))
        return written

    def value(self, text: str | None) -> Decimal | None:
        """The figure the importer must keep: in the table's unit, as written."""
        return None if text is None else D(text) * (WAN if self.unit == "元" else 1)


Node = tuple[str, list["Node"]]


def L(label: str, *children: Node) -> Node:
    return (label, list(children))


def _tree_rows(tree: list[Node]) -> list[list[Item]]:
    """Header rows for a tree of labels: a parent spans its children; a leaf above the bottom continues down."""
    def depth(nodes: list[Node]) -> int:
        return max(1 + depth(children) if children else 1 for _, children in nodes)

    def width(node: Node) -> int:
        return sum(width(child) for child in node[1]) if node[1] else 1

    rows: list[list[Item]] = [[] for _ in range(depth(tree))]

    def place(node: Node, level: int) -> None:
        label, children = node
        span = width(node)
        rows[level].append((label, span) if span > 1 else label)
        for child in children:
            place(child, level + 1)
        if not children:
            for below in range(level + 1, len(rows)):
                rows[below].append(UP)

    for node in tree:
        place(node, 0)
    return rows


def _width(row: list[Item]) -> int:
    return sum(item[1] if isinstance(item, tuple) else 1 for item in row)


#: Each table's title as the sample prints it, and as other provinces do.
TITLES = {
    "summary": ("部门收支总表", "2024年部门收支预算总表"),
    "income": ("部门预算收入总表", "部门收入预算表"),
    "expenditure": ("部门预算支出总表", "部门支出预算表"),
    "general": ("一般公共预算支出表", "一般公共预算支出预算表"),
    "economic": ("一般公共预算基本支出表", "一般公共预算基本支出预算表"),
    "three_public": ("一般公共预算“三公”经费支出表", "“三公”经费支出预算表"),
    "fund": ("政府性基金预算支出表", "政府性基金预算支出预算表"),
}


class Writer:
    """Writes the department's tables in one :class:`Layout`, as paragraphs and tables (see ``docx_of``)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    # ----------------------------------------------------------------- the parts of every table
    def meta(self, title: str, width: int) -> tuple[list[Block], list[list[Item]]]:
        """The paragraphs before a table and the rows at its top: title, department, year and unit."""
        unit = f"单位：{self.layout.unit}"
        department = f"{DEPARTMENT_CODE}{DEPARTMENT_NAME}"
        place = self.layout.unit_place
        if place == "paragraph":
            return [title, f"编制单位：{department}", unit], []
        if place == "title":
            return [f"{title}（{unit}）", f"编制单位：{department}"], []
        if place == "title_row":
            return [], [[(f"{title}（{unit}）", width)] if width > 1 else [f"{title}（{unit}）"],
                        self._across([department, f"预算年度：{YEAR}"], width)]
        return [title], [self._across([department, f"预算年度：{YEAR}", unit], width)]

    @staticmethod
    def _across(cells: list[str], width: int) -> list[Item]:
        """A row of meta cells across the table: the last cell takes the columns left (or holds the rest)."""
        if width < len(cells):
            cells = [*cells[: width - 1], "\u3000".join(cells[width - 1 :])]
        rest = width - (len(cells) - 1)
        return [*cells[:-1], (cells[-1], rest) if rest > 1 else cells[-1]]

    def code_header(self) -> list[Node]:
        codes = self.layout.codes
        serial = [L("序号")] if self.layout.serial else []
        if codes == "joined":
            return [*serial, L(self.layout.joined_header)]
        name = self.layout.name_header
        if codes in ("split", "split_short", "full_per_level"):
            return [*serial, L("科目编码", L("类"), L("款"), L("项")), L(name)]
        return [*serial, L("功能分类科目", L("科目编码"), L(name))]

    def code_cells(self, figures: Figures, number: int) -> list[Item]:
        codes = self.layout.codes
        serial: list[Item] = [str(number)] if self.layout.serial else []
        if not figures.code:  # 合计, merged over the code and name columns
            span = {"joined": 1, "one": 2}.get(codes, 4)
            label = self.layout.total_word
            return [*serial, (label, span) if span > 1 else label]
        code = figures.code
        if codes == "joined":
            return [*serial, f"{code} {figures.name}"]
        if codes == "one":
            return [*serial, code, figures.name]
        parts = [code[:3], code[3:5], code[5:7]]
        if codes == "full_per_level":
            parts = [code if len(code) == n else "" for n in (3, 5, 7)]
        elif codes == "split_short":
            parts = [parts[0] if len(code) == 3 else "", parts[1] if len(code) == 5 else "", parts[2]]
        return [*serial, *parts, figures.name]

    def function_table(self, title: str, tree: list[Node], amounts: Callable[[Figures], list[str | None]],
                       lines: list[Figures] | None = None) -> list[Block]:
        layout = self.layout
        header = _tree_rows([*self.code_header(), *tree])
        width = _width(header[0])
        paragraphs, top = self.meta(title, width)
        numbers: list[list[Item]] = [["栏次", *[str(n) for n in range(1, width)]]] if layout.column_numbers else []
        ordered = [TOTAL, *(LINES if lines is None else lines)]
        if layout.total_last:
            ordered = ordered[1:] + ordered[:1]
        data: list[list[Item]] = []
        for number, figures in enumerate(ordered, start=1):
            data.append([*self.code_cells(figures, number), *[layout.money(a) for a in amounts(figures)]])
            if layout.spacer_rows and number % 3 == 0:
                data.append([""] * width)
        if not layout.split_pages or len(data) < 6:
            return [*paragraphs, [*top, *header, *numbers, *data]]
        first, rest = data[:4], data[4:]  # the page breaks after the fourth row
        repeated = [*header, *numbers]
        how = layout.split_pages
        if how == "inside":
            return [*paragraphs, [*top, *repeated, *first, *repeated, *rest]]
        if how == "unit_again":
            return [*paragraphs, [*top, *repeated, *first], "", [*top, *repeated, *rest]]
        if how == "continued_title_row":  # the next page's table opens with 部门预算支出总表（续）
            return [*paragraphs, [*top, *repeated, *first], "", [[(f"{title}（续）", width)], *repeated, *rest]]
        between = {"续表": ["续表"], "blank": [""], "title_again": [title]}[how]
        return [*paragraphs, [*top, *repeated, *first], *between, [*repeated, *rest]]

    # ----------------------------------------------------------------- the tables
    def expenditure(self) -> list[Block]:
        layout = self.layout
        others = [L("事业单位经营支出"), L("上缴上级支出"), L("对附属单位补助支出")]
        if layout.expense_depth == 1:
            tree = [L("合计"), L("基本支出"), L("项目支出"), *others]

            def amounts(f: Figures) -> list[str | None]:
                return [f.total, f.basic, f.project, None, None, None]
        else:
            basic = L("基本支出", *([L("小计")] if layout.basic_subtotal else []), L("人员经费"), L("公用经费"))
            tree = [L("合计"), basic, L("项目支出"), *others]
            if not layout.basic_heading:
                tree = [L("合计"), *basic[1], L("项目支出"), *others]
            if layout.expense_depth == 3:
                tree = [L("合计"), L("支出", basic, L("项目支出"), *others)]

            def amounts(f: Figures) -> list[str | None]:
                subtotal = [f.basic] if layout.basic_subtotal else []
                return [f.total, *subtotal, f.personnel, f.public, f.project, None, None, None]
        return self.function_table(layout.title("expenditure"), tree, amounts)

    def income(self) -> list[Block]:
        layout = self.layout
        if layout.income_layout == "flat":
            tree = [L("合计"), L("一般公共预算拨款"), L("政府性基金预算拨款"), L("事业收入"), L("上年结转")]

            def amounts(f: Figures) -> list[str | None]:
                return [f.total, f.general, None, f.business, f.carry]
        elif layout.income_layout == "grouped":
            unit_funds = L("单位资金", L("小计"), L("事业收入"), L("事业单位经营收入"), L("其他收入"))
            tree = [L("合计"), L("本年收入", L("小计"), L("一般公共预算拨款"), L("政府性基金预算拨款"),
                                 L("国有资本经营预算拨款"), L("财政专户管理资金"), unit_funds), L("上年结转")]

            def amounts(f: Figures) -> list[str | None]:
                return [f.total, f.current(), f.general, None, None, None, f.business, f.business, None, None, f.carry]
        else:
            tree = [L("合计"), L("本年收入", L("小计"), L("一般公共预算拨款"), L("事业收入")), L("上年结转")]

            def amounts(f: Figures) -> list[str | None]:
                return [f.total, f.current(), f.general, f.business, f.carry]
        tree[0] = L(layout.income_total_word)
        return self.function_table(layout.title("income"), tree, amounts)

    def general_budget(self) -> list[Block]:
        tree = [L("合计"), L("基本支出"), L("项目支出")]
        return self.function_table(self.layout.title("general"), tree, lambda f: list(GENERAL[f.code]))

    def economic(self) -> list[Block]:
        layout = self.layout
        if layout.economic_split:
            header: list[list[Item]] = [[("经济分类科目编码", 2), "科目名称", "合计", "人员经费", "公用经费"],
                                        ["类", "款", UP, UP, UP, UP]]
        else:
            header = [["科目编码", "科目名称", "合计", "人员经费", "公用经费"]]
        width = _width(header[0])
        paragraphs, top = self.meta(layout.title("economic"), width)
        rows: list[list[Item]] = []
        for code, name, total, personnel, public in ECONOMIC:
            if not code:
                label: list[Item] = [(layout.total_word, width - 3)]
            elif layout.economic_split:
                label = [code if len(code) == 3 else "", code[3:] if len(code) == 5 else "", name]
            else:
                label = [code, name]
            rows.append([*label, *[layout.money(a) for a in (total, personnel, public)]])
        return [*paragraphs, [*top, *header, *rows]]

    def summary_sides(self) -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]:
        income = [("一、一般公共预算拨款收入", TOTAL.general), ("二、政府性基金预算拨款收入", None),
                  ("三、国有资本经营预算拨款收入", None), ("四、财政专户管理资金收入", None),
                  ("五、单位资金", TOTAL.business), ("本年收入合计", TOTAL.current()),
                  ("上年结转结余", TOTAL.carry), ("收入总计", TOTAL.total)]
        expense = [("一、一般公共服务支出", None), ("二、教育支出", "10.00"), ("三、科学技术支出", "300.00"),
                   ("四、社会保障和就业支出", "40.00"), ("五、卫生健康支出", None), ("本年支出合计", TOTAL.total),
                   ("年终结转结余", None), ("支出总计", TOTAL.total)]
        return income, expense

    def summary(self) -> list[Block]:
        layout = self.layout
        money = layout.money
        income, expense = self.summary_sides()
        if layout.summary in ("side", "side_flat"):
            header: list[list[Item]] = (
                [[("收入", 2), ("支出", 2)], ["项目", "预算数", "项目", "预算数"]] if layout.summary == "side"
                else [["收入项目", "预算数", "支出项目", "预算数"]]
            )
            body = [[i, money(a), e, money(b)] for (i, a), (e, b) in zip(income, expense, strict=True)]
        elif layout.summary == "stacked":
            header = [["项目", "预算数"]]
            body = [[("收入", 2)], *[[i, money(a)] for i, a in income], ["二、支出", ""],
                    *[[e, money(b)] for e, b in expense]]
        else:
            header = [["类别", "项目", "预算数"]]
            body = [[side if n == 0 else UP, item, money(value)]
                    for side, items in (("收入", income), ("支出", expense)) for n, (item, value) in enumerate(items)]
        paragraphs, top = self.meta(layout.title("summary"), _width(header[-1]))
        return [*paragraphs, [*top, *header, *body]]

    def three_public_table(self) -> list[Block]:
        header: list[list[Item]] = [
            ["项目", "合计", "因公出国（境）费", ("公务用车购置及运行维护费", 3), "公务接待费"],
            [UP, UP, UP, "小计", "公务用车购置费", "公务用车运行维护费", UP],
        ]
        paragraphs, top = self.meta(self.layout.title("three_public"), 7)
        if self.layout.three_public == "empty":
            rows: list[list[Item]] = [[("本部门无“三公”经费预算，此表无数据。", 7)]]
        else:
            money = self.layout.money
            rows = [["2023年预算数", *[money(a) for a in ("6.00", None, "4.00", None, "4.00", "2.00")]],
                    ["2024年预算数", *[money(a) for a in THREE_PUBLIC]],
                    ["增减", *[money(a) for a in ("-1.00", None, "-1.00", None, "-1.00", None)]]]
        return [*paragraphs, [*top, *header, *rows]]

    def empty_fund(self) -> list[Block]:
        tree = [L("合计"), L("基本支出"), L("项目支出")]
        whole = Writer(replace(self.layout, split_pages=""))  # an empty table fits on its page
        blocks = whole.function_table(self.layout.title("fund"), tree, lambda f: [None, None, None], lines=[])
        table = blocks[-1]
        assert isinstance(table, list)
        width = _width(table[-1])
        table[-1] = [("本部门无政府性基金预算拨款安排的支出，故本表无数据。", width)]  # instead of a blank 合计 row
        return [*blocks, "注：本部门无政府性基金预算拨款收支，此表为空表。"]

    def goal_tables(self) -> list[Block]:
        blocks: list[Block] = ["第二部分 部门整体绩效目标", "部门整体绩效目标", "（一）总体绩效目标",
                               "完成年度各项工作任务。", "第三部分 项目支出绩效目标表"]
        for number, (name, amount) in enumerate(PROJECTS, start=1):
            blocks += [f"{number}、{name}绩效目标表", [
                ["项目名称", (name, 5)],
                ["绩效目标", (f"按计划完成{name}各项工作。", 5)],
                ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
                ["产出指标", "数量指标", "完成工作任务数", "年度计划任务", "≥10项", "计划标准"],
                [UP, "质量指标", "任务完成合格率", "验收合格的比例", "≥95%", "行业标准"],
                [UP, "时效指标", "完成时间", "年度内完成", "2024年12月底前", "计划标准"],
                [UP, "成本指标", "预算总成本", "项目预算控制数", f"≤{amount}万元", "预算支出标准"],
                ["效益指标", "社会效益指标", "服务群众人次", "受益人次", "≥1000人次", "历史标准"],
                ["满意度指标", "服务对象满意度指标", "服务对象满意度", "问卷调查", "≥90%", "满意度调查"],
            ]]
        return blocks

    def document(self) -> list[Block]:
        return [
            f"{DEPARTMENT_NAME}{YEAR}年部门预算公开", "第一部分 部门预算表",
            *self.summary(), *self.income(), *self.expenditure(), *self.general_budget(), *self.economic(),
            *self.three_public_table(), *self.empty_fund(),
            *self.goal_tables(),
        ]


#: The 三公 figures across: 合计, 因公出国（境）费, 用车小计, 购置费, 运行维护费, 公务接待费.
THREE_PUBLIC = ("5.00", None, "3.00", None, "3.00", "2.00")


def write(tmp_path: Path, layout: Layout, form: str, name: str = "某某市科协2024年部门预算") -> Path:
    blocks = Writer(layout).document()
    path = tmp_path / f"{name}.{'docx' if form == 'docx' else 'txt'}"
    if form == "docx":
        path.write_bytes(docx_of(blocks))
    else:
        path.write_text(text_of(blocks), encoding="utf-8")
    return path


# --------------------------------------------------------------------- what every layout must give
def expected_line(figures: Figures, layout: Layout) -> dict[str, object]:
    value = layout.value
    sources = {name: value(amount) for name, amount in (("一般公共预算拨款", figures.general), ("事业收入", figures.business))
               if amount is not None}
    total, basic, project = GENERAL[figures.code]
    return {
        "unit": layout.unit, "total": value(figures.total), "basic": value(figures.basic),
        "project": value(figures.project), "other_expenses": {}, "income_total": value(figures.total),
        "income_current": value(figures.current()), "income_sources": sources, "carryover": value(figures.carry),
        "fiscal": {"一般公共预算": {"total": value(total), "basic": value(basic), "project": value(project)}},
    }


def expected_summary(layout: Layout) -> list[tuple[str, str, dict[str, Decimal]]]:
    income, expense = Writer(layout).summary_sides()
    return [(side, item, {} if amount is None else {"预算数": layout.value(amount)})  # type: ignore[dict-item]
            for side, items in (("收入", income), ("支出", expense)) for item, amount in items]


def assert_budget(department: Department, layout: Layout) -> None:
    """Every budget table's figures, field by field, as the layout wrote them."""
    assert (department.code, department.name, department.year) == (DEPARTMENT_CODE, DEPARTMENT_NAME, YEAR)
    assert department.money_unit == layout.unit
    assert [(line.code, line.name) for line in department.budget_lines] == [(f.code, f.name) for f in LINES]
    for figures in LINES:
        line = department.line(figures.code)
        assert line is not None
        assert line.model_dump(exclude={"code", "name"}) == expected_line(figures, layout), figures.code
    assert department.function_total is not None
    assert department.function_total.model_dump() == expected_line(TOTAL, layout)
    assert department.economic_lines == [
        EconomicLine(code=code, name=name if code else layout.total_word, unit=layout.unit, total=layout.value(total),
                     personnel=layout.value(personnel), public=layout.value(public))
        for code, name, total, personnel, public in ECONOMIC
    ]
    rows = department.summary_rows
    assert {row.table for row in rows} == {SummaryTable.BUDGET} and {row.unit for row in rows} == {layout.unit}
    assert [(row.side, row.item, row.amounts) for row in sorted(rows, key=_summary_order)] == expected_summary(layout)
    for side in ("收入", "支出"):
        positions = [row.position for row in rows if row.side == side]
        assert positions == sorted(positions) and len(set(positions)) == len(positions)
    if layout.three_public == "empty":
        assert department.three_public == []


def _summary_order(row: SummaryRow) -> tuple[int, int]:
    return (0 if row.side == "收入" else 1, row.position)


def budget_errors(department: Department) -> list[str]:
    return [f"{f.code} {f.message}" for f in check_department(department, select=["PG1", "PG2"])
            if f.severity is Severity.ERROR]


def other_notes(result: ImportResult) -> list[str]:
    return [str(note) for note in result.notes]


DETAIL_NOTE = "「{}」：「人员经费」、「公用经费」列是基本支出的明细，没有对应的字段，未单独导入"
LAYOUTS = {
    "万元，单位在表内": Layout(),
    "元，单位在表内": Layout(unit="元"),
    "元，单位在表上方": Layout(unit="元", unit_place="paragraph"),
    "元，单位在标题中": Layout(unit="元", unit_place="title"),
    "元，单位在表内标题行": Layout(unit="元", unit_place="title_row"),
    "类款项分列": Layout(codes="split"),
    "类款项只印本级": Layout(codes="split_short", unit="元"),
    "各级编码在本级列": Layout(codes="full_per_level"),
    "编码与名称同格": Layout(codes="joined"),
    "科目编码及名称": Layout(codes="joined", joined_header="科目编码及名称"),
    "序号与栏次": Layout(serial=True, column_numbers=True, codes="split"),
    "合计在末行，空行": Layout(total_last=True, spacer_rows=True),
    "基本支出分人员公用": Layout(expense_depth=2),
    "基本支出无小计": Layout(expense_depth=2, basic_subtotal=False, unit="元"),
    "三行表头": Layout(expense_depth=3, codes="split", income_layout="grouped", serial=True),
    "单位资金分组": Layout(income_layout="grouped"),
    "收入来源并列": Layout(income_layout="flat"),
    "空白写作-": Layout(blank="-"),
    "空白写作—": Layout(blank="—", unit="元"),
    "千分位与全角": Layout(unit="元", grouping=True, full_width=True),
    "收支总表单行表头": Layout(summary="side_flat"),
    "收支总表上下排列": Layout(summary="stacked", unit="元"),
    "收支总表类别列": Layout(summary="stacked_column"),
    "跨页续表": Layout(split_pages="续表", serial=True, column_numbers=True),
    "跨页空段落": Layout(split_pages="blank", codes="split"),
    "跨页表内重复表头": Layout(split_pages="inside", expense_depth=2),
    "跨页重复标题": Layout(split_pages="title_again"),
    "跨页重复单位行": Layout(split_pages="unit_again", unit="元"),
    "跨页表内续表标题": Layout(split_pages="continued_title_row", codes="split_short", total_last=True),
    "三公横排": Layout(three_public="across"),
    "经济分类类款分列": Layout(economic_split=True, unit="元"),
    "收支预算总表等标题": Layout(titles="budget", unit="元", unit_place="title"),
    "总计行与项目列": Layout(total_word="总计", name_header="项目", income_total_word="收入合计", codes="split"),
    "人员公用经费无基本支出表头": Layout(expense_depth=2, basic_heading=False, basic_subtotal=False),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_gives_the_same_budget(tmp_path: Path, name: str, form: str) -> None:
    layout = LAYOUTS[name]
    result = import_path(write(tmp_path, layout, form))
    department = result.department
    assert_budget(department, layout)
    expected_notes = [DETAIL_NOTE.format(layout.title("expenditure"))] if layout.expense_depth > 1 else []
    assert other_notes(result) == expected_notes
    assert result.tables["收支总表"] == 1 and result.tables["收入总表"] == 1 and result.tables["支出总表"] == 1
    assert result.tables["财政拨款支出表"] == 2 and result.tables["三公经费表"] == 1
    # The projects are placed on the lines their amounts fit, and the document is consistent.
    links = {p.name: (p.budget_line_code, p.fund_source) for p in department.projects}
    assert links == {"机关运转保障": ("2060701", None), "科普活动经费": ("2060702", "本年财政拨款"),
                     "上年结转科普大篷车经费": ("2060702", "上年结转")}
    assert budget_errors(department) == []


def test_three_public_across_is_read_as_one_row_per_category(tmp_path: Path) -> None:
    department = import_path(write(tmp_path, Layout(three_public="across", unit="元"), "docx")).department
    read = [(row.position, row.item, row.category, row.unit, row.total, row.amounts) for row in department.three_public]
    assert read == [
        (1, "合计", "total", "元", D("50000.00"), {}),
        (2, "因公出国（境）费", "abroad", "元", None, {}),
        (3, "公务用车购置及运行维护费", "vehicle", "元", D("30000.00"), {}),
        (4, "公务用车购置费", "vehicle_purchase", "元", None, {}),
        (5, "公务用车运行维护费", "vehicle_operation", "元", D("30000.00"), {}),
        (6, "公务接待费", "reception", "元", D("20000.00"), {}),
    ]


# --------------------------------------------------------------------- 元 and 万元 give the same findings
@pytest.mark.parametrize("form", FORMS)
def test_yuan_and_wan_documents_give_the_same_findings(tmp_path: Path, form: str) -> None:
    def findings(layout: Layout, name: str) -> list[tuple[str, str, str | None, str | None]]:
        department = import_path(write(tmp_path, layout, form, name)).department
        return sorted((f.code, f.severity.value, f.location.project or "", f.location.budget_line or "")
                      for f in check_department(department, select=["PG1", "PG2"]))

    in_wan = findings(Layout(), "万元")
    assert in_wan == findings(Layout(unit="元", codes="split", grouping=True), "元")
    # Only what waits for a person: the suggested links and the amounts inferred from the ceilings.
    assert {code for code, *_ in in_wan} == {"PG109", "PG111"}


# --------------------------------------------------------------------- the sample's tables in 元
def sample_in_yuan(*, grouping: bool) -> str:
    """The sample with every table written in 万元 rewritten in 元: the unit line and each figure (×10000)."""
    lines: list[str] = []
    in_wan = False
    for line in SAMPLE_TEXT.text.splitlines():
        if line.strip() and not line.startswith("\t"):
            in_wan = False  # a paragraph: the table is over
        if line == "\t单位：万元":
            in_wan = True
            lines.append("\t单位：元")
            continue
        figure = re.fullmatch(r"\t(\d+\.\d\d)", line)  # quantities (3, 80.2) and codes are not figures
        if in_wan and figure:
            value = D(figure.group(1)) * WAN
            lines.append(f"\t{value:,.2f}" if grouping else f"\t{value:.2f}")
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def _scaled(value: object) -> object:
    """A model dump of 万元 figures as the same figures in 元."""
    if isinstance(value, Decimal):
        return value * WAN
    if isinstance(value, dict):
        return {key: "元" if key == "unit" and item == "万元" else _scaled(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scaled(item) for item in value]
    return value


@pytest.fixture(scope="module")
def sample_pair() -> tuple[Department, Department]:
    from perfgoals.importers.reading import import_text

    in_wan = import_text(SAMPLE_TEXT.text.encode(), source="万元.txt").department
    in_yuan = import_text(sample_in_yuan(grouping=True).encode(), source="元.txt").department
    return in_wan, in_yuan


def test_sample_in_yuan_keeps_every_figure_in_yuan(sample_pair: tuple[Department, Department]) -> None:
    in_wan, in_yuan = sample_pair
    assert in_yuan.money_unit == "元"
    assert [line.model_dump() for line in in_yuan.budget_lines] == _scaled([line.model_dump() for line in in_wan.budget_lines])
    assert in_yuan.budget_lines[0].unit == "元" and in_yuan.line("2060702") is not None
    assert in_yuan.line("2060702").project == D("2120000.00")  # type: ignore[union-attr]
    assert in_wan.function_total is not None and in_yuan.function_total is not None
    assert in_yuan.function_total.model_dump() == _scaled(in_wan.function_total.model_dump())
    for part in ("economic_lines", "summary_rows", "three_public"):
        assert [r.model_dump() for r in getattr(in_yuan, part)] == _scaled([r.model_dump() for r in getattr(in_wan, part)])


def test_sample_in_yuan_links_and_reconciles_its_projects_the_same(sample_pair: tuple[Department, Department]) -> None:
    from perfgoals.reading.reconcile import reconcile_department

    in_wan, in_yuan = sample_pair
    links = [(p.name, p.budget_line_code, p.fund_source, p.line_link) for p in in_wan.projects]
    assert [(p.name, p.budget_line_code, p.fund_source, p.line_link) for p in in_yuan.projects] == links
    reconciled = reconcile_department(in_yuan)
    assert reconciled.discrepancies == [] and reconciled.unlinked == []


def test_sample_in_yuan_gives_the_same_budget_findings(sample_pair: tuple[Department, Department]) -> None:
    in_wan, in_yuan = sample_pair

    def keys(department: Department) -> list[tuple[str, str, str, str]]:
        return sorted((f.code, f.severity.value, f.location.project or "", f.location.budget_line or "")
                      for f in check_department(department, select=["PG1", "PG2"]))

    assert keys(in_yuan) == keys(in_wan)


# --------------------------------------------------------------------- through the command line
def test_command_line_imports_a_yuan_document_with_split_codes_and_checks_it_clean(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layout = replace(LAYOUTS["三行表头"], unit="元", grouping=True, blank="-")
    path = write(tmp_path, layout, "docx")
    imported = cli("import", str(path))
    assert imported.code == 0, imported.stderr
    assert "已导入 305 某某市科学技术协会（2024 年）" in imported.stdout
    assert "10 个功能科目、3 个项目" in imported.stdout and "3/3 个项目已对应" in imported.stdout
    checked = cli("check", "--select", "PG1,PG2", "--format", "json")
    assert checked.code == 0, checked.stdout + checked.stderr
    assert {finding["code"] for finding in json.loads(checked.stdout)} == {"PG109", "PG111"}
    dump = tmp_path / "dump.json"
    assert cli("dump", "-o", str(dump)).code == 0
    lines = {line["code"]: line for line in json.loads(dump.read_text(encoding="utf-8"))["department"]["budget_lines"]}
    assert lines["2060702"]["unit"] == "元"
    assert (lines["2060702"]["total"], lines["2060702"]["basic"], lines["2060702"]["project"]) == (
        "1500000.00", None, "1500000.00")
    assert (lines["2060702"]["income_current"], lines["2060702"]["carryover"]) == ("1300000.00", "200000.00")
    assert lines["2060701"]["income_sources"] == {"一般公共预算拨款": "1450000.00", "事业收入": "50000.00"}


@pytest.mark.parametrize("name", ["收支总表上下排列", "跨页重复单位行", "编码与名称同格"])
def test_command_line_imports_text_forms(cli, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, LAYOUTS[name], "text")
    imported = cli("import", str(path))
    assert imported.code == 0, imported.stderr
    assert "10 个功能科目、3 个项目" in imported.stdout and "未能放置" not in imported.stdout
    checked = cli("check", "--select", "PG1,PG2", "--format", "json")
    assert checked.code == 0, checked.stdout + checked.stderr
    assert {finding["code"] for finding in json.loads(checked.stdout)} == {"PG109", "PG111"}


# --------------------------------------------------------------------- figures as written
def _text_department(text: str) -> Department:
    from perfgoals.importers.reading import import_text

    return import_text(text.encode("utf-8"), source="t.txt").department


FIGURES_TABLE = [
    "部门预算支出总表", "\t305某某市科学技术协会", "\t预算年度：2024", "\t单位：元", "",
    "\t科目编码", "\t科目名称", "\t合计", "\t基本支出", "\t项目支出", "\t事业单位经营支出", "",
    "\t", "\t合计", "\t{total}", "\t{basic}", "\t{project}", "\t{other}", "",
    "\t2060702", "\t科普活动", "\t{total}", "\t{basic}", "\t{project}", "\t{other}", "",
]


@pytest.mark.parametrize(("total", "basic", "project", "other", "expected"), [
    ("1,500,000.00", "0.00", "1,500,000.00", "-", (D("1500000.00"), D("0.00"), D("1500000.00"), {})),
    ("１，５００，０００．００", "—", "１５０００００", "", (D("1500000.00"), None, D("1500000"), {})),
    ("1 500 000.00", "－", "1500000.00", "／", (D("1500000.00"), None, D("1500000.00"), {})),
    ("1500000.00", "——", "1499000.00", "1,000.00", (D("1500000.00"), None, D("1499000.00"), {"事业单位经营支出": D("1000.00")})),
])
def test_zero_stays_zero_and_a_dash_stays_blank(
    total: str, basic: str, project: str, other: str, expected: tuple[object, ...]
) -> None:
    text = "\n".join(FIGURES_TABLE).format(total=total, basic=basic, project=project, other=other)
    department = _text_department(text)
    for line in (department.line("2060702"), department.function_total):
        assert line is not None and line.unit == "元"
        assert (line.total, line.basic, line.project, line.other_expenses) == expected
    assert budget_errors(department) == []


# --------------------------------------------------------------------- bad input: one clear message
def test_a_bad_figure_names_file_table_row_and_column(tmp_path: Path) -> None:
    blocks = Writer(replace(LAYOUTS["三行表头"], unit="元", grouping=True)).document()
    text = text_of(blocks).replace("\t1,450,000.00\n", "\t1,45O,000.00\n", 1)  # a letter O in the 收入总表
    path = tmp_path / "坏数字.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailure) as caught:
        import_path(path)
    message = str(caught.value)
    row = text.splitlines().index("\t1,45O,000.00")
    first = max(i for i in range(row) if text.splitlines()[i] == "") + 2
    assert message == (f"{path}：「部门预算收入总表」第 {first} 行：「本年收入/一般公共预算拨款」列的“1,45O,000.00”"
                       "无法读作金额（不是金额：'1,45O,000.00'）")


BAD_BUDGETS = {
    "收支总表缺项目列": (
        "部门收支总表\n\t305某某市科学技术协会\n\t预算年度：2024\n\t单位：元\n\n\t内容\n\t金额\n\n\t收入总计\n\t100.00\n",
        r"「部门收支总表」表头：找不到“收入”和“支出”两侧的“项目”列"),
    "上下排列的收支总表有文字金额": (
        "部门收支总表\n\t305某某市科学技术协会\n\t预算年度：2024\n\t单位：元\n\n\t项目\n\t预算数\n\n\t收入\n\n"
        "\t一、一般公共预算拨款收入\n\t100.00\n\n\t收入总计\n\t一百元\n",
        r"「部门收支总表」第 14 行：「预算数」列的“一百元”无法读作金额"),
}


@pytest.mark.parametrize("name", list(BAD_BUDGETS))
def test_bad_budget_tables_are_refused_in_one_line(cli, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    text, message = BAD_BUDGETS[name]
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("错误：") and str(path) in result.stderr, result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_an_economic_code_of_the_wrong_length_is_noted_not_fatal() -> None:
    from perfgoals.importers.reading import import_text

    text = "\n".join([
        "一般公共预算基本支出表", "\t305某某市科学技术协会", "\t预算年度：2024", "\t单位：万元", "",
        "\t科目编码", "\t科目名称", "\t合计", "\t人员经费", "\t公用经费", "",
        "\t30101", "\t基本工资", "\t10.00", "\t10.00", "\t", "",
        "\t3010101", "\t基本工资（明细）", "\t10.00", "\t10.00", "\t", "",
    ])
    result = import_text(text.encode(), source="e.txt")
    assert [line.code for line in result.department.economic_lines] == ["30101"]
    assert [str(note) for note in result.notes] == [
        "「一般公共预算基本支出表」第 18 行：经济分类科目编码“3010101”应为 3 位（类）或 5 位（款），该行未导入"]
