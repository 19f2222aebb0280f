"""Money in the exports of the sample department, exported through ``perfgoals export``.

The sample's goal tables state no amount, so every project's 年度资金 is inferred (from its cost ceiling,
or for 科普活动 from the procurement table): each export prints it as written (``755.00 元``, not
``0.08`` under 单位：万元) and marks it as inferred.  The 目录's total is 对账's total, and 对账 speaks
the reading layer's verdict words.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfgoals.reading.reconcile import Verdict

PRECISE = "开展科技工作者助力精准扶贫经费"
REVIVAL = "开展科技工作者助力乡村振兴经费"
INFERRED = {"按成本指标推断，待确认", "按政府采购表推断，待确认"}


@dataclass(frozen=True)
class Exported:
    xlsx: Path
    json: Path
    csv: Path


def _run(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PERFGOALS_DB": str(db), "PERFGOALS_USER": "测试员"}
    result = subprocess.run(
        [sys.executable, "-m", "perfgoals", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=environment, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """The sample, with 乡村振兴's ceiling written as central layouts do (``≤21.87`` + 度量单位 ``万元``),
    loaded and exported as a workbook, JSON and CSV."""
    folder = tmp_path_factory.mktemp("sample")
    _run("demo", db=folder / "demo.db", cwd=folder)
    data = json.loads(_run("dump", "-d", "731", "-o", "-", db=folder / "demo.db", cwd=folder).stdout)
    (revival,) = [p for p in data["department"]["projects"] if p["name"] == REVIVAL]
    (ceiling,) = [row for row in revival["goal"]["indicators"] if row["value"] == "≤21.87万元"]
    ceiling.update(value="≤21.87", unit="万元")
    (folder / "sample.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    db = folder / "perfgoals.db"
    _run("load", str(folder / "sample.json"), db=db, cwd=folder)
    paths = Exported(folder / "s.xlsx", folder / "s.json", folder / "s.csv")
    for path in (paths.xlsx, paths.json, paths.csv):
        _run("export", "-d", "731", "-o", str(path), db=db, cwd=folder)
    return paths


@pytest.fixture(scope="module")
def book(exported: Exported) -> Any:
    return openpyxl.load_workbook(exported.xlsx)


_FORMAT = re.compile(r'^#,##0\.00(?:"([^"]*)")?$')


def _shown(cell: Any) -> str:
    """What a money cell prints: its number under the number formats the exporter writes."""
    match = _FORMAT.match(cell.number_format)
    assert match is not None and isinstance(cell.value, (int, float)), (cell.number_format, cell.value)
    rounded = Decimal(repr(cell.value)).quantize(Decimal("0.01"))
    return f"{rounded:,.2f}{match.group(1) or ''}"


def _toc(book: Any) -> tuple[dict[str, tuple[Any, ...]], dict[str, Any]]:
    """The 目录's project rows by name, and its total row's cells."""
    sheet = book["目录"]
    rows = {row[3].value: tuple(row) for row in sheet.iter_rows(min_row=3) if row[0].value is not None}
    (total,) = [row for row in sheet.iter_rows(min_row=3) if row[0].value is None]
    return rows, {label: cell for label, cell in zip([c.value for c in sheet[2]], total, strict=True)}


def _recon(book: Any) -> list[dict[str, Any]]:
    sheet = book["对账"]
    header = [cell.value for cell in sheet[2]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]


def _amount_row(sheet: Any) -> list[Any]:
    """The cells of the 年度资金 row, from its label on."""
    for row in sheet.iter_rows(max_row=10):
        labels = [cell.value for cell in row]
        if "年度资金" in labels:
            return list(row[labels.index("年度资金") :])
    raise AssertionError(f"{sheet.title} has no 年度资金")


def test_toc_and_project_sheet_show_755_yuan(book: Any) -> None:
    rows, _total = _toc(book)
    toc_amount = rows[PRECISE][4]
    assert toc_amount.value == 755 and _shown(toc_amount) == "755.00 元"
    assert rows[PRECISE][5].value == "按成本指标推断，待确认"
    assert _shown(rows[REVIVAL][4]) == "21.87 万元"

    sheet = book[PRECISE]
    assert sheet["A1"].value == f"{PRECISE}绩效目标表"
    assert [cell.value for cell in sheet[2] if cell.value][-1] == "单位：元"
    label, amount, marker = _amount_row(sheet)
    assert label.value == "年度资金" and amount.value == 755 and _shown(amount) == "755.00 元"
    assert marker.value == "（按成本指标推断，待确认）"


def test_every_sample_amount_is_marked_inferred(book: Any) -> None:
    rows, total = _toc(book)
    assert len(rows) == 15
    assert {row[5].value for row in rows.values()} == INFERRED
    assert rows["科普活动"][5].value == "按政府采购表推断，待确认"
    assert total["金额来源"].value == "含推断金额 15 项，待确认"
    meta = book["_perfgoals"]
    sheets = [row[1] for row in meta.iter_rows(min_row=6, values_only=True) if row[0]]
    assert len(sheets) == 15
    for name in sheets:
        _label, amount, marker = _amount_row(book[name])
        assert marker.value.strip("（）") in INFERRED, name
        assert _shown(amount).endswith((" 元", " 万元")), name


def test_toc_total_is_the_reconciliation_total(book: Any) -> None:
    _rows, total = _toc(book)
    recon = _recon(book)
    (department_total,) = [row for row in recon if row["科目编码"] == "合计"]
    # Σ of the fifteen amounts is 444.134752 万元: printed to 0.01, the same figure on both sheets.
    assert _shown(total["预算金额"]) == "444.13 万元" and total["项目名称"].value == "合计（15 个项目）"
    assert total["预算金额"].value == department_total["项目金额合计（万元）"] == 444.13
    assert department_total["项目支出（万元）"] == 444.13 and department_total["差额（万元）"] == 0
    assert department_total["项目数"] == 15 and department_total["结论"] == Verdict.AGREES.value


def test_reconciliation_speaks_the_shared_verdicts_in_printed_figures(book: Any) -> None:
    recon = _recon(book)
    assert {row["结论"] for row in recon} - {None} <= {verdict.value for verdict in Verdict}
    for row in recon:
        for column in ("项目支出（万元）", "项目金额合计（万元）", "差额（万元）"):
            figure = row[column]
            assert figure is None or Decimal(repr(figure)) == Decimal(repr(figure)).quantize(Decimal("0.01"))
        if row["差额（万元）"] is not None:  # what prints adds up as printed
            printed = Decimal(repr(row["项目金额合计（万元）"])) - Decimal(repr(row["项目支出（万元）"]))
            assert Decimal(repr(row["差额（万元）"])) == printed
    lines = {row["科目编码"]: row for row in recon if row["科目编码"]}
    # 2060799: 755 元 + 21.87 万元 = 21.9455 万元 against 21.95: 0.00 printed, the -45 元 said in words.
    other = lines["2060799"]
    assert (other["项目支出（万元）"], other["项目金额合计（万元）"], other["差额（万元）"]) == (21.95, 21.95, 0)
    assert "未取整的差额为 -45.00 元，系各金额分别取整至 0.01 万元所致" in other["说明"]
    assert "取整后差额 0.00" in other["说明"] and "2 个项目的金额为推断，待确认" in other["说明"]
    at = recon.index(other)
    assert [row["科目名称 / 项目名称"] for row in recon[at + 1 : at + 3]] == [PRECISE, REVIVAL]
    assert recon[at + 1]["项目金额合计（万元）"] == 0.08 and "金额 755.00 元" in recon[at + 1]["说明"]
    assert "未取整的差额为 47.52 元，系各金额分别取整至 0.01 万元所致（舍入误差允许 ±750.00 元）" in lines["206"]["说明"]
    assert lines["2060701"]["说明"].startswith("2 个项目的金额为推断")  # 85.29 exactly: nothing hidden
    # 类 and 款 are subtotals of the 项 under them; each project is listed once, under its own line.
    assert lines["206"]["科目名称 / 项目名称"] == "科学技术支出（小计）" and lines["206"]["级次"] == "类"
    assert lines["20607"]["级次"] == "款" and lines["20607"]["项目数"] == 15
    # Each line's 项目支出 is the budget table's own figure (the 项 add up to 444.14: the table's rounding).
    published = {code: lines[code]["项目支出（万元）"] for code in ("206", "20607", "2060701", "2060702", "2060705", "2060799")}
    assert published == {
        "206": 444.13, "20607": 444.13, "2060701": 85.29, "2060702": 212, "2060705": 124.9, "2060799": 21.95,
    }  # fmt: skip
    assert len([row for row in recon if row["级次"] == "项目"]) == 15


def test_summary_reads_a_unit_column_as_money(book: Any) -> None:
    sheet = book["汇总"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    (ceiling,) = [row for row in rows if row["项目名称"].value == REVIVAL and row["度量单位"].value == "万元"]
    assert ceiling["指标值"].value == "≤21.87"
    assert (ceiling["指标值类型"].value, ceiling["指标值解读"].value) == ("金额", "≤ 21.87 万元")
    precise = next(row for row in rows if row["项目名称"].value == PRECISE)
    assert _shown(precise["预算金额"]) == "755.00 元" and precise["金额单位"].value == "元"
    assert precise["预算金额（万元）"].value == pytest.approx(0.0755)
    assert precise["预算金额（万元）"].number_format == "#,##0.00####"  # 0.0755, never 0.08
    assert precise["金额来源"].value == "按成本指标推断，待确认"
    assert {row["金额来源"].value for row in rows} == INFERRED


def test_json_and_csv_carry_the_amount_as_written_and_its_source(exported: Exported) -> None:
    data = json.loads(exported.json.read_text(encoding="utf-8"))
    projects = {project["name"]: project for project in data["departments"][0]["projects"]}
    precise = projects[PRECISE]
    assert (precise["budget_amount"], precise["amount_unit"], precise["budget_amount_wan"]) == ("755", "元", "0.0755")
    assert precise["amount_source"] == "cost_indicator" and precise["amount_inferred"] is True
    assert precise["amount_source_label"] == "按成本指标推断，待确认"
    assert precise["budget_amount_text"] == "755.00 元（按成本指标推断，待确认）"
    assert projects["科普活动"]["amount_source_label"] == "按政府采购表推断，待确认"
    (ceiling,) = [row for row in projects[REVIVAL]["indicators"] if row["unit"] == "万元"]
    assert ceiling["value"] == "≤21.87"
    assert (ceiling["parsed"]["kind"], ceiling["parsed"]["amount_wan"]) == ("money", "21.87")
    assert ceiling["parsed"]["reading"] == "≤ 21.87 万元"

    rows = list(csv.DictReader(exported.csv.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 91
    first = next(row for row in rows if row["项目名称"] == PRECISE)
    assert (first["预算金额"], first["金额单位"], first["预算金额（万元）"]) == ("755", "元", "0.0755")
    assert first["金额来源"] == "按成本指标推断，待确认"
    assert {row["金额来源"] for row in rows} == INFERRED
    (csv_ceiling,) = [row for row in rows if row["项目名称"] == REVIVAL and row["度量单位"] == "万元"]
    assert (csv_ceiling["指标值类型"], csv_ceiling["指标值解读"]) == ("金额", "≤ 21.87 万元")
