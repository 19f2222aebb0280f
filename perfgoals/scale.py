"""A deterministic, province-sized synthetic dataset for scale tests and benchmarks.

``perfgoals demo --scale N`` builds N department-years shaped like a published 部门预算公开: 5–6 function
类 with their 款/项 lines (合计 = 基本 + 项目, 本年收入 + 上年结转), the economic lines of the 基本支出 table,
the 三公 table, procurement, and about 20 projects per department with 6–9 indicator rows in the value
forms real tables use.  The budget lines reconcile with the projects to the cent.  On top of that a
known sprinkle of errors is planted (a ceiling above its budget, 元 written for 万元, a missing 时效 row …)
and every one is reported with its department, project and row, so that tests can make sure the checks
find them.

Everything comes from :class:`random.Random` seeded per department (``f"{seed}:{index}"``), so the same
seed gives the same data whatever N is, and department *i* can be rebuilt on its own.  Departments are
generated and saved in chunks, so memory stays flat however large N is.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.engine import Engine

from perfgoals.models import (
    AmountSource,
    BudgetLine,
    Department,
    DepartmentGoals,
    EconomicLine,
    FiscalSplit,
    FundSource,
    GoalTable,
    Indicator,
    LineAmounts,
    LinkStatus,
    OrgUnit,
    ProcurementItem,
    Project,
    ProjectStatus,
    SummaryRow,
    SummaryTable,
    ThreePublicRow,
)
from perfgoals.reading.amounts import project_amount

#: Departments written per transaction: large enough to amortise the commit, small enough to keep memory flat.
CHUNK_SIZE = 25

# --- catalogues -----------------------------------------------------------------------------------

#: 功能分类科目 used by the generator (2022 classification), 类/款/项 codes with their names.
FUNCTION_NAMES: dict[str, str] = {
    "201": "一般公共服务支出",
    "20101": "人大事务",
    "2010101": "行政运行",
    "2010108": "代表工作",
    "20104": "发展与改革事务",
    "2010401": "行政运行",
    "2010499": "其他发展与改革事务支出",
    "20105": "统计信息事务",
    "2010501": "行政运行",
    "2010507": "专项普查活动",
    "20106": "财政事务",
    "2010601": "行政运行",
    "2010699": "其他财政事务支出",
    "20108": "审计事务",
    "2010801": "行政运行",
    "2010804": "审计业务",
    "20126": "档案事务",
    "2012601": "行政运行",
    "2012604": "档案馆",
    "20129": "群众团体事务",
    "2012901": "行政运行",
    "2012902": "一般行政管理事务",
    "20138": "市场监督管理事务",
    "2013801": "行政运行",
    "2013816": "食品安全监管",
    "204": "公共安全支出",
    "20402": "公安",
    "2040201": "行政运行",
    "2040220": "执法办案",
    "205": "教育支出",
    "20501": "教育管理事务",
    "2050101": "行政运行",
    "20502": "普通教育",
    "2050201": "学前教育",
    "2050202": "小学教育",
    "2050203": "初中教育",
    "20508": "进修及培训",
    "2050802": "干部教育",
    "2050803": "培训支出",
    "206": "科学技术支出",
    "20601": "科学技术管理事务",
    "2060101": "行政运行",
    "20607": "科学技术普及",
    "2060701": "机构运行",
    "2060702": "科普活动",
    "2060705": "科技馆站",
    "2060799": "其他科学技术普及支出",
    "207": "文化旅游体育与传媒支出",
    "20701": "文化和旅游",
    "2070101": "行政运行",
    "2070109": "群众文化",
    "2070111": "文化创作与保护",
    "20703": "体育",
    "2070301": "行政运行",
    "2070308": "群众体育",
    "208": "社会保障和就业支出",
    "20801": "人力资源和社会保障管理事务",
    "2080101": "行政运行",
    "2080109": "社会保险经办机构",
    "20802": "民政管理事务",
    "2080201": "行政运行",
    "2080208": "基层政权建设和社区治理",
    "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休",
    "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "20810": "社会福利",
    "2081002": "老年福利",
    "210": "卫生健康支出",
    "21001": "卫生健康管理事务",
    "2100101": "行政运行",
    "21004": "公共卫生",
    "2100408": "基本公共卫生服务",
    "2100409": "重大公共卫生服务",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "2101102": "事业单位医疗",
    "211": "节能环保支出",
    "21101": "环境保护管理事务",
    "2110101": "行政运行",
    "2110199": "其他环境保护管理事务支出",
    "21103": "污染防治",
    "2110301": "大气",
    "2110302": "水体",
    "212": "城乡社区支出",
    "21201": "城乡社区管理事务",
    "2120101": "行政运行",
    "2120104": "城管执法",
    "21203": "城乡社区公共设施",
    "2120399": "其他城乡社区公共设施支出",
    "213": "农林水支出",
    "21301": "农业农村",
    "2130101": "行政运行",
    "2130106": "科技转化与推广服务",
    "2130108": "病虫害控制",
    "2130122": "农业生产发展",
    "21302": "林业和草原",
    "2130201": "行政运行",
    "2130205": "森林资源培育",
    "2130234": "林业草原防灾减灾",
    "21303": "水利",
    "2130301": "行政运行",
    "2130311": "水资源节约管理与保护",
    "214": "交通运输支出",
    "21401": "公路水路运输",
    "2140101": "行政运行",
    "2140104": "公路建设",
    "2140106": "公路养护",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "224": "灾害防治及应急管理支出",
    "22401": "应急管理事务",
    "2240101": "行政运行",
    "2240106": "安全监管",
}

#: The order and numbering of 类 on the 收支总表's expense side.
EXPENSE_CLASSES: tuple[tuple[str, str], ...] = (
    ("201", "一、一般公共服务支出"),
    ("204", "四、公共安全支出"),
    ("205", "五、教育支出"),
    ("206", "六、科学技术支出"),
    ("207", "七、文化旅游体育与传媒支出"),
    ("208", "八、社会保障和就业支出"),
    ("210", "十、卫生健康支出"),
    ("211", "十一、节能环保支出"),
    ("212", "十二、城乡社区支出"),
    ("213", "十三、农林水支出"),
    ("214", "十四、交通运输支出"),
    ("221", "二十、住房保障支出"),
    ("224", "二十三、灾害防治及应急管理支出"),
)


@dataclass(frozen=True)
class Agency:
    """A kind of department: its name, the 项 lines its projects are charged to, and its subjects."""

    name: str
    running_line: str  # 行政运行/机构运行: carries most of the running costs
    project_lines: tuple[str, ...]
    topics: tuple[str, ...]
    unit_kind: str  # the subordinate public institution's name (…中心)


AGENCIES: tuple[Agency, ...] = (
    Agency("科学技术协会", "2060701", ("2060702", "2060705", "2060799"), ("科普", "学术交流", "青少年科技教育", "科技工作者服务"), "科技馆"),
    Agency("农业农村局", "2130101", ("2130106", "2130108", "2130122"), ("农业技术推广", "动物防疫", "高标准农田建设", "农产品质量安全"), "农业技术推广中心"),
    Agency("教育局", "2050101", ("2050201", "2050202", "2050203", "2050803"), ("学前教育", "义务教育", "教师培训", "校园安全"), "教育服务中心"),
    Agency("卫生健康委员会", "2100101", ("2100408", "2100409"), ("基本公共卫生", "重大传染病防控", "健康教育", "妇幼保健"), "疾病预防控制中心"),
    Agency("文化广电和旅游局", "2070101", ("2070109", "2070111"), ("群众文化", "文物保护", "非遗传承", "旅游推广"), "文化馆"),
    Agency("交通运输局", "2140101", ("2140104", "2140106"), ("农村公路", "公路养护", "道路运输安全", "交通执法"), "公路养护中心"),
    Agency("生态环境局", "2110101", ("2110199", "2110301", "2110302"), ("大气污染防治", "水污染防治", "环境监测", "生态环境执法"), "环境监测站"),
    Agency("住房和城乡建设局", "2120101", ("2120104", "2120399"), ("城市管理", "市政设施维护", "建筑安全监管", "老旧小区改造"), "市政设施服务中心"),
    Agency("公安局", "2040201", ("2040220",), ("治安防控", "执法办案", "交通管理", "禁毒"), "警务保障中心"),
    Agency("民政局", "2080201", ("2080208", "2081002"), ("社区治理", "养老服务", "社会救助", "婚姻登记"), "社会福利院"),
    Agency("发展和改革委员会", "2010401", ("2010499",), ("重点项目谋划", "价格监测", "节能降耗", "营商环境"), "经济研究中心"),
    Agency("财政局", "2010601", ("2010699",), ("预算绩效管理", "财政监督", "政府采购监管", "国有资产管理"), "财政事务服务中心"),
    Agency("应急管理局", "2240101", ("2240106",), ("安全生产监管", "应急演练", "防灾减灾宣传", "应急物资储备"), "应急救援保障中心"),
    Agency("林业和草原局", "2130201", ("2130205", "2130234"), ("造林绿化", "森林防火", "草原保护", "林业有害生物防治"), "林业工作站"),
    Agency("水务局", "2130301", ("2130311",), ("水资源管理", "河湖长制", "农村饮水安全", "水土保持"), "水利工作站"),
    Agency("体育局", "2070301", ("2070308",), ("全民健身", "冰雪运动推广", "青少年体育", "体育赛事"), "体育运动学校"),
    Agency("市场监督管理局", "2013801", ("2013816",), ("食品安全抽检", "特种设备安全", "知识产权保护", "计量检定"), "检验检测中心"),
    Agency("统计局", "2010501", ("2010507",), ("统计调查", "经济普查", "统计执法", "统计信息化"), "统计调查中心"),
    Agency("人力资源和社会保障局", "2080101", ("2080109",), ("就业服务", "职业技能培训", "社会保险经办", "劳动保障监察"), "就业服务中心"),
    Agency("档案馆", "2012601", ("2012604",), ("档案数字化", "档案征集", "档案安全保护", "档案利用服务"), "档案技术服务中心"),
    Agency("妇女联合会", "2012901", ("2012902",), ("妇女儿童维权", "家庭教育", "妇女创业培训", "巾帼志愿服务"), "妇女儿童活动中心"),
    Agency("审计局", "2010801", ("2010804",), ("经济责任审计", "政府投资审计", "专项资金审计", "审计信息化"), "审计服务中心"),
)

#: Provinces' departments sit at province, city and county level; the names give the generator a region.
REGIONS: tuple[str, ...] = (
    "河北省", "石家庄市", "唐山市", "秦皇岛市", "邯郸市", "邢台市", "保定市", "张家口市", "承德市", "沧州市",
    "廊坊市", "衡水市", "宣化区", "下花园区", "万全区", "崇礼区", "张北县", "康保县", "沽源县", "尚义县", "蔚县",
    "阳原县", "怀安县", "怀来县", "涿鹿县", "赤城县", "双桥区", "双滦区", "承德县", "兴隆县", "平泉市", "滦平县",
    "隆化县", "丰宁满族自治县", "宽城满族自治县", "围场满族蒙古族自治县", "竞秀区", "莲池区", "满城区", "清苑区",
    "徐水区", "涞水县", "阜平县", "定兴县", "唐县", "高阳县", "涞源县", "望都县", "易县", "曲阳县", "蠡县",
    "顺平县", "博野县", "雄县", "涿州市", "定州市", "安国市", "高碑店市", "长安区", "桥西区", "新华区", "裕华区",
    "藁城区", "鹿泉区", "栾城区", "井陉县", "正定县", "行唐县", "灵寿县", "高邑县", "深泽县", "赞皇县", "无极县",
    "平山县", "元氏县", "赵县", "辛集市", "晋州市", "新乐市",
)

OWNERS = ("王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷", "徐明", "孙丽", "马超", "朱红")

#: (item, 政府采购目录序号, 计量单位, typical unit price in 万元 cents range)
PROCUREMENT_ITEMS: tuple[tuple[str, str, str, int, int], ...] = (
    ("台式计算机", "A02010104", "台", 40, 80),
    ("便携式计算机", "A02010105", "台", 50, 90),
    ("扫描仪", "A0201060901", "台", 20, 60),
    ("投影仪", "A020202", "台", 50, 150),
    ("复印机", "A020201", "台", 150, 400),
    ("条码打印机", "A020212", "台", 15, 40),
    ("其他制冷空调设备", "A02052399", "台", 50, 120),
    ("视频会议会议室终端", "A02080803", "套", 200, 800),
    ("木制台、桌类", "A060205", "张", 10, 60),
    ("金属质柜类", "A060502", "组", 10, 30),
)

BASIS_PLAN = ("年初工作计划", "年初工作安排", "工作计划", "年度工作计划")


def _wan(cents: int) -> Decimal:
    """Cents of a 万元 as a Decimal with two places (``2187`` → ``21.87``)."""
    return Decimal(cents).scaleb(-2)


def _wan_text(cents: int, rng: random.Random) -> str:
    """A 万元 figure as tables write it: ``21.87``, and whole numbers sometimes without decimals."""
    if cents % 100 == 0 and rng.random() < 0.5:
        return str(cents // 100)
    return str(_wan(cents))


# --- indicator templates --------------------------------------------------------------------------

Row = tuple[str, str, str, str]  # level3, description, value, basis
RowMaker = Callable[[random.Random, int, str], Row]


def _ge(rng: random.Random, number: int | str, unit: str) -> str:
    """A lower bound in one of the forms people type: ``≥20次``, ``不少于20次``, ``20次以上``."""
    form = rng.random()
    if form < 0.8:
        return f"≥{number}{unit}"
    if form < 0.9:
        return f"不少于{number}{unit}"
    return f"{number}{unit}以上"


def _percent(rng: random.Random, low: int = 90) -> str:
    target = rng.choice([n for n in (90, 95, 98, 100) if n >= low])
    if target == 100:
        return "100%"
    form = rng.random()
    if form < 0.75:
        return f"≥{target}%"
    if form < 0.85:
        return f"≥ {target} %"
    if form < 0.93:
        return f"≥{target}％"
    return f"不低于{target}%"


def _whole_year(rng: random.Random, year: int) -> str:
    start = rng.choice((1, 1, 1, 2, 3))
    end = rng.choice((10, 11, 12, 12, 12))
    return f"{year}.{start}-{end}月"


def _deadline(rng: random.Random, year: int) -> str:
    return f"{year}年{rng.choice((6, 9, 10, 11, 12))}月底前"


@dataclass(frozen=True)
class ProjectTemplate:
    name: str  # with {t} for the topic
    goal: str
    quantity: tuple[RowMaker, ...]
    quality: tuple[RowMaker, ...]
    timeliness: RowMaker
    benefit: tuple[tuple[str, RowMaker], ...]  # (二级, row)
    satisfaction: RowMaker
    procurement: bool = False


def _row(level3: str, description: str, value: Callable[[random.Random, int], str], basis: str | None = None) -> RowMaker:
    def make(rng: random.Random, year: int, topic: str) -> Row:
        return (
            level3.format(t=topic),
            description.format(t=topic),
            value(rng, year),
            basis if basis is not None else rng.choice(BASIS_PLAN),
        )

    return make


def _satisfaction(level3: str) -> RowMaker:
    return _row(level3, level3, lambda r, y: _percent(r, low=90), "满意度调查")


TEMPLATES: tuple[ProjectTemplate, ...] = (
    ProjectTemplate(
        "{t}宣传活动经费",
        "1.开展{t}宣传活动，营造全社会关心支持的良好氛围",
        (_row("活动开展次数", "开展{t}宣传活动次数", lambda r, y: _ge(r, r.randint(3, 30), "次")),
         _row("发放宣传资料", "发放宣传资料份数", lambda r, y: _ge(r, r.randrange(500, 5000, 100), "份"))),
        (_row("活动开展效果", "活动开展效果", lambda r, y: "内容丰富、形式多样"),),
        _row("活动开展时间", "按照年度计划完成", _whole_year),
        (("社会效益指标", _row("提升公众{t}意识", "营造广泛动员、群众参与的良好氛围", lambda r, y: "进一步提高")),),
        _satisfaction("服务对象满意度"),
    ),
    ProjectTemplate(
        "{t}培训经费",
        "1.组织{t}培训，提升业务能力和服务水平",
        (_row("培训人次", "参加培训人次", lambda r, y: _ge(r, r.randrange(50, 2000, 10), "人次")),
         _row("培训期数", "举办培训班期数", lambda r, y: _ge(r, r.randint(2, 12), "期"))),
        (_row("培训合格率", "参训人员考核合格率", lambda r, y: _percent(r)),),
        _row("培训完成时间", "培训完成时间", _deadline),
        (("社会效益指标", _row("提升业务能力", "参训人员业务能力", lambda r, y: "明显提升")),),
        _satisfaction("参训人员满意度"),
    ),
    ProjectTemplate(
        "{t}专项资金",
        "1.围绕中心、服务大局、重点支持、统筹兼顾，推进{t}工作",
        (_row("奖补单位数量", "奖补单位数量", lambda r, y: _ge(r, r.randint(3, 40), "家"), "评审结果"),),
        (_row("项目实施效果", "项目验收合格率", lambda r, y: _percent(r), "验收结果"),),
        _row("项目实施时间", "项目实施时间", _whole_year),
        (("社会效益指标", _row("受益人数", "受益人数", lambda r, y: _ge(r, r.randrange(1000, 20000, 500), "人"))),),
        _satisfaction("服务对象满意度"),
    ),
    ProjectTemplate(
        "办公场所租赁费用",
        "1.通过租赁办公场所，改善办公环境，保障工作正常开展",
        (_row("租赁办公面积", "租赁办公面积", lambda r, y: _ge(r, r.randrange(200, 2000, 50), "平方米")),),
        (_row("租赁房屋合格率", "房屋是否完整", lambda r, y: "100%"),),
        _row("投入使用时间", "租赁房屋投入使用时间", lambda r, y: f"{y}.{r.randint(1, 9)}月"),
        (("社会效益指标", _row("保障工作正常开展", "进一步提高", lambda r, y: "工作效率明显提高")),),
        _satisfaction("干部职工满意度"),
    ),
    ProjectTemplate(
        "信息化系统运维经费",
        "1.保障业务信息系统安全稳定运行",
        (_row("运维系统数量", "运维信息系统数量", lambda r, y: _ge(r, r.randint(2, 12), "个")),),
        (_row("系统稳定运行率", "系统全年稳定运行率", lambda r, y: "≥99%"),),
        _row("故障响应时间", "故障响应时间", lambda r, y: f"≤{r.choice((1, 2, 4))}小时", "行业标准"),
        (("社会效益指标", _row("提高办公效率", "业务办理效率", lambda r, y: "有效提升")),
         ("可持续影响指标", _row("系统持续运行", "保障系统长期稳定运行", lambda r, y: "长期"))),
        _satisfaction("使用人员满意度"),
    ),
    ProjectTemplate(
        "{t}设备购置经费",
        "1.购置{t}工作所需设备，改善工作条件",
        (_row("购置设备数量", "购置设备数量", lambda r, y: f"{r.randint(3, 40)}台"),),
        (_row("设备验收合格率", "设备验收合格率", lambda r, y: "100%", "验收结果"),),
        _row("采购完成时间", "采购完成时间", _deadline),
        (("社会效益指标", _row("改善工作条件", "工作条件改善情况", lambda r, y: "明显改善")),),
        _satisfaction("使用人员满意度"),
        procurement=True,
    ),
    ProjectTemplate(
        "{t}课题调研经费",
        "1.围绕{t}开展专题调研，为科学决策提供参考",
        (_row("调研课题数量", "完成调研课题数量", lambda r, y: _ge(r, r.randint(2, 15), "项")),),
        (_row("课题结题率", "课题按期结题率", lambda r, y: _percent(r)),),
        _row("课题完成时间", "课题完成时间", lambda r, y: f"{y}.3-11月"),
        (("社会效益指标", _row("服务科学决策", "为决策提供参考", lambda r, y: "有效支撑")),),
        _satisfaction("委托单位满意度"),
    ),
    ProjectTemplate(
        "{t}监测经费",
        "1.开展{t}监测，及时掌握动态",
        (_row("监测点位数量", "监测点位数量", lambda r, y: _ge(r, r.randint(5, 60), "个")),
         _row("监测频次", "全年监测频次", lambda r, y: _ge(r, r.randint(4, 52), "次"))),
        (_row("监测数据准确率", "监测数据准确率", lambda r, y: "≥98%", "行业标准"),),
        _row("数据报送时间", "按期报送监测数据", _whole_year),
        (("生态效益指标", _row("环境质量改善", "区域环境质量", lambda r, y: "持续改善")),),
        _satisfaction("服务对象满意度"),
    ),
    ProjectTemplate(
        "{t}场馆免费开放补助",
        "1.持续做好场馆免费开放，更新展陈内容",
        (_row("接待人次", "全年接待人次", lambda r, y: _ge(r, r.randint(1, 20), "万人次")),),
        (_row("展品完好率", "展品完好率", lambda r, y: _percent(r)),),
        _row("开放时间", "全年开放时间", lambda r, y: f"≥{r.choice((250, 280, 300))}天"),
        (("社会效益指标", _row("提高公众素养", "发挥场馆宣传教育作用", lambda r, y: "进一步提高")),),
        _satisfaction("参观群众满意度"),
    ),
    ProjectTemplate(
        "{t}工作经费",
        "1.保障{t}工作正常开展，完成年度目标任务",
        (_row("开展工作次数", "开展{t}工作次数", lambda r, y: _ge(r, r.randint(4, 40), "次")),),
        (_row("工作完成情况", "工作实际完成情况与年初工作计划偏差程度", lambda r, y: "100%"),),
        _row("工作开展时间", "按照年度计划完成工作", _whole_year),
        (("社会效益指标", _row("保障工作开展", "进一步保障", lambda r, y: "工作效率明显提高")),),
        _satisfaction("群众满意度"),
    ),
    ProjectTemplate(
        "{t}会议经费",
        "1.召开{t}工作会议，部署推进年度重点工作",
        (_row("召开会议次数", "召开会议次数", lambda r, y: _ge(r, r.randint(2, 10), "次")),
         _row("参会人数", "参会人数", lambda r, y: _ge(r, r.randrange(50, 500, 10), "人"))),
        (_row("会议精神传达率", "会议精神传达率", lambda r, y: "100%"),),
        _row("会议召开时间", "会议召开时间", _deadline),
        (("社会效益指标", _row("推动工作落实", "推动年度重点工作落实", lambda r, y: "有效推动")),),
        _satisfaction("参会人员满意度"),
    ),
    ProjectTemplate(
        "{t}督导检查经费",
        "1.开展{t}督导检查，推动问题整改",
        (_row("督导检查次数", "督导检查次数", lambda r, y: _ge(r, r.randint(4, 24), "次")),
         _row("覆盖县区数", "督导覆盖县区数", lambda r, y: _ge(r, r.randint(3, 20), "个"))),
        (_row("问题整改率", "发现问题整改率", lambda r, y: _percent(r)),),
        _row("督导完成时间", "督导完成时间", _deadline),
        (("社会效益指标", _row("规范工作秩序", "工作规范化水平", lambda r, y: "明显提高")),),
        _satisfaction("被督导单位满意度"),
    ),
)

#: Extra rows that push a table from 6 towards 9: (一级, 二级, row).
EXTRA_ROWS: tuple[tuple[str, str, RowMaker], ...] = (
    ("产出指标", "质量指标", _row("资金使用合规率", "资金使用符合财经制度规定", lambda r, y: "100%", "行业标准")),
    ("效益指标", "经济效益指标", _row("带动相关产业发展", "带动相关产业发展", lambda r, y: "有所提升")),
    ("效益指标", "可持续影响指标", _row("长效机制建设", "建立健全长效工作机制", lambda r, y: "逐步完善")),
    ("效益指标", "社会效益指标", _row("社会影响力", "社会关注度和影响力", lambda r, y: "持续扩大")),
)


# --- what gets planted and reported -------------------------------------------------------------

#: Planted error kinds and what each one is, in Chinese, for the report.
ERROR_KINDS: dict[str, str] = {
    "ceiling_above_budget": "成本指标上限高于项目预算",
    "yuan_for_wan": "成本指标把万元写成了元",
    "missing_timeliness": "缺少时效指标行",
    "low_satisfaction": "满意度目标低于80%",
    "duplicate_level3": "同一三级指标出现两次",
    "wrong_direction": "比率指标方向写反（≤）",
    "rate_over_100": "比率超过100%",
    "empty_value": "指标值为空",
    "period_outside_year": "时效期间不在预算年度内",
    "placeholder_value": "指标值为占位符",
    "line_project_mismatch": "功能科目项目支出与所列项目合计不符",
    "three_public_mismatch": "三公经费表公务接待费少于经济科目 30217",
    "basic_split_mismatch": "人员经费加公用经费不等于基本支出",
    "procurement_arithmetic": "政府采购数量乘单价不等于金额",
}
PROJECT_ERROR_KINDS = tuple(kind for kind in ERROR_KINDS if kind not in {
    "line_project_mismatch", "three_public_mismatch", "basic_split_mismatch", "procurement_arithmetic"
})
DEPARTMENT_ERROR_KINDS = ("line_project_mismatch", "three_public_mismatch", "basic_split_mismatch", "procurement_arithmetic")


@dataclass(frozen=True, slots=True)
class PlantedError:
    """One error put into the data on purpose, and exactly where."""

    kind: str
    department_code: str
    department_name: str
    project: str | None = None
    row: int | None = None  # 1-based indicator row, after the change
    budget_line: str | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        return ERROR_KINDS[self.kind]

    def describe(self) -> str:
        where = f"{self.department_code} {self.department_name}"
        if self.project:
            where += f"／{self.project}"
        if self.row:
            where += f" 第 {self.row} 行"
        if self.budget_line:
            where += f"／科目 {self.budget_line}"
        return f"{where}：{self.label}（{self.detail}）" if self.detail else f"{where}：{self.label}"


@dataclass
class ScaleReport:
    """What ``load_scaled_dataset`` built: counts, the planted errors, and how long it took."""

    year: int
    seed: int
    departments: int = 0
    projects: int = 0
    indicators: int = 0
    budget_lines: int = 0
    errors: list[PlantedError] = field(default_factory=list)
    seconds: float = 0.0

    #: Planted errors listed one by one in :meth:`summary` up to this many; beyond, only counted.
    LIST_LIMIT = 60

    def summary(self) -> str:
        lines = [
            f"已生成模拟数据（{self.year} 年，随机种子 {self.seed}）：{self.departments} 个部门、"
            f"{self.budget_lines} 个功能科目、{self.projects} 个项目、{self.indicators} 行绩效指标，"
            f"用时 {self.seconds:.1f} 秒。",
            f"其中故意设置的问题 {len(self.errors)} 处（供检查规则验证）：",
        ]
        counts = Counter(error.kind for error in self.errors)
        for kind, label in ERROR_KINDS.items():
            if counts[kind]:
                lines.append(f"  {label}：{counts[kind]} 处")
        if len(self.errors) <= self.LIST_LIMIT:
            lines.append("明细：")
            lines.extend(f"  {error.describe()}" for error in self.errors)
        else:
            lines.append(f"明细共 {len(self.errors)} 条，前 {self.LIST_LIMIT} 条：")
            lines.extend(f"  {error.describe()}" for error in self.errors[: self.LIST_LIMIT])
        return "\n".join(lines)


# --- one department -------------------------------------------------------------------------------


def department_identity(index: int) -> tuple[str, str, Agency, str]:
    """Code, name, agency and region of department ``index`` (0-based); unique for any index."""
    regions, agencies = len(REGIONS), len(AGENCIES)
    cycle, position = divmod(index, regions * agencies)
    quotient, region_index = divmod(position, regions)
    agency_index = (quotient + region_index) % agencies
    region, agency = REGIONS[region_index], AGENCIES[agency_index]
    code = f"{region_index + 1:03d}{agency_index + 1:03d}"
    name = f"{region}{agency.name}"
    if cycle:
        code += f"-{cycle}"
        name += f"（第{cycle + 1}组）"
    return code, name, agency, region


@dataclass
class _Line:
    code: str
    basic: int = 0  # cents of 万元
    project: int = 0
    carryover: int = 0


def _economic(rng: random.Random, staff: int) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Economic items of the 基本支出 table in cents: 301 (personnel), 302 (public), 303 (personnel)."""
    wage = staff * rng.randint(6_00, 9_00)
    salaries = {
        "30101": wage,
        "30102": wage * rng.randint(35, 55) // 100,
        "30103": wage * rng.randint(2, 6) // 100,
        "30107": wage * rng.randint(25, 40) // 100,
        "30108": wage * 16 // 100,
        "30109": wage * 4 // 100,
        "30110": wage * rng.randint(8, 11) // 100,
        "30111": wage * rng.randint(5, 12) // 100,
        "30112": wage * rng.randint(3, 6) // 100,
        "30113": wage * 12 // 100,
    }
    goods = {
        "30201": staff * rng.randint(5, 20),
        "30202": staff * rng.randint(1, 6),
        "30205": staff * rng.randint(2, 5),
        "30206": staff * rng.randint(5, 12),
        "30207": staff * rng.randint(10, 60),
        "30208": staff * rng.randint(30, 70),
        "30209": staff * rng.randint(5, 20),
        "30211": staff * rng.randint(30, 80),
        "30213": staff * rng.randint(1, 10),
        "30215": staff * rng.randint(1, 6),
        "30216": staff * rng.randint(5, 20),
        "30217": rng.randint(20, 300),
        "30228": wage * 2 // 100,
        "30229": staff * rng.randint(5, 15),
        "30231": rng.choice((0, rng.randint(100, 900))),
        "30239": staff * rng.randint(40, 120),
        "30299": staff * rng.randint(5, 40),
    }
    retired = rng.randint(0, staff // 2 + 1)
    benefits = {
        "30301": rng.choice((0, retired * rng.randint(30, 60))),
        "30302": retired * rng.randint(150, 300),
        "30304": rng.choice((0, rng.randint(50, 400))),
        "30309": rng.choice((0, rng.randint(5, 50))),
    }
    return (
        {k: v for k, v in salaries.items() if v},
        {k: v for k, v in goods.items() if v},
        {k: v for k, v in benefits.items() if v},
    )


ECONOMIC_NAMES: dict[str, str] = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费",
    "30111": "公务员医疗补助缴费", "30112": "其他社会保障缴费", "30113": "住房公积金",
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30205": "水费", "30206": "电费",
    "30207": "邮电费", "30208": "取暖费", "30209": "物业管理费", "30211": "差旅费", "30213": "维修(护)费",
    "30215": "会议费", "30216": "培训费", "30217": "公务接待费", "30228": "工会经费", "30229": "福利费",
    "30231": "公务用车运行维护费", "30239": "其他交通费用", "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30301": "离休费", "30302": "退休费", "30304": "抚恤金", "30309": "奖励金",
}


def _amount_cents(rng: random.Random) -> int:
    """A project's amount: mostly a few 万元 to a few dozen, now and then a few hundred."""
    return max(50, int(math.exp(rng.uniform(math.log(0.8), math.log(350))) * 100))


def _indicators(
    rng: random.Random, template: ProjectTemplate, *, year: int, topic: str, cost: str, cost_basis: str
) -> list[Indicator]:
    rows: list[tuple[str, str, Row]] = []
    quantity = template.quantity[: rng.randint(1, len(template.quantity))]
    rows += [("产出指标", "数量指标", make(rng, year, topic)) for make in quantity]
    rows += [("产出指标", "质量指标", make(rng, year, topic)) for make in template.quality]
    rows.append(("产出指标", "时效指标", template.timeliness(rng, year, topic)))
    cost_name = rng.choice(("预算总成本", "项目总成本", "项目预算成本"))
    cost_description = rng.choice(("项目预算控制数", "预算项目控制数", "项目预算控制额"))
    rows.append(("产出指标", "成本指标", (cost_name, cost_description, cost, cost_basis)))
    rows += [("效益指标", level2, make(rng, year, topic)) for level2, make in template.benefit]
    wanted = rng.randint(6, 9) - 1 - len(rows)  # the satisfaction row comes last
    if wanted > 0:
        taken = {row[2][0] for row in rows}
        extras = [(level1, level2, make(rng, year, topic)) for level1, level2, make in EXTRA_ROWS]
        extras = [extra for extra in extras if extra[2][0] not in taken]
        rows += rng.sample(extras, min(wanted, len(extras)))
    rows.sort(key=lambda row: ("产出指标", "效益指标", "满意度指标").index(row[0]))
    rows.append(("满意度指标", "服务对象满意度指标", template.satisfaction(rng, year, topic)))
    return [
        Indicator.model_construct(
            level1=level1, level2=level2, level3=level3, description=description, value=value, basis=basis,
            mid_term_value=None, weight=None, direction=None, unit=None, reference_value=None,
        )
        for level1, level2, (level3, description, value, basis) in rows
    ]


def generate_department(
    index: int, *, year: int, seed: int, plant_errors: bool = True
) -> tuple[Department, list[PlantedError]]:
    """Department ``index`` of the dataset for ``seed``, and the errors planted in it.

    With ``plant_errors=False`` the same department comes back clean: the errors are applied afterwards
    with their own random stream, so the two versions differ exactly by what the report lists.
    """
    rng = random.Random(f"{seed}:{index}")
    code, name, agency, region = department_identity(index)
    # A third of the departments are as a disclosure's import leaves them: no amount stated, so each
    # project's amount is inferred from its cost ceiling and its line link is suggested.
    inferred = index % 3 == 1

    # Function lines: the agency's running line and 1–3 project lines, plus the lines every department's
    # running costs go to (pensions, health insurance, housing fund) and sometimes cadre training.
    project_lines = rng.sample(agency.project_lines, rng.randint(1, len(agency.project_lines)))
    lines: dict[str, _Line] = {c: _Line(c) for c in [agency.running_line, *project_lines]}
    institution = rng.random() < 0.6  # has a public institution (事业单位) under it
    for extra in ("2080501" if not institution else "2080502", "2080505", "2080506",
                  "2101101" if not institution else "2101102", "2210201"):
        lines.setdefault(extra, _Line(extra))
    # Published tables show 5–6 类: top up with lines many departments carry (cadre training, safety, 群团).
    wanted_classes = rng.choice((5, 5, 6))
    topped_up: list[str] = []  # each gets at least one project, so no line is empty
    for extra in ("2050802", "2240106", "2012902", "2110199"):
        if len({code[:3] for code in lines}) >= wanted_classes:
            break
        if extra[:3] not in {code[:3] for code in lines}:
            lines[extra] = _Line(extra)
            topped_up.append(extra)

    # Basic spending from the economic items, mapped onto the lines it is charged to.
    staff = rng.randint(8, 120)
    salaries, goods, benefits = _economic(rng, staff)
    lines["2080505"].basic += salaries.get("30108", 0)
    lines["2080506"].basic += salaries.get("30109", 0)
    lines["2080501" if not institution else "2080502"].basic += sum(benefits.values())
    lines["2101101" if not institution else "2101102"].basic += salaries.get("30110", 0) + salaries.get("30111", 0)
    lines["2210201"].basic += salaries.get("30113", 0)
    basic_total = sum(salaries.values()) + sum(goods.values()) + sum(benefits.values())
    if "2050802" in lines:  # cadre training is charged to its own line
        lines["2050802"].basic += goods.get("30216", 0)
    lines[agency.running_line].basic += basic_total - sum(line.basic for line in lines.values())

    # Projects, charged mostly to the project lines, a few to the running line.
    topics = list(agency.topics)
    count = rng.randint(17, 23)
    projects: list[Project] = []
    procurement: list[ProcurementItem] = []
    used_names: set[str] = set()
    while len(projects) < count:
        template = rng.choice(TEMPLATES)
        topic = rng.choice(topics)
        project_name = template.name.format(t=topic)
        if project_name in used_names:
            project_name = f"{year}年{project_name}"
            if project_name in used_names:
                continue
        used_names.add(project_name)
        line_code = agency.running_line if rng.random() < 0.15 else rng.choice(project_lines)
        if topped_up:
            line_code = topped_up.pop()
        if "2050802" in lines and template.name.startswith("{t}培训") and rng.random() < 0.5:
            line_code = "2050802"
        cents = _amount_cents(rng)
        carryover = rng.random() < 0.1
        in_yuan = cents < 10_00 and rng.random() < 0.35  # small amounts are often written in 元
        if in_yuan:
            cost, unit, amount = f"≤{cents * 100}元", "元", Decimal(cents * 100)
        else:
            written = _wan_text(cents, rng)
            cost, unit, amount = f"≤{written}万元", "万元", Decimal(written) if inferred else _wan(cents)
        cost_basis = rng.choice(("预算文本", "预算文本", "预算支出标准", "年初工作计划"))
        position = len(projects) + 1
        projects.append(
            Project.model_construct(
                id=None,
                name=project_name,
                code=f"{code}-{year}-{position:03d}",
                budget_line_code=line_code,
                line_link=(
                    LinkStatus.SUGGESTED if rng.random() >= 0.8 or inferred else LinkStatus.CONFIRMED
                ),
                fund_source=FundSource.CARRYOVER if carryover else FundSource.CURRENT,
                fund_source_detail=None,
                budget_amount=amount,
                amount_unit=unit,
                amount_source=AmountSource.COST_INDICATOR if inferred else AmountSource.ENTERED,
                owner=rng.choice(OWNERS),
                status=rng.choice((ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.FINANCE_APPROVED)),
                notes="",
                goal=GoalTable.model_construct(
                    goal_text=template.goal.format(t=topic),
                    indicators=_indicators(rng, template, year=year, topic=topic, cost=cost, cost_basis=cost_basis),
                    revision=1,
                ),
                acceptances=[],
            )
        )
        line = lines[line_code]
        line.project += cents
        if carryover:
            line.carryover += cents
        if template.procurement and cents >= 5_00:
            procurement += _procurement(rng, project_name, cents)

    department = _assemble(
        rng, code=code, name=name, year=year, agency=agency, region=region, lines=lines,
        economic=(salaries, goods, benefits), projects=projects, procurement=procurement,
    )
    errors = _plant(department, index=index, seed=seed) if plant_errors else []
    return department, errors


def _procurement(rng: random.Random, project: str, budget_cents: int) -> list[ProcurementItem]:
    items: list[ProcurementItem] = []
    spent = 0
    for item, catalogue, measure, low, high in rng.sample(PROCUREMENT_ITEMS, rng.randint(1, 4)):
        price = rng.randint(low, high)
        quantity = rng.randint(1, 10)
        amount = price * quantity
        if spent + amount > budget_cents * 8 // 10:
            break
        spent += amount
        items.append(
            ProcurementItem.model_construct(
                project_name=project, project_budget=_wan(budget_cents), item=item, catalogue_code=catalogue,
                measure=measure, quantity=Decimal(quantity), unit_price=_wan(price), amount=_wan(amount),
                unit="万元", funding={"一般公共预算拨款": _wan(amount)}, sme_reserved=None,
            )
        )
    return items


def _assemble(
    rng: random.Random,
    *,
    code: str,
    name: str,
    year: int,
    agency: Agency,
    region: str,
    lines: dict[str, _Line],
    economic: tuple[dict[str, int], dict[str, int], dict[str, int]],
    projects: list[Project],
    procurement: list[ProcurementItem],
) -> Department:
    # 类 and 款 are the sums of their 项; every level keeps 合计 = 基本 + 项目 and 本年 + 结转.
    totals: dict[str, _Line] = {}
    for line in lines.values():
        for prefix in (line.code[:3], line.code[:5], line.code):
            node = totals.setdefault(prefix, _Line(prefix))
            if node is not line:
                node.basic += line.basic
                node.project += line.project
                node.carryover += line.carryover
    budget_lines = [_budget_line(totals[key]) for key in sorted(totals)]
    basic = sum(line.basic for line in lines.values())
    project = sum(line.project for line in lines.values())
    carryover = sum(line.carryover for line in lines.values())
    total = basic + project
    function_total = LineAmounts.model_construct(
        unit="万元", total=_wan(total), basic=_wan(basic), project=_wan(project), other_expenses={},
        income_total=_wan(total), income_current=_wan(total - carryover),
        income_sources={"一般公共预算拨款": _wan(total - carryover)}, carryover=_wan(carryover), fiscal={},
    )

    salaries, goods, benefits = economic
    personnel = sum(salaries.values()) + sum(benefits.values())
    public = sum(goods.values())
    economic_lines = [EconomicLine.model_construct(code="", name="合计", unit="万元", total=_wan(personnel + public),
                                                   personnel=_wan(personnel), public=_wan(public))]
    for group, items, is_personnel in (("301", salaries, True), ("302", goods, False), ("303", benefits, True)):
        if not items:
            continue
        group_total = sum(items.values())
        economic_lines.append(_economic_line(group, group_total, is_personnel))
        economic_lines += [_economic_line(k, v, is_personnel) for k, v in items.items()]

    reception, vehicle = goods.get("30217", 0), goods.get("30231", 0)
    three_public = _three_public(reception=reception, vehicle=vehicle)

    summary_rows = _summary_rows(totals, current=total - carryover, carryover=carryover, total=total)
    procurement_total = _wan(sum(int(p.amount.scaleb(2)) for p in procurement if p.amount is not None)) if procurement else None
    institution = f"{region}{agency.unit_kind}"
    return Department.model_construct(
        id=None, code=code, name=name, year=year, money_unit="万元", framework="mof-2015",
        goals=DepartmentGoals.model_construct(
            overall=f"{name}紧紧围绕{region}中心工作，以{agency.topics[0]}和{agency.topics[1]}为重点，"
            "主动担当、认真履职，圆满完成全年目标任务。",
            itemised="1、部门管理\n绩效目标：职责明确、活动合规合理。\n2、部门决策\n绩效目标：资金使用合规、基础信息完善。",
            safeguards="1、加强制度建设。\n2、规范财务管理。\n3、加强绩效监控。\n4、做好绩效自评。",
        ),
        org_units=[
            OrgUnit.model_construct(name=f"{name}本级", nature="行政", rank=rng.choice(("正处（县）级", "正科级")),
                                    funding="财政拨款"),
            OrgUnit.model_construct(name=institution, nature="事业", rank="正科级", funding="财政性资金基本保证"),
        ],
        function_total=function_total,
        budget_lines=budget_lines,
        economic_lines=economic_lines,
        summary_rows=summary_rows,
        three_public=three_public,
        procurement=procurement,
        procurement_total=procurement_total,
        projects=projects,
        acceptances=[],
    )


def _budget_line(line: _Line) -> BudgetLine:
    total = line.basic + line.project
    current = total - line.carryover
    return BudgetLine.model_construct(
        code=line.code, name=FUNCTION_NAMES[line.code], unit="万元",
        total=_wan(total), basic=_wan(line.basic) if line.basic else None,
        project=_wan(line.project) if line.project else None, other_expenses={},
        income_total=_wan(total), income_current=_wan(current),
        income_sources={"一般公共预算拨款": _wan(current)},
        carryover=_wan(line.carryover) if line.carryover else None,
        fiscal={"一般公共预算": FiscalSplit.model_construct(
            total=_wan(total), basic=_wan(line.basic) if line.basic else None,
            project=_wan(line.project) if line.project else None)},
    )


def _economic_line(code: str, cents: int, personnel: bool) -> EconomicLine:
    return EconomicLine.model_construct(
        code=code, name=ECONOMIC_NAMES[code], unit="万元", total=_wan(cents),
        personnel=_wan(cents) if personnel else None, public=None if personnel else _wan(cents),
    )


def _three_public(*, reception: int, vehicle: int) -> list[ThreePublicRow]:
    fund = "一般公共预算财政拨款"

    def row(position: int, item: str, category: str, cents: int) -> ThreePublicRow:
        return ThreePublicRow.model_construct(
            position=position, item=item, category=category, unit="万元",
            total=_wan(cents) if cents else None, amounts={fund: _wan(cents)} if cents else {},
        )

    subtotal = reception + vehicle
    return [
        row(1, "合计", "total", subtotal),
        row(2, "“三公”经费小计", "subtotal", subtotal),
        row(3, "一、因公出国（境）费", "abroad", 0),
        row(4, "其中：教学科研人员因公出国（境）费", "abroad_research", 0),
        row(5, "其他因公出国（境）费", "abroad_other", 0),
        row(6, "二、公务用车购置及运维费", "vehicle", vehicle),
        row(7, "其中：公务用车购置费", "vehicle_purchase", 0),
        row(8, "公务用车运行维护费", "vehicle_operation", vehicle),
        row(9, "三、公务接待费", "reception", reception),
    ]


def _summary_rows(totals: dict[str, _Line], *, current: int, carryover: int, total: int) -> list[SummaryRow]:
    rows: list[SummaryRow] = []

    def add(table: SummaryTable, side: str, position: int, item: str, amounts: dict[str, int]) -> None:
        rows.append(SummaryRow.model_construct(
            table=table, side=side, position=position, item=item, unit="万元",
            amounts={key: _wan(value) for key, value in amounts.items()},
        ))

    classes = [(item, totals[code].basic + totals[code].project) for code, item in EXPENSE_CLASSES if code in totals]
    budget, fiscal = SummaryTable.BUDGET, SummaryTable.FISCAL
    add(budget, "收入", 1, "一、一般公共预算拨款收入", {"预算数": current})
    for position, (item, amount) in enumerate(classes, start=1):
        add(budget, "支出", position, item, {"预算数": amount})
    end = len(classes) + 1
    add(budget, "收入", end, "本年收入合计", {"预算数": current})
    add(budget, "支出", end, "本年支出合计", {"预算数": total})
    add(budget, "收入", end + 1, "上年结转", {"预算数": carryover})
    add(budget, "收入", end + 2, "收入总计", {"预算数": total})
    add(budget, "支出", end + 2, "支出总计", {"预算数": total})
    add(fiscal, "收入", 1, "一、一般公共预算拨款", {"金额": current})
    for position, (item, amount) in enumerate(classes, start=1):
        add(fiscal, "支出", position, item, {"合计": amount, "一般公共预算财政拨款": amount})
    add(fiscal, "收入", end, "本年收入合计", {"金额": current})
    add(fiscal, "支出", end, "本年支出合计", {"合计": total, "一般公共预算财政拨款": total})
    add(fiscal, "收入", end + 1, "年初财政拨款结转和结余", {"金额": carryover})
    add(fiscal, "收入", end + 2, "收入总计", {"金额": total})
    add(fiscal, "支出", end + 2, "支出总计", {"合计": total, "一般公共预算财政拨款": total})
    return rows


# --- planting errors ------------------------------------------------------------------------------


def _plant(department: Department, *, index: int, seed: int) -> list[PlantedError]:
    """Put this department's share of errors in place and say where they are.

    The first three departments get four project errors each (so that even ``--scale 3`` shows every
    project-level kind) and one department-level error; after that about one department in two gets a
    project error and one in twenty a department-level one.
    """
    rng = random.Random(f"{seed}:{index}:errors")
    planted: list[PlantedError] = []
    if index < 3:
        kinds = [PROJECT_ERROR_KINDS[(index * 4 + k) % len(PROJECT_ERROR_KINDS)] for k in range(4)]
        department_kinds = [DEPARTMENT_ERROR_KINDS[index % len(DEPARTMENT_ERROR_KINDS)]]
    else:
        kinds = [rng.choice(PROJECT_ERROR_KINDS)] if rng.random() < 0.5 else []
        department_kinds = [rng.choice(DEPARTMENT_ERROR_KINDS)] if rng.random() < 0.05 else []
    targets = rng.sample(range(len(department.projects)), len(kinds))
    for kind, target in zip(kinds, targets, strict=True):
        planted.append(_plant_project(rng, department, department.projects[target], kind))
    for kind in department_kinds:
        planted.append(_plant_department(rng, department, kind))
    return planted


def _find(indicators: Sequence[Indicator], level2: str) -> int:
    return next(i for i, row in enumerate(indicators) if row.level2 == level2)


def _plant_project(rng: random.Random, department: Department, project: Project, kind: str) -> PlantedError:
    rows = project.goal.indicators
    wan = project_amount(project).wan or Decimal(0)
    detail = ""
    if kind == "ceiling_above_budget":
        i = _find(rows, "成本指标")
        ceiling = (wan * Decimal("1.2") + Decimal("1")).quantize(Decimal("0.01"))
        rows[i] = rows[i].model_copy(update={"value": f"≤{ceiling}万元"})
        detail = f"上限 {ceiling} 万元，预算 {wan} 万元"
    elif kind == "yuan_for_wan":
        i = _find(rows, "成本指标")
        rows[i] = rows[i].model_copy(update={"value": f"≤{wan.quantize(Decimal('0.01'))}元"})
        detail = f"写作 {rows[i].value}，预算 {wan} 万元"
    elif kind == "missing_timeliness":
        i = _find(rows, "时效指标")
        del rows[i]
        return PlantedError(kind, department.code, department.name, project.name, None, project.budget_line_code)
    elif kind == "low_satisfaction":
        i = _find(rows, "服务对象满意度指标")
        rows[i] = rows[i].model_copy(update={"value": "≥70%"})
    elif kind == "duplicate_level3":
        source = _find(rows, "数量指标")
        copy = rows[source].model_copy(update={"description": rows[source].description + "（全年）"})
        rows.insert(source + 1, copy)
        i = source + 1
        detail = f"“{copy.level3}”"
    elif kind == "wrong_direction":
        i = _find(rows, "质量指标")
        rows[i] = rows[i].model_copy(update={"level3": "系统稳定运行率", "description": "系统全年稳定运行率",
                                             "value": "≤99%"})
    elif kind == "rate_over_100":
        i = _find(rows, "服务对象满意度指标")
        rows[i] = rows[i].model_copy(update={"value": "≥105%"})
    elif kind == "empty_value":
        i = _find(rows, "数量指标")
        rows[i] = rows[i].model_copy(update={"value": ""})
    elif kind == "period_outside_year":
        i = _find(rows, "时效指标")
        rows[i] = rows[i].model_copy(update={"value": f"{department.year - 2}.1-12月"})
        detail = rows[i].value
    elif kind == "placeholder_value":
        i = _find(rows, "质量指标")
        rows[i] = rows[i].model_copy(update={"value": "无"})
    else:  # pragma: no cover - the kinds are a closed list
        raise ValueError(kind)
    return PlantedError(kind, department.code, department.name, project.name, i + 1, project.budget_line_code, detail)


def _plant_department(rng: random.Random, department: Department, kind: str) -> PlantedError:
    if kind == "procurement_arithmetic" and not department.procurement:
        kind = "line_project_mismatch"
    if kind == "line_project_mismatch":
        # Change one 项 line's 项目支出 (and its 合计, so 合计 = 基本 + 项目 still holds).
        candidates = [line for line in department.budget_lines if len(line.code) == 7 and line.project]
        line = rng.choice(candidates)
        extra = Decimal(rng.randint(10_00, 50_00)).scaleb(-2)
        assert line.project is not None and line.total is not None
        index = department.budget_lines.index(line)
        department.budget_lines[index] = line.model_copy(
            update={"project": line.project + extra, "total": line.total + extra}
        )
        return PlantedError(kind, department.code, department.name, budget_line=line.code,
                            detail=f"项目支出多列 {extra} 万元")
    if kind == "three_public_mismatch":
        # Less 公务接待费 in the 三公 table than the basic-spending line 30217 alone: the table's own sums
        # still hold, but it no longer covers the economic line it repeats.
        economic = next(e for e in department.economic_lines if e.code == "30217")
        assert economic.total is not None
        short = min(Decimal("0.50"), economic.total)
        for index, row in enumerate(department.three_public):
            if row.category in ("total", "subtotal", "reception") and row.total is not None:
                value = row.total - short
                department.three_public[index] = row.model_copy(
                    update={"total": value, "amounts": {"一般公共预算财政拨款": value}}
                )
        return PlantedError(kind, department.code, department.name,
                            detail=f"三公表公务接待费比经济科目 30217 少 {short} 万元")
    if kind == "basic_split_mismatch":
        head = department.economic_lines[0]
        assert head.personnel is not None
        department.economic_lines[0] = head.model_copy(update={"personnel": head.personnel + Decimal("1.00")})
        return PlantedError(kind, department.code, department.name, detail="合计行人员经费多 1.00 万元")
    if kind == "procurement_arithmetic":
        index = rng.randrange(len(department.procurement))
        item = department.procurement[index]
        assert item.quantity is not None
        department.procurement[index] = item.model_copy(update={"quantity": item.quantity + 1})
        return PlantedError(kind, department.code, department.name, project=item.project_name,
                            detail=f"“{item.item}”数量改为 {item.quantity + 1}")
    raise ValueError(kind)  # pragma: no cover - the kinds are a closed list


# --- the whole dataset --------------------------------------------------------------------------


def iter_departments(
    *, departments: int, year: int, seed: int, plant_errors: bool = True
) -> Iterator[tuple[Department, list[PlantedError]]]:
    for index in range(departments):
        yield generate_department(index, year=year, seed=seed, plant_errors=plant_errors)


def load_scaled_dataset(
    engine: Engine,
    *,
    departments: int,
    year: int,
    seed: int,
    user: str,
    plant_errors: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ScaleReport:
    """Generate ``departments`` department-years and save them, replacing any with the same code and year.

    Saved in transactions of :data:`CHUNK_SIZE` departments, so memory stays flat; a failure leaves the
    chunks already committed in place (each is whole), and running it again replaces them.
    """
    from perfgoals.storage import repository
    from perfgoals.storage.db import write_session

    started = time.perf_counter()
    report = ScaleReport(year=year, seed=seed)
    generator = iter_departments(departments=departments, year=year, seed=seed, plant_errors=plant_errors)
    done = 0
    while done < departments:
        with write_session(engine) as session:
            for department, errors in _take(generator, CHUNK_SIZE):
                repository.save_department(session, department=department, user=user, replace=True, action="demo")
                report.departments += 1
                report.projects += len(department.projects)
                report.indicators += sum(len(p.goal.indicators) for p in department.projects)
                report.budget_lines += len(department.budget_lines)
                report.errors.extend(errors)
                done += 1
        if progress is not None:
            progress(done, departments)
    report.seconds = time.perf_counter() - started
    return report


def _take(iterator: Iterator[tuple[Department, list[PlantedError]]], n: int) -> Iterator[tuple[Department, list[PlantedError]]]:
    for _ in range(n):
        try:
            yield next(iterator)
        except StopIteration:
            return
