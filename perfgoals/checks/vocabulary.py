"""Words the rules read indicator names and bases by.

Kept in one place so a reviewer can see (and extend) exactly which words make a rule fire; every list
is about the language of goal tables in general, never about one department's sample.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Rates that cannot exceed 100 % (满意度, 完好率 …).  Growth rates (增长率) are deliberately absent.
CAPPED_RATE_WORDS: tuple[str, ...] = (
    "满意度",
    "满意率",
    "完好率",
    "完成率",
    "覆盖率",
    "合格率",
    "达标率",
    "正确率",
    "准确率",
    "及时率",
    "到位率",
    "执行率",
    "知晓率",
    "普及率",
    "参与率",
    "参训率",
    "出勤率",
    "通过率",
    "验收率",
    "使用率",
    "利用率",
    "办结率",
    "结案率",
    "达成率",
    "兑现率",
    "在线率",
    "上线率",
    "运行率",
    "可用率",
    "完整率",
    "规范率",
    "满足率",
    "处置率",
    "处理率",
    "回复率",
    "响应率",
    "成功率",
    "开通率",
    "接通率",
    "入住率",
    "配置率",
    "匹配率",
    "入学率",
    "巩固率",
    "受益率",
    "占比",
    "比例",
    "比重",
)

#: Names of things to be kept low whatever their unit: a ``≥`` on them reads backwards.
LOWER_IS_BETTER_WORDS: tuple[str, ...] = (
    "投诉",
    "事故",
    "差错",
    "失误",
    "故障",
    "违规",
    "违纪",
    "违法",
    "不合格",
    "不达标",
    "误报",
    "漏报",
    "损耗",
    "损失",
    "流失",
    "空置",
    "返工",
    "超支",
    "超标",
    "死亡",
    "发病",
    "发生率",
    "偏差",
    "偏离",
    "逾期",
    "滞留",
    "积压",
    "上访",
    "隐患",
    "负面",
)

#: Words naming money spent: kept low when the value is an amount.
MONEY_WORDS: tuple[str, ...] = ("成本", "费用", "支出", "经费", "造价", "单价", "资金", "投资", "预算")

#: Rates to be maximised when nothing in the name says otherwise: a ``≤`` on them reads backwards.
HIGHER_IS_BETTER_SUFFIXES: tuple[str, ...] = ("率", "满意度", "覆盖面", "达标", "合格")

#: Bases that fit a satisfaction indicator: a survey of some form.
SURVEY_BASIS_WORDS: tuple[str, ...] = (
    "调查",
    "问卷",
    "测评",
    "评议",
    "评价",
    "满意度",
    "访谈",
    "回访",
    "座谈",
    "抽查",
    "抽样",
    "投票",
    "征求意见",
)

#: Bases that fit a cost indicator: a budget, an approval or a spending standard.
COST_BASIS_WORDS: tuple[str, ...] = (
    "预算",
    "标准",
    "定额",
    "批复",
    "批准",
    "概算",
    "测算",
    "控制数",
    "资金",
    "拨款",
    "下达",
    "文件",
    "通知",
    "合同",
    "报价",
    "询价",
    "招标",
    "中标",
    "采购",
    "价格",
    "收费",
    "结算",
    "决算",
    "财政",
)

#: Texts that stand in for a value someone has yet to write.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "无",
        "暂无",
        "没有",
        "-",
        "--",
        "---",
        "—",
        "——",
        "/",
        "\\",
        "x",
        "xx",
        "xxx",
        "×",
        "××",
        "×××",
        "*",
        "**",
        "?",
        "??",
        "？",
        "待定",
        "待补充",
        "待填",
        "略",
        "同上",
        "见说明",
        "详见说明",
        "见附件",
        "详见附件",
        "见附表",
        "n/a",
        "na",
        "null",
        "none",
        "tbd",
    }
)

#: Endings of indicator names (工作效率, 完成情况, 活动次数): a value that ends so names, not targets.
NAME_ENDINGS: tuple[str, ...] = (
    "效率",
    "情况",
    "数量",
    "次数",
    "人数",
    "人次",
    "个数",
    "件数",
    "天数",
    "场次",
    "指标",
    "水平",
    "效果",
    "质量",
    "时间",
    "时限",
    "进度",
    "成本",
    "费用",
    "满意度",
    "率",
    "程度",
    "规模",
    "面积",
    "金额",
)

#: Words of change or judgement that make a text a target (进一步提高, 明显改善, 按期完成).
TARGET_WORDS: tuple[str, ...] = (
    "提高",
    "提升",
    "增强",
    "增加",
    "改善",
    "改进",
    "达到",
    "完成",
    "确保",
    "保障",
    "保证",
    "有效",
    "明显",
    "显著",
    "稳步",
    "持续",
    "不断",
    "逐步",
    "按期",
    "按时",
    "及时",
    "良好",
    "较好",
    "较高",
    "优良",
    "合格",
    "促进",
    "带动",
    "营造",
    "降低",
    "减少",
    "控制",
    "实现",
    "满足",
    "符合",
    "不低于",
    "不超过",
    "高于",
    "低于",
    "是",
    "否",
    "好",
    "高",
    "强",
    "优",
)


_SPACE = re.compile(r"\s+")


# Cached on the raw text, with no wrapper around the cache: the rules call it ~250,000 times a year.
@lru_cache(maxsize=65536)
def clean(text: str | None) -> str:
    """Text as compared by the rules: NFKC, no whitespace, no trailing punctuation, lower-case Latin."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub("", text)
    return text.strip("。.，,；;、！!").lower()


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


_STAND_IN_RUN = re.compile(r"(x+|×+|-+|—+|/+|\*+|？+|\?+)")
_SEE_ELSEWHERE = re.compile(r"(详)?见(附件|附表|说明|备注|上表|下表)\d*")


@lru_cache(maxsize=65536)
def is_placeholder(text: str | None) -> bool:
    """``无``, ``-``, ``/``, ``XX``, ``见说明``… — a cell filled only to look filled."""
    cleaned = clean(text)
    if not cleaned:
        return False
    if cleaned in PLACEHOLDERS:
        return True
    # Runs of the same stand-in character (xxxx, ××××, ----) and 见…说明 forms.
    return bool(_STAND_IN_RUN.fullmatch(cleaned) or _SEE_ELSEWHERE.fullmatch(cleaned))
