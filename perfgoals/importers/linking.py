"""Proposing each project's budget line (功能分类科目) and fund source from the arithmetic.

A disclosure never says which 项 line a project is charged to.  The tables do say how much project
spending each line has (项目支出) and how much of it is carried over (上年结转).  This module finds
every assignment of projects to (line, fund source) under which each line's projects add up to its
项目支出, and its carried-over projects to its 上年结转, within publication rounding; where several
assignments fit, the one whose project names and goal texts best match the line names is taken.

The result is always a *suggestion*: the disclosure states no link, so no link the importer proposes
is stored as confirmed (``LinkStatus.SUGGESTED``) — a person confirms it in the TUI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from perfgoals.models import Department, FundSource, LinkStatus, Project
from perfgoals.money import ROUNDING_STEP, AmountError, to_wan

#: Amounts are compared as integers of 0.000001 万元 (one fen), which is exact for every published figure.
_SCALE = Decimal(1000000)
_STEP = int(ROUNDING_STEP * _SCALE)
#: Search effort limits: distinct states, ways to fill one line, and moves tried.  A department of
#: 20 projects needs a few hundred of each; beyond the limits the links are left to a person.
MAX_STATES = 200_000
MAX_WAYS = 50_000
MAX_WORK = 3_000_000
#: Above this many projects listing the ways to fill a line gets too slow to run on every import.
MAX_PROJECTS = 30

#: Words a function line's name implies (standard 功能分类 names are national, so this is general).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "运行": ("运转", "运行", "工作经费", "日常", "办公", "正常"),
    "事务": ("工作经费", "业务", "日常"),
    "科普": ("科普", "科学普及", "科学素质", "科学素养", "科学知识", "宣传"),
    "活动": ("活动", "开展"),
    "科技馆": ("科技馆", "展馆", "展品", "展览", "开馆", "开放", "参观"),
    "培训": ("培训", "进修", "教育", "学习"),
    "交流": ("交流", "合作", "学术"),
    "信息化": ("信息化", "信息系统", "网络", "软件"),
    "公积金": ("住房公积金",),
}


@dataclass(slots=True)
class LineSlot:
    code: str
    name: str
    target: int  # 项目支出, scaled
    carry: int | None  # 上年结转, scaled; None when the tables don't split the line
    fiscal_only: bool = True  # this year's income is all 财政拨款, so current-year projects are funded by it


@dataclass(slots=True)
class ProjectLink:
    project: str
    line: str | None = None
    fund: FundSource | None = None
    alternatives: int = 1  # distinct (line, fund) placements this project has across all solutions
    reason: str = ""


@dataclass(slots=True)
class LinkReport:
    links: list[ProjectLink] = field(default_factory=list)
    solutions: int = 0
    complete: bool = False  # every project placed and every line's 项目支出 accounted for
    truncated: bool = False
    unplaced_lines: list[str] = field(default_factory=list)

    @property
    def unlinked(self) -> list[ProjectLink]:
        return [link for link in self.links if link.line is None]

    @property
    def ambiguous(self) -> list[ProjectLink]:
        return [link for link in self.links if link.line is not None and link.alternatives > 1]


def _scaled(amount: Decimal | None, unit: str) -> int | None:
    if amount is None:
        return None
    try:
        return int((to_wan(amount, unit) * _SCALE).to_integral_value())
    except AmountError:
        return None


def project_lines(department: Department) -> list[LineSlot]:
    """The lines projects can be charged to: those with 项目支出 and no sub-line that has any."""
    with_project = [line for line in department.budget_lines if line.project]
    slots: list[LineSlot] = []
    for line in with_project:
        if any(other.code != line.code and other.code.startswith(line.code) for other in with_project):
            continue
        target = _scaled(line.project, line.unit)
        if target is None or target <= 0:
            continue
        income_known = line.income_total is not None or line.income_current is not None or line.carryover is not None
        carry = _scaled(line.carryover, line.unit) if line.carryover is not None else (0 if income_known else None)
        if carry is not None and carry > target + _STEP:
            carry = None  # the carry-over also funds running costs: it does not split the projects
        fiscal_only = all(
            re.search("财政|拨款|一般公共预算", source) or not amount for source, amount in line.income_sources.items()
        )
        slots.append(LineSlot(line.code, line.name, target, carry, fiscal_only))
    return slots


def similarity(project: Project, line_name: str) -> int:
    """How well a project's name and goal text match a line's name: shared bigrams and implied words."""
    name = re.sub(r"\s+", "", project.name)
    others = re.sub(
        r"\s+",
        "",
        project.goal.goal_text + "".join(i.level3 + i.description for i in project.goal.indicators),
    )
    terms = {line_name[i : i + 2] for i in range(len(line_name) - 1)}
    for key, words in SYNONYMS.items():
        if key in line_name:
            terms.update(words)
    terms.discard("支出")
    return sum(2 * (term in name) + (term in others) for term in terms)


Option = tuple[int, int]  # (projects on the line, of which carried over), as bitmasks over projects
Placement = tuple[int, FundSource | None]  # (line index, fund source)


def _bits(mask: int) -> list[int]:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


def _subsets_near(amounts: list[int], items: list[int], target: int, extra: int) -> list[int]:
    """Subsets (bitmasks) of ``items`` whose sum is within rounding of ``target``.

    The tolerance is ``_STEP × (size + extra)``.  Meet in the middle: the sums of each half are listed,
    and for each sum of one half the matching window of the other half is found by bisection.
    """
    import bisect

    if target < 0:
        return []
    half = len(items) // 2
    left, right = items[:half], items[half:]

    def sums(part: list[int]) -> list[tuple[int, int, int]]:
        result = [(0, 0, 0)]
        for item in part:
            result += [(total + amounts[item], mask | 1 << item, size + 1) for total, mask, size in result]
        return result

    right_sums = sorted(sums(right))
    keys = [total for total, _, _ in right_sums]
    widest = _STEP * (len(items) + extra)
    found: list[int] = []
    for total, mask, size in sums(left):
        low = bisect.bisect_left(keys, target - widest - total)
        high = bisect.bisect_right(keys, target + widest - total)
        for other_total, other_mask, other_size in right_sums[low:high]:
            if abs(total + other_total - target) <= _STEP * (size + other_size + extra):
                found.append(mask | other_mask)
    return found


class _Solver:
    """Assign projects to lines by dynamic programming over (line, projects still free).

    ``partial``: lines may stay empty and projects unassigned; the most projects linked wins.
    Among equally good assignments the one with the highest name similarity is chosen.
    """

    def __init__(self, amounts: list[int], slots: list[LineSlot], scores: list[list[int]], *, partial: bool) -> None:
        self.amounts = amounts
        self.partial = partial
        self.scores = scores
        self.slots = slots
        self.truncated = False
        self.work = 0
        # Smaller lines first (fewer ways to fill them); the largest comes last, and in a complete
        # assignment it takes exactly the projects left, so its ways are never listed.
        self.order = sorted(range(len(slots)), key=lambda index: slots[index].target)
        everyone = list(range(len(amounts)))
        # The carried-over part of each line, listed once over all projects.
        self.carries: dict[int, list[int]] = {
            index: [c for c in _subsets_near(amounts, everyone, slot.carry, 1) if c] if slot.carry else []
            for index, slot in enumerate(slots)
        }
        if sum(len(found) for found in self.carries.values()) > MAX_WAYS:
            self.truncated = True
        listed = self.order if partial else self.order[:-1]
        self.options: list[list[Option]] = [self._ways(index, everyone) for index in listed]
        self.memo: dict[tuple[int, int], tuple[tuple[int, int] | None, int]] = {}
        self.last_ways: dict[int, list[Option]] = {}

    def _split(self, index: int, mask: int) -> list[Option]:
        """``mask`` on line ``index`` with each way its carry-over can be made up."""
        if not self.slots[index].carry:
            return [(mask, 0)]
        return [(mask, carry) for carry in self.carries[index] if carry & mask == carry]

    def _ways(self, index: int, items: list[int]) -> list[Option]:
        """The ways to fill line ``index`` from ``items``: (projects, of which carried over)."""
        if self.truncated:
            return []
        found: list[Option] = []
        for mask in _subsets_near(self.amounts, items, self.slots[index].target, 1):
            if mask:
                found += self._split(index, mask)
            if len(found) > MAX_WAYS:
                self.truncated = True
                return []
        return found

    def ways(self, position: int, free: int) -> list[Option]:
        if position < len(self.options):
            return self.options[position]
        cached = self.last_ways.get(free)
        if cached is None:
            index = self.order[position]
            members = _bits(free)
            total = sum(self.amounts[p] for p in members)
            fits = bool(members) and abs(total - self.slots[index].target) <= _STEP * (len(members) + 1)
            cached = self._split(index, free) if fits else []
            self.last_ways[free] = cached
        return cached

    def value(self, position: int, free: int) -> tuple[tuple[int, int] | None, int]:
        """Best (projects linked, similarity) from here on, and how many best assignments there are."""
        key = (position, free)
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        if len(self.memo) > MAX_STATES:
            self.truncated = True
            return None, 0
        if position == len(self.order):
            result: tuple[tuple[int, int] | None, int] = ((0, 0), 1) if (free == 0 or self.partial) else (None, 0)
            self.memo[key] = result
            return result
        best: tuple[int, int] | None = None
        reached: list[tuple[int, int]] = []  # (projects linked, number of assignments) per feasible move
        for linked, score, rest in self._moves(position, free):
            sub, sub_count = self.value(position + 1, rest)
            if sub is None:
                continue
            candidate = (sub[0] + linked, sub[1] + score) if self.partial else (0, sub[1] + score)
            if best is None or candidate > best:
                best = candidate
            reached.append((candidate[0], sub_count))
        # Count the assignments that link as many projects as the best one (all of them when complete).
        count = sum(n for linked, n in reached if best is not None and linked == best[0])
        self.memo[key] = (best, count)
        return best, count

    def _moves(self, position: int, free: int) -> list[tuple[int, int, int]]:
        """(projects linked, similarity, projects left free) for each way to fill this line."""
        line = self.order[position]
        ways = self.ways(position, free)
        self.work += len(ways)
        if self.work > MAX_WORK:
            self.truncated = True
            return []
        moves = [
            (mask.bit_count(), sum(self.scores[p][line] for p in _bits(mask)), free & ~mask)
            for mask, _carry in ways
            if mask & free == mask
        ]
        if self.partial:
            moves.append((0, 0, free))
        return moves

    def best_assignment(self) -> list[Placement | None]:
        """One best assignment: each project's (line index, fund), or None."""
        free = (1 << len(self.amounts)) - 1
        result: list[Placement | None] = [None] * len(self.amounts)
        target, _ = self.value(0, free)
        if target is None:
            return result
        for position, line in enumerate(self.order):
            for mask, carry in self.ways(position, free) + ([(0, 0)] if self.partial else []):
                if mask & free != mask:
                    continue
                sub, _ = self.value(position + 1, free & ~mask)
                if sub is None:
                    continue
                gained = (mask.bit_count(), sum(self.scores[p][line] for p in _bits(mask)))
                total = (sub[0] + gained[0], sub[1] + gained[1]) if self.partial else (0, sub[1] + gained[1])
                if total == target:
                    for p in _bits(mask):
                        result[p] = (line, self._fund(line, carry, p))
                    free &= ~mask
                    target = sub
                    break
        return result

    def _fund(self, line: int, carry: int, project: int) -> FundSource | None:
        slot = self.slots[line]
        if slot.carry is None:
            return None
        if carry >> project & 1:
            return FundSource.CARRYOVER
        return FundSource.CURRENT if slot.fiscal_only else None  # 事业收入 etc. may fund it too

    def placements(self) -> list[set[Placement]]:
        """Every (line, fund) each project takes in some best assignment."""
        found: list[set[Placement]] = [set() for _ in self.amounts]
        free = (1 << len(self.amounts)) - 1
        best, _ = self.value(0, free)
        if best is None:
            return found
        seen: set[tuple[int, int]] = set()
        stack = [(0, free, best)]
        while stack:
            position, free, wanted = stack.pop()
            if (position, free) in seen or position == len(self.order):
                continue
            seen.add((position, free))
            line = self.order[position]
            for mask, carry in self.ways(position, free) + ([(0, 0)] if self.partial else []):
                if mask & free != mask:
                    continue
                sub, _ = self.value(position + 1, free & ~mask)
                if sub is None or (self.partial and sub[0] + mask.bit_count() != wanted[0]):
                    continue
                for p in _bits(mask):
                    found[p].add((line, self._fund(line, carry, p)))
                stack.append((position + 1, free & ~mask, sub))
        return found


def link_projects(department: Department) -> LinkReport:
    """Set every project's ``budget_line_code``/``fund_source`` where the arithmetic allows; suggested only."""
    report = LinkReport()
    slots = project_lines(department)
    candidates: list[tuple[Project, int]] = []
    for project in department.projects:
        if project.budget_line_code:  # stated by the source (e.g. a workbook): keep it
            report.links.append(ProjectLink(project.name, project.budget_line_code, project.fund_source, 1, "已给出"))
            continue
        amount = _scaled(project.budget_amount, project.amount_unit)
        if amount is None or amount <= 0:
            report.links.append(ProjectLink(project.name, reason="没有项目金额，无法对应科目"))
            continue
        candidates.append((project, amount))
    order = {project.name: n for n, project in enumerate(department.projects)}
    if not slots or not candidates or len(candidates) > MAX_PROJECTS:
        reason = "没有列出项目支出的功能科目" if not slots else f"项目超过 {MAX_PROJECTS} 个，不自动对应"
        report.links += [ProjectLink(project.name, reason=reason) for project, _ in candidates]
        report.links.sort(key=lambda link: order.get(link.project, 0))
        return report
    amounts = [amount for _, amount in candidates]
    scores = [[similarity(project, slot.name) for slot in slots] for project, _ in candidates]
    solver = _Solver(amounts, slots, scores, partial=False)
    best, count = solver.value(0, (1 << len(amounts)) - 1)
    report.complete = best is not None and not solver.truncated
    if best is None and not solver.truncated:
        solver = _Solver(amounts, slots, scores, partial=True)
        best, count = solver.value(0, (1 << len(amounts)) - 1)
    report.truncated = solver.truncated
    report.solutions = count
    assignment = solver.best_assignment() if best is not None and not solver.truncated else [None] * len(amounts)
    placements = solver.placements() if best is not None and not solver.truncated else [set() for _ in amounts]
    used: set[int] = set()
    for p, (project, _) in enumerate(candidates):
        choice = assignment[p]
        if choice is None:
            reason = "组合过多，未能求解" if solver.truncated else "金额与任何功能科目的项目支出都对不上"
            report.links.append(ProjectLink(project.name, reason=reason))
            continue
        index, fund = choice
        used.add(index)
        project.budget_line_code = slots[index].code
        project.line_link = LinkStatus.SUGGESTED
        project.fund_source = fund
        alternatives = len(placements[p])
        reason = "唯一符合金额的科目" if alternatives == 1 else f"{alternatives} 种可能，按名称相近选择"
        report.links.append(ProjectLink(project.name, slots[index].code, fund, alternatives, reason))
    report.unplaced_lines = [slot.code for i, slot in enumerate(slots) if i not in used]
    report.links.sort(key=lambda link: order.get(link.project, 0))
    return report
