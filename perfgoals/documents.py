"""The JSON document of one department-year: what ``dump`` writes and ``load`` reads.

The text is deterministic (fixed key order, two-space indent, a final newline), so that
dump → load → dump gives byte-identical files.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from perfgoals.errors import PerfgoalsError
from perfgoals.models import FORMAT_VERSION, Department, DepartmentDocument


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


#: The largest document ``load`` reads: a department-year of a few hundred projects is a few MB.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: How deeply a document may nest: perfgoals' own is about eight levels deep.
MAX_NESTING = 64
#: How many of a document's problems one message lists.
LISTED_PROBLEMS = 10


def _nesting(text: str) -> int:
    """How deeply ``text``'s brackets nest, outside strings (a cheap scan before the parser recurses)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


#: pydantic's error types in the words of a user.
_MESSAGES = {
    "missing": "缺少这一项",
    "extra_forbidden": "是不认识的字段",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "格式不对",
    "string_type": "应为文字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字（写成字符串，如 \"21.87\"）",
    "greater_than_equal": "太小",
    "less_than_equal": "太大",
    "enum": "不是可选的取值",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "datetime_from_date_parsing": "不是有效的日期时间",
}


def _problem(error: ErrorDetails) -> str:
    """One validation problem: where (the JSON path) and what, in Chinese."""
    where = json_path(tuple(error["loc"]))
    if error["type"] == "value_error":
        return f"{where} {error['msg'].removeprefix('Value error, ')}"
    words = _MESSAGES.get(error["type"])
    if words is None:
        return f"{where} 不符合格式（{error['msg']}）"
    context = error.get("ctx") or {}
    if error["type"] == "enum" and "expected" in context:
        words += f"（可选：{context['expected']}）"
    elif error["type"] in ("greater_than_equal", "less_than_equal") and context:
        words += f"（界限 {next(iter(context.values()))}）"
    return f"{where} {words}"


def parse_document(text: str, *, source: str) -> Department:
    """Validate a document's text; raises :class:`DocumentError` naming ``source`` and, for each problem
    (up to :data:`LISTED_PROBLEMS`), its JSON path."""
    if _nesting(text) > MAX_NESTING:
        raise DocumentError(f"{source}：JSON 嵌套超过 {MAX_NESTING} 层，不是 perfgoals 的部门文件")
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise DocumentError(
            f"{source}：第 {exc.lineno} 行第 {exc.colno} 列不是有效的 JSON（{exc.msg}）"
        ) from None
    except ValueError as exc:
        raise DocumentError(f"{source}：{exc}") from None
    meta = data.get("meta") if isinstance(data, dict) else None
    version = meta.get("format_version") if isinstance(meta, dict) else None
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise DocumentError(
            f"{source}：这是较新版本的 perfgoals 写出的文件（格式版本 {version}），本版本只能读取版本 "
            f"{FORMAT_VERSION}；请升级 perfgoals 后再读入"
        )
    try:
        # Validating the text itself keeps JSON numbers exact when they become Decimals.
        return DepartmentDocument.model_validate_json(text).department
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors()[:LISTED_PROBLEMS]]
        more = f"；另有 {exc.error_count() - LISTED_PROBLEMS} 处" if exc.error_count() > LISTED_PROBLEMS else ""
        raise DocumentError(f"{source}：不符合格式（{exc.error_count()} 处）：{'；'.join(problems)}{more}") from None


def _bounded_int(text: str) -> int:
    """A JSON integer no longer than any perfgoals figure (a 5,000-digit one is refused, not parsed)."""
    if len(text.lstrip("-")) > 18:
        raise ValueError(f"整数 {text[:20]}… 有 {len(text)} 位，超过上限")
    return int(text)


def read_document(path: Path) -> Department:
    """Read a dump from ``path``: a regular file of at most :data:`MAX_DOCUMENT_BYTES`, checked before
    reading (a FIFO or ``/dev/zero`` is refused, not read forever)."""
    try:
        status = path.stat()
    except OSError as exc:
        raise DocumentError(f"无法读取 {path}：{exc.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise DocumentError(f"{path}：不是普通文件（是目录、管道或设备），不能读入")
    if status.st_size > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"{path}：文件有 {status.st_size / 1024 / 1024:.0f} MB，超过上限 {MAX_DOCUMENT_BYTES // 1024 // 1024} MB"
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise DocumentError(f"无法读取 {path}：{exc.strerror}") from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{path}：文件超过上限 {MAX_DOCUMENT_BYTES // 1024 // 1024} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}：第 {exc.start} 字节不是 UTF-8 编码") from None
    return parse_document(text, source=str(path))
