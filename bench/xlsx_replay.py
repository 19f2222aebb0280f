"""Record the XlsxWriter calls an export makes, and replay them with bare XlsxWriter: the export's floor.

Recording wraps every public method of ``Workbook`` and ``Worksheet`` (and the renderer's two helpers on
its ``FlatWorksheet``) and writes each outermost call (not the calls XlsxWriter makes to itself) to a
pickle stream, with formats and worksheets replaced by their numbers.  Replaying makes the same workbook
(same options, same formats, same cells, merges, widths and page setup) with nothing else running, so
the export's figure divided by the replay's time is what the export costs beyond XlsxWriter itself.
"""

from __future__ import annotations

import functools
import pickle
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

CHUNK = 20_000


class _Recorder:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.depth = 0
        self.buffer: list[tuple[Any, ...]] = []
        self.formats: dict[int, int] = {}
        self.sheets: dict[int, int] = {}
        self.format_count = 0
        self.sheet_count = 0
        self.calls = 0

    def add(self, target: Any, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        # Formats become their numbers, and the call notes where they are, so replaying decodes only those.
        sheet = self.sheets.get(id(target)) if isinstance(target, Worksheet) else None
        positions = tuple(i for i, a in enumerate(args) if isinstance(a, Format))
        keys = tuple(k for k, v in kwargs.items() if isinstance(v, Format))
        if positions:
            args = tuple(self.formats[id(a)] if i in positions else a for i, a in enumerate(args))
        if keys:
            kwargs = {k: self.formats[id(v)] if k in keys else v for k, v in kwargs.items()}
        self.buffer.append((sheet, method, args, kwargs or None, positions, keys))
        self.calls += 1
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            pickle.dump(self.buffer, self.stream, protocol=pickle.HIGHEST_PROTOCOL)
            self.buffer = []


def _wrap(cls: type, name: str, recorder: _Recorder) -> Any:
    original = cls.__dict__[name]

    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        outermost = recorder.depth == 0
        recorder.depth += 1
        try:
            result = original(self, *args, **kwargs)
        finally:
            recorder.depth -= 1
        if outermost:
            # Numbered by a counter, not by the size of the maps: ids of freed objects are reused.
            if name == "add_format":
                recorder.formats[id(result)] = recorder.format_count
                recorder.format_count += 1
                recorder.add(self, name, args, kwargs)
            elif name == "add_worksheet":
                recorder.sheets[id(result)] = recorder.sheet_count
                recorder.sheet_count += 1
                recorder.add(self, name, args, {k: v for k, v in kwargs.items() if k != "worksheet_class"})
            elif name not in ("worksheets", "get_worksheet_by_name", "get_name"):
                recorder.add(self, name, args, kwargs)
        return result

    return original, wrapper


@contextmanager
def recording(path: Path) -> Iterator[_Recorder]:
    """Record every workbook written inside the block into ``path``."""
    from perfgoals.export.render import FlatWorksheet

    with path.open("wb") as stream:
        recorder = _Recorder(stream)
        patched: list[tuple[type, str, Any]] = []
        original_init = Workbook.__init__

        def init(self: Workbook, filename: Any = None, options: dict[str, Any] | None = None) -> None:
            recorder.add(self, "__init__", (), {"options": dict(options or {})})
            recorder.depth += 1  # the formats a workbook makes for itself are not the caller's
            try:
                original_init(self, filename, options)
            finally:
                recorder.depth -= 1

        Workbook.__init__ = init  # type: ignore[method-assign]
        for cls in (Workbook, Worksheet, FlatWorksheet):
            for name, value in list(vars(cls).items()):
                if callable(value) and not name.startswith("_") and name not in ("worksheet_class", "chartsheet_class"):
                    original, wrapper = _wrap(cls, name, recorder)
                    patched.append((cls, name, original))
                    setattr(cls, name, wrapper)
        try:
            yield recorder
        finally:
            Workbook.__init__ = original_init  # type: ignore[method-assign]
            for cls, name, original in patched:
                setattr(cls, name, original)
            recorder.flush()


def _chunks(path: Path) -> Iterator[list[tuple[Any, ...]]]:
    with path.open("rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


def read_only(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds spent just unpickling the recording (subtracted from the replay's time)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    for _chunk in _chunks(path):
        pass
    return time.perf_counter() - started, time.process_time() - started_cpu


def replay(path: Path, output: Path) -> int:
    """Write the recorded workbook(s) to ``output`` with bare XlsxWriter; returns the number of calls.

    Formats and sheets are numbered across the whole recording; each new workbook drops the previous
    one's, so that memory is what one workbook at a time needs, as in the recorded run.
    """
    workbook: Workbook | None = None
    formats: dict[int, Format] = {}
    sheets: dict[int, Worksheet] = {}
    format_count = sheet_count = 0
    calls = 0
    for chunk in _chunks(path):
        for sheet, method, args, kwargs, positions, keys in chunk:
            calls += 1
            if positions:
                args = tuple(formats[a] if i in positions else a for i, a in enumerate(args))
            if keys:
                kwargs = {k: formats[v] if k in keys else v for k, v in kwargs.items()}
            kwargs = kwargs or {}
            if sheet is not None:
                target = sheets[sheet]
                if method == "add_merge":  # the renderer has written the merged cells already
                    target.merge.append(list(args))
                elif method == "finish":
                    if target.constant_memory:
                        target._opt_close()
                else:
                    getattr(target, method)(*args, **kwargs)
            elif method == "__init__":
                formats.clear()
                sheets.clear()
                workbook = Workbook(str(output), kwargs["options"])
            else:
                assert workbook is not None
                if method == "add_format":
                    formats[format_count] = workbook.add_format(*args, **kwargs)
                    format_count += 1
                elif method == "add_worksheet":
                    sheets[sheet_count] = workbook.add_worksheet(*args, **kwargs)
                    sheet_count += 1
                elif method == "close":
                    workbook.close()
                    workbook = None
                else:
                    getattr(workbook, method)(*args, **kwargs)
    return calls
