"""Project-wide guarantees: schemas are current, the core never imports the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from perfgoals.schemas import render_all

ROOT = Path(__file__).resolve().parent.parent

def _modules(*, outside: tuple[str, ...] = (), inside: str = "perfgoals") -> list[str]:
    """Every module of the package under ``inside`` (walked from the files, so a new one is never missed)."""
    package = ROOT / "perfgoals"
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if "migrations" in parts or name == "perfgoals.__main__":
            continue
        if name.startswith(inside) and not name.startswith(outside):
            found.append(name)
    return found


def _imported_after(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The modules starting with ``prefixes`` that importing ``modules`` (in a fresh process) pulls in."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [name for name in result.stdout.strip().split(",") if name]


def test_checked_in_schemas_are_current() -> None:
    for name, text in render_all().items():
        path = ROOT / "schemas" / name
        assert path.exists(), f"schemas/{name} is missing: run python -m perfgoals.schemas"
        assert path.read_text(encoding="utf-8") == text, (
            f"schemas/{name} is stale: run python -m perfgoals.schemas"
        )


def test_only_the_tui_imports_textual_and_only_the_cli_imports_click() -> None:
    core = _modules(outside=("perfgoals.tui", "perfgoals.cli"))
    assert "perfgoals.reading.reconcile" in core and "perfgoals.checks.engine" in core
    assert _imported_after(core, ("textual", "click")) == []
    cli = _modules(inside="perfgoals.cli")
    assert _imported_after(cli, ("textual",)) == []


def test_the_reading_layer_knows_no_storage_and_no_ui() -> None:
    reading = _modules(inside="perfgoals.reading")
    assert len(reading) >= 7
    assert _imported_after(reading, ("textual", "click", "sqlalchemy", "sqlmodel", "perfgoals.storage",
                                     "perfgoals.checks", "perfgoals.importers", "perfgoals.export",
                                     "perfgoals.tui", "xlsxwriter")) == []


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
