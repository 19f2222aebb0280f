"""Hostile input: every malformed or oversized file ends in one clear message (what and where), a
non-zero exit and nothing written; nothing raises, hangs or eats memory.

A corpus of cases, each a file made here with the message it must give.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfgoals.documents import dump_document
from perfgoals.importers import demo_department


def _document(**department: object) -> str:
    body = {"code": "1", "name": "测试部门", "year": 2022, **department}
    return json.dumps({"meta": {"format": "perfgoals/department", "format_version": 1}, "department": body})


LOAD_CASES: list[tuple[str, str | bytes, list[str]]] = [
    ("deeply-nested", "[" * 100_000 + "]" * 100_000, ["嵌套超过 64 层"]),
    ("huge-integer",
     '{"meta":{"format":"perfgoals/department","format_version":1},"department":{"code":"1","name":"x","year":'
     + "9" * 5000 + "}}", ["5000 位"]),
    ("future-version", json.dumps({"meta": {"format": "perfgoals/department", "format_version": 9},
                                   "department": {}}), ["较新版本", "格式版本 9"]),
    ("amount-overflow", _document(projects=[{"name": "甲", "budget_amount": "1e999999999"}]),
     ["projects[0].budget_amount", "超过上限"]),
    ("four-hundred-digits", _document(projects=[{"name": "甲", "budget_amount": "1" * 400}]), ["超过上限"]),
    ("negative-amount", _document(projects=[{"name": "甲", "budget_amount": "-5"}]), ["不能为负数"]),
    ("huge-weight", _document(projects=[{"name": "甲", "goal": {"indicators": [{"weight": "1e300"}]}}]),
     ["weight"]),
    ("every-problem-at-once", _document(projects=[{"name": ""}, {"name": "乙", "budget_amount": "-1"}]),
     ["2 处", "projects[0].name 不能为空", "projects[1].budget_amount 不能为负数"]),
    ("not-json", "{这不是 JSON", ["第 1 行第 2 列"]),
    ("not-utf8", "部门".encode("gbk"), ["不是 UTF-8"]),
]


@pytest.mark.parametrize(("name", "content", "words"), LOAD_CASES, ids=[case[0] for case in LOAD_CASES])
def test_load_refuses_a_hostile_document_with_one_clear_message(
    cli, tmp_path: Path, name: str, content: str | bytes, words: list[str]  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = cli("load", str(path))
    assert result.code == 2, result.stdout + result.stderr
    assert result.stderr.startswith("错误：") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert cli("list").stdout.strip().startswith("数据库中还没有部门")  # nothing written


@pytest.mark.parametrize("command", ["load", "import"])
def test_a_pipe_or_a_device_is_refused_not_read_forever(cli, tmp_path: Path, command: str) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / ("pipe.json" if command == "load" else "pipe.txt")
    os.mkfifo(fifo)
    result = cli(command, str(fifo))
    assert result.code == 2 and "不是普通文件" in result.stderr
    device = cli(command, "/dev/zero")
    assert device.code == 2 and "不是普通文件" in device.stderr


def test_one_bad_file_among_several_loads_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.json"
    good.write_text(dump_document(demo_department()), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = cli("load", str(good), str(bad))
    assert result.code == 2 and "bad.json" in result.stderr
    assert cli("list").stdout.strip().startswith("数据库中还没有部门")


# --- workbooks --------------------------------------------------------------------------------------
@pytest.fixture
def exported(cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    path = tmp_path / "sample.xlsx"
    assert cli("export", "-o", str(path)).code == 0
    return path


def _edited(exported: Path, tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    book = openpyxl.load_workbook(exported)
    edit(book)
    path = tmp_path / "edited.xlsx"
    book.save(path)
    return path


def test_a_far_away_cell_is_refused_before_the_workbook_is_opened(cli, exported: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def far(book) -> None:  # type: ignore[no-untyped-def]
        book.worksheets[5]["XFD1048576"] = "x"

    path = _edited(exported, tmp_path, far)
    assert path.stat().st_size < 200_000
    result = cli("import", str(path))
    assert result.code == 2
    assert "XFD1048576" in result.stderr and "多余的单元格" in result.stderr
    assert "Traceback" not in result.stderr


def test_formula_cells_are_named_and_refused(cli, exported: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def formulas(book) -> None:  # type: ignore[no-untyped-def]
        sheet = book.worksheets[5]
        sheet["E9"] = "=1+1"
        sheet["F9"] = "=E9"

    result = cli("import", str(_edited(exported, tmp_path, formulas)))
    assert result.code == 2
    assert "E9、F9 是公式" in result.stderr


def test_an_external_link_is_refused(cli, exported: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    linked = tmp_path / "linked.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(linked, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    result = cli("import", str(linked))
    assert result.code == 2 and "外部链接" in result.stderr


def test_a_department_code_never_leads_an_export_out_of_its_folder(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    department = demo_department()
    department.code = "../../x"
    source = tmp_path / "climb.json"
    source.write_text(dump_document(department), encoding="utf-8")
    assert cli("load", str(source)).code == 0
    work = tmp_path / "work"
    work.mkdir()
    result = cli("export", cwd=work)
    assert result.code == 0, result.stderr
    written = [path for path in tmp_path.rglob("*.xlsx")]
    assert written and all(path.parent == work / "exports" for path in written), written
