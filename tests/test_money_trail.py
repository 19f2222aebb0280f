"""The money trail holds on every path in: each break of each project is an error naming it and its line.

For the sample (every amount inferred, as its import leaves it), the sample with split unit columns, and
synthetic departments of both kinds (amounts inferred from the ceilings, amounts entered), every project
is broken each way (:mod:`tests.money_trail`) and brought in through the command line: ``load`` of an
edited dump, ``import`` of an edited disclosure (text and Word), and ``rollover``.  The workbook and the
TUI channels are tested with their own modules (``test_export_*``, ``test_tui_money_*``).  The unchanged
data gives no error on every path.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from perfgoals.documents import dump_document
from perfgoals.importers import SAMPLE_RESOURCE, demo_department
from perfgoals.models import AmountSource, Department, LinkStatus
from perfgoals.scale import generate_department
from tests.money_trail import CEILING_KINDS, KINDS, Break, apply, split_units, variants

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TEXT = (ROOT / "perfgoals" / SAMPLE_RESOURCE).read_text(encoding="utf-8")


def _findings_by_department(cli, *args: str) -> tuple[int, dict[str, list[dict]]]:  # type: ignore[no-untyped-def]
    checked = cli("check", "--all-departments", "--format", "json", *args)
    assert checked.code in (0, 1), checked.stderr
    grouped: dict[str, list[dict]] = defaultdict(list)
    for finding in json.loads(checked.stdout or "[]"):
        grouped[finding["department"]].append(finding)
    return checked.code, grouped


class _Finding:
    """A JSON finding read back as :meth:`Break.found_in` reads a Finding."""

    def __init__(self, data: dict) -> None:  # type: ignore[type-arg]
        self.severity = type("S", (), {"value": data["severity"]})()
        self.accepted = data["accepted"]
        self.message = data["message"]
        self.location = type("L", (), {"project": data["project"], "budget_line": data.get("budget_line")})()


def _missed(expected: dict[str, Break], findings: dict[str, list[dict]]) -> list[str]:
    return [
        f"{code}: {found.kind} {found.project}"
        for code, found in expected.items()
        if not found.found_in([_Finding(f) for f in findings.get(code, [])])  # type: ignore[arg-type]
    ]


def _errors(findings: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [f"{f['code']} {f['message']}" for f in findings if f["severity"] == "error" and not f["accepted"]]


def _synthetic(index: int) -> Department:
    department, _ = generate_department(index, year=2022, seed=11, plant_errors=False)
    return department


def _write_variants(tmp_path: Path, department: Department, kinds: tuple[str, ...] = KINDS) -> dict[str, Break]:
    expected: dict[str, Break] = {}
    for variant, found in variants(department, kinds):
        (tmp_path / f"{variant.code}.json").write_text(dump_document(variant), encoding="utf-8")
        expected[variant.code] = found
    return expected


# --------------------------------------------------------------------------------------- load
def test_the_bases_have_the_shapes_real_imports_produce() -> None:
    sample = demo_department()
    assert all(p.amount_source is not AmountSource.ENTERED for p in sample.projects)
    assert all(p.line_link is LinkStatus.SUGGESTED for p in sample.projects)
    inferred, entered = _synthetic(1), _synthetic(2)
    assert {p.amount_source for p in inferred.projects} == {AmountSource.COST_INDICATOR}
    assert {p.line_link for p in inferred.projects} == {LinkStatus.SUGGESTED}
    assert {p.amount_source for p in entered.projects} == {AmountSource.ENTERED}
    split = split_units(sample)
    assert all(any(row.unit in ("万元", "元") for row in p.goal.indicators) for p in split.projects)


@pytest.mark.parametrize(
    "base",
    [
        pytest.param(demo_department, id="sample"),
        pytest.param(lambda: split_units(demo_department()), id="sample-split-unit-column"),
        pytest.param(lambda: _synthetic(1), id="synthetic-inferred"),
        pytest.param(lambda: _synthetic(2), id="synthetic-entered"),
    ],
)
def test_every_break_loaded_from_an_edited_dump_is_an_error_naming_the_project(cli, tmp_path: Path, base) -> None:  # type: ignore[no-untyped-def]
    department = base()
    (tmp_path / "base.json").write_text(dump_document(department), encoding="utf-8")
    expected = _write_variants(tmp_path, department)
    assert len(expected) >= 4 * len(department.projects)
    files = sorted(str(path) for path in tmp_path.glob("*.json"))
    loaded = cli("load", *files)
    assert loaded.code == 0, loaded.stderr
    code, findings = _findings_by_department(cli)
    assert code == 1
    assert _errors(findings[department.code]) == []  # the unchanged data: no error
    assert _missed(expected, findings) == []


def test_the_done_when_figure_thirty_of_thirty(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Each of the 15 sample projects, its ceiling raised by a quarter or its unit slipped, loaded one by
    one over the sample: ``check`` exits 1 with an error naming that project."""
    base = demo_department()
    assert cli("load", _dump(tmp_path, base, "base")).code == 0
    assert cli("check").code == 0
    caught = 0
    for index, project in enumerate(base.projects):
        for kind in ("raise", "slip"):
            changed = base.model_copy(deep=True)
            apply(changed, index, kind)
            assert cli("load", _dump(tmp_path, changed, f"{index}{kind}")).code == 0
            result = cli("check", "--format", "json")
            errors = [f for f in json.loads(result.stdout) if f["severity"] == "error"]
            if result.code == 1 and any(f["project"] == project.name for f in errors):
                caught += 1
    assert caught == 30


def _dump(tmp_path: Path, department: Department, name: str) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(dump_document(department), encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------------------ text and Word
def _cost_values() -> list[tuple[int, int]]:
    """(start, end) of each goal table's 成本指标 value in the sample text, in project order."""
    places = []
    for match in re.finditer(r"\t成本指标\n\t[^\n]*\n\t[^\n]*\n\t([^\n]*)\n", SAMPLE_TEXT):
        places.append((match.start(1), match.end(1)))
    return places


def _text_variant(index: int, kind: str, code: str) -> str:
    from perfgoals.models import Indicator
    from tests.money_trail import broken_value

    start, end = _cost_values()[index]
    value = SAMPLE_TEXT[start:end]
    changed = broken_value(Indicator(value=value), kind)["value"] or ""
    text = SAMPLE_TEXT[:start] + changed + SAMPLE_TEXT[end:]
    return text.replace("731张家口市科学技术协会", f"{code}张家口市科学技术协会")


def test_sample_text_has_one_cost_value_per_project() -> None:
    base = demo_department()
    values = [SAMPLE_TEXT[start:end] for start, end in _cost_values()]
    assert len(values) == len(base.projects) == 15
    assert values[0] == "≤755元"


def _names_project_or_line(found: Break, findings: list[dict]) -> bool:  # type: ignore[type-arg]
    """A fresh import cannot tell which of a line's projects has the wrong ceiling (any of them could make
    the sum come out): the error must name the project, or the line it belongs to and its projects."""
    errors = [f for f in findings if f["severity"] == "error" and not f["accepted"]]
    return any(
        f["project"] == found.project
        or f"“{found.project}”" in f["message"]
        or (found.line is not None and found.line in f["message"])
        for f in errors
    )


def _ceiling_variants(tmp_path: Path, *, base_too: bool = False) -> dict[str, Break]:
    """Each sample project × ceiling break as a disclosure of its own department code."""
    base = demo_department()
    expected: dict[str, Break] = {}
    for index, project in enumerate(base.projects):
        for number, kind in enumerate(CEILING_KINDS):
            code = f"{8000 + index * 10 + number}"
            if base_too:
                text = SAMPLE_TEXT.replace("731张家口市科学技术协会", f"{code}张家口市科学技术协会")
                (tmp_path / f"{code}-base.txt").write_text(text, encoding="utf-8")
            (tmp_path / f"{code}.txt").write_text(_text_variant(index, kind, code), encoding="utf-8")
            expected[code] = Break(project.name, kind, project.budget_line_code)
    return expected


#: Of the 45 ceiling breaks imported afresh, how many are named by project or by the project's line.
#: Arithmetic alone cannot say which of a line's projects has the wrong ceiling: when the figures no
#: longer add up, the linking may fill the project's line with others and leave another line short, and
#: the errors then name that line and its projects instead (4 of the 45 here; see the import notes).
FRESH_IMPORT_NAMED = 41


def test_every_ceiling_break_in_a_fresh_import_is_loud(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = _ceiling_variants(tmp_path)
    (tmp_path / "base.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    imported = cli("import", *sorted(str(path) for path in tmp_path.glob("*.txt")))
    assert imported.code == 0, imported.stderr
    code, findings = _findings_by_department(cli)
    assert code == 1
    assert _errors(findings["731"]) == []
    # Every broken disclosure gives errors: none passes silently.
    assert [c for c in expected if not _errors(findings.get(c, []))] == []
    missed = [f"{c}: {found.kind} {found.project}" for c, found in expected.items()
              if not _names_project_or_line(found, findings.get(c, []))]
    assert len(expected) - len(missed) >= FRESH_IMPORT_NAMED, missed


def test_every_ceiling_break_in_a_reimported_disclosure_is_an_error_naming_the_project(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Re-importing over the database keeps its amounts (a budget fact only a person changes): the changed
    ceiling is checked against them, and the error names the project and its line."""
    expected = _ceiling_variants(tmp_path, base_too=True)
    bases = sorted(str(path) for path in tmp_path.glob("*-base.txt"))
    assert cli("import", *bases).code == 0
    assert cli("check", "--all-departments").code == 0
    for path in bases:
        Path(path).unlink()
    reimported = cli("import", "--replace", *sorted(str(path) for path in tmp_path.glob("*.txt")))
    assert reimported.code == 0, reimported.stderr
    assert "保留数据库中的年度资金" in reimported.stdout
    code, findings = _findings_by_department(cli)
    assert code == 1
    assert _missed(expected, findings) == []


def test_a_ceiling_break_in_a_word_file_is_an_error_at_the_project_or_its_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_import import build_docx

    base = demo_department()
    expected: dict[str, Break] = {}
    # One project of each line, each kind: a Word file is built from the text as published ones are.
    for index, kind in ((0, "raise"), (4, "slip"), (9, "lower"), (2, "raise")):
        code = f"{8500 + index}"
        (tmp_path / f"{code}.docx").write_bytes(build_docx(_text_variant(index, kind, code)))
        expected[code] = Break(base.projects[index].name, kind, base.projects[index].budget_line_code)
    imported = cli("import", *sorted(str(path) for path in tmp_path.glob("*.docx")))
    assert imported.code == 0, imported.stderr
    code, findings = _findings_by_department(cli)
    assert code == 1
    assert [c for c, found in expected.items() if not _names_project_or_line(found, findings.get(c, []))] == []


# ----------------------------------------------------------------------------------- rollover
def test_a_rolled_over_year_is_not_clean_until_its_lines_are_filled(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    assert cli("rollover", "--from", "2022", "--to", "2023").code == 0
    result = cli("check", "-y", "2023", "--format", "json")
    assert result.code == 1
    unchecked = [f for f in json.loads(result.stdout) if f["code"] == "PG112"]
    # One error per line with projects, naming each of its projects.
    base = demo_department()
    for project in base.projects:
        assert any(
            f["budget_line"] == project.budget_line_code and f"“{project.name}”" in f["message"] for f in unchecked
        ), project.name
    # Last year's amounts are carried as inferred, not as this year's budget.
    dump = tmp_path / "2023.json"
    assert cli("dump", "-y", "2023", "-o", str(dump)).code == 0
    document = json.loads(dump.read_text(encoding="utf-8"))
    assert {p["amount_source"] for p in document["department"]["projects"]} == {"previous_year"}
    # Once the lines are filled in, the trail holds again, and a break is caught.
    lines = {line.code: line for line in base.budget_lines}
    for line in document["department"]["budget_lines"]:
        source = lines[line["code"]]
        for field in ("total", "basic", "project", "carryover"):
            value = getattr(source, field)
            line[field] = None if value is None else str(value)
    dump.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert cli("load", str(dump)).code == 0
    assert _errors(json.loads(cli("check", "-y", "2023", "--format", "json", "--select", "PG1").stdout)) == []
    project = next(p for p in document["department"]["projects"] if p["name"] == "科普经费")
    cost = next(row for row in project["goal"]["indicators"] if row["level2"] == "成本指标")
    cost["value"] = cost["value"].replace("元", "万元")
    dump.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert cli("load", str(dump)).code == 0
    broken = cli("check", "-y", "2023", "--format", "json")
    assert broken.code == 1
    assert any(f["code"] == "PG104" and f["project"] == "科普经费" for f in json.loads(broken.stdout))
