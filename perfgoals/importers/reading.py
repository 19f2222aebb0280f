"""Importing one file: check what it is, read it, interpret it, link projects to budget lines.

Forms: a Word document (.docx), its text extraction (.txt), any workbook holding goal tables (.xlsx, .xls;
perfgoals' own workbooks go to :mod:`perfgoals.importers.workbook` instead), and a folder of them
(:func:`expand_paths`).
"""

from __future__ import annotations

import stat
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from perfgoals.importers.amounts import drop_unreconciled
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.interpret import Note, interpret
from perfgoals.importers.linking import LinkReport, link_projects
from perfgoals.importers.source import SourceDocument
from perfgoals.importers.text import decode_text, read_text
from perfgoals.models import AmountSource, Department
from perfgoals.reading.amounts import project_amount

#: Larger files are refused before being read: a disclosure is a few MB even with images.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The most a .docx may unpack to (guards against zip bombs).
MAX_UNPACKED_BYTES = 256 * 1024 * 1024

_UNSUPPORTED = {
    ".doc": "旧版 Word 97-2003 文件，请在 Word 中另存为 .docx 再导入",
    ".wps": "WPS 文字文件，请另存为 .docx 再导入",
    ".et": "WPS 表格文件，请另存为 .xlsx 再导入",
    ".pdf": "PDF 中的表格无法可靠读取，请使用 .docx 原件，或把正文复制为文本",
}
#: The forms a folder is searched for.
READABLE = (".docx", ".txt", ".text", ".xlsx", ".xlsm", ".xls")
WORKBOOKS = (".xlsx", ".xlsm")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(slots=True)
class ImportResult:
    """A department read from a file, and what the import could not place."""

    department: Department
    source: str
    notes: list[Note] = field(default_factory=list)
    links: LinkReport = field(default_factory=LinkReport)
    tables: dict[str, int] = field(default_factory=dict)
    standalone: bool = False  # goal tables only (no budget table): its projects join the department-year
    department_named: bool = True  # False: the file names no department (its code came from --department)
    code_derived: bool = False  # the department's code was made from its name (the file states none)

    @property
    def indicator_rows(self) -> int:
        return sum(len(project.goal.indicators) for project in self.department.projects)


def finish(document: SourceDocument, *, department_code: str | None = None, year: int | None = None) -> ImportResult:
    """Interpret a read document and propose the budget-line links (``department_code`` and ``year``
    override what the document says)."""
    interpretation = interpret(document, department=department_code, year=year)
    department = interpretation.department
    links = link_projects(department)
    said = drop_unreconciled(department, links)
    notes = list(interpretation.notes)
    for link in links.links:
        if link.line is None and department.budget_lines:  # a stand-alone table has no line to link to
            notes.append(Note(f"项目“{link.project}”", f"未对应功能科目：{link.reason}"))
    if links.unplaced_lines:
        notes.append(
            Note("功能科目", f"{'、'.join(links.unplaced_lines)} 有项目支出，但没有对应上任何项目")
        )
    notes.extend(Note("项目金额", text) for text in said)
    return ImportResult(
        department, document.source, notes, links, dict(interpretation.tables_read), interpretation.standalone,
        interpretation.department_named, interpretation.code_derived,
    )


def inferred_amounts(department: Department) -> Counter[AmountSource]:
    """How many projects' amounts the import inferred, by how (for the import report)."""
    return Counter(money.source for money in map(project_amount, department.projects) if money.inferred)


def import_text(
    raw: bytes, *, source: str, department_code: str | None = None, year: int | None = None
) -> ImportResult:
    """Import the text form of a disclosure from its bytes (UTF-8, UTF-16 with BOM or GBK)."""
    text, encoding = decode_text(raw, source=source)
    document = read_text(text, source=source)
    from perfgoals.importers.interpret.evaluation_text import rebuild_run_together

    document = rebuild_run_together(document)  # a 自评表 whose cells ran together in one line
    if encoding:
        document.notes.append(f"按 {encoding} 编码读取")
    return finish(document, department_code=department_code, year=year)


def import_docx(
    raw: bytes, *, source: str, department_code: str | None = None, year: int | None = None
) -> ImportResult:
    from perfgoals.importers.wordfile import read_docx

    return finish(read_docx(raw, source=source), department_code=department_code, year=year)


def import_workbook_tables(
    path: Path, *, department_code: str | None = None, year: int | None = None
) -> ImportResult:
    """Import the goal tables of any workbook (.xlsx, .xlsm or .xls), after its limits are checked and
    before anything else opens it."""
    from perfgoals.importers.sheets import read_xls, read_xlsx
    from perfgoals.importers.workbook_limits import check_workbook, check_xls

    raw = read_limited(path)
    if path.suffix.lower() == ".xls" or raw.startswith(_OLE_MAGIC):
        if not raw.startswith(_OLE_MAGIC):
            if raw.startswith(_ZIP_MAGIC):
                raise ImportFailure(f"{path}：扩展名是 .xls，但内容是 .xlsx 工作簿；请把扩展名改为 .xlsx")
            raise ImportFailure(f"{path}：扩展名是 .xls，但内容不是 Excel 工作簿{_guess_kind(raw)}")
        check_xls(path, raw)
        document = read_xls(path, raw)
    else:
        if not raw.startswith(_ZIP_MAGIC):
            raise ImportFailure(f"{path}：扩展名是 {path.suffix}，但内容不是 Excel 工作簿{_guess_kind(raw)}")
        check_workbook(path)
        document = read_xlsx(path)
    return finish(document, department_code=department_code, year=year)


def expand_paths(paths: tuple[Path, ...] | list[Path]) -> tuple[list[Path], list[str]]:
    """The files to import: each file as given, and every readable file in a folder (in name order, not
    its sub-folders'); with what was passed over in a folder (for the report)."""
    files: list[Path] = []
    skipped: list[str] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(child for child in path.iterdir() if child.is_file() and not child.name.startswith((".", "~$")))
        readable = [child for child in found if child.suffix.lower() in READABLE]
        skipped.extend(str(child) for child in found if child not in readable)
        if not readable:
            raise ImportFailure(f"{path}：文件夹中没有可导入的文件（.docx、.txt、.xlsx、.xls）")
        files.extend(readable)
    return files, skipped


def check_file(path: Path) -> None:
    """Refuse missing, unreadable and oversized files before anything reads them."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailure(f"{path}：无法读取（{exc.strerror}）") from None
    if path.is_dir():
        raise ImportFailure(f"{path}：是文件夹，不是文件")
    if not stat.S_ISREG(path.stat().st_mode):
        raise ImportFailure(f"{path}：不是普通文件（是管道或设备），不能导入")
    if size > MAX_FILE_BYTES:
        raise ImportFailure(
            f"{path}：文件有 {size / 1024 / 1024:.0f} MB，超过导入上限 {MAX_FILE_BYTES // 1024 // 1024} MB；"
            "预算公开文件通常只有几 MB，请检查是否选错了文件"
        )


def read_limited(path: Path) -> bytes:
    """The file's bytes, after :func:`check_file`."""
    check_file(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"{path}：无法读取（{exc.strerror}）") from None


def check_docx(raw: bytes, *, source: str) -> None:
    """Refuse what is not a readable .docx, saying what it is instead."""
    if raw.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in raw:
            raise ImportFailure(f"{source}：文件已加密（设置了打开密码），请在 Word 中取消密码后另存再导入")
        raise ImportFailure(
            f"{source}：这是旧版 Word 97-2003 (.doc) 文件，不是 .docx；请在 Word 中另存为 .docx 再导入"
        )
    if not raw.startswith(_ZIP_MAGIC):
        what = _guess_kind(raw)
        raise ImportFailure(f"{source}：扩展名是 .docx，但内容不是 Word 文档{what}")


def _guess_kind(raw: bytes) -> str:
    head = raw[:8]
    if head.startswith(b"%PDF"):
        return "（是 PDF 文件）"
    if head.startswith(_OLE_MAGIC):
        return "（是旧版 Office 文件）"
    if head.startswith(_ZIP_MAGIC):
        return "（是 ZIP 压缩文件）"
    if not raw.strip():
        return "（文件是空的）"
    try:
        raw[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return "（是文本文件）"


def docx_archive(raw: bytes, *, source: str) -> zipfile.ZipFile:
    """The .docx as a checked zip archive: complete, with a document part, not a zip bomb."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise ImportFailure(f"{source}：Word 文件已损坏或不完整（可能下载中断），无法打开") from None
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise ImportFailure(f"{source}：这是 Excel 工作簿，不是 Word 文档；请把扩展名改为 .xlsx")
        raise ImportFailure(f"{source}：ZIP 文件中没有 Word 正文（word/document.xml），不是 .docx 文档")
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFailure(f"{source}：解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，拒绝导入")
    bad = archive.testzip() if len(raw) < 32 * 1024 * 1024 else None
    if bad is not None:
        raise ImportFailure(f"{source}：Word 文件已损坏（{bad} 校验失败）")
    return archive


def import_path(path: Path, *, department_code: str | None = None, year: int | None = None) -> ImportResult:
    """Import a .docx, text file or workbook of goal tables, dispatching on its extension and checking
    its content agrees (``department_code`` and ``year`` override what the file says)."""
    suffix = path.suffix.lower()
    source = str(path)
    if suffix in (*WORKBOOKS, ".xls"):
        return import_workbook_tables(path, department_code=department_code, year=year)
    if suffix not in (".docx", ".txt", ".text", ""):
        hint = _UNSUPPORTED.get(suffix, "可导入 .docx、.txt、.xlsx 和 .xls")
        raise ImportFailure(f"{source}：不支持的文件类型“{path.suffix}”（{hint}）")
    raw = read_limited(path)
    if suffix == ".docx" or (suffix == "" and raw.startswith(_ZIP_MAGIC)):  # no extension: go by content
        check_docx(raw, source=source)
        return import_docx(raw, source=source, department_code=department_code, year=year)
    if raw.startswith((_ZIP_MAGIC, _OLE_MAGIC, b"%PDF")):
        raise ImportFailure(f"{source}：扩展名是文本文件，但内容不是文本{_guess_kind(raw)}")
    return import_text(raw, source=source, department_code=department_code, year=year)
