"""The registry: every rule perfgoals checks, in code order.

Adding a rule means writing one module in :mod:`perfgoals.checks.rules` and listing its class here;
a test keeps codes unique and documented and ``docs/rules.md`` current
(``python -m perfgoals.checks.docs``).
"""

from __future__ import annotations

from perfgoals.checks.base import Rule
from perfgoals.checks.rules.pg101_cost_ceiling import CostCeilingAboveBudget
from perfgoals.checks.rules.pg102_line_projects import LineProjectsMismatch
from perfgoals.checks.rules.pg103_department_projects import DepartmentProjectsMismatch
from perfgoals.checks.rules.pg104_unit_slip import UnitSlip
from perfgoals.checks.rules.pg105_cost_below_budget import CostCeilingBelowBudget
from perfgoals.checks.rules.pg106_cost_not_money import CostNotMoney
from perfgoals.checks.rules.pg107_unknown_line import UnknownBudgetLine
from perfgoals.checks.rules.pg108_unplaced_project import ProjectWithoutLine
from perfgoals.checks.rules.pg109_suggested_link import SuggestedLink
from perfgoals.checks.rules.pg110_no_amount import ProjectWithoutAmount
from perfgoals.checks.rules.pg111_inferred_amount import InferredAmount
from perfgoals.checks.rules.pg112_line_without_figure import LineWithoutFigure
from perfgoals.checks.rules.pg113_line_not_item import LineNotItem
from perfgoals.checks.rules.pg200_rounding import RoundingDifference
from perfgoals.checks.rules.pg201_function_tree import FunctionTreeSum
from perfgoals.checks.rules.pg202_expense_row import ExpenseRowSum
from perfgoals.checks.rules.pg203_income_row import IncomeRowSum
from perfgoals.checks.rules.pg204_income_expense import IncomeExpenseLine
from perfgoals.checks.rules.pg205_summary_balance import SummaryBalance
from perfgoals.checks.rules.pg206_personnel_public import PersonnelPublicSum
from perfgoals.checks.rules.pg207_economic_tree import EconomicTreeSum
from perfgoals.checks.rules.pg208_three_public_economic import ThreePublicEconomic
from perfgoals.checks.rules.pg209_three_public_table import ThreePublicTableSum
from perfgoals.checks.rules.pg210_procurement_amount import ProcurementLineAmount
from perfgoals.checks.rules.pg211_procurement_total import ProcurementTotal
from perfgoals.checks.rules.pg212_procurement_budget import ProcurementOverBudget
from perfgoals.checks.rules.pg213_procurement_project import ProcurementProjectMismatch
from perfgoals.checks.rules.pg301_required_level1 import MissingLevel1
from perfgoals.checks.rules.pg302_required_level2 import MissingLevel2
from perfgoals.checks.rules.pg303_wrong_parent import WrongParent
from perfgoals.checks.rules.pg304_unknown_label import UnknownLabel
from perfgoals.checks.rules.pg305_empty_cell import EmptyCell
from perfgoals.checks.rules.pg306_quantitative_output import NoQuantitativeOutput
from perfgoals.checks.rules.pg307_goal_text import EmptyGoalText
from perfgoals.checks.rules.pg308_department_goal import EmptyDepartmentGoal
from perfgoals.checks.rules.pg401_rate_over_100 import RateOver100
from perfgoals.checks.rules.pg402_satisfaction_target import SatisfactionTarget
from perfgoals.checks.rules.pg403_comparator_qualitative import ComparatorOnQualitative
from perfgoals.checks.rules.pg404_direction import DirectionContradiction
from perfgoals.checks.rules.pg405_period_outside_year import PeriodOutsideYear
from perfgoals.checks.rules.pg406_value_like_name import ValueLikeName
from perfgoals.checks.rules.pg407_satisfaction_basis import SatisfactionBasis
from perfgoals.checks.rules.pg408_cost_basis import CostBasis
from perfgoals.checks.rules.pg409_placeholder import Placeholder
from perfgoals.checks.rules.pg410_unrecognised_value import UnrecognisedValue
from perfgoals.checks.rules.pg411_weights import Weights
from perfgoals.checks.rules.pg412_annual_above_midterm import AnnualAboveMidTerm
from perfgoals.checks.rules.pg414_cost_under_output import CostUnderOutput
from perfgoals.checks.rules.pg415_unit_misfit import UnitMisfit
from perfgoals.checks.rules.pg501_duplicate_indicator import DuplicateIndicator
from perfgoals.checks.rules.pg502_duplicate_table import DuplicateTable
from perfgoals.checks.rules.pg503_duplicate_project import DuplicateProjectName
from perfgoals.checks.rules.pg601_off_course_reason import OffCourseWithoutReason
from perfgoals.checks.rules.pg602_likelihood_reason import DoubtfulWithoutReason
from perfgoals.checks.rules.pg603_spending_pace import SpendingOutOfStep
from perfgoals.checks.rules.pg604_monitoring_row import MonitoringRowMismatch
from perfgoals.checks.rules.pg605_executed_over_budget import ExecutedOverBudget
from perfgoals.checks.rules.pg606_monitoring_date import MonitoringDateOutsideYear
from perfgoals.checks.rules.pg701_level1_points import Level1Points
from perfgoals.checks.rules.pg702_points_total import PointsTotal
from perfgoals.checks.rules.pg703_funds_total import FundsTotal
from perfgoals.checks.rules.pg704_execution_rate import ExecutionRate
from perfgoals.checks.rules.pg705_score_over_points import ScoreOverPoints
from perfgoals.checks.rules.pg706_shortfall_reason import ShortfallWithoutReason
from perfgoals.checks.rules.pg707_total_grade import TotalAndGrade
from perfgoals.checks.rules.pg708_score_computed import ScoreNotComputed

RULES: tuple[Rule, ...] = (
    CostCeilingAboveBudget(),
    LineProjectsMismatch(),
    DepartmentProjectsMismatch(),
    UnitSlip(),
    CostCeilingBelowBudget(),
    CostNotMoney(),
    UnknownBudgetLine(),
    ProjectWithoutLine(),
    SuggestedLink(),
    ProjectWithoutAmount(),
    InferredAmount(),
    LineWithoutFigure(),
    LineNotItem(),
    RoundingDifference(),
    FunctionTreeSum(),
    ExpenseRowSum(),
    IncomeRowSum(),
    IncomeExpenseLine(),
    SummaryBalance(),
    PersonnelPublicSum(),
    EconomicTreeSum(),
    ThreePublicEconomic(),
    ThreePublicTableSum(),
    ProcurementLineAmount(),
    ProcurementTotal(),
    ProcurementOverBudget(),
    ProcurementProjectMismatch(),
    MissingLevel1(),
    MissingLevel2(),
    WrongParent(),
    UnknownLabel(),
    EmptyCell(),
    NoQuantitativeOutput(),
    EmptyGoalText(),
    EmptyDepartmentGoal(),
    RateOver100(),
    SatisfactionTarget(),
    ComparatorOnQualitative(),
    DirectionContradiction(),
    PeriodOutsideYear(),
    ValueLikeName(),
    SatisfactionBasis(),
    CostBasis(),
    Placeholder(),
    UnrecognisedValue(),
    Weights(),
    AnnualAboveMidTerm(),
    CostUnderOutput(),
    UnitMisfit(),
    DuplicateIndicator(),
    DuplicateTable(),
    DuplicateProjectName(),
    OffCourseWithoutReason(),
    DoubtfulWithoutReason(),
    SpendingOutOfStep(),
    MonitoringRowMismatch(),
    ExecutedOverBudget(),
    MonitoringDateOutsideYear(),
    Level1Points(),
    PointsTotal(),
    FundsTotal(),
    ExecutionRate(),
    ScoreOverPoints(),
    ShortfallWithoutReason(),
    TotalAndGrade(),
    ScoreNotComputed(),
)

#: The rules by code.
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def get_rule(code: str) -> Rule | None:
    """The rule ``code`` (case-insensitive), or ``None``."""
    return RULES_BY_CODE.get(code.strip().upper())
