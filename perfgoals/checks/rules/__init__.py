"""The rules, one per module: ``pgNNN_short_name.py`` holds the rule with code ``PGNNN``.

Each rule is a class with ``code``, ``severity``, ``title`` and a Chinese docstring that is its user
documentation (检查内容 / 为什么重要 / 错误示例 / 正确示例).  List new rules in
:mod:`perfgoals.checks.registry` and regenerate ``docs/rules.md`` (``python -m perfgoals.checks.docs``).
"""
