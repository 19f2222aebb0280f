"""The TUI on the N-department database, driven with Textual's Pilot (headless, 120×40).

startup:  from the start of this process (before Textual and the TUI are imported) to the first screen
          showing the department: title set, project list filled, the first project's grid drawn,
          every project's findings counted;
open:     highlighting another project in the list until its goal table is on screen (median and best
          over several projects);
recheck:  committing one edited cell (a satisfaction target changed to ≥70%: Enter in the cell editor)
          until the first frame with the new finding is handed to the terminal (the check runs inline
          when it has proved fast, else in a worker thread);
CPU:      each figure also has the process's CPU time over the same span (all threads): on a shared,
          loaded machine wall time includes waiting for a core, CPU time does not.
check:    (the floor of recheck) ``check_project`` alone on the same edited project, no UI.
Targets: first screen under 1.5 s, opening a project under 100 ms, re-check under 50 ms.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()
STARTED_CPU = time.process_time()

import asyncio  # noqa: E402
import statistics  # noqa: E402
from typing import Any  # noqa: E402

from common import Timing, arguments, dataset, dataset_facts, emit, report  # noqa: E402

NAME = "tui"
SIZE = (120, 40)


async def _until(pilot: Any, ready: Any, *, timeout: float = 60.0) -> float:
    """Wait (checking every few ms) until ``ready()``; returns the moment it became true."""
    deadline = time.perf_counter() + timeout
    while not ready():
        if time.perf_counter() > deadline:
            raise TimeoutError("the TUI did not get there in time")
        await pilot.pause(0.002)
    return time.perf_counter()


async def drive(db: str, opens: int) -> dict[str, Any]:
    from textual import events
    from textual.widgets import Input

    from perfgoals.storage.db import open_database
    from perfgoals.tui.app import PerfgoalsApp
    from perfgoals.tui.context import TuiContext
    from perfgoals.tui.widgets.cell_editor import CellEditor
    from perfgoals.tui.widgets.project_list import ProjectList

    engine = open_database(db)
    app = PerfgoalsApp(TuiContext(engine=engine, user="bench"))
    result: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen

        def first_screen() -> bool:
            return (
                screen.department is not None
                and not getattr(screen, "_loading", False)
                and screen.department.name in str(app.sub_title)
                and screen.draft is not None
                and screen.grid.row_count == len(screen.draft.indicators) > 0
            )

        shown = await _until(pilot, first_screen)
        result["startup"] = shown - STARTED
        result["startup_cpu"] = time.process_time() - STARTED_CPU
        department = screen.department
        assert department is not None
        result["projects"] = len(department.projects)

        # Opening projects: highlight each in turn until its grid is drawn.
        projects = screen.query_one("#projects", ProjectList)
        projects.focus()
        options = [i for i, option in enumerate(projects.options) if not option.disabled]
        opened: list[float] = []
        opened_cpu: list[float] = []
        for index in options[1 : opens + 1]:
            wanted = int(str(projects.options[index].id).split("-")[-1])
            rows = len(next(p for p in department.projects if p.id == wanted).goal.indicators)
            before, before_cpu = time.perf_counter(), time.process_time()
            projects.highlighted = index
            done = await _until(pilot, lambda w=wanted, r=rows: screen.current_id == w and screen.grid.row_count == r)
            await pilot.pause()  # the refresh that puts it on screen
            opened.append(max(done, time.perf_counter()) - before)
            opened_cpu.append(time.process_time() - before_cpu)
        result["open"] = opened
        result["open_cpu"] = opened_cpu

        # Re-check after one edit: the satisfaction target of the current project → ≥70%.
        project_id = screen.current_id
        draft = screen.draft
        assert draft is not None and project_id is not None
        row = next(i for i, r in enumerate(draft.indicators) if r.level1 == "满意度指标")
        screen.grid.focus()
        screen.grid.go_to(row, "value")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        editor = screen.query_one("#cell-editor", CellEditor)
        editor.query_one(Input).value = "≥70%"
        # A user types before pressing Enter: let the editor's own redraws (its hint, the footer's
        # keys for the editor) finish first, so that the clock covers Enter → findings on screen.
        await pilot.pause(0.2)
        before_findings = screen.findings.get(project_id)

        def new_finding() -> bool:
            found = screen.findings.get(project_id)
            return found is not before_findings and any(
                f.location.row == row + 1 and f.location.field in ("value", None) for f in found or []
            )

        # The clock stops when the first frame painted after the new finding arrived is handed to the
        # terminal driver (which, headless, writes nothing).  Not Pilot's press and pause: each waits
        # for the process to look idle (20 ms sleeps at least, three of them), and pause forces a
        # redraw, so they measured Pilot more than the TUI.
        painted: list[tuple[float, float]] = []
        from perfgoals.tui.textual_compat import display_hook, set_display_hook

        display = display_hook(app)

        def display_timed(shown: Any, update: Any) -> None:
            display(shown, update)
            if update is not None and not painted and new_finding():
                painted.append((time.perf_counter(), time.process_time()))

        set_display_hook(app, display_timed)
        before, before_cpu = time.perf_counter(), time.process_time()
        app.post_message(events.Key("enter", "\r"))  # as the terminal driver delivers a key
        deadline = before + 60.0
        while not painted:
            if time.perf_counter() > deadline:
                raise TimeoutError("the new finding was not painted in time")
            await asyncio.sleep(0.002)
        set_display_hook(app, display)
        result["recheck"] = painted[0][0] - before
        result["recheck_cpu"] = painted[0][1] - before_cpu
        result["findings_after_edit"] = len(screen.findings[project_id])
        await pilot.pause()

        # The floor of the re-check: the engine alone on the edited project.
        from perfgoals.checks import check_project

        edited = screen.workspace.department_with_drafts()
        project = next(p for p in edited.projects if p.id == project_id)
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            check_project(edited, project)
            runs.append(time.perf_counter() - started)
        result["check"] = runs
        await pilot.press("ctrl+z")  # leave the database as it was (nothing was saved anyway)
    engine.dispose()
    return result


def main() -> None:
    args = arguments(__doc__ or NAME, ("all",))
    db = str(dataset(args.n, quiet=True))
    facts = dataset_facts(args.n)
    # The dataset is ready before the clock that matters starts: restart it here.
    global STARTED, STARTED_CPU
    STARTED, STARTED_CPU = time.perf_counter(), time.process_time()
    measured = asyncio.run(drive(db, opens=10))
    print(f"department opened: {measured['projects']} projects")
    parts = [
        report(NAME, "startup", Timing([measured["startup"]], [measured["startup_cpu"]])),
        report(NAME, "open", Timing([statistics.median(measured["open"])], [statistics.median(measured["open_cpu"])]),
               best=min(measured["open"]), worst=max(measured["open"]), runs_all=measured["open"],
               cpu_runs_all=measured["open_cpu"]),
        report(NAME, "recheck", Timing([measured["recheck"]], [measured["recheck_cpu"]]),
               findings=measured["findings_after_edit"]),
        report(NAME, "check", Timing([min(measured["check"])]), runs_all=measured["check"]),
    ]
    emit(NAME, parts, n=args.n, dataset=facts, targets={"startup": 1.5, "open": 0.1, "recheck": 0.05})


if __name__ == "__main__":
    main()
