"""A project's 年度资金: the budget fact its goal table is checked against.

The amount is kept as written (``budget_amount`` in ``amount_unit``) with where it came from
(``amount_source``).  An amount a person typed, or a disclosure stated for the project, is *entered*;
one the importer worked out (from the goal table's cost ceiling once it reconciled with a budget line,
or from the procurement table) or carried from last year by a rollover is *inferred*: it is still the
budget the checks hold the goal table to, and every screen and export marks it until a person
confirms it.  This module is the one place that reads it: its value in 万元, its marker, its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perfgoals.models import AmountSource, Project
from perfgoals.money import UNIT_IN_YUAN, WAN
from perfgoals.reading.money import format_money

#: What each source of an inferred amount is called on screens and in exports.
INFERRED_LABELS: dict[AmountSource, str] = {
    AmountSource.COST_INDICATOR: "按成本指标推断",
    AmountSource.PROCUREMENT: "按政府采购表推断",
    AmountSource.PREVIOUS_YEAR: "沿用上年金额",
}
#: Said of an inferred amount until a person confirms it.
UNCONFIRMED = "待确认"


def to_wan_or_none(amount: Decimal | None, unit: str | None) -> Decimal | None:
    """``amount`` written in ``unit`` as 万元, exactly; ``None`` when blank or the unit is unknown.

    The one conversion every reader of a figure uses: a ``None`` unit means 万元, the unit
    budget tables are usually in.
    """
    if amount is None:
        return None
    if unit is None or unit == "万元":
        return amount
    factor = UNIT_IN_YUAN.get(unit)
    if factor is None:
        return None
    return amount * factor / WAN


@dataclass(frozen=True, slots=True)
class ProjectAmount:
    """A project's amount as written, in 万元, and how it is known."""

    amount: Decimal | None
    unit: str
    source: AmountSource
    wan: Decimal | None

    @property
    def known(self) -> bool:
        return self.wan is not None

    @property
    def inferred(self) -> bool:
        """Worked out by the program (or carried from last year), not entered or confirmed by a person."""
        return self.amount is not None and self.source is not AmountSource.ENTERED

    @property
    def text(self) -> str:
        """``755.00 元``: as written, rounded to 0.01 of its unit; ``未填`` when blank."""
        return "未填" if self.amount is None else format_money(self.amount, self.unit)

    @property
    def marker(self) -> str:
        """``按成本指标推断，待确认`` for an inferred amount; empty otherwise."""
        if not self.inferred:
            return ""
        return f"{INFERRED_LABELS.get(self.source, '推断')}，{UNCONFIRMED}"

    @property
    def source_label(self) -> str:
        """The source in words, for a column of its own: ``填报`` or ``按成本指标推断``."""
        return INFERRED_LABELS.get(self.source, "填报") if self.amount is not None else ""

    def describe(self) -> str:
        """``7.29 万元（按成本指标推断，待确认）``."""
        marker = self.marker
        return f"{self.text}（{marker}）" if marker else self.text


def project_amount(project: Project) -> ProjectAmount:
    """How much money ``project`` has, read once for every screen, check and export."""
    source = AmountSource(project.amount_source)
    return ProjectAmount(
        project.budget_amount,
        project.amount_unit,
        source,
        to_wan_or_none(project.budget_amount, project.amount_unit),
    )
