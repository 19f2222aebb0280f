"""Breaking a department's money trail, one project at a time, the ways a user can.

Shared by the tests of every channel the data comes in by (``load``, text and Word import, workbook
re-import, rollover, the TUI): each applies the same breaks to the same projects and expects the checks
to name the project and the line.  The breaks are made on the models, then written out in each
channel's own form.

Kinds of break:

* ``raise`` / ``lower``: the cost ceiling moved by a quarter, above or below the project's amount;
* ``slip``: the ceiling's unit written wrong (元 for 万元, or the reverse), the figure unchanged;
* ``move``: the project charged to another line that has project spending;
* ``line``: the 项目支出 of the project's line raised by a quarter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from perfgoals.checks.findings import Finding
from perfgoals.models import Department, Indicator, LinkStatus, Project
from perfgoals.reading.ceiling import Ceiling, cost_ceiling
from perfgoals.reading.rows import read_row

KINDS = ("raise", "lower", "slip", "move", "line")
#: The breaks a goal table alone can carry (a disclosure states no links; its line figures are tables').
CEILING_KINDS = ("raise", "lower", "slip")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CENT = Decimal("0.01")


def ceiling_of(department: Department, project: Project) -> Ceiling | None:
    return cost_ceiling([read_row(indicator, department.framework) for indicator in project.goal.indicators])


def ceiling_row(department: Department, project: Project) -> int:
    """The 0-based index of the row the project's ceiling is read from."""
    ceiling = ceiling_of(department, project)
    assert ceiling is not None and len(ceiling.rows) == 1, project.name
    return ceiling.row - 1


def _scaled(figure: Decimal, factor: Decimal) -> str:
    return str((figure * factor).quantize(_CENT, rounding=ROUND_HALF_UP))


def broken_value(indicator: Indicator, kind: str) -> dict[str, str | None]:
    """The fields of a ceiling row after a ceiling break (``value``, and ``unit`` when it has a column)."""
    value, unit = indicator.value, indicator.unit
    if kind in ("raise", "lower"):
        match = _NUMBER.search(value)
        assert match is not None, value
        figure = Decimal(match.group().replace(",", ""))
        new = _scaled(figure, Decimal("1.25") if kind == "raise" else Decimal("0.75"))
        return {"value": value[: match.start()] + new + value[match.end() :], "unit": unit}
    assert kind == "slip"
    if unit:
        return {"value": value, "unit": "元" if "万" in unit else "万元"}
    if "万元" in value:
        return {"value": value.replace("万元", "元"), "unit": unit}
    return {"value": value.replace("元", "万元"), "unit": unit}


def other_line(department: Department, project: Project) -> str | None:
    """Another 项 line with project spending, for a ``move``; ``None`` when there is none."""
    for line in department.budget_lines:
        if len(line.code) == 7 and line.project and line.code != project.budget_line_code:
            return line.code
    return None


@dataclass(frozen=True)
class Break:
    """One break of one project: what to look for in the findings afterwards."""

    project: str
    kind: str
    line: str | None  # the project's line (the line edited, for ``line``)
    other: str | None = None  # the line a ``move`` goes to

    def found_in(self, findings: list[Finding]) -> bool:
        """Whether an open error names the project and the line as this kind of break must."""
        errors = [f for f in findings if f.severity.value == "error" and not f.accepted]

        def names(finding: Finding, line: str | None) -> bool:
            named = finding.location.project == self.project or f"“{self.project}”" in finding.message
            return named and (line is None or finding.location.budget_line == line or (line in finding.message))

        if self.kind in CEILING_KINDS:
            return any(names(f, self.line) for f in errors)
        if self.kind == "move":
            return any(names(f, self.other) for f in errors) and any(names(f, self.line) for f in errors)
        # A line total edited: the error is the line's (the TUI shows it on each of its projects).
        return any(f.location.budget_line == self.line and f.location.project is None for f in errors)


def apply(department: Department, index: int, kind: str) -> Break | None:
    """Break project ``index`` of ``department`` (in place); ``None`` when the kind does not apply."""
    project = department.projects[index]
    if kind in CEILING_KINDS:
        row = ceiling_row(department, project)
        indicator = project.goal.indicators[row]
        project.goal.indicators[row] = indicator.model_copy(update=broken_value(indicator, kind))
        return Break(project.name, kind, project.budget_line_code)
    if kind == "move":
        target = other_line(department, project)
        if target is None:
            return None
        moved = Break(project.name, kind, project.budget_line_code, target)
        project.budget_line_code, project.line_link = target, LinkStatus.CONFIRMED
        return moved
    line = department.line(project.budget_line_code or "")
    if line is None or line.project is None:
        return None
    line.project = (line.project * Decimal("1.25")).quantize(_CENT)
    return Break(project.name, kind, line.code)


def variants(department: Department, kinds: tuple[str, ...] = KINDS) -> Iterator[tuple[Department, Break]]:
    """Every project × kind break of ``department``, each a copy with its own department code."""
    for index in range(len(department.projects)):
        for kind in kinds:
            copy = department.model_copy(deep=True)
            found = apply(copy, index, kind)
            if found is not None:
                copy.code = f"{department.code}-{index + 1:02d}{kind}"
                yield copy, found


def split_units(department: Department) -> Department:
    """``department`` with each cost row's unit in a 度量单位 column of its own (``≤21.87`` + ``万元``),
    as central and Sichuan tables write it."""
    copy = department.model_copy(deep=True)
    for project in copy.projects:
        row = ceiling_row(copy, project)
        indicator = project.goal.indicators[row]
        match = re.search(r"(万元|元)\s*$", indicator.value.strip())
        if match:
            project.goal.indicators[row] = indicator.model_copy(
                update={"value": indicator.value.strip()[: match.start()].rstrip(), "unit": match.group(1)}
            )
    return copy
