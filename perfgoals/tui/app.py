"""The perfgoals terminal app: a thin shell around the main screen.

Bindings live on the app (help, quit) and on the screens; the footer, the command palette and the
help screen all read them, so every key is described in one place.  The app also:

- sees every key before Textual hands it on (:meth:`PerfgoalsApp.on_event`): typing on the grid starts
  a cell edit there, and keys typed before a just-opened dialog has focused its field are held and
  handed to the field once it has, so a burst of keys (an IME's word) never loses a character;
- keeps its theme, remapped keys and the department-year last opened in the settings file
  (:mod:`perfgoals.tui.config`);
- ends with a message and exit code 1 when an unexpected error stopped it, never a silent 0.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input, TextArea

from perfgoals.errors import EXIT_INTERNAL
from perfgoals.tui.commands import FindProvider, ThemeNames, known_binding_ids
from perfgoals.tui.config import Settings
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens.main import MainScreen
from perfgoals.tui.textual_compat import ChineseCommandPalette, forward_key

#: Keys held for a field that is about to take the focus, once some text is held before them.
_HELD_AFTER_TEXT = frozenset({"enter", "backspace", "delete", "escape", "tab", "shift+tab", "left", "right"})

#: What is said after Textual's traceback when an unexpected error ended the app.
CRASH_MESSAGE = "perfgoals 因意外错误退出（错误详情见上）。请把上面的信息转给维护人员。"


class TypeAhead:
    """Keys typed before the widget they are meant for can take them, held and then handed to it in order.

    Two moments lose keys otherwise: a dialog has just been pushed and focuses its first field a moment
    later (keys meanwhile go to no widget); and a key bound to a command on the list or table that has
    the focus (``n`` 新建, ``a`` 新增 …) acts only once it has gone round the focused widget and its
    parents, while the keys typed after it are already being handed to the list.  Keys typed in
    either moment are held; once the command has run and something has the focus, they are handed to
    it (through the screen's own key routing, so that on the grid they start an edit).
    """

    #: How long a command may take to act on its key before the held keys are handed on anyway.
    COMMAND_WAIT = 0.5

    def __init__(self) -> None:
        self._screen: Screen[Any] | None = None  # the screen the keys are for (None: whichever is active)
        self._keys: list[events.Key] = []
        self.command: events.Key | None = None
        self._deadline = 0.0

    def hold(self, app: App[Any], event: events.Key) -> bool:
        """Hold ``event`` if nothing can take it yet; True when held.  Held keys are released first,
        in order, as soon as something can take them."""
        if self._keys and self._screen is not None and app.screen is not self._screen:
            self._keys.clear()  # the screen they were meant for is gone
        if self.command is not None and time.monotonic() > self._deadline:
            self.command = None
        if self.command is None and self.release(app):
            return False
        if self.command is None and app.screen.focused is not None:
            return False
        if not (event.is_printable or (self._keys and event.key in _HELD_AFTER_TEXT)):
            return False
        if self.command is None and not self._keys:
            self._screen = app.screen
        self._keys.append(event)
        self._wait(app, 25)
        return True

    def start_command(self, event: events.Key) -> None:
        """``event`` is bound to a command of the focused list or table: hold what follows it."""
        self.command = event
        self._deadline = time.monotonic() + self.COMMAND_WAIT
        self._screen = None

    def command_done(self, app: App[Any]) -> None:
        self.command = None
        if self._keys and not self.release(app):
            self._wait(app, 25)

    def release(self, app: App[Any]) -> bool:
        """Hand the held keys on; True when there were some and they went."""
        if not self._keys or self.command is not None:
            return False
        screen = app.screen
        if self._screen is not None and screen is not self._screen:
            return False
        if screen.focused is None:
            return False
        keys, self._keys = self._keys, []
        self._screen = None
        route = getattr(screen, "route_key", None)
        for key in keys:
            if route is not None and route(key):
                continue
            focused = screen.focused
            if focused is not None:
                forward_key(focused, key)
        return True

    def _wait(self, app: App[Any], tries: int) -> None:
        def check() -> None:
            if self.command is not None and time.monotonic() > self._deadline:
                self.command = None
            if self._keys and not self.release(app) and tries > 0:
                self._wait(app, tries - 1)

        app.set_timer(0.02, check)


class PerfgoalsApp(App[None]):
    """Fill in, check and save goal tables; opened by ``perfgoals`` / ``perfgoals tui``."""

    CSS_PATH = "app.tcss"
    TITLE = "perfgoals 绩效目标"
    ENABLE_COMMAND_PALETTE = True
    COMMAND_PALETTE_DISPLAY = "命令"
    COMMANDS = App.COMMANDS | {FindProvider}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "帮助", id="app.help"),
        Binding("ctrl+q", "request_quit", "退出", id="app.quit", priority=True),
        Binding("ctrl+p", "command_palette", "命令面板", id="app.command_palette", show=False),
    ]

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        if context.settings is None:
            context.settings = Settings.load()
        self.context = context
        self.settings = context.settings
        self.main_screen = MainScreen(context)
        self.type_ahead = TypeAhead()
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.settings.problem:
            self.notify(self.settings.problem, title="配置文件", severity="warning", timeout=10)
        if self.settings.keys:
            unknown = sorted(set(self.settings.keys) - known_binding_ids())
            if unknown:
                self.notify(
                    f"配置文件 [keys] 中没有这些按键编号：{'、'.join(unknown)}（F1 帮助、README 中有全部编号）",
                    title="配置文件",
                    severity="warning",
                    timeout=10,
                )
            self.set_keymap(self.settings.keys)

    def _theme_changed(self, theme: Theme) -> None:
        self.settings.set_theme(theme.name)

    # -- every key and paste, before Textual hands it on -------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.type_ahead.hold(self, event):
                return
            route = getattr(self.screen, "route_key", None)
            if route is not None and route(event):
                return
            if self._is_command(event):
                self.type_ahead.start_command(event)
        elif (
            isinstance(event, events.Paste)
            and not event.is_forwarded
            and self.screen is self.main_screen
            and self.main_screen.route_paste(event)
        ):
            return
        await super().on_event(event)

    def _is_command(self, event: events.Key) -> bool:
        """Whether ``event`` is bound (not as a priority) to a command, with no text field focused."""
        active = self.screen.active_bindings.get(event.key)
        focused = self.screen.focused
        return (
            active is not None
            and not active.binding.priority
            and focused is not None
            and not isinstance(focused, (Input, TextArea))
        )

    def on_key(self, event: events.Key) -> None:
        # A key that went round the focused widget and its parents: its binding runs right after this,
        # and what it focuses (often with a deferred ``focus()``) has the focus after the next refresh.
        if event is self.type_ahead.command:
            self.call_after_refresh(self.type_ahead.command_done, self)

    # -- actions --------------------------------------------------------------------------------

    def action_help(self) -> None:
        from perfgoals.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.context))

    def action_request_quit(self) -> None:
        """Quit, after asking about unsaved edits."""
        self.main_screen.confirm_leave("退出", self.exit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and self.screen.id != "--command-palette":
            self.push_screen(
                ChineseCommandPalette(
                    id="--command-palette", placeholder="搜索命令、部门或项目（名称、编码、拼音首字母）…"
                )
            )

    def action_change_theme(self) -> None:
        self.push_screen(ChineseCommandPalette(providers=[ThemeNames], placeholder="搜索主题（名称或中文）…"))

    # -- what help and the palette list -----------------------------------------------------------

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
        yield SystemCommand("切换主题", "更换界面配色（记入配置文件）", self.action_change_theme)
        yield SystemCommand(
            "截图", "把当前屏幕保存为 SVG 图片", lambda: self.set_timer(0.1, self.deliver_screenshot)
        )

    # -- ending -----------------------------------------------------------------------------------

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Run the app; when an unexpected error ended it, say so and exit with the internal-error code.

        (``perfgoals tui`` calls this and would otherwise end with 0 whatever happened.)
        """
        result = super().run(*args, **kwargs)
        if self.return_code:
            print(CRASH_MESSAGE, file=sys.stderr)
            raise SystemExit(EXIT_INTERNAL)
        return result


def run_app(context: TuiContext) -> None:
    PerfgoalsApp(context).run()
