"""The error every user-facing failure derives from: its message is for the user, in Chinese."""

from __future__ import annotations


class PerfgoalsError(Exception):
    """A failure the user can act on. The CLI prints the message on one line and exits ``exit_code``."""

    exit_code = 2


#: The exit code of an internal error (a bug), in the CLI and the TUI alike: never 1, which means
#: ``check`` found errors, nor 2, which means bad input.
EXIT_INTERNAL = 3
