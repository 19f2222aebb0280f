"""The command palette's own entries, in Chinese: departments and projects found by name, code or
pinyin initials, and the themes with Chinese names; and every binding id the settings file may remap."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from perfgoals.tui.search import initials, score

if TYPE_CHECKING:
    from perfgoals.storage.repository import DepartmentKey
    from perfgoals.tui.screens.main import MainScreen

#: At most this many departments and projects are listed for one search.
MAX_HITS = 40


def _main_screen(provider: Provider) -> MainScreen | None:
    return getattr(provider.app, "main_screen", None)


class FindProvider(Provider):
    """部门 and 项目: every department-year of the database, and the projects of the one shown."""

    async def startup(self) -> None:
        main = _main_screen(self)
        self._departments: list[DepartmentKey] = []
        if main is None:
            return
        store = main.store

        def read() -> list[DepartmentKey]:
            keys = store.list_departments()
            for key in keys:
                initials(key.name)  # computed once here, off the UI thread, and cached
            return keys

        try:
            self._departments = await asyncio.to_thread(read)
        except Exception:  # the palette still offers commands when the database cannot be read
            self._departments = []

    def _hits(self, query: str) -> list[tuple[float, Text, Any, str]]:
        main = _main_screen(self)
        if main is None:
            return []
        found: list[tuple[float, Text, Any, str]] = []
        current = main.workspace.department
        for key in self._departments:
            value = score(query, key.code, key.name, str(key.year))
            if value > 0:
                label = Text.assemble(("部门 ", "dim"), f"{key.code} {key.name}（{key.year} 年）")
                here = current is not None and current.id == key.id
                found.append((value, label, partial(main.open_department, key.id), "当前部门" if here else "打开该部门年度"))
        if current is not None:
            for project in main.workspace.projects():
                if project.id is None:
                    continue
                value = score(query, project.name, project.code)
                if value > 0:
                    label = Text.assemble(("项目 ", "dim"), project.name)
                    found.append((value, label, partial(main.go_to_project, project.id), "转到该项目"))
        found.sort(key=lambda hit: -hit[0])
        return found[:MAX_HITS]

    async def search(self, query: str) -> Hits:
        for value, label, command, help_text in self._hits(query):
            yield Hit(value, label, command, text=label.plain, help=help_text)

    async def discover(self) -> Hits:
        for _value, label, command, help_text in self._hits("")[:10]:
            yield DiscoveryHit(label, command, text=label.plain, help=help_text)


#: Chinese names of Textual's themes (others are shown by name, with 深色/浅色).
THEME_NAMES: dict[str, str] = {
    "textual-dark": "默认深色",
    "textual-light": "默认浅色",
    "textual-ansi": "终端配色",
    "ansi-dark": "终端配色（深色）",
    "ansi-light": "终端配色（浅色）",
    "nord": "北欧蓝（深色）",
    "gruvbox": "复古暖色（深色）",
    "catppuccin-mocha": "摩卡（深色）",
    "catppuccin-latte": "拿铁（浅色）",
    "dracula": "德古拉（深色）",
    "tokyo-night": "东京夜（深色）",
    "monokai": "莫诺凯（深色）",
    "flexoki": "柔墨（深色）",
    "solarized-light": "日晒（浅色）",
    "solarized-dark": "日晒（深色）",
    "rose-pine": "玫瑰松（深色）",
    "rose-pine-moon": "玫瑰松·月（深色）",
    "rose-pine-dawn": "玫瑰松·晨（浅色）",
    "atom-one-dark": "Atom（深色）",
    "atom-one-light": "Atom（浅色）",
}


def theme_label(name: str, dark: bool) -> str:
    chinese = THEME_NAMES.get(name)
    return chinese if chinese else f"{name}（{'深色' if dark else '浅色'}）"


class ThemeNames(Provider):
    """The theme picker: Chinese names (or the name with 深色/浅色), found by either."""

    def _themes(self) -> list[tuple[str, str]]:
        themes = self.app.available_themes
        return sorted(
            ((theme_label(theme.name, theme.dark), theme.name) for theme in themes.values()),
            key=lambda entry: entry[0],
        )

    def _set(self, name: str) -> None:
        self.app.theme = name

    async def discover(self) -> Hits:
        for label, name in self._themes():
            yield DiscoveryHit(f"主题：{label}", partial(self._set, name), help="切换界面配色")

    async def search(self, query: str) -> Hits:
        for label, name in self._themes():
            value = score(query, label, name)
            if value > 0:
                yield Hit(value, f"主题：{label}", partial(self._set, name), help="切换界面配色")


def known_binding_ids() -> set[str]:
    """Every binding id of perfgoals' screens and widgets: what the settings file's [keys] may name."""
    import importlib

    from textual.dom import DOMNode

    ids: set[str] = set()
    modules = (
        "perfgoals.tui.app",
        "perfgoals.tui.screens.main",
        "perfgoals.tui.screens.departments",
        "perfgoals.tui.screens.budget_lines",
        "perfgoals.tui.screens.budget_line_dialog",
        "perfgoals.tui.screens.reconciliation",
        "perfgoals.tui.screens.findings",
        "perfgoals.tui.screens.export",
        "perfgoals.tui.screens.help",
        "perfgoals.tui.screens.dialogs",
        "perfgoals.tui.screens._common",
        "perfgoals.tui.widgets.goal_grid",
        "perfgoals.tui.widgets.cell_editor",
        # The concurrent-editing dialogs, where present.
        "perfgoals.tui.screens.merge",
        "perfgoals.tui.screens.recovery",
        "perfgoals.tui.screens.trash",
        # The review (审核): its dialogs and queue.
        "perfgoals.tui.screens.review_dialogs",
        "perfgoals.tui.screens.review_queue",
        "perfgoals.tui.widgets.comments_panel",
    )
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, DOMNode) and value.__module__ == name:
                for binding in value.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id:
                        ids.add(binding.id)
    return ids
