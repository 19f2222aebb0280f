"""The 88号 申报表 (Hubei, Guangdong): two indicator groups side by side, 二级 · 三级 · 指标值 for the 实施期
(中期/长期), then again for the 年度, both on the same row.

The group a header names (实施期, 中期, 长期 / 年度, 本年, 当年) is the group it is; unnamed, the first is the
实施期 one, as the template has it.  The 实施期 group's 二级 and 三级 are kept beside the 年度 ones
(``mid_term_level2`` / ``mid_term_level3``) where they differ.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from perfgoals.models import Indicator

if TYPE_CHECKING:
    from perfgoals.importers.interpret.goals.columns import ColumnLayout

#: Fields a group repeats; the 实施期 group's go to these.
MID_TERM_FIELDS = {"level2": "mid_term_level2", "level3": "mid_term_level3", "value": "mid_term_value"}
_MID = re.compile(r"实施期|中期|长期")
_ANNUAL = re.compile(r"年度|本年|当年")


def pair(layout: ColumnLayout) -> None:
    """Find two runs of 二级 · 三级 · 指标值 and give the 实施期 run its ``mid_term_*`` fields."""
    firsts = [i for i, group in enumerate(layout.groups) if group.field == "level3"]
    values = [i for i, group in enumerate(layout.groups) if group.field == "value"]
    if len(firsts) < 2 or len(values) < 2:
        return
    # The runs: from each 二级 (or 三级) to just before the next run.
    starts = []
    for index in firsts[:2]:
        start = index - 1 if index and layout.groups[index - 1].field == "level2" else index
        starts.append(start)
    runs = [range(starts[0], starts[1]), range(starts[1], _run_end(layout, starts[1]))]
    named = [_named(layout, run) for run in runs]
    mid = 1 if named == ["annual", "mid"] or (named[1] == "mid" and named[0] != "mid") else 0
    if named[0] == "annual" and named[1] is None:
        mid = 1
    for index in runs[mid]:
        group = layout.groups[index]
        if group.field in MID_TERM_FIELDS:
            group.field = MID_TERM_FIELDS[group.field]
    layout.two_groups = True
    layout.mid_term_first = mid == 0


def _run_end(layout: ColumnLayout, start: int) -> int:
    """The end of the run starting at ``start``: after its 指标值 and what follows it up to a new 二级."""
    seen_value = False
    for index in range(start, len(layout.groups)):
        field = layout.groups[index].field
        if field == "value":
            seen_value = True
        elif seen_value and field in ("level2", "level3", "level1"):
            return index
    return len(layout.groups)


def _named(layout: ColumnLayout, run: range) -> str | None:
    text = "".join(layout.groups[index].header for index in run)
    if _MID.search(text):
        return "mid"
    if _ANNUAL.search(text):
        return "annual"
    return None


def settle(indicator: Indicator) -> None:
    """Keep the 实施期 二级/三级 only where they differ from the 年度 ones (``None``: the same)."""
    if indicator.mid_term_level2 is not None and indicator.mid_term_level2 == indicator.level2:
        indicator.mid_term_level2 = None
    if indicator.mid_term_level3 is not None and indicator.mid_term_level3 == indicator.level3:
        indicator.mid_term_level3 = None
