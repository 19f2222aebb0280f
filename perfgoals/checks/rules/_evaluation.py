"""Shared wording of the 自评 rules (PG7xx): figures as a reviewer writes them, a row's name."""

from __future__ import annotations

from decimal import Decimal

from perfgoals.evaluation import RowScore


def figure(value: Decimal | None) -> str:
    """``8``, ``89.974``, ``9.47`` — a figure without trailing zeros (``—`` for blank)."""
    if value is None:
        return "—"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def row_label(row: RowScore) -> str:
    """``数量指标：培训人次`` — how a reviewer names a row."""
    indicator = row.indicator
    group = indicator.level2.strip() or indicator.level1.strip() or "指标"
    name = indicator.level3.strip() or indicator.description.strip() or "（未填三级指标）"
    return f"{group}：{name}"
