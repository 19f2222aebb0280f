"""PG303: a 二级指标 filed under the wrong 一级指标."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity


class WrongParent(RowRule):
    """检查内容：二级指标放在了指标体系不允许的一级指标下，例如把“服务对象满意度指标”
    放在“效益指标”下，或把“成本指标”放在“效益指标”下。一级、二级都能识别时才检查。

    为什么重要：分类错了，完整性判断（PG301、PG302）和年底自评的分值分配（产出 50、效益 30、
    满意度 10）都会错。

    错误示例：效益指标 / 社会公众或服务对象满意度指标 / 群众满意度 / ≥90%。

    正确示例：满意度指标 / 服务对象满意度指标 / 群众满意度 / ≥90%。
    """

    code = "PG303"
    severity = Severity.ERROR
    title = "二级指标放错了一级指标"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if row.blank and not row.level2.strip():
            return
        if row.l2_known and row.l1_known and row.l1 not in row.parents:
            parents = "、".join(row.parents)
            yield Issue(
                f"二级指标“{row.level2.strip()}”不应放在“{row.level1.strip()}”下（应属{parents}）",
                hint=f"把这一行移到“{row.parents[0]}”下。",
                field="level1",
            )
