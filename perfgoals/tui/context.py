"""What every screen of the TUI is handed: the database, who is working, and on which department-year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine


@dataclass
class TuiContext:
    engine: Engine
    user: str
    department_id: int | None = None


@dataclass(frozen=True)
class JumpTarget:
    """Where a screen asks the main screen to go: a project and, optionally, a cell of its goal table."""

    project_id: int
    row: int | None = None  # 1-based indicator row
    field: str | None = None  # Indicator field name (level1, value, basis …) or project field
