"""The review comments of the project shown, under its grid: those of the cursor cell first.

Shown only when the project has comments.  Each entry says where the comment is (整张表, 第 3 行,
第 3 行 指标值), who wrote it and when, its text, and the replies under it.  Choosing one posts
:class:`CommentsPanel.Chosen` (the screen puts the cursor on its cell); the grid's cells carry the
markers (:func:`comment_marks`).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from perfgoals.models import Comment
from perfgoals.tui.editing import GRID_LABELS

#: The marker of a cell with an open comment, and of one whose comments are all answered or resolved.
OPEN_MARK = "◆"
ANSWERED_MARK = "◇"


def is_open(comment: Comment) -> bool:
    """Open: not resolved and not answered yet."""
    return not comment.resolved and not comment.replies


def comment_place(comment: Comment) -> str:
    """Where a comment is: 整张表, 第 3 行 or 第 3 行 指标值 (rows counted from 1)."""
    if comment.row is None:
        return "整张表"
    place = f"第 {comment.row + 1} 行"
    if comment.field:
        place += f" {GRID_LABELS.get(comment.field, comment.field)}"
    return place


def comment_key(comment: Comment, shown: tuple[str, ...] | None = None) -> tuple[int, str] | None:
    """The grid cell a comment is marked on: its cell, or the row's 三级 for a whole row (or a
    column not ``shown``); ``None`` for the whole table."""
    if comment.row is None:
        return None
    field = comment.field or "level3"
    if shown is not None and field not in shown:
        field = "level3"
    return (comment.row, field)


def comment_marks(comments: list[Comment], shown: tuple[str, ...] | None = None) -> dict[tuple[int, str], str]:
    """(0-based row, grid field) → ◆ where an open comment is, ◇ where all are answered or resolved."""
    marks: dict[tuple[int, str], str] = {}
    for comment in comments:
        key = comment_key(comment, shown)
        if key is None:
            continue
        if is_open(comment):
            marks[key] = OPEN_MARK
        else:
            marks.setdefault(key, ANSWERED_MARK)
    return marks


def comments_at(comments: list[Comment], row: int | None, field: str | None) -> list[Comment]:
    """The comments of cell (``row``, ``field``) and of its whole row."""
    if row is None:
        return []
    return [c for c in comments if c.row == row and (c.field is None or c.field == field)]


def _when(comment: Comment) -> str:
    return comment.at.astimezone().strftime("%m-%d %H:%M") if comment.at is not None else ""


def comment_text(comment: Comment, *, here: bool = False) -> Text:
    """One comment and its replies, as the panel lists it."""
    text = Text(no_wrap=False)
    text.append(f"{'▶' if here else ' '}{OPEN_MARK if is_open(comment) else ANSWERED_MARK} ", style="bold magenta")
    text.append(f"#{comment.number} ", style="dim")
    text.append(comment_place(comment), style="bold")
    # The text on the first line: in a short terminal the panel shows one line per comment.
    text.append(f"：{comment.text}")
    who = comment.author + (f"（{comment.role.value}）" if comment.role is not None else "")
    text.append(f"  —{who} {_when(comment)}", style="dim")
    if comment.resolved:
        text.append("  已解决", style="green")
    for reply in comment.replies:
        when = reply.at.astimezone().strftime("%m-%d %H:%M") if reply.at is not None else ""
        text.append(f"\n   ↳ {reply.author} {when}：", style="dim")
        text.append(reply.text)
    return text


class CommentsPanel(OptionList):
    """The project's review comments; those of the cursor cell (and its row) first, marked ▶."""

    HELP_NAME = "审核意见"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("r", "reply", "回复该评论", id="comments.reply")]

    class Chosen(Message):
        """A comment was chosen (Enter or a click): show its cell."""

        def __init__(self, comment: Comment) -> None:
            super().__init__()
            self.comment = comment

    class ReplyRequested(Message):
        """``r`` on a comment: answer it."""

        def __init__(self, comment: Comment) -> None:
            super().__init__()
            self.comment = comment

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._comments: list[Comment] = []
        self._shown: tuple[object, ...] | None = None
        self.border_title = "审核意见"
        self.display = False

    @property
    def comments(self) -> list[Comment]:
        """The comments as listed, in order."""
        return list(self._comments)

    @property
    def highlighted_comment(self) -> Comment | None:
        index = self.highlighted
        if index is None or index >= len(self._comments):
            return None
        return self._comments[index]

    def show(self, comments: list[Comment], row: int | None = None, field: str | None = None) -> None:
        """List ``comments`` with those of cell (``row``, ``field``) first; hidden when there are none."""
        here = comments_at(comments, row, field)
        here_numbers = {c.number for c in here}
        table = [c for c in comments if c.row is None]
        others = [c for c in comments if c.row is not None and c.number not in here_numbers]
        ordered = [*here, *table, *others]
        open_count = sum(1 for c in comments if is_open(c))
        title = f"审核意见 {len(comments)} 条（待回复 {open_count}）"
        if here:
            title += f"  本格/本行 {len(here)} 条"
        self.border_title = title
        self.display = bool(comments)
        shown = tuple((c.model_dump_json(), c.number in here_numbers) for c in ordered)
        if shown == self._shown:
            return
        self._shown = shown
        self._comments = ordered
        self.set_options(
            [Option(comment_text(c, here=c.number in here_numbers), id=f"comment-{c.number}") for c in ordered]
        )
        if ordered:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._comments):
            self.post_message(self.Chosen(self._comments[event.option_index]))

    def action_reply(self) -> None:
        comment = self.highlighted_comment
        if comment is not None:
            self.post_message(self.ReplyRequested(comment))
