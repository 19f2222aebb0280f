"""Departments for the export tests, built from the models (the 科普活动 table copied from the sample)."""

from __future__ import annotations

from decimal import Decimal as D

from perfgoals.models import (
    BudgetLine,
    Department,
    Direction,
    GoalTable,
    Indicator,
    LinkStatus,
    Project,
    ProjectStatus,
)

KEPU_ROWS = [
    ("产出指标", "数量指标", "编印期数", "编印杂志期数", "≥6期", "年初工作计划"),
    ("产出指标", "数量指标", "在职人数", "在职人数", "22人", "编办核定"),
    ("产出指标", "质量指标", "活动开展效果", "活动开展效果", "100%", "年初工作计划"),
    ("产出指标", "时效指标", "活动开展时间", "按照年度计划完成", "2022.1-12月", "年初工作计划"),
    ("产出指标", "成本指标", "预算总成本", "预算项目控制数", "≤65.61万元", "预算文本"),
    ("效益指标", "社会效益指标", "为开展科普活动做好保障", "为开展科普活动做好保障",
     "营造广泛动员、群众参与的良好氛围", "年初工作计划"),
    ("满意度指标", "服务对象满意度指标", "科技工作者满意度", "科技工作者满意度", "≥95%", "满意度调查"),
]  # fmt: skip


def indicators(rows: list[tuple[str, str, str, str, str, str]]) -> list[Indicator]:
    return [
        Indicator(level1=a, level2=b, level3=c, description=d, value=e, basis=f) for a, b, c, d, e, f in rows
    ]


def kepu_project() -> Project:
    return Project(
        name="科普活动",
        budget_line_code="2060702",
        line_link=LinkStatus.CONFIRMED,
        budget_amount=D("65.61"),
        goal=GoalTable(goal_text="1.开展科普活动，服务科技工作者", indicators=indicators(KEPU_ROWS)),
    )


LONG_NAME = "提前下达2022年省级支持市县科技创新和科学普及专项资金的通知"


def sample_department(code: str = "731", year: int = 2022) -> Department:
    """Four projects: the sample's 科普活动, a long name, formula-like text and optional columns."""
    return Department(
        code=code,
        name="张家口市科学技术协会",
        year=year,
        budget_lines=[
            BudgetLine(code="206", name="科学技术支出", project=D("444.13")),
            BudgetLine(code="2060702", name="科普活动", project=D("65.61")),
            BudgetLine(code="2060799", name="其他科学技术普及支出", unit="元", project=D("378500.00")),
        ],
        projects=[
            kepu_project(),
            Project(
                name=LONG_NAME,
                budget_line_code="2060799",
                line_link=LinkStatus.SUGGESTED,
                budget_amount=D("228500"),
                amount_unit="元",
                status=ProjectStatus.RETURNED,
                goal=GoalTable(
                    goal_text="1.支持市县科技创新\n2.提升公民科学素质",
                    indicators=indicators(
                        [
                            ("产出指标", "数量指标", "开展活动次数", "开展科普活动", "≥4次", "计划标准"),
                            ("产出指标", "成本指标", "预算总成本", "项目预算控制数", "≤228500元", "预算文本"),
                            ("满意度指标", "服务对象满意度指标", "群众满意度", "群众满意度", "≥90%", "满意度调查"),
                        ]
                    ),
                ),
            ),
            Project(
                name="=HYPERLINK(\"http://x\")[危险]",
                budget_line_code="2060799",
                budget_amount=D("15.00"),
                goal=GoalTable(
                    goal_text="=1+1",
                    indicators=indicators(
                        [
                            ("产出指标", "数量指标", "+ 增长", "-减少", "@SUM(A1)", "=A1*2"),
                            ("效益指标", "社会效益指标", "影响", "-", "=2", "+1"),
                        ]
                    ),
                ),
            ),
            Project(
                name="全民科学素质行动计划专项经费",
                budget_line_code="2060799",
                budget_amount=D("0"),
                goal=GoalTable(
                    goal_text="提升全民科学素质",
                    revision=4,
                    indicators=[
                        Indicator(level1="产出指标", level2="数量指标", level3="培训人次", description="培训",
                                  value="≥500", unit="人次", mid_term_value="≥2000", weight=D("12.50"),
                                  direction=Direction.POSITIVE, basis="计划标准"),
                        Indicator(level1="满意度指标", level2="服务对象满意度指标", level3="满意度",
                                  description="参训人员满意度", value="≥90", unit="%", weight=D("10"),
                                  direction=Direction.POSITIVE, basis="满意度调查"),
                    ],
                ),
            ),
        ],
    )  # fmt: skip
