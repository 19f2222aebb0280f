"""Entering a project's 自评: the changes a person types, checked and applied to a copy of the project.

Figures are read as written (``48``, ``9.6``, ``89.974``); a blank text clears a field.  Rows are numbered
from 1, as the checks and ``perfgoals evaluate --show`` number them.  Nothing here writes to storage.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from perfgoals.errors import PerfgoalsError
from perfgoals.models import DEFAULT_UNIT, EvaluationFunds, IndicatorResult, Project, SelfEvaluation
from perfgoals.money import AmountError, parse_amount

#: The rows of a new 自评's 项目资金 block.
FUNDS_LABELS = ("年度资金总额", "其中：本年财政拨款", "上年结转资金", "其他资金")


class EvaluationInputError(PerfgoalsError):
    """Something typed for a 自评 that cannot be taken; the message says what, in Chinese."""


def read_figure(text: str, what: str) -> Decimal | None:
    """A figure as typed (blank: ``None``); ``8分`` reads as 8."""
    plain = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    if not plain:
        return None
    try:
        value = parse_amount(plain)
    except AmountError:
        raise EvaluationInputError(f"{what}“{text.strip()}”不是数字") from None
    if value is not None and value < 0:
        raise EvaluationInputError(f"{what}不能为负数（{text.strip()}）")
    return value


@dataclass(slots=True)
class RowChange:
    """What was typed for one indicator row (``None``: unchanged; ``""``: cleared)."""

    row: int  # from 1
    actual: str | None = None
    points: str | None = None
    score: str | None = None
    reason: str | None = None


@dataclass(slots=True)
class FundsChange:
    """One 项目资金 row: ``年度资金总额=90,90,89.974`` (年初预算数, 全年预算数, 全年执行数[, 执行率])."""

    label: str
    figures: list[str]


def parse_funds(text: str) -> FundsChange:
    label, sep, rest = text.partition("=")
    if not sep or not label.strip():
        raise EvaluationInputError(f"项目资金“{text}”应写作 行名=年初预算数,全年预算数,全年执行数[,执行率]")
    figures = [part.strip() for part in rest.replace("，", ",").split(",")]
    if len(figures) > 4:
        raise EvaluationInputError(f"项目资金“{text}”最多 4 项：年初预算数,全年预算数,全年执行数,执行率")
    return FundsChange(label.strip(), figures)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).rstrip(":：")


def _funds_row(funds: list[EvaluationFunds], label: str) -> int:
    wanted = _plain(label)
    for index, entry in enumerate(funds):
        have = _plain(entry.label)
        if have == wanted or wanted in have or have.removeprefix("其中") == wanted:
            return index
    funds.append(EvaluationFunds(label=label))
    return len(funds) - 1


def _apply_funds(funds: list[EvaluationFunds], change: FundsChange) -> None:
    index = _funds_row(funds, change.label)
    entry = funds[index]
    update: dict[str, object] = {}
    for position, name in enumerate(("initial", "full_year", "executed")):
        if position < len(change.figures):
            what = f"{entry.label}的{('年初预算数', '全年预算数', '全年执行数')[position]}"
            update[name] = read_figure(change.figures[position], what)
    if len(change.figures) == 4:
        update["rate"] = change.figures[3] or None
    funds[index] = entry.model_copy(update=update)


def apply_evaluation(
    project: Project,
    *,
    rows: Sequence[RowChange] = (),
    funds: Sequence[FundsChange] = (),
    rate_points: str | None = None,
    rate_score: str | None = None,
    achieved: str | None = None,
    total: str | None = None,
    grade: str | None = None,
    unit: str | None = None,
) -> Project:
    """``project`` with its 自评 changed (a new one started when it has none)."""
    current = project.evaluation or SelfEvaluation(
        unit=project.amount_unit or DEFAULT_UNIT, funds=[EvaluationFunds(label=label) for label in FUNDS_LABELS]
    )
    evaluation = current.model_copy(deep=True)
    if unit is not None:
        evaluation.unit = unit.strip() or DEFAULT_UNIT
    for typed in funds:
        _apply_funds(evaluation.funds, typed)
    if rate_points is not None:
        evaluation.rate_points = read_figure(rate_points, "预算执行率的分值")
    if rate_score is not None:
        evaluation.rate_score = read_figure(rate_score, "预算执行率的得分")
    if achieved is not None:
        evaluation.achieved = achieved
    if total is not None:
        evaluation.total = read_figure(total, "总分")
    if grade is not None:
        evaluation.grade = grade.strip()
    indicators = project.goal.indicators
    results = {result.row: result for result in evaluation.rows}
    for change in rows:
        if not 1 <= change.row <= len(indicators):
            raise EvaluationInputError(f"没有第 {change.row} 行指标（项目“{project.name}”有 {len(indicators)} 行）")
        index = change.row - 1
        result = results.get(index) or IndicatorResult(row=index, level3=indicators[index].level3)
        update: dict[str, object] = {"level3": indicators[index].level3}
        if change.actual is not None:
            update["actual"] = change.actual
        if change.reason is not None:
            update["reason"] = change.reason
        if change.points is not None:
            update["points"] = read_figure(change.points, f"第 {change.row} 行的分值")
        if change.score is not None:
            update["score"] = read_figure(change.score, f"第 {change.row} 行的得分")
        results[index] = result.model_copy(update=update)
    evaluation.rows = [results[index] for index in sorted(results)]
    return project.model_copy(update={"evaluation": evaluation})
