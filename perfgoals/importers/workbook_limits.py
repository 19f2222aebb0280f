"""What a workbook must be before it is opened: bounded, and holding no formula or external link.

openpyxl builds every cell of a sheet's whole range in memory: one cell typed far away (XFD1048576)
makes a 54 KB workbook cost gigabytes.  And a formula imports as its cached result, or as nothing,
without a word.  So the parts of the .xlsx are scanned first, as a stream, outside any database
transaction: every problem is named (sheet and cell) in one message, and nothing is read further.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from perfgoals.importers.errors import ImportFailure

#: The most a workbook may unpack to (a zip bomb unpacks to far more).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: The farthest cell a sheet of goal tables needs: a table is a few dozen columns and rows.
MAX_ROWS, MAX_COLUMNS = 100_000, 200
#: How many problems one message lists.
LISTED = 10
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_FORMULA = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>(?:(?!</c>).){0,200}?<f[ >/]', re.S)
_SHEET = re.compile(r"^xl/worksheets/sheet\d+\.xml$")
_NAME = re.compile(rb'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"')
_TARGET = re.compile(rb'<Relationship [^>]*Id="([^"]*)"[^>]*Target="([^"]*)"')
_CHUNK = 1024 * 1024


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the name its tab shows."""
    try:
        book = archive.read("xl/workbook.xml")
        links = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {rid.decode(): target.decode().lstrip("/").removeprefix("xl/") for rid, target in _TARGET.findall(links)}
    names: dict[str, str] = {}
    for name, rid in _NAME.findall(book):
        target = targets.get(rid.decode())
        if target:
            names[f"xl/{target}"] = name.decode("utf-8", "replace")
    return names


def _scan_sheet(archive: zipfile.ZipFile, part: str, name: str, problems: list[str]) -> None:
    """Stream one worksheet's XML: its farthest cell, and its formula cells."""
    far_row = far_column = 0
    far_cell = ""
    formulas: list[str] = []
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            for letters, digits in _CELL.findall(text):
                row, column = int(digits), _column_number(letters)
                if row > far_row or column > far_column:
                    far_row, far_column = max(far_row, row), max(far_column, column)
                    if row > MAX_ROWS or column > MAX_COLUMNS:
                        far_cell = (letters + digits).decode()
            if len(formulas) <= LISTED:
                formulas += [cell.decode() for cell in _FORMULA.findall(text) if cell.decode() not in formulas]
            tail = text[-512:]  # a cell split across chunks is seen whole in the next one
    if far_cell:
        problems.append(
            f"工作表“{name}”有远在 {far_cell} 的单元格（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）；请删除多余的单元格后再导入"
        )
    if formulas:
        listed = "、".join(formulas[:LISTED]) + ("等" if len(formulas) > LISTED else "")
        problems.append(f"工作表“{name}”的 {listed} 是公式；请改为数值或文字后再导入（公式不会按计算结果悄悄导入）")


def check_workbook(path: Path) -> None:
    """Refuse a workbook that is too large, too far-reaching, or holds formulas or external links;
    one :class:`ImportFailure` names every problem."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # not a readable zip: the opener says what it is instead
    with archive:
        parts = archive.infolist()
        unpacked = sum(info.file_size for info in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            raise ImportFailure(
                f"{path.name}：解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，不像是绩效目标工作簿，拒绝导入"
            )
        problems: list[str] = []
        if any(info.filename.startswith("xl/externalLinks/") for info in parts):
            problems.append("工作簿链接了其他工作簿（外部链接）；请在 Excel 中断开链接、改为数值后再导入")
        names = _sheet_names(archive)
        for info in parts:
            if _SHEET.match(info.filename):
                _scan_sheet(archive, info.filename, names.get(info.filename, info.filename), problems)
    if problems:
        raise ImportFailure(f"{path.name}：不能导入（{len(problems)} 处问题）：" + "；".join(problems))


# --------------------------------------------------------------------- .xls (BIFF8)
_XLS_BOF, _XLS_EOF, _XLS_BOUNDSHEET, _XLS_DIMENSIONS, _XLS_FORMULA, _XLS_SUPBOOK, _XLS_FILEPASS = 0x0809, 0x000A, 0x0085, 0x0200, 0x0006, 0x01AE, 0x002F
#: SUPBOOK's ``cch`` for a reference to the workbook itself, or to add-in functions: not an external link.
_INTERNAL_SUPBOOK = (0x0401, 0x3A01)


def _column_letters(number: int) -> str:
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _biff_records(stream: bytes) -> list[tuple[int, bytes]]:
    records: list[tuple[int, bytes]] = []
    position = 0
    while position + 4 <= len(stream):
        kind = int.from_bytes(stream[position : position + 2], "little")
        length = int.from_bytes(stream[position + 2 : position + 4], "little")
        records.append((kind, stream[position + 4 : position + 4 + length]))
        position += 4 + length
    return records


def _sheet_name(data: bytes) -> str:
    """A BOUNDSHEET record's sheet name (a ShortXLUnicodeString after 6 bytes)."""
    if len(data) < 8:
        return "?"
    count, wide = data[6], data[7] & 1
    raw = data[8 : 8 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def check_xls(path: Path, raw: bytes) -> None:
    """What :func:`check_workbook` checks, for an old .xls: the BIFF records are scanned before xlrd
    opens it (far cells, formulas, links to other workbooks, a password); one message names every problem."""
    import os

    from xlrd import compdoc

    try:
        with open(os.devnull, "w") as quiet:
            container = compdoc.CompDoc(raw, logfile=quiet)
            stream = container.get_named_stream("Workbook") or container.get_named_stream("Book")
    except Exception:  # not an OLE file xlrd can read: its opener says what it is
        raise ImportFailure(f"{path.name}：不是可读取的 .xls 工作簿（文件已损坏，或不是 Excel 97-2003 格式）") from None
    if not stream:
        raise ImportFailure(f"{path.name}：不是 Excel 工作簿（没有工作簿数据），请检查扩展名")
    if len(stream) > MAX_UNPACKED_BYTES:
        raise ImportFailure(f"{path.name}：工作簿超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，不像是绩效目标工作簿，拒绝导入")
    problems: list[str] = []
    names: list[str] = []
    sheet = -1  # the index of the sheet whose records are being read (-1: the workbook globals)
    formulas: dict[str, list[str]] = {}
    for kind, data in _biff_records(stream):
        if kind == _XLS_FILEPASS:
            raise ImportFailure(f"{path.name}：文件已加密（设置了打开密码），请在 Excel 中取消密码后另存再导入")
        if kind == _XLS_BOUNDSHEET:
            names.append(_sheet_name(data))
        elif kind == _XLS_BOF and len(data) >= 4 and int.from_bytes(data[2:4], "little") == 0x0010:
            sheet += 1
        elif kind == _XLS_SUPBOOK and len(data) >= 4 and int.from_bytes(data[2:4], "little") not in _INTERNAL_SUPBOOK:
            text = "工作簿链接了其他工作簿（外部链接）；请在 Excel 中断开链接、改为数值后再导入"
            if text not in problems:
                problems.append(text)
        name = names[sheet] if 0 <= sheet < len(names) else f"第 {sheet + 1} 个工作表"
        if kind == _XLS_DIMENSIONS and len(data) >= 12 and sheet >= 0:
            last_row = int.from_bytes(data[4:8], "little")
            last_column = int.from_bytes(data[10:12], "little")
            if last_row > MAX_ROWS or last_column > MAX_COLUMNS:
                problems.append(
                    f"工作表“{name}”有远在 {_column_letters(max(last_column - 1, 0))}{last_row} 的单元格"
                    f"（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列）；请删除多余的单元格后再导入"
                )
        elif kind == _XLS_FORMULA and len(data) >= 4 and sheet >= 0:
            cells = formulas.setdefault(name, [])
            if len(cells) <= LISTED:
                row, column = int.from_bytes(data[0:2], "little"), int.from_bytes(data[2:4], "little")
                cells.append(f"{_column_letters(column)}{row + 1}")
    for name, cells in formulas.items():
        listed = "、".join(cells[:LISTED]) + ("等" if len(cells) > LISTED else "")
        problems.append(f"工作表“{name}”的 {listed} 是公式；请改为数值或文字后再导入（公式不会按计算结果悄悄导入）")
    if problems:
        raise ImportFailure(f"{path.name}：不能导入（{len(problems)} 处问题）：" + "；".join(problems))
