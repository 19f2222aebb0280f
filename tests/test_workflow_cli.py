"""The review on the command line, as a user runs it: submit → 退回 with a cell comment → fix → submit →
部门已审 → 财政已审 (良); a refused submit names the open errors; a 中 returns the table."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

PROJECT = "科普活动"


def _edit_workbook(path: Path, edited: Path, level3: str, value: str) -> None:
    """Set the 指标值 of the row whose 三级指标 is ``level3`` (the column right of it) in PROJECT's sheet."""
    book = openpyxl.load_workbook(path)
    sheet = book[PROJECT]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == level3)
    sheet.cell(cell.row, cell.column + 1).value = value
    book.save(edited)


def test_a_table_goes_through_the_review(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def as_user(user: str, *args: str):  # type: ignore[no-untyped-def]
        return cli("--user", user, *args)

    assert cli("demo").code == 0
    # The owner's table has an error: 在职人数 without a value (PG305).
    assert cli("dump", "-o", str(tmp_path / "d.json")).code == 0
    document = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    project = next(p for p in document["department"]["projects"] if p["name"] == PROJECT)
    assert project["goal"]["indicators"][1]["level3"] == "在职人数"
    project["goal"]["indicators"][1]["value"] = ""
    (tmp_path / "d.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert cli("load", str(tmp_path / "d.json")).code == 0

    # The finance office sets up the review: itself first, then a department reviewer and an owner.
    assert "审核流程尚未启用" in cli("users", "list").stdout
    assert as_user("处长", "users", "add", "处长", "--role", "财政审核人").code == 0
    assert as_user("处长", "users", "add", "李四", "--role", "部门审核人", "-d", "731").code == 0
    added = as_user("处长", "users", "add", "王芳", "--role", "项目负责人", "-d", "731")
    assert added.code == 0 and "已登记用户“王芳”：项目负责人，负责 731" in added.stdout
    refused = as_user("王芳", "users", "add", "张三", "--role", "项目负责人", "-d", "731")
    assert refused.code == 2 and "只有财政审核人可以添加用户" in refused.stderr
    unknown = as_user("张三", "submit", "-p", PROJECT)
    assert unknown.code == 2 and "用户“张三”未登记" in unknown.stderr and "perfgoals users add" in unknown.stderr

    # A refused submit names the open error; accepted with a reason, it goes through.
    refused = as_user("王芳", "submit", "-p", PROJECT)
    assert refused.code == 2
    assert "有 1 个未处理的错误，不能提交" in refused.stderr and "PG305 第2行：数量指标：在职人数的指标值为空" in refused.stderr
    submitted = as_user("王芳", "submit", "-p", PROJECT, "--accept", "PG305=人数待人事核定")
    assert submitted.code == 0, submitted.stderr
    assert "提交，草稿 → 已提交" in submitted.stdout and "已接受的问题：PG305" in submitted.stdout

    # Locked: the owner's edited workbook of the submitted table is refused, naming it.
    assert cli("export", "-o", str(tmp_path / "w.xlsx")).code == 0
    _edit_workbook(tmp_path / "w.xlsx", tmp_path / "edited.xlsx", "在职人数", "22人")
    locked = as_user("王芳", "import", str(tmp_path / "edited.xlsx"))
    assert locked.code == 2 and f"“{PROJECT}”已提交，绩效目标表已锁定" in locked.stderr

    # The department reviewer returns it with a comment on the cell.
    queue = as_user("李四", "queue")
    assert queue.stdout.splitlines() == [f"731\t2022\t{PROJECT}\t已提交\t退回、部门审核通过"]
    returned = as_user("李四", "return", "-p", PROJECT, "--comment", "第2行 指标值：请填写在职人数")
    assert returned.code == 0, returned.stderr
    assert "退回，已提交 → 已退回" in returned.stdout and "#1 第2行 指标值：请填写在职人数" in returned.stdout
    assert as_user("王芳", "queue").stdout.splitlines()[0] == f"731\t2022\t{PROJECT}\t已退回\t提交"

    # The owner answers and fixes the cell (the same workbook now comes in), and submits again.
    assert as_user("王芳", "reply", "-p", PROJECT, "1", "已填写 22人").code == 0
    fixed = as_user("王芳", "import", str(tmp_path / "edited.xlsx"))
    assert fixed.code == 0, fixed.stderr
    assert as_user("王芳", "submit", "-p", PROJECT).code == 0
    wrong = as_user("王芳", "approve", "-p", PROJECT)
    assert wrong.code == 2 and "“部门审核通过”只能由部门审核人操作，王芳（项目负责人）不能" in wrong.stderr
    early = as_user("处长", "approve", "-p", PROJECT, "--grade", "良")
    assert early.code == 2 and "现为“已提交”，不能“财政审核”" in early.stderr
    assert "部门审核通过，已提交 → 部门已审" in as_user("李四", "approve", "-p", PROJECT).stdout
    assert as_user("处长", "queue").stdout.splitlines() == [f"731\t2022\t{PROJECT}\t部门已审\t退回、财政审核"]
    approved = as_user(
        "处长", "approve", "-p", PROJECT, "--grade", "良",
        "--opinion", "完整性=指标完整", "--opinion", "适当性=成本与预算相符", "--opinion", "可行性=可行",
    )  # fmt: skip
    assert approved.code == 0, approved.stderr
    assert "财政审核，部门已审 → 财政已审（良）" in approved.stdout

    log = as_user("王芳", "review-log", "-p", PROJECT)
    assert log.code == 0
    text = log.stdout
    assert f"项目“{PROJECT}”：财政已审" in text
    assert "#1 第2行 指标值 李四（部门审核人）" in text and "原文：\n" not in text and "请填写在职人数" in text
    assert "↳ 王芳" in text and "已填写 22人" in text
    for line in (
        "王芳（项目负责人） 提交：草稿 → 已提交",
        "李四（部门审核人） 退回：已提交 → 已退回",
        "王芳（项目负责人） 提交：已退回 → 已提交",
        "李四（部门审核人） 部门审核通过：已提交 → 部门已审",
        "处长（财政审核人） 财政审核：部门已审 → 财政已审，结果 良",
    ):
        assert line in text, line
    assert "已接受的问题：PG305" in text and "相关性：无意见" in text and "完整性：指标完整" in text
    history = cli("history").stdout
    assert all(action in history for action in ("提交", "退回", "回复", "部门审核通过", "财政审核"))

    # A 中 returns the table; a failing grade needs an opinion on every point.
    other = "科普经费"
    assert as_user("王芳", "submit", "-p", other).code == 0
    assert as_user("李四", "approve", "-p", other).code == 0
    short = as_user("处长", "approve", "-p", other, "--grade", "中", "--opinion", "完整性=缺满意度指标")
    assert short.code == 2 and "缺少：相关性、适当性、可行性" in short.stderr
    failed = as_user(
        "处长", "approve", "-p", other, "--grade", "中",
        "--opinion", "完整性=缺满意度指标", "--opinion", "相关性=相关", "--opinion", "适当性=成本偏高",
        "--opinion", "可行性=可行",
    )  # fmt: skip
    assert failed.code == 0 and "财政审核，部门已审 → 已退回（中）" in failed.stdout
    assert as_user("处长", "queue", "--all-departments").stdout.splitlines() == [
        f"731\t2022\t{other}\t已退回\t待项目负责人修改"
    ]


def test_comments_first_then_a_return_and_withdrawing(cli) -> None:  # type: ignore[no-untyped-def]
    def as_user(user: str, *args: str):  # type: ignore[no-untyped-def]
        return cli("--user", user, *args)

    assert cli("demo").code == 0
    as_user("财政", "users", "add", "财政", "--role", "财政审核人")
    as_user("财政", "users", "add", "李四", "--role", "部门审核人", "-d", "731")
    as_user("财政", "users", "add", "王芳", "--role", "项目负责人", "-d", "731")
    assert as_user("王芳", "submit", "-p", PROJECT).code == 0
    assert as_user("王芳", "withdraw", "-p", PROJECT).stdout.startswith(f"项目“{PROJECT}”：撤回，已提交 → 草稿")
    assert as_user("王芳", "submit", "-p", PROJECT).code == 0
    bare = as_user("李四", "return", "-p", PROJECT)
    assert bare.code == 2 and "须附至少一条评论或一段说明" in bare.stderr
    first = as_user("李四", "comment", "-p", PROJECT, "--row", "1", "--column", "指标值", "期数偏少")
    assert first.code == 0 and "#1（第1行 指标值）" in first.stdout
    assert as_user("李四", "comment", "-p", PROJECT, "整张表缺少说明").code == 0
    bad = as_user("李四", "comment", "-p", PROJECT, "--row", "99", "?")
    assert bad.code == 2 and "没有第 99 行" in bad.stderr
    assert as_user("李四", "return", "-p", PROJECT).code == 0
    assert as_user("李四", "resolve", "-p", PROJECT, "2").code == 0
    log = as_user("王芳", "review-log", "-p", PROJECT).stdout
    assert "#1 第1行 指标值" in log and "原文：≥6期" in log and "#2 整表" in log and "[已解决]" in log
    assert as_user("王芳", "withdraw", "-p", PROJECT).code == 2


def test_on_postgresql_the_user_is_the_login(cli, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo", db=pg_url).code == 0
    added = cli("users", "add", "postgres", "--role", "财政审核人", db=pg_url)  # PERFGOALS_USER=测试员 is not who acts
    assert added.code == 0 and "已登记用户“postgres”：财政审核人" in added.stdout
    assert cli("users", "list", db=pg_url).stdout.startswith("postgres\t财政审核人\t全部部门\tpostgres")
    other = cli("--user", "张三", "queue", db=pg_url)
    assert other.code == 2 and "审核中的用户就是数据库登录名（postgres）" in other.stderr
    assert cli("queue", db=pg_url).stdout == "没有等待处理的表。\n"
