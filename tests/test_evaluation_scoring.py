"""The standard 自评 scoring rules as a table, with the worked examples of DOMAIN.md."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfgoals.evaluation import Band, evaluate, grade_of, read_band, split
from perfgoals.evaluation.scoring import compute_score, parse_rate
from perfgoals.models import (
    Direction,
    EvaluationFunds,
    GoalTable,
    Grade,
    Indicator,
    IndicatorResult,
    Project,
    SelfEvaluation,
)

D = Decimal


@pytest.mark.parametrize(
    ("target", "actual", "points", "expected"),
    [
        ("≥50个", "48", "10", "9.60"),  # DOMAIN: 48 ÷ 50 × 10
        ("≥50个", "48个", "10", "9.60"),
        ("≤90万元", "95", "10", "9.47"),  # DOMAIN: 90 ÷ 95 × 10
        ("≤90万元", "95万元", "10", "9.47"),
        ("≤90万元", "950000元", "10", "9.47"),  # one unit: 元 read as 万元
        ("≥50个", "60", "10", "10.00"),  # capped at the points
        ("≤90万元", "80", "10", "10.00"),  # capped
        ("≥95%", "100%", "8", "8.00"),
        ("≥95%", "90%", "8", "7.58"),  # 90/95*8 = 7.578…
        ("≥100百分比", "100", "8", "8.00"),
        ("3-5次", "4次", "10", "10.00"),
        ("3-5次", "2次", "10", "6.67"),
        ("严格执行相关制度规定", "达成预期指标", "8", "8.00"),
        ("效果明显", "效果明显", "10", "10.00"),  # same as the target: top band
        ("效果明显", "基本达成", "10", "8.00"),
        ("效果明显", "部分完成", "10", "8.00"),
        ("效果明显", "未完成", "10", "6.00"),
        ("效果明显", "未达成预期", "10", "6.00"),
        ("≥50个", "全部完成", "10", "10.00"),  # words against a figure: by band
    ],
)
def test_row_scores(target: str, actual: str, points: str, expected: str) -> None:
    assert compute_score(target, actual, D(points)).score == D(expected)


def test_negative_direction_without_comparator_is_lower_is_better() -> None:
    assert compute_score("90万元", "95", D(10), Direction.NEGATIVE).score == D("9.47")
    assert compute_score("90万元", "95", D(10)).score == D("10.00")


@pytest.mark.parametrize(
    ("target", "actual", "note"),
    [
        ("≥50个", "", "未填写实际完成值"),
        ("≥50个", "48万元", "单位不一致"),
        ("效果明显", "说不清", "无法"),
    ],
)
def test_not_computable(target: str, actual: str, note: str) -> None:
    computed = compute_score(target, actual, D(10))
    assert computed.score is None
    assert note in computed.note


@pytest.mark.parametrize(
    ("text", "band"),
    [("达成预期指标", Band.FULL), ("全部完成", Band.FULL), ("达到", Band.FULL), ("基本完成", Band.PARTIAL),
     ("部分达成", Band.PARTIAL), ("未完成", Band.SHORT), ("未达成", Band.SHORT), ("", None)],
)
def test_bands(text: str, band: Band | None) -> None:
    assert read_band(text) is band


@pytest.mark.parametrize(
    ("total", "grade"),
    [("100", Grade.EXCELLENT), ("90", Grade.EXCELLENT), ("89.99", Grade.GOOD), ("80", Grade.GOOD),
     ("79.99", Grade.FAIR), ("60", Grade.FAIR), ("59.99", Grade.POOR), ("0", Grade.POOR)],
)
def test_grades(total: str, grade: Grade) -> None:
    assert grade_of(D(total)) is grade


def test_split_puts_the_remainder_last() -> None:
    assert split(D(50), 3) == [D("16.66"), D("16.66"), D("16.68")]
    assert sum(split(D(30), 7)) == D(30)


@pytest.mark.parametrize(("text", "rate"), [("99.97%", "0.9997"), ("99.97", "0.9997"), ("0", "0"), ("1", "1"), ("", None)])
def test_written_rate(text: str, rate: str | None) -> None:
    assert parse_rate(text) == (D(rate) if rate is not None else None)


def _project(rows: list[tuple[str, str, str, str]], evaluation: SelfEvaluation) -> Project:
    indicators = [Indicator(level1=l1, level2=l2, level3=l3, value=value) for l1, l2, l3, value in rows]
    return Project(name="测试项目", goal=GoalTable(indicators=indicators), evaluation=evaluation)


def test_execution_rate_worked_example() -> None:
    """执行率 89.974 ÷ 90 = 99.97 % of 10 points → 10.00; a 0 total row falls back to its parts."""
    evaluation = SelfEvaluation(
        funds=[
            EvaluationFunds(label="年度资金总额", initial=D(0), full_year=D(0), executed=D(0), rate="0"),
            EvaluationFunds(label="其中：本年财政拨款", initial=D(90), full_year=D("89.974"), executed=D("89.974")),
        ],
    )
    summary = evaluate(_project([], evaluation))
    assert summary.rate.source == "parts"
    assert summary.rate.computed == D("10.00")
    evaluation.funds[0] = EvaluationFunds(label="年度资金总额", full_year=D(90), executed=D("89.974"))
    rate = evaluate(_project([], evaluation)).rate
    assert rate.source == "total"
    assert round(rate.rate or 0, 4) == D("0.9997")
    assert rate.computed == D("10.00")
    evaluation.funds[0] = EvaluationFunds(label="年度资金总额", full_year=D(100), executed=D(85))
    assert evaluate(_project([], evaluation)).rate.computed == D("8.50")


def test_points_default_split_and_totals() -> None:
    rows = [
        ("产出指标", "数量指标", "培训人次", "≥50个"),
        ("产出指标", "质量指标", "合格率", "≥95%"),
        ("成本指标", "经济成本指标", "总成本", "≤90万元"),  # 2021: shares 产出's 50
        ("效益指标", "社会效益指标", "影响", "效果明显"),
        ("效益指标", "经济效益指标", "", ""),  # blank: no points
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
    ]
    evaluation = SelfEvaluation(
        funds=[EvaluationFunds(label="年度资金总额", full_year=D(90), executed=D("89.974"))],
        rows=[
            IndicatorResult(row=0, actual="48"),
            IndicatorResult(row=1, actual="100%"),
            IndicatorResult(row=2, actual="95"),
            IndicatorResult(row=3, actual="基本达成", reason="宣传不足"),
            IndicatorResult(row=5, actual="92%", score=D(9)),
        ],
    )
    summary = evaluate(_project(rows, evaluation), "mof-2021")
    points = [row.points for row in summary.rows]
    assert points == [D("16.66"), D("16.66"), D("16.68"), D(30), None, D(10)]
    assert summary.points_total == D(100)
    used = [row.used for row in summary.rows]
    assert used == [D("15.99"), D("16.66"), D("15.80"), D("24.00"), None, D(9)]
    assert summary.rows[5].computed.score == D("10.00")
    assert summary.total == D("91.45")  # 81.45 + 执行率 10.00
    assert summary.grade is Grade.EXCELLENT
    assert summary.computed_total == D("92.45")


def test_table_points_override_defaults_and_give_cost_its_own() -> None:
    rows = [("产出指标", "数量指标", "a", "≥1个"), ("成本指标", "经济成本指标", "b", "≤1万元")]
    evaluation = SelfEvaluation(level1_points={"产出指标(40分)": D(40), "成本指标": D(20)})
    summary = evaluate(_project(rows, evaluation), "mof-2021")
    assert [row.points for row in summary.rows] == [D(40), D(20)]


def test_written_score_in_band() -> None:
    rows = [("效益指标", "社会效益指标", "影响", "效果明显")]
    evaluation = SelfEvaluation(rows=[IndicatorResult(row=0, actual="基本达成", points=D(10), score=D(9))])
    row = evaluate(_project(rows, evaluation)).rows[0]
    assert row.computed.band is Band.PARTIAL
    assert row.written_in_band is False
    evaluation.rows[0] = IndicatorResult(row=0, actual="基本达成", points=D(10), score=D(7))
    assert evaluate(_project(rows, evaluation)).rows[0].written_in_band is True


def test_moved_row_found_by_name() -> None:
    rows = [("产出指标", "数量指标", "甲", "≥10个"), ("产出指标", "数量指标", "乙", "≥20个")]
    evaluation = SelfEvaluation(rows=[IndicatorResult(row=0, level3="乙", actual="10")])
    summary = evaluate(_project(rows, evaluation))
    assert summary.rows[1].actual == "10"
    assert summary.rows[0].actual == ""
