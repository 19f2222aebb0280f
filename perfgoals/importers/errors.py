"""The error an import fails with: its message names the file and the place, in Chinese."""

from __future__ import annotations

from perfgoals.errors import PerfgoalsError


class ImportFailure(PerfgoalsError):
    """A file that cannot be imported; nothing of it is written."""
