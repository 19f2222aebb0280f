"""Telling a long-running process (the TUI) what other processes changed in the database.

Every write records a history entry (:func:`perfgoals.storage.repository.record_change`), in the
writer's transaction.  That entry is what a watcher reports:

- on **PostgreSQL** the history entry also sends ``NOTIFY perfgoals_changes`` (:func:`publish`), in the
  same transaction, so listeners hear of it exactly when it commits and never of a rolled-back write;
- on **SQLite** a watcher polls ``PRAGMA data_version`` on its own connection (it changes only when
  another connection commits; costs no I/O) and, when it changed, reads the new history entries with
  one primary-key range query.  SQLite writers are serialised, so entry ids are in commit order and
  none is skipped.  (The history says which project changed and how, deletions and budget lines
  included, which comparing revisions could not.)

API
---
``watcher = open_watcher(engine)`` opens a dedicated connection (outside the engine's pool) and
remembers where the history stands; ``watcher.poll() -> list[Change]`` returns what was committed
since the last call, without blocking (safe from a Textual worker thread; calls are serialised by a
lock); ``watcher.close()``.  ``watcher.interval`` is how often polling is worth it (1 s on SQLite,
0.5 s on PostgreSQL).  A watcher is also a context manager.

Each :class:`Change` names the department-year (``department_id`` and ``department_key``
``"code/year"``: a department replaced by ``load``/``import`` comes back under a new id, and the
history entry of a deleted department has lost its id), the project (or ``None``), the
:class:`ChangeKind`, the user, and for a saved project its new revision.  The watcher reports the
process's own writes too: compare ``revision`` with the one the process saved to ignore them.
:data:`ChangeKind.RESYNC` means changes may have been missed (a lost connection): reload everything.

What the TUI does with them: for ``PROJECT_SAVED`` of a project it shows, reload that project; if the
user has unsaved edits, keep them (the next save merges, :mod:`perfgoals.storage.merging`), else
replace the shown version.  ``PROJECT_DELETED`` / ``PROJECT_ADDED`` / ``PROJECT_RESTORED``: refresh the
project list (an open draft of a deleted project stays, to be saved as new or after a restore).
``DEPARTMENT`` / ``BUDGET_LINE`` / ``RESYNC``: reload the department-year, keeping drafts.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from perfgoals.storage.db import StorageError

CHANNEL = "perfgoals_changes"


class ChangeKind(StrEnum):
    PROJECT_SAVED = "project_saved"
    PROJECT_ADDED = "project_added"
    PROJECT_DELETED = "project_deleted"  # moved to the recycle bin
    PROJECT_RESTORED = "project_restored"
    DEPARTMENT = "department"  # loaded, imported, replaced, rolled over or deleted as a whole
    BUDGET_LINE = "budget_line"
    ACCEPTANCE = "acceptance"
    RESYNC = "resync"  # changes may have been missed: reload everything
    OTHER = "other"


_PROJECT_ACTIONS = {
    "update": ChangeKind.PROJECT_SAVED,
    "create": ChangeKind.PROJECT_ADDED,
    "delete": ChangeKind.PROJECT_DELETED,
    "restore": ChangeKind.PROJECT_RESTORED,
    # The review (perfgoals.storage.workflow): a transition or a comment saves the project's status and review.
    **dict.fromkeys(("提交", "撤回", "退回", "部门审核通过", "财政审核", "评论", "回复", "解决", "重开评论"), ChangeKind.PROJECT_SAVED),
}
_ENTITIES = {
    "department": ChangeKind.DEPARTMENT,
    "budget_line": ChangeKind.BUDGET_LINE,
    "acceptance": ChangeKind.ACCEPTANCE,
}


def kind_of(entity: str, action: str) -> ChangeKind:
    """The kind of change a history entry (entity, action) stands for."""
    if entity == "project":
        return _PROJECT_ACTIONS.get(action, ChangeKind.OTHER)
    return _ENTITIES.get(entity, ChangeKind.OTHER)


@dataclass(frozen=True, slots=True)
class Change:
    """Something another connection committed (see the module docstring)."""

    department_id: int | None
    department_key: str
    project_id: int | None
    kind: ChangeKind
    user: str = ""
    revision: int | None = None

    def concerns(self, *, department_id: int | None, department_key: str = "") -> bool:
        """Whether this change is about that department-year (by id, or by ``code/year``)."""
        if self.kind is ChangeKind.RESYNC:
            return True
        if department_id is not None and self.department_id == department_id:
            return True
        return bool(department_key) and self.department_key == department_key


def _revision(entity: str, after: Any) -> int | None:
    if entity != "project" or not isinstance(after, dict):
        return None
    goal = after.get("goal")
    revision = goal.get("revision") if isinstance(goal, dict) else None
    return revision if isinstance(revision, int) else None


def publish(
    session: Session,
    *,
    department_id: int | None,
    department_key: str,
    project_id: int | None,
    entity: str,
    action: str,
    user: str,
    after: Any = None,
) -> None:
    """Tell listening processes about a write, in the caller's transaction (PostgreSQL only:
    SQLite watchers read the history itself)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    payload = json.dumps(
        {
            "d": department_id,
            "k": department_key,
            "p": project_id,
            "c": kind_of(entity, action).value,
            "u": user[:100],
            "r": _revision(entity, after),
        },
        ensure_ascii=False,
    )
    connection.execute(select(func.pg_notify(CHANNEL, payload)))


def _coalesced(changes: Iterable[Change]) -> list[Change]:
    """One change per (department, project, kind), the latest, in the order they last happened."""
    latest: dict[tuple[int | None, str, int | None, ChangeKind], Change] = {}
    for change in changes:
        key = (change.department_id, change.department_key, change.project_id, change.kind)
        latest.pop(key, None)
        latest[key] = change
    return list(latest.values())


class Watcher:
    """Reports what other connections commit; see :func:`open_watcher`."""

    interval: float = 1.0

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._closed = False
        self._raw: Any = None
        self._connect()

    def _connect(self) -> None:
        raw = self._engine.raw_connection()
        driver = raw.driver_connection
        raw.detach()  # a dedicated connection: closing it really closes it
        self._raw = raw
        self._start(driver)

    def _start(self, connection: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _poll(self) -> list[Change]:  # pragma: no cover - overridden
        raise NotImplementedError

    def poll(self) -> list[Change]:
        """What was committed since the last poll (coalesced), without blocking."""
        with self._lock:
            if self._closed:
                raise StorageError("变更监视已关闭")
            try:
                return _coalesced(self._poll())
            except Exception as exc:
                # A lost connection: reconnect (changes meanwhile are unknown: reload everything).
                self._discard()
                try:
                    self._connect()
                except Exception:
                    raise StorageError(f"无法接收其他用户的修改通知：{exc}") from None
                return [Change(None, "", None, ChangeKind.RESYNC)]

    def _discard(self) -> None:
        raw, self._raw = self._raw, None
        if raw is not None:
            with contextlib.suppress(Exception):  # already broken
                raw.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._discard()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


class _SqliteWatcher(Watcher):
    interval = 1.0

    _NEW_ENTRIES = (
        'SELECT id, department_id, department_key, project_id, entity, action, "user", '
        "CASE WHEN entity = 'project' THEN json_extract(\"after\", '$.goal.revision') END "
        "FROM change_log WHERE id > ? ORDER BY id"
    )

    def _start(self, connection: Any) -> None:
        self._connection = connection
        self._version = self._data_version()
        self._last_id = connection.execute("SELECT coalesce(max(id), 0) FROM change_log").fetchone()[0]

    def _data_version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def _poll(self) -> list[Change]:
        version = self._data_version()
        if version == self._version:
            return []
        self._version = version
        rows = self._connection.execute(self._NEW_ENTRIES, (self._last_id,)).fetchall()
        if rows:
            self._last_id = rows[-1][0]
        return [
            Change(
                department_id=department_id,
                department_key=department_key or "",
                project_id=project_id,
                kind=kind_of(entity, action),
                user=user or "",
                revision=int(revision) if revision is not None else None,
            )
            for _, department_id, department_key, project_id, entity, action, user, revision in rows
        ]


class _PostgresWatcher(Watcher):
    interval = 0.5

    def _start(self, connection: Any) -> None:
        if not hasattr(connection, "notifies"):
            raise StorageError("PostgreSQL 的变更通知需要 psycopg 3 驱动（postgresql+psycopg://…）")
        connection.rollback()
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        self._connection = connection

    def _poll(self) -> list[Change]:
        changes: list[Change] = []
        for notify in self._connection.notifies(timeout=0):
            try:
                data = json.loads(notify.payload)
                changes.append(
                    Change(
                        department_id=data.get("d"),
                        department_key=data.get("k") or "",
                        project_id=data.get("p"),
                        kind=ChangeKind(data.get("c", "other")),
                        user=data.get("u") or "",
                        revision=data.get("r"),
                    )
                )
            except (ValueError, TypeError, AttributeError):  # not ours: say something changed
                changes.append(Change(None, "", None, ChangeKind.RESYNC))
        return changes


def open_watcher(engine: Engine) -> Watcher:
    """A watcher of what other connections commit to ``engine``'s database (SQLite or PostgreSQL)."""
    backend = engine.dialect.name
    if backend == "sqlite":
        return _SqliteWatcher(engine)
    if backend == "postgresql":
        return _PostgresWatcher(engine)
    raise StorageError(f"不支持监视 {backend} 数据库的修改")
