"""Every rule on real forms: cases where it fires and cases where it must not.

Each case starts from a small department in which everything adds up (``checks_builders``), changes
one thing the way people really get it wrong (or right), and checks the whole department.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D

import pytest

from perfgoals.checks import Finding, Severity, check_department, check_project
from perfgoals.checks.registry import RULES_BY_CODE
from perfgoals.models import AmountSource, Department, Direction, FundSource, Indicator, LinkStatus
from tests.test_checks_builders import clean_department

Mutation = Callable[[Department], None]


def rows(department: Department, project: int = 0) -> list[Indicator]:
    return department.projects[project].goal.indicators


def row(department: Department, level2: str, project: int = 0) -> Indicator:
    return next(indicator for indicator in rows(department, project) if indicator.level2 == level2)


def set_value(level2: str, value: str, project: int = 0) -> Mutation:
    def mutate(department: Department) -> None:
        row(department, level2, project).value = value

    return mutate


def set_field(level2: str, field: str, text: str, project: int = 0) -> Mutation:
    def mutate(department: Department) -> None:
        setattr(row(department, level2, project), field, text)

    return mutate


def _clear_columns(*fields: str, project: int = 0) -> Mutation:
    def mutate(department: Department) -> None:
        for indicator in rows(department, project):
            for field in fields:
                setattr(indicator, field, "")

    return mutate


def chain(*mutations: Mutation) -> Mutation:
    def mutate(department: Department) -> None:
        for mutation in mutations:
            mutation(department)

    return mutate


def findings_after(mutation: Mutation) -> list[Finding]:
    department = clean_department()
    mutation(department)
    return check_department(department)


def _line(code: str) -> Callable[[Department], object]:
    return lambda d: d.line(code)


def _set_line(code: str, field: str, value: str | None) -> Mutation:
    def mutate(department: Department) -> None:
        line = department.line(code)
        assert line is not None
        setattr(line, field, D(value) if value is not None else None)

    return mutate


def _economic(code: str, **values: str) -> Mutation:
    def mutate(department: Department) -> None:
        line = next(line for line in department.economic_lines if line.code == code)
        for field, value in values.items():
            setattr(line, field, D(value))

    return mutate


def _three(category: str, total: str) -> Mutation:
    def mutate(department: Department) -> None:
        next(r for r in department.three_public if r.category == category).total = D(total)

    return mutate


def _project(index: int, **values: object) -> Mutation:
    def mutate(department: Department) -> None:
        for field, value in values.items():
            setattr(department.projects[index], field, value)

    return mutate


def _summary(item: str, amount: str) -> Mutation:
    def mutate(department: Department) -> None:
        next(r for r in department.summary_rows if r.item == item).amounts["预算数"] = D(amount)

    return mutate


def _drop_rows(level1: str, project: int = 0) -> Mutation:
    def mutate(department: Department) -> None:
        table = department.projects[project].goal
        table.indicators = [r for r in table.indicators if r.level1 != level1]

    return mutate


def _drop_row(level2: str, project: int = 0) -> Mutation:
    def mutate(department: Department) -> None:
        table = department.projects[project].goal
        table.indicators = [r for r in table.indicators if r.level2 != level2]

    return mutate


def _add_row(indicator: Indicator, project: int = 0) -> Mutation:
    def mutate(department: Department) -> None:
        department.projects[project].goal.indicators.append(indicator)

    return mutate


def _weights(*weights: str | None) -> Mutation:
    def mutate(department: Department) -> None:
        for indicator, weight in zip(rows(department), weights, strict=True):
            indicator.weight = D(weight) if weight is not None else None

    return mutate


def _copy_table(source: int, target: int) -> Mutation:
    def mutate(department: Department) -> None:
        department.projects[target].goal = department.projects[source].goal.model_copy(deep=True)

    return mutate


# (case id, mutation, code expected, severity expected or None for the rule's default)
FIRES: list[tuple[str, Mutation, str, Severity | None]] = [
    ("PG101 ceiling above the entered budget", set_value("成本指标", "≤35万元"), "PG101", None),
    ("PG101 ceiling in 元 above a 万元 budget", set_value("成本指标", "≤350000元"), "PG101", None),
    ("PG101 ceiling raised above an amount inferred from it",
     chain(_project(0, amount_source=AmountSource.COST_INDICATOR), set_value("成本指标", "≤35万元")), "PG101", None),
    ("PG102 a project's amount changed", _project(1, budget_amount=D("6.00")), "PG102", None),
    ("PG102 carry-over split wrong", _project(1, fund_source=FundSource.CARRYOVER), "PG102", None),
    ("PG102 line with 项目支出 and no project",
     chain(_set_line("2060701", "project", "10.00"), _set_line("2060701", "basic", "50.00")), "PG102", None),
    ("PG103 unplaced project, total off",
     chain(_project(1, budget_line_code=None, budget_amount=D("7.00"))), "PG103", None),
    ("PG103 no function lines, projects off the total",
     chain(lambda d: setattr(d, "budget_lines", []), _project(0, budget_amount=D("31.00"),
                                                              budget_line_code=None)), "PG103", None),
    ("PG104 ceiling 元 for 万元", set_value("成本指标", "≤30元"), "PG104", None),
    ("PG104 ceiling 元 for an inferred 万元 amount",
     chain(_project(0, amount_source=AmountSource.COST_INDICATOR), set_value("成本指标", "≤30元")), "PG104", None),
    ("PG104 amount in 元 breaks its line",
     chain(_project(1, amount_unit="元"), set_value("成本指标", "≤5元", 1)), "PG104", None),
    ("PG105 ceiling below the budget", set_value("成本指标", "≤20万元"), "PG105", None),
    ("PG105 ceiling lowered below an amount inferred from it",
     chain(_project(0, amount_source=AmountSource.COST_INDICATOR), set_value("成本指标", "≤20万元")), "PG105", None),
    ("PG106 cost without a unit", set_value("成本指标", "≤30"), "PG106", None),
    ("PG106 cost as text", set_value("成本指标", "控制在预算范围内"), "PG106", None),
    ("PG107 line code not in the tables", _project(0, budget_line_code="2060720"), "PG107", None),
    ("PG108 no line", _project(0, budget_line_code=None), "PG108", None),
    ("PG109 suggested link", _project(0, line_link=LinkStatus.SUGGESTED), "PG109", None),
    ("PG110 no amount", _project(0, budget_amount=None), "PG110", None),
    ("PG111 amount inferred from the ceiling", _project(0, amount_source=AmountSource.COST_INDICATOR), "PG111", None),
    ("PG111 amount carried from last year", _project(0, amount_source=AmountSource.PREVIOUS_YEAR), "PG111", None),
    ("PG112 a line emptied, as after a rollover", _set_line("2060702", "project", None), "PG112", None),
    ("PG113 project on a 款", _project(0, budget_line_code="20607"), "PG113", None),
    ("PG200 rounding within n × 0.005", _set_line("20607", "basic", "60.01"), "PG200", None),
    ("PG201 款 is not Σ 项", chain(_set_line("20607", "total", "110.00")), "PG201", None),
    ("PG202 total is not basic + project", _set_line("2060701", "total", "61.00"), "PG202", None),
    ("PG203 income total is not current + carry-over", _set_line("2060702", "income_total", "45.00"), "PG203", None),
    ("PG204 income and expense totals differ", _set_line("2060701", "income_total", "62.00"), "PG204", None),
    ("PG205 收入总计 ≠ 支出总计", _summary("支出总计", "101.00"), "PG205", None),
    ("PG205 本年支出合计 not the function total", _summary("本年支出合计", "90.00"), "PG205", None),
    ("PG206 personnel + public ≠ total", _economic("", public="12.00"), "PG206", None),
    ("PG207 class is not Σ items", _economic("30101", total="31.00", personnel="31.00"), "PG207", None),
    ("PG208 三公 below the economic line", _three("reception", "0.30"), "PG208", None),
    ("PG208 三公 above the economic line (project spending)",
     chain(_three("reception", "0.80"), _three("subtotal", "1.30"), _three("total", "1.30")), "PG208", Severity.INFO),
    ("PG209 subtotal ≠ the three items", _three("subtotal", "1.20"), "PG209", None),
    ("PG210 quantity × price ≠ amount",
     lambda d: setattr(d.procurement[0], "quantity", D("3")), "PG210", None),
    ("PG211 total ≠ Σ items", lambda d: setattr(d, "procurement_total", D("2.50")), "PG211", None),
    ("PG212 procurement over the project's budget",
     chain(lambda d: setattr(d.procurement[0], "project_name", "科普讲座"),
           lambda d: setattr(d.procurement[0], "amount", D("6.00")),
           lambda d: setattr(d.procurement[0], "unit_price", D("3.00")),
           lambda d: d.procurement[0].funding.update({"一般公共预算拨款": D("6.00")}),
           lambda d: setattr(d, "procurement_total", D("7.00"))), "PG212", None),
    ("PG213 procurement names an unknown project",
     lambda d: [setattr(item, "project_name", "科普活动经费") for item in d.procurement], "PG213", None),
    ("PG213 procurement gives another budget",
     lambda d: [setattr(item, "project_budget", D("25.00")) for item in d.procurement], "PG213", None),
    ("PG301 no 满意度指标", _drop_rows("满意度指标"), "PG301", None),
    ("PG301 empty table", lambda d: setattr(d.projects[0].goal, "indicators", []), "PG301", None),
    ("PG301 unknown framework", lambda d: setattr(d, "framework", "mof-1999"), "PG301", None),
    ("PG302 no 时效指标", _drop_row("时效指标"), "PG302", None),
    ("PG302 时效 row left empty", chain(set_field("时效指标", "level3", ""), set_field("时效指标", "description", ""),
                                      set_field("时效指标", "value", ""), set_field("时效指标", "basis", "")),
     "PG302", None),
    ("PG303 satisfaction under 效益", set_field("服务对象满意度指标", "level1", "效益指标"), "PG303", None),
    ("PG304 unknown 二级", set_field("数量指标", "level2", "数量目标"), "PG304", None),
    ("PG304 unknown 一级", set_field("数量指标", "level1", "产出目标"), "PG304", None),
    ("PG305 empty basis", set_field("数量指标", "basis", ""), "PG305", None),
    ("PG305 empty value", set_field("质量指标", "value", " "), "PG305", None),
    ("PG305 one description missing where the others have one", set_field("质量指标", "description", ""),
     "PG305", None),
    ("PG306 only qualitative outputs",
     chain(set_value("数量指标", "有序开展"), set_value("质量指标", "良好")), "PG306", None),
    ("PG307 empty goal text", lambda d: setattr(d.projects[0].goal, "goal_text", "  "), "PG307", None),
    ("PG307 goal text just a number", lambda d: setattr(d.projects[0].goal, "goal_text", "1."), "PG307", None),
    ("PG308 no department goal", lambda d: setattr(d.goals, "overall", ""), "PG308", None),
    ("PG401 coverage above 100%", set_value("质量指标", "≥110%"), "PG401", None),
    ("PG401 satisfaction > 100%", set_value("服务对象满意度指标", ">100%"), "PG401", None),
    ("PG402 satisfaction under 80%", set_value("服务对象满意度指标", "≥70%"), "PG402", None),
    ("PG402 satisfaction as a word", set_value("服务对象满意度指标", "满意"), "PG402", None),
    ("PG403 ≥ before text", set_value("效益指标" if False else "社会效益指标", "≥逐步提高"), "PG403", None),
    ("PG404 ≤ on a rate", set_value("质量指标", "≤90%"), "PG404", None),
    ("PG404 ≥ on a cost", set_value("成本指标", "≥30万元"), "PG404", None),
    ("PG404 ≥ on complaints", _add_row(Indicator(level1="产出指标", level2="质量指标", level3="群众投诉次数",
                                                 description="全年群众投诉次数", value="≥3次", basis="历史标准")),
     "PG404", None),
    ("PG404 direction column disagrees",
     lambda d: setattr(row(d, "质量指标"), "direction", Direction.NEGATIVE), "PG404", None),
    ("PG405 last year's period", set_value("时效指标", "2021.3-12月"), "PG405", None),
    ("PG405 next year's period", set_value("时效指标", "2023年6月前"), "PG405", None),
    ("PG405 carry-over project keeps last year's period (info)", set_value("时效指标", "2021.3-12月", 2),
     "PG405", Severity.INFO),
    ("PG406 value is a name", set_value("社会效益指标", "工作效率"), "PG406", None),
    ("PG406 value repeats the 三级", set_value("社会效益指标", "公众科学素养"), "PG406", None),
    ("PG407 satisfaction from a work plan", set_field("服务对象满意度指标", "basis", "年初工作计划"), "PG407", None),
    ("PG408 cost from a work plan", set_field("成本指标", "basis", "年初工作安排"), "PG408", None),
    ("PG409 XX as value", set_value("质量指标", "XX"), "PG409", None),
    ("PG409 见说明 as basis", set_field("质量指标", "basis", "见说明"), "PG409", None),
    ("PG409 无 as value", set_value("社会效益指标", "无"), "PG409", None),
    ("PG410 a bare comparator", set_value("数量指标", "≥"), "PG410", None),
    ("PG414 成本指标 under 产出指标 in 2023",
     chain(lambda d: setattr(d, "year", 2023), set_field("时效指标", "level2", "时效指标")), "PG414", None),
    ("PG415 按时发放 counted in 人/年",
     _add_row(Indicator(level1="产出指标", level2="时效指标", level3="补助按时发放", description="按时发放补助",
                        value="≥1人/年", basis="年初工作计划")), "PG415", None),
    ("PG415 a rate counted in 次",
     _add_row(Indicator(level1="产出指标", level2="质量指标", level3="问题整改率", description="问题整改",
                        value="≥5次", basis="历史标准")), "PG415", None),
    ("PG411 weights that add up to 110", _weights("20", "20", "10", "20", "30", "10"), "PG411", None),
    ("PG411 weights on some rows only", _weights("50", None, None, None, "30", "10"), "PG411", None),
    ("PG411 weights adding to 90 with nothing said of 预算执行率",
     _weights("20", "10", "10", "10", "30", "10"), "PG411", None),
    ("PG412 annual above mid-term", lambda d: setattr(row(d, "数量指标"), "mid_term_value", "≥10次"), "PG412", None),
    ("PG501 same 三级 twice", _add_row(Indicator(level1="产出指标", level2="数量指标", level3="活动开展次数",
                                                 description="社区活动次数", value="≥10次", basis="年初工作计划")),
     "PG501", None),
    ("PG502 two identical tables", _copy_table(0, 1), "PG502", None),
    ("PG503 two projects of one name", _project(1, name="科普活动"), "PG503", None),
]


@pytest.mark.parametrize(("mutation", "code", "severity"), [case[1:] for case in FIRES],
                         ids=[case[0] for case in FIRES])
def test_rule_fires(mutation: Mutation, code: str, severity: Severity | None) -> None:
    found = [finding for finding in findings_after(mutation) if finding.code == code]
    assert found, f"{code} did not fire"
    expected = severity or RULES_BY_CODE[code].severity
    assert {finding.severity for finding in found} == {expected}
    for finding in found:
        assert finding.message and not finding.accepted
        assert finding.location.department == "901" and finding.location.year in (2022, 2023)


# Real forms a rule must leave alone: (case id, mutation, code that must not fire)
QUIET: list[tuple[str, Mutation, str]] = [
    ("PG101 ceiling equal within rounding", chain(_project(0, budget_amount=D("30.004"))), "PG101"),
    ("PG101 ceiling written in 元, same money", set_value("成本指标", "≤300000元"), "PG101"),
    ("PG101 amount inferred from the ceiling itself",
     chain(_project(0, amount_source=AmountSource.COST_INDICATOR, budget_amount=D("30.00"))), "PG101"),
    ("PG105 amount inferred from the ceiling itself",
     chain(_project(0, amount_source=AmountSource.COST_INDICATOR, budget_amount=D("30.00"))), "PG105"),
    ("PG102 blank amount: no sum", _project(1, budget_amount=None), "PG102"),
    ("PG111 an entered amount", lambda d: None, "PG111"),
    ("PG111 no amount at all", _project(0, amount_source=AmountSource.COST_INDICATOR, budget_amount=None), "PG111"),
    ("PG112 a basic-only line with no 项目支出 and no project", _set_line("2060701", "basic", "60.00"), "PG112"),
    ("PG113 project on a 项", lambda d: None, "PG113"),
    ("PG102 shortfall while a project is unplaced",
     chain(_project(1, budget_line_code=None)), "PG102"),
    ("PG104 a small project on a big line is not a slip", set_value("成本指标", "≤755元", 2), "PG104"),
    ("PG106 cost in 元", set_value("成本指标", "≤300000元"), "PG106"),
    ("PG106 cost written 30万", set_value("成本指标", "≤30万"), "PG106"),
    ("PG200 exact sums", lambda d: None, "PG200"),
    ("PG201 blank parent", _set_line("20607", "carryover", None), "PG201"),
    ("PG202 blank total", _set_line("2060702", "total", None), "PG202"),
    ("PG208 三公 equals the economic line", lambda d: None, "PG208"),
    ("PG302 variant name 预算（或投资规模）控制指标",
     set_field("成本指标", "level2", "预算（或投资规模）控制指标"), "PG302"),
    ("PG302 an empty 经济效益 row is 'not applicable'",
     _add_row(Indicator(level1="效益指标", level2="经济效益指标")), "PG305"),
    ("PG305 a template without 指标描述 or 依据 columns", _clear_columns("description", "basis"), "PG305"),
    ("PG303 variant 一级 效果指标", set_field("社会效益指标", "level1", "效果指标"), "PG303"),
    ("PG304 variant 一级 效果指标", set_field("社会效益指标", "level1", "效果指标"), "PG304"),
    ("PG401 growth above 100%", _add_row(Indicator(level1="效益指标", level2="社会效益指标", level3="参与人数增长率",
                                                   description="比上年增长", value="≥120%", basis="历史标准")),
     "PG401"),
    ("PG401 exactly 100%", set_value("质量指标", "100%"), "PG401"),
    ("PG402 95% with spaces and full-width", set_value("服务对象满意度指标", "≥ 95 ％"), "PG402"),
    ("PG402 90%以上", set_value("服务对象满意度指标", "90%以上"), "PG402"),
    ("PG403 达到预期效果 is natural", set_value("社会效益指标", "达到预期效果"), "PG403"),
    ("PG404 ≤ on a complaint rate", _add_row(Indicator(level1="产出指标", level2="质量指标", level3="投诉率",
                                                       description="投诉占服务次数的比例", value="≤1%",
                                                       basis="历史标准")), "PG404"),
    ("PG404 ≤ on electricity used", _add_row(Indicator(level1="产出指标", level2="数量指标", level3="用电量",
                                                       description="全年用电量", value="≤1.94万度",
                                                       basis="年初工作计划")), "PG404"),
    ("PG404 ≥ on a funding-guarantee rate",
     _add_row(Indicator(level1="产出指标", level2="质量指标", level3="经费保障率", description="经费足额保障",
                        value="≥100%", basis="预算文本")), "PG404"),
    ("PG404 ≤ on a spending growth rate",
     _add_row(Indicator(level1="效益指标", level2="社会效益指标", level3="三公经费增长率",
                        description="三公经费比上年增长", value="≤0%", basis="预算文本")), "PG404"),
    ("PG405 whole budget year", set_value("时效指标", "2022年"), "PG405"),
    ("PG405 a deadline in the year", set_value("时效指标", "2022年9月底前"), "PG405"),
    ("PG406 进一步提高 is a target", set_value("社会效益指标", "进一步提高"), "PG406"),
    ("PG406 内容丰富、形式多样 is a target", set_value("社会效益指标", "内容丰富、形式多样"), "PG406"),
    ("PG407 问卷调查", set_field("服务对象满意度指标", "basis", "问卷调查"), "PG407"),
    ("PG408 支出标准", set_field("成本指标", "basis", "市级会议费支出标准"), "PG408"),
    ("PG408 资金下达文件", set_field("成本指标", "basis", "省财政厅资金下达通知"), "PG408"),
    ("PG409 a real zero target is not a placeholder",
     _add_row(Indicator(level1="产出指标", level2="质量指标", level3="安全事故次数", description="全年安全事故",
                        value="0次", basis="历史标准")), "PG409"),
    ("PG410 电费单到达时间-like qualitative", set_value("时效指标", "按期进行电费缴纳"), "PG410"),
    ("PG411 weights adding to 90, 预算执行率 counted apart in its own row",
     chain(_weights("20", "10", "10", "10", "30", "10"),
           _add_row(Indicator(level1="效益指标", level2="经济效益指标", level3="预算执行率",
                              description="预算资金执行情况（10分，另计）", value="≥90%", basis="预算文本"))),
     "PG411"),
    ("PG411 weights adding to 90, 预算执行率 counted apart in the goal",
     chain(_weights("20", "10", "10", "10", "30", "10"),
           lambda d: setattr(d.projects[0].goal, "goal_text", "完成年度任务；预算执行率另计10分")), "PG411"),
    ("PG414 成本指标 under 产出指标 in 2022 (the 2015 framework still applies)", lambda d: None, "PG414"),
    ("PG414 成本指标 as a 一级 in 2023",
     chain(lambda d: setattr(d, "year", 2023),
           lambda d: [row.__setattr__("level1", "成本指标") or row.__setattr__("level2", "经济成本指标")
                      for project in d.projects for row in project.goal.indicators if row.level2 == "成本指标"]),
     "PG414"),
    ("PG415 开馆时间 as a duration in days",
     _add_row(Indicator(level1="产出指标", level2="时效指标", level3="开馆时间", description="全年开馆",
                        value="≥280天", basis="年初工作计划")), "PG415"),
    ("PG415 满意度 as a score", set_value("服务对象满意度指标", "≥90分"), "PG415"),
    ("PG415 a rate in per cent", set_value("质量指标", "≥95%"), "PG415"),
    ("PG404 预算执行率 ≥90% filed under 成本指标",
     _add_row(Indicator(level1="产出指标", level2="成本指标", level3="预算执行率", description="资金执行",
                        value="≥90%", basis="预算文本")), "PG404"),
    ("PG304 一级 with its points, 产出指标(50分)", set_field("数量指标", "level1", "产出指标(50分)"), "PG304"),
    ("PG308 a stand-alone table has no department goal",
     chain(lambda d: setattr(d.goals, "overall", ""), lambda d: setattr(d, "budget_lines", [])), "PG308"),
    ("PG411 weights adding to 100", _weights("20", "10", "10", "10", "30", "20"), "PG411"),
    ("PG412 annual under mid-term", lambda d: setattr(row(d, "数量指标"), "mid_term_value", "≥60次"), "PG412"),
    ("PG412 rates may be equal", lambda d: setattr(row(d, "质量指标"), "mid_term_value", "≥90%"), "PG412"),
    ("PG501 same 二级, different 三级", _add_row(Indicator(level1="产出指标", level2="数量指标", level3="参加人数",
                                                       description="参加活动人数", value="≥500人次",
                                                       basis="年初工作计划")), "PG501"),
    ("PG502 same template, different amounts", lambda d: None, "PG502"),
]


@pytest.mark.parametrize(("mutation", "code"), [case[1:] for case in QUIET], ids=[case[0] for case in QUIET])
def test_rule_stays_quiet(mutation: Mutation, code: str) -> None:
    found = [finding for finding in findings_after(mutation) if finding.code == code]
    assert not found, [finding.message for finding in found]


def test_every_rule_has_firing_and_quiet_cases() -> None:
    from perfgoals.checks.registry import RULES

    fired = {case[2] for case in FIRES}
    quiet = {case[2] for case in QUIET}
    # The monitoring rules' cases live with the monitoring tests.
    from tests import test_monitoring_rules

    fired |= {case[2] for case in test_monitoring_rules.FIRES}
    quiet |= {case[2] for case in test_monitoring_rules.QUIET}
    # And the 自评 rules' with the evaluation tests.
    from tests import test_evaluation_rules

    fired |= {case[2] for case in test_evaluation_rules.FIRES}
    quiet |= {case[2] for case in test_evaluation_rules.QUIET}
    assert {rule.code for rule in RULES} <= fired
    missing_quiet = {rule.code for rule in RULES} - quiet
    # Rules whose quiet cases are the clean department itself (it has every table and no finding).
    assert missing_quiet <= {"PG103", "PG105", "PG107", "PG108", "PG109", "PG110", "PG203", "PG204", "PG205",
                             "PG206", "PG207", "PG209", "PG210", "PG211", "PG212", "PG213", "PG301", "PG305",
                             "PG306", "PG307", "PG308", "PG503"}


def test_blank_amounts_are_not_zero() -> None:
    """A rule about an absent figure doesn't fire: blank line figures and blank project amounts."""
    department = clean_department()
    for line in department.budget_lines:
        line.project = None
    department.function_total.project = None  # type: ignore[union-attr]
    codes = {finding.code for finding in check_department(department)}
    assert "PG102" not in codes and "PG103" not in codes


def test_finding_points_at_the_row_and_field() -> None:
    found = [f for f in findings_after(set_field("数量指标", "basis", "")) if f.code == "PG305"]
    assert [(f.location.project, f.location.row, f.location.field) for f in found] == [("科普活动", 1, "basis")]


def test_unit_slip_is_reported_once_not_as_three_errors() -> None:
    codes = [f.code for f in findings_after(set_value("成本指标", "≤30元"))]
    assert "PG104" in codes and "PG101" not in codes and "PG105" not in codes


def test_line_slip_names_the_project_and_hides_the_line_error() -> None:
    found = findings_after(chain(_project(1, amount_unit="元"), set_value("成本指标", "≤5元", 1)))
    slips = [f for f in found if f.code == "PG104"]
    assert [f.location.project for f in slips] == ["科普讲座"]
    assert "PG102" not in {f.code for f in found}


# --- robustness: whatever people type, the checks answer -----------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXTS = st.one_of(
    st.sampled_from(["", " ", "≥", "≤21.87万元", "≥ 95 ％", "100%", "2021.3-12月", "XX", "无", "见说明", "工作效率",
                     "≥内容丰富", "≤1.94万度", "20次以上", "85%-95%", "2022年9月底前", "—", "≤755元", "百分之九十"]),
    st.text(alphabet="≥≤<>=%％.0123456789元万次人年月-—/ 产出效益满意度成本时效数量质量指标率", max_size=12),
)
_LEVEL2 = st.sampled_from(["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "服务对象满意度指标",
                           "预算（或投资规模）控制指标", "满意度指标", "", "自拟指标"])
_LEVEL1 = st.sampled_from(["产出指标", "效益指标", "满意度指标", "效果指标", "成本指标", "", "其他"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(_LEVEL1, _LEVEL2, _TEXTS, _TEXTS, _TEXTS, _TEXTS, st.sampled_from([None, "%", "万元"])),
                  max_size=8),
    amount=st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2)),
    unit=st.sampled_from(["万元", "元", "千元"]),
)
def test_any_goal_table_is_checked_without_failing(rows, amount, unit) -> None:  # type: ignore[no-untyped-def]
    department = clean_department()
    target = department.projects[0]
    target.budget_amount, target.amount_unit = amount, unit
    target.goal.indicators = [
        Indicator(level1=l1, level2=l2, level3=l3, description=desc, value=value, basis=basis, unit=column)
        for l1, l2, l3, desc, value, basis, column in rows
    ]
    findings = check_department(department)
    own = check_project(department, target)
    for finding in [*findings, *own]:
        assert finding.code in RULES_BY_CODE and finding.message
        if finding.location.row is not None:
            assert 1 <= finding.location.row <= len(rows)
    assert [f for f in own if f.location.project == target.name] == [
        f for f in findings if f.location.project == target.name
    ]
