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


def test_command_modules_name_every_command_and_its_module() -> None:
    import perfgoals.cli as cli

    names = cli.main.list_commands(None)  # type: ignore[arg-type]
    assert sorted(names) == sorted(cli.COMMAND_MODULES)
    for name in names:
        command = cli.main.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.callback is not None
        assert command.callback.__module__ == cli.COMMAND_MODULES[name], name


def test_a_command_imports_only_its_own_module(tmp_path: Path) -> None:
    # ``perfgoals check`` starts a whole-year run: it must not pay for the TUI, importers or export.
    code = (
        "import sys\n"
        "from perfgoals.cli import main\n"
        "try:\n"
        f"    main.main(['--db', {str(tmp_path / 'x.db')!r}, 'rules'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('textual', 'xlsxwriter', 'docx', 'perfgoals.export', 'perfgoals.importers', 'perfgoals.tui')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(heavy))), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "PG101" in result.stdout
    assert result.stderr.strip() == ""
