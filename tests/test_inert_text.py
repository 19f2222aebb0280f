"""Text is inert: control and escape characters typed into names and values are stored as typed, and
shown as visible signs on every screen and in every export; a workbook read back restores them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals.documents import dump_document
from perfgoals.importers import demo_department
from perfgoals.text import is_inert, restore_controls, visible

#: What must never reach a terminal or a workbook raw: C0 controls but tab and newline, DEL, C1, bidi.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
HOSTILE_NAME = "精准\x0b扶贫\x1b]0;已被接管\x07经费\u202e"
HOSTILE_VALUE = "≥1次\x1b[2J\r"


def test_visible_shows_every_unsafe_character_and_restore_undoes_it() -> None:
    shown = visible(HOSTILE_NAME)
    assert UNSAFE.search(shown) is None and "␛" in shown and "␋" in shown and "<U+202E>" in shown
    assert restore_controls(shown) == HOSTILE_NAME
    assert visible("普通文字\n第二行\t制表") == "普通文字\n第二行\t制表"
    assert visible("名称\n", one_line=True) == "名称␊"
    assert is_inert("≥95%") and not is_inert(HOSTILE_VALUE)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="<\u2400\u2401\u2402\u241b\u2421",
                                      blacklist_categories=("Cs",))))
def test_any_text_is_made_inert_and_comes_back(text: str) -> None:
    shown = visible(text)
    assert UNSAFE.search(shown) is None
    assert restore_controls(shown) == text


def _hostile_department():  # type: ignore[no-untyped-def]
    department = demo_department()
    project = department.projects[0]
    project.name = HOSTILE_NAME
    project.goal.indicators[0].value = HOSTILE_VALUE
    department.name = "张家口市\x1b[31m科学技术协会"
    return department


def test_the_command_line_shows_typed_controls_as_signs_and_stores_them_as_typed(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "hostile.json"
    source.write_text(dump_document(_hostile_department()), encoding="utf-8")
    assert cli("load", str(source)).code == 0
    for args in (("check",), ("list",), ("history",), ("check", "--show-accepted")):
        result = cli(*args)
        assert result.code in (0, 1), result.stderr
        assert UNSAFE.search(result.stdout) is None, args
        assert UNSAFE.search(result.stderr) is None, args
    shown = cli("check").stdout
    assert "精准␋扶贫␛]0;已被接管␇经费<U+202E>" in shown and "“≥1次␛[2J”" in shown
    # Stored as typed: the dump (data for programs) gives the characters back exactly.
    dumped = tmp_path / "dumped.json"
    assert cli("dump", "-o", str(dumped)).code == 0
    document = json.loads(dumped.read_text(encoding="utf-8"))
    assert document["department"]["projects"][0]["name"] == HOSTILE_NAME
    assert document["department"]["projects"][0]["goal"]["indicators"][0]["value"] == HOSTILE_VALUE


def test_exports_show_the_signs_and_a_workbook_comes_back_unchanged(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "hostile.json"
    source.write_text(dump_document(_hostile_department()), encoding="utf-8")
    assert cli("load", str(source)).code == 0
    workbook = tmp_path / "out.xlsx"
    assert cli("export", "-o", str(workbook)).code == 0
    book = openpyxl.load_workbook(workbook)  # readable: nothing raw in its XML
    cells = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)]
    assert any("精准␋扶贫␛]0;已被接管␇经费<U+202E>" in text for text in cells)
    assert all(UNSAFE.search(text) is None for text in cells)
    reimported = cli("import", str(workbook))
    assert reimported.code == 0, reimported.stderr
    assert "更新 0 个项目" in reimported.stdout
    csv = tmp_path / "out.csv"
    assert cli("export", "--format", "csv", "-o", str(csv)).code == 0
    assert UNSAFE.search(csv.read_text(encoding="utf-8-sig")) is None
