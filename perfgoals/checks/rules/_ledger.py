"""Shared reporting of budget-table arithmetic mismatches (PG201–PG211)."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status
from perfgoals.checks.base import Issue
from perfgoals.checks.context import CheckContext


def ledger_mismatches(ctx: CheckContext, code: str, hint: str) -> Iterator[Issue]:
    for comparison in ctx.ledger_for(code):
        if comparison.status is Status.MISMATCH:
            yield Issue(
                f"{comparison.subject}：{comparison.describe()}",
                hint=hint,
                budget_line=comparison.budget_line,
                table=comparison.table,
            )
