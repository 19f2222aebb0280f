"""The TUI's settings file: the theme, remapped keys, and the department-year last opened.

``config.toml`` in the platform's user config folder (``~/.config/perfgoals/config.toml`` on Linux;
``$PERFGOALS_CONFIG_DIR`` overrides the folder)::

    theme = "nord"

    [keys]                      # binding id = keys, comma-separated (F1 帮助 lists the actions)
    "main.save" = "ctrl+s,f10"
    "main.edit_cell" = "f2"

    [last]                      # written by perfgoals: the department-year each database last showed
    "3f2a…" = { code = "731", year = 2022 }

perfgoals rewrites the file when the theme changes or another department-year is opened, keeping the
``[keys]`` a person wrote.  A file that cannot be read is reported and left untouched; the app then
runs on its defaults.  Nothing here imports Textual.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APP_NAME = "perfgoals"
ENV_CONFIG_DIR = "PERFGOALS_CONFIG_DIR"
FILE_NAME = "config.toml"


def config_directory() -> Path:
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def database_identity(url: str) -> str:
    """A short stable key for a database (its URL without the password)."""
    from sqlalchemy.engine import make_url

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: the text itself
        shown = url
    return hashlib.sha256(shown.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class LastOpened:
    code: str
    year: int


@dataclass
class Settings:
    """What the config file holds; :meth:`load` reads it, :meth:`save` writes it back."""

    path: Path | None = None
    theme: str | None = None
    #: Binding id → keys ("ctrl+s,f10"), as Textual's ``App.set_keymap`` takes them.
    keys: dict[str, str] = field(default_factory=dict)
    last: dict[str, LastOpened] = field(default_factory=dict)
    #: Why the file could not be read, when it could not ("" otherwise): shown once by the app.
    problem: str = ""

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or config_directory() / FILE_NAME
        settings = cls(path=path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return settings
        except OSError as exc:
            settings.problem = f"无法读取配置文件 {path}：{exc}"
            return settings
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            settings.problem = f"配置文件 {path} 格式有误（{exc}），本次按默认设置运行"
            settings.path = None  # never write over a file a person is still fixing
            return settings
        settings._read(data)
        return settings

    def _read(self, data: dict[str, Any]) -> None:
        theme = data.get("theme")
        self.theme = theme if isinstance(theme, str) and theme else None
        keys = data.get("keys", {})
        if isinstance(keys, dict):
            self.keys = {str(k): str(v) for k, v in keys.items() if isinstance(v, str) and v.strip()}
        last = data.get("last", {})
        if isinstance(last, dict):
            for key, value in last.items():
                if isinstance(value, dict) and isinstance(value.get("code"), str) and isinstance(value.get("year"), int):
                    self.last[str(key)] = LastOpened(value["code"], value["year"])

    # -- the department-year last opened ---------------------------------------------------------

    def last_opened(self, url: str) -> LastOpened | None:
        return self.last.get(database_identity(url))

    def remember(self, url: str, code: str, year: int) -> None:
        key = database_identity(url)
        if self.last.get(key) != LastOpened(code, year):
            self.last[key] = LastOpened(code, year)
            self.save()

    def set_theme(self, theme: str) -> None:
        if theme != self.theme:
            self.theme = theme
            self.save()

    # -- writing --------------------------------------------------------------------------------

    def render(self) -> str:
        lines = [
            "# perfgoals 终端界面的设置（perfgoals 会改写 theme 与 [last]；[keys] 按原样保留）",
            "# [keys]：按键编号 = 按键（多个用逗号分隔），编号见 README“改键”一节",
        ]
        if self.theme:
            lines.append(f"theme = {_quote(self.theme)}")
        lines += ["", "[keys]"]
        lines += [f"{_quote(key)} = {_quote(value)}" for key, value in sorted(self.keys.items())]
        lines += ["", "[last]"]
        lines += [
            f"{_quote(key)} = {{ code = {_quote(value.code)}, year = {value.year} }}"
            for key, value in sorted(self.last.items())
        ]
        return "\n".join(lines) + "\n"

    def save(self) -> None:
        """Write the file (atomically); a failure to write is not the user's problem now: ignored."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(self.render(), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
