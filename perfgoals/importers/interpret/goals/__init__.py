"""Goal tables (绩效目标表), one module per layout family:

* :mod:`.national` — the national 2021 template and most local layouts (the base every family builds on);
* :mod:`.central` — the central template's project block;
* :mod:`.two_groups` — the 88号 申报表: 实施期 and 年度 groups side by side;
* :mod:`.sichuan` — several projects in one table, their columns merged down beside the indicators;
* :mod:`.hubei` — a project block with a cost breakdown;
* :mod:`.hunan` — the Hunan 申报表's block and columns.

:mod:`.block` reads the project block, :mod:`.columns` the header, :mod:`.rows` the indicator rows and
footers; :mod:`.table` assembles them: :func:`~.table.read_goal_unit` is the entry.
"""
