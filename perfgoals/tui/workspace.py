"""What the main screen works on, without a terminal: the department-year shown, a draft per project,
the findings of each, which project is current, and what is unsaved.

Nothing here imports Textual (the screen draws this state and routes keys to it), so every rule of the
state is unit-tested directly, like :mod:`perfgoals.tui.editing`.  Drafts are changed only through
this class or the :class:`~perfgoals.tui.editing.ProjectDraft` it hands out; every change is reported
to the ``on_change`` listeners (the seam a crash journal plugs into: it is told which project changed
and can write the draft away before the next key arrives).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from perfgoals.framework import Framework, get_framework
from perfgoals.tui.editing import ALL_GRID_FIELDS, Choice, ProjectDraft

if TYPE_CHECKING:
    from perfgoals.checks.findings import Finding
    from perfgoals.merge import Draft
    from perfgoals.models import Department, Project

#: A glyph per severity (keyed by Severity's values: importing the checks here would load them all).
GLYPHS = {"error": "✗", "warning": "⚠", "info": "ℹ"}


@dataclass(frozen=True, slots=True)
class FindingCounts:
    errors: int = 0
    warnings: int = 0


def counts_of(findings: list[Finding]) -> FindingCounts:
    open_ = [f for f in findings if not f.accepted]
    return FindingCounts(
        errors=sum(1 for f in open_ if f.severity == "error"),
        warnings=sum(1 for f in open_ if f.severity == "warning"),
    )


def finding_marks(findings: list[Finding] | None, shown: Iterable[str] = ALL_GRID_FIELDS) -> dict[tuple[int, str], str]:
    """(0-based row, grid field) → the glyph of the worst open finding there; a finding about a column
    not ``shown`` is marked on the row's 三级."""
    marks: dict[tuple[int, str], str] = {}
    columns = set(shown)
    for finding in findings or []:
        location = finding.location
        if finding.accepted or location.row is None:
            continue
        field = location.field if location.field in columns else "level3"
        key = (location.row - 1, field)
        if marks.get(key) != "✗":
            marks[key] = GLYPHS[str(finding.severity)]
    return marks


def _line_rule(code: str) -> bool:
    """Whether findings of rule ``code`` are about a budget line and its projects (PG102, PG112)."""
    from perfgoals.checks.base import Scope
    from perfgoals.checks.registry import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code)
    return rule is not None and rule.scope is Scope.LINE


def findings_by_project(department: Department, findings: list[Finding]) -> dict[int, list[Finding]]:
    """A whole-department check split per project as ``check_project`` would report it: the
    project's own findings, then those of its budget line (the line rules', whatever table they name,
    and the line notes that name no table), given to every project charged to that line."""
    result: dict[int, list[Finding]] = {p.id: [] for p in department.projects if p.id is not None}
    by_line: dict[str, list[Finding]] = {}
    line_rules: dict[str, bool] = {}
    for finding in findings:
        location = finding.location
        if location.project_id is not None:
            result.setdefault(location.project_id, []).append(finding)
        elif location.budget_line and location.project is None:
            is_line = line_rules.get(finding.code)
            if is_line is None:
                is_line = line_rules[finding.code] = _line_rule(finding.code)
            if is_line or location.table is None:
                by_line.setdefault(location.budget_line, []).append(finding)
    for project in department.projects:
        if project.id is not None and project.budget_line_code:
            # First, as check_project sorts them: findings of no one project come before a project's own.
            result[project.id][:0] = by_line.get(project.budget_line_code, [])
    return result


#: (line, amount, unit) of a project: when it changes, the projects of both lines are rechecked.
MoneyKey = tuple[str | None, Decimal | None, str]


class Workspace:
    """The department-year on screen and its drafts; see the module docstring."""

    def __init__(self) -> None:
        self.department: Department | None = None
        self.drafts: dict[int, ProjectDraft] = {}
        #: Each project's findings; a project missing here is not checked yet.
        self.findings: dict[int, list[Finding]] = {}
        self.current_id: int | None = None
        #: Bumped by every check started for a project: a result of an older one is dropped.
        self.generation: Counter[int] = Counter()
        self.checked_generation: dict[int, int] = {}
        self._money_keys: dict[int, MoneyKey] = {}
        #: Called with a project's id after every change of its draft (the crash journal's seam).
        self.on_change: list[Callable[[int], None]] = []
        #: Projects deleted (by a colleague) whose unsaved drafts are kept here.
        self.gone: set[int] = set()

    # -- what is shown --------------------------------------------------------------------------

    @property
    def draft(self) -> ProjectDraft | None:
        return self.drafts.get(self.current_id) if self.current_id is not None else None

    @property
    def framework(self) -> Framework | None:
        if self.department is None:
            return None
        try:
            return get_framework(self.department.framework)
        except KeyError:
            return None

    def dirty_drafts(self) -> list[ProjectDraft]:
        return [draft for draft in self.drafts.values() if draft.dirty]

    def dirty_ids(self) -> set[int]:
        return {draft.id for draft in self.dirty_drafts() if draft.id is not None}

    def projects(self) -> list[Project]:
        """The department's projects as edited (each draft's current state), in order."""
        assert self.department is not None
        return [self.drafts[p.id].project if p.id in self.drafts else p for p in self.department.projects]

    def live_department(self) -> Department:
        """The department with the drafts' current states, sharing them: for the UI thread only."""
        assert self.department is not None
        return self.department.model_copy(update={"projects": self.projects()})

    def department_with_drafts(self) -> Department:
        """The department as edited, safe to hand to a worker thread: unsaved drafts are copied,
        clean ones are their saved snapshots, which nothing mutates."""
        assert self.department is not None
        projects = []
        for project in self.department.projects:
            draft = self.drafts.get(project.id) if project.id is not None else None
            if draft is None:
                projects.append(project)
            elif draft.dirty:
                projects.append(draft.project.model_copy(deep=True))
            else:
                projects.append(draft.saved)
        return self.department.model_copy(update={"projects": projects})

    def counts(self, project_id: int) -> FindingCounts | None:
        found = self.findings.get(project_id)
        return counts_of(found) if found is not None else None

    def all_counts(self) -> dict[int, FindingCounts]:
        return {pid: counts_of(found) for pid, found in self.findings.items()}

    def current_findings(self) -> list[Finding]:
        return self.findings.get(self.current_id, []) if self.current_id is not None else []

    # -- opening, adding, removing --------------------------------------------------------------

    def open(self, department: Department, *, keep_drafts: bool) -> tuple[bool, list[int]]:
        """Show ``department``: returns (whether it is the department already shown, the projects
        whose unsaved drafts were kept).  Drafts are kept only for the same department, when asked."""
        same = self.department is not None and self.department.id == department.id
        kept = {pid: d for pid, d in self.drafts.items() if d.dirty} if (same and keep_drafts) else {}
        listed = {p.id for p in department.projects}
        orphans = [draft for pid, draft in kept.items() if pid not in listed]
        if orphans:
            # Unsaved edits of a project deleted meanwhile stay listed, to be saved as new or restored.
            department = department.model_copy(update={"projects": [*department.projects, *(d.saved for d in orphans)]})
        self.department = department
        self.drafts = {}
        self._money_keys = {}
        self.gone = {d.id for d in orphans if d.id is not None} | (self.gone & set(kept))
        for project in department.projects:
            if project.id is not None:
                self.drafts[project.id] = kept.get(project.id) or ProjectDraft(project)
        # Findings come with the department's check; until then the list shows … for each project.
        self.findings = {}
        if self.current_id not in self.drafts or not same:
            self.current_id = None
        return same, [pid for pid in kept if pid in self.drafts]

    def add_project(self, project: Project) -> None:
        """A project just added to the database."""
        assert self.department is not None and project.id is not None
        if project.id in self.drafts:  # already listed (a reload heard of it first)
            self.department.projects = [project if p.id == project.id else p for p in self.department.projects]
        else:
            self.department.projects.append(project)
        self.drafts[project.id] = ProjectDraft(project)
        self.findings[project.id] = []

    def remove_project(self, project_id: int) -> None:
        """A project deleted (here or, later, by a colleague): its draft goes with it."""
        if self.department is not None:
            self.department.projects = [p for p in self.department.projects if p.id != project_id]
        self.drafts.pop(project_id, None)
        self.findings.pop(project_id, None)
        self.gone.discard(project_id)
        if self.current_id == project_id:
            self.current_id = None

    def mark_saved(
        self, project_id: int, project: Project, *, sent: Project | None = None, merged: bool = False
    ) -> None:
        """The database now holds ``project`` for ``project_id`` (a save of the draft; ``merged``: it
        took a colleague's cells, see :meth:`ProjectDraft.mark_saved`)."""
        draft = self.drafts.get(project_id)
        if draft is not None:
            draft.mark_saved(project, sent=sent, merged=merged)
        if self.department is not None:
            self.department.projects = [project if p.id == project_id else p for p in self.department.projects]
        self.gone.discard(project_id)
        self.changed(project_id)

    def take_merge(self, project_id: int, base: Project, mine: Project, label: str = "合并他人的修改") -> None:
        """The answer of a merge: edit ``mine`` over ``base`` (the colleague's version), one undo step."""
        draft = self.drafts.get(project_id)
        if draft is not None:
            draft.rebase(base, mine, label)
            self.changed(project_id)

    def refresh_project(self, project: Project) -> bool:
        """A colleague saved ``project``: a clean draft takes it; a draft with unsaved edits keeps
        them (their save will meet the new revision and merge).  Returns whether the draft changed.

        The seam for change notifications: the listener that hears of a colleague's save loads the
        project and hands it here, then asks the screen to redraw.
        """
        if project.id is None or project.id not in self.drafts:
            return False
        draft = self.drafts[project.id]
        if draft.dirty:
            return False
        self.drafts[project.id] = ProjectDraft(project)
        if self.department is not None:
            self.department.projects = [project if p.id == project.id else p for p in self.department.projects]
        self.findings.pop(project.id, None)
        return True

    def restore_draft(self, base: Project, mine: Project, *, deleted: bool = False) -> bool:
        """Edits recovered after a crash: ``mine`` over ``base`` (the version they started from).

        For a project of the department shown, the draft starts from ``base`` (so that its save is
        checked, or merged, against that revision) and holds ``mine`` as one undoable change.
        ``deleted``: the project is of this department but no longer listed (deleted meanwhile): it
        is listed again with the edits, to be saved as new or restored.  Returns False when the
        project is not shown here (and not ``deleted``).
        """
        if base.id is None or self.department is None:
            return False
        if base.id not in self.drafts:
            if not deleted:
                return False
            self.department.projects.append(base)
            self.gone.add(base.id)
        draft = ProjectDraft(base)
        draft.restore(mine)
        self.drafts[base.id] = draft
        self.changed(base.id)
        return True

    def discard(self, drafts: Iterable[ProjectDraft]) -> None:
        for draft in drafts:
            draft.rebase(draft.saved, draft.saved, "放弃修改")
            if draft.id is not None:
                self.changed(draft.id)

    def unsaved(self) -> tuple[list[Draft], dict[int, tuple[int | None, str]]]:
        """What the crash journal keeps: each unsaved draft as (the version it edits over, the edits),
        and each one's department (id and label, shown when recovering)."""
        from perfgoals.merge import Draft

        drafts: list[Draft] = []
        departments: dict[int, tuple[int | None, str]] = {}
        department = self.department
        label = f"{department.code} {department.name}（{department.year} 年）" if department is not None else ""
        for draft in self.dirty_drafts():
            if draft.id is None:
                continue
            drafts.append(Draft(draft.saved, draft.project))
            departments[draft.id] = (department.id if department is not None else None, label)
        return drafts, departments

    def changed(self, project_id: int) -> None:
        """Tell the listeners that ``project_id``'s draft changed."""
        for listener in self.on_change:
            listener(project_id)

    # -- checking -------------------------------------------------------------------------------

    def line_mates(self, project_id: int) -> list[int]:
        """After an edit of ``project_id``: the other projects whose reconciliation changed with it
        (those of the line it left and of the line it joined, when its line or amount changed)."""
        draft = self.drafts.get(project_id)
        if draft is None:
            return []
        project, saved = draft.project, draft.saved
        key: MoneyKey = (project.budget_line_code, project.budget_amount, project.amount_unit)
        before = self._money_keys.get(project_id, (saved.budget_line_code, saved.budget_amount, saved.amount_unit))
        self._money_keys[project_id] = key
        if before == key:
            return []
        lines = {code for code in (before[0], key[0]) if code}
        return [
            pid for pid, other in self.drafts.items() if pid != project_id and other.project.budget_line_code in lines
        ]

    # -- what the editors offer -----------------------------------------------------------------

    def suggestions(self) -> list[str]:
        """三级 names used anywhere in the department, most used first."""
        used = Counter(i.level3.strip() for p in self.projects() for i in p.goal.indicators if i.level3.strip())
        return [name for name, _ in used.most_common()]

    def choices(self, row: int, field: str) -> list[Choice] | None:
        """What the picker of (``row``, ``field``) offers: the framework's 一级, the 二级 valid under
        the row's 一级 (every valid pair when that is missing or unknown), 正向/反向; ``None`` for free text."""
        draft = self.draft
        if draft is None:
            return None
        if field == "direction":
            return [Choice(word, (("direction", word),)) for word in ("正向", "反向")]
        framework = self.framework
        if framework is None or field not in ("level1", "level2"):
            return None
        if field == "level1":
            return [Choice(name, (("level1", name),)) for name in framework.level1_names()]
        names = framework.level2_names(draft.cell(row, "level1"))
        if names:
            return [Choice(name, (("level2", name),)) for name in names]
        return [Choice(f"{l1} › {l2}", (("level1", l1), ("level2", l2))) for l1, l2 in framework.pairs()]
