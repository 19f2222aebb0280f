"""Budget-line linking: every assignment that fits the arithmetic, the name-based choice, what stays unlinked."""

from __future__ import annotations

import random
from decimal import Decimal

from perfgoals.importers.linking import link_projects
from perfgoals.models import BudgetLine, Department, FundSource, GoalTable, LinkStatus, Project

D = Decimal


def _department(lines: list[BudgetLine], projects: list[tuple[str, str, str]]) -> Department:
    return Department(
        code="101",
        name="某局",
        year=2023,
        budget_lines=lines,
        projects=[
            Project(name=name, budget_amount=D(amount), amount_unit=unit, goal=GoalTable(goal_text=""))
            for name, amount, unit in projects
        ],
    )


def _line(code: str, name: str, project: str, carry: str | None = None) -> BudgetLine:
    return BudgetLine(code=code, name=name, project=D(project), total=D(project), carryover=D(carry) if carry else None,
                      income_current=D(project) - D(carry or "0"))


def test_carry_over_split_and_an_amount_that_fits_nowhere() -> None:
    department = _department(
        [
            _line("201", "一般公共服务支出", "150.01", "10.00"),  # a parent line: never a target
            _line("2010101", "行政运行", "100.00"),
            _line("2010102", "一般行政管理事务", "50.01", "10.00"),
        ],
        [("办公运转经费", "100", "万元"), ("专项业务经费", "40.01", "万元"), ("上年结转课题经费", "100000", "元"),
         ("对不上的项目", "3.33", "万元")],
    )
    report = link_projects(department)
    got = {p.name: (p.budget_line_code, p.fund_source, p.line_link) for p in department.projects}
    assert got == {
        "办公运转经费": ("2010101", FundSource.CURRENT, LinkStatus.SUGGESTED),
        "专项业务经费": ("2010102", FundSource.CURRENT, LinkStatus.SUGGESTED),
        "上年结转课题经费": ("2010102", FundSource.CARRYOVER, LinkStatus.SUGGESTED),
        "对不上的项目": (None, None, None),
    }
    assert not report.complete
    assert [link.project for link in report.unlinked] == ["对不上的项目"]
    assert "对不上" in report.unlinked[0].reason


def test_twenty_projects_with_equal_amounts_are_solved_and_named_right() -> None:
    rng = random.Random(7)
    lines = {
        "2010101": ("行政运行", ["机关日常运转经费", "办公运转保障经费", "机关正常运转补助", "后勤运行经费"]),
        "2060702": ("科普活动", ["科普宣传活动经费", "全民科学素质提升活动", "青少年科普活动", "科普日活动经费",
                                "科学普及讲座"]),
        "2060705": ("科技馆站", ["科技馆展品更新", "科技馆免费开放补助", "流动科技馆巡展", "展馆维护",
                                "科技馆开馆运行"]),
        "2050802": ("干部教育", ["干部培训经费", "进修培训", "继续教育培训"]),
        "2080505": ("机关事业单位基本养老保险缴费支出", ["养老保险缴费补助", "职业年金缴费补助", "养老缴费"]),
    }
    truth: dict[str, str] = {}
    projects: list[tuple[str, str, str]] = []
    budget_lines = []
    for code, (line_name, names) in lines.items():
        total = D(0)
        for n, name in enumerate(names):
            amount = D("7.29") if n == 0 else D(rng.randint(100, 9999)) / 100  # equal amounts across lines
            projects.append((name, str(amount), "万元"))
            truth[name] = code
            total += amount
        budget_lines.append(_line(code, line_name, str(total)))
    rng.shuffle(projects)
    department = _department(budget_lines, projects)
    report = link_projects(department)
    assert report.complete and not report.truncated and report.solutions >= 2
    assert len(department.projects) == 20
    assert {p.name: p.budget_line_code for p in department.projects} == truth
    assert {link.project for link in report.ambiguous} >= {names[0] for _, names in lines.values()}
    assert all(p.line_link is LinkStatus.SUGGESTED for p in department.projects)


def test_a_project_without_an_amount_is_reported_not_guessed() -> None:
    department = _department([_line("2010101", "行政运行", "10.00")], [("有金额", "10", "万元")])
    department.projects.append(Project(name="没有金额"))
    report = link_projects(department)
    assert department.project("有金额").budget_line_code == "2010101"  # type: ignore[union-attr]
    assert department.project("没有金额").budget_line_code is None  # type: ignore[union-attr]
    assert [link.project for link in report.unlinked] == ["没有金额"]


def test_fund_source_is_left_open_where_the_line_has_non_fiscal_income() -> None:
    line = _line("2060702", "科普活动", "20.00", "5.00")
    line.income_sources = {"财政拨款收入": D("10.00"), "事业收入": D("5.00")}
    department = _department([line], [("科普讲座", "15", "万元"), ("结转课题", "5", "万元")])
    link_projects(department)
    got = {p.name: (p.budget_line_code, p.fund_source) for p in department.projects}
    assert got == {"科普讲座": ("2060702", None), "结转课题": ("2060702", FundSource.CARRYOVER)}
