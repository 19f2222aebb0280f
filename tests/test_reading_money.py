"""The money reader: every form a person types, good and bad, and properties that hold for any input."""

from __future__ import annotations

import contextlib
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals.money import UNIT_IN_YUAN, AmountError
from perfgoals.reading.money import (
    MAX_DECIMALS,
    MAX_YUAN,
    Money,
    format_money,
    format_wan,
    money_unit,
    read_money,
)
from perfgoals.values import ValueKind, parse_value

UNIT_WORDS = ["元", "千元", "万元", "百万元", "亿元", "万", "亿"]

READ = [
    # typed, amount, unit (default unit 万元)
    ("21.87", D("21.87"), "万元"),
    (".5", D("0.5"), "万元"),
    ("0", D("0"), "万元"),
    ("零元", D("0"), "元"),
    ("1,135.10", D("1135.10"), "万元"),
    ("1 135.10", D("1135.10"), "万元"),
    ("1,234,567.5元", D("1234567.5"), "元"),
    ("２１．８７", D("21.87"), "万元"),
    ("１，１３５．１０万元", D("1135.10"), "万元"),
    ("¥1,135.10", D("1135.10"), "万元"),
    ("￥755元", D("755"), "元"),
    ("人民币5元", D("5"), "元"),
    ("21.87万", D("21.87"), "万元"),
    ("21.87万元", D("21.87"), "万元"),
    ("21.87万元整", D("21.87"), "万元"),
    ("218700元", D("218700"), "元"),
    ("1.2亿", D("1.2"), "亿元"),
    ("1.2亿元", D("1.2"), "亿元"),
    ("1.5千元", D("1.5"), "千元"),
    ("2百万元", D("2"), "百万元"),
    ("3百万元", D("3"), "百万元"),
    ("3千万元", D("3000"), "万元"),
    ("二十一点八七万", D("21.87"), "万元"),
    ("两万三千元", D("23000"), "元"),
    ("二千五百万元", D("2500"), "万元"),
    ("一亿二千万元", D("12000"), "万元"),
    ("三千万", D("3000"), "万元"),
    ("十万元", D("10"), "万元"),
    ("一百零五元", D("105"), "元"),
    ("伍佰元整", D("500"), "元"),
    ("伍佰元正", D("500"), "元"),
    ("壹万贰仟叁佰肆拾伍元陆角柒分", D("12345.67"), "元"),
    ("壹元零伍分", D("1.05"), "元"),
    ("拾萬元", D("10"), "万元"),
    ("二十一万八千七百元", D("218700"), "元"),
    ("壹佰贰拾", D("120"), "万元"),
    ("一万亿元", D("10000"), "亿元"),
    ("21.123456万元", D("21.123456"), "万元"),
    ("1000000000000000元", D("1000000000000000"), "元"),
]


@pytest.mark.parametrize(("typed", "amount", "unit"), READ)
def test_reads_every_form(typed: str, amount: D, unit: str) -> None:
    money = read_money(typed)
    assert (money.amount, money.unit) == (amount, unit)
    assert money == Money(amount, unit)


def test_the_amount_keeps_the_scale_as_written() -> None:
    assert str(read_money("1,135.10").amount) == "1135.10"
    assert str(read_money("21.87万").amount) == "21.87"
    assert str(read_money("218700元").amount) == "218700"


def test_the_default_unit_is_only_for_figures_without_one() -> None:
    assert read_money("755", default_unit="元") == Money(D("755"), "元")
    assert read_money("21.87万", default_unit="元") == Money(D("21.87"), "万元")
    assert read_money("5", default_unit="万") == Money(D("5"), "万元")
    with pytest.raises(AmountError, match="单位"):
        read_money("5", default_unit="美元")


REFUSED = [
    # typed, words the message must contain
    ("", "金额不能为空"),
    ("   ", "金额不能为空"),
    ("　", "金额不能为空"),
    ("-5", "金额不能为负数"),
    ("－5", "金额不能为负数"),
    ("负五", "金额不能为负数"),
    ("¥-5", "金额不能为负数"),
    ("-21.87万元", "金额不能为负数"),
    ("15,0000元", "千位分隔符"),
    ("8,08元", "千位分隔符"),
    ("1,2345", "千位分隔符"),
    ("1,13,5.10", "千位分隔符"),
    (",5", "千位分隔符"),
    ("abc", "无法识别"),
    ("12元3", "无法识别"),
    ("1.2.3", "无法识别"),
    ("万元", "无法识别"),
    ("元", "无法识别"),
    ("千元", "无法识别"),
    ("许多", "无法识别"),
    ("一二三", "无法识别"),
    ("一万万", "无法识别"),
    ("五角", "无法识别"),
    ("1.5元5角", "无法识别"),
    ("NaN", "无法识别"),
    ("Infinity", "无法识别"),
    ("inf", "无法识别"),
    ("1.1234567", f"最多 {MAX_DECIMALS} 位"),
    ("一点一二三四五六七万", f"最多 {MAX_DECIMALS} 位"),
    ("1000000000000001元", "1000 万亿元"),
    ("10000001亿", "金额过大"),
    ("一千万零一亿", "金额过大"),
    ("1e5", "科学计数法"),
    ("1E-3", "科学计数法"),
    ("1e999999999", "科学计数法"),
]


@pytest.mark.parametrize(("typed", "words"), REFUSED)
def test_refuses_with_a_clear_message(typed: str, words: str) -> None:
    with pytest.raises(AmountError, match=words) as caught:
        read_money(typed)
    if typed.strip():
        assert repr(typed.strip()) in str(caught.value)  # names what was typed


@pytest.mark.parametrize(
    "typed", ["21.87万", "21.87万元", "218700元", "二十一点八七万", "21.87万元整", "２１．８７万"]
)
def test_one_amount_however_written(typed: str) -> None:
    assert read_money(typed).wan == D("21.87")


def test_yi_is_a_unit_not_a_multiplier_on_the_field() -> None:
    assert read_money("1.2亿").wan == 12000
    assert read_money("1.2亿", default_unit="元").wan == 12000


def test_money_units() -> None:
    assert [money_unit(word) for word in UNIT_WORDS] == [
        "元",
        "千元",
        "万元",
        "百万元",
        "亿元",
        "万元",
        "亿元",
    ]
    assert money_unit("美元") is None
    assert money_unit("") is None


def test_in_unit_is_exact() -> None:
    money = read_money("21.87万")
    assert money.in_unit("元") == D("218700")
    assert money.in_unit("亿元") == D("0.002187")
    assert money.in_unit("万") == D("21.87")
    with pytest.raises(AmountError):
        money.in_unit("美元")


def test_a_field_in_one_unit_takes_an_amount_typed_in_another() -> None:
    assert read_money("21.87万", default_unit="万元").in_unit("万元") == D("21.87")
    assert read_money("21.87万", default_unit="元").in_unit("元") == D("218700")
    assert read_money("755", default_unit="元").in_unit("元") == D("755")
    assert read_money("1.2亿", default_unit="万元").in_unit("万元") == D("12000")
    with pytest.raises(AmountError, match="负数"):
        read_money("-5", default_unit="万元")
    with pytest.raises(AmountError, match="千位分隔符"):
        read_money("15,0000元", default_unit="万元")


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_is_read_or_refused(text: str) -> None:
    with contextlib.suppress(AmountError):
        read_money(text)


MONEY_ALPHABET = "0123456789.,，．１２ -+¥元万亿千百十点零〇一二两三五九壹贰拾佰仟萬角分整正负eE人民币"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=MONEY_ALPHABET, max_size=20), st.sampled_from(UNIT_WORDS))
def test_money_like_text_is_read_or_refused(text: str, unit: str) -> None:
    try:
        money = read_money(text, default_unit=unit)
    except AmountError:
        return
    assert money.unit in UNIT_IN_YUAN and money.amount >= 0
    assert money.amount * UNIT_IN_YUAN[money.unit] <= MAX_YUAN
    exponent = money.amount.as_tuple().exponent
    assert isinstance(exponent, int) and -exponent <= MAX_DECIMALS


AMOUNTS = st.decimals(
    min_value=0, max_value=D(10**9) - D("0.01"), places=2, allow_nan=False, allow_infinity=False
)


def _round_trips(typed: str, amount: D, unit: str) -> None:
    if amount * UNIT_IN_YUAN[unit] > MAX_YUAN:
        with pytest.raises(AmountError, match="金额过大"):
            read_money(typed)
        return
    assert read_money(typed) == Money(amount, money_unit(unit) or "")


@settings(max_examples=300, deadline=None)
@given(AMOUNTS, st.sampled_from(UNIT_WORDS))
def test_written_amounts_round_trip(amount: D, unit: str) -> None:
    _round_trips(f"{amount}{unit}", amount, unit)


@settings(max_examples=300, deadline=None)
@given(AMOUNTS, st.sampled_from(UNIT_WORDS))
def test_grouped_amounts_round_trip(amount: D, unit: str) -> None:
    _round_trips(f"{amount:,}{unit}", amount, unit)


@pytest.mark.parametrize(
    "typed",
    [
        "9" * 20_000,
        "1" + "0" * 19_999 + "元",
        "0." + "1" * 20_000,
        "1," * 10_000,
        "一" * 20_000,
        "1.1" * 7_000,
        "¥" * 20_000,
        "一点" + "五" * 20_000,
        "1" * 20_000 + "元5角",
    ],
)
def test_long_input_is_refused(typed: str) -> None:
    with pytest.raises(AmountError):
        read_money(typed)


AGREEING_FORMS = [
    "21.87万",
    "21.87万元",
    "218700元",
    "1.2亿",
    "1.2亿元",
    "755元",
    "6223.12元",
    "1,135.10万元",
    "1.5千元",
    "2百万元",
    "0.5万",
    "２１.８７万",
]


@pytest.mark.parametrize("form", AGREEING_FORMS)
def test_the_value_parser_agrees_on_money(form: str) -> None:
    parsed = parse_value("≤" + form)
    assert parsed.kind is ValueKind.MONEY
    assert parsed.amount_wan == read_money(form).wan


@pytest.mark.parametrize("raw", ["≤15,0000元", "≤8,08元", "8,08元", "15,0000元", "1,2345元", "≤1,2345万元"])
def test_the_value_parser_does_not_reread_bad_grouping(raw: str) -> None:
    assert parse_value(raw).kind is ValueKind.UNRECOGNISED


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (D("755"), "元", "755.00 元"),
        (D("26.9455"), "万元", "26.95 万元"),
        (D("26.945"), "万元", "26.95 万元"),
        (D("1135.1"), "万元", "1,135.10 万元"),
        (D("-0.001"), "万元", "0.00 万元"),
        (D("2"), "万", "2.00 万元"),
        (None, "万元", "（空）"),
    ],
)
def test_format_money(amount: D | None, unit: str, text: str) -> None:
    assert format_money(amount, unit) == text


@pytest.mark.parametrize(
    ("amount_wan", "unit", "text"),
    [
        (D("0.0045"), "万元", "45.00 元"),
        (D("-0.004752"), "万元", "-47.52 元"),
        (D("444.134752"), "万元", "444.13 万元"),
        (D("1135.1"), "万元", "1,135.10 万元"),
        (D("21.87"), "元", "218,700.00 元"),
        (D("12000"), "亿元", "1.20 亿元"),
        (D("0"), "万元", "0.00 万元"),
        (None, "万元", "（空）"),
    ],
)
def test_format_wan(amount_wan: D | None, unit: str, text: str) -> None:
    assert format_wan(amount_wan, unit) == text


def test_format_wan_defaults_to_wan() -> None:
    assert format_wan(D("444.134752")) == "444.13 万元"
    assert format_wan(D("0.0045")) == "45.00 元"
