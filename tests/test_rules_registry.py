"""The rule registry: unique stable codes, every rule documented, and the docs page current."""

from __future__ import annotations

import re
from pathlib import Path

from perfgoals.checks.base import Rule, Scope
from perfgoals.checks.docs import DOCS_PATH, main, render_rules_markdown
from perfgoals.checks.findings import Severity
from perfgoals.checks.registry import RULES, RULES_BY_CODE, get_rule

SECTIONS = ("检查内容：", "为什么重要：", "错误示例：", "正确示例：")


def test_codes_are_unique_well_formed_and_in_order() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes)) == len(RULES_BY_CODE)
    assert all(re.fullmatch(r"PG[1-7]\d\d", code) for code in codes)
    assert codes == sorted(codes)


def test_every_rule_is_documented_in_chinese() -> None:
    for rule in RULES:
        assert isinstance(rule, Rule)
        assert isinstance(rule.severity, Severity)
        assert isinstance(rule.scope, Scope)
        assert rule.title and re.search(r"[\u4e00-\u9fff]", rule.title), rule.code
        doc = rule.doc()
        for section in SECTIONS:
            assert section in doc, f"{rule.code} 的说明缺少“{section}”"
        assert rule.hooks(), f"{rule.code} implements no check"


def test_rule_modules_hold_one_rule_each() -> None:
    modules = {type(rule).__module__ for rule in RULES}
    assert len(modules) == len(RULES)
    for rule in RULES:
        assert type(rule).__module__.split(".")[-1].startswith(rule.code.lower() + "_")


def test_get_rule_is_case_insensitive() -> None:
    assert get_rule("pg101") is RULES_BY_CODE["PG101"]
    assert get_rule("PG999") is None


def test_docs_page_is_current() -> None:
    assert DOCS_PATH.read_text(encoding="utf-8") == render_rules_markdown(), (
        "docs/rules.md 不是最新的：运行 python -m perfgoals.checks.docs"
    )


def test_docs_page_lists_every_rule_with_its_examples(tmp_path: Path) -> None:
    output = tmp_path / "rules.md"
    assert main(["--output", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"### {rule.code}" in text and rule.title in text
    assert text.count("错误示例：") == len(RULES)
    assert main(["--check", "--output", str(output)]) == 0
    output.write_text(text + "手工修改\n", encoding="utf-8")
    assert main(["--check", "--output", str(output)]) == 1
