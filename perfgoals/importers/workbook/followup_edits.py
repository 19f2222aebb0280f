"""What a 工作版 brings back besides its project sheets: edits of the 部门整体绩效目标 sheet and replies
typed into the 回复 column of the 审核意见 sheet (:mod:`perfgoals.export.followup_sheets` wrote both).

* **部门整体绩效目标**: a cell that differs from what was exported (the workbook's embedded dump) is
  taken, unless the database changed the same text differently meanwhile: then it is reported, not
  taken.
* **回复**: a reply is added to the comment its row names (department, year, project, 编号), by the
  person importing, unless that comment already has the same reply from them (importing the same
  workbook twice adds it once).

Each change is one line of the import's report; both run in the import's transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from perfgoals.export.followup_sheets import (
    COMMENTS,
    COMMENTS_SHEET,
    GOAL_FIELDS,
    GOALS,
    GOALS_SHEET,
    REPLY_HEADER,
)
from perfgoals.models import Department, Reply
from perfgoals.storage import repository as repo
from perfgoals.storage.department_goals import load_department_goals, save_department_goals
from perfgoals.text import visible


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _records(workbook: Any, name: str, header_row: int) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    """The sheet's columns by header, and its records (rows after the header)."""
    rows = list(workbook[name].iter_rows(values_only=True))
    if len(rows) <= header_row:
        return {}, []
    header = {
        _text(label).strip(): index for index, label in enumerate(rows[header_row]) if label is not None
    }
    return header, rows[header_row + 1 :]


def _department_id(session: Session, code: str, year: int) -> int | None:
    try:
        return repo.find_department(session, code=code, year=year).id
    except repo.NotFound:
        return None


def goal_edits(
    session: Session, workbook: Any, *, exported: dict[tuple[str, int], Department], user: str
) -> list[str]:
    """Take the edits of the 部门整体绩效目标 sheet; returns the report lines."""
    if GOALS_SHEET not in workbook.sheetnames:
        return []
    header, records = _records(workbook, GOALS_SHEET, GOALS.header_row)
    if "部门编码" not in header or "年度" not in header:
        return []
    lines: list[str] = []
    for record in records:
        code = _text(record[header["部门编码"]]).strip()
        try:
            year = int(_text(record[header["年度"]]).strip())
        except ValueError:
            continue
        base = exported.get((code, year))
        department_id = _department_id(session, code, year)
        if base is None or department_id is None:
            continue
        stored = load_department_goals(session, department_id=department_id)
        updates: dict[str, str] = {}
        for label, field in GOAL_FIELDS.items():
            if label not in header:
                continue
            mine = _text(record[header[label]])
            was = getattr(base.goals, field)
            if mine == visible(was) or mine == was:
                continue
            theirs = getattr(stored, field)
            if theirs not in (was, mine):
                lines.append(f"{GOALS_SHEET}！{code} {label}：数据库中已被他人改过，工作簿的修改未导入")
                continue
            updates[field] = mine
            lines.append(f"{GOALS_SHEET}！{code} {label}：已按工作簿修改")
        if updates:
            save_department_goals(
                session, department_id=department_id, goals=stored.model_copy(update=updates), user=user
            )
    return lines


def reply_edits(session: Session, workbook: Any, *, user: str) -> list[str]:
    """Add the replies typed into the 审核意见 sheet's 回复 column; returns the report lines."""
    if COMMENTS_SHEET not in workbook.sheetnames:
        return []
    header, records = _records(workbook, COMMENTS_SHEET, COMMENTS.header_row)
    needed = ("部门编码", "年度", "项目名称", "编号", REPLY_HEADER)
    if any(label not in header for label in needed):
        return []
    wanted: dict[tuple[str, int, str], list[tuple[int, str]]] = {}
    for record in records:
        reply = _text(record[header[REPLY_HEADER]])
        if not reply.strip():
            continue
        try:
            key = (
                _text(record[header["部门编码"]]).strip(),
                int(_text(record[header["年度"]]).strip()),
                _text(record[header["项目名称"]]),
            )
            number = int(_text(record[header["编号"]]).strip())
        except ValueError:
            continue
        wanted.setdefault(key, []).append((number, reply))
    lines: list[str] = []
    for (code, year, name), replies in wanted.items():
        department_id = _department_id(session, code, year)
        if department_id is None:
            lines.append(f"{COMMENTS_SHEET}：没有部门 {code}（{year} 年），回复未导入")
            continue
        department = repo.load_department(session, department_id=department_id)
        project = department.project(name)
        if project is None:
            lines.append(f"{COMMENTS_SHEET}：{code} 没有项目“{name}”，回复未导入")
            continue
        comments = [comment.model_copy(deep=True) for comment in project.comments]
        added = 0
        for number, text in replies:
            comment = next((c for c in comments if c.number == number), None)
            if comment is None:
                lines.append(f"{COMMENTS_SHEET}：“{name}”没有第 {number} 条审核意见，回复未导入")
                continue
            if any(reply.text == text and reply.author == user for reply in comment.replies):
                continue  # imported before
            comment.replies.append(Reply(author=user, text=text, at=datetime.now(UTC)))
            added += 1
            lines.append(f"{COMMENTS_SHEET}：“{name}”第 {number} 条审核意见已加回复")
        if added:
            repo.save_project(
                session,
                project=project.model_copy(update={"comments": comments}),
                expected_revision=project.goal.revision,
                user=user,
            )
    return lines
