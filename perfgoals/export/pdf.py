"""A PDF of a workbook, rendered by LibreOffice headless when it is installed.

LibreOffice prints every visible sheet with the page setup the workbook carries (one orientation and
scale for the project sheets, repeated header rows, the print header naming the project), so the PDF
is what the office would print from Excel.  Without LibreOffice there is no PDF: :class:`PdfUnavailable`
says so in one line (exit 2).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from perfgoals.errors import PerfgoalsError
from perfgoals.export.files import default_mode
from perfgoals.export.printing import DIGIT_PIXELS

#: The names LibreOffice's command goes by.
OFFICE_COMMANDS = ("soffice", "libreoffice")
#: Seconds a conversion may take before it is given up.
TIMEOUT = 300


class PdfUnavailable(PerfgoalsError):
    """No PDF can be made here (LibreOffice missing, or it failed); nothing was written."""


def office_command() -> str | None:
    """The LibreOffice executable on ``PATH`` (``$PERFGOALS_SOFFICE`` names another), or ``None``."""
    named = os.environ.get("PERFGOALS_SOFFICE")
    if named:
        return shutil.which(named)
    for name in OFFICE_COMMANDS:
        found = shutil.which(name)
        if found:
            return found
    return None


#: The widest digit, in pixels at 11 points, of fonts LibreOffice substitutes for Calibri when it lacks
#: Carlito (DejaVu Sans, Liberation Sans …): its columns are that much wider than Excel's.
SUBSTITUTE_DIGIT_PIXELS = 9.4


def renderer_digit_pixels() -> float:
    """The column unit, in pixels, LibreOffice will print this machine's workbooks with: Calibri's 7
    when Calibri or Carlito is installed, else a wider substitute's."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return SUBSTITUTE_DIGIT_PIXELS
    try:
        found = subprocess.run(
            [fc_match, "-f", "%{family}", "Calibri"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return SUBSTITUTE_DIGIT_PIXELS
    return DIGIT_PIXELS if ("Carlito" in found or "Calibri" in found) else SUBSTITUTE_DIGIT_PIXELS


def workbook_to_pdf(workbook: Path, target: Path) -> Path:
    """Render ``workbook`` to ``target`` (written whole or not at all)."""
    command = office_command()
    if command is None:
        raise PdfUnavailable(
            "未找到 LibreOffice（soffice），无法生成 PDF：请安装 LibreOffice 后重试，"
            "或导出 xlsx 后在 Excel/WPS 中打印"
        )
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="perfgoals-pdf-") as scratch:
        folder = Path(scratch)
        # A profile of its own: a LibreOffice already open (or another conversion) does not interfere.
        profile = (folder / "profile").as_uri()
        try:
            completed = subprocess.run(
                [
                    command,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(workbook),
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice 在 {TIMEOUT} 秒内未完成 PDF 转换：{workbook}") from None
        except OSError as exc:
            raise PdfUnavailable(f"无法运行 LibreOffice（{command}）：{exc.strerror or exc}") from None
        produced = folder / f"{workbook.stem}.pdf"
        if completed.returncode != 0 or not produced.is_file():
            detail = (completed.stderr or completed.stdout or "").strip().splitlines()
            reason = detail[-1] if detail else f"退出码 {completed.returncode}"
            raise PdfUnavailable(f"LibreOffice 未能把 {workbook.name} 转为 PDF：{reason}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(produced, partial)
            os.chmod(partial, default_mode())
            os.replace(partial, target)
        except OSError as exc:
            raise PdfUnavailable(f"无法写入 {target}：{exc.strerror or exc}") from None
    return target
