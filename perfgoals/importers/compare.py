"""What re-importing a department-year would replace: the differences between two versions of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from perfgoals.models import Department, Indicator, Project

_INDICATOR_FIELDS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "description": "绩效指标描述",
    "value": "指标值",
    "basis": "指标值确定依据",
    "mid_term_value": "实施期指标值",
    "weight": "权重",
    "direction": "指标方向",
    "unit": "度量单位",
    "reference_value": "上年指标值",
    "reference_actual": "上年实际完成值",
    "method": "计算方法",
    "nature": "指标性质",
    "mid_term_level2": "实施期二级指标",
    "mid_term_level3": "实施期三级指标",
    "standard": "绩效标准",
    "expected_value": "当年预期实现值",
    "extra": "其他列",
}
_PROJECT_FIELDS = {
    "code": "项目编码",
    "budget_line_code": "功能科目",
    "line_link": "科目确认状态",
    "fund_source": "资金来源",
    "fund_source_detail": "资金来源说明",
    "budget_amount": "项目金额",
    "amount_unit": "金额单位",
    "amount_source": "金额来源",
    "owner": "负责人",
    "implementing_unit": "实施单位",
    "status": "状态",
    "notes": "备注",
    "acceptances": "已接受的问题",
    "attribute": "项目属性",
    "period": "实施期",
    "category": "项目类别",
    "kind": "项目性质",
    "basis": "立项依据",
    "superior_amount": "上级资金",
    "mid_term_amount": "中期资金",
    "breakdown": "成本构成",
    "extra": "项目其他信息",
}
_DEPARTMENT_FIELDS = {
    "name": "部门名称",
    "money_unit": "金额单位",
    "framework": "指标体系",
    "goals": "部门整体绩效目标",
    "org_units": "机构设置",
    "function_total": "功能分类合计",
    "budget_lines": "功能科目",
    "economic_lines": "基本支出经济科目",
    "summary_rows": "收支总表",
    "three_public": "三公经费",
    "procurement": "政府采购",
    "procurement_total": "政府采购合计",
    "acceptances": "部门层面已接受的问题",
}


@dataclass(slots=True)
class Differences:
    changed: list[str] = field(default_factory=list)  # "科普活动（第 3 行指标值、负责人）"
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rows_changed: int = 0
    department: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.department)

    def lines(self) -> list[str]:
        result: list[str] = []
        if self.changed:
            result.append(f"有改动的项目（{len(self.changed)} 个，共 {self.rows_changed} 行指标不同）：")
            result.extend(f"  {entry}" for entry in self.changed)
        if self.added:
            result.append(f"本次导入新增的项目（{len(self.added)} 个）：{'、'.join(self.added)}")
        if self.removed:
            result.append(f"数据库中有、本次导入没有的项目（{len(self.removed)} 个，将被删除）：{'、'.join(self.removed)}")
        if self.department:
            result.append(f"部门层面不同的内容：{'、'.join(self.department)}")
        return result


def _plain(model: Any) -> Any:
    return model.model_dump(mode="json") if hasattr(model, "model_dump") else model


def _indicator_changes(old: list[Indicator], new: list[Indicator]) -> tuple[list[str], int]:
    notes: list[str] = []
    rows = 0
    for number in range(1, max(len(old), len(new)) + 1):
        before = old[number - 1] if number <= len(old) else None
        after = new[number - 1] if number <= len(new) else None
        if before is None:
            notes.append(f"第 {number} 行（新增）")
            rows += 1
        elif after is None:
            notes.append(f"第 {number} 行（删除）")
            rows += 1
        elif before != after:
            fields = [label for name, label in _INDICATOR_FIELDS.items() if getattr(before, name) != getattr(after, name)]
            notes.append(f"第 {number} 行{'、'.join(fields)}")
            rows += 1
    return notes, rows


def _project_changes(old: Project, new: Project) -> tuple[list[str], int]:
    notes = [
        label for name, label in _PROJECT_FIELDS.items()
        if _plain_list(getattr(old, name)) != _plain_list(getattr(new, name))
    ]
    if [_plain(a) for a in old.acceptances] == [_plain(a) for a in new.acceptances] and "已接受的问题" in notes:
        notes.remove("已接受的问题")
    if old.goal.goal_text != new.goal.goal_text:
        notes.append("绩效目标")
    if old.goal.mid_term_goal_text != new.goal.mid_term_goal_text:
        notes.append("实施期目标")
    for name, label in (("layout", "表样"), ("columns", "表样的列"), ("block", "项目信息的标签"), ("footers", "表尾")):
        if _plain_list(getattr(old.goal, name)) != _plain_list(getattr(new.goal, name)):
            notes.append(label)
    row_notes, rows = _indicator_changes(old.goal.indicators, new.goal.indicators)
    return notes + row_notes, rows


def _plain_list(value: Any) -> Any:
    return [_plain(item) for item in value] if isinstance(value, list) else _plain(value)


def project_differences(old: Project, new: Project) -> list[str]:
    """What differs between two versions of one project (fields, goal text, layout, rows)."""
    return _project_changes(old, new)[0]


def compare(old: Department, new: Department) -> Differences:
    """How ``old`` (in the database) differs from ``new`` (what an import would write)."""
    result = Differences()
    old_projects = {project.name: project for project in old.projects}
    new_projects = {project.name: project for project in new.projects}
    for name, project in old_projects.items():
        if name not in new_projects:
            result.removed.append(name)
            continue
        notes, rows = _project_changes(project, new_projects[name])
        if notes:
            result.changed.append(f"{name}（{'；'.join(notes)}）")
            result.rows_changed += rows
    result.added = [name for name in new_projects if name not in old_projects]
    if [p.name for p in old.projects if p.name in new_projects] != [
        p.name for p in new.projects if p.name in old_projects
    ]:
        result.department.append("项目顺序")
    for name, label in _DEPARTMENT_FIELDS.items():
        before, after = getattr(old, name), getattr(new, name)
        if isinstance(before, list):
            if [_plain(x) for x in before] != [_plain(x) for x in after]:
                result.department.append(label)
        elif _plain(before) != _plain(after):
            result.department.append(label)
    return result
