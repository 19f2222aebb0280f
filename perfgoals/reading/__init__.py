"""The reading layer: every figure of a department read once, the same way everywhere.

Nothing here knows of Textual or of storage.  The importers, the checks, the TUI and every export
read each of these from one module:

* :mod:`~perfgoals.reading.money`: an amount a person types (``21.87万``, ``二十一点八七万``,
  ``218700元``), and how an amount is printed (to 0.01 of the unit it was written in);
* :mod:`~perfgoals.reading.rows`: a row's 一级/二级 against the framework, and its 指标值 read together
  with its 度量单位 column;
* :mod:`~perfgoals.reading.amounts`: a project's amount, in 万元, and whether it was inferred;
* :mod:`~perfgoals.reading.ceiling`: the cost ceiling of a goal table;
* :mod:`~perfgoals.reading.reconcile`: a budget line against its projects, with one set of verdicts;
* :mod:`~perfgoals.reading.rounding`: when publication rounding explains a difference.
"""
