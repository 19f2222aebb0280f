"""A small, fully consistent department built from the models, for rule tests.

Every figure reconciles and every goal table is complete, so ``check_department`` finds nothing;
tests change one thing and see which rule fires.  (The importer's sample is used separately.)
"""

from __future__ import annotations

from decimal import Decimal as D

from perfgoals.models import (
    AmountSource,
    BudgetLine,
    Department,
    DepartmentGoals,
    EconomicLine,
    FundSource,
    GoalTable,
    Indicator,
    LineAmounts,
    LinkStatus,
    ProcurementItem,
    Project,
    SummaryRow,
    SummaryTable,
    ThreePublicRow,
)


def goal_rows(cost: str, *, count: str = "≥20次", period: str = "2022.3-12月") -> list[Indicator]:
    def row(l1: str, l2: str, l3: str, description: str, value: str, basis: str) -> Indicator:
        return Indicator(level1=l1, level2=l2, level3=l3, description=description, value=value, basis=basis)

    return [
        row("产出指标", "数量指标", "活动开展次数", "全年开展科普活动的次数", count, "年初工作计划"),
        row("产出指标", "质量指标", "社区覆盖率", "活动覆盖的社区占全部社区的比例", "≥90%", "行业标准"),
        row("产出指标", "时效指标", "活动完成时间", "全年活动的完成时间", period, "年初工作计划"),
        row("产出指标", "成本指标", "预算总成本", "项目预算控制数", cost, "预算文本"),
        row("效益指标", "社会效益指标", "公众科学素养", "参加活动群众的科学素养", "逐步提高", "年初工作计划"),
        row("满意度指标", "服务对象满意度指标", "参加群众满意度", "参加活动群众的满意度", "≥90%", "满意度调查"),
    ]


def project(name: str, amount: str, goal: str, *, carryover: bool = False, count: str = "≥20次") -> Project:
    return Project(
        name=name,
        budget_line_code="2060702",
        line_link=LinkStatus.CONFIRMED,
        fund_source=FundSource.CARRYOVER if carryover else FundSource.CURRENT,
        budget_amount=D(amount),
        amount_unit="万元",
        amount_source=AmountSource.ENTERED,
        goal=GoalTable(goal_text=goal, indicators=goal_rows(f"≤{amount}万元", count=count)),
    )


def line(code: str, name: str, **amounts: str | None) -> BudgetLine:
    values = {key: (D(value) if value is not None else None) for key, value in amounts.items()}
    sources = {"财政拨款收入": values["income_current"]} if values.get("income_current") is not None else {}
    return BudgetLine(code=code, name=name, income_sources=sources, **values)


def clean_department() -> Department:
    """Two function lines under 206/20607, three projects on 2060702, tables that all add up."""
    tree = {"total": "100.00", "basic": "60.00", "project": "40.00", "income_total": "100.00",
            "income_current": "95.00", "carryover": "5.00"}
    return Department(
        code="901",
        name="示例市科学技术协会",
        year=2022,
        goals=DepartmentGoals(overall="围绕全市中心工作，提升公民科学素质。"),
        function_total=LineAmounts(
            total=D("100.00"), basic=D("60.00"), project=D("40.00"), income_total=D("100.00"),
            income_current=D("95.00"), income_sources={"财政拨款收入": D("95.00")}, carryover=D("5.00"),
        ),
        budget_lines=[
            line("206", "科学技术支出", **tree),
            line("20607", "科学技术普及", **tree),
            line("2060701", "机构运行", total="60.00", basic="60.00", project=None, income_total="60.00",
                 income_current="60.00", carryover=None),
            line("2060702", "科普活动", total="40.00", basic=None, project="40.00", income_total="40.00",
                 income_current="35.00", carryover="5.00"),
        ],
        economic_lines=[
            EconomicLine(code="", name="合计", total=D("60.00"), personnel=D("50.00"), public=D("10.00")),
            EconomicLine(code="301", name="工资福利支出", total=D("50.00"), personnel=D("50.00")),
            EconomicLine(code="30101", name="基本工资", total=D("30.00"), personnel=D("30.00")),
            EconomicLine(code="30102", name="津贴补贴", total=D("20.00"), personnel=D("20.00")),
            EconomicLine(code="302", name="商品和服务支出", total=D("10.00"), public=D("10.00")),
            EconomicLine(code="30201", name="办公费", total=D("9.00"), public=D("9.00")),
            EconomicLine(code="30217", name="公务接待费", total=D("0.50"), public=D("0.50")),
            EconomicLine(code="30231", name="公务用车运行维护费", total=D("0.50"), public=D("0.50")),
        ],
        summary_rows=[
            SummaryRow(table=SummaryTable.BUDGET, side="收入", position=1, item="一、一般公共预算拨款收入",
                       amounts={"预算数": D("95.00")}),
            SummaryRow(table=SummaryTable.BUDGET, side="支出", position=1, item="一、科学技术支出",
                       amounts={"预算数": D("100.00")}),
            SummaryRow(table=SummaryTable.BUDGET, side="收入", position=2, item="本年收入合计",
                       amounts={"预算数": D("95.00")}),
            SummaryRow(table=SummaryTable.BUDGET, side="支出", position=2, item="本年支出合计",
                       amounts={"预算数": D("100.00")}),
            SummaryRow(table=SummaryTable.BUDGET, side="收入", position=3, item="上年结转结余",
                       amounts={"预算数": D("5.00")}),
            SummaryRow(table=SummaryTable.BUDGET, side="支出", position=3, item="年终结转结余", amounts={}),
            SummaryRow(table=SummaryTable.BUDGET, side="收入", position=4, item="收入总计",
                       amounts={"预算数": D("100.00")}),
            SummaryRow(table=SummaryTable.BUDGET, side="支出", position=4, item="支出总计",
                       amounts={"预算数": D("100.00")}),
        ],
        three_public=[
            ThreePublicRow(position=1, item="合计", category="total", total=D("1.00")),
            ThreePublicRow(position=2, item="“三公”经费小计", category="subtotal", total=D("1.00")),
            ThreePublicRow(position=3, item="一、因公出国（境）费", category="abroad"),
            ThreePublicRow(position=4, item="二、公务用车购置及运维费", category="vehicle", total=D("0.50")),
            ThreePublicRow(position=5, item="其中：公务用车购置费", category="vehicle_purchase"),
            ThreePublicRow(position=6, item="公务用车运行维护费", category="vehicle_operation", total=D("0.50")),
            ThreePublicRow(position=7, item="三、公务接待费", category="reception", total=D("0.50")),
        ],
        procurement=[
            ProcurementItem(project_name="科普活动", project_budget=D("30.00"), item="台式计算机", measure="台",
                            quantity=D("2"), unit_price=D("0.50"), amount=D("1.00"),
                            funding={"一般公共预算拨款": D("1.00")}),
            ProcurementItem(project_name="科普活动", project_budget=D("30.00"), item="投影仪", measure="台",
                            quantity=D("1"), unit_price=D("1.00"), amount=D("1.00"),
                            funding={"一般公共预算拨款": D("1.00")}),
        ],
        procurement_total=D("2.00"),
        projects=[
            project("科普活动", "30.00", "1.开展科普活动，提升公民科学素养"),
            project("科普讲座", "5.00", "1.举办科普讲座，普及科学知识", count="≥12场"),
            project("结转科普展览", "5.00", "1.完成上年结转的科普展览", carryover=True, count="≥3次"),
        ],
    )


def test_the_clean_department_adds_up() -> None:
    """The builder is the baseline of every rule case: it must give no finding at all."""
    from perfgoals.checks import check_department

    assert check_department(clean_department()) == []


def test_row_facts_are_shared_between_equal_rows_and_their_cache_is_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from perfgoals.checks import context

    monkeypatch.setattr(context, "_ROW_FACTS_LIMIT", 10)
    monkeypatch.setattr(context, "_ROW_FACTS", {})

    def key(n: int) -> context.RowKey:
        return ("产出指标", "数量指标", f"培训{n}期", "", "≥1期", "年度计划", None, None, None)

    assert context.row_facts(key(1), "mof-2015") is context.row_facts(key(1), "mof-2015")
    assert context.row_facts(key(1), "mof-2015") is not context.row_facts(key(1), "mof-2021")
    for n in range(40):
        facts = context.row_facts(key(n), "mof-2015")
        assert facts.level3 == f"培训{n}期" and facts.parsed.number == 1
        assert sum(len(rows) for rows in context._ROW_FACTS.values()) <= 10
