"""The words of a 项目支出绩效自评表: its header words by the field they fill, its labels, and the readers of
its small cells (a figure, a 一级 label with its points, a unit in a header).

Layouts seen in published tables (the central template, 安徽, 四川 510000_0013zp, 湖南, 湖北 …) name the same
thing several ways: 全年预算数 / 全年预算数（A） / 调整后预算数, 全年执行数 / 预算执行数, 分值 / 权重,
实际完成值 / 全年实际值 / 完成值, 偏差原因分析及改进措施 / 未完成原因分析 / 未完成原因和改进措施.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from perfgoals.importers.goal_layout import clean
from perfgoals.importers.interpret.report import Report
from perfgoals.money import AmountError, parse_amount

#: Indicator header words, by the field they fill (the first that a header cell contains wins).
INDICATOR_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标",)),
    ("actual", ("实际完成值", "全年实际值", "实际完成情况", "实际完成指标值", "实际值", "完成值", "实际完成")),
    ("nature", ("指标性质",)),
    ("unit", ("度量单位", "计量单位", "单位")),
    ("value", ("年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "年度目标")),
    ("points", ("分值", "权重", "满分")),
    ("score", ("得分", "自评得分", "评分")),
    ("reason", ("偏差原因", "未完成原因", "原因分析", "改进措施", "原因")),
    ("description", ("指标描述", "绩效指标描述")),
)
#: Column words of the 项目资金 block (预算执行情况).
FUNDS_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("initial", ("年初预算数", "年初预算")),
    ("full_year", ("全年预算数", "调整后预算", "全年预算")),
    ("executed", ("全年执行数", "执行数", "实际支出")),
    ("points", ("分值", "权重")),
    ("rate", ("执行率",)),
    ("score", ("得分",)),
)
#: The two headers of 年度总体目标 (a cell holding exactly one of these, numbering and colon aside).
GOAL_WORDS = frozenset({"预期目标", "项目年度目标", "年度目标", "年初设定目标", "年度绩效目标", "总体目标"})
ACHIEVED_WORDS = frozenset(
    {"实际完成情况", "年度目标完成情况", "目标完成情况", "全年实际完成情况", "年度总体目标完成情况", "实际完成情况综述",
     "完成情况"}
)
#: Labels of the project block, by the project field their value fills.
LABELS = {
    "项目名称": "name",
    "主管部门": "department",
    "主管部门及编码": "department",
    "主管部门及代码": "department",
    "预算部门": "department",
    "实施单位": "implementing_unit",
    "项目实施单位": "implementing_unit",
    "项目单位": "implementing_unit",
}
#: Rows after the indicators: the conclusion, the signatures (kept in ``Project.extra``, never indicators).
CLOSING = (
    "评价结论", "自评结论", "绩效自评结论", "存在问题", "存在的问题", "问题及原因", "改进措施", "整改措施", "下一步改进措施",
    "填表人", "联系电话", "填报日期", "审核人", "单位负责人", "财务负责人", "项目负责人", "备注", "说明", "注",
)
TOTAL = re.compile(r"^(?:总分|合计|总计|得分合计|总得分|自评得分|自评总分)$")
GRADE = re.compile(r"^(?:评价等级|自评等级|等级|绩效等级|自评结果|评价结果|绩效评价等级)$")
GRADES = ("优", "良", "中", "差")

#: A 一级 label's points: ``产出指标(50分)``, ``产出指标（50分）``, ``效益指标 30分``; ``效益指标(分)`` has none.
_POINTS_IN_LABEL = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)?\s*分\s*[)）]\s*$|\s+(\d+(?:\.\d+)?)\s*分\s*$")
#: A block label's points: ``预算执行情况（10分）``.
_POINTS_ANYWHERE = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_UNIT_WORD = re.compile(r"(百万元|千元|万元|亿元|元)")
#: A unit in a header cell: ``项目资金（万元）``, ``年度预算数(万元)``, ``（单位：元）``.
_UNIT_IN_HEADER = re.compile(r"[（(]\s*(?:金额)?(?:单位\s*[:：])?\s*(百万元|千元|万元|亿元|元)\s*[)）]|单位\s*[:：]\s*(百万元|千元|万元|亿元|元)")
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
_NUMBERING = re.compile(r"^\s*(?:\d+[.、．]|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*")
#: A cell that says “nothing here” (a part without 分值, a column not applicable).
_NOTHING = frozenset({"/", "／", "—", "——", "-", "－", "--", "无", "\\", "×", "不适用"})
#: What perfgoals' own 自评表 export shows where a written figure differs from the computed one:
#: ``9.47（原填 10）`` — the figure as written is the one in brackets.
_WRITTEN = re.compile(r"^.*[（(]\s*原填\s*(.*?)\s*[)）]\s*$")


def key(text: str) -> str:
    return clean(text).rstrip(":：")


def label_key(text: str) -> str:
    """A label as looked up: no numbering, no bracketed note (``实施单位（盖章）`` → 实施单位), no colon."""
    return _NUMBERING.sub("", _BRACKETED.sub("", clean(text))).rstrip(":：")


#: Header words read only when a cell says exactly this (brackets aside): ``预算数（A）`` is 全年预算数, while
#: ``年度预算数（万元）`` labels the rows.
_EXACT = {"预算数": "full_year", "调整预算数": "full_year", "执行数": "executed", "实际执行数": "executed"}


def field_of(text: str, columns: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The field a header cell fills: a cell starting with a field's word wins (``得分（分值*执行率）`` is 得分),
    else the first field whose word it contains."""
    found = key(text)
    if not found:
        return None
    names = {name for name, _ in columns}
    exact = _EXACT.get(label_key(text))
    if exact in names:
        return exact
    for name, words in columns:
        if any(found.startswith(word) for word in words):
            return name
    for name, words in columns:
        if any(word in found for word in words):
            return name
    return None


def as_written(text: str) -> str:
    match = _WRITTEN.match(text.strip())
    return match.group(1) if match else text


def is_nothing(text: str) -> bool:
    return clean(text) in _NOTHING


def figure(text: str, place: str, report: Report) -> Decimal | None:
    """A figure as written (``8``, ``8分``, ``89.974``, ``1,200,000.00``); ``/`` or ``—`` is none; a cell
    that is not a figure is noted, not read."""
    text = as_written(text)
    plain = unicodedata.normalize("NFKC", text).strip()
    plain = re.sub(r"(分|万元|元)$", "", plain).strip()
    if not plain or is_nothing(plain):
        return None
    try:
        return parse_amount(plain)
    except AmountError:
        report.note(place, f"“{text.strip()}”不是数字，未读作分值/金额")
        return None


def level1_points(raw: str) -> tuple[str, Decimal | None]:
    """A 一级 label without its points and the points (``产出指标(50分)`` → 产出指标, 50)."""
    match = _POINTS_IN_LABEL.search(raw)
    if match is None:
        return raw.strip(), None
    points = match.group(1) or match.group(2)
    return raw[: match.start()].strip(), Decimal(points) if points else None


def points_in(text: str) -> Decimal | None:
    """The points a block label carries (``预算执行情况（10分）`` → 10)."""
    match = _POINTS_ANYWHERE.search(unicodedata.normalize("NFKC", text))
    return Decimal(match.group(1)) if match else None


def unit_in_header(text: str) -> str | None:
    """The money unit a header cell names (``年度预算数（万元）``, ``项目资金（元）``)."""
    match = _UNIT_IN_HEADER.search(unicodedata.normalize("NFKC", text).replace(" ", ""))
    return (match.group(1) or match.group(2)) if match else None


def unit_word(text: str) -> str | None:
    match = _UNIT_WORD.search(text)
    return match.group(1) if match else None


def is_whole_department(title: str, texts: list[str]) -> bool:
    """A 部门整体支出绩效自评表 (not a project's): its title says so, or it has 年度主要任务 and no 项目名称."""
    words = {label_key(text) for text in texts}
    return "整体" in clean(title) or ("年度主要任务" in words and "项目名称" not in words)
