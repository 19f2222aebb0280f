"""Where the database is, how to connect to it, and keeping its schema current.

One database serves every command: ``--db`` (a path or a SQLAlchemy URL), else ``PERFGOALS_DB``,
else a SQLite file in the platform's user data folder.  SQLite runs with foreign keys on, WAL
journalling and a short busy timeout, so that a locked database fails with a clear message instead of
hanging.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlmodel import Session, create_engine

from perfgoals.errors import PerfgoalsError

ENV_DB = "PERFGOALS_DB"
ENV_LOCK_TIMEOUT = "PERFGOALS_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 5.0
APP_NAME = "perfgoals"


class StorageError(PerfgoalsError):
    """A database problem a user can act on; the message is for them (Chinese)."""


class DatabaseUnavailable(StorageError):
    pass


class DatabaseLocked(StorageError):
    pass


class SchemaTooNew(StorageError):
    pass


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "perfgoals.db"


def resolve_database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (a path or URL), ``$PERFGOALS_DB``, or the default file."""
    target = db or os.environ.get(ENV_DB) or str(default_database_path())
    if "://" in target:
        return target
    return URL.create("sqlite", database=str(Path(target).expanduser().absolute())).render_as_string()


def describe_url(url: str) -> str:
    """The database for a user: the file path for SQLite, the URL without password otherwise."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _lock_timeout() -> float:
    try:
        return float(os.environ.get(ENV_LOCK_TIMEOUT, DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy manage transactions; turn on the pragmas every connection needs.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(_lock_timeout() * 1000)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    # BEGIN IMMEDIATE takes the write lock up front, so a writer waits (busy_timeout) at the start of
    # its transaction rather than failing half-way through.
    writing = connection.get_execution_options().get("sqlite_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, marked so that SQLite transactions start with the write lock taken."""
    return engine.execution_options(sqlite_write=True)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``; for SQLite a missing parent folder is created and pragmas are set."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"数据库地址无效：{url}") from None
    except ValueError as exc:  # a port that is not a number
        raise DatabaseUnavailable(f"数据库地址无效（端口须为 1–65535 的数字）：{_hide_password(url)}（{exc}）") from None
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise DatabaseUnavailable(f"数据库地址无效：端口 {parsed.port} 不在 1–65535 之间：{describe_url(url)}")
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            path = Path(database)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(f"无法创建数据库所在文件夹 {path.parent}：{exc.strerror}") from None
            if path.exists() and path.is_dir():
                raise DatabaseUnavailable(f"数据库路径是一个文件夹，不是文件：{path}")
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": _lock_timeout(), "check_same_thread": False}
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    try:
        if backend == "postgresql":
            return create_engine(
                url, echo=echo, pool_pre_ping=True, connect_args={"connect_timeout": int(_lock_timeout()) + 1}
            )
        return create_engine(url, echo=echo)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise DatabaseUnavailable(f"不支持的数据库地址 {describe_url(url)}：{exc}") from None


def _hide_password(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for a URL SQLAlchemy cannot parse)."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def _server(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or '默认端口'}"


def _disk_nearly_full(url: str) -> bool:
    """Whether the disk holding a SQLite database has (almost) no room left."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return False
    try:
        return shutil.disk_usage(Path(parsed.database).parent).free < 1024 * 1024
    except OSError:
        return False


def translate_error(exc: Exception, url: str) -> StorageError:
    """Turn a driver error into a message that says what and where."""
    where = describe_url(url)
    text = str(getattr(exc, "orig", exc))
    if "database or disk is full" in text or "No space left on device" in text or (
        "disk I/O error" in text and _disk_nearly_full(url)
    ):
        return DatabaseUnavailable(f"磁盘已满，数据库 {where} 无法读写；本次操作已撤销，未写入任何内容。")
    if "disk I/O error" in text:
        return DatabaseUnavailable(f"读写数据库文件 {where} 时出错（磁盘故障或文件被外部改动）；本次操作已撤销。")
    if make_url(url).get_backend_name() != "sqlite" and isinstance(exc, OperationalError | DBAPIError) and (
        "connection" in text.lower() or "resolve host" in text or "could not translate host" in text
    ):
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        return DatabaseUnavailable(f"无法连接数据库服务器 {_server(url)}（{where}）：{first.strip(chr(34))}")
    if isinstance(exc, OperationalError | DBAPIError) and ("locked" in text or "lock timeout" in text):
        return DatabaseLocked(f"数据库正被其他程序写入，等待 {_lock_timeout():g} 秒后仍未释放：{where}")
    if isinstance(exc, OperationalError | DBAPIError) and (
        "unable to open" in text or "connection" in text.lower() or "file is not a database" in text
    ):
        if "file is not a database" in text:
            return DatabaseUnavailable(f"不是 SQLite 数据库文件：{where}")
        return DatabaseUnavailable(f"无法打开数据库 {where}：{text.strip().splitlines()[0]}")
    return DatabaseUnavailable(f"数据库出错（{where}）：{text.strip().splitlines()[0] if text else exc!r}")


# --- schema ---------------------------------------------------------------------------------------


def _alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    location = resources.files("perfgoals").joinpath("storage/migrations")
    config = Config()
    config.set_main_option("script_location", str(location))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


#: This release's schema revision; a test keeps it equal to the newest Alembic revision.  Knowing it
#: lets an up-to-date database open without importing Alembic (a noticeable part of start-up).
SCHEMA_HEAD = "0007"


def current_revision(connection: Connection) -> str | None:
    """The schema revision recorded in the database, or ``None`` for a database without one."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


#: The PostgreSQL advisory lock under which one process at a time creates or upgrades the schema.
MIGRATION_LOCK = 0x7065_7266_676F  # "perfgo"


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema to this release's; refuse a database from a newer release.

    On PostgreSQL several processes may open a new database at once: the one that takes the advisory
    lock :data:`MIGRATION_LOCK` migrates, the others wait for it and then find the schema current.
    """
    url = engine.url.render_as_string(hide_password=False)
    try:
        with engine.connect() as connection:
            if current_revision(connection) == SCHEMA_HEAD:
                return
        if engine.dialect.name != "postgresql":
            _upgrade_schema(engine, url)
            return
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as holder:
            holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                _upgrade_schema(engine, url)
            finally:
                holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
    except StorageError:
        raise
    except (OperationalError, DBAPIError) as exc:
        raise translate_error(exc, url) from None


def _upgrade_schema(engine: Engine, url: str) -> None:
    """Migrate to :data:`SCHEMA_HEAD` unless the database is there (read again: under the lock, another
    process may just have done it)."""
    with engine.connect() as connection:
        current = current_revision(connection)
        if current == SCHEMA_HEAD:
            return
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(_alembic_config())
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise SchemaTooNew(
                f"数据库 {describe_url(url)} 由更新版本的 perfgoals 创建（结构版本 {current}），"
                "请升级 perfgoals 后再打开。"
            )
        if current is None and inspect(connection).has_table("project"):
            raise DatabaseUnavailable(
                f"数据库 {describe_url(url)} 含有 perfgoals 的表，但没有结构版本记录。"
            )
    migrate(engine, "head")


class MigrationFailed(StorageError):
    pass


def migrate(engine: Engine, revision: str, *, downgrade: bool = False) -> None:
    """Upgrade (or ``downgrade``) the schema to ``revision`` in one transaction.

    On SQLite, altering a table means rebuilding it (Alembic's batch mode), and dropping the old copy
    with foreign keys on would cascade its deletes to the child rows.  So foreign keys are turned off
    for the migration (SQLite ignores the pragma inside a transaction, hence before it), checked with
    ``PRAGMA foreign_key_check`` before committing, and turned back on whatever happens.
    """
    from alembic import command

    step = command.downgrade if downgrade else command.upgrade
    with writer(engine).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw: Any = connection.connection.driver_connection if sqlite else None
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                step(_alembic_config(connection), revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationFailed(
                            f"数据库结构升级后有 {len(broken)} 行引用了不存在的数据（如表 {broken[0][0]}），"
                            "已撤销升级，数据库保持原样。"
                        )
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def open_database(db: str | None = None) -> Engine:
    """Resolve, connect and bring the schema up to date: the one entry point for every command."""
    url = resolve_database_url(db)
    engine = make_engine(url)
    ensure_schema(engine)
    return engine


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; it never writes."""
    with Session(engine) as session:
        try:
            yield session
        except (OperationalError, DBAPIError) as exc:
            raise translate_error(exc, engine.url.render_as_string(hide_password=False)) from None


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction: committed whole when the block ends, rolled back whole on any error."""
    url = engine.url.render_as_string(hide_password=False)
    try:
        with Session(writer(engine)) as session:
            yield session
            session.commit()
    except (OperationalError, DBAPIError) as exc:
        raise translate_error(exc, url) from None
