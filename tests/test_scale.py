"""The synthetic province dataset: built through the CLI, deterministic, reconciled, with its errors where reported."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from perfgoals.documents import dump_document
from perfgoals.models import Department, FundSource
from perfgoals.money import to_wan
from perfgoals.scale import (
    DEPARTMENT_ERROR_KINDS,
    ERROR_KINDS,
    PROJECT_ERROR_KINDS,
    PlantedError,
    department_identity,
    generate_department,
    load_scaled_dataset,
)
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session
from perfgoals.values import ValueKind, parse_value

YEAR, SEED = 2022, 2022


def _dump(cli, code: str, db: str, out: Path) -> str:  # type: ignore[no-untyped-def]
    result = cli("dump", "--department", code, "--year", str(YEAR), "-o", str(out), db=db)
    assert result.code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def _stored(path: str) -> dict[str, Department]:
    engine = open_database(path)
    try:
        with read_session(engine) as session:
            ids = [key.id for key in repo.list_departments(session, year=YEAR)]
            return {d.code: d for d in repo.load_departments(session, department_ids=ids)}
    finally:
        engine.dispose()


def test_demo_scale_through_the_cli_is_deterministic(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    result = cli("demo", "--scale", "3", db=first)
    assert result.code == 0, result.stderr
    assert "3 个部门" in result.stdout
    assert "故意设置的问题" in result.stdout
    # Every planted error is listed by department (and project) in the summary of a small run.
    for index in range(3):
        _, errors = generate_department(index, year=YEAR, seed=SEED)
        for error in errors:
            assert error.describe() in result.stdout

    listing = cli("list", db=first)
    assert listing.code == 0
    codes = [line.split("\t")[0] for line in listing.stdout.splitlines() if line.strip()]
    assert sorted(codes) == sorted(department_identity(i)[0] for i in range(3))

    # The same seed in another database gives the same data, down to the dumped JSON.
    assert cli("demo", "--scale", "3", db=second).code == 0
    one, two = _stored(first), _stored(second)
    assert [d.model_dump() for d in one.values()] == [d.model_dump() for d in two.values()]
    dumped = _dump(cli, codes[0], second, tmp_path / "dump.json")
    assert dumped == dump_document(one[codes[0]])
    assert 17 <= len(json.loads(dumped)["department"]["projects"]) <= 23

    # Running it again replaces the same department-years instead of failing or doubling them (with new
    # ids and revisions past the old ones: identities are never reused).
    assert cli("demo", "--scale", "3", db=first).code == 0
    again = _stored(first)
    assert sorted(again) == sorted(codes)

    def content(department: Any) -> Any:
        data = department.model_dump(exclude={"id"})
        for project in data["projects"]:
            project.pop("id", None)
            del project["goal"]["revision"]
        return data

    assert [content(d) for d in again.values()] == [content(d) for d in one.values()]
    assert min(p.goal.revision for d in again.values() for p in d.projects) > 1


def test_a_different_seed_gives_different_data() -> None:
    one, _ = generate_department(0, year=YEAR, seed=1)
    two, _ = generate_department(0, year=YEAR, seed=2)
    assert one.code == two.code  # the identity depends on the position only
    assert [p.name for p in one.projects] != [p.name for p in two.projects] or [
        p.budget_amount for p in one.projects
    ] != [p.budget_amount for p in two.projects]


def test_department_identities_are_unique_beyond_one_cycle() -> None:
    keys = [department_identity(i)[:2] for i in range(3600)]
    assert len({code for code, _ in keys}) == len(keys)
    assert len({name for _, name in keys}) == len(keys)


def test_departments_validate_against_the_models() -> None:
    for index in range(5):
        department, _ = generate_department(index, year=YEAR, seed=SEED)
        again = Department.model_validate(department.model_dump())
        assert again == department


def _cents(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")


def _check_reconciled(department: Department, skip_lines: set[str], skip_economic: bool, skip_three: bool) -> None:
    """The clean data adds up to the cent: lines vs projects, 类/款/项, 合计, income, economic, 三公."""
    lines = {line.code: line for line in department.budget_lines}
    by_line: dict[str, Decimal] = defaultdict(Decimal)
    carry: dict[str, Decimal] = defaultdict(Decimal)
    for project in department.projects:
        assert project.budget_amount is not None and project.budget_line_code in lines
        amount = to_wan(project.budget_amount, project.amount_unit)
        by_line[project.budget_line_code] += amount
        if project.fund_source is FundSource.CARRYOVER:
            carry[project.budget_line_code] += amount
    for code, line in lines.items():
        if code in skip_lines:
            continue
        assert _cents(line.total) == _cents(line.basic) + _cents(line.project), code
        assert _cents(line.income_total) == _cents(line.income_current) + _cents(line.carryover), code
        if len(code) == 7:
            assert _cents(line.project) == by_line[code], code
            assert _cents(line.carryover) == carry[code], code
        else:
            children = [c for c in lines.values() if len(c.code) == len(code) + 2 and c.code.startswith(code)]
            assert children, code
            if not any(c.code in skip_lines for c in children):
                assert _cents(line.total) == sum(_cents(c.total) for c in children), code
    classes = [line for line in lines.values() if len(line.code) == 3]
    assert 5 <= len(classes) <= 6
    total = department.function_total
    assert total is not None
    if not skip_lines:
        assert total.total == sum(_cents(c.total) for c in classes)
        assert total.project == sum(by_line.values())
    assert _cents(total.total) == _cents(total.basic) + _cents(total.project)

    economic = {e.code: e for e in department.economic_lines}
    head = economic[""]
    if not skip_economic:
        assert _cents(head.personnel) + _cents(head.public) == head.total
    assert head.total == total.basic
    for group in ("301", "302", "303"):
        if group in economic:
            items = [e for code, e in economic.items() if len(code) == 5 and code.startswith(group)]
            assert economic[group].total == sum(_cents(e.total) for e in items)
    three = {row.category: row for row in department.three_public}
    if not skip_three:
        assert _cents(three["reception"].total) == _cents(economic["30217"].total)
    assert _cents(three["vehicle_operation"].total) == (_cents(economic["30231"].total) if "30231" in economic else 0)
    procurement = [item.amount for item in department.procurement if item.amount is not None]
    if procurement:
        assert department.procurement_total == sum(procurement)


def test_clean_departments_reconcile_and_look_like_the_sample() -> None:
    forms: set[ValueKind] = set()
    for index in range(12):
        department, _ = generate_department(index, year=YEAR, seed=SEED, plant_errors=False)
        _check_reconciled(department, set(), False, False)
        assert 17 <= len(department.projects) <= 23
        for project in department.projects:
            rows = project.goal.indicators
            assert 6 <= len(rows) <= 9
            assert {row.level2 for row in rows} >= {"数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"}
            cost = next(row for row in rows if row.level2 == "成本指标")
            parsed = parse_value(cost.value)
            assert parsed.kind is ValueKind.MONEY and parsed.amount_wan is not None
            assert project.budget_amount is not None
            assert parsed.amount_wan == to_wan(project.budget_amount, project.amount_unit)
            forms |= {parse_value(row.value).kind for row in rows}
            assert all(row.value and row.basis and row.level3 for row in rows)
    assert forms >= {ValueKind.QUANTITY, ValueKind.PERCENT, ValueKind.MONEY, ValueKind.PERIOD, ValueKind.QUALITATIVE}


def _differences(clean: Department, planted: Department) -> set[tuple[str, str | None]]:
    """Where two versions of a department differ: ("project", name) or ("department", part)."""
    found: set[tuple[str, str | None]] = set()
    for a, b in zip(clean.projects, planted.projects, strict=True):
        if a != b:
            found.add(("project", a.name))
    for part in ("budget_lines", "three_public", "economic_lines", "procurement"):
        if getattr(clean, part) != getattr(planted, part):
            found.add(("department", part))
    return found


_PART = {
    "line_project_mismatch": "budget_lines",
    "three_public_mismatch": "three_public",
    "basic_split_mismatch": "economic_lines",
    "procurement_arithmetic": "procurement",
}


def test_the_reported_sprinkle_is_exactly_what_differs_from_the_clean_data() -> None:
    kinds: set[str] = set()
    for index in range(40):
        clean, _ = generate_department(index, year=YEAR, seed=SEED, plant_errors=False)
        planted, errors = generate_department(index, year=YEAR, seed=SEED)
        expected = {
            ("department", _PART[e.kind]) if e.kind in DEPARTMENT_ERROR_KINDS else ("project", e.project)
            for e in errors
        }
        assert _differences(clean, planted) == expected, index
        kinds |= {e.kind for e in errors}
        if index < 3:
            assert len(errors) == 5
    assert kinds >= set(PROJECT_ERROR_KINDS)


def _assert_planted(department: Department, error: PlantedError) -> None:
    """The error is really in the stored data, in the form its kind says."""
    if error.kind in DEPARTMENT_ERROR_KINDS:
        if error.kind == "line_project_mismatch":
            line = department.line(error.budget_line or "")
            projects = [p for p in department.projects if p.budget_line_code == error.budget_line]
            assert line is not None and line.project is not None
            assert line.project != sum(to_wan(p.budget_amount or Decimal(0), p.amount_unit) for p in projects)
        elif error.kind == "three_public_mismatch":
            reception = next(r for r in department.three_public if r.category == "reception")
            economic = next((e for e in department.economic_lines if e.code == "30217"), None)
            assert economic is not None and reception.total is not None and economic.total is not None
            assert reception.total < economic.total
            three = {row.category: _cents(row.total) for row in department.three_public}
            assert three["subtotal"] == three["abroad"] + three["vehicle"] + three["reception"]
        elif error.kind == "basic_split_mismatch":
            head = department.economic_lines[0]
            assert _cents(head.personnel) + _cents(head.public) != head.total
        else:
            assert any(
                item.quantity is not None and item.unit_price is not None
                and item.quantity * item.unit_price != item.amount
                for item in department.procurement
            )
        return
    project = department.project(error.project or "")
    assert project is not None, error
    rows = project.goal.indicators
    if error.kind == "missing_timeliness":
        assert not any(row.level2 == "时效指标" for row in rows)
        return
    assert error.row is not None
    row = rows[error.row - 1]
    parsed = parse_value(row.value)
    budget = to_wan(project.budget_amount or Decimal(0), project.amount_unit)
    if error.kind == "ceiling_above_budget":
        assert parsed.amount_wan is not None and parsed.amount_wan > budget
    elif error.kind == "yuan_for_wan":
        assert parsed.unit == "元" and parsed.amount_wan is not None and parsed.amount_wan * 10000 == budget
    elif error.kind == "low_satisfaction":
        assert row.level1 == "满意度指标" and parsed.kind is ValueKind.PERCENT and parsed.number == 70
    elif error.kind == "duplicate_level3":
        assert [r.level3 for r in rows].count(row.level3) == 2
    elif error.kind == "wrong_direction":
        assert row.level3.endswith("率") and parsed.comparator is not None and parsed.comparator.value == "≤"
    elif error.kind == "rate_over_100":
        assert parsed.kind is ValueKind.PERCENT and parsed.number is not None and parsed.number > 100
    elif error.kind == "empty_value":
        assert row.value == ""
    elif error.kind == "period_outside_year":
        assert parsed.kind is ValueKind.PERIOD and parsed.period_end is not None
        assert parsed.period_end.year < department.year
    elif error.kind == "placeholder_value":
        assert row.value == "无"
    else:  # pragma: no cover
        pytest.fail(error.kind)


def test_the_sprinkle_is_in_the_database(engine: Engine) -> None:
    report = load_scaled_dataset(engine, departments=4, year=YEAR, seed=SEED, user="测试员")
    assert report.departments == 4
    assert {e.kind for e in report.errors} >= set(PROJECT_ERROR_KINDS)
    assert set(ERROR_KINDS) >= {e.kind for e in report.errors}
    with read_session(engine) as session:
        keys = {key.code: key for key in repo.list_departments(session, year=YEAR)}
        assert len(keys) == 4
        stored = {d.code: d for d in repo.load_departments(session, department_ids=[k.id for k in keys.values()])}
    assert sum(len(d.projects) for d in stored.values()) == report.projects
    assert sum(len(p.goal.indicators) for d in stored.values() for p in d.projects) == report.indicators
    for error in report.errors:
        _assert_planted(stored[error.department_code], error)
    # Apart from the planted errors, what is stored is what the generator made.
    for index in range(4):
        generated, errors = generate_department(index, year=YEAR, seed=SEED)
        skip = {e.budget_line for e in errors if e.kind == "line_project_mismatch"}
        kinds = {e.kind for e in errors}
        department = stored[generated.code]
        assert [p.name for p in department.projects] == [p.name for p in generated.projects]
        _check_reconciled(
            department,
            {code for code in skip if code},
            "basic_split_mismatch" in kinds,
            "three_public_mismatch" in kinds,
        )


def test_checks_find_every_planted_error(tmp_path: Path) -> None:
    """Checking the planted data finds something new at every reported place (compared with the clean data)."""
    from perfgoals.checks import check_department
    departments = 3
    findings: dict[bool, dict[str, list]] = {}  # type: ignore[type-arg]
    errors: list[PlantedError] = []
    for planted in (False, True):
        engine = open_database(f"sqlite:///{tmp_path / f'{planted}.db'}")
        report = load_scaled_dataset(engine, departments=departments, year=YEAR, seed=SEED, user="测试员",
                                     plant_errors=planted)
        if planted:
            errors = report.errors
        with read_session(engine) as session:
            keys = repo.list_departments(session, year=YEAR)
            loaded = repo.load_departments(session, department_ids=[k.id for k in keys])
        findings[planted] = {d.code: list(check_department(d)) for d in loaded}
        engine.dispose()
    for error in errors:
        before = {json.dumps(f.to_json(), sort_keys=True, default=str) for f in findings[False][error.department_code]}
        new = [f for f in findings[True][error.department_code]
               if json.dumps(f.to_json(), sort_keys=True, default=str) not in before]
        if error.kind in DEPARTMENT_ERROR_KINDS:
            new = [f for f in new if f.location.project is None]
        else:
            new = [f for f in new if f.location.project == error.project]
        if error.row is not None:
            new = [f for f in new if f.location.row in (error.row, None)]
        if error.budget_line is not None and error.kind == "line_project_mismatch":
            new = [f for f in new if f.location.budget_line is not None]
        assert new, f"检查未发现：{error.describe()}"
        assert any(f.severity.value in ("error", "warning") for f in new), error.describe()
