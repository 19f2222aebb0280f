"""Shared fixtures: databases on SQLite and (when PERFGOALS_TEST_PG is set) PostgreSQL, and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from perfgoals.storage.db import open_database

PG_ENV = "PERFGOALS_TEST_PG"
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TEXT = ROOT / "perfgoals" / "data" / "zhangjiakou-kexie-2022-budget.txt"


def _fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(
            f"PostgreSQL 测试未运行：未设置 {PG_ENV}（例如 postgresql+psycopg://postgres@127.0.0.1:5432/test）"
        )
    name = f"perfgoals_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL: a fresh SQLite file, and a fresh PostgreSQL database when available."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'perfgoals.db'}"
    else:
        yield from _fresh_pg_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'perfgoals.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _fresh_pg_database()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_database(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sample_file_engine(tmp_path: Path) -> Engine:
    """A SQLite file holding the TUI tests' sample department (tests/tui_main_sample.py)."""
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import write_session
    from tests.tui_main_sample import sample_department

    engine = open_database(f"sqlite:///{tmp_path / 'tui.db'}")
    with write_session(engine) as session:
        repo.save_department(session, department=sample_department(), user="样例", replace=False, action="demo")
    return engine


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run ``perfgoals ARGS`` as a subprocess on a database in ``tmp_path`` (or ``db=``)."""

    def run(
        *args: str,
        db: str | None = None,
        input: str | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> CliResult:
        environment = {
            **os.environ,
            "PERFGOALS_DB": db or str(tmp_path / "cli.db"),
            "PERFGOALS_USER": "测试员",
        }
        environment.update(env or {})
        completed = subprocess.run(
            [sys.executable, "-m", "perfgoals", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            input=input,
            cwd=cwd or tmp_path,
            env=environment,
            timeout=300,
        )
        return CliResult(completed.returncode, completed.stdout, completed.stderr)

    return run


@pytest.fixture(autouse=True)
def _own_tui_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own (empty) TUI settings and recovery folders: no test reads or writes the user's."""
    monkeypatch.setenv("PERFGOALS_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("PERFGOALS_RECOVERY_DIR", str(tmp_path_factory.mktemp("recovery")))
