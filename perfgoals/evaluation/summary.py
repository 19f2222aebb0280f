"""A project's 自评 summarised: every row's points and scores, the 执行率 and its score, 总分 and grade.

:func:`evaluate` is the one place these figures are derived; the checks (PG7xx), the 自评表 export,
the CLI and the TUI read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from perfgoals.evaluation.points import (
    RowPoints,
    level1_key,
    level1_points,
    rate_points,
    row_points,
    table_points,
)
from perfgoals.evaluation.scoring import (
    ZERO,
    Band,
    Computed,
    band_of_score,
    compute_score,
    grade_of,
    in_band,
    parse_rate,
    round2,
)
from perfgoals.framework import DEFAULT_FRAMEWORK
from perfgoals.models import EvaluationFunds, Grade, Indicator, IndicatorResult, Project, SelfEvaluation
from perfgoals.reading.rows import value_text


@dataclass(frozen=True, slots=True)
class RowScore:
    """One indicator row of the 自评."""

    row: int  # position in goal.indicators, from 0
    indicator: Indicator
    result: IndicatorResult | None
    level1: str  # canonical 一级
    pool: str  # the 一级 whose points it shares (成本指标 → 产出指标 unless the table says otherwise)
    points: Decimal | None  # effective points (None: a blank row)
    points_entered: bool
    computed: Computed
    written: Decimal | None  # the score as entered

    @property
    def actual(self) -> str:
        return self.result.actual if self.result is not None else ""

    @property
    def reason(self) -> str:
        return self.result.reason if self.result is not None else ""

    @property
    def used(self) -> Decimal | None:
        """The score that counts: written if written, else computed."""
        return self.written if self.written is not None else self.computed.score

    @property
    def blank(self) -> bool:
        return self.points is None

    @property
    def written_band(self) -> Band | None:
        if self.written is None or self.points is None:
            return None
        return band_of_score(self.written, self.points)

    @property
    def written_in_band(self) -> bool | None:
        """For a row scored by band: whether the written score lies in the band the actual reads as."""
        band = self.computed.band
        if band is None or self.written is None or self.points is None:
            return None
        return in_band(self.written, self.points, band)

    @property
    def below_full(self) -> bool:
        used = self.used
        return used is not None and self.points is not None and used < self.points


@dataclass(frozen=True, slots=True)
class RateScore:
    """The 预算执行率: B ÷ A of the 年度资金总额 row, or of its parts when the total row is blank or 0."""

    full_year: Decimal | None  # A, in the table's unit
    executed: Decimal | None  # B
    source: str  # "total" | "parts" | "" (nothing to compute from)
    rate: Decimal | None  # a fraction (0.9997)
    points: Decimal
    computed: Decimal | None
    written: Decimal | None
    written_rate: Decimal | None  # the 执行率 as written, as a fraction
    rate_text: str  # as written

    @property
    def used(self) -> Decimal | None:
        return self.written if self.written is not None else self.computed


@dataclass(frozen=True, slots=True)
class EvaluationSummary:
    project: Project
    evaluation: SelfEvaluation | None
    rows: list[RowScore]
    level1_points: dict[str, Decimal]  # the points of each 一级 (the table's own, else the defaults)
    level1_own: dict[str, Decimal]  # the table's own 一级 points
    rate: RateScore
    written_total: Decimal | None
    written_grade: str
    by_level1: dict[str, Decimal] = field(default_factory=dict)  # Σ effective row points per pool

    @property
    def points_total(self) -> Decimal:
        """Σ every row's effective points + the 执行率's points (100 when the table is right)."""
        return sum((row.points for row in self.rows if row.points is not None), ZERO) + self.rate.points

    @property
    def entered_points_total(self) -> Decimal:
        """Σ the points as entered (rows and 执行率), without the split of missing ones."""
        return sum((row.points for row in self.rows if row.points is not None and row.points_entered), ZERO) + self.rate.points

    @property
    def total(self) -> Decimal:
        """总分: Σ the scores that count (written, else computed) + the 执行率 score that counts."""
        return round2(sum((row.used for row in self.rows if row.used is not None), ZERO) + (self.rate.used or ZERO))

    @property
    def computed_total(self) -> Decimal:
        """总分 with every score computed (a row whose score cannot be computed counts as written)."""
        scores = (row.computed.score if row.computed.score is not None else row.written for row in self.rows)
        rate = self.rate.computed if self.rate.computed is not None else self.rate.written
        return round2(sum((score for score in scores if score is not None), ZERO) + (rate or ZERO))

    @property
    def grade(self) -> Grade:
        found = grade_of(self.total)
        assert found is not None
        return found

    @property
    def computed_grade(self) -> Grade:
        found = grade_of(self.computed_total)
        assert found is not None
        return found


def result_rows(project: Project) -> dict[int, IndicatorResult]:
    """The 自评 rows by indicator position; a row whose 三级 moved is found again by its name."""
    evaluation = project.evaluation
    if evaluation is None:
        return {}
    indicators = project.goal.indicators
    found: dict[int, IndicatorResult] = {}
    for result in evaluation.rows:
        index = result.row
        if result.level3 and (index >= len(indicators) or indicators[index].level3.strip() != result.level3.strip()):
            moved = [i for i, ind in enumerate(indicators) if ind.level3.strip() == result.level3.strip()]
            if moved:
                index = moved[0]
        if index < len(indicators):
            found.setdefault(index, result)
    return found


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, ZERO) if present else None


def rate_score(evaluation: SelfEvaluation | None) -> RateScore:
    """The 执行率 and its score (rate × points, capped at the points, 0.01)."""
    points = rate_points(evaluation)
    funds: list[EvaluationFunds] = list(evaluation.funds) if evaluation is not None else []
    total, parts = (funds[0], funds[1:]) if funds else (None, [])
    full_year: Decimal | None = None
    executed: Decimal | None = None
    source = ""
    if total is not None and total.full_year:
        full_year, executed, source = total.full_year, total.executed or ZERO, "total"
    else:
        parts_a = _sum([part.full_year for part in parts])
        if parts_a:
            full_year, executed, source = parts_a, _sum([part.executed for part in parts]) or ZERO, "parts"
        elif total is not None and total.executed is not None:
            full_year, executed = total.full_year, total.executed
    rate = executed / full_year if source and full_year and executed is not None else None
    computed = round2(min(rate, Decimal(1)) * points) if rate is not None else None
    text = total.rate if total is not None and total.rate is not None else ""
    return RateScore(
        full_year=full_year,
        executed=executed,
        source=source,
        rate=rate,
        points=points,
        computed=computed,
        written=evaluation.rate_score if evaluation is not None else None,
        written_rate=parse_rate(text),
        rate_text=text,
    )


def evaluate(project: Project, framework_id: str | None = None) -> EvaluationSummary:
    """The project's 自评 summary (a project without an evaluation gives its targets with no actuals)."""
    framework_id = framework_id or DEFAULT_FRAMEWORK
    evaluation = project.evaluation
    results = result_rows(project)
    indicators = project.goal.indicators
    entered = {index: result.points for index, result in results.items()}
    points: list[RowPoints] = row_points(indicators, entered, evaluation, framework_id)
    rows: list[RowScore] = []
    by_level1: dict[str, Decimal] = {}
    for index, indicator in enumerate(indicators):
        result = results.get(index)
        share = points[index]
        target = value_text(indicator.value, indicator.unit, indicator.nature)
        if share.points is None:
            computed = Computed(None, note="空行（不适用）")
        else:
            computed = compute_score(target, result.actual if result else "", share.points, indicator.direction)
        if share.points is not None:
            by_level1[share.pool] = by_level1.get(share.pool, ZERO) + share.points
        rows.append(
            RowScore(
                row=index,
                indicator=indicator,
                result=result,
                level1=level1_key(indicator.level1, framework_id),
                pool=share.pool,
                points=share.points,
                points_entered=share.entered,
                computed=computed,
                written=result.score if result is not None else None,
            )
        )
    return EvaluationSummary(
        project=project,
        evaluation=evaluation,
        rows=rows,
        level1_points=level1_points(evaluation, framework_id),
        level1_own=table_points(evaluation, framework_id),
        rate=rate_score(evaluation),
        written_total=evaluation.total if evaluation is not None else None,
        written_grade=evaluation.grade if evaluation is not None else "",
        by_level1=by_level1,
    )
