"""The main screen's header and footer."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from perfgoals.tui.textual_compat import ClickableHeader, footer_key, footer_ready


class DepartmentHeader(ClickableHeader):
    """The header, whose department and year open the department switcher when clicked."""

    async def clicked(self) -> None:
        await self.screen.run_action("other('departments')")


class QuietFooter(Footer):
    """A footer that shows the app's own keys (F1 帮助, ^q 退出) first, so that a narrow terminal cuts
    off the least needed keys, and rebuilds its keys only when the keys it shows change.

    Every focus change (opening and closing the cell editor, moving between panes) signals that
    bindings changed; Textual's footer then recomposes all its keys, which costs more than the
    edit itself.
    """

    _shown_keys: tuple[object, ...] | None = None
    #: Set while the cell editor is open: the editor shows its own keys (Enter, Esc) in its hint
    #: line, and rebuilding the footer's keys on opening and again on closing it cost more than
    #: the edit and its re-check together.
    frozen = False

    def compose(self) -> ComposeResult:
        if not footer_ready(self):
            return
        active = [
            (node, binding, enabled, tooltip)
            for (node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        ]
        # The app's keys first (stable otherwise): they are what a user must always find.
        active.sort(key=lambda entry: 0 if isinstance(entry[0], App) else 1)
        seen: set[str] = set()
        palette = self.app.COMMAND_PALETTE_BINDING
        for _node, binding, enabled, tooltip in active:
            if binding.action in seen or binding.key == palette:
                continue
            seen.add(binding.action)
            yield footer_key(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or binding.description,
            ).data_bind(compact=Footer.compact)
        palette_key = self.screen.active_bindings.get(palette)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette_key is not None:
            _node, binding, enabled, tooltip = palette_key
            yield footer_key(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
                classes="-command-palette",
            )

    def bindings_changed(self, screen: Screen) -> None:
        if self.frozen and footer_ready(self):
            return
        if self.is_attached and screen is self.screen:
            keys = tuple(
                (binding.key, binding.action, binding.description, enabled, tooltip)
                for (_, binding, enabled, tooltip) in screen.active_bindings.values()
                if binding.show
            )
            if keys == self._shown_keys and footer_ready(self):
                return
            # Textual skips the rebuild while the terminal is unfocused: remember only what is shown.
            self._shown_keys = keys if screen.app.app_focus else None
        super().bindings_changed(screen)
