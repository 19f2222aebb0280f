"""PG604: a monitoring row that points at an indicator the goal table no longer has, or at another one."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class MonitoringRowMismatch(ProjectRule):
    """检查内容：绩效监控的某一行对应不上绩效目标表的指标：该行号在目标表中已不存在（错误），
    或该行的三级指标已不是填写监控时的那一项（警告；若那项指标移到了别的行，提示移到了第几行）。
    同一指标填了两条监控记录也在此提示。

    为什么重要：监控的执行情况、预计完成和偏差原因是对某一项指标说的；指标删除、改名或移动后，
    这些内容就会挂在别的指标名下，导出的监控表张冠李戴。

    错误示例：监控时第 3 行是“活动完成时间”，之后目标表删去一行，第 3 行变成了“预算总成本”。

    正确示例：按现在的行号重新填写该指标的监控（perfgoals monitor --row 2 …），或删去多余的记录。
    """

    code = "PG604"
    severity = Severity.ERROR
    title = "监控记录对应不上指标"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        reading = ctx.monitoring.get(project.index)
        if reading is None:
            return
        count = len(project.project.goal.indicators)
        for row in reading.rows:
            recorded = row.entry.level3.strip()
            named = f"“{recorded}”" if recorded else ""
            if row.row >= count:
                if row.moved_to is not None:
                    yield Issue(
                        f"监控记录指向第 {row.row + 1} 行指标{named}，目标表只有 {count} 行；该指标现在在第 "
                        f"{row.moved_to + 1} 行",
                        hint=f"按第 {row.moved_to + 1} 行重新填写这项指标的监控。",
                        field="monitoring.row",
                        row=row.moved_to + 1,
                        severity=Severity.WARNING,
                    )
                else:
                    yield Issue(
                        f"监控记录指向第 {row.row + 1} 行指标{named}，目标表只有 {count} 行，该指标已不存在",
                        hint="删去这条监控记录，或按现在的行号重新填写。",
                        field="monitoring.row",
                    )
                continue
            current = project.project.goal.indicators[row.row].level3.strip()
            if recorded and current != recorded:
                where = f"；“{recorded}”现在在第 {row.moved_to + 1} 行" if row.moved_to is not None else ""
                yield Issue(
                    f"第 {row.row + 1} 行的监控记录是对“{recorded}”填写的，该行现在是“{current or '（空）'}”{where}",
                    hint="核对监控记录对应的指标，按现在的行号重新填写。",
                    field="monitoring.row",
                    row=row.row + 1,
                    severity=Severity.WARNING,
                )
        seen: set[int] = set()
        for entry in project.project.monitoring.rows if project.project.monitoring else []:
            if entry.row in seen and entry.row < count:
                yield Issue(
                    f"第 {entry.row + 1} 行指标有两条监控记录",
                    hint="合并为一条。",
                    field="monitoring.row",
                    row=entry.row + 1,
                    severity=Severity.WARNING,
                )
            seen.add(entry.row)
