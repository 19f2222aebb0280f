"""Crash and contention harnesses, shared by the tests (small runs) and ``bench/bench_crash.py`` (big ones).

- :func:`kill_trials`: a writing command is started on a copy of a database and killed with SIGKILL at a
  random moment; the database must then be exactly the old state or exactly the new one (every
  department-year's dump, the recycle bin and the number of history entries), and pass SQLite's
  ``PRAGMA integrity_check``.
- :func:`many_writers`: several processes save goal tables at once; every save either lands or is
  reported (a conflict needing a choice, a lock timeout), the history holds exactly the saves that
  landed, and each project's revision is one more per save landed on it.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent

#: Timestamps differ from run to run; the state compared leaves them out.
_STAMP = re.compile(r'"accepted_at": "[^"]*"')


def perfgoals(*args: str, db: str, cwd: Path, user: str = "测试员") -> subprocess.Popen[bytes]:
    env = {**os.environ, "PERFGOALS_DB": db, "PERFGOALS_USER": user, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "perfgoals", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def run(*args: str, db: str, cwd: Path) -> str:
    process = perfgoals(*args, db=db, cwd=cwd)
    out, err = process.communicate(timeout=300)
    if process.returncode != 0:
        raise AssertionError(f"perfgoals {' '.join(args)} failed: {err.decode(errors='replace')}")
    return out.decode()


def state(url: str) -> tuple[Any, ...]:
    """What a writing command changes: every department-year's dump, the bin, the history's length."""
    from perfgoals.documents import dump_document
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import open_database, read_session
    from perfgoals.storage.tables import ChangeRow

    engine = open_database(url)
    try:
        with read_session(engine) as session:
            keys = repo.list_departments(session)
            departments = repo.load_departments(session, department_ids=[key.id for key in keys])
            dumps = tuple(_STAMP.sub("", dump_document(department)) for department in departments)
            binned = tuple(sorted((e.name, e.department_code, e.year) for e in repo.trash_entries(session)))
            changes = session.execute(select(func.count()).select_from(ChangeRow)).scalar_one()
    finally:
        engine.dispose()
    return dumps, binned, changes


def integrity(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return "ok"
    with sqlite3.connect(parsed.database or "") as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


# --- databases to copy --------------------------------------------------------------------------


class Databases:
    """Copies of a prepared database: SQLite files, or PostgreSQL databases made from a template."""

    def __init__(self, folder: Path, pg_base: str | None = None) -> None:
        self.folder = folder
        self.pg_base = pg_base
        self.created: list[str] = []

    def _admin(self) -> Any:
        return create_engine(self.pg_base or "", isolation_level="AUTOCOMMIT")

    def new(self) -> str:
        if self.pg_base is None:
            return f"sqlite:///{self.folder / f'{uuid.uuid4().hex[:10]}.db'}"
        name = f"perfgoals_k_{uuid.uuid4().hex[:10]}"
        admin = self._admin()
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.created.append(name)
        return make_url(self.pg_base).set(database=name).render_as_string(hide_password=False)

    def copy(self, url: str) -> str:
        if self.pg_base is None:
            source = Path(make_url(url).database or "")
            with sqlite3.connect(source) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            target = self.folder / f"{uuid.uuid4().hex[:10]}.db"
            shutil.copy(source, target)
            return f"sqlite:///{target}"
        source_name = make_url(url).database
        name = f"perfgoals_k_{uuid.uuid4().hex[:10]}"
        admin = self._admin()
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source_name}"'))
        admin.dispose()
        self.created.append(name)
        return make_url(self.pg_base).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        if self.pg_base is None:
            path = Path(make_url(url).database or "")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        name = make_url(url).database
        admin = self._admin()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            self.drop(make_url(self.pg_base or "").set(database=name).render_as_string(hide_password=False))


@contextmanager
def databases(folder: Path, pg_base: str | None = None) -> Iterator[Databases]:
    made = Databases(folder, pg_base)
    try:
        yield made
    finally:
        made.close()


# --- the writing commands -----------------------------------------------------------------------


@dataclass
class Scenario:
    """A writing command and how to prepare the database it runs on."""

    name: str
    args: list[str]
    prepare: Callable[[str, Path], None]


def _demo(url: str, work: Path) -> None:
    run("demo", db=url, cwd=work)


def _empty(url: str, work: Path) -> None:
    run("list", db=url, cwd=work)


def _reordered_dump(url: str, work: Path) -> None:
    """``work/reloaded.json``: the department with its projects reversed and their goal texts edited."""
    path = work / "reloaded.json"
    if path.exists():
        return
    run("dump", "-o", str(path), db=url, cwd=work)
    document = json.loads(path.read_text(encoding="utf-8"))
    projects = document["department"]["projects"]
    projects.reverse()
    for project in projects:
        project["goal"]["goal_text"] += "（重新读入）"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _demo_for_load(url: str, work: Path) -> None:
    _demo(url, work)
    _reordered_dump(url, work)


def _edited_since_demo(url: str, work: Path) -> None:
    """The demo with every goal text edited (so that re-importing the disclosure replaces them)."""
    _demo_for_load(url, work)
    run("load", str(work / "reloaded.json"), db=url, cwd=work)


def _demo_with_binned_project(url: str, work: Path) -> None:
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import open_database, write_session

    _demo(url, work)
    engine = open_database(url)
    with write_session(engine) as session:
        key = repo.find_department(session)
        department = repo.load_department(session, department_id=key.id)
        [binned] = [p for p in department.projects if p.name == BINNED_PROJECT]
        repo.delete_project(session, project_id=binned.id or 0, user="测试员")
    engine.dispose()


def _demo_with_edited_workbook(url: str, work: Path) -> None:
    import openpyxl

    _demo(url, work)
    path = work / "edited.xlsx"
    if path.exists():
        return
    run("export", "--skip-checks", "-o", str(work / "exported.xlsx"), db=url, cwd=work)
    book = openpyxl.load_workbook(work / "exported.xlsx")
    for sheet in book.worksheets[1:6]:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("≥"):
                    cell.value = cell.value + "（改）"
    book.save(path)


SAMPLE_TEXT = str(ROOT / "perfgoals" / "data" / "zhangjiakou-kexie-2022-budget.txt")
SAMPLE_PROJECT = "科普经费"
BINNED_PROJECT = "科普活动"


def scenarios(work: Path) -> list[Scenario]:
    return [
        Scenario("load", ["load", str(work / "reloaded.json")], _demo_for_load),
        Scenario("import", ["import", SAMPLE_TEXT], _empty),
        Scenario("import --replace", ["import", "--replace", SAMPLE_TEXT], _edited_since_demo),
        Scenario("import workbook", ["import", str(work / "edited.xlsx")], _demo_with_edited_workbook),
        Scenario("demo", ["demo"], _empty),
        Scenario("demo --scale", ["demo", "--scale", "3"], _empty),
        Scenario("rollover", ["rollover", "--from", "2022", "--to", "2023"], _demo),
        Scenario("accept", ["accept", "PG111", "-p", SAMPLE_PROJECT, "-r", "已核实"], _demo),
        Scenario("restore", ["restore", BINNED_PROJECT], _demo_with_binned_project),
    ]


@dataclass
class KillFigures:
    command: str
    trials: int = 0
    old: int = 0
    new: int = 0
    partial: int = 0
    finished_before_kill: int = 0
    integrity_failures: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.command}: {self.trials} trials, old {self.old}, new {self.new}, partial {self.partial}, "
            f"finished before the kill {self.finished_before_kill}, integrity failures {self.integrity_failures}, "
            f"full run {self.seconds:.2f}s"
        )


def kill_trials(scenario: Scenario, made: Databases, work: Path, trials: int, seed: int = 0) -> KillFigures:
    """Run ``scenario`` to completion once (the new state), then ``trials`` times killed at random."""
    figures = KillFigures(scenario.name)
    prepared = made.new()
    scenario.prepare(prepared, work)
    old = state(prepared)
    reference = made.copy(prepared)
    started = time.perf_counter()
    run(*scenario.args, db=reference, cwd=work)
    figures.seconds = time.perf_counter() - started
    new = state(reference)
    made.drop(reference)
    assert new != old, f"{scenario.name} changed nothing"
    chance = random.Random(f"{seed}/{scenario.name}")
    for _ in range(trials):
        url = made.copy(prepared)
        process = perfgoals(*scenario.args, db=url, cwd=work)
        # Most of a run is starting Python and reading input; the writing is in its last part.
        time.sleep(chance.uniform(figures.seconds * 0.3, figures.seconds * 1.05))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        else:
            figures.finished_before_kill += 1
        process.communicate(timeout=300)
        figures.trials += 1
        check = integrity(url)
        if check != "ok":
            figures.integrity_failures += 1
            figures.problems.append(f"integrity_check: {check}")
        now = state(url)
        if now == old:
            figures.old += 1
        elif now == new:
            figures.new += 1
        else:
            figures.partial += 1
            figures.problems.append(f"partial state after a kill ({url})")
            continue  # keep the database to look at
        made.drop(url)
    made.drop(prepared)
    return figures


# --- many writers -------------------------------------------------------------------------------

WRITER = r"""
import json, sys
from perfgoals.storage import repository as repo
from perfgoals.storage.db import StorageError, open_database, read_session, write_session
from perfgoals.storage.merging import Deleted, NeedsChoice, Saved, merge_and_save

url, worker, saves, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
engine = open_database(url)
with read_session(engine) as session:
    ids = [p.id for p in repo.load_department(session, department_id=repo.find_department(session).id).projects]
counts = {"landed": {}, "conflict": 0, "locked": 0, "unchanged": 0}
for i in range(saves):
    project_id = ids[0] if mode == "same" else ids[worker % len(ids)]
    with read_session(engine) as session:
        base = repo.load_project(session, project_id=project_id)
    rows = list(base.goal.indicators)
    row = (worker + i) % len(rows) if mode == "same" else i % len(rows)
    rows[row] = rows[row].model_copy(update={"value": f"w{worker}-{i}"})
    mine = base.model_copy(update={"goal": base.goal.model_copy(update={"indicators": rows})})
    try:
        with write_session(engine) as session:
            outcome = merge_and_save(session, base=base, mine=mine, user=f"w{worker}")
    except StorageError:  # the lock timed out, or others kept saving: reported, nothing written
        counts["locked"] += 1
        continue
    if isinstance(outcome, Saved):
        floor = outcome.merged.theirs.goal.revision if outcome.merged else base.goal.revision
        if outcome.project.goal.revision > floor:
            counts["landed"][str(project_id)] = counts["landed"].get(str(project_id), 0) + 1
        else:
            counts["unchanged"] += 1
    elif isinstance(outcome, NeedsChoice):
        counts["conflict"] += 1
    else:
        raise SystemExit(f"unexpected {outcome!r}")
print(json.dumps(counts))
"""


@dataclass
class WriterFigures:
    mode: str
    processes: int
    saves: int
    landed: int = 0
    conflicts: int = 0
    lock_timeouts: int = 0
    unchanged: int = 0
    history: int = 0
    integrity: str = ""
    seconds: float = 0.0
    revisions_match: bool = False

    def line(self) -> str:
        return (
            f"{self.mode} project(s): {self.processes} processes x {self.saves} saves = "
            f"{self.processes * self.saves}: landed {self.landed}, conflicts {self.conflicts}, "
            f"lock timeouts {self.lock_timeouts}, nothing to write {self.unchanged}; history {self.history}; "
            f"revisions match {self.revisions_match}; integrity {self.integrity}; {self.seconds:.1f}s"
        )


def many_writers(url: str, work: Path, *, processes: int, saves: int, mode: str) -> WriterFigures:
    """``processes`` processes each saving ``saves`` times (``mode``: one ``same`` project or
    ``different`` ones) on a database holding the demo; returns what happened."""
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import open_database, read_session
    from perfgoals.storage.tables import ChangeRow

    run("demo", db=url, cwd=work)
    engine = open_database(url)
    with read_session(engine) as session:
        before = {p.id: p.goal.revision for p in repo.load_department(session, department_id=repo.find_department(session).id).projects}
        history_before = session.execute(select(func.count()).select_from(ChangeRow)).scalar_one()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(worker), str(saves), mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=work,
        )
        for worker in range(processes)
    ]
    landed: Counter[int] = Counter()
    figures = WriterFigures(mode, processes, saves)
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        if worker.returncode != 0:
            raise AssertionError(f"a writer failed: {err.decode(errors='replace')}")
        counts = json.loads(out)
        for project_id, number in counts["landed"].items():
            landed[int(project_id)] += number
        figures.conflicts += counts["conflict"]
        figures.lock_timeouts += counts["locked"]
        figures.unchanged += counts["unchanged"]
    figures.seconds = time.perf_counter() - started
    figures.landed = sum(landed.values())
    with read_session(engine) as session:
        after = {p.id: p.goal.revision for p in repo.load_department(session, department_id=repo.find_department(session).id).projects}
        figures.history = session.execute(select(func.count()).select_from(ChangeRow)).scalar_one() - history_before
    engine.dispose()
    figures.revisions_match = all(after[pid] == before[pid] + landed[pid or 0] for pid in before)
    figures.integrity = integrity(url)
    return figures
