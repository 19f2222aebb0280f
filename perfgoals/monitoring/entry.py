"""What a person enters for a project's monitoring, read and applied: the date, the amounts, and per
indicator row its 执行情况, 全年预计, 偏差原因 and 完成可能性.

The CLI (``perfgoals monitor``) and the TUI read input with these functions, so that both accept and
refuse the same things with the same Chinese messages.  :func:`apply_monitoring` returns a new
:class:`~perfgoals.models.Project` and never saves: a refused input raises
:class:`MonitoringInputError` before anything is changed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from perfgoals.errors import PerfgoalsError
from perfgoals.models import (
    DEFAULT_UNIT,
    DeviationCause,
    IndicatorProgress,
    Likelihood,
    Monitoring,
    Project,
)
from perfgoals.money import AmountError
from perfgoals.reading.money import MONEY_UNITS, Money, money_unit, read_money


class MonitoringInputError(PerfgoalsError):
    """Monitoring input that cannot be taken; the message names it, in Chinese."""


_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str) -> date:
    """``2022-07-31``, ``2022.7.31``, ``2022/07/31``, ``2022年7月31日``, ``20220731``."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _DATE.match(cleaned) or _DATE_COMPACT.match(cleaned)
    if match is None:
        raise MonitoringInputError(f"无法识别的日期：{text.strip()!r}（请写成 2022-07-31）")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise MonitoringInputError(f"日期不存在：{text.strip()!r}") from None


#: Short forms people write for the causes.
_CAUSE_WORDS: dict[str, DeviationCause] = {
    **{cause.value: cause for cause in DeviationCause},
    "经费": DeviationCause.FUNDING,
    "资金": DeviationCause.FUNDING,
    "制度": DeviationCause.SYSTEM,
    "人员": DeviationCause.STAFF,
    "硬件": DeviationCause.HARDWARE,
    "硬件条件": DeviationCause.HARDWARE,
}
CAUSE_CHOICES = "、".join(cause.value for cause in DeviationCause)


def parse_causes(text: str) -> list[DeviationCause]:
    """``经费保障``, or several joined by ``,`` ``，`` ``、`` ``;``; an empty text clears them."""
    found: list[DeviationCause] = []
    for part in re.split(r"[,，、;；\s]+", unicodedata.normalize("NFKC", text).strip()):
        if not part:
            continue
        cause = _CAUSE_WORDS.get(part)
        if cause is None:
            raise MonitoringInputError(f"没有这个偏差原因类别：{part!r}（可用：{CAUSE_CHOICES}）")
        if cause not in found:
            found.append(cause)
    return found


_LIKELIHOOD_WORDS: dict[str, Likelihood] = {
    **{likelihood.value: likelihood for likelihood in Likelihood},
    "能": Likelihood.CERTAIN,
    "确定": Likelihood.CERTAIN,
    "可能": Likelihood.POSSIBLE,
    "不可能": Likelihood.IMPOSSIBLE,
}
LIKELIHOOD_CHOICES = "、".join(likelihood.value for likelihood in Likelihood)


def parse_likelihood(text: str) -> Likelihood | None:
    """``确定能``, ``有可能``, ``完全不可能`` (or 能/可能/不可能); an empty text clears it."""
    cleaned = "".join(unicodedata.normalize("NFKC", text).split())
    if not cleaned:
        return None
    found = _LIKELIHOOD_WORDS.get(cleaned)
    if found is None:
        raise MonitoringInputError(f"没有这个完成目标可能性：{text.strip()!r}（可用：{LIKELIHOOD_CHOICES}）")
    return found


def read_amount(text: str, *, default_unit: str, what: str) -> Money:
    """An amount typed for ``what`` (``12.5万``, ``125000元``; a bare figure is in ``default_unit``)."""
    unit = money_unit(default_unit) or DEFAULT_UNIT
    try:
        return read_money(text, default_unit=unit)
    except AmountError as exc:
        raise MonitoringInputError(f"{what}：{exc}") from None


@dataclass
class RowChange:
    """What to change in the monitoring of one indicator row; ``None`` leaves a field as it is.

    ``row`` counts from 1, as the table is shown to people.  Texts are stored as typed.
    """

    row: int
    progress: str | None = None
    expected: str | None = None
    causes: list[DeviationCause] | None = None
    reason: str | None = None
    likelihood: Likelihood | None = None
    likelihood_given: bool = False
    remark: str | None = None


def _convert(amount: Decimal | None, unit: str, target: str) -> Decimal | None:
    if amount is None or unit == target:
        return amount
    if unit not in MONEY_UNITS:
        raise MonitoringInputError(f"已填的金额单位“{unit}”无法换算为{target}，请一并重新填写 1-N月执行数和全年预计执行数")
    return Money(amount, unit).in_unit(target)


def _blank(entry: IndicatorProgress) -> bool:
    return not (
        entry.progress.strip() or entry.expected.strip() or entry.causes or entry.reason.strip()
        or entry.likelihood is not None or entry.remark.strip()
    )


def apply_monitoring(
    project: Project,
    *,
    as_of: date | None = None,
    executed: Money | None = None,
    expected_executed: Money | None = None,
    achieved: str | None = None,
    rows: list[RowChange] | tuple[RowChange, ...] = (),
) -> Project:
    """``project`` with its monitoring changed as given (a copy; ``project`` is left alone).

    The amounts keep one unit: that of ``executed`` when given, else the monitoring's; the other
    amount is converted to it exactly.  A row entry left with nothing in it is dropped.
    """
    current = project.monitoring
    if current is None and as_of is None:
        raise MonitoringInputError("首次填写绩效监控须给出截止日期（如 --as-of 2022-07-31）")
    indicators = project.goal.indicators
    for change in rows:
        if not 1 <= change.row <= len(indicators):
            count = f"共 {len(indicators)} 行指标" if indicators else "没有指标行"
            raise MonitoringInputError(f"没有第 {change.row} 行指标：项目“{project.name}”的绩效目标表{count}")
    old_unit = current.unit if current is not None else (money_unit(project.amount_unit) or DEFAULT_UNIT)
    unit = executed.unit if executed is not None else old_unit
    executed_amount = executed.amount if executed is not None else _convert(
        current.executed if current else None, old_unit, unit
    )
    expected_amount = expected_executed.in_unit(unit) if expected_executed is not None else _convert(
        current.expected_executed if current else None, old_unit, unit
    )
    entries = {entry.row: entry.model_copy(deep=True) for entry in (current.rows if current else [])}
    for change in rows:
        index = change.row - 1
        entry = entries.get(index) or IndicatorProgress(row=index)
        entry.level3 = indicators[index].level3
        if change.progress is not None:
            entry.progress = change.progress
        if change.expected is not None:
            entry.expected = change.expected
        if change.causes is not None:
            entry.causes = list(change.causes)
        if change.reason is not None:
            entry.reason = change.reason
        if change.likelihood_given:
            entry.likelihood = change.likelihood
        if change.remark is not None:
            entry.remark = change.remark
        entries[index] = entry
    monitoring = Monitoring(
        as_of=as_of if as_of is not None else current.as_of,  # type: ignore[union-attr]
        executed=executed_amount,
        expected_executed=expected_amount,
        unit=unit,
        achieved=achieved if achieved is not None else (current.achieved if current else ""),
        rows=[entries[index] for index in sorted(entries) if not _blank(entries[index])],
    )
    return project.model_copy(update={"monitoring": monitoring})
