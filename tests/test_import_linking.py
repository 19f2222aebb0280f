"""Budget-line linking: every assignment that fits the arithmetic, the name-based choice, what stays unlinked."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest

from perfgoals.importers import linking
from perfgoals.importers.linking import link_projects
from perfgoals.models import BudgetLine, Department, FundSource, GoalTable, LinkStatus, Project
from perfgoals.money import to_wan
from perfgoals.reading.rounding import rounding_tolerance

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


def test_projects_linked_by_the_source_count_towards_their_line() -> None:
    department = _department(
        [_line("2010101", "行政运行", "100.00"), _line("2010102", "一般行政管理事务", "50.00"),
         _line("2010103", "机关服务", "30.00")],
        [("办公经费", "60", "万元"), ("专项经费", "40", "万元"), ("业务经费", "50", "万元"), ("后勤服务", "30", "万元")],
    )
    for name, code in [("办公经费", "2010101"), ("后勤服务", "2010103")]:
        given = department.project(name)
        assert given is not None
        given.budget_line_code, given.line_link = code, LinkStatus.CONFIRMED
    report = link_projects(department)
    got = {p.name: (p.budget_line_code, p.line_link) for p in department.projects}
    assert got == {
        "办公经费": ("2010101", LinkStatus.CONFIRMED),
        "专项经费": ("2010101", LinkStatus.SUGGESTED),  # the 40.00 left on the line once 60.00 is given
        "业务经费": ("2010102", LinkStatus.SUGGESTED),
        "后勤服务": ("2010103", LinkStatus.CONFIRMED),
    }
    assert report.complete and not report.unplaced_lines and not report.unlinked


def test_fund_source_is_left_open_where_the_line_has_non_fiscal_income() -> None:
    line = _line("2060702", "科普活动", "20.00", "5.00")
    line.income_sources = {"财政拨款收入": D("10.00"), "事业收入": D("5.00")}
    department = _department([line], [("科普讲座", "15", "万元"), ("结转课题", "5", "万元")])
    link_projects(department)
    got = {p.name: (p.budget_line_code, p.fund_source) for p in department.projects}
    assert got == {"科普讲座": ("2060702", None), "结转课题": ("2060702", FundSource.CARRYOVER)}


# -- large departments ---------------------------------------------------------------------------------

#: Line names with distinct stems; a generated project's name starts with its true line's stem.
LINE_NAMES = ["行政运行", "机关服务", "科普活动", "科技馆站", "学术交流", "干部教育", "信息化建设", "事业运行",
              "专项业务", "广播电视", "档案馆", "标准化管理", "质量安全监管", "应急救援", "对外援助"]


@dataclass
class Generated:
    department: Department
    line_of: dict[str, str]  # the true line of each project
    twins: list[tuple[str, str]]  # projects with equal amounts, on different lines


def _generated(seed: int, projects: int, lines: int, *, stems: bool = True) -> Generated:
    """A department whose projects were dealt to lines at random, amounts in 元 and 万元, some carried over.

    ``stems``: each project's name starts with its line's stem (else the names say nothing about lines).
    """
    rng = random.Random(seed)
    codes = [f"2{k:02d}{rng.randint(0, 99):02d}{rng.randint(1, 99):02d}" for k in range(lines)]
    names = rng.sample(LINE_NAMES, lines)
    carry_lines = set(rng.sample(range(lines), max(1, lines // 3)))
    dealt: list[list[tuple[str, Decimal, str, bool]]] = [[] for _ in range(lines)]
    twins: list[tuple[str, str]] = []
    for n in range(projects):
        line = n % lines if n < lines else rng.randrange(lines)
        carried = line in carry_lines and rng.random() < 0.3
        name = f"{names[line][:2] if stems else ''}{'结转' if carried else ''}项目{n}"
        others = [j for j in range(lines) if j != line and dealt[j]]
        if n >= lines and len(twins) < projects // 20 and others and rng.random() < 0.2:
            twin, amount, unit, _ = rng.choice(dealt[rng.choice(others)])  # the same amount on another line
            twins.append((twin, name))
        elif rng.random() < 0.3:
            amount, unit = D(rng.randint(10_000_00, 3_000_000_00)) / 100, "元"
        else:
            amount, unit = D(rng.randint(100, 50_000)) / 100, "万元"
        dealt[line].append((name, amount, unit, carried))
    budget_lines: list[BudgetLine] = []
    made: list[Project] = []
    for j, members in enumerate(dealt):
        total = _wan(sum((to_wan(a, u) for _, a, u, _ in members), D(0)))
        carry = _wan(sum((to_wan(a, u) for _, a, u, c in members if c), D(0)))
        budget_lines.append(_line(codes[j], names[j], str(total), str(carry) if j in carry_lines else None))
        made += [Project(name=name, budget_amount=a, amount_unit=u, goal=GoalTable(goal_text=""))
                 for name, a, u, _ in members]
    rng.shuffle(made)
    department = Department(code="101", name="某局", year=2023, budget_lines=budget_lines, projects=made)
    return Generated(department, {name: codes[j] for j, m in enumerate(dealt) for name, *_ in m}, twins)


def _wan(amount: Decimal) -> Decimal:
    return amount.quantize(D("0.01"), ROUND_HALF_UP)


def _unreconciled(department: Department) -> list[str]:
    """Lines whose linked projects (and carried-over projects) do not add up to their totals within rounding."""
    wrong = []
    for line in department.budget_lines:
        members = [p for p in department.projects if p.budget_line_code == line.code]
        if not members:
            continue
        amounts = [to_wan(p.budget_amount, p.amount_unit) for p in members if p.budget_amount is not None]
        carried = [to_wan(p.budget_amount, p.amount_unit) for p in members
                   if p.budget_amount is not None and p.fund_source is FundSource.CARRYOVER]
        if abs(sum(amounts, D(0)) - (line.project or 0)) > rounding_tolerance(len(amounts) + 1):
            wrong.append(f"{line.code} 项目支出")
        if abs(sum(carried, D(0)) - (line.carryover or 0)) > rounding_tolerance(len(carried) + 1):
            wrong.append(f"{line.code} 上年结转")
    return wrong


@pytest.mark.parametrize(
    ("seed", "projects", "lines", "stems"),
    [(1, 60, 8, True), (2, 60, 12, True), (3, 120, 10, True), (4, 120, 15, True), (5, 120, 12, False)],
)
def test_large_departments_link_every_project_so_that_every_line_reconciles(
    seed: int, projects: int, lines: int, stems: bool
) -> None:
    generated = _generated(seed, projects, lines, stems=stems)
    department = generated.department
    report = link_projects(department)
    assert report.complete and not report.unlinked and not report.unplaced_lines
    assert report.truncated  # the assignments were not all listed, so the alternatives are lower bounds
    assert all(p.budget_line_code and p.line_link is LinkStatus.SUGGESTED for p in department.projects)
    assert _unreconciled(department) == []
    # Every line's income is all 财政拨款, so each project is funded this year or carried over (checked above).
    assert all(p.fund_source in (FundSource.CURRENT, FundSource.CARRYOVER) for p in department.projects)
    # Equal amounts placed differently could be swapped: both are reported as having alternatives.
    placed = {p.name: (p.budget_line_code, p.fund_source) for p in department.projects}
    ambiguous = {link.project for link in report.ambiguous}
    swappable = [pair for pair in generated.twins if placed[pair[0]] != placed[pair[1]]]
    assert swappable and all(set(pair) <= ambiguous for pair in swappable)
    assert report.solutions > len(swappable)
    assert all("种可能" in link.reason for link in report.ambiguous)
    if stems:  # the names carry the line's stem: among the fitting assignments, the one they support
        right = sum(p.budget_line_code == generated.line_of[p.name] for p in department.projects)
        assert right >= projects * 0.95


def test_a_large_department_with_a_line_no_project_can_meet_reports_it() -> None:
    department = _generated(5, 60, 10).department
    department.budget_lines.append(_line("2130101", "行政运行", "0.03"))  # smaller than any project
    report = link_projects(department)
    assert not report.complete and report.unplaced_lines == ["2130101"]
    assert not report.unlinked and _unreconciled(department) == []


def test_a_large_department_whose_totals_disagree_leaves_the_excess_unlinked() -> None:
    generated = _generated(6, 60, 10)
    department = generated.department
    department.budget_lines[0].project += D("123.45")  # this line can no longer be met
    report = link_projects(department)
    assert not report.complete and report.unplaced_lines and report.unlinked
    assert all(link.reason for link in report.unlinked)
    assert _unreconciled(department) == []  # what is linked still adds up
    linked = {p.budget_line_code for p in department.projects if p.budget_line_code}
    assert linked.isdisjoint(report.unplaced_lines)


def test_a_search_out_of_budget_links_only_what_is_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    department = _generated(7, 60, 10).department
    biggest = max(department.budget_lines, key=lambda line: line.project or 0)
    biggest.project = (biggest.project or 0) + D("90000")
    department.budget_lines.append(_line("2130101", "行政运行", "0.88", "0.37"))
    department.projects += [
        Project(name=name, budget_amount=D(amount), amount_unit=unit, goal=GoalTable(goal_text=""))
        for name, amount, unit in [("大型工程", "90000", "万元"), ("小额补助", "5100", "元"), ("小额结转", "0.37", "万元")]
    ]
    monkeypatch.setattr(linking, "MAX_STEPS", 3)  # the search for a whole assignment gives up at once
    report = link_projects(department)
    assert not report.complete and report.truncated
    got = {p.name: (p.budget_line_code, p.fund_source, p.line_link) for p in department.projects if p.budget_line_code}
    assert got == {
        "大型工程": (biggest.code, FundSource.CURRENT, LinkStatus.SUGGESTED),  # no other line can hold it
        "小额补助": ("2130101", FundSource.CURRENT, LinkStatus.SUGGESTED),  # the only pair that makes 0.88 …
        "小额结转": ("2130101", FundSource.CARRYOVER, LinkStatus.SUGGESTED),  # … and its 0.37 carried over
    }
    assert "只有一组项目" in next(link.reason for link in report.links if link.project == "小额补助")
    assert len(report.unlinked) == 60 and all("组合过多" in link.reason for link in report.unlinked)
    assert biggest.code not in report.unplaced_lines and "2130101" not in report.unplaced_lines


def test_when_the_search_cannot_finish_what_it_links_still_adds_up() -> None:
    # Four projects a line and names that say nothing: coincidental sums everywhere, hard to finish.
    department = _generated(2, 60, 15, stems=False).department
    report = link_projects(department)
    linked = [p for p in department.projects if p.budget_line_code]
    assert linked and all(p.line_link is LinkStatus.SUGGESTED for p in linked)
    assert _unreconciled(department) == []
    assert all(link.reason for link in report.unlinked)
    assert set(report.unplaced_lines) == {line.code for line in department.budget_lines} - {
        p.budget_line_code for p in linked}
    if not report.complete:  # every link says the rest could not be completed around it
        assert all("请核对" in link.reason or "其余" in link.reason for link in report.links if link.line)
