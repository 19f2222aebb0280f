"""The monitoring rules (PG6xx) on real forms: cases where each fires and cases where it must not.

Each case starts from the clean department of ``test_checks_builders`` with a monitoring that is in
order (:func:`monitored`), changes one thing the way people get it wrong (or right), and checks the
whole department (``test_rules_cases`` counts these cases for its every-rule-has-cases test).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal as D

import pytest

from perfgoals.checks import Finding, Severity, check_department, check_project
from perfgoals.checks.registry import RULES, RULES_BY_CODE
from perfgoals.models import Department, DeviationCause, IndicatorProgress, Likelihood, Monitoring
from tests.test_checks_builders import clean_department

Mutation = Callable[[Department], None]


def monitoring_in_order() -> Monitoring:
    """科普活动 (30 万元) at 7月31日: 17 万元 spent, every indicator on course."""
    return Monitoring(
        as_of=date(2022, 7, 31),
        executed=D("17"),
        expected_executed=D("30"),
        unit="万元",
        rows=[
            IndicatorProgress(row=0, level3="活动开展次数", progress="已开展12次", expected="22次",
                              likelihood=Likelihood.CERTAIN),
            IndicatorProgress(row=1, level3="社区覆盖率", progress="92%", expected="95%",
                              likelihood=Likelihood.CERTAIN),
            IndicatorProgress(row=3, level3="预算总成本", progress="17万元", expected="30万元",
                              likelihood=Likelihood.CERTAIN),
            IndicatorProgress(row=5, level3="参加群众满意度", progress="93%", expected="≥90%",
                              likelihood=Likelihood.CERTAIN),
        ],
    )


def monitored() -> Department:
    department = clean_department()
    department.projects[0].monitoring = monitoring_in_order()
    return department


def entry(department: Department, row: int) -> IndicatorProgress:
    monitoring = department.projects[0].monitoring
    assert monitoring is not None
    return next(item for item in monitoring.rows if item.row == row)


def set_entry(position: int, **values: object) -> Mutation:
    """Change the monitoring entry of indicator row ``position`` (0-based)."""

    def mutate(department: Department) -> None:
        target = entry(department, position)
        for field, value in values.items():
            setattr(target, field, value)

    return mutate


def set_monitoring(**values: object) -> Mutation:
    def mutate(department: Department) -> None:
        monitoring = department.projects[0].monitoring
        assert monitoring is not None
        for field, value in values.items():
            setattr(monitoring, field, value)

    return mutate


def chain(*mutations: Mutation) -> Mutation:
    def mutate(department: Department) -> None:
        for mutation in mutations:
            mutation(department)

    return mutate


def findings_after(mutation: Mutation) -> list[Finding]:
    department = monitored()
    mutation(department)
    return check_department(department)


def _drop_indicator(row: int) -> Mutation:
    return lambda department: department.projects[0].goal.indicators.pop(row)


FUNDS = [DeviationCause.FUNDING]
REASON = "下半年配套资金未到位，两场活动推迟"

FIRES: list[tuple[str, Mutation, str, Severity | None]] = [
    ("PG601 expected short of a ≥ target, no cause or reason", set_entry(0, expected="15次"), "PG601", None),
    ("PG601 expected short, a cause but no reason", set_entry(0, expected="15次", causes=FUNDS), "PG601", None),
    ("PG601 expected short, a reason but no cause", set_entry(0, expected="15次", reason=REASON), "PG601", None),
    ("PG601 cost expected above its ≤ ceiling", set_entry(3, expected="32万元"), "PG601", None),
    ("PG601 cost expected in 元 above the ceiling in 万元", set_entry(3, expected="320000元"), "PG601", None),
    ("PG601 rate expected below target", set_entry(1, expected="85%"), "PG601", None),
    ("PG601 count far behind the time elapsed", set_entry(0, progress="4次"), "PG601", None),
    ("PG602 完全不可能 without a reason", set_entry(5, likelihood=Likelihood.IMPOSSIBLE), "PG602", None),
    ("PG602 有可能 without a reason (warning)", set_entry(5, likelihood=Likelihood.POSSIBLE), "PG602",
     Severity.WARNING),
    ("PG603 spending far behind the time elapsed", set_monitoring(executed=D("5")), "PG603", None),
    ("PG603 spending far behind the outputs",
     chain(set_monitoring(executed=D("6")), set_entry(0, progress="19次")), "PG603", None),
    ("PG603 spending far ahead of the outputs",
     chain(set_monitoring(executed=D("29")), set_entry(0, progress="6次", causes=FUNDS, reason=REASON)),
     "PG603", None),
    ("PG604 monitored indicator deleted", set_entry(5, row=9, level3="科普志愿者人数"), "PG604", None),
    ("PG604 row number past the table, indicator found elsewhere", set_entry(5, row=9), "PG604",
     Severity.WARNING),
    ("PG604 row now holds another indicator", _drop_indicator(2), "PG604", Severity.WARNING),
    ("PG605 executed above the budget", set_monitoring(executed=D("31")), "PG605", None),
    ("PG605 executed in 元 typed as 万元", set_monitoring(executed=D("170000")), "PG605", None),
    ("PG605 expected above the budget (warning)", set_monitoring(expected_executed=D("32")), "PG605",
     Severity.WARNING),
    ("PG606 last year's date", set_monitoring(as_of=date(2021, 7, 31)), "PG606", None),
    ("PG606 next year's date", set_monitoring(as_of=date(2023, 1, 31)), "PG606", None),
]


@pytest.mark.parametrize(("mutation", "code", "severity"), [case[1:] for case in FIRES],
                         ids=[case[0] for case in FIRES])
def test_rule_fires(mutation: Mutation, code: str, severity: Severity | None) -> None:
    found = [finding for finding in findings_after(mutation) if finding.code == code]
    assert found, f"{code} did not fire"
    expected = severity or RULES_BY_CODE[code].severity
    assert expected in {finding.severity for finding in found}
    for finding in found:
        assert finding.message and finding.location.project == "科普活动"


QUIET: list[tuple[str, Mutation, str]] = [
    ("PG601 monitoring in order", lambda d: None, "PG601"),
    ("PG601 off course with a cause and a reason",
     set_entry(0, expected="15次", causes=FUNDS, reason=REASON), "PG601"),
    ("PG601 expected exactly the target", set_entry(0, expected="20次"), "PG601"),
    ("PG601 cost expected below its ceiling", set_entry(3, expected="28万元"), "PG601"),
    ("PG601 qualitative target is not judged by figures", set_entry(1, expected="较好"), "PG601"),
    ("PG601 slow count in March is too early to judge",
     chain(set_monitoring(as_of=date(2022, 3, 15)), set_entry(0, progress="1次")), "PG601"),
    ("PG601 units that don't compare are not judged", set_entry(0, expected="22场"), "PG601"),
    ("PG602 有可能 with a reason", set_entry(5, likelihood=Likelihood.POSSIBLE, reason=REASON), "PG602"),
    ("PG602 确定能 needs no reason", lambda d: None, "PG602"),
    ("PG603 spending in step", lambda d: None, "PG603"),
    ("PG603 no executed figure yet", set_monitoring(executed=None), "PG603"),
    ("PG603 too early in the year", chain(set_monitoring(as_of=date(2022, 2, 28), executed=D("1"))), "PG603"),
    ("PG603 executed in 元 in step", set_monitoring(executed=D("170000"), expected_executed=D("300000"),
                                                    unit="元"), "PG603"),
    ("PG604 rows in place", lambda d: None, "PG604"),
    ("PG605 executed equals the budget", set_monitoring(executed=D("30")), "PG605"),
    ("PG605 executed in 元 under a 万元 budget", set_monitoring(executed=D("170000"), unit="元",
                                                              expected_executed=D("300000")), "PG605"),
    ("PG606 a date in the year", lambda d: None, "PG606"),
    ("PG606 year-end date", set_monitoring(as_of=date(2022, 12, 31)), "PG606"),
]


@pytest.mark.parametrize(("mutation", "code"), [case[1:] for case in QUIET], ids=[case[0] for case in QUIET])
def test_rule_stays_quiet(mutation: Mutation, code: str) -> None:
    found = [finding for finding in findings_after(mutation) if finding.code == code]
    assert not found, [finding.message for finding in found]


def test_every_monitoring_rule_has_cases() -> None:
    codes = {rule.code for rule in RULES if rule.code.startswith("PG6")}
    assert codes == {case[2] for case in FIRES} == {case[2] for case in QUIET}


def test_a_clean_monitoring_gives_no_finding() -> None:
    assert check_department(monitored()) == []


def test_findings_point_at_the_indicator_row_and_field() -> None:
    found = [f for f in findings_after(set_entry(3, expected="32万元")) if f.code == "PG601"]
    assert [(f.location.row, f.location.field) for f in found] == [(4, "monitoring.causes")]
    assert "32万元" in found[0].message and "≤30.00万元" in found[0].message


def test_moved_row_is_named_where_it_went() -> None:
    found = [f for f in findings_after(_drop_indicator(2)) if f.code == "PG604"]
    assert any("现在在第 3 行" in f.message for f in found), [f.message for f in found]


def test_an_edited_copy_is_checked_as_the_whole_department() -> None:
    department = monitored()
    copy = department.projects[0].model_copy(deep=True)
    assert copy.monitoring is not None
    copy.monitoring.rows[0].expected = "15次"
    own = [f.code for f in check_project(department, copy) if f.code.startswith("PG6")]
    assert own == ["PG601"]


# --- robustness: whatever people type into a monitoring, the checks answer ---------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXTS = st.one_of(
    st.sampled_from(["", "已开展12次", "22次", "0", "0次", "≤30万元", "320000元", "95%", "较好", "3-5次", "—",
                     "预计全年完成", "1e9", "≥", "100000000000000000次", "12.5", "百分之九十"]),
    st.text(alphabet="≥≤<>=%％.0123456789元万次人年月-—/ 已完成预计开展", max_size=10),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(st.integers(0, 8), _TEXTS, _TEXTS, st.sampled_from([None, *Likelihood])), max_size=6),
    executed=st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, places=2)),
    unit=st.sampled_from(["万元", "元", "千元", "美元"]),
    month=st.integers(1, 12),
    budget=st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2)),
)
def test_any_monitoring_is_checked_without_failing(rows, executed, unit, month, budget) -> None:  # type: ignore[no-untyped-def]
    department = clean_department()
    target = department.projects[0]
    target.budget_amount = budget
    target.monitoring = Monitoring(
        as_of=date(2022, month, 28), executed=executed, unit=unit,
        rows=[IndicatorProgress(row=row, progress=progress, expected=expected, likelihood=likelihood)
              for row, progress, expected, likelihood in rows],
    )
    count = len(target.goal.indicators)
    for finding in check_department(department):
        assert finding.message
        if finding.location.row is not None:
            assert 1 <= finding.location.row <= count
