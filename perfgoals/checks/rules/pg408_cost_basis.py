"""PG408: a cost indicator whose basis is not a budget or a standard."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import COST_BASIS_WORDS, clean, contains_any, is_placeholder


class CostBasis(RowRule):
    """检查内容：成本指标的“指标值确定依据”不是预算或支出标准（预算文本、预算批复、支出标准、
    定额、资金下达文件、合同、询价……），例如写成“年初工作计划”“工作安排”。

    为什么重要：成本目标必须有预算或标准支撑（财预〔2021〕101号要求成本指标依据预算支出标准），
    “工作计划”说明不了钱为什么是这么多。

    错误示例：预算总成本 ≤755元，依据“年初工作安排”。

    正确示例：依据“预算文本”“项目预算批复”或“××支出标准”。
    """

    code = "PG408"
    severity = Severity.WARNING
    title = "成本的依据不是预算或标准"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        basis = clean(row.basis)
        if not row.is_cost or row.blank or not basis or is_placeholder(basis):
            return
        if not contains_any(basis, COST_BASIS_WORDS):
            yield Issue(
                f"{row.label()}的依据“{row.basis.strip()}”不是预算或支出标准",
                hint="成本指标的依据写预算文本、预算批复或支出标准。",
                field="basis",
            )
