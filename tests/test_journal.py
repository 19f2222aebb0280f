"""The crash journal: recovery files written atomically, read back, one per user and database."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal as D
from pathlib import Path

import pytest

from perfgoals.journal import (
    ENV_RECOVERY_DIR,
    Journal,
    RecoveryUnreadable,
    load_recovery,
    recovery_directory,
    recovery_path,
)
from perfgoals.merge import Draft
from perfgoals.models import AmountSource, GoalTable, Indicator, Project

ROOT = Path(__file__).resolve().parent.parent
URL = "postgresql+psycopg://wang:secret@db.example/perfgoals"


def _project(project_id: int, rows: int = 3, **fields: object) -> Project:
    return Project(
        id=project_id,
        name=f"项目{project_id}",
        budget_amount=D("21.870"),
        amount_source=AmountSource.COST_INDICATOR,
        goal=GoalTable(
            goal_text="目标",
            revision=4,
            indicators=[Indicator(level1="产出指标", level3=f"指标{i}", value=f"≥{i}次", weight=D("5.0")) for i in range(rows)],
        ),
        **fields,  # type: ignore[arg-type]
    )


def test_drafts_are_written_and_read_back_exactly(tmp_path: Path) -> None:
    journal = Journal(URL, "王芳", directory=tmp_path)
    base = _project(7)
    mine = base.model_copy(update={"notes": "未保存的备注"})
    other = _project(9)
    unchanged = Draft.saved(_project(11))
    journal.write([Draft(base, mine), unchanged, Draft(other, other.model_copy(update={"name": "改名"}))],
                  departments={7: (1, "731 张家口市科学技术协会（2022年）")})
    assert journal.path.exists() and journal.path.parent == tmp_path
    found = load_recovery(URL, "王芳", directory=tmp_path)
    assert [(d.project_id, d.base_revision, d.department_id, d.name) for d in found] == [
        (7, 4, 1, "项目7"),
        (9, 4, None, "改名"),
    ]
    assert found[0].draft == Draft(base, mine)  # ids, decimals as written, enums: all as they were
    assert found[0].department_label == "731 张家口市科学技术协会（2022年）"
    assert found[0].changes() == ["备注"] and found[1].changes() == ["项目名称"]
    # Nothing dirty left: the file goes.
    journal.write([unchanged])
    assert not journal.path.exists()
    assert load_recovery(URL, "王芳", directory=tmp_path) == []


def test_one_file_per_user_and_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = {
        recovery_path(URL, "王芳", directory=tmp_path),
        recovery_path(URL, "李明", directory=tmp_path),
        recovery_path(URL.replace("/perfgoals", "/other"), "王芳", directory=tmp_path),
        recovery_path("sqlite:////tmp/a.db", "王芳", directory=tmp_path),
    }
    assert len(paths) == 4
    # The password is not part of the database's identity; the same SQLite file by another path is.
    assert recovery_path(URL.replace("secret", "changed"), "王芳", directory=tmp_path) in paths
    assert recovery_path("sqlite:////tmp/../tmp/a.db", "王芳", directory=tmp_path) in paths
    assert "secret" not in str(paths)
    monkeypatch.setenv(ENV_RECOVERY_DIR, str(tmp_path / "elsewhere"))
    assert recovery_directory() == tmp_path / "elsewhere"
    journal = Journal(URL, "王芳")
    journal.write([Draft(_project(1), _project(1, rows=1))])
    assert journal.path.parent == tmp_path / "elsewhere"
    assert "secret" not in journal.path.read_text(encoding="utf-8")
    assert len(load_recovery(URL, "王芳")) == 1
    journal.clear()
    journal.clear()  # clearing twice is fine
    assert load_recovery(URL, "王芳") == []


def test_a_read_only_journal_leaves_the_file_for_later(tmp_path: Path) -> None:
    Journal(URL, "王芳", directory=tmp_path).write([Draft(_project(1), _project(1, rows=1))])
    later = Journal(URL, "王芳", directory=tmp_path, read_only=True)
    later.write([])
    later.clear()
    assert len(load_recovery(URL, "王芳", directory=tmp_path)) == 1


def test_an_unreadable_recovery_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = recovery_path(URL, "王芳", directory=tmp_path)
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(RecoveryUnreadable, match="无法读取"):
        load_recovery(URL, "王芳", directory=tmp_path)
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(RecoveryUnreadable, match="不是 perfgoals 的恢复文件"):
        load_recovery(URL, "王芳", directory=tmp_path)
    path.write_text('{"format": "perfgoals/recovery", "format_version": 1, "drafts": [{}]}', encoding="utf-8")
    with pytest.raises(RecoveryUnreadable, match="内容不完整"):
        load_recovery(URL, "王芳", directory=tmp_path)
    assert path.exists()


_WRITER = """
import sys
from pathlib import Path
from perfgoals.journal import Journal
from perfgoals.merge import Draft
from perfgoals.models import GoalTable, Indicator, Project

directory, rows = Path(sys.argv[1]), int(sys.argv[2])
journal = Journal("sqlite:////x.db", "王芳", directory=directory)
base = Project(id=1, name="大项目", goal=GoalTable(indicators=[
    Indicator(level1="产出指标", level3=f"指标{i}", value="≥" + "9" * 40, description="说明" * 30) for i in range(rows)
]))
n = 0
while True:
    journal.write([Draft(base, base.model_copy(update={"notes": str(n)}))])
    print(n, flush=True)  # written (and fsynced) whole
    n += 1
"""


def test_a_kill_during_a_write_leaves_a_whole_file(tmp_path: Path) -> None:
    """SIGKILL a process that rewrites its journal in a loop, many times: the file always reads whole,
    holding the last write that finished or the one after it."""
    rng = random.Random(12)
    path = recovery_path("sqlite:////x.db", "王芳", directory=tmp_path)
    for _ in range(12):
        process = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(tmp_path), "1500"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert process.stdout is not None
        finished = -1
        for _ in range(rng.randint(1, 3)):  # let a few writes finish
            finished = int(process.stdout.readline())
        # Meanwhile a reader (the next start, or another window) always finds a whole file; then the
        # writer is killed at a random moment of its next writes.
        deadline = time.monotonic() + rng.uniform(0.05, 0.4)
        while time.monotonic() < deadline:
            json.loads(path.read_bytes())
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        [draft] = load_recovery("sqlite:////x.db", "王芳", directory=tmp_path)
        assert int(draft.draft.mine.notes) >= finished
        assert len(draft.draft.mine.goal.indicators) == 1500


_RAW_WRITER = """
import sys
from pathlib import Path
from perfgoals.journal import write_atomically

path = Path(sys.argv[1])
payloads = [bytes([ord("a") + i]) * (16 * 1024 * 1024) for i in range(3)]
n = 0
while True:
    write_atomically(path, payloads[n % 3])
    print(n, flush=True)
    n += 1
"""


def test_a_kill_in_the_middle_of_a_large_write_leaves_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    """16 MB per write, so that most kills land while bytes are being written."""
    rng = random.Random(7)
    path = tmp_path / "recovery.json"
    whole = {bytes([ord("a") + i]) * (16 * 1024 * 1024) for i in range(3)}
    for _ in range(8):
        process = subprocess.Popen([sys.executable, "-c", _RAW_WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "0"
        time.sleep(rng.uniform(0.0, 0.2))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert path.read_bytes() in whole
    for temporary in tmp_path.glob("*.tmp"):  # what the killed writers left (16 MB each)
        temporary.unlink()


def test_temporary_files_left_by_a_killed_writer_are_removed_when_stale(tmp_path: Path) -> None:
    journal = Journal(URL, "王芳", directory=tmp_path)
    stale = tmp_path / f".{journal.path.name}.abc.tmp"
    fresh = tmp_path / f".{journal.path.name}.def.tmp"
    stale.write_bytes(b"{")
    fresh.write_bytes(b"{")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    journal.write([Draft(_project(1), _project(1, rows=1))])
    assert not stale.exists() and fresh.exists()
