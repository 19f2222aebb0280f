"""PG414: a 成本指标 filed under 产出指标 in a year when cost is a 一级 of its own."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.framework import cost_level1_from_year


class CostUnderOutput(RowRule):
    """检查内容：成本指标仍作为二级指标归在“产出指标”下，而预算年度已在财预〔2021〕101号指标体系
    施行之后（成本指标是与产出、效益、满意度并列的一级指标）。起始年度写在指标体系目录
    （frameworks.json 的 cost_level1_from_year，现为 2023 年）中，各地不同时可改那里。

    为什么重要：按新体系，成本指标下分经济成本、社会成本、生态环境成本，不再只是产出的一部分；
    仍按旧表填报，审核时会被退回，汇总时成本指标也归不到一级“成本指标”下。

    错误示例：2023 年项目，一级“产出指标”、二级“成本指标”、三级“项目总成本”。

    正确示例：一级“成本指标”、二级“经济成本指标”、三级“项目总成本”。
    """

    code = "PG414"
    severity = Severity.WARNING
    title = "成本指标仍归在产出指标下"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if not row.is_cost or row.blank or row.l1 != "产出指标" or env.year < cost_level1_from_year():
            return
        yield Issue(
            f"{row.label()} 归在产出指标下；{cost_level1_from_year()} 年起按财预〔2021〕101号，成本指标是一级指标",
            hint="改为一级“成本指标”，二级“经济成本指标”（或社会、生态环境成本指标）。",
            field="level1",
        )
