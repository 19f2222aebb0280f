"""``dump`` / ``load`` / ``list`` / ``history`` and the database options, through the real CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from perfgoals.documents import dump_document
from tests.builders import full_department

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def department_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.json"
    path.write_text(dump_document(full_department()), encoding="utf-8")
    return path


def test_help_lists_the_commands_in_chinese(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--help")
    assert result.code == 0
    for command in ("demo", "dump", "load", "list", "history"):
        assert command in result.stdout
    assert "数据库" in result.stdout


def test_dump_load_dump_is_byte_identical(cli, department_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("load", str(department_file)).code == 0
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert cli("dump", "-o", str(first)).code == 0
    other_db = str(tmp_path / "other.db")
    assert cli("load", str(first), db=other_db).code == 0
    assert cli("dump", "--department", "731", "--year", "2022", "-o", str(second), db=other_db).code == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == department_file.read_bytes()


def test_dump_validates_against_the_checked_in_schema(cli, department_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("load", str(department_file))
    out = tmp_path / "out.json"
    assert cli("dump", "-o", str(out)).code == 0
    schema = json.loads((ROOT / "schemas" / "department.schema.json").read_text(encoding="utf-8"))
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    data["department"]["projects"][0]["budget_amount"] = 21.87  # a float where a decimal string belongs
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_load_replaces_the_same_department_year_in_one_go(cli, department_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("load", str(department_file)).code == 0
    data = json.loads(department_file.read_text(encoding="utf-8"))
    data["department"]["projects"] = data["department"]["projects"][:1]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = cli("load", "--no-replace", str(changed))
    assert refused.code == 2 and "--replace" in refused.stderr
    assert cli("load", str(changed)).code == 0
    listing = cli("list")
    assert listing.stdout.strip().splitlines() == ["731\t2022\t张家口市科学技术协会\t1 个项目"]


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (
            lambda d: d["department"]["projects"][0]["goal"]["indicators"][1].update(level1=7),
            "$.department.projects[0].goal.indicators[1].level1",
        ),
        (lambda d: d["department"].update(year="二〇二二"), "$.department.year"),
        (lambda d: d["department"]["budget_lines"][0].update(code="20"), "$.department.budget_lines[0].code"),
        (lambda d: d["department"]["projects"][1].update(colour="red"), "$.department.projects[1].colour"),
        (
            lambda d: d["department"]["projects"][0].update(budget_amount="21,87"),
            "$.department.projects[0].budget_amount",
        ),
    ],
)
def test_a_document_that_does_not_match_the_schema_is_refused_with_its_place(  # type: ignore[no-untyped-def]
    cli, department_file: Path, tmp_path: Path, mutate, where: str
) -> None:
    data = json.loads(department_file.read_text(encoding="utf-8"))
    mutate(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cli("load", str(bad))
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0] and where in lines[0]
    assert "没有部门数据" in cli("list").stdout


def test_broken_json_names_line_and_column(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "meta": {,\n}', encoding="utf-8")
    result = cli("load", str(bad))
    assert result.code == 2
    assert "第 2 行" in result.stderr and str(bad) in result.stderr


def test_unknown_department_or_year(cli, department_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("load", str(department_file))
    for args in (["--department", "999"], ["--year", "2030"]):
        result = cli("dump", *args, "-o", str(tmp_path / "x.json"))
        assert result.code == 2
        assert "找不到" in result.stderr and "731" in result.stderr
        assert not (tmp_path / "x.json").exists()


def test_a_db_path_that_cannot_be_opened(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "plain").write_text("x")
    result = cli("list", db=str(tmp_path / "plain" / "perfgoals.db"))
    assert result.code == 2 and "无法创建数据库所在文件夹" in result.stderr
    result = cli("--db", "nonsense://", "list")
    assert result.code == 2 and result.stderr.startswith("错误：")


def test_a_database_made_by_a_newer_release(cli, department_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "newer.db"
    assert cli("load", str(department_file), db=str(db)).code == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00d_from_the_future'")
    result = cli("list", db=str(db))
    assert result.code == 2 and "更新版本" in result.stderr


def test_a_locked_database(cli, department_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "locked.db"
    assert cli("load", str(department_file), db=str(db)).code == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli("load", str(department_file), db=str(db), env={"PERFGOALS_LOCK_TIMEOUT": "0.5"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 2 and "其他程序" in result.stderr
    assert "1 个项目" not in cli("list", db=str(db)).stdout


def test_history_lists_who_did_what(cli, department_file: Path) -> None:  # type: ignore[no-untyped-def]
    cli("load", str(department_file))
    cli("load", str(department_file))
    lines = cli("history").stdout.strip().splitlines()
    assert len(lines) == 2 and all("测试员\t读入\tdepartment\t张家口市科学技术协会" in line for line in lines)


def test_database_url_option_works_for_postgresql(
    cli, department_file: Path, tmp_path: Path, pg_url: str
) -> None:  # type: ignore[no-untyped-def]
    assert cli("--db", pg_url, "load", str(department_file)).code == 0
    out = tmp_path / "pg.json"
    assert cli("--db", pg_url, "dump", "-o", str(out)).code == 0
    assert out.read_bytes() == department_file.read_bytes()


def test_demo_loads_the_sample_and_says_where(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "demo.db"
    result = cli("demo", db=str(db))
    assert result.code == 0, result.stderr
    assert "张家口市科学技术协会" in result.stdout and "15 个项目" in result.stdout
    assert f"数据库：{db}" in result.stdout
    listing = cli("list", db=str(db))
    assert listing.stdout.strip() == "731\t2022\t张家口市科学技术协会\t15 个项目"


def test_sample_dump_load_dump_is_byte_identical(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert cli("dump", "-o", str(first)).code == 0
    other = str(tmp_path / "other.db")
    assert cli("load", str(first), db=other).code == 0
    assert cli("dump", "-o", str(second), db=other).code == 0
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert len(data["department"]["projects"]) == 15
    assert data["department"]["function_total"]["total"] == "1135.10"
