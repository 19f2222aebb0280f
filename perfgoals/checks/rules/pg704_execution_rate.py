"""PG704: the 执行率 (or its score) written is not B ÷ A."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._evaluation import figure
from perfgoals.evaluation.scoring import percent_text

#: A written rate may be rounded to 0.01 %.
_RATE_TOLERANCE = Decimal("0.0001")
_SCORE_TOLERANCE = Decimal("0.01")


class ExecutionRate(ProjectRule):
    """检查内容：自评表的预算执行率应为全年执行数（B）÷ 全年预算数（A），其得分为执行率 × 分值
    （不超过分值）。年度资金总额一行为空或为 0 而其中各项填了时，按各项之和计算。写的执行率或
    得分与算出的不符时报告，已支出却写 0 的尤其要改。

    为什么重要：预算执行率占 10 分；写成 0，项目白白少了 10 分，等级可能降一档；写高了，
    审核时会被认为虚报。

    错误示例：全年预算数 89.974、全年执行数 89.974，执行率写 0，得分 0。

    正确示例：执行率 100%，得分 10。
    """

    code = "PG704"
    severity = Severity.ERROR
    title = "预算执行率或其得分与执行数不符"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        summary = ctx.evaluations.get(project.index)
        if summary is None:
            return
        rate = summary.rate
        if rate.rate is None or rate.computed is None:
            return
        wrong: list[str] = []
        if rate.written_rate is not None and abs(rate.written_rate - rate.rate) > _RATE_TOLERANCE:
            wrong.append(f"执行率写作“{rate.rate_text.strip()}”")
        if rate.written is not None and abs(rate.written - rate.computed) > _SCORE_TOLERANCE:
            wrong.append(f"得分写作 {figure(rate.written)}")
        if not wrong:
            return
        unit = summary.evaluation.unit if summary.evaluation is not None else "万元"
        basis = "年度资金总额" if rate.source == "total" else "其中各项之和"
        spent = (
            f"已支出 {figure(rate.executed)} {unit}，"
            if rate.executed and (rate.written_rate == 0 or rate.written == 0)
            else ""
        )
        yield Issue(
            f"{spent}{'、'.join(wrong)}；按{basis}全年执行数 {figure(rate.executed)} ÷ 全年预算数 "
            f"{figure(rate.full_year)}，执行率应为 {percent_text(rate.rate)}，得分 {figure(rate.computed)}"
            f"（分值 {figure(rate.points)}）",
            hint="执行率 = 全年执行数 ÷ 全年预算数；得分 = 执行率 × 分值，最多得满分。",
            field="evaluation.rate",
        )
