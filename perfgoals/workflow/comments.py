"""Review comments: on the whole table, one indicator row or one cell; replies; resolving; merging.

Rows are 0-based here as in :class:`~perfgoals.models.Comment` (the CLI and the TUI show them from 1);
a cell's column is an :class:`~perfgoals.models.Indicator` attribute, named in Chinese by users
(:func:`column_field`: ``指标值`` → ``value``, ``指标值确定依据`` → ``basis`` …).  A comment quotes what it
was about when it was made (the cell's text, or the row's 三级指标), so it still reads right after edits.

- :func:`make_comment` ``(project, *, author, role, text, row=None, field=None, at=None) -> Comment``
  (numbered after the project's last comment).
- :func:`with_comment`, :func:`with_reply`, :func:`with_resolved`: the project after each.
- :func:`merge_comments` / :func:`merge_reviews` ``(base, mine, theirs)``: a three-way merge that never
  loses a comment, a reply or a transition (:mod:`perfgoals.merge` uses them for these two fields):
  comments by number (a number both sides added for different comments: mine is renumbered after theirs),
  replies by union, ``resolved`` from the side that changed it; transitions by union in time order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from perfgoals import columns
from perfgoals.models import Comment, Project, Reply, ReviewEvent, Role
from perfgoals.workflow.machine import WorkflowError

#: What reviewers call the level columns for short (the rest are the goal table's headers, :mod:`perfgoals.columns`).
_LEVEL_WORDS = {"一级": "level1", "二级": "level2", "三级": "level3"}


def column_field(name: str) -> str:
    """The Indicator attribute a column name means (its header or an alias, or the attribute itself)."""
    wanted = name.strip()
    field = columns.header_field(wanted) or _LEVEL_WORDS.get(wanted)
    if field is None and wanted in columns.ALL_FIELDS:
        field = wanted
    if field is None:
        named = "、".join(column.label for column in columns.INDICATOR_COLUMNS)
        raise WorkflowError(f"没有“{name}”这一列；可评论的列：{named}")
    return field


def column_label(field: str) -> str:
    return columns.column(field).label if columns.is_column(field) else field


def where(comment: Comment) -> str:
    """Where a comment is, in words: ``整表``, ``第3行``, ``第3行 指标值``."""
    if comment.row is None:
        return "整表"
    place = f"第{comment.row + 1}行"
    return f"{place} {column_label(comment.field)}" if comment.field else place


def make_comment(
    project: Project,
    *,
    author: str,
    role: Role | None,
    text: str,
    row: int | None = None,
    field: str | None = None,
    at: datetime | None = None,
) -> Comment:
    """A new comment on ``project`` (not yet added): checked, quoted, numbered after the last one."""
    if not text.strip():
        raise WorkflowError("评论内容不能为空")
    if field is not None and row is None:
        raise WorkflowError("评论单元格时要同时指明行（--row）")
    quote = ""
    if row is not None:
        rows = project.goal.indicators
        if not 0 <= row < len(rows):
            raise WorkflowError(f"项目“{project.name}”的绩效目标表只有 {len(rows)} 行指标，没有第 {row + 1} 行")
        if field is not None and field not in columns.ALL_FIELDS:
            field = column_field(field)
        quote = columns.cell_text(rows[row], field) if field else rows[row].level3
    number = max((comment.number for comment in project.comments), default=0) + 1
    return Comment(
        number=number,
        author=author,
        role=role,
        at=at or datetime.now(UTC),
        text=text,
        row=row,
        field=field,
        quote=quote,
    )


def with_comment(project: Project, comment: Comment) -> Project:
    return project.model_copy(update={"comments": [*project.comments, comment]})


def find_comment(project: Project, number: int) -> Comment:
    for comment in project.comments:
        if comment.number == number:
            return comment
    numbers = "、".join(str(c.number) for c in project.comments) or "无"
    raise WorkflowError(f"项目“{project.name}”没有第 {number} 条评论（现有评论：{numbers}）")


def _replaced(project: Project, number: int, comment: Comment) -> Project:
    return project.model_copy(
        update={"comments": [comment if c.number == number else c for c in project.comments]}
    )


def with_reply(project: Project, number: int, *, author: str, text: str, at: datetime | None = None) -> Project:
    """``project`` with a reply to comment ``number``."""
    if not text.strip():
        raise WorkflowError("回复内容不能为空")
    comment = find_comment(project, number)
    reply = Reply(author=author, text=text, at=at or datetime.now(UTC))
    return _replaced(project, number, comment.model_copy(update={"replies": [*comment.replies, reply]}))


def with_resolved(project: Project, number: int, *, resolved: bool = True) -> Project:
    """``project`` with comment ``number`` marked resolved (or open again)."""
    comment = find_comment(project, number)
    return _replaced(project, number, comment.model_copy(update={"resolved": resolved}))


# --- merging ------------------------------------------------------------------------------------------


def _reply_key(reply: Reply) -> tuple[str, str, str]:
    return (reply.author, reply.text, reply.at.isoformat() if reply.at else "")


def _union_replies(base: Sequence[Reply], mine: Sequence[Reply], theirs: Sequence[Reply]) -> list[Reply]:
    seen: set[tuple[str, str, str]] = set()
    merged: list[Reply] = []
    for reply in [*base, *theirs, *mine]:
        key = _reply_key(reply)
        if key not in seen:
            seen.add(key)
            merged.append(reply)
    return merged


def _same_comment(a: Comment, b: Comment) -> bool:
    return (a.author, a.text, a.row, a.field, a.at) == (b.author, b.text, b.row, b.field, b.at)


def _merge_one(base: Comment | None, mine: Comment, theirs: Comment) -> Comment:
    """One comment both sides have (the same comment): replies united, resolved from the side that changed."""
    resolved = theirs.resolved
    if base is not None and theirs.resolved == base.resolved:
        resolved = mine.resolved
    elif base is None:
        resolved = mine.resolved or theirs.resolved
    replies = _union_replies(base.replies if base else [], mine.replies, theirs.replies)
    return theirs.model_copy(update={"replies": replies, "resolved": resolved})


def merge_comments(base: Sequence[Comment], mine: Sequence[Comment], theirs: Sequence[Comment]) -> list[Comment]:
    """Every comment of either side, by number (module docstring)."""
    base_by = {c.number: c for c in base}
    mine_by = {c.number: c for c in mine}
    merged = {c.number: c for c in theirs}
    renumber: list[Comment] = []
    for number, comment in mine_by.items():
        other = merged.get(number)
        if other is None:
            if number in base_by:
                continue  # theirs removed it (comments are never removed by the review; keep theirs)
            merged[number] = comment
        elif _same_comment(comment, other):
            merged[number] = _merge_one(base_by.get(number), comment, other)
        else:
            renumber.append(comment)  # both added a comment under this number
    following = max(merged, default=0)
    for comment in renumber:
        following += 1
        merged[following] = comment.model_copy(update={"number": following})
    return [merged[number] for number in sorted(merged)]


def _event_key(event: ReviewEvent) -> str:
    return event.model_dump_json()


def merge_reviews(
    base: Sequence[ReviewEvent], mine: Sequence[ReviewEvent], theirs: Sequence[ReviewEvent]
) -> list[ReviewEvent]:
    """Every transition of either side, in time order (the history only grows)."""
    seen: set[str] = set()
    merged: list[ReviewEvent] = []
    for event in [*theirs, *mine]:
        key = _event_key(event)
        if key not in seen:
            seen.add(key)
            merged.append(event)
    far = datetime.max.replace(tzinfo=UTC)

    def when(event: ReviewEvent) -> datetime:
        if event.at is None:
            return far
        return event.at if event.at.tzinfo is not None else event.at.replace(tzinfo=UTC)

    return sorted(merged, key=when)
