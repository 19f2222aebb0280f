"""Per-row options that follow the ``--row N`` they belong to (``monitor``, ``evaluate``).

Click gathers repeated options per name and forgets their order; :class:`RowOptionsCommand` keeps the
order they were typed in, and :func:`rows_of` gives each ``--row`` the options after it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import click

from perfgoals.cli import PerfgoalsCommand

_ORDER_KEY = "perfgoals.option_order"


class RowOptionsCommand(PerfgoalsCommand):
    """Remembers the order options were given in, so each per-row option joins the ``--row`` before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            _options, _rest, order = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            order = []  # the parse below raises the same error
        ctx.meta[_ORDER_KEY] = [param.name for param in order]
        return super().parse_args(ctx, args)


def option_name(name: str) -> str:
    """How the user typed the option of parameter ``name``."""
    return "--" + name.replace("_", "-")


def rows_of(
    values: Mapping[str, Sequence[Any]], row_options: Sequence[str], *, repeatable: Collection[str] = ()
) -> list[tuple[int, list[tuple[str, Any]]]]:
    """Each ``--row N`` (``values["row"]``) with the per-row options typed after it, in order.

    An option before any ``--row``, or given twice for one row (unless ``repeatable``), is a usage error
    naming it.
    """
    order = click.get_current_context().meta.get(_ORDER_KEY, [])
    taken = dict.fromkeys(("row", *row_options), 0)
    rows: list[tuple[int, list[tuple[str, Any]]]] = []
    for name in order:
        if name not in taken:
            continue
        value = values[name][taken[name]]
        taken[name] += 1
        if name == "row":
            rows.append((value, []))
            continue
        if not rows:
            raise click.UsageError(f"{option_name(name)} 须写在它所属的 --row N 之后")
        number, given = rows[-1]
        if name not in repeatable and any(seen == name for seen, _ in given):
            raise click.UsageError(f"第 {number} 行的 {option_name(name)} 写了两次")
        given.append((name, value))
    return rows
