"""指标值 parsing: a table of real forms, and properties that hold for any input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals.values import Comparator, ValueKind, parse_value

GE, LE, EQ, PM = Comparator.GE, Comparator.LE, Comparator.EQ, Comparator.PLUS_MINUS

REAL_FORMS = [
    # raw, kind, comparator, number, unit
    ("≥1次", ValueKind.QUANTITY, GE, D("1"), "次"),
    ("22人", ValueKind.QUANTITY, None, D("22"), "人"),
    ("≥4万人", ValueKind.QUANTITY, GE, D("4"), "万人"),
    ("≥600平方米", ValueKind.QUANTITY, GE, D("600"), "平方米"),
    ("≤1.94万度", ValueKind.QUANTITY, LE, D("1.94"), "万度"),
    ("10辆", ValueKind.QUANTITY, None, D("10"), "辆"),
    ("≥80M", ValueKind.QUANTITY, GE, D("80"), "M"),
    ("≥280天", ValueKind.QUANTITY, GE, D("280"), "天"),
    ("≥95%", ValueKind.PERCENT, GE, D("95"), "%"),
    ("100%", ValueKind.PERCENT, None, D("100"), "%"),
    ("≥ 95 %", ValueKind.PERCENT, GE, D("95"), "%"),
    ("≥100百分比", ValueKind.PERCENT, GE, D("100"), "%"),
    ("≧90％", ValueKind.PERCENT, GE, D("90"), "%"),
    ("＝100%", ValueKind.PERCENT, EQ, D("100"), "%"),
    ("不低于95%", ValueKind.PERCENT, GE, D("95"), "%"),
    ("95%以上", ValueKind.PERCENT, GE, D("95"), "%"),
    ("±3%以内", ValueKind.PERCENT, PM, D("3"), "%"),
    ("≥９５％。", ValueKind.PERCENT, GE, D("95"), "%"),
    ("≤755元", ValueKind.MONEY, LE, D("755"), "元"),
    ("≤21.87万元", ValueKind.MONEY, LE, D("21.87"), "万元"),
    ("≤289360元", ValueKind.MONEY, LE, D("289360"), "元"),
    ("250万", ValueKind.MONEY, None, D("250"), "万"),
    ("按合同10.5万元。", ValueKind.MONEY, None, D("10.5"), "万元"),
    ("不超过10万元", ValueKind.MONEY, LE, D("10"), "万元"),
    ("≤1,135.10万元", ValueKind.MONEY, LE, D("1135.10"), "万元"),
    ("3-5次", ValueKind.RANGE, None, D("3"), "次"),
]


@pytest.mark.parametrize(("raw", "kind", "comparator", "number", "unit"), REAL_FORMS)
def test_real_forms(raw: str, kind: ValueKind, comparator: Comparator | None, number: D, unit: str) -> None:
    parsed = parse_value(raw)
    assert (parsed.kind, parsed.comparator, parsed.number, parsed.unit) == (kind, comparator, number, unit)
    assert parsed.raw == raw


@pytest.mark.parametrize(
    ("raw", "wan"),
    [
        ("≤755元", D("0.0755")),
        ("≤21.87万元", D("21.87")),
        ("≤289360元", D("28.936")),
        ("≤6223.12元", D("0.622312")),
        ("250万", D("250")),
        ("≤1.2亿元", D("12000")),
    ],
)
def test_money_is_normalised_to_wan_exactly(raw: str, wan: D) -> None:
    assert parse_value(raw).amount_wan == wan


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("2022.1-3月", date(2022, 1, 1), date(2022, 3, 31)),
        ("2022.3-12月", date(2022, 3, 1), date(2022, 12, 31)),
        ("2022年", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022.9月", date(2022, 9, 1), date(2022, 9, 30)),
        ("2023.07-2024.01", date(2023, 7, 1), date(2024, 1, 31)),
        ("2022年1-12月", date(2022, 1, 1), date(2022, 12, 31)),
        ("2024.2月", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_periods(raw: str, start: date, end: date) -> None:
    parsed = parse_value(raw)
    assert (parsed.kind, parsed.period_start, parsed.period_end) == (ValueKind.PERIOD, start, end)


def test_deadline_reads_as_at_most() -> None:
    parsed = parse_value("2022年12月底前")
    assert (parsed.kind, parsed.comparator, parsed.period_end) == (ValueKind.PERIOD, LE, date(2022, 12, 31))


@pytest.mark.parametrize(
    ("raw", "months", "comparator"),
    [
        ("6月底前", (6, 6), LE),
        ("12月份", (12, 12), None),
        ("9月中旬", (9, 9), None),
        ("12.31前", (12, 12), LE),
        ("12月31日前", (12, 12), LE),
        ("6月底完成", (6, 6), LE),
        ("十二月底前", (12, 12), LE),
        ("3-5月", (3, 5), None),
        ("1—12月", (1, 12), None),
        ("年底前", (12, 12), LE),
        ("年内", (1, 12), LE),
        ("上半年", (1, 6), None),
        ("第三季度", (7, 9), None),
        ("≤6月", (6, 6), LE),
    ],
)
def test_deadlines_without_a_year_are_months_of_the_budget_year(
    raw: str, months: tuple[int, int], comparator: Comparator | None
) -> None:
    parsed = parse_value(raw)
    assert (parsed.kind, parsed.months, parsed.comparator) == (ValueKind.PERIOD, months, comparator)
    assert parsed.period_start is None and "当年" in parsed.describe()


@pytest.mark.parametrize("raw", ["6个月", "≥10个月", "13月底前", "12.32前", "5-3月"])
def test_durations_and_impossible_dates_are_not_deadlines(raw: str) -> None:
    parsed = parse_value(raw)
    assert parsed.months is None


@pytest.mark.parametrize("raw", ["0000年", "0000.1-3月", "3000年", "1899.5月", "9999年底前"])
def test_years_no_budget_can_mean_are_unrecognised_not_quantities(raw: str) -> None:
    assert parse_value(raw).kind is ValueKind.UNRECOGNISED


@pytest.mark.parametrize(
    "raw", ["1" * 16 + "次", "≥" + "9" * 20000 + "%", "0." + "1" * 7 + "万元", "1" * 20000 + "-" + "1" * 20000]
)
def test_figures_beyond_the_digit_limit_are_unrecognised(raw: str) -> None:
    assert parse_value(raw).kind is ValueKind.UNRECOGNISED


def test_a_long_digit_run_is_read_in_linear_time() -> None:
    import time

    def seconds(length: int) -> float:
        """The best of three timings of five reads (past the cache): a busy machine only adds to one."""
        text = "≥" + "1" * length + "次"
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(5):
                parse_value.__wrapped__(text)  # type: ignore[attr-defined]
            timings.append(time.perf_counter() - start)
        return min(timings)

    small, large = seconds(10_000), seconds(80_000)
    assert large < small * 8 * 3  # eight times the text, well under 64 times the time


@pytest.mark.parametrize(
    "raw", ["内容丰富、形式多样", "进一步提高", "及时", "优良", "按期进行电费缴纳", "带动农村产业发展"]
)
def test_qualitative(raw: str) -> None:
    parsed = parse_value(raw)
    assert parsed.kind is ValueKind.QUALITATIVE and parsed.comparator is None
    assert parsed.describe() == "定性"


def test_comparator_on_qualitative_text_is_kept_for_the_checks() -> None:
    parsed = parse_value("≥良好")
    assert (parsed.kind, parsed.comparator) == (ValueKind.QUALITATIVE, GE)


@pytest.mark.parametrize("raw", ["XX", "-", "/", "2022.13月", "12-3次"])
def test_unrecognised_is_a_valid_result(raw: str) -> None:
    assert parse_value(raw).kind is ValueKind.UNRECOGNISED


def test_empty() -> None:
    assert parse_value("  ").kind is ValueKind.EMPTY


@pytest.mark.parametrize(
    ("raw", "reading"),
    [
        ("≤21.87万元", "≤ 21.87 万元"),
        ("≤755元", "≤ 755 元（0.0755 万元）"),
        ("≥ 95 %", "≥ 95 %"),
        ("2022.1-3月", "时间 2022.01–2022.03"),
        ("内容丰富、形式多样", "定性"),
    ],
)
def test_describe_is_what_the_ui_shows(raw: str, reading: str) -> None:
    assert parse_value(raw).describe() == reading


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_raises_and_keeps_the_text(raw: str) -> None:
    parsed = parse_value(raw)
    assert parsed.raw == raw
    assert isinstance(parsed.kind, ValueKind)
    parsed.describe()


@settings(max_examples=200, deadline=None)
@given(
    comparator=st.sampled_from(["≥", "≤", "＝", "≧", "不低于", "不超过", ""]),
    number=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(["次", "人", "%", "万元", "元", "平方米", "天", "％"]),
    spaces=st.sampled_from(["", " ", "  "]),
)
def test_generated_quantities_read_back(comparator: str, number: D, unit: str, spaces: str) -> None:
    raw = f"{comparator}{spaces}{number}{spaces}{unit}"
    parsed = parse_value(raw)
    assert parsed.number == number
    assert parsed.is_quantitative
    if unit in ("万元", "元"):
        assert parsed.kind is ValueKind.MONEY
        assert parsed.amount_wan == (number if unit == "万元" else number / 10000)
    if comparator:
        assert parsed.comparator is not None


@settings(max_examples=200, deadline=None)
@given(year=st.integers(1990, 2100), first=st.integers(1, 12), last=st.integers(1, 12))
def test_generated_periods(year: int, first: int, last: int) -> None:
    parsed = parse_value(f"{year}.{first}-{last}月")
    if first <= last:
        assert parsed.kind is ValueKind.PERIOD
        assert parsed.period_start == date(year, first, 1)
        assert parsed.period_end is not None and parsed.period_end.month == last
    else:
        assert parsed.kind is not ValueKind.PERIOD
