"""A 自评表 imported for a project the department-year already holds: its 自评 attached to the stored
project, each result matched to a stored row by its 一级/二级/三级 names, the stored targets untouched.

A locked (submitted or approved) table still takes its 自评: only ``evaluation`` changes.
"""

from __future__ import annotations

import unicodedata

from perfgoals.evaluation import level1_key
from perfgoals.models import Indicator, Project


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _keys(indicator: Indicator, framework_id: str | None) -> tuple[tuple[str, str, str], str]:
    return (level1_key(indicator.level1, framework_id), _plain(indicator.level2), _plain(indicator.level3)), _plain(
        indicator.level3
    )


def attach_evaluation(stored: Project, imported: Project, framework_id: str | None = None) -> tuple[Project, list[str]]:
    """``stored`` with ``imported``'s 自评, its rows pointing at ``stored``'s indicators; and what could
    not be matched (in Chinese)."""
    assert imported.evaluation is not None
    full: dict[tuple[str, str, str], int] = {}
    by_name: dict[str, list[int]] = {}
    for position, indicator in enumerate(stored.goal.indicators):
        key, name = _keys(indicator, framework_id)
        full.setdefault(key, position)
        if name:
            by_name.setdefault(name, []).append(position)
    rows = []
    unmatched: list[str] = []
    taken: set[int] = set()
    for result in imported.evaluation.rows:
        if result.row >= len(imported.goal.indicators):
            continue
        indicator = imported.goal.indicators[result.row]
        key, name = _keys(indicator, framework_id)
        index = full.get(key)
        if index is None and name and len(by_name.get(name, [])) == 1:
            index = by_name[name][0]
        if index is None or index in taken:
            unmatched.append(indicator.level3 or indicator.level2 or indicator.level1)
            continue
        taken.add(index)
        rows.append(result.model_copy(update={"row": index, "level3": stored.goal.indicators[index].level3}))
    evaluation = imported.evaluation.model_copy(update={"rows": rows})
    notes = [f"自评表中 {len(unmatched)} 行在已有的绩效目标表中找不到，未导入：{'、'.join(unmatched)}"] if unmatched else []
    return stored.model_copy(update={"evaluation": evaluation}), notes
