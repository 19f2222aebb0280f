"""The XlsxWriter internals perfgoals relies on live in perfgoals/export/render.py, and each is still there
in the installed XlsxWriter: an upgrade that removes one fails here, naming it, not in an export."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from perfgoals.export import render

ROOT = Path(__file__).resolve().parent.parent


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_the_installed_xlsxwriter_is_in_the_tested_range() -> None:
    low, high = (_version(bound) for bound in render.TESTED_RANGE)
    assert low <= _version(xlsxwriter.__version__) < high, (
        f"XlsxWriter {xlsxwriter.__version__} is outside the range perfgoals/export/render.py was checked "
        f"against ({','.join(render.TESTED_RANGE)}): run this test on it, then widen the range"
    )


def test_pyproject_pins_xlsxwriter_to_that_range() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    (pin,) = [d for d in dependencies if d.lower().startswith("xlsxwriter")]
    assert pin.replace(" ", "").lower() == "xlsxwriter" + ",".join(render.TESTED_RANGE)


@pytest.mark.parametrize("name", render.PRIVATE_METHODS)
def test_every_private_method_is_still_there(name: str) -> None:
    assert callable(getattr(Worksheet, name, None)), f"XlsxWriter {xlsxwriter.__version__} has no Worksheet.{name}"


@pytest.mark.parametrize("name", render.PRIVATE_ATTRIBUTES)
def test_every_private_attribute_is_still_set(name: str, tmp_path: Path) -> None:
    workbook = Workbook(str(tmp_path / "probe.xlsx"), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "甲")
    sheet.write_string(1, 0, "乙")  # flushes row 0: the row file and previous_row exist
    try:
        assert hasattr(sheet, name), f"XlsxWriter {xlsxwriter.__version__} no longer sets Worksheet.{name}"
    finally:
        workbook.close()


def test_no_other_module_calls_xlsxwriters_private_methods() -> None:
    pattern = re.compile(r"\.(" + "|".join(map(re.escape, render.PRIVATE_METHODS)) + r")\b")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "perfgoals").rglob("*.py")
        if path.name != "render.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []
