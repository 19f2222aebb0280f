"""What the world does to perfgoals: many processes opening a new database at once, a server that is not
there, a device or a pipe given as a file, a full disk, a bug.  Each ends in one line and its exit code
(README, "Limits"), never a traceback; nothing half-written stays behind.  All run the CLI as a process.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult

EXIT_INPUT, EXIT_INTERNAL = 2, 3


def _run_many(cli: Any, count: int, *args: str, db: str) -> list[CliResult]:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _i: cli(*args, db=db), range(count)))


def _assert_first_use_works(results: list[CliResult]) -> None:
    for result in results:
        assert result.code == 0, result.stderr
        assert "还没有部门数据" in result.stdout
        for bad in ("duplicate", "Traceback", "没有结构版本", "损坏", "数据库出错"):
            assert bad not in result.stderr


def test_many_processes_set_up_a_new_postgresql_database_at_once(cli: Any, pg_url: str) -> None:
    # One migrates under the advisory lock; the others wait for it, then find the schema current.
    _assert_first_use_works(_run_many(cli, 6, "list", db=pg_url))


def test_many_processes_set_up_a_new_sqlite_database_at_once(cli: Any, tmp_path: Path) -> None:
    _assert_first_use_works(_run_many(cli, 6, "list", db=str(tmp_path / "new.db")))


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/test", "127.0.0.1:1"),
        ("postgresql+psycopg://postgres@nohost.invalid:5432/test", "nohost.invalid:5432"),
        ("postgresql+psycopg://postgres:secret@127.0.0.1:99999/test", "99999"),
        ("postgresql+psycopg://postgres:secret@127.0.0.1:abc/test", "abc"),
    ],
)
def test_a_server_that_is_not_there_is_named(cli: Any, url: str, named: str) -> None:
    result = cli("list", db=url)
    assert result.code == EXIT_INPUT
    assert named in result.stderr and "Traceback" not in result.stderr and "secret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["load", "import"])
def test_devices_and_pipes_are_refused_without_blocking(cli: Any, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for source in ("/dev/zero", str(fifo)):
        result = cli(command, source)  # a blocking read would hang here (and time out the test)
        assert result.code == EXIT_INPUT, result.stderr
        assert "不是普通文件" in result.stderr and "Traceback" not in result.stderr


def test_an_internal_error_exits_3_and_logs_its_traceback(cli: Any, tmp_path: Path) -> None:
    database = tmp_path / "bad.db"
    assert cli("demo", db=str(database)).code == 0
    with sqlite3.connect(database) as connection:  # stored data no release writes
        connection.execute("UPDATE project SET status = '不存在的状态' WHERE id = (SELECT min(id) FROM project)")
    state = tmp_path / "state"
    for args in (("dump", "-o", "-"), ("check",)):
        result = cli(*args, db=str(database), env={"PERFGOALS_STATE_DIR": str(state)})
        assert result.code == EXIT_INTERNAL, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("内部错误") and str(state / "errors.log") in line
    log = (state / "errors.log").read_text(encoding="utf-8")
    assert log.count("Traceback") == 2 and "ProjectStatus" in log


_FULL_DISK = r"""
set -u
mount -t tmpfs -o size=2m tmpfs "$MNT"
cp "$BASE" "$MNT/p.db"
dd if=/dev/zero of="$MNT/fill" bs=4k 2>/dev/null
truncate -s -160k "$MNT/fill"
"$PY" -m perfgoals --db "$MNT/p.db" demo --scale 2 >/dev/null 2>"$OUT/scale.err"; echo $? >"$OUT/scale.rc"
dd if=/dev/zero of="$MNT/fill2" bs=4k 2>/dev/null
"$PY" -m perfgoals --db "$BASE" dump -o "$MNT/out.json" 2>"$OUT/dump.err"; echo $? >"$OUT/dump.rc"
"$PY" -m perfgoals --db "$BASE" export --skip-checks -o "$MNT/out.csv" 2>"$OUT/csv.err"; echo $? >"$OUT/csv.rc"
"$PY" -m perfgoals --db "$BASE" export --skip-checks -o "$MNT/out.xlsx" 2>"$OUT/xlsx.err"; echo $? >"$OUT/xlsx.rc"
ls -A "$MNT" >"$OUT/left"
rm -f "$MNT/fill" "$MNT/fill2"
cp "$MNT/p.db" "$OUT/after.db"
"""


def test_a_full_disk_writes_nothing_and_says_so(cli: Any, tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("需要 unshare（util-linux）在私有挂载命名空间中挂载一个很小的 tmpfs")
    base, out, mount = tmp_path / "base.db", tmp_path / "out", tmp_path / "mnt"
    out.mkdir()
    mount.mkdir()
    assert cli("demo", db=str(base)).code == 0
    with sqlite3.connect(base) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = cli("dump", "-o", "-", db=str(base)).stdout
    namespace = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    env = {**os.environ, "MNT": str(mount), "BASE": str(base), "OUT": str(out), "PY": sys.executable}
    probe = subprocess.run([*namespace, "true"], capture_output=True, env=env, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"无法创建私有挂载命名空间：{probe.stderr.decode(errors='replace').strip()}")
    run = subprocess.run(
        [*namespace, "bash", "-c", _FULL_DISK], capture_output=True, text=True, env=env, timeout=300
    )
    assert (out / "after.db").exists(), run.stderr

    def outcome(name: str) -> tuple[int, str]:
        return int((out / f"{name}.rc").read_text()), (out / f"{name}.err").read_text(encoding="utf-8")

    # The database on the full disk: the write is refused whole, and the file is intact and unchanged.
    code, message = outcome("scale")
    assert code == EXIT_INPUT and "磁盘已满" in message and "Traceback" not in message
    with sqlite3.connect(out / "after.db") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM department").fetchone() == (1,)
    assert cli("dump", "-o", "-", db=str(out / "after.db")).stdout == before
    # Files written onto the full disk: one line each, and nothing half-written is left.
    for name in ("dump", "csv", "xlsx"):
        code, message = outcome(name)
        assert code == EXIT_INPUT, (name, message)
        assert "No space left" in message or "磁盘空间不足" in message
    for name in ("dump", "csv"):
        assert "Traceback" not in outcome(name)[1]
    assert set((out / "left").read_text().split()) - {"fill", "fill2", "p.db-wal", "p.db-shm"} == {"p.db"}
