"""PG407: a satisfaction indicator whose basis is not a survey."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import SURVEY_BASIS_WORDS, clean, contains_any, is_placeholder


class SatisfactionBasis(RowRule):
    """检查内容：满意度指标的“指标值确定依据”不是某种调查（满意度调查、问卷、测评、回访、座谈……），
    例如写成“年初工作计划”。

    为什么重要：满意度只能通过调查得到，目标值也应以往年调查结果或行业标准为依据；
    写“工作计划”说明依据栏是整列复制的，年底也拿不出考核证据。

    错误示例：入馆参观群众满意度 ≥90%，依据“年初工作计划”。

    正确示例：依据“满意度调查”或“历年满意度调查结果”。
    """

    code = "PG407"
    severity = Severity.WARNING
    title = "满意度的依据不是调查"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        basis = clean(row.basis)
        if not row.is_satisfaction or not basis or is_placeholder(basis):
            return
        if not contains_any(basis, SURVEY_BASIS_WORDS):
            yield Issue(
                f"{row.label()}的依据“{row.basis.strip()}”不是满意度调查",
                hint="满意度指标的依据写明调查方式，如“满意度调查”“问卷调查”。",
                field="basis",
            )
