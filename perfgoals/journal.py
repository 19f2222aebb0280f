"""The crash journal: unsaved edits kept on disk as they happen, offered back after a crash.

One recovery file per user and database, like an editor's swap file, in the platform's user state
folder (``~/.local/state/perfgoals/recovery/`` on Linux; ``$PERFGOALS_RECOVERY_DIR`` overrides it).
Its name is a hash of the database (its URL without password) and the user, so two databases or two
users never share one.  It holds every unsaved draft as a :class:`perfgoals.merge.Draft`: the saved
version the edits started from (``base``, with its revision) and the edits (``mine``), so a recovered
draft is saved like any other (:func:`perfgoals.storage.merging.merge_and_save`), merging whatever was
saved meanwhile.

Each write replaces the whole file atomically: a temporary file in the same folder, written, flushed
and fsynced, then ``os.replace``-d over the old one and the folder fsynced.  A crash (even SIGKILL or a
power cut) at any moment leaves either the old file or the new one, never a mix.

API
---
- ``journal = Journal(url, user)`` (``directory=`` for tests); ``journal.path``.
- ``journal.write(drafts)``: call after **every** change to a draft (a cell, a row, a field, undo,
  redo, a merge), with all drafts that are dirty; an empty list removes the file.
- ``journal.clear()``: everything is saved (or discarded): removes the file.
- ``load_recovery(url, user) -> list[RecoveredDraft]`` at start-up, before the first screen; an empty
  list when there is nothing to recover.  Show :class:`perfgoals.tui.screens.recovery.RecoveryDialog`:
  恢复 → open each draft (``Draft(base, mine)``) as unsaved edits, then keep journaling;
  放弃 → ``journal.clear()``; 稍后 → leave the file and do not journal over it this session
  (:meth:`Journal.write` would replace it), e.g. by opening the journal with ``read_only=True``.
- :class:`RecoveryUnreadable` when the file cannot be read (it is left in place).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from perfgoals.errors import PerfgoalsError
from perfgoals.merge import Draft, describe_changes
from perfgoals.models import Project

APP_NAME = "perfgoals"
ENV_RECOVERY_DIR = "PERFGOALS_RECOVERY_DIR"
FORMAT = "perfgoals/recovery"
FORMAT_VERSION = 1


class RecoveryUnreadable(PerfgoalsError):
    pass


def recovery_directory() -> Path:
    override = os.environ.get(ENV_RECOVERY_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "recovery"


def _database_identity(url: str) -> str:
    """The database a URL points at, without the password (which may change)."""
    try:
        parsed = make_url(url)
    except Exception:
        return url
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return "sqlite:" + str(Path(parsed.database).expanduser().resolve())
    return parsed.render_as_string(hide_password=True)


def recovery_path(url: str, user: str, *, directory: Path | None = None) -> Path:
    """The recovery file of ``user`` on database ``url``."""
    digest = hashlib.sha256(f"{_database_identity(url)}\0{user}".encode()).hexdigest()[:20]
    return (directory or recovery_directory()) / f"recovery-{digest}.json"


@dataclass(frozen=True, slots=True)
class RecoveredDraft:
    """An unsaved draft found in a recovery file."""

    project_id: int
    department_id: int | None
    department_label: str
    base_revision: int
    draft: Draft
    written_at: datetime

    @property
    def name(self) -> str:
        return self.draft.mine.name

    def changes(self) -> list[str]:
        """Where the draft differs from the version it started from (Chinese labels)."""
        return describe_changes(self.draft.base, self.draft.mine)


def _project_json(project: Project) -> dict[str, Any]:
    return project.model_dump(mode="json")


def _project(data: Any, project_id: int) -> Project:
    project = Project.model_validate(data)
    return project.model_copy(update={"id": project_id})


def _fsync_directory(directory: Path) -> None:
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:  # not possible on every platform (Windows): the replace itself is still atomic
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: the old file or the new one survives any crash, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


#: A temporary file left by a writer killed mid-write is removed once it is this old (seconds): a
#: younger one may belong to another window of the same user, still writing.
STALE_TEMPORARY = 60.0


def _remove_stale_temporaries(path: Path) -> None:
    now = time.time()
    for temporary in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - temporary.stat().st_mtime > STALE_TEMPORARY:
                temporary.unlink()
        except OSError:  # gone meanwhile, or not ours to remove
            pass


class Journal:
    """The recovery file of one user on one database (see the module docstring)."""

    def __init__(
        self, url: str, user: str, *, directory: Path | None = None, read_only: bool = False
    ) -> None:
        self.url = url
        self.user = user
        self.path = recovery_path(url, user, directory=directory)
        self.read_only = read_only

    def write(
        self,
        drafts: Sequence[Draft],
        *,
        departments: dict[int, tuple[int | None, str]] | None = None,
    ) -> None:
        """Journal ``drafts`` (the dirty ones; clean ones are left out); none removes the file.

        ``departments`` maps a project id to its department id and label, shown when recovering.
        """
        if self.read_only:
            return
        entries = []
        for draft in drafts:
            if draft.project_id is None or not draft.dirty:
                continue
            department_id, label = (departments or {}).get(draft.project_id, (None, ""))
            entries.append(
                {
                    "project_id": draft.project_id,
                    "department_id": department_id,
                    "department": label,
                    "base_revision": draft.revision,
                    "base": _project_json(draft.base),
                    "draft": _project_json(draft.mine),
                }
            )
        if not entries:
            self.clear()
            return
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "database": _database_identity(self.url),
            "user": self.user,
            "written_at": datetime.now(UTC).isoformat(),
            "pid": os.getpid(),
            "drafts": entries,
        }
        write_atomically(self.path, json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
        _remove_stale_temporaries(self.path)

    def clear(self) -> None:
        """Remove the recovery file (everything is saved or discarded)."""
        if self.read_only:
            return
        _remove_stale_temporaries(self.path)
        try:
            self.path.unlink()
        except FileNotFoundError:
            return
        _fsync_directory(self.path.parent)


def read_recovery_file(path: Path) -> list[RecoveredDraft]:
    """The drafts of a recovery file; :class:`RecoveryUnreadable` when it is not one."""
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecoveryUnreadable(f"恢复文件 {path} 无法读取（{exc}），未做改动") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RecoveryUnreadable(f"{path} 不是 perfgoals 的恢复文件，未做改动")
    if document.get("format_version") != FORMAT_VERSION:
        raise RecoveryUnreadable(f"恢复文件 {path} 来自其他版本的 perfgoals，未做改动")
    try:
        written_at = datetime.fromisoformat(document["written_at"])
        found = []
        for entry in document["drafts"]:
            project_id = int(entry["project_id"])
            base = _project(entry["base"], project_id)
            found.append(
                RecoveredDraft(
                    project_id=project_id,
                    department_id=entry.get("department_id"),
                    department_label=entry.get("department") or "",
                    base_revision=base.goal.revision,
                    draft=Draft(base, _project(entry["draft"], project_id)),
                    written_at=written_at,
                )
            )
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise RecoveryUnreadable(f"恢复文件 {path} 内容不完整（{exc}），未做改动") from None
    return found


def load_recovery(url: str, user: str, *, directory: Path | None = None) -> list[RecoveredDraft]:
    """The unsaved drafts ``user`` left on database ``url`` (empty when there are none)."""
    return read_recovery_file(recovery_path(url, user, directory=directory))
