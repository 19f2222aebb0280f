"""Reading back a workbook that ``perfgoals export`` wrote, after someone edited it in Excel.

The exporter leaves a very hidden ``_perfgoals`` sheet (department, year, project id, revision and a
fingerprint of each goal table as exported, and, since the embedded dump, each project as exported and
the department-year's ``dump`` document: :mod:`perfgoals.export.embedded`) and one defined name per
project sheet, so a renamed sheet is still found.

- A department-year the database lacks is created whole from the embedded dump, with the workbook's
  edits on top (an older workbook without the dump is refused, naming the department).
- Otherwise each project is merged three-way (:func:`perfgoals.merge.merge_projects`): base = the
  version exported, mine = what the sheet shows, theirs = the database's.  Cells only the workbook
  changed are taken, a colleague's cells kept, cells both changed are conflicts (nothing is written
  unless ``replace``, which takes the workbook's side for those cells only).  Saved through
  :func:`perfgoals.storage.repository.save_project` (revision-checked, history recorded).
- Every edited cell is reported ``工作表!单元格：旧 → 新``, or refused with its reason (a cell with no place
  in the data, an edit to the read-only 汇总).  Cells are read as Excel shows them (:func:`displayed`).

The parts, in the order they depend on each other:

* :mod:`.cells` — cells as Excel shows them (:func:`displayed`), merged ranges resolved, units in formats;
* :mod:`.opening` — opening the file and reading the hidden ``_perfgoals`` sheet, finding each sheet;
* :mod:`.goal_table` — locating a project sheet's columns and reading its goal table and the cells around it;
* :mod:`.sheet_edits` — a project sheet read as the workbook's side of the merge, every edited cell listed;
* :mod:`.summary` — edits to the read-only 汇总, reported and never imported;
* :mod:`.importing` — :func:`import_workbook` and the matching of sheets to projects.
"""

from __future__ import annotations

from perfgoals.importers.workbook.cells import displayed
from perfgoals.importers.workbook.goal_table import read_goal
from perfgoals.importers.workbook.importing import import_workbook
from perfgoals.importers.workbook.opening import WorkbookImportError, entries_of, open_workbook, sheet_for

__all__ = [
    "WorkbookImportError",
    "displayed",
    "entries_of",
    "import_workbook",
    "open_workbook",
    "read_goal",
    "sheet_for",
]
