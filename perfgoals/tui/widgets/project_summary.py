"""The selected project's fields and its 绩效目标 text, above the grid."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from perfgoals.models import Department, LinkStatus, Project, ProjectStatus
from perfgoals.reading.amounts import project_amount

#: A line's level by the length of its code.
LEVEL_WORDS = {3: "类", 5: "款", 7: "项"}


def line_label(department: Department, project: Project) -> Text:
    code = project.budget_line_code
    if not code:
        return Text("未关联", style="yellow")
    line = department.line(code)
    if line is not None and len(code) != 7:
        # Said before the name, so that a narrow summary never cuts it off.
        text = Text(code)
        text.append(f"（{LEVEL_WORDS.get(len(code), '')}级，应挂项级）", style="bold yellow")
        text.append(f" {line.name}")
    else:
        text = Text(f"{code} {line.name}" if line else f"{code}（本部门无此科目）")
    if project.line_link == LinkStatus.SUGGESTED:
        text.append(" 待确认", style="bold yellow")
    return text


class ProjectSummary(Static):
    """Read-only view of the project's fields; F3 and F4 edit them."""

    _lines = -1
    _width = -1
    #: One line only (a short terminal): name, line, amount and revision; F3 and F4 show the rest.
    compact = False

    def _set(self, build: Callable[[], RenderableType]) -> None:
        """Show what ``build`` makes, re-laying out the screen only when its height changes: a
        layout pass costs more than everything else that opening a project does.  (The measured
        copy is not the one shown: a rich Table rendered once renders differently afterwards.)"""
        width = self.content_region.width
        lines = -1
        if width > 0:
            console = self.app.console
            options = console.options.update(width=width, height=None)
            lines = len(list(Segment.split_lines(console.render(build(), options))))
        self.update(build(), layout=lines < 0 or lines != self._lines or width != self._width)
        self._lines, self._width = lines, width

    def show(self, department: Department | None, project: Project | None, dirty: bool) -> None:
        if department is None or project is None:
            self.border_title = "项目"
            self._set(lambda: Text("（未选择项目）", style="dim"))
            return
        self.border_title = ("● " if dirty else "") + project.name
        self.border_subtitle = "未保存" if dirty else f"第 {project.goal.revision} 版"
        if self.compact:
            self._set(lambda: self._one_line(department, project, dirty))
            return
        unit = project.implementing_unit.strip()
        mid_term = project.goal.mid_term_goal_text.strip()
        # The review's comments on the whole table (those on cells and rows are marked in the grid).
        table_comments = [c for c in project.comments if c.row is None and not c.resolved]
        # Few projects have these, so they take a line only when filled in (app.tcss makes room for it).
        self.set_class(bool(unit or mid_term or table_comments), "-more")

        def build() -> RenderableType:
            grid = Table.grid(padding=(0, 1), expand=True)
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(ratio=2)
            grid.add_column(style="dim", no_wrap=True)
            # The amount and its marker (``7.29 万元（按成本指标推断，待确认）``) need the wider column.
            grid.add_column(ratio=3)
            read = project_amount(project)
            amount = Text(read.text, no_wrap=True, overflow="ellipsis")
            if read.marker:
                # Inferred by the program: marked until a person enters or confirms it (F3).
                amount.append(f"（{read.marker}）", style="yellow")
            fund = project.fund_source.value if project.fund_source else "未填"
            if project.fund_source_detail:
                fund += f"（{project.fund_source_detail}）"
            grid.add_row("科目", line_label(department, project), "金额", amount)
            grid.add_row("资金", fund, "负责人", project.owner or "未填")
            status = Text(project.status.value, no_wrap=True, overflow="ellipsis")
            if project.comments:
                waiting = sum(1 for c in project.comments if not c.resolved and not c.replies)
                status.append(f"  意见 {len(project.comments)} 条" + (f"，待回复 {waiting}" if waiting else ""), style="magenta")
            grid.add_row("状态", status, "编码", project.code or "—")
            if unit:
                grid.add_row("实施单位", unit, "", "")
            goal = project.goal.goal_text.strip()
            goal_text = Text("目标 ", style="dim")
            goal_text.append(goal or "（未填绩效目标，按 F4 填写）", style="" if goal else "dim italic")
            parts: list[RenderableType] = [grid]
            if table_comments:
                # The latest comment on the whole table, one line; the 审核意见 panel lists them all.
                latest = table_comments[-1]
                said = Text("◆ 整表意见 ", style="bold magenta", no_wrap=True, overflow="ellipsis")
                said.append(f"#{latest.number} {latest.author}：{(latest.text.strip().splitlines() or [''])[0]}")
                if len(table_comments) > 1:
                    said.append(f"（另有 {len(table_comments) - 1} 条）", style="dim")
                parts.append(said)
            if not mid_term:
                return Group(*parts, goal_text)
            # One line, its first, and above the (annual) goal as on the form: a long goal is cut
            # off at the bottom by the summary's height.  The whole text is in the F4 editor.
            lines = mid_term.splitlines()
            mid_term_text = Text("实施期目标 ", style="dim", no_wrap=True, overflow="ellipsis")
            mid_term_text.append(lines[0] + (" …" if len(lines) > 1 else ""))
            return Group(*parts, mid_term_text, goal_text)

        self._set(build)

    @staticmethod
    def _one_line(department: Department, project: Project, dirty: bool) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if dirty:
            line.append("● ", style="bold yellow")
        line.append(project.name, style="bold")
        if project.status is not ProjectStatus.DRAFT:  # under review: said first, before it is cut off
            line.append(f"  {project.status.value}", style="bold")
        if project.comments:
            line.append(f" ◆{len(project.comments)}", style="bold magenta")
        read = project_amount(project)
        line.append(f"  {read.text}")
        if read.marker:
            line.append("·推断", style="italic yellow")
        line.append("  ")
        line.append_text(line_label(department, project))
        line.append("  未保存" if dirty else f"  第 {project.goal.revision} 版", style="dim")
        return line
