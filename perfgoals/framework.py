"""The indicator frameworks (指标体系): which 一级/二级 labels exist and how they pair.

The catalogue is data (``perfgoals/data/frameworks.json``), read by the checks, the importer and the
TUI alike.  Variant labels seen in real tables map to the standard names.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_FRAMEWORK = "mof-2015"


@dataclass(frozen=True)
class Level2:
    name: str
    required: bool = False
    quantitative: bool = False  # a 数量 indicator: at least one is expected
    cost: bool = False  # the 成本 indicator that carries the project's ceiling
    satisfaction: bool = False


@dataclass(frozen=True)
class Level1:
    name: str
    required: bool
    level2: tuple[Level2, ...]


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    source: str
    level1: tuple[Level1, ...]
    variants1: dict[str, str] = field(default_factory=dict, compare=False)
    variants2: dict[str, str] = field(default_factory=dict, compare=False)

    def level1_names(self) -> list[str]:
        return [entry.name for entry in self.level1]

    def level2_names(self, level1: str) -> list[str]:
        canonical = self.canonical_level1(level1)
        return [l2.name for l1 in self.level1 if l1.name == canonical for l2 in l1.level2]

    def canonical_level1(self, label: str) -> str:
        """The standard 一级 name for ``label`` (as written), or ``label`` cleaned if unknown."""
        key = _clean(label)
        return self.variants1.get(key, key)

    def canonical_level2(self, label: str) -> str:
        key = _clean(label)
        return self.variants2.get(key, key)

    def parents_of(self, level2: str) -> list[str]:
        """The 一级 names under which the 二级 ``level2`` may stand."""
        canonical = self.canonical_level2(level2)
        return [l1.name for l1 in self.level1 if any(l2.name == canonical for l2 in l1.level2)]

    def find_level2(self, level2: str) -> Level2 | None:
        canonical = self.canonical_level2(level2)
        for l1 in self.level1:
            for l2 in l1.level2:
                if l2.name == canonical:
                    return l2
        return None

    def is_valid_pair(self, level1: str, level2: str) -> bool:
        return self.canonical_level1(level1) in self.parents_of(level2)

    def pairs(self) -> list[tuple[str, str]]:
        return [(l1.name, l2.name) for l1 in self.level1 for l2 in l1.level2]

    def cost_pairs(self) -> list[tuple[str, str]]:
        return [(l1.name, l2.name) for l1 in self.level1 for l2 in l1.level2 if l2.cost]


#: Points a self-evaluation or a weighted table writes after a label: 产出指标(50分), 效益指标（30 分）.
_POINTS = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$|\d+(?:\.\d+)?分$")


def _clean(label: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", label))
    return _POINTS.sub("", text) or text


def _load_catalogue() -> dict[str, Any]:
    text = resources.files("perfgoals").joinpath("data/frameworks.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def frameworks() -> dict[str, Framework]:
    """All frameworks of the catalogue, by id."""
    data = _load_catalogue()
    variants1 = {_clean(k): v for k, v in data["variants"]["level1"].items()}
    variants2 = {_clean(k): v for k, v in data["variants"]["level2"].items()}
    result: dict[str, Framework] = {}
    for entry in data["frameworks"]:
        level1 = tuple(
            Level1(
                name=l1["name"],
                required=l1.get("required", False),
                level2=tuple(Level2(**l2) for l2 in l1["level2"]),
            )
            for l1 in entry["level1"]
        )
        result[entry["id"]] = Framework(
            entry["id"], entry["name"], entry["source"], level1, variants1, variants2
        )
    return result


@cache
def cost_level1_from_year() -> int:
    """The first budget year in which 成本指标 is a 一级 (财预〔2021〕101号), as the catalogue states it."""
    return int(_load_catalogue()["cost_level1_from_year"])


def get_framework(framework_id: str) -> Framework:
    """The framework ``framework_id``; raises ``KeyError`` with the known ids if there is none."""
    catalogue = frameworks()
    try:
        return catalogue[framework_id]
    except KeyError:
        known = "、".join(catalogue)
        raise KeyError(f"未知的指标体系 {framework_id!r}（可选：{known}）") from None
