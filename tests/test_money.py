from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfgoals.money import (
    AmountError,
    normalise_unit,
    parse_amount,
    to_wan,
)
from perfgoals.reading.money import read_money
from perfgoals.reading.rounding import rounding_tolerance


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1135.10", D("1135.10")),
        ("1,135.10", D("1135.10")),
        ("１１３５.１０", D("1135.10")),
        (" 29.73 ", D("29.73")),
        ("", None),
        ("——", None),
        ("-5.5", D("-5.5")),
    ],
)
def test_parse_amount(text: str, amount: D | None) -> None:
    assert parse_amount(text) == amount
    if amount is not None:
        assert str(parse_amount(text)) == str(amount)  # the scale as written


@pytest.mark.parametrize("text", ["12a", "1,13,5.10", "一百", "1.2.3"])
def test_parse_amount_refuses_what_is_not_a_figure(text: str) -> None:
    with pytest.raises(AmountError, match="不是金额"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("21.87", D("21.87")),
        ("二十一点八七", D("21.87")),
        ("壹佰贰拾", D("120")),
        ("218700元", D("21.87")),
        ("二十一万八千七百元", D("21.87")),
        ("1.2亿元", D("12000")),
        ("12万元", D("12")),
        ("１２.５", D("12.5")),
        ("1,135.10", D("1135.10")),
    ],
)
def test_a_typed_amount_in_wan(text: str, wan: D) -> None:
    assert read_money(text).wan == wan


def test_a_typed_amount_that_cannot_be_read() -> None:
    with pytest.raises(AmountError):
        read_money("许多")
    with pytest.raises(AmountError, match="不能为空"):
        read_money(" ")


def test_units() -> None:
    assert normalise_unit("单位：万元") == "万元"
    assert normalise_unit("金额单位:元") == "元"
    assert to_wan(D("755"), "元") == D("0.0755")
    assert to_wan(D("1.5"), "亿元") == D("15000")
    with pytest.raises(AmountError):
        normalise_unit("单位：美元")


def test_rounding_tolerance() -> None:
    assert rounding_tolerance(10) == D("0.050")
    assert rounding_tolerance(0) == D("0.005")


def test_rounding_factor_follows_how_figures_were_rounded() -> None:
    from decimal import Decimal as D

    from perfgoals.reading.rounding import rounding_factor

    assert rounding_factor([(D("1135.10"), "万元"), (D("418.84"), "万元")]) == 1
    assert rounding_factor([(D("1009.40"), "元"), (D("1000.37"), "元")]) == D("0.0001")  # to the cent
    assert rounding_factor([(D("1009"), "元"), (D("1001"), "元")]) == D("0.01")  # to the 元
    # Whole hundreds of 元 are 万元 figures printed in 元: rounded to 0.01 万元.
    assert rounding_factor([(D("11351000.00"), "元"), (D("4188400"), "元")]) == 1
    # The coarsest figure decides, as with units; blanks and zeros say nothing about rounding.
    assert rounding_factor([(D("1000.00"), "元"), (D("1009.40"), "元"), (None, "元"), (D(0), "元")]) == 1
    assert rounding_factor([(D("1009.40"), "元"), (D(0), "元")]) == D("0.0001")
    assert rounding_factor([(D("7.29"), "万元"), (D("1009.40"), "元")]) == 1
    assert rounding_factor([(D("1234.5"), "千元")]) == D("0.1")
    assert rounding_factor([(D("1234"), "千元")]) == 1  # promoted no coarser than 0.01 万元...
    assert rounding_factor([(D("1.5"), "亿元")]) == 10000  # ...but a figure in 亿元 was rounded to 0.01 亿元
    assert rounding_factor([]) == 1
