"""The checks on the sample department (张家口市科协 2022) as imported: its truth, and mutated copies.

The sample has no errors.  Its warnings and infos are real ones, listed here with why each is right.
Every rule also fires on a copy of the sample changed the way real tables go wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from functools import cache

import pytest

from perfgoals.checks import Severity, UnknownRuleError, check_department, check_project, open_errors
from perfgoals.checks.registry import RULES
from perfgoals.models import Acceptance, AmountSource, Department, Indicator, Likelihood, LinkStatus

Mutation = Callable[[Department], None]


@cache
def _sample() -> Department:
    from perfgoals.importers import demo_department

    return demo_department()


def sample() -> Department:
    return _sample().model_copy(deep=True)


def project(department: Department, name: str):  # type: ignore[no-untyped-def]
    found = department.project(name)
    assert found is not None, name
    return found


def row(department: Department, name: str, level2: str) -> Indicator:
    return next(r for r in project(department, name).goal.indicators if r.level2 == level2)


def test_sample_has_no_errors() -> None:
    findings = check_department(sample())
    assert [f.message for f in findings if f.severity is Severity.ERROR] == []
    assert open_errors(findings) == 0


def test_sample_warnings_are_the_real_ones() -> None:
    warnings = {
        (f.code, f.location.project, f.location.row)
        for f in check_department(sample())
        if f.severity is Severity.WARNING
    }
    assert warnings == {
        # 成本指标 whose basis is a work plan, not a budget or standard.
        ("PG408", "开展科技工作者助力精准扶贫经费", 4),  # 年初工作安排
        ("PG408", "科普经费", 4),  # 年初工作计划
        ("PG408", "河北省财政厅关于提前下达2021年科技馆免费开放中央补助资金的通知", 4),  # 工作计划
        # 满意度 whose basis is a work plan, not a survey.
        ("PG407", "常设展览经费", 6),
        ("PG407", "科技馆日常运行委托业务", 6),
        ("PG407", "河北省财政厅关于提前下达2021年科技馆免费开放中央补助资金的通知", 6),
        # 指标值 "工作效率" is a name, not a target (the description holds "进一步提高").
        ("PG406", "老科学工作者协会工作经费", 5),
        ("PG406", "租赁办公场所费用", 5),
    }


def test_sample_infos_are_rounding_and_unconfirmed_links_and_amounts() -> None:
    infos = [f for f in check_department(sample()) if f.severity is Severity.INFO]
    assert {f.code for f in infos} == {"PG200", "PG109", "PG111"}
    rounding = [f.message for f in infos if f.code == "PG200"]
    # The 301 工资福利支出 items add up to 513.47 against 513.48 published.
    assert any("经济科目 301 工资福利支出" in message for message in rounding)
    assert all("在舍入误差以内" in message for message in rounding)
    # Every project line link was inferred by the importer from the amounts.
    department = sample()
    suggested = {p.name for p in department.projects if p.line_link is LinkStatus.SUGGESTED}
    assert {f.location.project for f in infos if f.code == "PG109"} == suggested
    # No project amount is stated: each was inferred (the ceiling, or 科普活动's procurement 预算资金).
    assert {f.location.project for f in infos if f.code == "PG111"} == {p.name for p in department.projects}


def test_sample_lines_reconcile_with_their_projects() -> None:
    findings = check_department(sample(), select=["PG102", "PG103", "PG104"])
    assert findings == []


def test_findings_are_sorted_department_first_then_projects_rows_codes() -> None:
    department = sample()
    findings = check_department(department)
    order = {p.name: i for i, p in enumerate(department.projects)}
    keys = [(order.get(f.location.project, -1), f.location.row or 0, f.code) for f in findings]
    assert keys == sorted(keys)


# --- every rule fires on a mutated sample ------------------------------------------------------


def _cost(name: str, value: str, unit: str | None = None) -> Mutation:
    def mutate(d: Department) -> None:
        row(d, name, "成本指标").value = value
        if unit:
            project(d, name).amount_unit = unit

    return mutate


def _drop(name: str, level2: str) -> Mutation:
    def mutate(d: Department) -> None:
        table = project(d, name).goal
        table.indicators = [r for r in table.indicators if r.level2 != level2]

    return mutate


def _set(name: str, level2: str, field: str, text: str) -> Mutation:
    return lambda d: setattr(row(d, name, level2), field, text)


def _line(code: str, field: str, value: str) -> Mutation:
    return lambda d: setattr(d.line(code), field, D(value))


def _economic(code: str, **values: str) -> Mutation:
    def mutate(d: Department) -> None:
        line = next(e for e in d.economic_lines if e.code == code)
        for field, value in values.items():
            setattr(line, field, D(value))

    return mutate


def _three(category: str, total: str) -> Mutation:
    return lambda d: setattr(next(r for r in d.three_public if r.category == category), "total", D(total))


def _summary(table: str, item: str, amount: str) -> Mutation:
    def mutate(d: Department) -> None:
        target = next(r for r in d.summary_rows if str(r.table) == table and r.item == item)
        key = next(iter(target.amounts))
        target.amounts[key] = D(amount)

    return mutate


def _only_suggested(name: str) -> Mutation:
    def mutate(d: Department) -> None:
        for p in d.projects:
            p.line_link = LinkStatus.SUGGESTED if p.name == name else LinkStatus.CONFIRMED

    return mutate


def _then(*mutations: Mutation) -> Mutation:
    def mutate(d: Department) -> None:
        for mutation in mutations:
            mutation(d)

    return mutate


KEPU = "科普活动"
XIANGCUN = "开展科技工作者助力乡村振兴经费"
FUPIN = "开展科技工作者助力精准扶贫经费"
ZULIN = "租赁办公场所费用"
CHANGSHE = "常设展览经费"

def _evaluated(**changes: object) -> Mutation:
    """科普活动 given a 自评 (65.61 万元, all achieved), with ``changes`` made to it (the PG7xx mutations)."""

    def mutate(department: Department) -> None:
        from perfgoals.models import EvaluationFunds, IndicatorResult, SelfEvaluation

        target = project(department, KEPU)
        evaluation = SelfEvaluation(
            funds=[EvaluationFunds(label="年度资金总额", full_year=D("65.61"), executed=D("65.61"), rate="100%"),
                   EvaluationFunds(label="其中：本年财政拨款", full_year=D("65.61"), executed=D("65.61"))],
            rows=[IndicatorResult(row=index, actual="达成预期指标") for index in range(len(target.goal.indicators))],
        )
        for name, value in changes.items():
            if name == "first_row":
                evaluation.rows[0] = IndicatorResult(row=0, **value)  # type: ignore[arg-type]
            elif name == "total_row":
                evaluation.funds[0] = EvaluationFunds(label="年度资金总额", **value)  # type: ignore[arg-type]
            else:
                setattr(evaluation, name, value)
        target.evaluation = evaluation

    return mutate


def _monitored(executed: str = "38", as_of: tuple[int, int, int] = (2022, 7, 31), **row: object) -> Mutation:
    """科普活动 given a monitoring at 7月31日 (65.61 万元, 38 万元 spent, 编印期数 on course), with ``row``
    changing its first entry (the PG6xx mutations)."""

    def mutate(department: Department) -> None:
        from datetime import date

        from perfgoals.models import IndicatorProgress, Monitoring

        entry = IndicatorProgress(row=0, level3="编印期数", progress="已编印4期", expected="6期")
        for name, value in row.items():
            setattr(entry, name, value)
        project(department, KEPU).monitoring = Monitoring(as_of=date(*as_of), executed=D(executed), rows=[entry])

    return mutate


SAMPLE_MUTATIONS: dict[str, Mutation] = {
    "PG101": _cost(KEPU, "≤75.61万元"),  # its amount comes from the procurement table
    "PG102": lambda d: d.projects.remove(project(d, ZULIN)),  # 2060701 is now 78.00 short
    "PG103": _then(lambda d: setattr(project(d, FUPIN), "budget_line_code", None),
                   lambda d: setattr(project(d, FUPIN), "budget_amount", D("9755"))),
    "PG104": _cost(XIANGCUN, "≤21.87元", unit="元"),  # one unit: 万元 written 元
    "PG105": _cost(KEPU, "≤55.61万元"),
    "PG106": _set(XIANGCUN, "成本指标", "value", "≤21.87"),
    "PG107": lambda d: setattr(project(d, KEPU), "budget_line_code", "2060720"),
    "PG108": lambda d: setattr(project(d, KEPU), "budget_line_code", None),
    "PG109": _then(_only_suggested(KEPU), lambda d: setattr(project(d, KEPU), "budget_line_code", "2060705"),
                   lambda d: setattr(project(d, "常设展览经费"), "budget_line_code", "2060702")),
    "PG110": lambda d: setattr(project(d, KEPU), "budget_amount", None),
    # Every sample amount is inferred already: one carried from last year instead reads differently.
    "PG111": lambda d: setattr(project(d, KEPU), "amount_source", AmountSource.PREVIOUS_YEAR),
    "PG112": lambda d: setattr(d.line("2060702"), "project", None),  # as a rollover leaves every line
    "PG113": lambda d: setattr(project(d, KEPU), "budget_line_code", "20607"),
    "PG200": _economic("30201", total="1.51", public="1.51"),  # 302 now sums to 111.34
    "PG201": _line("2060702", "project", "222.00"),  # one total changed
    "PG202": _line("2060701", "basic", "314.62"),
    "PG203": _line("2060705", "carryover", "19.56"),
    "PG204": _line("2050802", "income_total", "63.16"),
    "PG205": _summary("收支总表", "支出总计", "1153.10"),
    "PG206": _economic("", public="101.33"),
    "PG207": _economic("30201", total="11.50", public="11.50"),
    "PG208": _three("reception", "0.51"),
    "PG209": _three("subtotal", "5.62"),
    "PG210": lambda d: setattr(d.procurement[0], "amount", D("1.53")),
    "PG211": lambda d: setattr(d, "procurement_total", D("13.66")),
    "PG212": lambda d: setattr(project(d, KEPU), "budget_amount", D("10.00")),
    "PG213": lambda d: [setattr(item, "project_name", "科普活动经费") for item in d.procurement],
    "PG301": _drop(CHANGSHE, "服务对象满意度指标"),
    "PG302": _drop(KEPU, "时效指标"),  # one row dropped
    "PG303": _set(CHANGSHE, "服务对象满意度指标", "level1", "效益指标"),
    "PG304": _set(CHANGSHE, "数量指标", "level2", "数量目标"),
    "PG305": _set(CHANGSHE, "数量指标", "basis", ""),
    "PG306": _then(*(_set(XIANGCUN, level2, "value", "有序开展") for level2 in ("数量指标", "质量指标"))),
    "PG307": lambda d: setattr(project(d, KEPU).goal, "goal_text", ""),
    "PG308": lambda d: setattr(d.goals, "overall", ""),
    "PG401": _set(CHANGSHE, "质量指标", "value", "≥110%"),
    "PG402": _set(CHANGSHE, "服务对象满意度指标", "value", "≥70%"),
    "PG403": _set(FUPIN, "质量指标", "value", "≥内容丰富、形式多样"),
    "PG404": _set(CHANGSHE, "质量指标", "value", "≤90%"),
    "PG405": _set(KEPU, "时效指标", "value", "2021.1-12月"),
    "PG406": _set("全民科学素质行动计划专项经费", "社会效益指标", "value", "知识普及率"),
    "PG407": _set(FUPIN, "服务对象满意度指标", "basis", "年初工作安排"),
    "PG408": _set(XIANGCUN, "成本指标", "basis", "年初工作计划"),
    "PG409": _set(CHANGSHE, "质量指标", "value", "XX"),
    "PG410": _set(CHANGSHE, "数量指标", "value", "≥"),
    "PG411": lambda d: setattr(project(d, KEPU).goal.indicators[0], "weight", D("50")),
    "PG412": _set("老科学工作者协会工作经费", "数量指标", "mid_term_value", "≥5场"),
    "PG414": lambda d: setattr(d, "year", 2023),  # the sample's 成本指标 sit under 产出指标, as in 2015's framework
    "PG415": _set(CHANGSHE, "时效指标", "value", "≥280人"),
    "PG501": lambda d: project(d, KEPU).goal.indicators.append(project(d, KEPU).goal.indicators[0].model_copy()),
    "PG502": lambda d: setattr(project(d, FUPIN), "goal", project(d, XIANGCUN).goal.model_copy(deep=True)),
    "PG503": lambda d: setattr(project(d, FUPIN), "name", XIANGCUN),
    "PG601": _monitored(expected="5期"),
    "PG602": _monitored(likelihood=Likelihood.IMPOSSIBLE),
    "PG603": _monitored(executed="5"),
    "PG604": _monitored(row=9, level3="已删除的指标"),
    "PG605": _monitored(executed="70"),
    "PG606": _monitored(as_of=(2021, 7, 31)),
    "PG701": _evaluated(level1_points={"产出指标": D(50)}, first_row={"actual": "6期", "points": D(60), "score": D(60)}),
    "PG702": _evaluated(rate_points=D(20)),
    "PG703": _evaluated(total_row={"full_year": D(0), "executed": D(0), "rate": "0"}),
    "PG704": _evaluated(rate_score=D(0)),
    "PG705": _evaluated(first_row={"actual": "8期", "points": D(5), "score": D(6)}),
    "PG706": _evaluated(first_row={"actual": "3期"}),
    "PG707": _evaluated(total=D(80), grade="良"),
    "PG708": _evaluated(first_row={"actual": "3期", "score": D(10), "reason": "印刷推迟"}),
}


def test_every_rule_has_a_sample_mutation() -> None:
    assert set(SAMPLE_MUTATIONS) == {rule.code for rule in RULES}


@pytest.mark.parametrize("code", sorted(SAMPLE_MUTATIONS))
def test_rule_fires_on_a_mutated_sample(code: str) -> None:
    def key(f):  # type: ignore[no-untyped-def]
        return (f.location.project, f.location.row, f.message)

    before = {key(f) for f in check_department(sample()) if f.code == code}
    department = sample()
    SAMPLE_MUTATIONS[code](department)
    after = {key(f) for f in check_department(department) if f.code == code}
    assert after - before, f"{code} found nothing new on the mutated sample"


def test_a_changed_ceiling_is_one_error_naming_project_and_row() -> None:
    department = sample()
    SAMPLE_MUTATIONS["PG101"](department)
    errors = [f for f in check_department(department) if f.severity is Severity.ERROR]
    assert [(f.code, f.location.project, f.location.row, f.location.field) for f in errors] == [
        ("PG101", KEPU, 5, "value")
    ]
    assert "≤75.61万元" in errors[0].message and "65.61 万元" in errors[0].message


def test_a_unit_slip_is_named_as_such() -> None:
    department = sample()
    SAMPLE_MUTATIONS["PG104"](department)
    errors = [f for f in check_department(department) if f.severity is Severity.ERROR]
    assert [(f.code, f.location.project) for f in errors] == [("PG104", XIANGCUN)]


# --- check_project -----------------------------------------------------------------------------


def test_check_project_agrees_with_check_department() -> None:
    department = sample()
    whole = check_department(department)
    for candidate in department.projects:
        own = check_project(department, candidate)
        assert [f for f in own if f.location.project == candidate.name] == [
            f for f in whole if f.location.project == candidate.name
        ]
        assert {f.location.budget_line for f in own if f.location.project is None} <= {candidate.budget_line_code}


def test_check_project_checks_the_edited_copy_against_its_line() -> None:
    department = sample()
    edited = project(department, XIANGCUN).model_copy(deep=True)
    edited.budget_amount = D("31.87")
    findings = check_project(department, edited)
    # The line no longer adds up, and the goal table's ceiling (≤21.87万元) no longer covers the amount.
    assert sorted((f.code, f.location.budget_line) for f in findings if f.severity is Severity.ERROR) == [
        ("PG102", "2060799"), ("PG105", "2060799")
    ]
    # The stored department is untouched.
    assert project(department, XIANGCUN).budget_amount == D("21.87")
    assert [f for f in check_project(department, project(department, XIANGCUN)) if f.code == "PG102"] == []


def test_check_project_on_a_new_project() -> None:
    from perfgoals.models import Project

    department = sample()
    findings = check_project(department, Project(name="新项目"))
    codes = {f.code for f in findings}
    assert {"PG301", "PG307", "PG108", "PG110"} <= codes


# --- selection and acceptance ----------------------------------------------------------------


def test_select_and_ignore_by_code_and_prefix() -> None:
    department = sample()
    assert {f.code for f in check_department(department, select=["PG4"])} == {"PG406", "PG407", "PG408"}
    assert {f.code for f in check_department(department, select=["PG4"], ignore=["PG407,PG408"])} == {"PG406"}
    assert "PG109" not in {f.code for f in check_department(department, ignore=["PG109"])}


def test_unknown_code_is_refused() -> None:
    with pytest.raises(UnknownRuleError, match="PG999"):
        check_department(sample(), select=["PG999"])


def test_accepted_findings_come_back_marked_with_the_reason() -> None:
    department = sample()
    project(department, CHANGSHE).acceptances.append(Acceptance(code="PG407", reason="往年满意度调查结果"))
    department.acceptances.append(Acceptance(code="PG200", reason="公开数的尾差"))
    findings = check_department(department)
    accepted = {(f.code, f.location.project): f.acceptance_reason for f in findings if f.accepted}
    assert accepted[("PG407", CHANGSHE)] == "往年满意度调查结果"
    assert all(reason == "公开数的尾差" for (code, _), reason in accepted.items() if code == "PG200")
    # Other projects' PG407 stay open.
    assert any(f.code == "PG407" and not f.accepted for f in findings)


def test_check_project_sees_budget_table_changes_between_calls() -> None:
    """The per-department context is cached; edits to the department's lines must not go unseen."""
    department = sample()
    target = project(department, XIANGCUN)
    assert not [f for f in check_project(department, target) if f.code == "PG102"]
    line = department.line("2060799")
    assert line is not None
    line.project = D("30.00")  # edited in place
    assert [f.code for f in check_project(department, target) if f.code == "PG102"] == ["PG102"]
    department.budget_lines = [bl.model_copy() for bl in department.budget_lines if bl.code != "2060799"]
    codes = {f.code for f in check_project(department, target)}
    assert "PG107" in codes and "PG102" not in codes


def test_check_project_sees_a_budget_line_replaced_within_the_same_list() -> None:
    """Nothing is cached by object identity: a line swapped in place (same list, same length) is seen."""
    department = sample()
    target = project(department, XIANGCUN)
    assert not [f for f in check_project(department, target) if f.code == "PG102"]
    position = next(i for i, bl in enumerate(department.budget_lines) if bl.code == "2060799")
    lines = department.budget_lines
    lines[position] = lines[position].model_copy(update={"project": D("30.00")})
    assert [f.code for f in check_project(department, target) if f.code == "PG102"] == ["PG102"]
    lines[position] = lines[position].model_copy(update={"code": "2060798"})
    assert "PG107" in {f.code for f in check_project(department, target)}


def test_check_project_alternates_between_the_stored_project_and_an_edited_copy() -> None:
    """Row results are cached by a row's text, so the stored row and its edited copy never mix."""
    department = sample()
    stored = project(department, CHANGSHE)
    edited = stored.model_copy(deep=True)
    next(r for r in edited.goal.indicators if r.level2 == "质量指标").value = "≥110%"
    for _ in range(2):
        assert [f.code for f in check_project(department, edited) if f.code == "PG401"] == ["PG401"]
        assert not [f for f in check_project(department, stored) if f.code == "PG401"]
    assert not [f for f in check_department(department) if f.code == "PG401" and f.location.project == CHANGSHE]


def test_check_project_sees_an_edit_of_the_row_being_typed() -> None:
    department = sample()
    target = project(department, CHANGSHE)
    quality = next(r for r in target.goal.indicators if r.level2 == "质量指标")
    for typed in ("≥1", "≥11", "≥110", "≥110%"):
        quality.value = typed
        found = [f for f in check_project(department, target) if f.code == "PG401"]
        assert bool(found) == (typed == "≥110%"), typed
