"""The error every user-facing failure derives from: its message is for the user, in Chinese."""

from __future__ import annotations


class PerfgoalsError(Exception):
    """A failure the user can act on. The CLI prints the message on one line and exits ``exit_code``."""

    exit_code = 2
