"""What every screen of the TUI is handed: the database, who is working, and on which department-year."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from perfgoals.tui.config import Settings


@dataclass
class TuiContext:
    engine: Engine
    user: str
    department_id: int | None = None
    #: The settings file (theme, keys, last department-year); read by the app when not given.
    settings: Settings | None = field(default=None, repr=False)

    @property
    def database_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)


@dataclass(frozen=True)
class JumpTarget:
    """Where a screen asks the main screen to go: a project and, optionally, a cell of its goal table."""

    project_id: int
    row: int | None = None  # 1-based indicator row
    field: str | None = None  # Indicator field name (level1, value, basis …) or project field
