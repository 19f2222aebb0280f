"""The project list: projects grouped by budget line, each with amount, status and open findings."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from perfgoals.models import Department, LinkStatus, Project, ProjectStatus
from perfgoals.reading.amounts import ProjectAmount, project_amount
from perfgoals.tui.search import matches
from perfgoals.tui.textual_compat import redraw_option
from perfgoals.tui.workspace import FindingCounts

__all__ = ["UNLINKED", "FindingCounts", "ProjectList", "amount_label", "project_id_of", "project_option_id"]

UNLINKED = "未关联科目"


def project_option_id(project_id: int) -> str:
    return f"project-{project_id}"


def project_id_of(option_id: str | None) -> int | None:
    if option_id and option_id.startswith("project-"):
        return int(option_id.removeprefix("project-"))
    return None


def _matches(project: Project, needle: str, line_label: str) -> bool:
    """A project the filter keeps: by its name, code, owner, line or status, or its name's pinyin initials."""
    return matches(needle, project.name, project.code, project.owner, line_label, project.status.value)


#: The review's statuses that stand out in the list (the others are dim).
STATUS_STYLES = {ProjectStatus.RETURNED: "bold yellow", ProjectStatus.FINANCE_APPROVED: "green"}

#: How an inferred amount is marked where there is no room for its source: ``7.29万元·推断``.
INFERRED_MARK = "·推断"


def amount_label(amount: ProjectAmount, *, right: bool = False, style: str = "") -> Text:
    """``7.29万元·推断``: an amount as written, compactly, marked when it was inferred (not confirmed)."""
    text = Text(
        amount.text.replace(" ", ""),
        style=style,
        no_wrap=True,
        overflow="ellipsis",
        justify="right" if right else "left",
    )
    if amount.inferred:
        text.append(INFERRED_MARK, style="italic yellow")
    return text


def _marker(counts: FindingCounts | None) -> Text:
    if counts is None:
        return Text("…", style="dim")
    if counts.errors:
        text = Text(f"✗{counts.errors}", style="bold red")
        if counts.warnings:
            text.append(f" ⚠{counts.warnings}", style="yellow")
        return text
    if counts.warnings:
        return Text(f"⚠{counts.warnings}", style="yellow")
    return Text("✓", style="green")


class ProjectList(OptionList):
    """Budget-line headers (disabled options) with their projects below them."""

    def show(
        self,
        department: Department,
        projects: list[Project],
        counts: dict[int, FindingCounts],
        dirty: set[int],
        needle: str = "",
    ) -> None:
        """List ``projects`` (the current drafts) grouped by line, keeping the highlighted project."""
        keep = project_id_of(self.highlighted_option_id())
        lines = {line.code: line for line in department.budget_lines}
        groups: dict[str | None, list[Project]] = {}
        for project in projects:
            code = project.budget_line_code if project.budget_line_code in lines else None
            groups.setdefault(code, []).append(project)
        options: list[Option] = []
        ordered: list[str | None] = [line.code for line in department.budget_lines if line.code in groups]
        if None in groups:
            ordered.append(None)
        for code in ordered:
            label = f"{code} {lines[code].name}" if code is not None else UNLINKED
            members = [p for p in groups[code] if not needle or _matches(p, needle, label)]
            if not members:
                continue
            header = Text(label, style="bold", no_wrap=True, overflow="ellipsis")
            header.append(f"（{len(members)}）", style="dim")
            options.append(Option(header, id=f"line-{code or 'none'}", disabled=True))
            for project in members:
                options.append(
                    Option(
                        self._prompt(project, counts.get(project.id or 0), dirty),
                        id=project_option_id(project.id or 0),
                    )
                )
        self.set_options(options)
        if keep is not None and self.find(project_option_id(keep)):
            self.highlighted = self.get_option_index(project_option_id(keep))
        elif self.option_count:
            first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
            self.highlighted = first

    def update_project(self, project: Project, counts: FindingCounts | None, dirty: set[int]) -> None:
        """Redraw one project's entry (after an edit or a check) without rebuilding the list.

        Only that entry's lines are drawn again: OptionList.replace_option_prompt would throw away
        the rendering of every entry, and drawing the whole list again costs more than the edit.
        """
        option_id = project_option_id(project.id or 0)
        if not self.find(option_id):
            return
        index = self.get_option_index(option_id)
        option = self.get_option_at_index(index)
        prompt = self._prompt(project, counts, dirty)
        old = option.prompt
        if old == prompt:
            return
        if not isinstance(old, Text) or old.plain.count("\n") != prompt.plain.count("\n"):
            self.replace_option_prompt(option_id, prompt)  # another height: every line below moves
            return
        if not redraw_option(self, index, prompt):
            # Not laid out (the list is hidden, ctrl+b): the whole list is drawn when shown again.
            self.replace_option_prompt(option_id, prompt)

    def find(self, option_id: str) -> bool:
        try:
            self.get_option(option_id)
        except OptionDoesNotExist:
            return False
        return True

    def highlighted_option_id(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    @staticmethod
    def _prompt(project: Project, counts: FindingCounts | None, dirty: set[int]) -> Text:
        # The findings marker leads, so that a narrow list never cuts it off.
        name = Text("  ", no_wrap=True, overflow="ellipsis")
        name.append_text(_marker(counts))
        name.append(" ")
        if project.id in dirty:
            name.append("● ", style="bold yellow")
        name.append(project.name)
        detail = Text("    ", no_wrap=True, overflow="ellipsis")
        if project.budget_amount is not None:
            detail.append_text(amount_label(project_amount(project), style="dim"))
            detail.append("  ")
        # A table back from the review stands out: the owner has comments to answer.
        detail.append(project.status.value, style=STATUS_STYLES.get(project.status, "dim"))
        if project.line_link == LinkStatus.SUGGESTED:
            detail.append(" 科目待确认", style="italic yellow")
        return Text("\n", no_wrap=True, overflow="ellipsis").join([name, detail])
