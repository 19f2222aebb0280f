"""The arithmetic of a department's budget tables, as a list of evaluated relations.

Each relation is a :class:`~perfgoals.checks.arithmetic.Comparison` owned by one rule (PG201 …
PG211).  The rules report the mismatches; PG200 reports the differences that rounding explains.
Built once per check run from the department's tables, whatever their layout: a relation whose
published side is blank is not evaluated.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from perfgoals.checks.arithmetic import ZERO, Comparison, Status, agrees, coarsest, compare, settle, wan
from perfgoals.checks.vocabulary import clean
from perfgoals.models import EconomicLine, LineAmounts, SummaryRow, ThreePublicRow

if TYPE_CHECKING:
    from perfgoals.checks.context import CheckContext

TOTAL_KEY = "合计"


def line_columns(line: LineAmounts) -> dict[str, Decimal | None]:
    """Every figure of a function line, by a column label readers recognise."""
    columns: dict[str, Decimal | None] = {"合计": line.total, "基本支出": line.basic, "项目支出": line.project}
    columns.update(line.other_expenses)
    columns["收入合计"] = line.income_total
    columns["本年收入"] = line.income_current
    for source, amount in line.income_sources.items():
        columns[f"本年收入·{source}"] = amount
    columns["上年结转"] = line.carryover
    for nature, split in line.fiscal.items():
        columns[f"{nature}·合计"] = split.total
        columns[f"{nature}·基本支出"] = split.basic
        columns[f"{nature}·项目支出"] = split.project
    return columns


def build_ledger(ctx: CheckContext) -> list[Comparison]:
    department = ctx.department
    ledger: list[Comparison] = []
    ledger.extend(_function_tree(ctx))
    rows: list[tuple[str, str, LineAmounts, str | None]] = []
    if department.function_total is not None:
        rows.append(("line:合计", "功能分类合计行", department.function_total, None))
    rows.extend((f"line:{line.code}", f"科目 {line.code} {line.name}", line, line.code) for line in department.budget_lines)
    for key, subject, line, code in rows:
        ledger.extend(_line_arithmetic(key, subject, line, code))
    ledger.extend(_summary_tables(ctx))
    ledger.extend(_economic(ctx))
    ledger.extend(_three_public(ctx))
    ledger.extend(_procurement(ctx))
    return ledger


# --- function classification (功能分类) ----------------------------------------------------------


def _function_tree(ctx: CheckContext) -> Iterator[Comparison]:
    department = ctx.department
    groups: list[tuple[str, str, LineAmounts, str | None, list, str]] = []
    top = [line for line in department.budget_lines if len(line.code) == 3]
    if department.function_total is not None and top:
        groups.append(("line:合计", "功能分类合计行", department.function_total, None, top, "各类合计"))
    for line_code, children in ctx.children.items():
        line = ctx.lines[line_code]
        relation = "各款合计" if len(line_code) == 3 else "各项合计"
        groups.append((f"line:{line_code}", f"科目 {line_code} {line.name}", line, line_code, children, relation))
    columns_of: dict[int, dict[str, Decimal | None]] = {}

    def columns(line: LineAmounts) -> dict[str, Decimal | None]:
        found = columns_of.get(id(line))
        if found is None:
            found = columns_of[id(line)] = line_columns(line)
        return found

    for key, subject, parent, code, children, relation in groups:
        child_columns = [(columns(child), child.unit) for child in children]
        # The usual table is all in 万元: then a column adds up when Σ of its figured cells is the total.
        in_wan = parent.unit == "万元" and all(child.unit == "万元" for child in children)
        for column, amount in columns(parent).items():
            if amount is None:
                continue
            if in_wan:
                figured = [value for values, _ in child_columns if (value := values.get(column)) is not None]
                if not figured or sum(figured, ZERO) == amount:
                    continue
            parts = [(values.get(column), unit) for values, unit in child_columns]
            if agrees(parts, amount, parent.unit):
                continue
            found = compare(
                rule="PG201",
                key=key,
                subject=subject,
                column=column,
                relation=relation,
                parts=parts,
                published=(amount, parent.unit),
                budget_line=code,
                table="功能分类",
            )
            if found is not None:
                yield found


def _line_arithmetic(key: str, subject: str, line: LineAmounts, code: str | None) -> Iterator[Comparison]:
    unit = line.unit
    expense_parts = [(line.basic, unit), (line.project, unit)] + [
        (amount, unit) for amount in line.other_expenses.values()
    ]
    # Most lines add up: each relation is tested with ``agrees`` before its message parts are built.
    if not agrees(expense_parts, line.total, unit):
        found = compare(
            rule="PG202",
            key=key,
            subject=subject,
            column="合计",
            relation="基本支出 + 项目支出" + "".join(f" + {name}" for name in line.other_expenses),
            parts=expense_parts,
            published=(line.total, unit),
            budget_line=code,
            table="支出总表",
        )
        if found is not None:
            yield found
    for nature, split in line.fiscal.items():
        parts = [(split.basic, unit), (split.project, unit)]
        if agrees(parts, split.total, unit):
            continue
        found = compare(
            rule="PG202",
            key=key,
            subject=subject,
            column=f"{nature}·合计",
            relation="基本支出 + 项目支出",
            parts=parts,
            published=(split.total, unit),
            budget_line=code,
            table="财政拨款支出表",
        )
        if found is not None:
            yield found
    parts = [(line.income_current, unit), (line.carryover, unit)]
    if not agrees(parts, line.income_total, unit):
        found = compare(
            rule="PG203",
            key=key,
            subject=subject,
            column="收入合计",
            relation="本年收入 + 上年结转",
            parts=parts,
            published=(line.income_total, unit),
            budget_line=code,
            table="收入总表",
        )
        if found is not None:
            yield found
    if line.income_sources:
        parts = [(amount, unit) for amount in line.income_sources.values()]
        if not agrees(parts, line.income_current, unit):
            found = compare(
                rule="PG203",
                key=key,
                subject=subject,
                column="本年收入",
                relation="各收入来源合计",
                parts=parts,
                published=(line.income_current, unit),
                budget_line=code,
                table="收入总表",
            )
            if found is not None:
                yield found
    if line.income_total is not None:
        parts = [(line.income_total, unit)]
        if not agrees(parts, line.total, unit):
            found = compare(
                rule="PG204",
                key=key,
                subject=subject,
                column="支出总表合计",
                relation="收入总表合计",
                parts=parts,
                published=(line.total, unit),
                budget_line=code,
                table="支出总表",
            )
            if found is not None:
                yield found


# --- 收支总表 / 财政拨款收支总表 --------------------------------------------------------------------

_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def _main_amount(row: SummaryRow) -> tuple[str, Decimal] | None:
    if not row.amounts:
        return None
    for wanted in ("合计", "预算数", "金额"):
        for key, amount in row.amounts.items():
            if wanted in key:
                return key, amount
    key = next(iter(row.amounts))
    return key, row.amounts[key]


def _find(rows: list[SummaryRow], word: str, *, after: int = 0) -> SummaryRow | None:
    return next((row for row in rows if row.position > after and word in clean(row.item)), None)


def _summary_tables(ctx: CheckContext) -> Iterator[Comparison]:
    tables: dict[str, dict[str, list[SummaryRow]]] = defaultdict(lambda: defaultdict(list))
    for row in ctx.department.summary_rows:
        tables[str(row.table)][row.side].append(row)
    for table, sides in tables.items():
        for rows in sides.values():
            rows.sort(key=lambda row: row.position)
        income, expense = sides.get("收入", []), sides.get("支出", [])
        total_in, total_out = _find(income, "收入总计"), _find(expense, "支出总计")
        current_in, current_out = _find(income, "本年收入合计"), _find(expense, "本年支出合计")
        if total_in and total_out:
            main_in, main_out = _main_amount(total_in), _main_amount(total_out)
            if main_in and main_out:
                found = compare(
                    rule="PG205",
                    key=f"summary:{table}:总计",
                    subject=f"{table}",
                    column="支出总计",
                    relation="收入总计",
                    parts=[(main_in[1], total_in.unit)],
                    published=(main_out[1], total_out.unit),
                    table=table,
                )
                if found:
                    yield found
        for side_rows, current, total, label in (
            (income, current_in, total_in, "收入"),
            (expense, current_out, total_out, "支出"),
        ):
            if current is None:
                continue
            items = [row for row in side_rows if row.position < current.position and _NUMBERED.match(clean(row.item))]
            carry = _find(side_rows, "结转", after=current.position)
            if carry is not None and total is not None and carry.position > total.position:
                carry = None
            for column, amount in current.amounts.items():
                found = compare(
                    rule="PG205",
                    key=f"summary:{table}:本年{label}合计",
                    subject=f"{table}“本年{label}合计”",
                    column=column,
                    relation=f"各{label}项目合计",
                    parts=[(row.amounts.get(column), row.unit) for row in items],
                    published=(amount, current.unit),
                    table=table,
                )
                if found:
                    yield found
            if total is not None:
                for column, amount in total.amounts.items():
                    parts = [(current.amounts.get(column), current.unit)]
                    if carry is not None:
                        parts.append((carry.amounts.get(column), carry.unit))
                    found = compare(
                        rule="PG205",
                        key=f"summary:{table}:{label}总计",
                        subject=f"{table}“{label}总计”",
                        column=column,
                        relation=f"本年{label}合计 + {clean(carry.item) if carry else '结转'}",
                        parts=parts,
                        published=(amount, total.unit),
                        table=table,
                    )
                    if found:
                        yield found
        yield from _summary_against_function(ctx, table, current_in, current_out, income)


def _summary_against_function(
    ctx: CheckContext,
    table: str,
    current_in: SummaryRow | None,
    current_out: SummaryRow | None,
    income: list[SummaryRow],
) -> Iterator[Comparison]:
    """The 收支总表 repeats the function tables' 合计 row: 本年支出、本年收入、上年结转."""
    function_total = ctx.department.function_total
    if function_total is None or "财政" in table:
        return
    pairs: list[tuple[SummaryRow | None, Decimal | None, str]] = [
        (current_out, function_total.total, "支出总表合计"),
        (current_in, function_total.income_current, "收入总表本年收入"),
    ]
    if current_in is not None:
        carry = _find(income, "结转", after=current_in.position)
        pairs.append((carry, function_total.carryover, "收入总表上年结转"))
    for row, amount, relation in pairs:
        if row is None:
            continue
        main = _main_amount(row)
        if main is None:
            continue
        found = compare(
            rule="PG205",
            key=f"summary:{table}:{clean(row.item)}",
            subject=f"{table}“{row.item.strip()}”",
            column=main[0],
            relation=relation,
            parts=[(amount, function_total.unit)],
            published=(main[1], row.unit),
            table=table,
        )
        if found:
            yield found


# --- 基本支出 economic classification ------------------------------------------------------------


def _economic_subject(line: EconomicLine) -> str:
    return f"经济科目 {line.code} {line.name}" if line.code else "基本支出表合计行"


def _economic(ctx: CheckContext) -> Iterator[Comparison]:
    lines = ctx.department.economic_lines
    if not lines:
        return
    for line in lines:
        parts = [(line.personnel, line.unit), (line.public, line.unit)]
        if agrees(parts, line.total, line.unit):
            continue
        found = compare(
            rule="PG206",
            key=f"economic:{line.code}",
            subject=_economic_subject(line),
            column="合计",
            relation="人员经费 + 公用经费",
            parts=parts,
            published=(line.total, line.unit),
            table="基本支出表",
        )
        if found:
            yield found
    by_code = {line.code: line for line in lines}
    groups: list[tuple[EconomicLine, list[EconomicLine], str]] = []
    total_row = by_code.get("")
    top = [line for line in lines if len(line.code) == 3]
    if total_row is not None and top:
        groups.append((total_row, top, "各类合计"))
    by_class: dict[str, list[EconomicLine]] = defaultdict(list)
    for line in lines:
        if len(line.code) == 5:
            by_class[line.code[:3]].append(line)
    for parent in top:
        children = by_class.get(parent.code)
        if children:
            groups.append((parent, children, "各款合计"))
    for parent, children, relation in groups:
        for column in ("total", "personnel", "public"):
            amount = getattr(parent, column)
            if amount is None:
                continue
            parts = [(getattr(child, column), child.unit) for child in children]
            if agrees(parts, amount, parent.unit):
                continue
            found = compare(
                rule="PG207",
                key=f"economic:{parent.code}",
                subject=_economic_subject(parent),
                column={"total": "合计", "personnel": "人员经费", "public": "公用经费"}[column],
                relation=relation,
                parts=parts,
                published=(amount, parent.unit),
                table="基本支出表",
            )
            if found:
                yield found
    yield from _economic_against_function(ctx, total_row)


def _economic_against_function(ctx: CheckContext, total_row: EconomicLine | None) -> Iterator[Comparison]:
    """The 基本支出 table's 合计 is the department's 基本支出 (general-budget part where split out)."""
    function_total = ctx.department.function_total
    if total_row is None or total_row.total is None or function_total is None:
        return
    candidates = [
        (split.basic, f"财政拨款支出表“{nature}”基本支出")
        for nature, split in function_total.fiscal.items()
        if "一般公共预算" in nature and split.basic is not None
    ]
    if function_total.basic is not None:
        candidates.append((function_total.basic, "支出总表基本支出"))
    found_any: list[Comparison] = []
    for amount, relation in candidates:
        found = compare(
            rule="PG207",
            key="economic:",
            subject="基本支出表合计行",
            column="合计",
            relation=relation,
            parts=[(amount, function_total.unit)],
            published=(total_row.total, total_row.unit),
            table="基本支出表",
        )
        if found is None:
            continue
        if found.status is not Status.MISMATCH:
            yield found
            return
        found_any.append(found)
    if found_any:
        yield found_any[0]


# --- 三公经费 ----------------------------------------------------------------------------------

#: The economic line each 三公 category repeats.
THREE_PUBLIC_ECONOMIC = {
    "abroad": "30212",
    "vehicle_operation": "30231",
    "vehicle_purchase": "31013",
    "reception": "30217",
}


def _three_columns(row: ThreePublicRow) -> dict[str, Decimal | None]:
    columns: dict[str, Decimal | None] = {TOTAL_KEY: row.total}
    columns.update(row.amounts)
    return columns


def _three_public(ctx: CheckContext) -> Iterator[Comparison]:
    rows = ctx.department.three_public
    if not rows:
        return
    by_category: dict[str, ThreePublicRow] = {}
    for row in rows:
        by_category.setdefault(row.category, row)
    economic = {line.code: line for line in ctx.department.economic_lines if line.code}
    for category, code in THREE_PUBLIC_ECONOMIC.items():
        found_row = by_category.get(category)
        line = economic.get(code)
        if found_row is None or line is None or found_row.total is None or line.total is None:
            continue
        row = found_row
        found = compare(
            rule="PG208",
            key=f"three:{category}",
            subject=f"三公经费“{row.item.strip()}”",
            column="合计",
            relation=f"经济科目 {code} {line.name}",
            parts=[(line.total, line.unit)],
            published=(row.total, row.unit),
            table="三公经费表",
        )
        if found:
            yield found
    relations: list[tuple[str, tuple[str, ...], str]] = [
        ("total", ("subtotal",), "“三公”经费小计"),
        ("subtotal" if "subtotal" in by_category else "total", ("abroad", "vehicle", "reception"), "三项合计"),
        ("abroad", ("abroad_research", "abroad_other"), "其中各项合计"),
        ("vehicle", ("vehicle_purchase", "vehicle_operation"), "购置费 + 运行维护费"),
    ]
    for parent_category, child_categories, relation in relations:
        parent = by_category.get(parent_category)
        children = [by_category[c] for c in child_categories if c in by_category]
        if parent is None or not children:
            continue
        child_columns = [(_three_columns(child), child.unit) for child in children]
        for column, amount in _three_columns(parent).items():
            if amount is None:
                continue
            found = compare(
                rule="PG209",
                key=f"three:{parent_category}",
                subject=f"三公经费“{parent.item.strip()}”",
                column=column,
                relation=relation,
                parts=[(columns.get(column), unit) for columns, unit in child_columns],
                published=(amount, parent.unit),
                table="三公经费表",
            )
            if found:
                yield found


# --- 政府采购 ----------------------------------------------------------------------------------


def _is_subtotal(text: str) -> bool:
    cleaned = clean(text)
    return "小计" in cleaned or cleaned in ("合计", "总计")


def _procurement(ctx: CheckContext) -> Iterator[Comparison]:
    department = ctx.department
    items = [item for item in department.procurement if not _is_subtotal(item.item)]
    for number, item in enumerate(department.procurement, start=1):
        if _is_subtotal(item.item):
            continue
        subject = f"政府采购第 {number} 项“{item.item.strip()}”"
        if item.quantity is not None and item.unit_price is not None and item.amount is not None:
            computed = wan(item.quantity * item.unit_price, item.unit)
            published = wan(item.amount, item.unit)
            if computed is not None and published is not None:
                factor = coarsest([item.unit])
                # The unit price is itself rounded: each unit of quantity may carry 0.005 of error.
                items_count = math.ceil(abs(item.quantity)) + 1
                yield Comparison(
                    rule="PG210",
                    key=f"procurement:{number}",
                    subject=subject,
                    column="金额",
                    relation=f"数量 {item.quantity.normalize():f} × 单价 {item.unit_price.normalize():f} =",
                    computed=computed,
                    published=published,
                    items=items_count,
                    factor=factor,
                    unit=item.unit,
                    status=settle(computed, published, items=items_count, factor=factor),
                    table="政府采购表",
                )
        funding = [(amount, item.unit) for key, amount in item.funding.items() if not _is_subtotal(key)]
        if funding:
            found = compare(
                rule="PG211",
                key=f"procurement:{number}",
                subject=subject,
                column="金额",
                relation="各资金来源合计",
                parts=funding,
                published=(item.amount, item.unit),
                table="政府采购表",
            )
            if found:
                yield found
    if department.procurement_total is not None and items:
        unit = items[0].unit
        found = compare(
            rule="PG211",
            key="procurement:total",
            subject="政府采购表合计行",
            column="合计",
            relation=f"{len(items)} 个采购品目合计",
            parts=[(item.amount, item.unit) for item in items],
            published=(department.procurement_total, unit),
            table="政府采购表",
        )
        if found:
            yield found
