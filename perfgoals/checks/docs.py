"""The rules page of the documentation, generated from the registry.

``python -m perfgoals.checks.docs`` writes ``docs/rules.md``; ``--check`` only says whether it is
current (a test does the same).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from perfgoals.checks.registry import RULES

DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "rules.md"

_FAMILIES = (
    ("PG1", "金额与预算（适当性）"),
    ("PG2", "预算表内的勾稽关系"),
    ("PG3", "完整性"),
    ("PG4", "指标值"),
    ("PG5", "重复"),
    ("PG6", "绩效监控"),
    ("PG7", "绩效自评"),
)


def _join(parts: list[str]) -> str:
    """Join a wrapped paragraph: a space only between two Latin characters, none between CJK."""
    text = ""
    for part in (part.strip() for part in parts):
        if text and part and text[-1].isascii() and part[0].isascii() and text[-1] != " ":
            text += " "
        text += part
    return text


def render_rules_markdown() -> str:
    """The whole rules page as Markdown."""
    lines = [
        "# 检查规则",
        "",
        "本页由 `python -m perfgoals.checks.docs` 根据规则注册表（`perfgoals/checks/registry.py`）生成，请勿手工修改。",
        "`perfgoals rules` 列出同样的规则，`perfgoals rules 编号` 显示单条说明。",
        "",
        "金额一律折算为万元比较（元、万元可混用）；公布数按 0.01 四舍五入，n 个数相加与合计相差不超过",
        "n × 0.005 时视为舍入，只作提示（PG200），不报错误。空白金额不等于零：被核对的数空白时不检查。",
        "",
        "问题可以按项目（或部门）和规则编号接受并写明理由：`perfgoals accept 编号 --project 项目 --reason 理由`。",
        "",
        "| 编号 | 级别 | 范围 | 规则 |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        lines.append(
            f"| [{rule.code}](#{rule.code.lower()}) | {rule.severity.label} | {rule.scope.label} | {rule.title} |"
        )
    for prefix, family in _FAMILIES:
        members = [rule for rule in RULES if rule.code.startswith(prefix)]
        if not members:
            continue
        lines += ["", f"## {prefix}xx {family}"]
        for rule in members:
            lines += [
                "",
                f"### {rule.code}",
                "",
                f"**{rule.title}** — 默认级别：{rule.severity.label}；范围：{rule.scope.label}",
                "",
            ]
            for paragraph in rule.doc().split("\n\n"):
                lines.append(_join(paragraph.splitlines()))
                lines.append("")
            lines.pop()
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 docs/rules.md")
    parser.add_argument("--check", action="store_true", help="只检查文件是否为最新")
    parser.add_argument("--output", type=Path, default=DOCS_PATH)
    arguments = parser.parse_args(argv)
    text = render_rules_markdown()
    if arguments.check:
        current = arguments.output.read_text(encoding="utf-8") if arguments.output.exists() else ""
        if current != text:
            print(f"{arguments.output} 不是最新的：运行 python -m perfgoals.checks.docs", file=sys.stderr)
            return 1
        return 0
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(text, encoding="utf-8")
    print(f"已写出 {arguments.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
