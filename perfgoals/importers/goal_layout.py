"""The words of goal tables (绩效目标表) as provinces lay them out: column headers, the labels of the
project block above the indicators, and the parts of a 指标值 split over several cells.

Pure functions over cell texts, used by :mod:`perfgoals.importers.interpret`.  Everything is recognised by
its words, never by its position, so a column added, dropped or moved reads the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from perfgoals.models import Direction


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """A label for matching: NFKC, all whitespace removed (cached: a disclosure repeats its cell texts)."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))


_WHITESPACE = re.compile(r"\s+")


# --------------------------------------------------------------------- indicator columns
#: Header words of the indicator part, by the field they fill.  ``_ignore`` columns hold nothing of the
#: row (a label column merged down the table: 本年度绩效指标); ``_unmodelled`` ones hold text the model has
#: no field for (kept under their header in ``Indicator.extra``, as is any column no word here names).
#: Several ``method`` columns (计算方法 beside 评分标准) are one field, their texts joined.
GOAL_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "_ignore",
        (
            "序号", "绩效指标", "年度绩效指标", "指标", "项目绩效指标", "本年度绩效指标", "当年绩效指标",
            "实施期绩效指标", "中期绩效指标", "长期绩效指标", "绩效指标内容",
        ),
    ),
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标", "指标名称")),
    ("description", ("绩效指标描述", "指标描述", "指标内容", "指标解释", "指标说明")),
    ("basis", ("指标值确定依据", "指标值设定依据", "确定依据", "设定依据", "依据", "指标来源")),
    ("mid_term_value", ("实施期指标值", "实施期目标值", "实施期目标", "实施期", "中期指标值", "长期指标值")),
    ("expected_value", ("当年预期实现值", "预期实现值", "当年预计完成值", "预计完成值")),
    ("value", ("年度指标值", "年度目标值", "指标值", "目标值", "年度目标", "年度", "数值", "指标值及单位")),
    ("weight", ("权重", "分值", "指标权重", "权重(%)", "分值(分)")),
    ("direction", ("指标方向", "正向反向", "正向/反向", "正/反向", "方向", "指标方向性")),
    ("unit", ("度量单位", "计量单位", "单位")),
    ("nature", ("指标性质", "指标值性质", "运算符号", "运算符", "符号", "比较符号")),
    (
        "method",
        (
            "计算方法", "计算公式", "计算方法或评分标准", "评分标准", "计分标准", "评(计)分标准", "评分规则",
            "评价标准", "考核标准", "考核方式",
        ),
    ),
    ("standard", ("绩效标准", "指标标准", "评价标准值")),
    ("_unmodelled", ("数据来源", "佐证材料", "备注", "保障措施")),
)
IGNORED_FIELDS = ("_ignore", "_unmodelled")
#: Fields that may come from several columns: their texts are joined with this, in column order.
JOINED_FIELDS = ("method",)
JOINER = "；"


def goal_field(path: tuple[str, ...]) -> str | None:
    """The indicator field of a column with header ``path`` (top to bottom), or ``None`` if unknown."""
    if not path:
        return None
    leaf = path[-1]
    joined = "".join(path)
    for field_name, words in GOAL_COLUMNS:
        if leaf in words:
            if field_name == "value" and "实施期" in joined:
                return "mid_term_value"
            return field_name
    if _ROW_LABEL.match(leaf):
        return "_ignore"
    for field_name, words in GOAL_COLUMNS:
        if field_name != "_ignore" and any(word in leaf for word in words if len(word) > 2):
            if field_name == "value" and "实施期" in joined:
                return "mid_term_value"
            return field_name
    return None


#: A row-label column merged down the left of the indicators: 本年度绩效指标, 年度绩效指标, 绩效指标.
_ROW_LABEL = re.compile(r"^(?:本年度|年度|当年|本年|项目)?(?:绩效)?指标(?:\(本年度\)|\(年度\))?$")


def is_goal_header_row(texts: list[str]) -> bool:
    """Whether a row's cells are all indicator-column headers (a header's upper or lower row)."""
    cleaned = [clean(text) for text in texts if clean(text)]
    return bool(cleaned) and all(goal_field((text,)) is not None for text in cleaned)


# --------------------------------------------------------------------- 指标性质, 指标方向 and split values
class Qualifier(Enum):
    """What a 指标性质 / 指标方向 / 运算符号 cell says."""

    COMPARATOR = "comparator"  # ≥, ≤, 不低于 …: part of the value as written
    KIND = "kind"  # 定性 / 定量: says how the value reads, nothing to keep
    DIRECTION = "direction"  # 正向 / 反向


_COMPARATOR_CELL = re.compile(
    r"^(?:[≥≤=＝<>＜＞≧≦±≠]|>=|<=|大于等于|小于等于|大于或等于|小于或等于|不低于|不高于|不少于|不多于|不超过|"
    r"不小于|不大于|大于|小于|等于|高于|低于|达到|约|至少|至多|最多|最少)$"
)
_KIND_WORDS = ("定性", "定量", "定性指标", "定量指标")
_POSITIVE = ("正向", "正", "正向指标", "越大越好", "越高越好", "↑", "+")
_NEGATIVE = ("反向", "反", "反向指标", "逆向", "逆向指标", "越小越好", "越低越好", "↓", "-")


def direction(text: str) -> Direction | None:
    text = clean(text)
    if text in _POSITIVE:
        return Direction.POSITIVE
    if text in _NEGATIVE:
        return Direction.NEGATIVE
    return None


_PLACEHOLDERS = ("-", "—", "——", "--", "/", "无", "不适用")


def is_placeholder(text: str) -> bool:
    """A dash or 无 in a 指标性质 / 指标方向 cell: nothing stated."""
    return clean(text) in _PLACEHOLDERS


def qualifier(text: str) -> Qualifier | None:
    text = clean(text)
    if not text or text in ("+", "-"):  # a lone sign is a placeholder or part of a figure, not a direction
        return None
    if text in _KIND_WORDS:
        return Qualifier.KIND
    if direction(text) is not None:
        return Qualifier.DIRECTION
    if _COMPARATOR_CELL.match(text):
        return Qualifier.COMPARATOR
    return None


def split_value_parts(parts: list[str]) -> tuple[list[str], str, str] | None:
    """A 指标值 written over several cells (``≥`` | ``95`` | ``%``): its qualifiers, the value, the unit.

    Qualifier cells come first, then one value cell, then at most one unit cell (no digits); any other
    shape is ``None``, because the cells cannot then be told apart.
    """
    qualifiers: list[str] = []
    value = unit = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not value and qualifier(part) is not None:
            qualifiers.append(part)
        elif not value:
            value = part
        elif not unit and not re.search(r"\d", unicodedata.normalize("NFKC", part)) and len(part) <= 8:
            unit = part
        else:
            return None
    return qualifiers, value, unit


# --------------------------------------------------------------------- the project block above the indicators
class LabelKind(Enum):
    NAME = "项目名称"
    CODE = "项目编码"
    SUPERVISOR = "主管部门"  # the department: 主管部门及代码, 预算部门, 预算单位, 单位名称, 填报单位
    IMPLEMENTING_UNIT = "实施单位"
    ATTRIBUTE = "项目属性"
    PERIOD = "实施期"  # 项目期, 起止时间, 项目支出实施期
    CATEGORY = "项目类别"
    KIND = "项目性质"
    BASIS = "立项依据"
    SUPERIOR = "上级资金"
    INFO = "项目信息"  # 项目负责人, 联系电话 …: read, kept under its label in ``Project.extra``
    GOAL = "目标"
    AMOUNT = "资金"
    AMOUNT_PART = "资金构成"  # 其中：财政拨款, 其他资金: parts of the total, which is what is kept


class Period(Enum):
    ANY = "any"
    ANNUAL = "annual"
    MID_TERM = "mid_term"


@dataclass(frozen=True, slots=True)
class Label:
    kind: LabelKind
    period: Period = Period.ANY
    text: str = ""  # as written
    loose: bool = False  # recognised by a word inside it: beside another label it is that label's value


_PERIOD = r"(?P<period>年度|本年度?|当年|实施期|中期|长期)?"
_BRACKETED = r"(?:\([^)]{0,24}\))?"
_LABELS: tuple[tuple[LabelKind, re.Pattern[str]], ...] = (
    (LabelKind.NAME, re.compile(r"^项目(?:支出)?(?:名称)?$")),
    (LabelKind.CODE, re.compile(r"^项目(?:编码|代码|编号)$")),
    (
        LabelKind.SUPERVISOR,
        re.compile(
            r"^(?:主管部门|主管单位|预算部门|部门名称|预算单位|单位名称|填报单位|申报单位|编报单位)"
            r"(?:及代码|及编码|及编号|\(代码\)|\(编码\)|名称)?(?:\((?:盖章|公章)\))?$"
        ),
    ),
    (LabelKind.IMPLEMENTING_UNIT, re.compile(r"^(?:项目)?实施单位(?:名称|及代码|\(代码\))?$")),
    (LabelKind.ATTRIBUTE, re.compile(r"^项目属性$")),
    (
        LabelKind.PERIOD,
        re.compile(r"^(?:项目(?:支出)?)?(?:实施期|实施期限|实施期间|实施周期|项目期|周期|起止时间|起止年限|建设期)$"),
    ),
    (LabelKind.CATEGORY, re.compile(r"^项目(?:类别|类型|分类)$")),
    (LabelKind.KIND, re.compile(r"^项目性质$")),
    (LabelKind.BASIS, re.compile(r"^(?:项目)?(?:立项|设立)依据$")),
    (
        LabelKind.SUPERIOR,
        re.compile(r"^(?:该项目支出|该项目|项目)?上级(?:补助)?(?:专项)?(?:资金|补助|拨款)" + _BRACKETED + "$"),
    ),
    (
        LabelKind.INFO,
        re.compile(
            r"^(?:项目单位|项目负责人|负责人|联系人|联系电话|资金性质|绩效指标|年度绩效指标|项目绩效指标|"
            r"本年度绩效指标)$"
        ),
    ),
    (
        LabelKind.GOAL,
        re.compile(rf"^(?:项目)?{_PERIOD}(?:项目)?(?:总体|整体)?(?:绩效)?目标{_BRACKETED}$"),
    ),
    (
        LabelKind.AMOUNT,
        re.compile(
            rf"^(?:项目)?{_PERIOD}(?:项目)?(?:资金总额|资金合计|资金总计|预算金额|预算资金|预算总额|资金|金额|预算|总额)"
            rf"{_BRACKETED}$"
        ),
    ),
    (
        LabelKind.AMOUNT_PART,
        re.compile(
            r"^(?:其中:?)?(?:财政拨款|财政资金|财政补助|一般公共预算(?:拨款|资金)?|政府性基金(?:预算)?(?:拨款|资金)?|"
            r"国有资本经营预算(?:资金)?|财政专户(?:管理资金)?|其他资金|自筹资金|单位自筹|单位资金|上年结转(?:资金)?|"
            r"事业收入|其他)" + _BRACKETED + "$"
        ),
    ),
)
_PERIODS = {"年度": Period.ANNUAL, "本年": Period.ANNUAL, "本年度": Period.ANNUAL, "当年": Period.ANNUAL,
            "实施期": Period.MID_TERM, "中期": Period.MID_TERM, "长期": Period.MID_TERM}


def preamble_label(text: str) -> Label | None:
    """The label a cell of the project block is, or ``None`` for a value (a name, a goal, a figure)."""
    key = clean(text).rstrip(":")
    if not key or len(key) > 30:
        return None
    for kind, pattern in _LABELS:
        match = pattern.match(key)
        if match:
            period = match.groupdict().get("period")
            return Label(kind, _PERIODS.get(period or "", Period.ANY), text.strip())
    # Looser wordings (预算资金合计, 项目年度绩效目标): known words, with the period wherever it is said.
    for kind, loose in ((LabelKind.AMOUNT, _LOOSE_AMOUNT), (LabelKind.GOAL, _LOOSE_GOAL)):
        if len(key) <= 16 and loose.search(key):
            period = next((p for word, p in _PERIODS.items() if word in key), Period.ANY)
            return Label(kind, period, text.strip(), loose=True)
    return None


def preamble_labels(texts: list[str]) -> list[Label | None]:
    """The label of each cell of a row of the project block, ``None`` for values.  A cell read as a label
    only by a word inside it (a project named 某某项目资金) is the value of a label just before it."""
    labels: list[Label | None] = []
    for text in texts:
        label = preamble_label(text)
        if label is not None and label.loose and labels and labels[-1] is not None:
            label = None
        labels.append(label)
    return labels


_LOOSE_AMOUNT = re.compile(r"(资金总额|预算金额|项目金额|年度预算|预算资金|资金合计|项目资金|预算数)")
_LOOSE_GOAL = re.compile(r"(绩效目标|总体目标|年度目标|项目目标)$")


_LABEL_AND_VALUE = re.compile(r"^\s*(?P<label>[^:：\n]{2,24}?)\s*[:：]\s*(?P<value>\S.*)$", re.DOTALL)


def split_label_value(text: str) -> tuple[str, str] | None:
    """``年度资金总额：1200`` or ``项目名称：科普活动`` in one cell, as its label and its value."""
    match = _LABEL_AND_VALUE.match(text)
    if match and preamble_label(match.group("label")) is not None:
        return match.group("label").strip(), match.group("value").strip()
    return None


_CODE_FIRST = re.compile(r"^[\[【(]?\s*(\d{2,})\s*[\]】)]?\s*[-—:]?\s*([^\d\s].*)$")
_CODE_LAST = re.compile(r"^(\S.*?)\s*[\[【(](\d{2,})[\]】)]$")


def department_of(text: str) -> tuple[str, str] | None:
    """The code and name in a 主管部门及代码 cell (``[301]某某厅``, ``301-某某厅``, ``某某厅（301）``)."""
    normalised = unicodedata.normalize("NFKC", text).strip()
    match = _CODE_FIRST.match(normalised)
    if match:
        return match.group(1), match.group(2).strip()
    match = _CODE_LAST.match(normalised)
    if match:
        return match.group(2), match.group(1).strip()
    return None


_NUMBERED = re.compile(r"^\s*(?:目标\s*)?[(（]?\s*([0-9０-９]+|[一二三四五六七八九十]+)\s*[)）.、．:：]")


def item_number(text: str) -> str | None:
    """The number an item of a goal text starts with (``1.``, ``（2）``, ``目标3：``), if any."""
    match = _NUMBERED.match(text)
    return unicodedata.normalize("NFKC", match.group(1)) if match else None


_CONTINUATION = re.compile(r"^(?:[(（]?续(?:表|上表|前表)?[)）]?|.{0,40}[(（]续(?:表)?[)）])$")


def is_continuation(text: str) -> bool:
    """``续表``, ``（续）`` or ``某某表（续）``: the table goes on after a page break."""
    return bool(_CONTINUATION.match(clean(text)))


# --------------------------------------------------------------------- rows closing a table
_FOOTER = re.compile(
    r"^(?:(?:财政部门|主管部门|部门|单位|财政|预算单位|主管单位)?(?:审核|审批|评审|审查)(?:意见|结果|人)|总分|"
    r"合计|总计|备注|说明|填表人|填报人|制表人|联系电话|单位负责人|负责人签字|填报日期|填表日期|审核日期)"
)


def footer_label(text: str) -> str | None:
    """The label of a row closing a table (``财政部门审核意见``, ``总分``, ``备注``, ``填表人：…``), if it is one."""
    key = clean(text).rstrip(":")
    match = _FOOTER.match(key)
    if match is None or len(key) > 60:
        return None
    pair = re.match(r"^\s*([^:：]{1,16})\s*[:：]", text)
    return pair.group(1).strip() if pair else text.strip()
