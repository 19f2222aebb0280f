"""The JSON document of one department-year: what ``dump`` writes and ``load`` reads.

The text is deterministic (fixed key order, two-space indent, a final newline), so that
dump → load → dump gives byte-identical files.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from perfgoals.errors import PerfgoalsError
from perfgoals.models import Department, DepartmentDocument


class DocumentError(PerfgoalsError):
    """A JSON file that is not a valid perfgoals document; the message names the file and the place."""


def dump_document(department: Department) -> str:
    document = DepartmentDocument(department=department)
    data = document.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def json_path(location: tuple[int | str, ...]) -> str:
    """``('department', 'projects', 3, 'name')`` → ``$.department.projects[3].name``."""
    path = "$"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def parse_document(text: str, *, source: str) -> Department:
    """Validate a document's text; raises :class:`DocumentError` naming ``source`` and the JSON path."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"{source}：第 {exc.lineno} 行第 {exc.colno} 列不是有效的 JSON（{exc.msg}）"
        ) from None
    try:
        # Validating the text itself keeps JSON numbers exact when they become Decimals.
        return DepartmentDocument.model_validate_json(text).department
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f"（另有 {exc.error_count() - 1} 处问题）" if exc.error_count() > 1 else ""
        raise DocumentError(
            f"{source}：{json_path(tuple(first['loc']))} 不符合格式：{first['msg']}{more}"
        ) from None


def read_document(path: Path) -> Department:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"无法读取 {path}：{exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}：第 {exc.start} 字节不是 UTF-8 编码") from None
    return parse_document(text, source=str(path))
