"""绩效自评 (ctrl+w): a project's year-end self-evaluation, entered beside its indicator rows.

Above the rows, the funds block: 年度资金总额 and its parts with 年初预算数, 全年预算数（A）,
全年执行数（B） and the 执行率 as written.  Per row: 实际完成值 (kept as typed), 分值, 得分 (as
entered), and beside them the points and score :mod:`perfgoals.evaluation` derives (a blank 分值
shows its share of the 一级's points in brackets), and 偏差原因分析及改进措施.  Under the rows: the
执行率 and its score, 总分 and grade — all :func:`perfgoals.evaluation.evaluate`'s, never worked out here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from perfgoals.evaluation import EvaluationSummary, evaluate, result_rows
from perfgoals.evaluation.scoring import percent_text
from perfgoals.models import DEFAULT_UNIT, EvaluationFunds, IndicatorResult, Project, SelfEvaluation
from perfgoals.reading.money import money_unit
from perfgoals.tui.screens._common import cell, money_text
from perfgoals.tui.screens.followup import FollowupScreen
from perfgoals.tui.screens.followup_dialogs import FieldPrompt, FollowupInputError, read_amount, read_number

#: The rows of a 自评表's funds block, as the standard form lists them (the first is the total).
FUND_LABELS = ("年度资金总额", "其中：本年财政拨款", "上年结转资金", "其他资金")
_FUND_COLUMNS: list[tuple[str, str, int]] = [
    ("label", "项目资金", 18),
    ("initial", "年初预算数", 12),
    ("full_year", "全年预算数(A)", 13),
    ("executed", "全年执行数(B)", 13),
    ("rate", "执行率(填)", 10),
]
_COLUMNS: list[tuple[str, str, int]] = [
    ("actual", "实际完成值", 12),
    ("points", "分值", 7),
    ("score", "得分", 7),
    ("computed", "计算得分", 9),
    ("reason", "偏差原因分析及改进措施", 24),
]
_TEXT_FIELDS = {"actual", "reason"}
_NUMBER_FIELDS = {"points": "分值", "score": "得分"}


def _blank_result(result: IndicatorResult) -> bool:
    return not (
        result.actual.strip()
        or result.points is not None
        or result.score is not None
        or result.reason.strip()
    )


def _blank_funds(funds: list[EvaluationFunds]) -> bool:
    return all(
        row.initial is None
        and row.full_year is None
        and row.executed is None
        and not (row.rate or "").strip()
        for row in funds
    )


class EvaluationScreen(FollowupScreen):
    """绩效自评 of one project."""

    WHAT = "绩效自评"
    HELP_NAME = "绩效自评"
    TITLE = "绩效自评"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "achieved", "实际完成情况", id="followup.evaluation_achieved"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = DEFAULT_UNIT
        self.achieved = ""
        self.funds: list[EvaluationFunds] = []
        #: The results by indicator position (as the 自评 matches them), and the positions edited here.
        self.results: dict[int, IndicatorResult] = {}
        self.edited: set[int] = set()
        self._summary: EvaluationSummary | None = None

    # -- the working copy -------------------------------------------------------------------------

    def start(self, project: Project) -> None:
        evaluation = project.evaluation
        self.unit = evaluation.unit if evaluation else (money_unit(project.amount_unit) or DEFAULT_UNIT)
        self.achieved = evaluation.achieved if evaluation else ""
        self.funds = (
            [row.model_copy() for row in evaluation.funds]
            if evaluation and evaluation.funds
            else [EvaluationFunds(label=label) for label in FUND_LABELS]
        )
        self.results = dict(result_rows(project))
        self.edited = set()
        self._summary = None

    def _evaluation(self) -> SelfEvaluation | None:
        assert self.base is not None
        original = self.base.evaluation
        kept = original.rows if original else []
        matched = {id(result): index for index, result in result_rows(self.base).items()}
        rows: list[IndicatorResult] = []
        for result in kept:
            index = matched.get(id(result))
            if index is None or index not in self.edited:
                rows.append(result)
            elif not _blank_result(self.results[index]):
                rows.append(self.results[index])
        present = {matched.get(id(result)) for result in kept}
        rows += [
            self.results[index]
            for index in sorted(self.edited - present)
            if index in self.results and not _blank_result(self.results[index])
        ]
        funds = [] if _blank_funds(self.funds) and not (original and original.funds) else self.funds
        if original is None and not rows and not funds and not self.achieved:
            return None
        base = original or SelfEvaluation(unit=self.unit)
        return base.model_copy(
            update={"unit": self.unit, "funds": funds, "rows": rows, "achieved": self.achieved}
        )

    def current(self) -> Project:
        assert self.base is not None
        return self.base.model_copy(update={"evaluation": self._evaluation()})

    def scores(self) -> EvaluationSummary:
        if self._summary is None:
            self._summary = evaluate(self.current(), self.framework)
        return self._summary

    def changed(self) -> None:
        self._summary = None
        super().changed()

    # -- drawing ----------------------------------------------------------------------------------

    def entered_columns(self) -> list[tuple[str, str, int]]:
        return _COLUMNS

    def compose_extra(self) -> ComposeResult:
        yield DataTable(id="followup-funds", cursor_type="cell", zebra_stripes=True)

    def render_extra(self) -> None:
        table: DataTable[Any] = self.query_one("#followup-funds", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        for key, header, width in _FUND_COLUMNS:
            label = f"{header}（{self.unit}）" if key == "label" else header
            table.add_column(label, key=key, width=width)
        table.fixed_columns = 1
        for index, row in enumerate(self.funds):
            table.add_row(
                cell(row.label),
                *(
                    cell(money_text(getattr(row, key), self.unit), right=True)
                    for key in ("initial", "full_year", "executed")
                ),
                cell(row.rate or "", right=True),
                key=str(index),
            )
        table.move_cursor(row=cursor.row, column=max(cursor.column, 1))

    def entered_text(self, row: int, key: str) -> str | Text:
        result = self.results.get(row)
        scored = self.scores().rows[row] if row < len(self.scores().rows) else None
        if key == "computed":
            if scored is None or scored.computed.score is None:
                return Text("—", style="dim")
            return Text(str(scored.computed.score), style="bold" if scored.written is None else "")
        if key == "points":
            if result is not None and result.points is not None:
                return str(result.points)
            if scored is not None and scored.points is not None:
                return Text(f"({scored.points})", style="dim")
            return ""
        if key == "score":
            return str(result.score) if result is not None and result.score is not None else ""
        return getattr(result, key) if result is not None else ""

    def summary(self) -> str:
        name = self.base.name if self.base else ""
        scores = self.scores()
        rate = scores.rate
        rate_text = percent_text(rate.rate) if rate.rate is not None else "—"
        rate_score = "—" if rate.used is None else f"{rate.used}"
        line = f"执行率 {rate_text}（得分 {rate_score}/{rate.points}）· 总分 {scores.total} · 等级 {scores.grade.value}"
        if scores.computed_total != scores.total:
            line += f"（全部按规则计算：{scores.computed_total} {scores.computed_grade.value}）"
        written = scores.written_total
        if written is not None or scores.written_grade:
            line += f" · 表内填写：{written if written is not None else '—'} {scores.written_grade}".rstrip()
        return f"{name} · 年度预算 {self.budget_text()}\n{line}"

    def cursor_note(self, row: int, key: str) -> str:
        scored = self.scores().rows[row] if row < len(self.scores().rows) else None
        if scored is None:
            return ""
        computed = scored.computed
        if computed.score is None and computed.note:
            return f"计算得分：{computed.note}"
        if scored.below_full and not scored.reason.strip():
            return "得分低于分值：请填写偏差原因分析及改进措施"
        return ""

    # -- editing ----------------------------------------------------------------------------------

    def _result(self, row: int) -> IndicatorResult:
        found = self.results.get(row)
        indicator = self.indicators[row]
        return (found or IndicatorResult(row=row)).model_copy(update={"row": row, "level3": indicator.level3})

    def _set(self, row: int, **values: Any) -> None:
        self.results[row] = self._result(row).model_copy(update=values)
        self.edited.add(row)
        self.changed()

    def edit(self, row: int, key: str) -> None:
        indicator = self.indicators[row]
        label = dict((k, h) for k, h, _w in _COLUMNS)[key]
        title = f"第 {row + 1} 行 {indicator.level3 or ''}：{label}"
        result = self.results.get(row)
        if key == "computed":
            self.say("计算得分由评分规则得出；如需改动，请填写“得分”", error=True)
            return
        if key in _TEXT_FIELDS:

            def typed(text: str | None) -> None:
                if text is not None:
                    self._set(row, **{key: text})

            hint = f"指标值：{indicator.value or '—'}；原样保存所填文字"
            self.app.push_screen(FieldPrompt(title, getattr(result, key) if result else "", hint=hint), typed)
            return
        what = _NUMBER_FIELDS[key]

        def numbered(text: str | None) -> None:
            if text is not None:
                self._set(row, **{key: read_number(text, what)})

        current = getattr(result, key) if result else None
        self.app.push_screen(
            FieldPrompt(
                title,
                "" if current is None else str(current),
                hint="空：按规则计算",
                check=lambda t: self._check_number(t, what),
            ),
            numbered,
        )

    @staticmethod
    def _check_number(text: str, what: str) -> None:
        read_number(text, what)

    def clear(self, row: int, key: str) -> None:
        if key == "computed" or row not in self.results:
            return
        value: Any = "" if key in _TEXT_FIELDS else None
        self.results[row] = self._result(row).model_copy(update={key: value})
        self.edited.add(row)

    # -- the funds block --------------------------------------------------------------------------

    @on(DataTable.CellSelected, "#followup-funds")
    def _fund_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        if self.base is None:
            return
        index = int(str(event.cell_key.row_key.value))
        key = str(event.cell_key.column_key.value)
        row = self.funds[index]
        header = dict((k, h) for k, h, _w in _FUND_COLUMNS)[key]
        title = f"{row.label}：{header}"
        if key == "label":
            self.say("行名按自评表的标准格式", error=True)
            return
        if key == "rate":
            self.app.push_screen(
                FieldPrompt(title, row.rate or "", hint="按表内所写填写（如 99.97%）；计算的执行率见下方"),
                lambda text: self._set_fund(index, key, text) if text is not None else None,
            )
            return
        current = getattr(row, key)
        self.app.push_screen(
            FieldPrompt(
                f"{title}（{self.unit}）",
                "" if current is None else str(current),
                hint=f"金额，单位{self.unit}（可写 21.87万、218700元）",
                check=self._check_amount,
            ),
            lambda text: self._set_fund(index, key, text) if text is not None else None,
        )

    def _check_amount(self, text: str) -> None:
        amount = read_amount(text, self.unit)
        try:
            EvaluationFunds(label="检查", initial=amount)
        except ValidationError as exc:
            raise FollowupInputError(f"金额无法保存：{exc.errors()[0]['msg']}") from None

    def _set_fund(self, index: int, key: str, text: str) -> None:
        value: Decimal | str | None
        value = (text or None) if key == "rate" else read_amount(text, self.unit)
        self.funds[index] = self.funds[index].model_copy(update={key: value})
        self.changed()

    def action_achieved(self) -> None:
        if self.base is None:
            return

        def typed(text: str | None) -> None:
            if text is not None:
                self.achieved = text
                self.changed()

        self.app.push_screen(
            FieldPrompt(
                "年度总体目标的实际完成情况", self.achieved, hint=f"绩效目标：{self.base.goal.goal_text[:60]}"
            ),
            typed,
        )
