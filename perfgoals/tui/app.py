"""The perfgoals terminal app: a thin shell around the main screen.

Bindings live on the app (help, quit) and on the screens; the footer, the command palette and the
help screen all read them, so every key is described in one place.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens.main import MainScreen


class PerfgoalsApp(App[None]):
    """Fill in, check and save goal tables; opened by ``perfgoals`` / ``perfgoals tui``."""

    CSS_PATH = "app.tcss"
    TITLE = "perfgoals 绩效目标"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_DISPLAY = "命令"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "帮助", id="app.help"),
        Binding("ctrl+q", "request_quit", "退出", id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", "命令面板", id="app.command_palette", show=False),
    ]

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        self.main_screen = MainScreen(context)

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def action_help(self) -> None:
        try:
            module = importlib.import_module("perfgoals.tui.screens.help")
        except ModuleNotFoundError as exc:
            if exc.name != "perfgoals.tui.screens.help":
                raise
            module = None
        screen_class = getattr(module, "HelpScreen", None)
        if screen_class is None:
            self.notify("尚未提供", title="帮助", severity="warning")
            return
        self.push_screen(screen_class(self.context))

    def action_request_quit(self) -> None:
        """Quit, after asking about unsaved edits."""
        self.main_screen.confirm_leave("退出", self.exit)

    def all_bindings(self) -> list[tuple[str, Binding]]:
        """Every binding of the app and its main screen as (where, binding): for help and the palette."""
        result: list[tuple[str, Binding]] = []
        for where, holder in (("全局", type(self)), ("主界面", MainScreen)):
            for binding in holder.BINDINGS:
                if isinstance(binding, Binding):
                    result.append((where, binding))
        from perfgoals.tui.widgets.goal_grid import GoalGrid

        result.extend(("指标表格", b) for b in GoalGrid.BINDINGS if isinstance(b, Binding))
        return result

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        seen: set[str] = set()
        for where, binding in self.all_bindings():
            if binding.action in seen or binding.action in ("command_palette",) or where == "指标表格":
                continue
            seen.add(binding.action)
            target = self if where == "全局" else self.main_screen
            if target is self.main_screen and screen is not self.main_screen:
                continue
            action = binding.action
            yield SystemCommand(
                binding.description,
                f"快捷键 {self.get_key_display(binding)}",
                lambda target=target, action=action: target.run_action(action),
            )
        yield SystemCommand("切换主题", "更换界面配色", self.action_change_theme)
        yield SystemCommand(
            "截图", "把当前屏幕保存为 SVG 图片", lambda: self.set_timer(0.1, self.deliver_screenshot)
        )


def run_app(context: TuiContext) -> None:
    PerfgoalsApp(context).run()
