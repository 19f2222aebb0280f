"""A project's 绩效监控 read once: budget execution against time, and each indicator against its target.

Every figure the 监控表 export, the checks (PG6xx), the CLI and the TUI show is derived here, from
:class:`~perfgoals.models.Monitoring` as stored, with the reading layer's functions:

* the year's budget is the project's amount (:func:`perfgoals.reading.amounts.project_amount`, in 万元);
* 1–N月执行数 and 全年预计执行数 are in ``monitoring.unit`` (元 or 万元 …) and read in 万元 with
  :func:`~perfgoals.reading.amounts.to_wan_or_none`; 执行率 is executed ÷ budget;
* 序时进度 (the time elapsed) is the part of the budget year before the end of ``as_of``, by months:
  ``(month − 1 + day ÷ days in the month) ÷ 12``, so 7月31日 is 7/12;
* an indicator's 1–N月执行情况 and 全年预计完成情况 are read like any 指标值 (:func:`perfgoals.values.
  parse_value`, with the row's 度量单位 column) and compared with its 年度指标值: higher-is-better
  (≥), lower-is-better (≤) or qualitative.

An indicator is *off course* (:class:`Signal`) when its full-year expectation misses the target, when a
cumulative quantity indicator's progress is far behind the time elapsed (:data:`PROGRESS_BEHIND_RATIO`),
or when its 完成目标可能性 is 有可能 or 完全不可能.  Spending is *out of step* (:class:`Pace`) when the
execution rate is far below the time elapsed (:data:`SPENDING_BEHIND_RATIO`) or far from the
indicators' progress (:data:`SPENDING_PROGRESS_GAP`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from perfgoals.models import Direction, Indicator, IndicatorProgress, Likelihood, Monitoring, Project
from perfgoals.reading.amounts import ProjectAmount, project_amount, to_wan_or_none
from perfgoals.reading.rows import indicator_value, levels, read_value
from perfgoals.values import Comparator, ParsedValue, ValueKind, parse_value

# --- thresholds (documented in docs/rules.md through the rules that use them) --------------------

#: A cumulative quantity indicator is far behind when its progress (1–N月 ÷ 年度指标值) is below this
#: share of the time elapsed: at 7月31日 (7/12 ≈ 58%), below 29% of the target.
PROGRESS_BEHIND_RATIO = Decimal("0.5")
#: Spending is far below the time elapsed when the execution rate is below this share of it: at
#: 7月31日, below 29% of the year's budget.
SPENDING_BEHIND_RATIO = Decimal("0.5")
#: Spending is out of step with the indicators when the execution rate and their average progress
#: differ by more than this (40 percentage points): 90% of the outputs for 30% of the money, or the
#: other way round.
SPENDING_PROGRESS_GAP = Decimal("0.4")
#: Pace is judged only once this much of the year has passed (three months): in January every
#: figure is "behind".
MIN_ELAPSED = Decimal("0.25")
#: An amount is above the budget when it exceeds it by more than half a cent of its unit (the
#: rounding of a published figure).
HALF_CENT = Decimal("0.005")

ZERO, ONE, TWELVE = Decimal(0), Decimal(1), Decimal(12)

#: Words a 执行情况 is often written with before its figure (``已开展12次``, ``预计全年完成22次``): the
#: figure is read after them; the text itself is kept as typed.
#: At most this many words before the figure are read past when they are not the usual ones (``已编印3期``).
_LEAD = re.compile(r"^[\u4e00-\u9fff]{1,8}(?=[\d≥≤>＞<＜=＝])")
_NARRATIVE = re.compile(r"^(?:预计|全年|可以|可|已经|已|累计|共计|共|完成|开展|举办|实现|发放|约)+(?=[\d≥≤>＞<＜=＝])")


class Sense(StrEnum):
    """How a 年度指标值 is met."""

    HIGHER = "≥"  # higher is better: the expected value must reach the target
    LOWER = "≤"  # lower is better: the expected value must stay within it
    QUALITATIVE = "定性"


class Signal(StrEnum):
    """Why an indicator is off course."""

    EXPECTED_SHORT = "全年预计未达到目标"
    EXPECTED_OVER = "全年预计超出目标上限"
    BEHIND_TIME = "执行进度明显滞后于序时进度"
    DOUBTFUL = "完成目标可能性存疑"


class Pace(StrEnum):
    """How spending is out of step."""

    BEHIND_TIME = "执行率明显低于序时进度"
    BEHIND_PROGRESS = "执行率明显低于指标完成进度"
    AHEAD_OF_PROGRESS = "执行率明显高于指标完成进度"


def elapsed_fraction(as_of: date, year: int) -> Decimal:
    """The share of budget year ``year`` that has passed at the end of ``as_of`` (0 before it, 1 after)."""
    if as_of.year < year:
        return ZERO
    if as_of.year > year:
        return ONE
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    return (Decimal(as_of.month - 1) + Decimal(as_of.day) / Decimal(days)) / TWELVE


def months_label(as_of: date, year: int) -> str:
    """``1-7月``: the months a monitoring as of ``as_of`` covers (``1-12月`` after the year)."""
    if as_of.year > year:
        return "1-12月"
    if as_of.year < year:
        return "1-0月"
    return f"1-{as_of.month}月"


def percent(fraction: Decimal | None) -> str:
    """``58.33%`` (two decimals); ``—`` when unknown."""
    if fraction is None:
        return "—"
    return f"{(fraction * 100).quantize(Decimal('0.01'))}%"


def read_progress(text: str, indicator: Indicator | None) -> ParsedValue:
    """A 1–N月执行情况 or 全年预计完成情况 read as a 指标值: after any narrative words before its figure,
    and with the row's 度量单位 column when the figure has no unit of its own."""
    body = text.strip()
    stripped = _NARRATIVE.sub("", body)
    parsed = parse_value(stripped)
    if not parsed.is_quantitative and (lead := _LEAD.match(body)) is not None:
        tail = parse_value(body[lead.end() :])
        if tail.is_quantitative:  # ``已编印3期``: a few words, then the figure
            stripped, parsed = body[lead.end() :], tail
    if (
        indicator is not None
        and indicator.unit
        and parsed.kind is ValueKind.QUANTITY
        and parsed.unit is None
    ):
        parsed = read_value(stripped, indicator.unit)
    return parsed


def sense_of(target: ParsedValue, indicator: Indicator, *, is_cost: bool) -> Sense:
    """Whether ``target`` is met from above, from below, or is qualitative."""
    if not target.is_quantitative:
        return Sense.QUALITATIVE
    if target.comparator in (Comparator.LE, Comparator.LT):
        return Sense.LOWER
    if target.comparator in (Comparator.GE, Comparator.GT):
        return Sense.HIGHER
    if indicator.direction == Direction.NEGATIVE or is_cost:
        return Sense.LOWER
    return Sense.HIGHER


def _unit_key(unit: str | None) -> str:
    return (unit or "").strip()


def comparable(target: ParsedValue, value: ParsedValue, sense: Sense) -> tuple[Decimal, Decimal] | None:
    """(target, value) as numbers in one unit, or ``None`` when they cannot be compared.

    Money compares in 万元; a figure without a unit is taken in the target's unit; a range target is met
    at its lower bound (≥) or its upper bound (≤)."""
    if sense is Sense.QUALITATIVE or target.number is None or value.number is None:
        return None
    if value.kind not in (ValueKind.QUANTITY, ValueKind.PERCENT, ValueKind.MONEY):
        return None
    bound = target.upper if target.kind is ValueKind.RANGE and sense is Sense.LOWER and target.upper else target.number
    if target.kind is ValueKind.MONEY and value.kind is ValueKind.MONEY:
        if target.amount_wan is None or value.amount_wan is None:
            return None
        scale = target.amount_wan / target.number if target.number else ONE
        return bound * scale, value.amount_wan
    if value.kind is ValueKind.QUANTITY and value.unit is None:
        return bound, value.number  # a bare figure: in the target's unit
    if target.kind is ValueKind.MONEY or value.kind is ValueKind.MONEY:
        return None
    if _unit_key(target.unit) != _unit_key(value.unit):
        return None
    return bound, value.number


@dataclass(frozen=True, slots=True)
class RowProgress:
    """One monitored indicator: where it points, its target, its progress read and judged."""

    entry: IndicatorProgress
    #: The indicator monitored: ``goal.indicators[entry.row]``, or the row that now has the recorded 三级
    #: when that row no longer has it (``moved_to``); ``None`` when neither exists.
    indicator: Indicator | None
    level3_matches: bool  # the row's 三级 is still the one monitored (or none was recorded)
    moved_to: int | None  # the 0-based row that now has the monitored 三级, when the row no longer has it
    target: ParsedValue | None
    sense: Sense
    progress: ParsedValue
    expected: ParsedValue
    cumulative: bool  # a quantity indicator counted up through the year (活动次数, 培训人数 …)
    progress_fraction: Decimal | None  # 1–N月 ÷ 年度指标值, for cumulative indicators
    expected_meets: bool | None  # the full-year expectation meets the target (None: cannot tell)
    signals: tuple[Signal, ...]

    @property
    def row(self) -> int:
        """The 0-based indicator row the entry points at."""
        return self.entry.row

    @property
    def position(self) -> int:
        """The 0-based row of the indicator monitored now: where its 三级 moved to, else the row pointed at."""
        return self.moved_to if self.moved_to is not None else self.entry.row

    @property
    def exists(self) -> bool:
        """The indicator monitored is still in the goal table (at its row or moved)."""
        return self.indicator is not None

    @property
    def off_course(self) -> bool:
        return bool(self.signals)

    @property
    def off_by_figures(self) -> tuple[Signal, ...]:
        """The signals the figures give (the likelihood aside)."""
        return tuple(signal for signal in self.signals if signal is not Signal.DOUBTFUL)

    @property
    def has_cause(self) -> bool:
        return bool(self.entry.causes)

    @property
    def has_reason(self) -> bool:
        return bool(self.entry.reason.strip())

    @property
    def doubtful(self) -> bool:
        return self.entry.likelihood in (Likelihood.POSSIBLE, Likelihood.IMPOSSIBLE)

    def label(self) -> str:
        """``数量指标：活动开展次数`` — how the row is named in messages."""
        if self.indicator is None:
            return f"第 {self.row + 1} 行：{self.entry.level3.strip() or '（未记三级指标）'}"
        group = self.indicator.level2.strip() or self.indicator.level1.strip() or "指标"
        name = self.indicator.level3.strip() or self.indicator.description.strip() or "（未填三级指标）"
        return f"{group}：{name}"


def _row_progress(
    entry: IndicatorProgress, project: Project, framework_id: str | None, elapsed: Decimal
) -> RowProgress:
    indicators = project.goal.indicators
    indicator = indicators[entry.row] if entry.row < len(indicators) else None
    recorded = entry.level3.strip()
    matches = indicator is not None and (not recorded or indicator.level3.strip() == recorded)
    moved_to = None
    if not matches and recorded:
        moved_to = next(
            (index for index, other in enumerate(indicators) if other.level3.strip() == recorded), None
        )
    if moved_to is not None:
        indicator = indicators[moved_to]  # read against the row that has the monitored 三级 now
    progress = read_progress(entry.progress, indicator)
    expected = read_progress(entry.expected, indicator)
    if indicator is None:
        return RowProgress(entry, None, False, moved_to, None, Sense.QUALITATIVE, progress, expected,
                           False, None, None, _doubt(entry))
    read = levels(framework_id, indicator.level1, indicator.level2)
    target = indicator_value(indicator)
    sense = sense_of(target, indicator, is_cost=read.is_cost)
    is_quantity = read.spec.quantitative if read.spec is not None else "数量" in read.l2
    cumulative = (
        is_quantity
        and sense is Sense.HIGHER
        and target.kind in (ValueKind.QUANTITY, ValueKind.RANGE)
        and bool(target.number)
    )
    signals: list[Signal] = []
    expected_meets: bool | None = None
    pair = comparable(target, expected, sense) if entry.expected.strip() else None
    if pair is not None:
        bound, value = pair
        expected_meets = value >= bound if sense is Sense.HIGHER else value <= bound
        if not expected_meets:
            signals.append(Signal.EXPECTED_SHORT if sense is Sense.HIGHER else Signal.EXPECTED_OVER)
    fraction: Decimal | None = None
    if cumulative and entry.progress.strip():
        done = comparable(target, progress, sense)
        if done is not None and done[0] > 0:
            fraction = done[1] / done[0]
            if elapsed >= MIN_ELAPSED and fraction < elapsed * PROGRESS_BEHIND_RATIO:
                signals.append(Signal.BEHIND_TIME)
    signals.extend(_doubt(entry))
    return RowProgress(entry, indicator, matches, moved_to, target, sense, progress, expected, cumulative,
                       fraction, expected_meets, tuple(signals))


def _doubt(entry: IndicatorProgress) -> tuple[Signal, ...]:
    if entry.likelihood in (Likelihood.POSSIBLE, Likelihood.IMPOSSIBLE):
        return (Signal.DOUBTFUL,)
    return ()


@dataclass(frozen=True, slots=True)
class MonitoringReading:
    """A project's monitoring with every derived figure."""

    monitoring: Monitoring
    year: int
    budget: ProjectAmount  # the year's budget: the project's amount
    executed_wan: Decimal | None
    expected_executed_wan: Decimal | None
    elapsed: Decimal  # the share of the budget year passed at ``as_of`` (0–1)
    rows: tuple[RowProgress, ...]

    @property
    def as_of(self) -> date:
        return self.monitoring.as_of

    @property
    def in_year(self) -> bool:
        return self.monitoring.as_of.year == self.year

    @property
    def months(self) -> str:
        """``1-7月``."""
        return months_label(self.monitoring.as_of, self.year)

    @property
    def budget_wan(self) -> Decimal | None:
        return self.budget.wan

    @property
    def rate(self) -> Decimal | None:
        """执行率: 1–N月执行数 ÷ the year's budget (``None`` when either is unknown or the budget is 0)."""
        return _ratio(self.executed_wan, self.budget_wan)

    @property
    def expected_rate(self) -> Decimal | None:
        """全年预计执行率: 全年预计执行数 ÷ the year's budget."""
        return _ratio(self.expected_executed_wan, self.budget_wan)

    @property
    def unit_known(self) -> bool:
        return to_wan_or_none(ONE, self.monitoring.unit) is not None

    def _tolerance(self) -> Decimal:
        return to_wan_or_none(HALF_CENT, self.monitoring.unit) or ZERO

    @property
    def executed_over_budget(self) -> bool:
        executed, budget = self.executed_wan, self.budget_wan
        return executed is not None and budget is not None and executed - budget > self._tolerance()

    @property
    def expected_over_budget(self) -> bool:
        expected, budget = self.expected_executed_wan, self.budget_wan
        return expected is not None and budget is not None and expected - budget > self._tolerance()

    @property
    def progress(self) -> Decimal | None:
        """The indicators' average progress: cumulative indicators' 1–N月 ÷ target, each capped at 1."""
        fractions = [min(row.progress_fraction, ONE) for row in self.rows if row.progress_fraction is not None]
        if not fractions:
            return None
        return sum(fractions, ZERO) / len(fractions)

    @property
    def pace(self) -> tuple[Pace, ...]:
        """How spending is out of step with time and with the indicators (empty: in step, or too early)."""
        rate = self.rate
        if rate is None or self.elapsed < MIN_ELAPSED:
            return ()
        found: list[Pace] = []
        if rate < self.elapsed * SPENDING_BEHIND_RATIO:
            found.append(Pace.BEHIND_TIME)
        progress = self.progress
        if progress is not None:
            if progress - rate > SPENDING_PROGRESS_GAP:
                found.append(Pace.BEHIND_PROGRESS)
            elif rate - progress > SPENDING_PROGRESS_GAP:
                found.append(Pace.AHEAD_OF_PROGRESS)
        return tuple(found)

    @property
    def off_course(self) -> tuple[RowProgress, ...]:
        return tuple(row for row in self.rows if row.off_course)

    def row_for(self, index: int) -> RowProgress | None:
        """The monitoring of indicator row ``index`` (0-based), if it is monitored (an entry whose indicator
        moved is found at the row the indicator is in now)."""
        return next((row for row in self.rows if row.exists and row.position == index), None)


def _ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole <= 0:
        return None
    return part / whole


def read_monitoring(project: Project, year: int, framework_id: str | None = None) -> MonitoringReading | None:
    """``project``'s monitoring read against budget year ``year`` (``None`` when it has none)."""
    monitoring = project.monitoring
    if monitoring is None:
        return None
    elapsed = elapsed_fraction(monitoring.as_of, year)
    return MonitoringReading(
        monitoring=monitoring,
        year=year,
        budget=project_amount(project),
        executed_wan=to_wan_or_none(monitoring.executed, monitoring.unit),
        expected_executed_wan=to_wan_or_none(monitoring.expected_executed, monitoring.unit),
        elapsed=elapsed,
        rows=tuple(
            _row_progress(entry, project, framework_id, elapsed)
            for entry in sorted(monitoring.rows, key=lambda item: item.row)
        ),
    )
