"""Departments built by hand from the models, covering every field, for storage and document tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

from perfgoals.models import (
    Acceptance,
    AmountSource,
    BudgetLine,
    Comment,
    Department,
    DepartmentGoals,
    DeviationCause,
    Direction,
    EconomicLine,
    EvaluationFunds,
    FiscalSplit,
    FundSource,
    GoalTable,
    Grade,
    Indicator,
    IndicatorProgress,
    IndicatorResult,
    Likelihood,
    LineAmounts,
    LinkStatus,
    Monitoring,
    OrgUnit,
    ProcurementItem,
    Project,
    ProjectStatus,
    Reply,
    ReviewEvent,
    Role,
    SelfEvaluation,
    SummaryRow,
    SummaryTable,
    ThreePublicRow,
)


def full_department(code: str = "731", year: int = 2022) -> Department:
    """A small department that uses every field of the model, with awkward values on purpose."""
    return Department(
        code=code,
        name="张家口市科学技术协会",
        year=year,
        goals=DepartmentGoals(
            overall="市科协紧紧围绕全市中心工作……", itemised="1、部门管理", safeguards="1、加强制度建设。"
        ),
        org_units=[
            OrgUnit(name="张家口市科技馆", nature="事业", rank="正科级", funding="财政性资金定额或定项补助")
        ],
        function_total=LineAmounts(
            total=D("1135.10"), basic=D("690.97"), project=D("444.13"), carryover=D("29.73")
        ),
        budget_lines=[
            BudgetLine(
                code="206",
                name="科学技术支出",
                total=D("862.98"),
                basic=D("418.85"),
                project=D("444.13"),
                income_current=D("833.25"),
                income_sources={"财政拨款收入": D("833.25")},
                carryover=D("29.73"),
                fiscal={
                    "一般公共预算": FiscalSplit(total=D("862.98"), basic=D("418.85"), project=D("444.13"))
                },
            ),
            BudgetLine(
                code="20607", name="科学技术普及", total=D("862.98"), basic=D("418.85"), project=D("444.13")
            ),
            BudgetLine(
                code="2060799",
                name="其他科学技术普及支出",
                unit="元",
                total=D("219500"),
                project=D("219500.00"),
                other_expenses={"经营支出": D("0")},
            ),
        ],
        economic_lines=[
            EconomicLine(code="", name="合计", total=D("690.97"), personnel=D("579.64"), public=D("111.33")),
            EconomicLine(code="301", name="工资福利支出", total=D("513.48"), personnel=D("513.48")),
            EconomicLine(code="30217", name="公务接待费", total=D("0.71"), public=D("0.71")),
        ],
        summary_rows=[
            SummaryRow(
                table=SummaryTable.BUDGET,
                side="收入",
                position=1,
                item="一、一般公共预算拨款收入",
                amounts={"预算数": D("1105.37")},
            ),
            SummaryRow(
                table=SummaryTable.FISCAL,
                side="支出",
                position=5,
                item="五、教育支出",
                amounts={"合计": D("53.16"), "一般公共预算财政拨款": D("53.16")},
            ),
        ],
        three_public=[
            ThreePublicRow(
                position=9,
                item="三、公务接待费",
                category="reception",
                total=D("0.71"),
                amounts={"一般公共预算财政拨款": D("0.71")},
            ),
        ],
        procurement=[
            ProcurementItem(
                project_name="科普活动",
                project_budget=D("65.61"),
                item="视频会议会议室终端",
                catalogue_code="A02080803",
                measure="间",
                quantity=D("80.2"),
                unit_price=D("0.05"),
                amount=D("4.01"),
                funding={"一般公共预算拨款": D("4.01")},
                sme_reserved=D("4.01"),
            ),
        ],
        procurement_total=D("13.86"),
        projects=[
            Project(
                name="开展科技工作者助力乡村振兴经费",
                budget_line_code="2060799",
                line_link=LinkStatus.SUGGESTED,
                fund_source=FundSource.CURRENT,
                budget_amount=D("21.87"),
                amount_source=AmountSource.COST_INDICATOR,
                owner="王芳",
                implementing_unit="张家口市科技馆",
                status=ProjectStatus.DRAFT,
                notes="=SUM(A1) 不是公式",
                goal=GoalTable(
                    goal_text="1.振兴乡村，绿色发展\n2.第二条",
                    mid_term_goal_text="1.三年内推广新品种10种\n2.实施期第二条",
                    revision=3,
                    indicators=[
                        Indicator(
                            level1="产出指标",
                            level2="数量指标",
                            level3="推广新品种",
                            description="推广新品种",
                            value="≥3种",
                            basis="年初工作计划",
                            mid_term_value="≥10种",
                            weight=D("10"),
                            direction=Direction.POSITIVE,
                            unit="种",
                            reference_value="≥2种",
                            method="推广品种数；完成得满分，每少1种扣2分",
                        ),
                        Indicator(
                            level1="产出指标",
                            level2="成本指标",
                            level3="预算总成本",
                            description="项目预算控制数",
                            value="≤ 21.87 万元 ",
                            basis="预算文本",
                        ),
                        Indicator(
                            level1="满意度指标",
                            level2="服务对象满意度指标",
                            level3="农村群众满意度",
                            description="农村群众满意度",
                            value="≥95%",
                            basis="满意度调查",
                        ),
                    ],
                ),
                acceptances=[
                    Acceptance(
                        code="PG401",
                        reason="经审核属实",
                        accepted_by="李四",
                        accepted_at=datetime(2022, 3, 1, 8, 30, tzinfo=UTC),
                    )
                ],
            ),
            Project(
                name="开展科技工作者助力精准扶贫经费",
                budget_amount=D("755"),
                amount_unit="元",
                fund_source=FundSource.CARRYOVER,
                status=ProjectStatus.RETURNED,
                goal=GoalTable(
                    goal_text="1.生态优先",
                    indicators=[Indicator(level1="产出指标", value="≤755元", reference_actual="  700 元")],
                ),
                comments=[
                    Comment(
                        number=1,
                        author="赵审",
                        role=Role.DEPARTMENT_REVIEWER,
                        at=datetime(2022, 3, 2, 9, 0, tzinfo=UTC),
                        text="成本指标与预算不符",
                        row=0,
                        field="value",
                        quote="≤755元",
                        replies=[
                            Reply(author="王芳", text="已改为万元", at=datetime(2022, 3, 3, tzinfo=UTC))
                        ],
                    ),
                    Comment(number=2, author="赵审", text="整表：请补充满意度指标"),
                ],
                reviews=[
                    ReviewEvent(
                        action="提交",
                        from_status=ProjectStatus.DRAFT,
                        to_status=ProjectStatus.SUBMITTED,
                        user="王芳",
                        role=Role.OWNER,
                        at=datetime(2022, 3, 1, tzinfo=UTC),
                        accepted=["PG111"],
                    ),
                    ReviewEvent(
                        action="退回",
                        from_status=ProjectStatus.SUBMITTED,
                        to_status=ProjectStatus.RETURNED,
                        user="赵审",
                        role=Role.DEPARTMENT_REVIEWER,
                        grade=Grade.FAIR,
                        opinions={"完整性": "缺满意度指标", "适当性": ""},
                    ),
                ],
                monitoring=Monitoring(
                    as_of=date(2022, 7, 31),
                    executed=D("300.50"),
                    expected_executed=D("755"),
                    unit="元",
                    rows=[
                        IndicatorProgress(
                            row=0,
                            level3="",
                            progress=" 400元",
                            expected="755元",
                            causes=[DeviationCause.FUNDING, DeviationCause.OTHER],
                            reason="资金下达晚",
                            likelihood=Likelihood.POSSIBLE,
                            remark="=1+1",
                        )
                    ],
                ),
                evaluation=SelfEvaluation(
                    unit="元",
                    funds=[
                        EvaluationFunds(
                            label="年度资金总额：", initial=D("0"), full_year=D("755"), executed=D("754.99")
                        ),
                        EvaluationFunds(label="其中：本年财政拨款", initial=D("755"), rate="99.99%"),
                    ],
                    rate_points=D("10"),
                    rate_score=D("9.99"),
                    level1_points={"产出指标": D("50"), "效益指标": D("30.5")},
                    achieved="完成",
                    total=D("99.99"),
                    grade="优",
                    rows=[
                        IndicatorResult(
                            row=0,
                            level3="",
                            actual="754.99 元",
                            points=D("50"),
                            score=D("49.5"),
                            reason="节约",
                        )
                    ],
                ),
            ),
        ],
        acceptances=[Acceptance(code="PG201", reason="公开数据四舍五入")],
    )
