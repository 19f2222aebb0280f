"""The private Textual names perfgoals uses are all in perfgoals/tui/textual_compat.py, and each is still
there, in the form used, in the installed Textual: an upgrade that removes or changes one fails here,
naming it, rather than somewhere in the middle of a keystroke."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import textual
from textual.app import App
from textual.command import CommandPalette
from textual.widgets import DataTable, OptionList

from perfgoals.tui import textual_compat
from perfgoals.tui.textual_compat import INSTANCE_NAMES, PRIVATE_NAMES, TESTED_RANGE

ROOT = Path(__file__).resolve().parent.parent

#: The parameters each private method is called with.
SIGNATURES: dict[tuple[str, str], tuple[str, ...]] = {
    ("DataTable", "_should_highlight"): ("cursor", "target_cell", "type_of_cursor"),
    ("DataTable", "_get_cell_region"): ("coordinate",),
    ("DataTable", "_clear_caches"): (),
    ("Option", "_set_prompt"): ("prompt",),
    ("Widget", "_forward_event"): ("event",),
    ("App", "_display"): ("screen", "renderable"),
    ("CommandPalette", "_start_no_matches_countdown"): ("search_value",),
    ("CommandPalette", "_stop_no_matches_countdown"): (),
}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_the_installed_textual_is_in_the_tested_range() -> None:
    low, high = (_version(bound) for bound in TESTED_RANGE)
    assert low <= _version(textual.__version__) < high, (
        f"Textual {textual.__version__} is outside the range perfgoals/tui/textual_compat.py was checked "
        f"against ({','.join(TESTED_RANGE)}): run this test on it, then widen the range"
    )


def test_pyproject_pins_textual_to_that_range() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    (pin,) = [d for d in dependencies if d.startswith("textual")]
    assert pin.replace(" ", "") == "textual" + ",".join(TESTED_RANGE)


def _instance(cls: type[Any]) -> Any:
    if cls is DataTable:
        return DataTable()
    if cls is OptionList:
        return OptionList()
    if cls is CommandPalette:
        return CommandPalette()
    raise AssertionError(f"no instance made for {cls.__name__}")


@pytest.mark.parametrize(
    ("owner", "name"), PRIVATE_NAMES, ids=[f"{cls.__name__}.{name}" for cls, name in PRIVATE_NAMES]
)
def test_every_private_name_is_still_there(owner: type[Any], name: str) -> None:
    where = f"{owner.__module__}.{owner.__qualname__}.{name}"
    if name in INSTANCE_NAMES:
        holder = _instance(owner)
        assert hasattr(holder, name), f"Textual {textual.__version__} no longer sets {where} (textual_compat.py uses it)"
    else:
        assert hasattr(owner, name), f"Textual {textual.__version__} no longer has {where} (textual_compat.py uses it)"
    expected = SIGNATURES.get((owner.__name__, name))
    if expected is not None:
        attribute = getattr(owner, name)
        parameters = tuple(p for p in inspect.signature(attribute).parameters if p != "self")
        assert parameters[: len(expected)] == expected, (
            f"Textual {textual.__version__} changed {where}{inspect.signature(attribute)}: "
            f"textual_compat.py calls it with {expected}"
        )


def test_caches_are_what_the_grid_expects() -> None:
    # The grid redraws single rows by dropping their entries from these caches: each must still be an
    # LRU cache with keys() and discard(), keyed as textual_compat reads the keys.
    table = DataTable()
    for name in ("_row_renderable_cache", "_cell_render_cache", "_row_render_cache", "_line_cache"):
        cache = getattr(table, name)
        assert callable(getattr(cache, "keys", None)) and callable(getattr(cache, "discard", None)), name
    assert isinstance(table._new_rows, set)
    options = OptionList()
    assert isinstance(options._index_to_line, dict) and isinstance(options._heights, dict)


def test_no_other_module_of_the_tui_uses_these_names() -> None:
    names = {name for _, name in PRIVATE_NAMES}
    compat = Path(textual_compat.__file__).resolve()
    offenders = []
    for path in sorted((ROOT / "perfgoals" / "tui").rglob("*.py")):
        if path.resolve() == compat:
            continue
        text = path.read_text(encoding="utf-8")
        for name in names:
            # Textual's name used as an attribute (or as a string) outside the compat module.
            if re.search(rf"[.\"']{re.escape(name)}\b", text):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_the_app_class_keeps_its_display_hook() -> None:
    assert callable(getattr(App, "_display", None))
