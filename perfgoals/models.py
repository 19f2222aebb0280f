"""The data of perfgoals: one department's budget year and its projects' goal tables.

These pydantic models are the contract between the importers, storage, checks, exports and the TUI.
Their JSON Schemas are generated into ``schemas/`` (see :mod:`perfgoals.schemas`).

Money is always :class:`~decimal.Decimal`; every figure carries the unit it was written in (``unit``
on its row), and :func:`perfgoals.money.to_wan` normalises it to 万元 for arithmetic.  Text a user
typed (indicator values above all) is stored exactly as typed; parsed forms are derived, not stored.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
)

#: The largest figure perfgoals keeps (in any unit): a thousand trillion, more than any budget holds.
MAX_FIGURE = Decimal(10) ** 15
#: The most decimal places a figure keeps (0.000001 万元 is one fen).
MAX_DECIMALS = 6


def _bounded(value: object) -> object:
    """A figure within the stated range and digit limit; anything else is refused where it enters,
    before any arithmetic on it (``1e999999999`` would overflow pydantic's own checks)."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        try:
            value = Decimal(str(value).strip())
        except ArithmeticError:
            return value  # not a number: pydantic says so
    if not isinstance(value, Decimal):
        return value
    if not value.is_finite():
        raise ValueError("金额不是有限的数")
    if value and value.adjusted() >= 15:
        raise ValueError("数额超过上限（1000 万亿）")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS and value != value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
        raise ValueError(f"小数位数超过 {MAX_DECIMALS} 位")
    return value


def _not_negative(value: Decimal | None) -> Decimal | None:
    if value is not None and value < 0:
        raise ValueError("不能为负数")
    return value


#: Decimals serialise as strings so that JSON keeps every digit and the scale as written ("1135.10").
Amount = Annotated[
    Decimal,
    BeforeValidator(_bounded),
    PlainSerializer(lambda value: str(value), return_type=str, when_used="json"),
    Field(json_schema_extra={"type": "string", "pattern": r"^-?\d{1,15}(\.\d{1,6})?$"}),
]
#: A project's amount or a weight: an :data:`Amount` that is never negative.
NonNegativeAmount = Annotated[Amount, AfterValidator(_not_negative)]

DEFAULT_UNIT = "万元"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, use_enum_values=False)


class LinkStatus(StrEnum):
    """How a project's link to its budget line is known."""

    CONFIRMED = "confirmed"  # stated by the source document or confirmed by a person
    SUGGESTED = "suggested"  # proposed by the importer; the owner must confirm it


class FundSource(StrEnum):
    CURRENT = "本年财政拨款"
    CARRYOVER = "上年结转"
    OTHER = "其他"


class AmountSource(StrEnum):
    """Where a project's budget amount came from.

    Every source but ``ENTERED`` is an *inferred* amount: still the budget the goal table is checked
    against, but marked on every screen and export until a person enters or confirms it.
    """

    ENTERED = "entered"  # typed or confirmed by a person, or stated for the project by the source
    COST_INDICATOR = "cost_indicator"  # inferred from the goal table's 成本指标 ceiling at import
    PROCUREMENT = "procurement"  # inferred from the 预算资金 column of the procurement table
    PREVIOUS_YEAR = "previous_year"  # carried from last year's budget by a rollover


class ProjectStatus(StrEnum):
    """Where a goal table stands in the review (see :mod:`perfgoals.workflow`).

    草稿 → 已提交 → 部门已审 → 财政已审, or 已退回 to the owner at either review.  Tables written by
    release 0.1 as ``已审核`` read as 财政已审.
    """

    DRAFT = "草稿"
    SUBMITTED = "已提交"
    DEPARTMENT_APPROVED = "部门已审"
    FINANCE_APPROVED = "财政已审"
    RETURNED = "已退回"


#: Statuses written by earlier releases, and what they mean now.
LEGACY_STATUSES = {"已审核": ProjectStatus.FINANCE_APPROVED}


def _legacy_status(value: object) -> object:
    return LEGACY_STATUSES.get(value, value) if isinstance(value, str) else value


class Role(StrEnum):
    """Who does what in the review."""

    OWNER = "项目负责人"
    DEPARTMENT_REVIEWER = "部门审核人"
    FINANCE_REVIEWER = "财政审核人"


class Grade(StrEnum):
    """The finance office's review result, and a 自评's grade (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差)."""

    EXCELLENT = "优"
    GOOD = "良"
    FAIR = "中"
    POOR = "差"


#: The finance office's 审核 points, in the order its opinion form lists them.
REVIEW_POINTS = ("完整性", "相关性", "适当性", "可行性")


class Reply(_Model):
    """An answer to a review comment."""

    author: str = ""
    text: str = Field(min_length=1)
    at: datetime | None = None


class Comment(_Model):
    """A reviewer's comment on a goal table, one of its rows, or one cell.

    ``row`` is the indicator's position (0-based) in ``goal.indicators`` (``None``: the whole table);
    ``field`` an :class:`Indicator` attribute (``value``, ``basis`` …) for a cell (``None``: the whole row).
    ``quote`` keeps what the row's 三级 or the cell said when the comment was made.
    """

    number: int = Field(ge=1, description="评论编号（项目内，从 1 起）")
    author: str = ""
    role: Role | None = None
    at: datetime | None = None
    text: str = Field(min_length=1)
    row: int | None = Field(None, ge=0, description="指标行（从 0 起）；空：整张表")
    field: str | None = Field(None, description="单元格所在列（Indicator 属性名）；空：整行")
    quote: str = Field("", description="评论时该行三级指标或该单元格的内容")
    replies: list[Reply] = Field(default_factory=list)
    resolved: bool = False


class ReviewEvent(_Model):
    """One transition of the review, kept in the table's history."""

    action: str = Field(description="提交 / 退回 / 部门审核通过 / 财政审核 …")
    from_status: ProjectStatus
    to_status: ProjectStatus
    user: str = ""
    role: Role | None = None
    at: datetime | None = None
    note: str = ""
    grade: Grade | None = Field(None, description="财政审核结果")
    opinions: dict[str, str] = Field(default_factory=dict, description="审核要点 → 意见")
    accepted: list[str] = Field(default_factory=list, description="提交时带理由接受的问题代码")

    @field_validator("from_status", "to_status", mode="before")
    @classmethod
    def _legacy(cls, value: object) -> object:
        return _legacy_status(value)


class DeviationCause(StrEnum):
    """The standard categories of a monitoring table's 偏差原因分析."""

    FUNDING = "经费保障"
    SYSTEM = "制度保障"
    STAFF = "人员保障"
    HARDWARE = "硬件条件保障"
    OTHER = "其他"


class Likelihood(StrEnum):
    """完成目标可能性 in a monitoring table."""

    CERTAIN = "确定能"
    POSSIBLE = "有可能"
    IMPOSSIBLE = "完全不可能"


class IndicatorProgress(_Model):
    """Monitoring of one indicator row (``row``: its position in ``goal.indicators``, from 0)."""

    row: int = Field(ge=0)
    level3: str = Field("", description="监控时该行的三级指标（行移动后据此找回）")
    progress: str = Field("", description="1–N月执行情况，原文照录")
    expected: str = Field("", description="全年预计完成情况，原文照录")
    causes: list[DeviationCause] = Field(default_factory=list, description="偏差原因类别")
    reason: str = Field("", description="偏差原因说明")
    likelihood: Likelihood | None = Field(None, description="完成目标可能性")
    remark: str = Field("", description="备注")


class Monitoring(_Model):
    """A project's mid-year monitoring (绩效监控) as of a date; the year's budget is the project's amount."""

    as_of: date = Field(description="监控截止日期（通常 7 月 31 日）")
    executed: NonNegativeAmount | None = Field(None, description="1–N月预算执行数")
    expected_executed: NonNegativeAmount | None = Field(None, description="全年预计执行数")
    unit: str = DEFAULT_UNIT
    achieved: str = Field("", description="年度总体目标的 1–N月实际完成情况，原文照录")
    rows: list[IndicatorProgress] = Field(default_factory=list)


class EvaluationFunds(_Model):
    """One row of a 自评表's 项目资金 block (年度资金总额, 其中：本年财政拨款, 上年结转资金, 其他资金)."""

    label: str = Field(description="行名，原文照录")
    initial: Amount | None = Field(None, description="年初预算数")
    full_year: Amount | None = Field(None, description="全年预算数（A）")
    executed: Amount | None = Field(None, description="全年执行数（B）")
    rate: str | None = Field(None, description="执行率（B/A），原文照录")


class IndicatorResult(_Model):
    """The 自评 of one indicator row (``row``: its position in ``goal.indicators``, from 0).

    ``points`` and ``score`` are as entered or imported (``None``: not given, so computed by
    :mod:`perfgoals.evaluation`).
    """

    row: int = Field(ge=0)
    level3: str = Field("", description="自评时该行的三级指标（行移动后据此找回）")
    actual: str = Field("", description="实际完成值（全年实际值），原文照录")
    points: NonNegativeAmount | None = Field(None, description="分值")
    score: Amount | None = Field(None, description="得分（填写的）")
    reason: str = Field("", description="偏差原因分析及改进措施（未完成原因）")


class SelfEvaluation(_Model):
    """A project's year-end 绩效自评: its money, each indicator's result, the totals as written."""

    unit: str = DEFAULT_UNIT
    funds: list[EvaluationFunds] = Field(default_factory=list, description="项目资金：第一行为年度资金总额")
    rate_points: NonNegativeAmount | None = Field(None, description="预算执行率的分值（空：10 分）")
    rate_score: Amount | None = Field(None, description="预算执行率的得分（填写的）")
    level1_points: dict[str, NonNegativeAmount] = Field(
        default_factory=dict, description="一级指标 → 分值（表内自带的权重，如“产出指标(50分)”）"
    )
    achieved: str = Field("", description="年度总体目标的实际完成情况")
    total: Amount | None = Field(None, description="总分（填写的）")
    grade: str = Field("", description="评价等级（填写的），原文照录")
    rows: list[IndicatorResult] = Field(default_factory=list)


class Direction(StrEnum):
    POSITIVE = "正向"
    NEGATIVE = "反向"


class Indicator(_Model):
    """One row of a goal table (绩效目标表)."""

    level1: str = Field("", description="一级指标")
    level2: str = Field("", description="二级指标")
    level3: str = Field("", description="三级指标")
    description: str = Field("", description="绩效指标描述")
    value: str = Field("", description="指标值（年度），原文照录")
    basis: str = Field("", description="指标值确定依据")
    mid_term_value: str | None = Field(None, description="实施期指标值")
    weight: NonNegativeAmount | None = Field(None, description="权重/分值", le=1000)
    direction: Direction | None = Field(None, description="正向/反向")
    unit: str | None = Field(None, description="度量单位（单独一列时）")
    reference_value: str | None = Field(None, description="上年指标值（结转新年度时保留，供参考）")
    reference_actual: str | None = Field(None, description="上年实际完成值（来自上年自评，结转时保留，供参考）")
    method: str | None = Field(None, description="计算方法/评分标准，原文照录（多列时以“；”连接）")
    nature: str | None = Field(
        None,
        description="指标性质（≥ ≤ = 定性 …），单独一列时原文照录；指标值里不含它，读取数值时与指标值合读",
    )
    mid_term_level2: str | None = Field(
        None, description="实施期一组的二级指标（实施期与年度两组并列、且与年度的二级不同时）"
    )
    mid_term_level3: str | None = Field(
        None, description="实施期一组的三级指标（实施期与年度两组并列、且与年度的三级不同时）"
    )
    standard: str | None = Field(None, description="绩效标准，原文照录")
    expected_value: str | None = Field(None, description="当年预期实现值，原文照录")
    extra: dict[str, str] = Field(
        default_factory=dict, description="没有专门字段的列：表头原文 → 单元格原文（导出时按表头放回）"
    )


class LayoutFamily(StrEnum):
    """The layout family a goal table came in (see :class:`GoalTable` ``layout``)."""

    NATIONAL = "national"  # 一级 · 二级 · 三级 · 指标值 · 依据 (and its variants): the 2021 template, most local ones
    CENTRAL = "central"  # the central template: a project block (主管部门及代码, 项目资金 …) above the indicators
    TWO_GROUPS = "two_groups"  # 88号 申报表: 实施期 二级 · 三级 · 指标值, then 年度 ones, side by side per row
    SICHUAN = "sichuan"  # 单位名称 · 项目名称 · 预算数 · 年度目标 merged down beside the indicators, several projects
    HUBEI = "hubei"  # a project block with a cost breakdown (成本构成 · 金额 · 测算依据 · 前两年实际执行数)
    HUNAN = "hunan"  # 项目支出名称 · 预算部门 · 年度本级预算金额 · 上级资金 … and 指标值及单位 · 绩效标准


class LayoutColumn(_Model):
    """One column of a goal table (or one label of its project block) as it came in.

    ``header`` is the header text as written (a two-row header joined with “/”, e.g. ``实施期指标/二级指标``);
    ``field`` says where its cells went:

    * an :class:`Indicator` attribute: ``level1``, ``level2``, ``level3``, ``description``, ``value``,
      ``mid_term_value``, ``mid_term_level2``, ``mid_term_level3``, ``basis``, ``nature``, ``unit``,
      ``weight``, ``direction``, ``method``, ``standard``, ``expected_value``;
    * ``extra``: kept in :attr:`Indicator.extra` (or, in ``block``, :attr:`Project.extra`) under ``header``;
    * ``label``: a row-label column merged down the table (``本年度绩效指标``), holding no data of a row;
    * ``project.<attribute>`` / ``goal.<attribute>``: a project field (Sichuan's 项目名称 column is
      ``project.name``, 预算数 ``project.budget_amount``, 年度目标 ``goal.goal_text``, 单位名称 ``department``).
    """

    header: str
    field: str
    span: int = Field(1, ge=1, le=200, description="表头单元格横跨的列数（指标值分 ≥ | 95 | % 三格时为 3）")


class Footer(_Model):
    """A row closing a table (审核意见, 总分, 备注, 填表人 …): never an indicator."""

    label: str
    text: str = ""


class GoalTable(_Model):
    """A project's 绩效目标表: the goal text and ordered indicator rows.

    ``layout``, ``columns`` and ``block`` record how the table came in, so that it can be given back in its
    own layout: ``layout`` names the family (``None``: entered here, or read from perfgoals' own
    workbook: the national 2021 template), ``columns`` the indicator columns left to right (see
    :class:`LayoutColumn`; two groups side by side appear as two runs of 二级 · 三级 · 指标值, the
    实施期 run with ``mid_term_*`` fields), ``block`` the labels of the project block above the indicators
    in reading order.
    """

    goal_text: str = Field("", description="绩效目标（可含多条编号内容）")
    mid_term_goal_text: str = Field("", description="实施期目标（总体目标分实施期/年度时）")
    indicators: list[Indicator] = Field(default_factory=list)
    revision: int = Field(1, ge=1, description="修订号：每次保存加一，用于发现并发修改")
    layout: LayoutFamily | None = Field(None, description="导入时的表样（版式）类别")
    columns: list[LayoutColumn] = Field(default_factory=list, description="导入时指标部分的列，从左到右")
    block: list[LayoutColumn] = Field(default_factory=list, description="导入时项目信息部分的标签，按阅读顺序")
    footers: list[Footer] = Field(default_factory=list, description="表尾行（审核意见、总分、备注、填表人 …）")


class CostItem(_Model):
    """One part of a project's cost breakdown (成本构成 · 金额 · 测算依据 · 前两年实际执行数)."""

    item: str = Field(description="成本构成，原文照录")
    amount: NonNegativeAmount | None = Field(None, description="金额")
    unit: str = DEFAULT_UNIT
    basis: str = Field("", description="测算依据")
    previous: str = Field("", description="前两年实际执行数，原文照录")
    extra: dict[str, str] = Field(default_factory=dict, description="其他列：表头原文 → 单元格原文")


class Acceptance(_Model):
    """A finding accepted with a written reason (like ``noqa``, stored with the data)."""

    code: str = Field(pattern=r"^PG\d{3}$")
    reason: str = Field(min_length=1)
    accepted_by: str = ""
    accepted_at: datetime | None = None


class Project(_Model):
    id: int | None = Field(None, exclude=True, description="数据库编号（不导出）")
    name: str = Field(min_length=1)
    code: str | None = Field(None, description="项目编码（如有）")
    budget_line_code: str | None = Field(None, description="功能分类科目编码")
    line_link: LinkStatus | None = Field(None, description="科目关联是否已确认")
    fund_source: FundSource | None = None
    fund_source_detail: str | None = Field(None, description="其他资金来源的说明")
    budget_amount: NonNegativeAmount | None = None
    amount_unit: str = DEFAULT_UNIT
    amount_source: AmountSource = AmountSource.ENTERED
    owner: str = ""
    implementing_unit: str = Field("", description="实施单位")
    status: Annotated[ProjectStatus, BeforeValidator(_legacy_status)] = ProjectStatus.DRAFT
    notes: str = ""
    goal: GoalTable = Field(default_factory=GoalTable)
    acceptances: list[Acceptance] = Field(default_factory=list)
    attribute: str = Field("", description="项目属性（新增/延续 …），原文照录")
    period: str = Field("", description="实施期/起止时间，原文照录（如 2023.07-2024.01）")
    category: str = Field("", description="项目类别，原文照录")
    kind: str = Field("", description="项目性质，原文照录")
    basis: str = Field("", description="立项依据，原文照录")
    superior_amount: NonNegativeAmount | None = Field(None, description="上级资金（单位同 amount_unit）")
    mid_term_amount: NonNegativeAmount | None = Field(None, description="中期（实施期）资金总额（单位同 amount_unit）")
    breakdown: list[CostItem] = Field(default_factory=list, description="成本构成（成本测算明细）")
    extra: dict[str, str] = Field(
        default_factory=dict, description="项目信息中没有专门字段的内容：标签原文 → 内容原文"
    )
    comments: list[Comment] = Field(default_factory=list, description="审核意见与回复")
    reviews: list[ReviewEvent] = Field(default_factory=list, description="审核流转记录，按时间先后")
    monitoring: Monitoring | None = Field(None, description="绩效监控")
    evaluation: SelfEvaluation | None = Field(None, description="绩效自评")


class LineAmounts(_Model):
    """Amounts of one function line (or the 合计 row), in ``unit``."""

    unit: str = DEFAULT_UNIT
    total: Amount | None = Field(None, description="合计")
    basic: Amount | None = Field(None, description="基本支出")
    project: Amount | None = Field(None, description="项目支出")
    other_expenses: dict[str, Amount] = Field(default_factory=dict, description="经营支出等其他支出列")
    income_total: Amount | None = Field(None, description="收入总表的合计")
    income_current: Amount | None = Field(None, description="本年收入小计")
    income_sources: dict[str, Amount] = Field(default_factory=dict, description="本年收入按来源")
    carryover: Amount | None = Field(None, description="上年结转")
    fiscal: dict[str, FiscalSplit] = Field(
        default_factory=dict, description="财政拨款支出表：资金性质 → 合计/基本/项目"
    )


class FiscalSplit(_Model):
    total: Amount | None = None
    basic: Amount | None = None
    project: Amount | None = None


class BudgetLine(LineAmounts):
    """A 功能分类科目 line: 类 (3 digits), 款 (5) or 项 (7)."""

    code: str = Field(pattern=r"^\d{3}(\d{2}){0,2}$")
    name: str


class EconomicLine(_Model):
    """A 经济分类科目 line of the 基本支出 table (301, 30101 …); the 合计 row has code ``""``."""

    code: str = Field(pattern=r"^(\d{3}(\d{2})?)?$")
    name: str
    unit: str = DEFAULT_UNIT
    total: Amount | None = None
    personnel: Amount | None = Field(None, description="人员经费")
    public: Amount | None = Field(None, description="公用经费")


class SummaryTable(StrEnum):
    BUDGET = "收支总表"
    FISCAL = "财政拨款收支总表"


class SummaryRow(_Model):
    """One side of one row of a 收支总表 or 财政拨款收支总表."""

    table: SummaryTable
    side: str = Field(pattern="^(收入|支出)$")
    position: int = Field(ge=1, description="序号")
    item: str = Field(description="项目，原文照录")
    unit: str = DEFAULT_UNIT
    amounts: dict[str, Amount] = Field(default_factory=dict, description="列名 → 金额")


class ThreePublicRow(_Model):
    """A row of the 三公经费 table; ``item`` as written, ``category`` normalised."""

    position: int = Field(ge=1)
    item: str
    category: str = Field(
        description="total/subtotal/abroad/abroad_research/abroad_other/vehicle/vehicle_purchase/"
        "vehicle_operation/reception/other"
    )
    unit: str = DEFAULT_UNIT
    total: Amount | None = None
    amounts: dict[str, Amount] = Field(default_factory=dict, description="资金性质 → 金额")


class ProcurementItem(_Model):
    """A row of the 政府采购 table."""

    project_name: str = ""
    project_budget: Amount | None = Field(None, description="预算资金")
    item: str
    catalogue_code: str = ""
    measure: str = Field("", description="计量单位")
    quantity: Amount | None = None
    unit_price: Amount | None = None
    amount: Amount | None = None
    unit: str = DEFAULT_UNIT
    funding: dict[str, Amount] = Field(default_factory=dict, description="资金来源 → 金额")
    sme_reserved: Amount | None = Field(None, description="预留中小微企业份额")


class OrgUnit(_Model):
    """A unit under the department (机构设置)."""

    name: str
    nature: str = ""
    rank: str = ""
    funding: str = ""


class DepartmentGoals(_Model):
    overall: str = Field("", description="部门整体绩效目标")
    itemised: str = Field("", description="分项绩效目标")
    safeguards: str = Field("", description="工作保障措施")


class Department(_Model):
    """One department's budget year: everything perfgoals keeps about it.

    ``code`` is the department's code as written (``731``); a department named in a stand-alone goal
    table without a code gets one derived from its name (:func:`perfgoals.importers.interpret.identity.
    derived_code`: ``名`` followed by ten digits of the SHA-256 of the name, NFKC, spaces removed), the
    same for the same name on every machine.
    """

    id: int | None = Field(None, exclude=True, description="数据库编号（不导出）")
    code: str = Field(min_length=1, pattern=r"^\S+$")
    name: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2200)
    money_unit: str = DEFAULT_UNIT
    framework: str = Field("mof-2015", description="指标体系编号，见 frameworks.json")
    goals: DepartmentGoals = Field(default_factory=DepartmentGoals)
    org_units: list[OrgUnit] = Field(default_factory=list)
    function_total: LineAmounts | None = Field(None, description="功能分类表的合计行")
    budget_lines: list[BudgetLine] = Field(default_factory=list)
    economic_lines: list[EconomicLine] = Field(default_factory=list)
    summary_rows: list[SummaryRow] = Field(default_factory=list)
    three_public: list[ThreePublicRow] = Field(default_factory=list)
    procurement: list[ProcurementItem] = Field(default_factory=list)
    procurement_total: Amount | None = None
    projects: list[Project] = Field(default_factory=list)
    acceptances: list[Acceptance] = Field(default_factory=list, description="部门层面的已接受问题")

    def line(self, code: str) -> BudgetLine | None:
        return next((line for line in self.budget_lines if line.code == code), None)

    def project(self, name: str) -> Project | None:
        return next((project for project in self.projects if project.name == name), None)


#: The version of the JSON document this release writes and reads.
FORMAT_VERSION = 1


class DocumentMeta(_Model):
    format: str = Field("perfgoals/department", pattern="^perfgoals/department$")
    format_version: int = Field(FORMAT_VERSION, ge=1, le=FORMAT_VERSION)


class DepartmentDocument(_Model):
    """The JSON file ``perfgoals dump`` writes and ``perfgoals load`` reads."""

    meta: DocumentMeta = Field(default_factory=DocumentMeta)
    department: Department


LineAmounts.model_rebuild()
BudgetLine.model_rebuild()
