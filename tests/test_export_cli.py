"""``perfgoals export`` run as a subprocess on a real database."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from perfgoals.documents import dump_document
from tests.test_export_data import sample_department


@pytest.fixture
def loaded(cli, tmp_path: Path):  # type: ignore[no-untyped-def]
    for code in ("731", "732"):
        document = tmp_path / f"{code}.json"
        document.write_text(dump_document(sample_department(code)), encoding="utf-8")
        result = cli("load", str(document))
        assert result.code == 0, result.stderr
    return cli


def _only(folder: Path, pattern: str) -> Path:
    files = sorted(folder.glob(pattern))
    assert len(files) == 1, files
    return files[0]


def test_default_xlsx_goes_to_exports_folder(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    work = tmp_path / "work"
    work.mkdir()
    result = loaded("export", "-d", "731", cwd=work)
    assert result.code == 0, result.stderr
    path = _only(work / "exports", "731-2022-*.xlsx")
    assert path.name[len("731-2022-") :].replace("-", "").removesuffix(".xlsx").isdigit()
    assert "已导出 1 个部门、4 个项目、14 行绩效指标" in result.stdout and str(path) in result.stdout
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:4] == ["目录", "汇总", "对账", "问题"]
    # The checks ran: findings are listed, and 目录 counts the open ones per project.
    findings = list(book["问题"].iter_rows(min_row=3, values_only=True))
    assert findings and all(row[0].startswith("PG") for row in findings)
    toc_rows = list(book["目录"].iter_rows(min_row=3, values_only=True))
    toc = {row[3]: row for row in toc_rows if row[0] is not None}
    open_by_project: dict[str, int] = {}
    for row in findings:
        if row[3] and row[7] == "未处理":
            open_by_project[row[3]] = open_by_project.get(row[3], 0) + 1
    assert len(toc) == 4
    for name, row in toc.items():
        assert row[7] == open_by_project.get(name, 0)
    # The department's total row counts them all.
    (total,) = [row for row in toc_rows if row[0] is None]
    assert total[3] == "合计（4 个项目）" and total[7] == sum(open_by_project.values())


def test_project_export_by_name(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = loaded("export", "-d", "732", "--project", "科普活动", "-o", str(tmp_path / "one.xlsx"))
    assert result.code == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "one.xlsx")
    assert book.sheetnames == ["_perfgoals", "科普活动"]
    assert book["_perfgoals"]["C6"].value == "732"


def test_all_departments(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = loaded("export", "--all-departments", "--skip-checks", "-o", str(tmp_path / "out") + "/")
    assert result.code == 0, result.stderr
    path = _only(tmp_path / "out", "全部部门-2022-*.xlsx")
    book = openpyxl.load_workbook(path)
    assert {"731 科普活动", "732 科普活动"} <= set(book.sheetnames)
    assert book["汇总"].max_row == 1 + 28


def test_csv_has_bom_and_every_row(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = loaded("export", "-d", "731", "--format", "csv", "-o", str(tmp_path / "rows.csv"))
    assert result.code == 0, result.stderr
    raw = (tmp_path / "rows.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 14
    assert rows[0]["项目名称"] == "科普活动" and rows[0]["指标值"] == "≥6期" and rows[0]["预算金额（万元）"] == "65.61"
    dangerous = [row for row in rows if row["项目名称"].startswith("'=HYPERLINK")]
    assert len(dangerous) == 2 and dangerous[0]["指标值确定依据"] == "'=A1*2"
    raw_result = loaded("export", "-d", "731", "-o", str(tmp_path / "raw.csv"), "--raw-csv")
    assert raw_result.code == 0
    raw_rows = list(csv.DictReader((tmp_path / "raw.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [row["指标值"] for row in raw_rows if row["项目名称"] == '=HYPERLINK("http://x")[危险]'] == ["@SUM(A1)", "=2"]


def test_json_structure(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = loaded("export", "-d", "731", "-o", str(tmp_path / "data.json"))
    assert result.code == 0, result.stderr
    data = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert data["format"] == "perfgoals/indicators"
    (department,) = data["departments"]
    assert (department["code"], department["year"]) == ("731", 2022)
    long = department["projects"][1]
    assert long["budget_amount"] == "228500" and long["amount_unit"] == "元" and long["budget_amount_wan"] == "22.85"
    first = department["projects"][0]["indicators"][4]
    assert first["value"] == "≤65.61万元" and first["parsed"]["kind"] == "money"
    assert first["parsed"]["amount_wan"] == "65.61" and first["row"] == 5
    assert department["projects"][3]["indicators"][0]["weight"] == "12.50"


def test_errors_are_clear_and_leave_nothing(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = loaded("export", "-d", "731", "--project", "不存在的项目", "-o", str(tmp_path / "x.xlsx"))
    assert result.code == 2 and "没有名为“不存在的项目”的项目" in result.stderr
    result = loaded("export", "-d", "731", "--project", "科", "-o", str(tmp_path / "x.xlsx"))
    assert result.code == 2 and "多个项目" in result.stderr
    result = loaded("export", "-d", "999", "-o", str(tmp_path / "x.xlsx"))
    assert result.code == 2 and "999" in result.stderr
    result = loaded("export", "--all-departments", "-d", "731")
    assert result.code == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_round_trip_through_import_command(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert loaded("export", "-d", "731", "-o", str(tmp_path / "a.xlsx"), "--skip-checks").code == 0
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    book["科普活动"]["E7"] = "23人"
    book.save(tmp_path / "a.xlsx")
    result = loaded("import", str(tmp_path / "a.xlsx"))
    assert result.code == 0, result.stderr
    assert "科普活动" in result.stdout
    dumped = loaded("dump", "-d", "731", "-o", "-")
    data = json.loads(dumped.stdout)
    assert data["department"]["projects"][0]["goal"]["indicators"][1]["value"] == "23人"
    assert data["department"]["projects"][0]["goal"]["revision"] == 2


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (("-o", "book.xlsx", "--pdf"), ".xlsx，与导出格式 pdf 不符"),
        (("-o", "data.json", "--format", "csv"), ".json，与导出格式 csv 不符"),
        (("--kind", "自评", "-o", "self.pdf", "--format", "xlsx"), ".pdf，与导出格式 xlsx 不符"),
    ],
)
def test_an_output_name_that_says_another_format_is_refused(loaded, tmp_path: Path, arguments, named) -> None:  # type: ignore[no-untyped-def]
    # A PDF written under book.xlsx would open as a broken workbook: refused before anything is written.
    target = tmp_path / arguments[arguments.index("-o") + 1]
    given = [str(target) if argument == target.name else argument for argument in arguments]
    result = loaded("export", "-d", "732", *given)
    assert result.code == 2 and named in result.stderr, result.stderr
    assert not target.exists()
