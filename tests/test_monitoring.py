"""The monitoring's derived figures (perfgoals.monitoring), as tables of cases, and reading what people type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from perfgoals.models import (
    AmountSource,
    DeviationCause,
    Direction,
    GoalTable,
    Indicator,
    IndicatorProgress,
    Likelihood,
    Monitoring,
    Project,
)
from perfgoals.monitoring import Pace, Sense, Signal, elapsed_fraction, months_label, percent, read_monitoring
from perfgoals.monitoring.entry import (
    MonitoringInputError,
    RowChange,
    apply_monitoring,
    parse_causes,
    parse_date,
    parse_likelihood,
    read_amount,
)

FRAMEWORK = "mof-2015"


@pytest.mark.parametrize(
    ("as_of", "year", "elapsed", "months"),
    [
        (date(2022, 7, 31), 2022, D(7) / 12, "1-7月"),
        (date(2022, 6, 30), 2022, D(6) / 12, "1-6月"),
        (date(2022, 7, 15), 2022, (D(6) + D(15) / 31) / 12, "1-7月"),
        (date(2022, 2, 28), 2022, D(2) / 12, "1-2月"),
        (date(2024, 2, 28), 2024, (D(1) + D(28) / 29) / 12, "1-2月"),  # a leap year's February
        (date(2022, 12, 31), 2022, D(1), "1-12月"),
        (date(2021, 12, 31), 2022, D(0), "1-0月"),
        (date(2023, 1, 31), 2022, D(1), "1-12月"),
    ],
)
def test_time_elapsed(as_of: date, year: int, elapsed: D, months: str) -> None:
    assert elapsed_fraction(as_of, year) == elapsed
    assert months_label(as_of, year) == months


def _project(amount: str | None, unit: str, monitoring: Monitoring, *indicators: Indicator) -> Project:
    return Project(
        name="科普活动",
        budget_amount=D(amount) if amount is not None else None,
        amount_unit=unit,
        amount_source=AmountSource.ENTERED,
        goal=GoalTable(goal_text="开展科普活动", indicators=list(indicators)),
        monitoring=monitoring,
    )


@pytest.mark.parametrize(
    ("amount", "unit", "executed", "expected", "monitoring_unit", "rate", "expected_rate", "over"),
    [
        ("30", "万元", "17", "30", "万元", D(17) / 30, D(1), (False, False)),
        ("30", "万元", "170000", "300000", "元", D(17) / 30, D(1), (False, False)),  # 元 against 万元
        ("755", "元", "0.03", "0.0755", "万元", D(300) / 755, D(1), (False, False)),  # 万元 against 元
        ("30", "万元", "31", "32", "万元", D(31) / 30, D(32) / 30, (True, True)),
        ("30", "万元", "30.004", "30", "万元", D("30.004") / 30, D(1), (False, False)),  # rounding
        ("30", "万元", "170000", None, "万元", D(170000) / 30, None, (True, False)),  # 元 typed as 万元
        (None, "万元", "17", None, "万元", None, None, (False, False)),  # no budget: no rate
        ("0", "万元", "0", None, "万元", None, None, (False, False)),
    ],
)
def test_budget_execution(
    amount: str | None, unit: str, executed: str, expected: str | None, monitoring_unit: str,
    rate: D | None, expected_rate: D | None, over: tuple[bool, bool],
) -> None:
    monitoring = Monitoring(as_of=date(2022, 7, 31), executed=D(executed),
                            expected_executed=D(expected) if expected else None, unit=monitoring_unit)
    reading = read_monitoring(_project(amount, unit, monitoring), 2022, FRAMEWORK)
    assert reading is not None
    assert reading.rate == rate
    assert reading.expected_rate == expected_rate
    assert (reading.executed_over_budget, reading.expected_over_budget) == over


def _row(level2: str, value: str, *, unit: str | None = None, direction: Direction | None = None,
         level1: str = "产出指标") -> Indicator:
    return Indicator(level1=level1, level2=level2, level3="指标", description="", value=value, basis="计划标准",
                     unit=unit, direction=direction)


ROWS = [
    # (case, indicator, progress, expected, likelihood, sense, expected meets, progress fraction, signals)
    ("count on course", _row("数量指标", "≥20次"), "已开展12次", "22次", None,
     Sense.HIGHER, True, D("0.6"), ()),
    ("count expected short", _row("数量指标", "≥20次"), "12次", "15次", None,
     Sense.HIGHER, False, D("0.6"), (Signal.EXPECTED_SHORT,)),
    ("count far behind the time", _row("数量指标", "≥20次"), "4次", "20次", None,
     Sense.HIGHER, True, D("0.2"), (Signal.BEHIND_TIME,)),
    ("count just within the pace", _row("数量指标", "≥24次"), "7次", "24次", None,
     Sense.HIGHER, True, D(7) / 24, ()),
    ("narrative before the figure", _row("数量指标", "≥6期"), "已编印3期", "预计全年完成6期", None,
     Sense.HIGHER, True, D("0.5"), ()),
    ("unit in its own column", _row("数量指标", "≥20", unit="次"), "12", "22", None,
     Sense.HIGHER, True, D("0.6"), ()),
    ("no comparator: higher is better", _row("数量指标", "20次"), "12次", "19次", None,
     Sense.HIGHER, False, D("0.6"), (Signal.EXPECTED_SHORT,)),
    ("range met at its lower bound", _row("数量指标", "3-5次"), "2次", "2次", None,
     Sense.HIGHER, False, D(2) / 3, (Signal.EXPECTED_SHORT,)),
    ("units that do not compare", _row("数量指标", "≥20次"), "12场", "22场", None,
     Sense.HIGHER, None, None, ()),
    ("rate expected short", _row("质量指标", "≥90%"), "88%", "85%", None,
     Sense.HIGHER, False, None, (Signal.EXPECTED_SHORT,)),
    ("rate is not cumulative", _row("质量指标", "≥90%"), "10%", "95%", None,
     Sense.HIGHER, True, None, ()),
    ("cost within its ceiling", _row("成本指标", "≤30万元"), "17万元", "30万元", None,
     Sense.LOWER, True, None, ()),
    ("cost above its ceiling, in 元", _row("成本指标", "≤30万元"), "", "320000元", None,
     Sense.LOWER, False, None, (Signal.EXPECTED_OVER,)),
    ("cost without a comparator is a ceiling", _row("成本指标", "30万元"), "", "31万元", None,
     Sense.LOWER, False, None, (Signal.EXPECTED_OVER,)),
    ("反向 indicator", _row("质量指标", "3次", direction=Direction.NEGATIVE), "", "5次", None,
     Sense.LOWER, False, None, (Signal.EXPECTED_OVER,)),
    ("qualitative", _row("社会效益指标", "逐步提高", level1="效益指标"), "有所提高", "较好", None,
     Sense.QUALITATIVE, None, None, ()),
    ("qualitative, doubtful", _row("社会效益指标", "逐步提高", level1="效益指标"), "", "", Likelihood.POSSIBLE,
     Sense.QUALITATIVE, None, None, (Signal.DOUBTFUL,)),
    ("no expectation written", _row("数量指标", "≥20次"), "12次", "", Likelihood.IMPOSSIBLE,
     Sense.HIGHER, None, D("0.6"), (Signal.DOUBTFUL,)),
]


@pytest.mark.parametrize(
    ("indicator", "progress", "expected", "likelihood", "sense", "meets", "fraction", "signals"),
    [case[1:] for case in ROWS], ids=[case[0] for case in ROWS],
)
def test_indicator_progress(
    indicator: Indicator, progress: str, expected: str, likelihood: Likelihood | None, sense: Sense,
    meets: bool | None, fraction: D | None, signals: tuple[Signal, ...],
) -> None:
    entry = IndicatorProgress(row=0, level3="指标", progress=progress, expected=expected, likelihood=likelihood)
    monitoring = Monitoring(as_of=date(2022, 7, 31), rows=[entry])
    reading = read_monitoring(_project("30", "万元", monitoring, indicator), 2022, FRAMEWORK)
    assert reading is not None
    (row,) = reading.rows
    assert (row.sense, row.expected_meets, row.progress_fraction, row.signals) == (sense, meets, fraction, signals)
    assert row.entry.progress == progress  # the text is kept as typed


def test_pace_of_spending() -> None:
    count = _row("数量指标", "≥20次")

    def pace(executed: str, progress: str, as_of: date = date(2022, 7, 31)) -> tuple[Pace, ...]:
        entry = IndicatorProgress(row=0, progress=progress, expected="20次")
        monitoring = Monitoring(as_of=as_of, executed=D(executed), rows=[entry])
        reading = read_monitoring(_project("30", "万元", monitoring, count), 2022, FRAMEWORK)
        assert reading is not None
        return reading.pace

    assert pace("17", "12次") == ()
    assert pace("5", "10次") == (Pace.BEHIND_TIME,)  # 16.67% < 58.33% × 50%
    assert pace("6", "19次") == (Pace.BEHIND_TIME, Pace.BEHIND_PROGRESS)  # 20% against 95%
    assert pace("12", "19次") == (Pace.BEHIND_PROGRESS,)  # 40% against 95%: 55 points
    assert pace("29", "6次") == (Pace.AHEAD_OF_PROGRESS,)  # 96.67% against 30%
    assert pace("1", "1次", date(2022, 2, 28)) == ()  # too early to judge
    assert pace("40", "30次") == ()  # progress is capped at 100%; spending over budget is PG605's


def test_moved_indicator_is_read_where_it_is_now() -> None:
    rows = [_row("数量指标", "≥20次"), _row("质量指标", "≥90%")]
    rows[0].level3, rows[1].level3 = "覆盖率", "活动次数"
    monitoring = Monitoring(as_of=date(2022, 7, 31), rows=[
        IndicatorProgress(row=0, level3="活动次数", progress="80%", expected="85%"),
    ])
    reading = read_monitoring(_project("30", "万元", monitoring, *rows), 2022, FRAMEWORK)
    assert reading is not None
    (row,) = reading.rows
    assert (row.level3_matches, row.moved_to, row.position) == (False, 1, 1)
    assert row.signals == (Signal.EXPECTED_SHORT,)
    assert reading.row_for(1) is row and reading.row_for(0) is None


def test_percent_and_no_monitoring() -> None:
    assert percent(D(7) / 12) == "58.33%"
    assert percent(None) == "—"
    assert read_monitoring(Project(name="x"), 2022) is None


# --- what people type -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2022-07-31", "2022.7.31", "2022/07/31", "2022年7月31日", "20220731", "２０２２-07-31"])
def test_dates_people_write(text: str) -> None:
    assert parse_date(text) == date(2022, 7, 31)


@pytest.mark.parametrize(("text", "message"), [("明天", "无法识别的日期"), ("2022-02-30", "日期不存在"),
                                               ("2022-13-01", "日期不存在"), ("", "无法识别的日期")])
def test_bad_dates_are_named(text: str, message: str) -> None:
    with pytest.raises(MonitoringInputError, match=message):
        parse_date(text)


def test_causes_and_likelihood() -> None:
    assert parse_causes("经费保障") == [DeviationCause.FUNDING]
    assert parse_causes("经费, 人员、其他") == [DeviationCause.FUNDING, DeviationCause.STAFF, DeviationCause.OTHER]
    assert parse_causes("") == []
    with pytest.raises(MonitoringInputError, match="资金不足"):
        parse_causes("资金不足")
    assert parse_likelihood("有可能") is Likelihood.POSSIBLE
    assert parse_likelihood("不可能") is Likelihood.IMPOSSIBLE
    assert parse_likelihood(" ") is None
    with pytest.raises(MonitoringInputError, match="大概"):
        parse_likelihood("大概")
    assert read_amount("17万", default_unit="元", what="执行数").wan == D(17)
    with pytest.raises(MonitoringInputError, match="执行数"):
        read_amount("-3", default_unit="万元", what="执行数")


def test_apply_keeps_one_unit_and_the_text_as_typed() -> None:
    project = _project("30", "万元", Monitoring(as_of=date(2022, 7, 31), executed=D(17), unit="万元"),
                       _row("数量指标", "≥20次"), _row("质量指标", "≥90%"))
    project.monitoring = None
    with pytest.raises(MonitoringInputError, match="截止日期"):
        apply_monitoring(project)
    first = apply_monitoring(project, as_of=date(2022, 7, 31), executed=read_amount("17", default_unit="万元", what="x"),
                             rows=[RowChange(row=1, progress=" 已开展12次 ", expected="22次")])
    assert first.monitoring is not None and project.monitoring is None
    assert first.monitoring.rows[0].progress == " 已开展12次 " and first.monitoring.rows[0].level3 == "指标"
    second = apply_monitoring(first, executed=read_amount("180000元", default_unit="万元", what="x"),
                              expected_executed=read_amount("30", default_unit="万元", what="x"),
                              rows=[RowChange(row=2, likelihood=Likelihood.POSSIBLE, likelihood_given=True,
                                              reason="原因")])
    assert second.monitoring is not None
    assert (second.monitoring.unit, second.monitoring.executed, second.monitoring.expected_executed) == (
        "元", D(180000), D(300000))
    assert [entry.row for entry in second.monitoring.rows] == [0, 1]
    cleared = apply_monitoring(second, rows=[RowChange(row=2, likelihood=None, likelihood_given=True, reason="")])
    assert cleared.monitoring is not None and [entry.row for entry in cleared.monitoring.rows] == [0]
    with pytest.raises(MonitoringInputError, match="没有第 3 行指标"):
        apply_monitoring(second, rows=[RowChange(row=3, progress="1")])
    with pytest.raises(MonitoringInputError, match="没有第 0 行指标"):
        apply_monitoring(second, rows=[RowChange(row=0, progress="1")])
