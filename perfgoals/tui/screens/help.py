"""帮助: every key of the app and of the screen underneath, read from the bindings themselves.

Nothing here is a hand-written list of keys: the table is built from the ``BINDINGS`` of the app,
the active screen and the focused widget (their descriptions; the binding ids, which the settings
file's [keys] uses, are kept in :attr:`HelpScreen.entries` and listed in the README, not shown), so
it cannot drift from what the keys do.  Textual's own bindings carry English descriptions; the few a user meets are given
Chinese names by action below, and the rest of Textual's built-in widget keys are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from perfgoals.tui.context import TuiContext
from perfgoals.tui.textual_compat import inherits_bindings

#: Chinese names of Textual's built-in actions that a user meets in perfgoals.
BUILTIN_NAMES: dict[str, str] = {
    "quit": "退出",
    "help_quit": "退出提示",
    "command_palette": "命令面板",
    "app.focus_next": "下一个控件",
    "app.focus_previous": "上一个控件",
    "screen.copy_text": "复制所选文字",
    "select_cursor": "选中",
    "cursor_up": "上移",
    "cursor_down": "下移",
    "cursor_left": "左移",
    "cursor_right": "右移",
    "page_up": "上翻页",
    "page_down": "下翻页",
    "scroll_top": "到顶部",
    "scroll_bottom": "到底部",
    "scroll_home": "到顶部",
    "scroll_end": "到底部",
    "submit": "提交",
    "home": "行首",
    "end": "行尾",
    "delete_left": "删除左侧字符",
    "delete_right": "删除右侧字符",
}


@dataclass(frozen=True, slots=True)
class KeyHelp:
    where: str
    keys: str
    description: str
    binding_id: str


def _bindings(node_type: type[DOMNode]) -> Iterator[Binding]:
    """The bindings a node class declares, its own first, then inherited ones (as Textual merges them)."""
    for cls in node_type.__mro__:
        declared = cls.__dict__.get("BINDINGS")
        if declared:
            yield from Binding.make_bindings(declared)
        if not inherits_bindings(cls):
            break


def describe(binding: Binding) -> str | None:
    """The Chinese description of ``binding``, or None for a Textual internal without one."""
    action = binding.action.split("(")[0]
    if action in BUILTIN_NAMES:
        return BUILTIN_NAMES[action]
    if binding.description and not binding.description.isascii():
        return binding.description
    return None


def collect(app: App[object], screen: Screen[object] | None) -> list[KeyHelp]:
    """Every key of ``app`` and ``screen`` (and its focused widget), deduplicated by key and place."""
    sources: list[tuple[str, type[DOMNode]]] = []
    widgets: list[tuple[str, type[DOMNode]]] = []
    if screen is not None:
        sources.append((f"当前屏幕：{_screen_name(screen)}", type(screen)))
        focused = screen.focused
        if focused is not None:
            for node in focused.ancestors_with_self:
                if node is screen:
                    break
                widgets.append((_widget_name(node), type(node)))
    sources.append(("全局", type(app)))
    sources.extend(widgets)  # the focused widget's own keys last: they are the most generic

    # One row per binding: Textual splits "ctrl+c,super+c" into one Binding per key, so join them back.
    rows: dict[tuple[str, str, str, str], list[str]] = {}
    taken: set[tuple[str, str]] = set()
    for where, node_type in sources:
        for binding in _bindings(node_type):
            description = describe(binding)
            if description is None or (where, binding.key) in taken:
                continue  # a subclass's binding of the same key replaces the inherited one
            taken.add((where, binding.key))
            display = app.get_key_display(binding)
            rows.setdefault((where, binding.action, description, binding.id or ""), []).append(display)
    result = [
        KeyHelp(where, "、".join(keys), description, binding_id)
        for (where, _action, description, binding_id), keys in rows.items()
    ]
    return result


def screen_commands(app: App[object], screen: Screen[object]) -> Iterator[SystemCommand]:
    """Command-palette entries for every described binding of ``screen`` (for ``App.get_system_commands``)."""
    seen: set[str] = set()
    for binding in _bindings(type(screen)):
        description = describe(binding)
        if description is None or binding.action in seen or binding.action.startswith("app."):
            continue
        seen.add(binding.action)
        yield SystemCommand(
            description,
            f"{_screen_name(screen)}：快捷键 {app.get_key_display(binding)}",
            partial(screen.run_action, binding.action),
        )


def _screen_name(screen: Screen[object]) -> str:
    """The screen's Chinese name: its ``HELP_NAME`` or title (never its class name, when it has one)."""
    return getattr(screen, "HELP_NAME", None) or screen.title or getattr(screen, "TITLE", None) or type(screen).__name__


#: Chinese names of the Textual widgets whose keys are listed.
WIDGET_NAMES: dict[str, str] = {
    "DataTable": "表格",
    "Input": "输入框",
    "Select": "下拉框",
    "SelectCurrent": "下拉框",
    "OptionList": "选项列表",
    "TextArea": "文本框",
    "Button": "按钮",
    "RadioSet": "单选组",
    "Checkbox": "复选框",
    "VerticalScroll": "滚动区",
}


def _widget_name(node: DOMNode) -> str:
    """A Chinese name for the widget's section: its ``HELP_NAME``, else a known Textual widget's name."""
    name = getattr(node, "HELP_NAME", None)
    if name:
        return str(name)
    for cls in type(node).__mro__:
        if cls.__name__ in WIDGET_NAMES:
            return f"控件：{WIDGET_NAMES[cls.__name__]}"
    return f"控件：{type(node).__name__}"


class HelpScreen(ModalScreen[None]):
    """Every key, generated from the bindings; Escape, F1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", "关闭帮助", id="help.close")]

    def __init__(self, context: TuiContext | None = None) -> None:
        super().__init__(classes="dialog")
        self.context = context
        self.entries: list[KeyHelp] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide", id="help-box"):
            yield Static(
                "按键帮助（由各处的键绑定生成；ctrl+p 打开命令面板，可搜索全部操作）", classes="dialog-title"
            )
            table: DataTable[str] = DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            table.add_column("范围", key="where")
            table.add_column("按键", key="keys")
            table.add_column("功能", key="description")
            yield table
            yield Static(
                "改键：在设置文件 config.toml 的 [keys] 中按编号设置（位置与编号见 README）",
                classes="screen-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        stack = self.app.screen_stack
        underneath = stack[-2] if len(stack) > 1 and stack[-1] is self else None
        self.entries = collect(self.app, underneath)
        table = self.query_one(DataTable)
        for entry in self.entries:
            table.add_row(entry.where, entry.keys, entry.description)
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
