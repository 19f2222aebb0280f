"""Exports: the formatted workbook the finance office hands on (.xlsx), and the same data as JSON/CSV.

Core functions take departments (an iterable, streamed one at a time) and an optional progress
callback; they never import click, rich or textual.
"""

from __future__ import annotations

from perfgoals.export.files import ExportError, OutputError, default_output_path
from perfgoals.export.tabular import write_csv, write_json
from perfgoals.export.xlsx import ExportSummary, ProgressCallback, write_workbook

FORMATS = ("xlsx", "json", "csv")

__all__ = [
    "FORMATS",
    "ExportError",
    "ExportSummary",
    "OutputError",
    "ProgressCallback",
    "default_output_path",
    "write_csv",
    "write_json",
    "write_workbook",
]
