"""CSV and JSON exports through the core functions (the CLI tests cover the command)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfgoals.export import ExportError, write_csv, write_json
from perfgoals.export.files import default_output_path
from perfgoals.models import GoalTable, Indicator, Project
from tests.test_export_data import sample_department


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_csv_guards_formulas_but_not_numbers(tmp_path: Path) -> None:
    project = Project(
        name="符号",
        budget_amount=Decimal("5.00"),  # amounts are never negative; figures in cells may be
        goal=GoalTable(indicators=[Indicator(level3="-5", value="-3.5", basis="@备注", description="+1次")]),
    )
    department = sample_department().model_copy(update={"projects": [project]})
    write_csv(tmp_path / "a.csv", [department])
    (row,) = _rows(tmp_path / "a.csv")
    assert (row["三级指标"], row["指标值"], row["预算金额（万元）"]) == ("-5", "-3.5", "5.00")
    assert (row["指标值确定依据"], row["绩效指标描述"]) == ("'@备注", "'+1次")
    write_csv(tmp_path / "b.csv", [department], excel_safe=False)
    assert _rows(tmp_path / "b.csv")[0]["指标值确定依据"] == "@备注"
    assert (tmp_path / "b.csv").read_bytes().count(b"\r\n") == 2


def test_json_streams_several_departments(tmp_path: Path) -> None:
    seen: list[int] = []
    summary = write_json(
        tmp_path / "a.json", (sample_department(code) for code in ("731", "732")),
        progress=lambda done, _total: seen.append(done),
    )  # fmt: skip
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert [d["code"] for d in data["departments"]] == ["731", "732"]
    assert summary.indicator_rows == 28 and seen == list(range(1, 9))
    kepu = data["departments"][0]["projects"][0]
    assert kepu["name"] == "科普活动" and kepu["indicators"][0]["parsed"]["reading"] == "≥ 6 期"


def test_nothing_to_export_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        write_csv(tmp_path / "a.csv", [])
    with pytest.raises(ExportError):
        write_json(tmp_path / "a.json", [])
    assert list(tmp_path.iterdir()) == []


def test_default_names_never_clobber(tmp_path: Path) -> None:
    from datetime import datetime

    now = datetime(2026, 11, 27, 1, 30)
    first = default_output_path(directory=tmp_path, department="731", year=2022, extension="xlsx", now=now)
    assert first.name == "731-2022-20261127-0130.xlsx"
    first.write_bytes(b"x")
    second = default_output_path(directory=tmp_path, department="731", year=2022, extension="xlsx", now=now)
    assert second.name == "731-2022-20261127-0130-2.xlsx"
    named = default_output_path(
        directory=tmp_path, department="731", year=2022, extension="csv", project="a/b:c", now=now
    )
    assert named.name == "731-2022-a_b_c-20261127-0130.csv"


def test_files_get_ordinary_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from perfgoals.export import write_workbook

    mask = os.umask(0o022)
    try:
        write_csv(tmp_path / "a.csv", [sample_department()])
        write_workbook(tmp_path / "a.xlsx", [sample_department()], findings=lambda _d: [])
    finally:
        os.umask(mask)
    for name in ("a.csv", "a.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
