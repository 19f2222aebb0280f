"""Test data for the main-screen tests: the packaged sample when the importer can read it, else a
small department in its image, built from the models."""

from __future__ import annotations

from decimal import Decimal

from perfgoals.models import (
    BudgetLine,
    Department,
    FundSource,
    GoalTable,
    Indicator,
    LinkStatus,
    Project,
)


def _table(goal: str, count: str, cost: str) -> GoalTable:
    return GoalTable(
        goal_text=goal,
        indicators=[
            Indicator(level1="产出指标", level2="数量指标", level3="活动开展次数", description="活动开展次数", value=count, basis="年初工作安排"),
            Indicator(level1="产出指标", level2="质量指标", level3="活动开展效果", description="活动开展效果", value="内容丰富、形式多样", basis="年初工作安排"),
            Indicator(level1="产出指标", level2="时效指标", level3="活动开展时间", description="活动开展时间", value="2022.1-12月", basis="年初工作安排"),
            Indicator(level1="产出指标", level2="成本指标", level3="预算总成本", description="预算项目控制数", value=cost, basis="年初工作安排"),
            Indicator(level1="效益指标", level2="社会效益指标", level3="提升公民科学素质", description="带动全民科学素质提升，营造良好的科普氛围", value="有所提升", basis="年初工作安排"),
            Indicator(level1="满意度指标", level2="服务对象满意度指标", level3="服务对象满意度", description="服务对象满意度", value="≥95%", basis="满意度调查"),
        ],
    )


def built_department() -> Department:
    return Department(
        code="731",
        name="张家口市科学技术协会",
        year=2022,
        budget_lines=[
            BudgetLine(code="206", name="科学技术支出", project=Decimal("418.12")),
            BudgetLine(code="20607", name="科学技术普及", project=Decimal("418.12")),
            BudgetLine(code="2060702", name="科普活动", project=Decimal("61.26")),
            BudgetLine(code="2060703", name="青少年科技活动", project=Decimal("3.00")),
        ],
        projects=[
            Project(
                name="科普活动",
                budget_line_code="2060702",
                line_link=LinkStatus.CONFIRMED,
                fund_source=FundSource.CURRENT,
                budget_amount=Decimal("21.87"),
                owner="科普部",
                goal=_table("1.开展全国科普日、科技活动周等科普活动，提升公民科学素质。", "≥10次", "≤21.87万元"),
            ),
            Project(
                name="开展科技工作者助力乡村振兴经费",
                budget_line_code="2060702",
                line_link=LinkStatus.SUGGESTED,
                fund_source=FundSource.CURRENT,
                budget_amount=Decimal("0.08"),
                goal=_table("1.生态优先，为构建绿色美丽乡村贡献力量", "≥1次", "≤755元"),
            ),
            Project(
                name="青少年科技创新大赛",
                budget_line_code="2060703",
                line_link=LinkStatus.CONFIRMED,
                fund_source=FundSource.CARRYOVER,
                budget_amount=Decimal("3"),
                goal=_table("举办青少年科技创新大赛", "≥1届", "≤3万元"),
            ),
            Project(name="租赁办公场所费用", budget_amount=Decimal("30.5"), goal=_table("保障办公场所", "1处", "≤30.5万元")),
        ],
    )


def sample_department() -> Department:
    try:
        from perfgoals.importers import demo_department

        return demo_department()
    except ImportError:
        return built_department()
