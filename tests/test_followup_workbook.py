"""The 工作版's 部门整体绩效目标 and 审核意见 sheets and the comments' notes, read back with openpyxl, and
their round trip (a reply typed into 回复, an edited goal) through ``perfgoals export`` / ``import``."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from perfgoals.models import Comment, Department, Reply, Role
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session
from tests.builders import full_department


def _commented() -> Department:
    department = full_department()
    department.projects[1].comments = []
    project = department.projects[0]
    project.comments = [
        Comment(
            number=1, author="李审核", role=Role.FINANCE_REVIEWER, text="指标值偏低", row=0, field="value"
        ),
        Comment(
            number=2,
            author="李审核",
            role=Role.FINANCE_REVIEWER,
            text="请补充绩效目标",
            replies=[Reply(author="王芳", text="已补充")],
            resolved=True,
        ),
    ]
    return department


def _load(db: str) -> Department:
    engine = open_database(db)
    with read_session(engine) as session:
        key = repo.find_department(session, code="731", year=2022)
        department = repo.load_department(session, department_id=key.id)
    engine.dispose()
    return department


def test_work_edition_lists_goals_and_comments_and_takes_replies_back(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "wb.db")
    engine = open_database(db)
    with write_session(engine) as session:
        repo.save_department(session, department=_commented(), user="测试员")
    engine.dispose()

    out = tmp_path / "work.xlsx"
    exported = cli("export", "-d", "731", "-y", "2022", "-o", str(out), db=db)
    assert exported.code == 0, exported.stderr
    book = openpyxl.load_workbook(out)

    goals = [[cell.value for cell in row] for row in book["部门整体绩效目标"].iter_rows()]
    assert goals[1][:6] == [
        "部门编码",
        "部门名称",
        "年度",
        "部门整体绩效目标",
        "分项绩效目标",
        "工作保障措施",
    ]
    assert goals[2][0] == "731" and goals[2][3] == "市科协紧紧围绕全市中心工作……"
    assert goals[2][4] == "1、部门管理" and goals[2][5] == "1、加强制度建设。"

    listed = [[cell.value for cell in row] for row in book["审核意见"].iter_rows()]
    header = listed[1]
    assert header[-1] == "回复（在此填写）"
    first, second = listed[2], listed[3]
    assert first[2] == "开展科技工作者助力乡村振兴经费" and first[3] == 1 and first[4] == "第 1 行 指标值"
    assert (
        first[5] == "李审核"
        and first[6] == "财政审核人"
        and first[7] == "指标值偏低"
        and first[9] == "未解决"
    )
    assert second[4] == "整张表" and second[8] == "王芳：已补充" and second[9] == "已解决"

    # The note sits on the commented cell of the project sheet.
    sheet = next(book[name] for name in book.sheetnames if name.startswith("开展科技工作者助力乡村振兴"))
    noted = {cell.coordinate: cell.comment.text for row in sheet.iter_rows() for cell in row if cell.comment}
    value_note = next(text for text in noted.values() if "指标值偏低" in text)
    assert "审核意见 1（李审核）" in value_note
    commented_cell = next(
        cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment and "指标值偏低" in cell.comment.text
    )
    assert commented_cell.value == "≥3种"
    assert any("请补充绩效目标" in text and "王芳：已补充" in text for text in noted.values())

    # Edited in Excel: a reply typed into 回复, 分项绩效目标 rewritten.
    edit = openpyxl.load_workbook(out)
    reply_column = header.index("回复（在此填写）") + 1
    edit["审核意见"].cell(row=3, column=reply_column, value="已按要求调高至≥5种")
    edit["部门整体绩效目标"].cell(row=3, column=5, value="1、部门管理\n2、科普服务")
    edited = tmp_path / "edited.xlsx"
    edit.save(edited)

    imported = cli("import", str(edited), db=db, env={"PERFGOALS_USER": "王芳"})
    assert imported.code == 0, imported.stderr
    assert "第 1 条审核意见已加回复" in imported.stdout and "分项绩效目标" in imported.stdout

    department = _load(db)
    comment = department.projects[0].comments[0]
    assert [(reply.author, reply.text) for reply in comment.replies] == [("王芳", "已按要求调高至≥5种")]
    assert department.projects[0].comments[1].replies == [Reply(author="王芳", text="已补充")]
    assert department.goals.itemised == "1、部门管理\n2、科普服务"
    assert department.goals.overall == "市科协紧紧围绕全市中心工作……"

    # The same workbook again adds nothing twice.
    again = cli("import", str(edited), db=db, env={"PERFGOALS_USER": "王芳"})
    assert again.code == 0, again.stderr
    assert len(_load(db).projects[0].comments[0].replies) == 1


def test_submit_edition_has_neither_sheet(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "s.db")
    engine = open_database(db)
    with write_session(engine) as session:
        repo.save_department(session, department=_commented(), user="测试员")
    engine.dispose()
    out = tmp_path / "submit.xlsx"
    result = cli("export", "-d", "731", "-y", "2022", "--edition", "报送", "-o", str(out), db=db)
    assert result.code == 0, result.stderr
    names = openpyxl.load_workbook(out).sheetnames
    assert "审核意见" not in names and "部门整体绩效目标" not in names
