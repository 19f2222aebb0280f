"""Where exports go and how they are written without ever leaving a half-written file."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from perfgoals.errors import PerfgoalsError

DEFAULT_DIRECTORY = "exports"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+|\.\.+')


def safe_file_part(text: str, limit: int) -> str:
    """``text`` as part of a file name in the export folder: separators, control characters and
    the dots that would climb out of it (``../../x``) replaced, at most ``limit`` characters."""
    cleaned = _UNSAFE.sub("_", text).strip(". ")
    return cleaned[:limit] or "_"


class OutputError(PerfgoalsError):
    """The output file could not be written; nothing was left behind."""


class ExportError(PerfgoalsError):
    """An export that could not be written; nothing was left behind."""


def default_output_path(
    *,
    directory: Path,
    department: str | None,
    year: int | None,
    extension: str,
    project: str | None = None,
    now: datetime | None = None,
) -> Path:
    """``exports/731-2022-20261127-0130.xlsx``: department, year, (project,) local time; never an existing file."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M")
    # A code or name is data, not a path: no separator, control character or leading dot survives.
    parts = [safe_file_part(department, 40) if department else "全部部门", str(year) if year else ""]
    if project:
        parts.append(safe_file_part(project, 40))
    parts.append(stamp)
    stem = "-".join(part for part in parts if part)
    candidate = directory / f"{stem}.{extension}"
    number = 1
    while candidate.exists():
        number += 1
        candidate = directory / f"{stem}-{number}.{extension}"
    return candidate


def default_mode() -> int:
    """The permissions a newly created file gets (0o666 less the umask); mkstemp's files are private."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_text(path: Path, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` only when the block ends without error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.stem}.", suffix=f"{path.suffix}.tmp", dir=path.parent
        )
    except OSError as exc:
        raise OutputError(f"无法在 {path.parent} 写入文件：{exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline=newline) as stream:
            yield stream
        os.chmod(temporary, default_mode())
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"无法写入 {path}：{exc.strerror or exc}") from None
        raise
