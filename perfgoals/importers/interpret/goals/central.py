"""The central template (中央部门项目支出绩效目标表): a project block with 项目名称, 主管部门及代码, 实施单位,
项目资金 (年度资金总额, 其中：财政拨款, 其他资金) and 总体目标 (实施期/年度) above the indicators, which read
as the national ones do."""

from __future__ import annotations

from perfgoals.importers.interpret.goals.block import BlockRead
from perfgoals.models import LayoutFamily

FAMILY = LayoutFamily.CENTRAL


def recognise(block: BlockRead) -> bool:
    """A block stating the implementing unit or the project's money, or the supervising department with its
    code (主管部门及代码); a department's name alone (预算单位) is the national template's."""
    fields = {label.field for label in block.labels}
    coded = block.department is not None and block.department[0] is not None
    return coded or bool(fields & {"project.implementing_unit", "project.budget_amount", "project.mid_term_amount"})
