"""What an export writes, by kind: 目标 (the goal tables' workbook, :func:`perfgoals.export.write_workbook`),
监控 (the 绩效监控表) or 自评 (the 项目支出绩效自评表).  The CLI's ``--kind`` and the TUI's export screen both
dispatch through here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from perfgoals.export.xlsx import ExportSummary

#: The goal tables' workbook: written by ``write_workbook``, in an edition (工作版/报送版) and any format.
GOALS = "目标"

#: Each kind's name and aliases (``--kind``).
KINDS: dict[str, str] = {
    "目标": "目标", "goals": "目标",
    "监控": "监控", "monitoring": "监控",
    "自评": "自评", "evaluation": "自评",
}

#: What each kind writes, as the user reads it.
KIND_LABELS: dict[str, str] = {
    "目标": "绩效目标表",
    "监控": "绩效监控表",
    "自评": "项目支出绩效自评表",
}


def _monitoring_writer() -> Callable[..., ExportSummary]:
    from perfgoals.export.monitoring_sheet import write_monitoring_workbook

    return write_monitoring_workbook


def _evaluation_writer() -> Callable[..., ExportSummary]:
    from perfgoals.export.evaluation_sheet import write_evaluation_workbook

    return write_evaluation_workbook


#: The workbook writer of each kind but 目标: each takes ``(path, departments, *, findings=None,
#: digit_pixels=...)`` and returns an ``ExportSummary``; loaded only when asked for.  These kinds are
#: xlsx workbooks only (or a PDF rendered from one), in one edition.
FOLLOWUP_WRITERS: dict[str, Callable[[], Callable[..., ExportSummary]]] = {
    "监控": _monitoring_writer,
    "自评": _evaluation_writer,
}


def parse_kind(word: str) -> str:
    """The kind a name or alias means; ``ValueError`` (in Chinese) for any other word."""
    try:
        return KINDS[word.strip().lower()]
    except KeyError:
        raise ValueError(f"没有“{word}”这种导出，可用：目标（goals）、监控（monitoring）、自评（evaluation）") from None


def kind_file_name(path: Path, kind: str) -> Path:
    """A default file name for ``kind``: the goal tables' name as it is, the others' with ``-监控`` /
    ``-自评`` before the extension."""
    return path if kind == GOALS else path.with_name(f"{path.stem}-{kind}{path.suffix}")
