"""Proposing each project's budget line (功能分类科目) and fund source from the arithmetic.

A disclosure never says which 项 line a project is charged to.  The tables do say how much project
spending each line has (项目支出) and how much of it is carried over (上年结转).  This module finds
every assignment of projects to (line, fund source) under which each line's projects add up to its
项目支出, and its carried-over projects to its 上年结转, within publication rounding; where several
assignments fit, the one whose project names and goal texts best match the line names is taken.

Up to ``EXACT_PROJECTS`` projects every assignment is enumerated (dynamic programming over the projects
still free), so the number of assignments and each project's alternatives are exact.  Larger
departments (50–150 projects are common) have far too many assignments to list — with so many
projects, different sets of them add up to the same total — so one assignment is searched for line by
line (``_LargeSolver``): the most constrained parts first (carried-over parts, then the smaller
lines), each filled from the projects still free by a subset-sum search over bit sets of reachable
sums, best-named projects first, projects of equal amount as interchangeable counts.  It is then
improved by re-dividing pairs of lines and exchanging projects where the names fit better, and the
exchanges that keep every total show which projects could sit elsewhere: there ``alternatives`` and
``solutions`` are lower bounds and ``LinkReport.truncated`` is set.  The effort is bounded
(``MAX_STEPS``); what cannot be placed is reported, never raised: the lines that could not be met
(``unplaced_lines``) and the projects left over, or — when the search runs out — only the projects
whose amount fits a single line are linked.

The result is always a *suggestion*: the disclosure states no link, so no link the importer proposes
is stored as confirmed (``LinkStatus.SUGGESTED``) — a person confirms it in the TUI.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, combinations, islice
from math import factorial, prod

from perfgoals.models import Department, FundSource, LinkStatus, Project
from perfgoals.reading.amounts import to_wan_or_none
from perfgoals.reading.rounding import ROUNDING_STEP

#: Amounts are compared as integers of 0.000001 万元 (one fen), which is exact for every published figure.
_SCALE = Decimal(1000000)
_STEP = int(ROUNDING_STEP * _SCALE)
#: Effort limits of the exact enumeration: distinct states, ways to fill one line, and moves tried.  A
#: department of 20 projects needs a few hundred of each; beyond them the large-department search takes over.
MAX_STATES = 200_000
MAX_WAYS = 50_000
MAX_WORK = 3_000_000

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
    alternatives: int = 1  # distinct (line, fund) placements across all solutions (found, when truncated)
    reason: str = ""


@dataclass(slots=True)
class LinkReport:
    links: list[ProjectLink] = field(default_factory=list)
    solutions: int = 0
    complete: bool = False  # every project placed and every line's 项目支出 accounted for
    truncated: bool = False  # not every assignment was listed: ``solutions`` and alternatives are lower bounds
    unplaced_lines: list[str] = field(default_factory=list)
    #: Whether the amounts were matched against the lines at all (there were lines and projects to match).
    attempted: bool = False

    @property
    def unlinked(self) -> list[ProjectLink]:
        return [link for link in self.links if link.line is None]

    @property
    def ambiguous(self) -> list[ProjectLink]:
        return [link for link in self.links if link.line is not None and link.alternatives > 1]


def _scaled(amount: Decimal | None, unit: str) -> int | None:
    wan = to_wan_or_none(amount, unit)
    return None if wan is None else int((wan * _SCALE).to_integral_value())


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


def _less_given(slots: list[LineSlot], projects: list[Project]) -> list[LineSlot]:
    """The lines with what the projects already linked to them (by the source) account for taken off."""
    by_code = {slot.code: slot for slot in slots}
    for project in projects:
        slot = by_code.get(project.budget_line_code or "")
        amount = _scaled(project.budget_amount, project.amount_unit)
        if slot is None or amount is None:
            continue
        slot = by_code[slot.code] = LineSlot(slot.code, slot.name, slot.target - amount, slot.carry, slot.fiscal_only)
        if slot.carry is not None and project.fund_source is FundSource.CARRYOVER:
            slot.carry = max(slot.carry - amount, 0)
    # A line whose projects are all given is accounted for: nothing is left to link to it.
    return [by_code[slot.code] for slot in slots if by_code[slot.code].target > _STEP]


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


def carried_over_by_name(project: Project, year: int) -> bool:
    """Whether the name says the money is from an earlier year (结转, or e.g. 2021年 in a 2022 budget)."""
    if re.search("结转|上年|以前年度", project.name):
        return True
    return any(int(found) < year for found in re.findall(r"(20\d\d)年", project.name))


Exchange = tuple[tuple[int, ...], int, tuple[int, ...], int]  # (projects of part a, a, projects of part b, b)
Option = tuple[int, int]  # (projects on the line, of which carried over), as bitmasks over projects
Placement = tuple[int, FundSource | None]  # (line index, fund source)


def _bits(mask: int) -> list[int]:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


def _subsets_near(amounts: list[int], items: list[int], target: int, extra: int) -> list[int]:
    """Subsets (bitmasks) of ``items`` whose sum is within rounding of ``target``.

    The tolerance is ``_STEP × (size + extra)``.  Meet in the middle: the sums of each half are listed,
    and for each sum of one half the matching window of the other half is found by bisection.
    """
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


# ---------------------------------------------------------------------------------------------------
# Large departments: find one assignment by per-line subset sums, then improve and probe it by exchanges.
# ---------------------------------------------------------------------------------------------------

#: Projects up to which every assignment is enumerated exactly (a few hundredths of a second), unless
#: equal amounts multiply the assignments beyond ``EXACT_PERMUTATIONS`` (ten equal amounts: 0.1 s).
EXACT_PROJECTS = 24
EXACT_PERMUTATIONS = 4_000_000
#: Search effort for a large department: nodes of the per-line subset search, over all attempts (a
#: department of 120 projects over 15 lines needs a few thousand; each costs some 10 µs).
MAX_STEPS = 40_000
#: Beyond this many projects nothing is linked (the search recurses once per distinct amount).
MAX_PROJECTS = 600
#: Effort for finding, when no assignment was found, the lines only one set of projects can fill.
UNIQUE_STEPS = 10_000
#: Sums are tracked in units of 0.01 万元 (one published cent) in bit sets of at most this many bits.
_MAX_BITS = 2_000_000
_CENT = 10_000  # 0.01 万元, scaled
#: Exchanges of up to this many projects each way are tried between two lines (improvement, alternatives).
_EXCHANGE_SIZE = 2
_IMPROVE_PASSES = 4


class _OutOfSteps(Exception):
    """The search budget is spent."""


@dataclass(slots=True)
class _Bin:
    """Where a project on a line goes: the whole line, or its carried-over part, or the rest of it."""

    slot: int
    kind: str  # "whole" | "carry" | "current"


class _LargeSolver:
    """One assignment of many projects to lines, found line by line with subset-sum bit sets.

    Each part (a line's carried-over part, then the rest of the line) is filled from the projects still
    free by enumerating the subsets whose sum lands on its target: a bit set of reachable sums (in
    0.01 万元) per prefix of the candidates means the enumeration never walks into a dead end, the
    best-named projects are taken first, and projects of equal amount and equal name fit are taken as
    a count, so their permutations are never listed.  Sums within half a cent come before the looser
    ones the rounding allows.  The smallest targets (most constrained) come first; in a complete
    assignment the largest part takes what is left.  Once the search has had to back up, every step
    also checks that each part still to fill has some subset of the free projects near its target.
    The assignment found is improved by re-dividing two lines' projects where the names fit better
    (``regroup``), and the exchanges of up to two projects that keep every total show which projects
    could sit elsewhere (``exchanges``: a lower bound, not every assignment is listed).
    """

    def __init__(
        self, amounts: list[int], slots: list[LineSlot], scores: list[list[int]], carry_hints: list[bool]
    ) -> None:
        self.amounts = amounts
        self.slots = slots
        self.scores = scores
        self.steps = 0
        #: The effort allowed: ``MAX_STEPS`` up to 100 projects, in proportion beyond (a fill visits every amount).
        self.effort = MAX_STEPS * max(len(amounts), 100) // 100
        self.budget = self.effort
        self.out_of_steps = False
        #: The most parts a complete search filled on one way down: (line, part, projects) each.
        self.deepest: list[tuple[int, int, list[int]]] = []
        self.carry_hint = carry_hints
        self.bins: list[_Bin] = []
        #: Per line, the part its projects go to and the part its carried-over projects go to.
        self.parts: list[tuple[int, int]] = []
        for index, slot in enumerate(slots):
            if slot.carry:
                self.bins += [_Bin(index, "current"), _Bin(index, "carry")]
                self.parts.append((len(self.bins) - 2, len(self.bins) - 1))
            else:
                self.bins.append(_Bin(index, "whole"))
                self.parts.append((len(self.bins) - 1, len(self.bins) - 1))
        biggest = max([slot.target for slot in slots] + amounts)
        self.unit = _CENT * max(1, -(-biggest // (_CENT * _MAX_BITS)))
        self.units = [(amount + self.unit // 2) // self.unit for amount in amounts]
        inexact = sum(1 for amount in amounts if amount % self.unit)
        # Rounding each amount to the unit moves a sum by up to half a unit per inexact amount.
        self.window = 1 + min(inexact, 8) // 2
        slack = _STEP * (len(amounts) + 1)
        self.fits = [[j for j, slot in enumerate(slots) if amount <= slot.target + slack] for amount in amounts]

    # -- exact line checks ------------------------------------------------------------------------

    def line_ok(self, slot_index: int, members: list[int], carried: list[int]) -> bool:
        slot = self.slots[slot_index]
        if not members:
            return False
        if abs(sum(self.amounts[p] for p in members) - slot.target) > _STEP * (len(members) + 1):
            return False
        if slot.carry:
            return bool(carried) and abs(sum(self.amounts[p] for p in carried) - slot.carry) <= _STEP * (len(carried) + 1)
        return True

    # -- filling one part -------------------------------------------------------------------------

    def _fills(self, target: int, free: int, line: int, *, carry: bool, extra: int) -> Iterator[list[int]]:
        """Every non-empty subset of ``free`` within rounding (``extra`` more items) of ``target``, best-liked first.

        Projects of equal amount whose names fit this line equally well are interchangeable: they are
        taken as a count, so their permutations are never listed.  ``carry``: the subset is a line's
        carried-over part.
        """
        if target <= 0:
            return
        goal = (target + self.unit // 2) // self.unit
        limit = goal + self.window

        def liking(p: int) -> int:
            return self.scores[p][line] + (2 * self.carry_hint[p] if carry else 0)

        groups: dict[tuple[int, int], list[int]] = {}
        for p in _bits(free):
            if self.units[p] <= limit:
                groups.setdefault((self.amounts[p], liking(p)), []).append(p)
        # Decided first (and taken first): projects that fit no other line, then the best-named, then the largest.
        order = sorted(
            groups.values(),
            key=lambda members: (not carry and len(self.fits[members[0]]) == 1, liking(members[0]),
                                 self.amounts[members[0]]),
        )
        mask = (1 << (limit + 1)) - 1
        reach = [1]
        for members in order:
            step = self.units[members[0]]
            current = reach[-1]
            grown = current
            for count in range(1, len(members) + 1):
                grown |= current << (step * count)
            reach.append(grown & mask)
        chosen: list[int] = []

        def reachable(level: int, rest: int, window: int) -> bool:
            """Whether some subset of the first ``level`` groups sums to within ``window`` of ``rest``."""
            span = (1 << (2 * window + 1)) - 1
            low = rest - window
            if low < 0:
                return bool(reach[level] & (span >> -low))
            return bool(reach[level] >> low & span)

        def walk(level: int, rest: int, total: int, tight: bool) -> Iterator[list[int]]:
            self.steps += 1
            if self.steps > self.budget:
                raise _OutOfSteps
            if level == 0:
                off = abs(total - target)
                if chosen and (off <= _STEP if tight else _STEP < off <= _STEP * (len(chosen) + extra)):
                    yield list(chosen)
                return
            members = order[level - 1]
            step = self.units[members[0]]
            for count in range(len(members), -1, -1):
                left = rest - step * count
                if left >= -self.window and reachable(level - 1, left, self.window):
                    chosen.extend(members[:count])
                    yield from walk(level - 1, left, total + self.amounts[members[0]] * count, tight)
                    del chosen[len(chosen) - count :]

        # Sums within half a cent first (what a total rounded from its projects is): rounding differences
        # left on one line have to be absorbed by the others, the last of which takes what is left.
        if reachable(len(order), goal, self.window):
            yield from walk(len(order), goal, 0, True)
            yield from walk(len(order), goal, 0, False)

    # -- the search over lines ---------------------------------------------------------------------

    def solve(self, kept: list[int], *, complete: bool, budget: int) -> list[int] | None:
        """Each project's part index (−1: left over), lines ``kept`` all met; ``complete``: nothing left over.

        The parts with the smallest targets (fewest ways to fill them) come first: a line's carried-over
        part, a specific sum out of every free project, before the rest of it.  In a complete assignment
        the largest line takes the projects left.
        """
        tasks = [(self.slots[j].carry or 0, 0, j) for j in kept if self.slots[j].carry]
        tasks += [(max(self.slots[j].target - (self.slots[j].carry or 0), self.slots[j].carry or 0), 1, j) for j in kept]
        tasks.sort()
        place = [-1] * len(self.amounts)
        carried: dict[int, tuple[int, int]] = {}  # line → (sum, count) of its carried-over part
        self.steps, self.budget = 0, budget

        def search(position: int, free: int) -> bool:
            if complete and len(stack) > len(self.deepest):
                self.deepest = list(stack)
            if position == len(tasks):
                return not complete or free == 0
            _, rest, line = tasks[position]
            slot = self.slots[line]
            part = self.parts[line][rest == 0]
            total, count = carried.get(line, (0, 0)) if rest else (0, 0)
            target = slot.target - total if rest else slot.carry or 0
            if complete and position == len(tasks) - 1:
                members = _bits(free)
                if not members and not count:
                    return False
                if abs(sum(self.amounts[p] for p in members) - target) > _STEP * (len(members) + count + 1):
                    return False
                for p in members:
                    place[p] = part
                return True
            if complete:
                widest = max(self.slots[j].target for _, _, j in tasks[position:]) + _STEP * (len(self.amounts) + 1)
                if any(self.amounts[p] > widest for p in _bits(free)):
                    return False
            fills = self._fills(target, free, line, carry=not rest, extra=count + 1)
            if rest and count and abs(target) <= _STEP * (count + 1):  # all of the line is carried over
                fills = chain([[]], fills)
            for members in fills:
                taken = 0
                for p in members:
                    taken |= 1 << p
                if not rest:
                    carried[line] = (sum(self.amounts[p] for p in members), len(members))
                if failures and not self._all_reachable(tasks[position + 1 :], free & ~taken, carried):
                    continue
                stack.append((line, part, members))
                if search(position + 1, free & ~taken):
                    for p in members:
                        place[p] = part
                    return True
                stack.pop()
            failures.append(position)
            return False

        failures: list[int] = []  # once the search has had to back up, every step looks ahead
        stack: list[tuple[int, int, list[int]]] = []  # (line, part, projects) filled on the way down
        if complete:
            self.deepest = []
        try:
            return place if search(0, (1 << len(self.amounts)) - 1) else None
        except _OutOfSteps:
            self.out_of_steps = True
            return None

    def _all_reachable(self, tasks: list[tuple[int, int, int]], free: int, carried: dict[int, tuple[int, int]]) -> bool:
        """Whether every part still to fill has some subset of ``free`` near its target (one bit set for all)."""
        goals = []
        for _, rest, line in tasks:
            slot = self.slots[line]
            if not rest:
                goals.append(slot.carry or 0)
            elif not slot.carry:
                goals.append(slot.target)
            elif line in carried and not any(t[1] == 0 and t[2] == line for t in tasks):
                goals.append(slot.target - carried[line][0])
        if not goals:
            return True
        limit = (max(goals) + self.unit // 2) // self.unit + self.window
        counts: dict[int, int] = {}
        for p in _bits(free):
            if self.units[p] <= limit:
                counts[self.units[p]] = counts.get(self.units[p], 0) + 1
        reach = 1
        mask = (1 << (limit + 1)) - 1
        for step, count in counts.items():
            grown = reach
            for n in range(1, count + 1):
                grown |= reach << (step * n)
            reach = grown & mask
        self.steps += len(counts)
        span = (1 << (2 * self.window + 1)) - 1
        for goal in goals:
            if goal <= _STEP:
                continue
            low = (goal + self.unit // 2) // self.unit - self.window
            if not (reach & (span >> -low) if low < 0 else reach >> low & span):
                return False
        return True

    def stalled(self) -> list[int] | None:
        """The lines a complete search that ran out of effort had filled when it got furthest, or None.

        Each of them adds up, so they are worth proposing, though the rest could not be completed
        around them; a line whose carried-over part alone was filled is left out.
        """
        whole = {line for line, part, _ in self.deepest if part == self.parts[line][0]}
        place = [-1] * len(self.amounts)
        for line, part, members in self.deepest:
            if line in whole:
                for p in members:
                    place[p] = part
        return place if whole else None

    def unique_lines(self, budget: int) -> dict[int, tuple[int, FundSource | None]]:
        """Projects of the lines that only one set of projects can fill: each project's (line, fund).

        Such a set belongs to its line in every complete assignment, so it is taken out and the other
        lines are looked at again, until none is left with a single way to fill it.
        """
        self.steps, self.budget = 0, budget
        found: dict[int, tuple[int, FundSource | None]] = {}
        free = (1 << len(self.amounts)) - 1
        open_lines = set(range(len(self.slots)))
        try:
            changed = True
            while changed:
                changed = False
                for line in sorted(open_lines, key=lambda j: self.slots[j].target):
                    fills = list(islice(self._fills(self.slots[line].target, free, line, carry=False, extra=1), 2))
                    if len(fills) != 1:
                        continue
                    members = fills[0]
                    splits = list(islice(self._splits(line, members), 2))
                    whole, carry = self.parts[line]
                    carried = splits[0] if len(splits) == 1 else []
                    for p in members:
                        fund = self.fund(carry if p in carried else whole) if len(splits) == 1 else None
                        found[p] = (line, fund)
                        free &= ~(1 << p)
                    open_lines.discard(line)
                    changed = True
        except _OutOfSteps:
            pass
        return found

    def _splits(self, line: int, members: list[int]) -> Iterator[list[int]]:
        """The ways the carried-over part of ``line`` can be made up from its ``members``."""
        carry = self.slots[line].carry
        if not carry:
            yield []
            return
        mask = 0
        for p in members:
            mask |= 1 << p
        yield from self._fills(carry, mask, line, carry=True, extra=1)

    # -- improving the names' fit ------------------------------------------------------------------

    def regroup(self, place: list[int], budget: int) -> int:
        """Re-divide the projects of two lines between them, best-named first, where that fits the names better.

        Only each line's own (not carried-over) part is re-divided; the number of changes is returned.
        """
        self.steps, self.budget = 0, budget
        changed = 0
        try:
            for _ in range(_IMPROVE_PASSES):
                before = changed
                for a in range(len(self.slots)):
                    for b in range(len(self.slots)):
                        if a != b and self._regroup_pair(place, a, b):
                            changed += 1
                if changed == before:
                    break
        except _OutOfSteps:
            pass
        return changed

    def _regroup_pair(self, place: list[int], a: int, b: int) -> bool:
        part_a, part_b = self.parts[a][0], self.parts[b][0]
        mine = [p for p, where in enumerate(place) if where == part_a]
        theirs = [p for p, where in enumerate(place) if where == part_b]
        if not any(self.scores[p][a] > self.scores[p][b] for p in theirs):
            return False  # nothing on line b is named for line a
        carried = {line: [p for p, where in enumerate(place) if where == self.parts[line][1] != self.parts[line][0]]
                   for line in (a, b)}
        sums = {line: (sum(self.amounts[p] for p in carried[line]), len(carried[line])) for line in (a, b)}
        pool = 0
        for p in mine + theirs:
            pool |= 1 << p
        old = sum(self.scores[p][a] for p in mine) + sum(self.scores[p][b] for p in theirs)
        slot_b = self.slots[b]
        for tried, fill in enumerate(
            self._fills(self.slots[a].target - sums[a][0], pool, a, carry=False, extra=sums[a][1] + 1)
        ):
            if tried >= 20:
                return False
            rest = [p for p in mine + theirs if p not in fill]
            if not rest and not sums[b][1]:
                continue
            whole = sum(self.amounts[p] for p in rest) + sums[b][0]
            if abs(whole - slot_b.target) > _STEP * (len(rest) + sums[b][1] + 1):
                continue
            new = sum(self.scores[p][a] for p in fill) + sum(self.scores[p][b] for p in rest)
            if new <= old:
                return False
            for p in fill:
                place[p] = part_a
            for p in rest:
                place[p] = part_b
            return True
        return False

    # -- exchanges ----------------------------------------------------------------------------------

    def _subsets(self, members: list[int]) -> list[tuple[int, tuple[int, ...]]]:
        found: list[tuple[int, tuple[int, ...]]] = [(0, ())]
        for size in range(1, _EXCHANGE_SIZE + 1):
            found += [(sum(self.amounts[p] for p in group), group) for group in combinations(members, size)]
        return found

    def exchanges(self, place: list[int], *, improve: bool) -> list[Exchange]:
        """Exchanges (projects of part a, a, projects of part b, b) of up to two projects that keep every total.

        With ``improve`` only exchanges that raise the name similarity count: the first for each pair of
        parts is made (``place`` changes) and the search moves on to the next pair.
        """
        members: dict[int, list[int]] = {b: [] for b in range(len(self.bins))}
        for p, b in enumerate(place):
            if b >= 0:
                members[b].append(p)
        used = [b for b in members if members[b]]
        found: list[Exchange] = []
        for i, a in enumerate(used):
            for b in used[i + 1 :]:
                if improve and self.bins[a].slot == self.bins[b].slot:
                    continue  # the parts of one line: names cannot tell them apart
                found += self._pair_exchanges(place, members, a, b, improve=improve)
        return found

    def _pair_exchanges(
        self, place: list[int], members: dict[int, list[int]], a: int, b: int, *, improve: bool
    ) -> list[Exchange]:
        slot_a, slot_b = self.bins[a].slot, self.bins[b].slot
        right = sorted(self._subsets(members[b]))
        keys = [total for total, _ in right]
        wide = _STEP * (len(members[a]) + len(members[b]) + 2 * _EXCHANGE_SIZE + 4)
        found: list[Exchange] = []
        for total, give in self._subsets(members[a]):
            low, high = bisect.bisect_left(keys, total - wide), bisect.bisect_right(keys, total + wide)
            for _, take in right[low:high]:
                if not (give or take) or not self._swap_ok(members, a, give, b, take):
                    continue
                if not improve:
                    found.append((give, a, take, b))
                    continue
                gain = sum(self.scores[p][slot_b] - self.scores[p][slot_a] for p in give)
                gain += sum(self.scores[p][slot_a] - self.scores[p][slot_b] for p in take)
                if gain > 0:
                    for p in give:
                        place[p] = b
                        members[a].remove(p)
                        members[b].append(p)
                    for p in take:
                        place[p] = a
                        members[b].remove(p)
                        members[a].append(p)
                    return [(give, a, take, b)]
        return found

    def _swap_ok(self, members: dict[int, list[int]], a: int, give: tuple[int, ...], b: int,
                 take: tuple[int, ...]) -> bool:
        after = {a: [p for p in members[a] if p not in give] + list(take),
                 b: [p for p in members[b] if p not in take] + list(give)}
        for slot_index in {self.bins[a].slot, self.bins[b].slot}:
            whole: list[int] = []
            carried: list[int] = []
            for part_index, part in enumerate(self.bins):
                if part.slot != slot_index:
                    continue
                group = after.get(part_index, members[part_index])
                whole += group
                if part.kind == "carry":
                    carried += group
            if not self.line_ok(slot_index, whole, carried):
                return False
        return True

    def fund(self, part_index: int) -> FundSource | None:
        part = self.bins[part_index]
        slot = self.slots[part.slot]
        if part.kind == "carry":
            return FundSource.CARRYOVER
        if slot.carry is None:
            return None
        return FundSource.CURRENT if slot.fiscal_only else None


def link_projects(department: Department) -> LinkReport:
    """Set every project's ``budget_line_code``/``fund_source`` where the arithmetic allows; suggested only."""
    report = LinkReport()
    slots = _less_given(project_lines(department), department.projects)
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
    else:
        report.attempted = True
        amounts = [amount for _, amount in candidates]
        scores = [[similarity(project, slot.name) for slot in slots] for project, _ in candidates]
        exact = len(candidates) <= EXACT_PROJECTS and _permutations(amounts) <= EXACT_PERMUTATIONS
        if not exact or not _link_exactly(candidates, amounts, slots, scores, report):
            _link_large(candidates, amounts, slots, scores, department.year, report)
    report.links.sort(key=lambda link: order.get(link.project, 0))
    return report


def _permutations(amounts: list[int]) -> int:
    """How many orders of equal amounts every assignment comes in (the exact enumeration lists them all)."""
    counts: dict[int, int] = {}
    for amount in amounts:
        counts[amount] = counts.get(amount, 0) + 1
    return prod(factorial(count) for count in counts.values())


def _link_exactly(
    candidates: list[tuple[Project, int]], amounts: list[int], slots: list[LineSlot], scores: list[list[int]],
    report: LinkReport,
) -> bool:
    """Link by enumerating every assignment; False (nothing changed) when there are too many to list."""
    solver = _Solver(amounts, slots, scores, partial=False)
    best, count = solver.value(0, (1 << len(amounts)) - 1)
    complete = best is not None and not solver.truncated
    if best is None and not solver.truncated:
        solver = _Solver(amounts, slots, scores, partial=True)
        best, count = solver.value(0, (1 << len(amounts)) - 1)
    if solver.truncated:
        return False
    report.complete = complete
    report.solutions = count
    assignment = solver.best_assignment() if best is not None else [None] * len(amounts)
    placements = solver.placements() if best is not None else [set() for _ in amounts]
    used: set[int] = set()
    for p, (project, _) in enumerate(candidates):
        choice = assignment[p]
        if choice is None:
            report.links.append(ProjectLink(project.name, reason="金额与任何功能科目的项目支出都对不上"))
            continue
        index, fund = choice
        used.add(index)
        alternatives = len(placements[p])
        reason = "唯一符合金额的科目" if alternatives == 1 else f"{alternatives} 种可能，按名称相近选择"
        report.links.append(_suggest(project, slots[index].code, fund, alternatives, reason))
    report.unplaced_lines = [slot.code for i, slot in enumerate(slots) if i not in used]
    return True


def _suggest(project: Project, line: str, fund: FundSource | None, alternatives: int, reason: str) -> ProjectLink:
    project.budget_line_code = line
    project.line_link = LinkStatus.SUGGESTED
    project.fund_source = fund
    return ProjectLink(project.name, line, fund, alternatives, reason)


def _link_large(
    candidates: list[tuple[Project, int]], amounts: list[int], slots: list[LineSlot], scores: list[list[int]],
    year: int, report: LinkReport,
) -> None:
    """Link many projects: one assignment that meets every line, or as many lines as can be met."""
    solver = _LargeSolver(amounts, slots, scores, [carried_over_by_name(project, year) for project, _ in candidates])
    report.truncated = True  # the assignments are not all listed: alternatives are lower bounds
    gap = sum(amounts) - sum(slot.target for slot in slots)
    tolerance = _STEP * (len(amounts) + len(slots))
    everything = list(range(len(slots)))
    place = None
    if abs(gap) <= tolerance:
        place = solver.solve(everything, complete=True, budget=solver.effort // 2)
    report.complete = place is not None
    stalled = False
    if place is None:
        place = _partial(solver, slots, gap, tolerance)
    if place is None:
        place, stalled = solver.stalled(), True
    if place is None:
        _link_forced(candidates, amounts, slots, solver, report)
        return
    solver.regroup(place, solver.effort // 2)
    for _ in range(_IMPROVE_PASSES):
        if not solver.exchanges(place, improve=True):
            break
    found = solver.exchanges(place, improve=False)
    placements: list[set[tuple[int, FundSource | None]]] = [
        {(solver.bins[b].slot, solver.fund(b))} if b >= 0 else set() for b in place
    ]
    for give, a, take, b in found:
        for p in give:
            placements[p].add((solver.bins[b].slot, solver.fund(b)))
        for p in take:
            placements[p].add((solver.bins[a].slot, solver.fund(a)))
    report.solutions = 1 + len(found)
    used: set[int] = set()
    for p, (project, _) in enumerate(candidates):
        b = place[p]
        if b < 0:
            reason = "其余项目已凑齐各科目的项目支出，此项目的金额无处可放"
            if stalled:
                reason = "组合过多，未能求解" if solver.out_of_steps else "金额与任何功能科目的项目支出都对不上"
            report.links.append(ProjectLink(project.name, reason=reason))
            continue
        index = solver.bins[b].slot
        used.add(index)
        alternatives = len(placements[p])
        if stalled:
            reason = "凑齐了该科目的项目支出，但其余科目未能凑齐，请核对"
        elif alternatives > 1:
            reason = f"至少 {alternatives} 种可能，按名称相近选择"
        elif len(solver.fits[p]) == 1:
            reason = "唯一容得下该金额的科目"
        else:
            reason = "符合金额；项目较多，未穷尽其他组合"
        report.links.append(_suggest(project, slots[index].code, solver.fund(b), alternatives, reason))
    report.unplaced_lines = [slot.code for i, slot in enumerate(slots) if i not in used]


def _partial(solver: _LargeSolver, slots: list[LineSlot], gap: int, tolerance: int) -> list[int] | None:
    """An assignment that meets as many lines as it can and leaves the rest (lines and projects) open.

    Every line is kept if the projects have money to spare; else one line is left out, the smallest
    first (it leaves the fewest projects unlinked), each try with a share of the effort.
    """
    everything = list(range(len(slots)))
    tries = [everything] if gap >= -tolerance else []
    tries += [
        [j for j in everything if j != dropped]
        for dropped in sorted(everything, key=lambda j: slots[j].target)
        if gap + slots[dropped].target >= -tolerance  # leaving this line out frees enough money
    ]
    left = solver.effort // 2
    for kept in tries:
        place = solver.solve(kept, complete=False, budget=min(left, solver.effort // 8))
        left -= solver.steps
        if place is not None:
            return place
        if left <= 0:
            break
    solver.out_of_steps = left <= 0
    return None


def _link_forced(
    candidates: list[tuple[Project, int]], amounts: list[int], slots: list[LineSlot], solver: _LargeSolver,
    report: LinkReport,
) -> None:
    """No assignment found: link the lines only one set of projects can fill, and the projects whose
    amount fits a single line."""
    failed = "组合过多，未能求解" if solver.out_of_steps else "金额与任何功能科目的项目支出都对不上"
    unique = solver.unique_lines(UNIQUE_STEPS)
    used: set[int] = set()
    for p, (project, _) in enumerate(candidates):
        if p in unique:
            index, fund = unique[p]
            reason = f"只有一组项目能凑齐该科目的项目支出（其余{failed}）"
        elif len(solver.fits[p]) == 1:
            index, slot = solver.fits[p][0], slots[solver.fits[p][0]]
            fund = None
            if slot.carry is not None and amounts[p] > slot.carry + 2 * _STEP:  # too large to be carried over
                fund = FundSource.CURRENT if slot.fiscal_only else None
            reason = f"唯一容得下该金额的科目（其余{failed}）"
        else:
            report.links.append(ProjectLink(project.name, reason=failed))
            continue
        used.add(index)
        report.links.append(_suggest(project, slots[index].code, fund, 1, reason))
    report.unplaced_lines = [slot.code for i, slot in enumerate(slots) if i not in used]
