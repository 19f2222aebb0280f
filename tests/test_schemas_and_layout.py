"""Project-wide guarantees: schemas are current, the core never imports the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from perfgoals.schemas import render_all

ROOT = Path(__file__).resolve().parent.parent

CORE_MODULES = [
    "perfgoals.models",
    "perfgoals.values",
    "perfgoals.money",
    "perfgoals.framework",
    "perfgoals.documents",
    "perfgoals.storage.db",
    "perfgoals.storage.repository",
    "perfgoals.checks",
    "perfgoals.export",
    "perfgoals.importers",
    "perfgoals.cli",
]


def test_checked_in_schemas_are_current() -> None:
    for name, text in render_all().items():
        path = ROOT / "schemas" / name
        assert path.exists(), f"schemas/{name} is missing: run python -m perfgoals.schemas"
        assert path.read_text(encoding="utf-8") == text, (
            f"schemas/{name} is stale: run python -m perfgoals.schemas"
        )


def test_core_modules_never_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "import perfgoals.cli as cli\n"
        "cli.main.list_commands(None)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
