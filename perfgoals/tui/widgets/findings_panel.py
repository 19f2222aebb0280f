"""The findings of the selected project, refreshed as the user edits; choosing one jumps to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from perfgoals.tui.editing import GRID_LABELS, PROJECT_FIELD_LABELS
from perfgoals.tui.workspace import GLYPHS

if TYPE_CHECKING:
    from perfgoals.checks.findings import Finding

# Keyed by Severity's values: importing perfgoals.checks here would load the whole checks engine
# before the first screen is drawn.
_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
__all__ = ["GLYPHS", "FindingsPanel", "finding_text", "where"]
RANKS = {"error": 0, "warning": 1, "info": 2}


def where(finding: Finding) -> str:
    """A short Chinese place for a finding: 第 3 行 指标值, or the project field."""
    location = finding.location
    field = location.field or ""
    label = GRID_LABELS.get(field) or PROJECT_FIELD_LABELS.get(field) or ""
    if location.row is not None:
        return f"第 {location.row} 行" + (f" {label}" if label else "")
    return label


def finding_text(finding: Finding) -> Text:
    severity = str(finding.severity)
    text = Text()
    text.append(f"{GLYPHS[severity]} {_LABELS[severity]}", style=_STYLES[severity])
    text.append(f" {finding.code}", style="dim")
    place = where(finding)
    if place:
        text.append(f" {place}", style="bold")
    text.append(f"：{finding.message}")
    if finding.hint:
        text.append(f"（{finding.hint}）", style="dim")
    return text


class FindingsPanel(OptionList):
    """Open findings first by severity; accepted ones are counted, not listed."""

    class Chosen(Message):
        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._findings: list[Finding] = []
        self._shown: tuple[object, ...] | None = None
        self.border_title = "问题"

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def show(self, findings: list[Finding] | None) -> None:
        """Show ``findings``; ``None`` means they are still being checked."""
        if findings is None:
            self.border_title = "问题（检查中…）"
            return
        open_ = sorted(
            (f for f in findings if not f.accepted),
            key=lambda f: (RANKS[str(f.severity)], f.location.row or 0),
        )
        accepted = len(findings) - len(open_)
        self._findings = open_
        errors = sum(1 for f in open_ if f.severity == "error")
        warnings = sum(1 for f in open_ if f.severity == "warning")
        title = f"问题：✗ {errors} 个错误  ⚠ {warnings} 个警告"
        if accepted:
            title += f"  （已接受 {accepted} 个）"
        self.border_title = title
        # A recheck usually finds what was there before: then the options need not be rebuilt.
        shown = tuple((f.code, str(f.severity), f.message, f.hint, f.location) for f in open_)
        if shown == self._shown and self.option_count:
            return
        self._shown = shown
        highlighted = self.highlighted
        self.set_options(
            [Option(finding_text(f), id=f"finding-{i}") for i, f in enumerate(open_)]
            or [Option(Text("✓ 没有待处理的问题", style="green"), disabled=True)]
        )
        if highlighted is not None and open_:
            self.highlighted = min(highlighted, len(open_) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._findings):
            self.post_message(self.Chosen(self._findings[event.option_index]))
