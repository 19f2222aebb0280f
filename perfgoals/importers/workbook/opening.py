"""Opening a workbook ``perfgoals export`` wrote, and the projects its hidden ``_perfgoals`` sheet lists.

:func:`open_workbook` refuses, with a reason a person can act on, whatever is not such a workbook (an
encrypted or old .xls file, a truncated or malformed one, one past :mod:`perfgoals.importers.workbook_limits`);
:func:`read_meta` reads the ``_perfgoals`` sheet into one :class:`Entry` per project sheet (and the
department-year dumps it carries); :func:`sheet_for` finds an entry's sheet, renamed or not.  Every
refusal is a :class:`WorkbookImportError`, and nothing of the workbook is written then.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from perfgoals.errors import PerfgoalsError
from perfgoals.export.xlsx import (
    FORMAT_NAME,
    FORMAT_VERSION,
    META_FIRST_ROW,
    META_HEADER,
    META_HEADER_MINIMUM,
    META_SHEET,
)
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.workbook.cells import cell_text
from perfgoals.importers.workbook_limits import check_workbook

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookImportError(PerfgoalsError):
    """A workbook that cannot be read back; nothing of it is written."""


@dataclass(frozen=True, slots=True)
class Entry:
    defined_name: str
    sheet: str
    department_code: str
    department_name: str
    year: int
    project_id: int | None
    project_name: str
    revision: int
    fingerprint: str
    amount_wan: Decimal | None
    implementing_unit: str
    #: The fields of the sheet's columns as exported (each must still have its column).
    columns: tuple[str, ...] = ()
    #: The project as exported (``Project`` JSON), carried by workbooks since the embedded dump.
    base: str | None = None
    #: The sheet row of the first indicator as exported.
    first_row: int | None = None


def open_workbook(path: Path) -> Any:
    import openpyxl

    try:
        with path.open("rb") as stream:
            magic = stream.read(8)
    except OSError as exc:
        raise WorkbookImportError(f"无法读取 {path}：{exc.strerror}") from None
    if magic == _OLE_MAGIC:
        raise WorkbookImportError(
            f"{path.name}：文件已加密或是旧版 .xls 格式，请在 Excel 中取消密码并另存为 .xlsx 后再导入"
        )
    if not magic.startswith(b"PK"):
        raise WorkbookImportError(f"{path.name}：不是 .xlsx 工作簿（文件内容不是 Excel 格式）")
    try:
        check_workbook(path)
    except ImportFailure as exc:
        raise WorkbookImportError(str(exc)) from None
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, EOFError):
        raise WorkbookImportError(f"{path.name}：工作簿已损坏或不完整（可能被截断），无法打开") from None
    except KeyError:
        raise WorkbookImportError(f"{path.name}：工作簿缺少必要的组成部分，可能已损坏，无法打开") from None
    except OSError as exc:
        raise WorkbookImportError(
            f"{path.name}：无法读取工作簿（{exc.strerror or type(exc).__name__}）"
        ) from None
    except Exception as exc:  # openpyxl raises assorted errors for malformed XML parts
        raise WorkbookImportError(f"{path.name}：工作簿内容有误，无法读取（{type(exc).__name__}）") from None


def entries_of(workbook: Any, name: str) -> list[Entry]:
    """The projects the workbook holds."""
    return read_meta(workbook, name)[0]


def read_meta(workbook: Any, name: str) -> tuple[list[Entry], dict[tuple[str, int], str]]:
    """The projects the workbook holds, and the dump of each department-year it carries (JSON)."""
    from perfgoals.export.embedded import EMBED_HEADER, read_dump_row, read_embedded

    if META_SHEET not in workbook.sheetnames:
        raise WorkbookImportError(
            f"{name}：不是 perfgoals 导出的工作簿（缺少 {META_SHEET} 说明表）；"
            "预算公开文件请以 .docx 或文本形式导入"
        )
    sheet = workbook[META_SHEET]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = {str(row[0]): row[1] for row in rows[: META_FIRST_ROW - 1] if row and row[0] is not None}
    if header.get("format") != FORMAT_NAME:
        raise WorkbookImportError(f"{name}：{META_SHEET} 表的格式标记有误，不是 perfgoals 导出的工作簿")
    try:
        version = int(str(header.get("version")))
    except ValueError:
        raise WorkbookImportError(f"{name}：{META_SHEET} 表的版本号有误") from None
    if version > FORMAT_VERSION:
        raise WorkbookImportError(
            f"{name}：由更新版本的 perfgoals 导出（格式第 {version} 版），请先升级 perfgoals"
        )
    written = tuple(rows[META_FIRST_ROW - 1][: len(META_HEADER)]) if len(rows) >= META_FIRST_ROW else ()
    while written and written[-1] is None:
        written = written[:-1]
    if len(written) < META_HEADER_MINIMUM or written != META_HEADER[: len(written)]:
        raise WorkbookImportError(f"{name}：{META_SHEET} 表已被改动，无法识别其中的项目")
    entries: list[Entry] = []
    header_row = rows[META_FIRST_ROW - 1]
    embed_at = header_row.index(EMBED_HEADER[0]) if EMBED_HEADER[0] in header_row else None
    chunks: dict[tuple[str, int], list[str]] = {}
    for offset, row in enumerate(rows[META_FIRST_ROW:], start=META_FIRST_ROW + 1):
        if not row or row[0] is None:
            try:
                dump_row = read_dump_row(row, embed_at) if row else None
            except ValueError:
                raise WorkbookImportError(f"{name}：{META_SHEET} 表第 {offset} 行已被改动，无法识别") from None
            if dump_row is not None:
                chunks.setdefault(dump_row[:2], []).append(dump_row[2])
            continue
        values = {
            key: ("" if value is None else str(value)) for key, value in zip(META_HEADER, row, strict=False)
        }
        try:
            base = read_embedded(row, embed_at)
            entries.append(
                Entry(
                    defined_name=values["defined_name"],
                    sheet=values["sheet"],
                    department_code=values["department_code"],
                    department_name=values["department_name"],
                    year=int(values["year"]),
                    project_id=int(values["project_id"]) if values["project_id"] else None,
                    project_name=values["project_name"],
                    revision=int(values["revision"]),
                    fingerprint=values["fingerprint"],
                    amount_wan=Decimal(values["amount_wan"]) if values.get("amount_wan") else None,
                    implementing_unit=values.get("implementing_unit", ""),
                    columns=tuple(name for name in values.get("columns", "").split(",") if name),
                    base=base,
                    first_row=int(values["first_row"]) + 1 if values.get("first_row") else None,
                )
            )
        except (KeyError, ValueError, InvalidOperation):
            raise WorkbookImportError(f"{name}：{META_SHEET} 表第 {offset} 行已被改动，无法识别") from None
    if not entries:
        raise WorkbookImportError(f"{name}：工作簿中没有项目的绩效目标表")
    dumps = {key: "".join(parts) for key, parts in chunks.items()}
    return entries, dumps


def sheet_for(workbook: Any, entry: Entry) -> Any | None:
    """The entry's sheet: through its defined name (which follows a renamed sheet), else by name."""
    defined = workbook.defined_names.get(entry.defined_name)
    if defined is not None:
        for title, _cell in defined.destinations:
            if title in workbook.sheetnames:
                return workbook[title]
    if entry.sheet in workbook.sheetnames:
        return workbook[entry.sheet]
    # Renamed by a program that left the defined name behind: find the sheet by its title row.
    title = f"{entry.project_name}绩效目标表"
    for sheet in workbook.worksheets:
        if sheet.title != META_SHEET and cell_text(sheet.cell(1, 1).value).strip() == title:
            return sheet
    return None
