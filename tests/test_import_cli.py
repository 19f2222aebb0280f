"""``perfgoals import`` through the real command line: reports, re-import, --replace, --dry-run, bad input."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document as new_document

from tests.test_import import SAMPLE, SAMPLE_TEXT, build_docx

SAMPLE_LINES = SAMPLE_TEXT.text.splitlines()


def _dump(cli, tmp_path: Path, name: str = "dump.json") -> dict:  # type: ignore[no-untyped-def]
    out = tmp_path / name
    result = cli("dump", "-o", str(out))
    assert result.code == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _department_count(cli) -> int:  # type: ignore[no-untyped-def]
    listed = cli("list")
    assert listed.code == 0, listed.stderr
    return len([line for line in listed.stdout.splitlines() if line.strip() and "\t" in line])


def test_import_report_reimport_edits_and_replace(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", str(SAMPLE))
    assert result.code == 0, result.stderr
    assert "已导入 731 张家口市科学技术协会（2022 年）" in result.stdout
    assert "20 个功能科目、15 个项目、91 行绩效指标" in result.stdout
    asset_line = SAMPLE_LINES.index("\t张家口市科学技术协会固定资产占用情况表") + 1
    assert f"第 {asset_line} 行：未识别的表格「张家口市科学技术协会固定资产占用情况表」" in result.stdout
    assert "老科学工作者协会工作经费 → 2060701" in result.stdout
    imported = _dump(cli, tmp_path, "imported.json")
    assert len(imported["department"]["projects"]) == 15
    assert {p["line_link"] for p in imported["department"]["projects"]} == {"suggested"}

    again = cli("import", str(SAMPLE))
    assert again.code == 0, again.stderr
    assert "没有变化" in again.stdout
    assert cli("history").stdout.count("导入") == 1

    # Someone edits an indicator value and the owner of 科普活动 after the import.
    edited = json.loads(json.dumps(imported))
    project = next(p for p in edited["department"]["projects"] if p["name"] == "科普活动")
    project["goal"]["indicators"][2]["value"] = "≥99%"
    project["owner"] = "张三"
    edited_file = tmp_path / "edited.json"
    edited_file.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    assert cli("load", str(edited_file)).code == 0
    edited_state = _dump(cli, tmp_path, "edited-state.json")
    assert edited_state != imported

    blocked = cli("import", str(SAMPLE))
    assert blocked.code != 0
    assert "--replace" in blocked.stderr
    assert "科普活动（负责人；第 3 行指标值）" in blocked.stdout
    assert _dump(cli, tmp_path, "after-blocked.json") == edited_state  # nothing was written

    replaced = cli("import", "--replace", str(SAMPLE))
    assert replaced.code == 0, replaced.stderr
    assert "已替换" in replaced.stdout and "科普活动" in replaced.stdout
    replaced_state = _dump(cli, tmp_path, "replaced.json")
    # The same content, with revisions past every one before (a reload never moves a revision back).
    revisions = [p["goal"].pop("revision") for p in replaced_state["department"]["projects"]]
    earlier = [p["goal"].pop("revision") for p in json.loads(json.dumps(edited_state))["department"]["projects"]]
    assert min(revisions) > max(earlier)
    for p in imported["department"]["projects"]:
        p["goal"].pop("revision")
    assert replaced_state == imported


def test_dry_run_writes_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "--dry-run", str(SAMPLE))
    assert result.code == 0, result.stderr
    assert "将导入 731 张家口市科学技术协会" in result.stdout and "试运行" in result.stdout
    assert _department_count(cli) == 0


def test_docx_import_through_the_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "张家口市科协2022年部门预算.docx"
    path.write_bytes(build_docx(SAMPLE_TEXT.text))
    result = cli("import", str(path))
    assert result.code == 0, result.stderr
    assert "20 个功能科目、15 个项目、91 行绩效指标" in result.stdout
    # The same department as from the text: importing the text now changes nothing.
    again = cli("import", str(SAMPLE))
    assert again.code == 0 and "没有变化" in again.stdout


def test_gbk_text_file_is_read(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE_TEXT.text.replace("•", "·").encode("gbk"))
    result = cli("import", str(path))
    assert result.code == 0, result.stderr
    assert "按 GBK/GB18030 编码读取" in result.stdout and "15 个项目" in result.stdout


def _small_docx() -> bytes:
    document = new_document()
    document.add_paragraph("部门预算收支总表")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "731某部门"
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _bad_goal_table() -> str:
    lines = list(SAMPLE_LINES)
    header = lines.index("3、科普活动绩效目标表") + 6
    del lines[header + 4]  # the 指标值 column header
    return "\n".join(lines)


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("report.docx", "这只是一段文字，不是 Word 文件。".encode(), r"扩展名是 \.docx，但内容不是 Word 文档（是文本文件）"),
    ("report.txt", b"%PDF-1.7\n" + b"\x00" * 64, r"扩展名是文本文件，但内容不是文本（是 PDF 文件）"),
    ("truncated.docx", _small_docx()[:3000], r"Word 文件已损坏或不完整"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"),
     r"文件已加密"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, r"旧版 Word 97-2003"),
    ("notes.txt", "一段说明。\n\t只有\n\t一个表\n".encode(), r"没有找到可识别的预算表或绩效目标表"),
    ("bad-goal.txt", _bad_goal_table().encode(), r"「3、科普活动绩效目标表」第 \d+ 行：缺少“指标值”列"),
    ("scan.pdf", b"%PDF-1.4", r"不支持的文件类型“\.pdf”（PDF 中的表格无法可靠读取"),
    ("old.doc", b"\xd0\xcf\x11\xe0", r"不支持的文件类型“\.doc”（旧版 Word 97-2003 文件，请在 Word 中另存为 \.docx"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_input_is_refused_naming_the_file(cli, tmp_path: Path, name: str, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("import", str(path))
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("错误："), result.stderr
    assert str(path) in result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert not (tmp_path / "cli.db").exists()  # refused before the database was even opened


def test_huge_file_is_refused_before_reading(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    result = cli("import", str(path))
    assert result.code == 2
    assert str(path) in result.stderr and "200 MB" in result.stderr and "超过导入上限" in result.stderr


def test_missing_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", str(tmp_path / "nowhere.txt"))
    assert result.code == 2 and "nowhere.txt：无法读取" in result.stderr


def test_one_bad_file_means_nothing_is_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_text(SAMPLE_TEXT.text.replace("\t409.91\n", "\t4O9.91\n", 1), encoding="utf-8")
    result = cli("import", str(SAMPLE), str(bad))
    assert result.code == 2
    assert "bad.txt" in result.stderr and "4O9.91" in result.stderr and "部门预算收入总表" in result.stderr
    assert not (tmp_path / "cli.db").exists()


def test_the_same_department_twice_in_one_import(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SAMPLE.read_bytes())
    result = cli("import", str(SAMPLE), str(copy))
    assert result.code == 2 and "同一部门年度" in result.stderr
    assert not (tmp_path / "cli.db").exists()


def test_xlsx_goes_to_the_workbook_importer(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    workbook = Workbook()
    workbook.active["A1"] = "不是 perfgoals 导出的工作簿"
    workbook.save(path)
    result = cli("import", str(path))
    assert result.code == 2
    assert "other.xlsx" in result.stderr


@pytest.mark.pg
def test_import_and_reimport_on_postgresql(cli, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    first = cli("import", str(SAMPLE), db=pg_url)
    assert first.code == 0, first.stderr
    assert "15 个项目" in first.stdout
    again = cli("import", str(SAMPLE), db=pg_url)
    assert again.code == 0 and "没有变化" in again.stdout, again.stdout + again.stderr


def test_exported_workbook_imports_back_unchanged(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    workbook = tmp_path / "out.xlsx"
    exported = cli("export", "-o", str(workbook))
    assert exported.code == 0, exported.stderr
    before = _dump(cli, tmp_path, "before.json")
    result = cli("import", str(workbook))
    assert result.code == 0, result.stderr
    assert str(workbook) in result.stdout
    assert _dump(cli, tmp_path, "after.json") == before


def test_a_workbook_into_a_database_without_its_department_creates_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An export taken to another database used to report “15 个项目未改动” having written nothing; the
    department-year is now created whole from the dump the workbook carries, and said so."""
    source, empty = str(tmp_path / "source.db"), str(tmp_path / "empty.db")
    assert cli("demo", db=source).code == 0
    assert cli("export", "--skip-checks", "-o", str(tmp_path / "s.xlsx"), db=source).code == 0
    result = cli("import", str(tmp_path / "s.xlsx"), db=empty)
    assert result.code == 0, result
    assert "新建部门年度" in result.stdout and "731 张家口市科学技术协会（2022 年，15 个项目、91 行指标" in result.stdout
    assert "未改动" not in result.stdout
    assert cli("dump", "-o", str(tmp_path / "a.json"), db=source).code == 0
    assert cli("dump", "-o", str(tmp_path / "b.json"), db=empty).code == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
