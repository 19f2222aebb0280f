"""The ``perfgoals`` command line.

Each command group lives in its own module and only calls core functions (``storage``, ``importers``,
``checks``, ``export``); this module holds the shared pieces: the root group, the ``--db`` option,
Chinese-aware help formatting and turning user-facing errors into one line and exit code 2.
"""

from __future__ import annotations

import errno
import getpass
import importlib
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.engine import Engine

from perfgoals import __version__
from perfgoals.errors import EXIT_INTERNAL, PerfgoalsError

F = TypeVar("F", bound=Callable[..., Any])

#: Each command and the module that adds it to :data:`main`: a command imports only its own module, so
#: ``perfgoals check`` does not pay for the TUI, the importers or the export (a test keeps this current).
COMMAND_MODULES: dict[str, str] = {
    "demo": "perfgoals.cli.data",
    "list": "perfgoals.cli.data",
    "dump": "perfgoals.cli.data",
    "load": "perfgoals.cli.data",
    "history": "perfgoals.cli.data",
    "import": "perfgoals.cli.importing",
    "check": "perfgoals.cli.checking",
    "rules": "perfgoals.cli.checking",
    "accept": "perfgoals.cli.checking",
    "export": "perfgoals.cli.exporting",
    "tui": "perfgoals.cli.interactive",
    "rollover": "perfgoals.cli.rollover",
    "trash": "perfgoals.cli.trash",
    "restore": "perfgoals.cli.trash",
    "users": "perfgoals.cli.review",
    "submit": "perfgoals.cli.review",
    "withdraw": "perfgoals.cli.review",
    "approve": "perfgoals.cli.review",
    "return": "perfgoals.cli.review",
    "comment": "perfgoals.cli.review",
    "reply": "perfgoals.cli.review",
    "resolve": "perfgoals.cli.review",
    "queue": "perfgoals.cli.review",
    "review-log": "perfgoals.cli.review",
    "monitor": "perfgoals.cli.monitoring",
    "evaluate": "perfgoals.cli.evaluating",
}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _wrap(text: str, width: int) -> list[str]:
    """Wrap by display width; breaks at spaces where there are any, anywhere between CJK characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, line_width = "", 0
        for token in _tokens(paragraph):
            token_width = display_width(token)
            if line and line_width + token_width > width:
                lines.append(line.rstrip())
                token = token.lstrip()
                line, line_width = "", 0
                token_width = display_width(token)
            line += token
            line_width += token_width
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> Iterator[str]:
    word = ""
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            if word:
                yield word
                word = ""
            yield char
        elif char == " ":
            yield word + " "
            word = ""
        else:
            word += char
    if word:
        yield word


_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class ChineseHelpFormatter(click.HelpFormatter):
    """Click's formatter, measuring text by display width so that Chinese help lines up."""

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_width = min(max((display_width(first) for first, _ in rows), default=0), col_max)
        text_width = max((self.width or 80) - first_width - col_spacing - self.current_indent, 20)
        for first, second in rows:
            second = second.replace("[default: ", "[默认：").replace("[required]", "[必填]")
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            pad = first_width + col_spacing - display_width(first)
            lines = _wrap(second, text_width)
            if pad < col_spacing:
                self.write("\n" + " " * (self.current_indent + first_width + col_spacing))
            else:
                self.write(" " * pad)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (self.current_indent + first_width + col_spacing) + line + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：" if prefix is None else prefix)

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in _wrap(text, max((self.width or 80) - self.current_indent, 20)):
            self.write(f"{indent}{line}\n" if line else "\n")


class _Context(click.Context):
    formatter_class = ChineseHelpFormatter


@dataclass
class AppState:
    """What every command shares: the database it was pointed at, and who is working."""

    db: str | None = None
    user: str = field(default_factory=lambda: os.environ.get("PERFGOALS_USER") or _login_name())
    _engine: Engine | None = None

    def engine(self) -> Engine:
        """The database, opened and migrated on first use."""
        if self._engine is None:
            from perfgoals.storage.db import open_database

            self._engine = open_database(self.db)
        return self._engine

    @property
    def url(self) -> str:
        from perfgoals.storage.db import resolve_database_url

        return resolve_database_url(self.db)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


class PerfgoalsCommand(click.Command):
    """A command whose help option speaks Chinese."""

    context_class = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示帮助并退出。"
        return option


class PerfgoalsGroup(click.Group):
    """Loads the command modules lazily and turns user-facing errors into one line and an exit code."""

    context_class = _Context
    command_class = PerfgoalsCommand

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示帮助并退出。"
        return option

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "[命令] [参数]...")
        super().__init__(*args, **kwargs)
        self._loaded = False

    def _load(self, modules: Iterable[str]) -> None:
        for module in modules:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise

    def list_commands(self, ctx: click.Context) -> list[str]:
        if not self._loaded:
            self._loaded = True
            self._load(dict.fromkeys(COMMAND_MODULES.values()))
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None:
            self._load([module])
        elif not self._loaded:
            self.list_commands(ctx)  # an unknown name: load everything so that click can suggest one
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PerfgoalsError as exc:
            fail(str(exc), exc.exit_code)


def fail(message: str, exit_code: int = 2) -> None:
    """Print ``错误：message`` on stderr and exit."""
    click.echo(f"错误：{message}", err=True)
    sys.exit(exit_code)


pass_state = click.make_pass_decorator(AppState, ensure=True)


@click.group(
    cls=PerfgoalsGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    metavar="路径或URL",
    envvar="PERFGOALS_DB",
    help="数据库：SQLite 文件路径，或 SQLAlchemy URL（如 postgresql+psycopg://…）。"
    "默认取环境变量 PERFGOALS_DB，再默认为用户数据文件夹中的 perfgoals.db。",
)
@click.option(
    "--user", metavar="姓名", envvar="PERFGOALS_USER", help="记入修改历史的操作人（默认为登录名）。"
)
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="perfgoals",
    message="%(prog)s %(version)s",
    help="显示版本并退出。",
)
@click.pass_context
def main(ctx: click.Context, db: str | None, user: str | None) -> None:
    """perfgoals：预算绩效目标表的填报、校验与导出。

    不带子命令运行时打开终端界面（与 perfgoals tui 相同）。
    """
    state = ctx.ensure_object(AppState)
    state.db = db
    if user:
        state.user = user
    if ctx.invoked_subcommand is None:
        tui = main.get_command(ctx, "tui")
        if tui is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(tui)


def department_options(func: F) -> F:
    """``--department CODE`` and ``--year Y``: which department-year a command works on."""
    func = click.option(
        "--year", "-y", type=int, metavar="年度", help="预算年度（数据库中只有一个时可省略）。"
    )(func)
    func = click.option(
        "--department", "-d", metavar="部门编码", help="部门编码，如 731（只有一个部门时可省略）。"
    )(func)
    return func


@contextmanager
def handled() -> Iterator[None]:
    """Run a block whose user-facing errors end the command with their message."""
    try:
        yield
    except PerfgoalsError as exc:
        fail(str(exc), exc.exit_code)


_CLICK_PHRASES = (
    ("No such option", "没有这个选项"),
    ("No such command", "没有这个命令"),
    ("Missing option", "缺少选项"),
    ("Missing argument", "缺少参数"),
    ("Invalid value for", "取值无效："),
    ("Got unexpected extra argument", "多余的参数"),
    ("Got unexpected extra arguments", "多余的参数"),
    ("requires an argument", "需要一个值"),
    ("is not a valid integer", "不是有效的整数"),
    ("does not exist", "不存在"),
    ("Did you mean", "是否要用"),
)


def _chinese_usage_message(message: str) -> str:
    for english, chinese in _CLICK_PHRASES:
        message = message.replace(english, chinese)
    return message


#: Exit codes (README, "Limits"): 0 fine; 1 ``check`` found errors; 2 bad input, usage or environment
#: (a file, a database that cannot be reached, a full disk: one line saying what and where, nothing
#: written); 3 an internal error (a bug: one line, the traceback in :func:`error_log_path`).
ENV_STATE_DIR = "PERFGOALS_STATE_DIR"
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def error_log_path() -> Path:
    """Where internal errors' tracebacks go: ``errors.log`` in the user state folder
    (``~/.local/state/perfgoals`` on Linux, ``$PERFGOALS_STATE_DIR`` overrides it)."""
    folder = os.environ.get(ENV_STATE_DIR)
    if folder:
        return Path(folder) / "errors.log"
    import platformdirs

    return Path(platformdirs.user_state_dir("perfgoals", appauthor=False)) / "errors.log"


def _environment_message(exc: OSError) -> str:
    """One line for an operating-system failure outside perfgoals' control (a full disk, a file that
    cannot be written)."""
    where = exc.filename or ""
    if exc.errno in _DISK_FULL:
        return f"磁盘空间不足，无法写入{f' {where}' if where else ''}；未留下写了一半的文件。"
    reason = exc.strerror or type(exc).__name__
    return f"无法读写{f' {where}' if where else '文件'}：{reason}"


def _internal_error(exc: BaseException) -> None:
    """An unexpected exception: one Chinese line, the traceback in the error log, exit code 3."""
    import traceback
    from datetime import datetime

    detail = "".join(traceback.format_exception(exc))
    log = error_log_path()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as stream:
            stream.write(
                f"=== {datetime.now().astimezone().isoformat(timespec='seconds')} perfgoals {__version__} "
                f"pid {os.getpid()}: {' '.join(sys.argv[1:])}\n{detail}\n"
            )
        where = f"详细信息已写入 {log}"
    except OSError:
        sys.stderr.write(detail)
        where = "详细信息见上"
    summary = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    click.echo(
        f"内部错误（{type(exc).__name__}{f'：{summary}' if summary else ''}）：这是 perfgoals 的缺陷，"
        f"不是输入的问题；{where}，请报告给维护者。",
        err=True,
    )
    sys.exit(EXIT_INTERNAL)


def run() -> None:
    """Console-script entry point: usage errors in Chinese (exit 2), internal errors exit 3."""
    try:
        _run()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        sys.exit(130)
    except OSError as exc:
        if exc.errno is None:
            _internal_error(exc)
        fail(_environment_message(exc))
    except Exception as exc:  # the last line of defence: never a bare traceback
        _internal_error(exc)


def _run() -> None:
    try:
        result = main.main(prog_name="perfgoals", standalone_mode=False)
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
        fail(_chinese_usage_message(exc.format_message()), exc.exit_code)
    except click.Abort:
        click.echo("已取消。", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        fail(_chinese_usage_message(exc.format_message()), exc.exit_code)
    sys.exit(result if isinstance(result, int) else 0)
