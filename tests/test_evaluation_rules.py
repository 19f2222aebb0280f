"""The 自评 rules (PG7xx, and PG415's 百分比) on real forms: cases where each fires and where it must not.

Each case starts from the clean department of ``test_checks_builders`` with a 自评 that is in order
(:func:`evaluated`), changes one thing the way people get it wrong (or right), and checks the whole
department (``test_rules_cases`` counts these cases for its every-rule-has-cases test).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

import pytest

from perfgoals.checks import Finding, Severity, check_department
from perfgoals.checks.registry import RULES, RULES_BY_CODE
from perfgoals.models import Department, EvaluationFunds, IndicatorResult, SelfEvaluation
from tests.test_checks_builders import clean_department

Mutation = Callable[[Department], None]
REAL = Path(__file__).parent / "data" / "real" / "chizhou_guichi_tangxi_zhen_2022_ziping.docx"


def evaluation_in_order() -> SelfEvaluation:
    """科普活动 (30 万元): every indicator achieved, 29.5 of 30 万元 spent, 总分 99.83 优."""
    return SelfEvaluation(
        unit="万元",
        funds=[
            EvaluationFunds(label="年度资金总额", initial=D(30), full_year=D(30), executed=D("29.5"), rate="98.33%"),
            EvaluationFunds(label="其中：本年财政拨款", initial=D(30), full_year=D(30), executed=D("29.5")),
            EvaluationFunds(label="上年结转资金"),
        ],
        rate_points=D(10),
        rate_score=D("9.83"),
        level1_points={"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)},
        achieved="全年开展科普活动 22 次。",
        total=D("99.83"),
        grade="优",
        rows=[
            IndicatorResult(row=0, level3="活动开展次数", actual="22次", points=D(15), score=D(15)),
            IndicatorResult(row=1, level3="社区覆盖率", actual="95%", points=D(15), score=D(15)),
            IndicatorResult(row=2, level3="活动完成时间", actual="按时完成", points=D(10), score=D(10)),
            IndicatorResult(row=3, level3="预算总成本", actual="29.5万元", points=D(10), score=D(10)),
            IndicatorResult(row=4, level3="公众科学素养", actual="明显提高", points=D(30), score=D(30)),
            IndicatorResult(row=5, level3="参加群众满意度", actual="95%", points=D(10), score=D(10)),
        ],
    )


def evaluated() -> Department:
    department = clean_department()
    department.projects[0].evaluation = evaluation_in_order()
    return department


def _evaluation(department: Department) -> SelfEvaluation:
    evaluation = department.projects[0].evaluation
    assert evaluation is not None
    return evaluation


def set_result(row: int, **values: object) -> Mutation:
    def mutate(department: Department) -> None:
        target = next(item for item in _evaluation(department).rows if item.row == row)
        for field, value in values.items():
            setattr(target, field, value)

    return mutate


def set_evaluation(**values: object) -> Mutation:
    def mutate(department: Department) -> None:
        for field, value in values.items():
            setattr(_evaluation(department), field, value)

    return mutate


def set_funds(index: int, **values: object) -> Mutation:
    def mutate(department: Department) -> None:
        for field, value in values.items():
            setattr(_evaluation(department).funds[index], field, value)

    return mutate


def chain(*mutations: Mutation) -> Mutation:
    def mutate(department: Department) -> None:
        for mutation in mutations:
            mutation(department)

    return mutate


def set_value(row: int, value: str) -> Mutation:
    def mutate(department: Department) -> None:
        department.projects[0].goal.indicators[row].value = value

    return mutate


def findings_after(mutation: Mutation) -> list[Finding]:
    department = evaluated()
    mutation(department)
    return check_department(department)


REASON = "两场活动因场地改造推迟到次年；明年提前落实场地"

FIRES: list[tuple[str, Mutation, str, Severity | None]] = [
    ("PG701 三级 points add to 55 under 产出指标(50分)", set_result(0, points=D(20), score=D(20)), "PG701", None),
    ("PG701 entered points already above the 一级",
     chain(set_result(0, points=D(45), score=D(45)), set_result(3, points=None, score=None)), "PG701", None),
    ("PG702 points total 110 against a 总分 of 100",
     chain(set_evaluation(level1_points={"产出指标": D(60), "效益指标": D(30), "满意度指标": D(10)}),
           set_result(0, points=D(25), score=D(25)), set_evaluation(total=D(100))), "PG702", None),
    ("PG702 执行率 given 20 points", set_evaluation(rate_points=D(20)), "PG702", None),
    ("PG703 年度资金总额 0 against 本年财政拨款 30",
     set_funds(0, initial=D(0), full_year=D(0), executed=D(0)), "PG703", None),
    ("PG703 年度资金总额 left blank", set_funds(0, initial=None, full_year=None, executed=None), "PG703", None),
    ("PG704 执行率 0 although 29.5 spent", set_funds(0, rate="0"), "PG704", None),
    ("PG704 执行率 score 0", set_evaluation(rate_score=D(0)), "PG704", None),
    ("PG704 rate written 100%", set_funds(0, rate="100%"), "PG704", None),
    ("PG705 score above its points", set_result(0, score=D(16)), "PG705", None),
    ("PG705 执行率 score above its points", set_evaluation(rate_score=D(12)), "PG705", None),
    ("PG706 below full without a reason", set_result(0, actual="18次", score=D("13.5")), "PG706", None),
    ("PG706 computed below full without a reason", set_result(0, actual="18次", score=None), "PG706", None),
    ("PG707 总分 written 100 against 99.83", set_evaluation(total=D(100)), "PG707", None),
    ("PG707 grade 良 for 99.83", set_evaluation(grade="良"), "PG707", None),
    ("PG708 full score for 18 of ≥20次", set_result(0, actual="18次", score=D(15), reason=REASON), "PG708", None),
    ("PG708 基本达成 given full points", set_result(4, actual="基本达成", reason=REASON), "PG708", None),
    ("PG415 unit written 百分比", set_value(1, "≥100百分比"), "PG415", None),
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
    ("PG701 自评 in order", lambda d: None, "PG701"),
    ("PG701 no 一级 points: the rows' own weights",
     chain(set_evaluation(level1_points={}), set_result(0, points=D(20), score=D(20)),
           set_result(4, points=D(25), score=D(25)), set_evaluation(total=D("99.83"))), "PG701"),
    ("PG701 some rows without points share what is left", set_result(0, points=None, score=None), "PG701"),
    ("PG702 自评 in order", lambda d: None, "PG702"),
    ("PG702 no points entered: the defaults", lambda d: [setattr(r, "points", None) for r in _evaluation(d).rows],
     "PG702"),
    ("PG703 total equals its parts", lambda d: None, "PG703"),
    ("PG703 parts rounded", chain(set_funds(1, executed=D("29.496")), set_funds(2, executed=D("0.004"))), "PG703"),
    ("PG704 rate and score right", lambda d: None, "PG704"),
    ("PG704 rate written as a fraction", set_funds(0, rate="0.9833"), "PG704"),
    ("PG704 nothing to compute from", set_evaluation(funds=[]), "PG704"),
    ("PG705 full points", lambda d: None, "PG705"),
    ("PG706 below full with a reason", set_result(0, actual="18次", score=D("13.5"), reason=REASON), "PG706"),
    ("PG706 full points need no reason", lambda d: None, "PG706"),
    ("PG707 total and grade right", lambda d: None, "PG707"),
    ("PG707 no total written", set_evaluation(total=None, grade=""), "PG707"),
    ("PG708 scores as computed", lambda d: None, "PG708"),
    ("PG708 基本达成 scored inside its band", set_result(4, actual="基本达成", score=D(22), reason=REASON), "PG708"),
    ("PG708 18 of ≥20次 scored 13.5", set_result(0, actual="18次", score=D("13.5"), reason=REASON), "PG708"),
    ("PG415 a percentage written %", set_value(1, "≥100%"), "PG415"),
]


@pytest.mark.parametrize(("mutation", "code"), [case[1:] for case in QUIET], ids=[case[0] for case in QUIET])
def test_rule_stays_quiet(mutation: Mutation, code: str) -> None:
    found = [finding for finding in findings_after(mutation) if finding.code == code]
    assert not found, [finding.message for finding in found]


def test_every_evaluation_rule_has_cases() -> None:
    codes = {rule.code for rule in RULES if rule.code.startswith("PG7")}
    assert codes <= {case[2] for case in FIRES}
    assert codes <= {case[2] for case in QUIET}


def test_a_clean_evaluation_gives_no_finding() -> None:
    assert check_department(evaluated()) == []


def test_findings_point_at_the_row_and_field() -> None:
    found = [f for f in findings_after(set_result(0, actual="18次", score=D("13.5"))) if f.code == "PG706"]
    assert [(f.location.row, f.location.field) for f in found] == [(1, "evaluation.reason")]
    assert "13.5" in found[0].message and "15" in found[0].message


def test_the_real_self_evaluation_is_flagged() -> None:
    """The Anhui 自评表: 年度资金总额 0 against 本年财政拨款 90, 执行率 0 though 89.974 spent, ≥100百分比.

    Its points, counted: 产出 8+8+8+8+8+10 = 50, 效益 10+10+10 = 30, the cut-off 满意度 row none (so it
    takes its 一级's 10), 执行率 10: 100 — no PG701/PG702 here."""
    from perfgoals.importers.reading import import_path

    department = import_path(REAL).department
    found = {finding.code: finding for finding in check_department(department)}
    assert "年度资金总额" in found["PG703"].message and "各项合计 90" in found["PG703"].message
    assert "已支出 89.974 万元" in found["PG704"].message and "100.00%" in found["PG704"].message
    assert "百分比" in found["PG415"].message
    assert "PG701" not in found and "PG702" not in found and "PG705" not in found
