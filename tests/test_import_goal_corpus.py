"""Goal tables as finance offices receive them: every layout of the corpus (tests/goal_corpus.py) in Word,
Excel (.xlsx and .xls) and text, the real Hunan table, the Anhui 自评表, stand-alone tables through the
command line, and one message naming every obstacle of a broken file."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.interpret.identity import derived_code
from perfgoals.importers.reading import import_path
from perfgoals.models import Direction, Footer, Indicator, LayoutFamily
from tests.goal_corpus import (
    CORPUS,
    FORMS,
    HUNAN,
    NATIONAL,
    SICHUAN,
    TWO_GROUPS,
    UP,
    Block,
    Column,
    CorpusTable,
    Item,
    docx_bytes,
    header_rows,
    indicator_rows,
    write,
)

#: Copies of ../shared/samples/real (SOURCES.md there says where each came from), so a clean checkout has them.
REAL = Path(__file__).resolve().parent / "data" / "real"
HUNAN_REAL = REAL / "xiangtan_huanjing_weisheng_guanlichu_2023.docx"
ANHUI_SELF_EVALUATION = REAL / "chizhou_guichi_tangxi_zhen_2022_ziping.docx"
D = Decimal


# --------------------------------------------------------------------- the corpus, cell by cell
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("table", CORPUS, ids=[table.name for table in CORPUS])
def test_corpus_table_imports_cell_by_cell(tmp_path: Path, table: CorpusTable, form: str) -> None:
    result = import_path(write(tmp_path, table.name, table.blocks, form))
    department = result.department
    assert (department.name, department.year) == (table.department_name, table.year)
    assert department.code == (table.department_code or derived_code(table.department_name))
    assert result.standalone
    assert [project.name for project in department.projects] == [expected.name for expected in table.projects]
    for project, expected in zip(department.projects, table.projects, strict=True):
        assert len(project.goal.indicators) == len(expected.indicators)
        for number, (row, wanted) in enumerate(zip(project.goal.indicators, expected.indicators, strict=True), 1):
            assert row == wanted, f"{expected.name} 第 {number} 行"
        for name, value in expected.fields.items():
            assert getattr(project, name) == value, name
        for name, value in expected.goal.items():
            assert getattr(project.goal, name) == value, name
        assert project.goal.layout is expected.layout
        if expected.headers:
            assert [column.header for column in project.goal.columns] == expected.headers
    assert [str(note) for note in result.notes] == []


def test_two_groups_are_recorded_as_two_runs_of_columns(tmp_path: Path) -> None:
    project = import_path(write(tmp_path, "g", TWO_GROUPS.blocks, "docx")).department.projects[0]
    assert [column.field for column in project.goal.columns] == [
        "level1", "mid_term_level2", "mid_term_level3", "mid_term_value", "level2", "level3", "value",
    ]
    assert [(label.header, label.field) for label in project.goal.block] == [
        ("项目名称", "project.name"), ("主管部门及编码", "department"), ("实施单位", "project.implementing_unit"),
        ("项目属性", "project.attribute"), ("项目期", "project.period"), ("项目资金（万元）", "project.budget_amount"),
        ("中期资金总额", "project.mid_term_amount"), ("年度资金总额", "project.budget_amount"),
        ("其中：财政拨款", "extra"), ("总体目标", "goal.goal_text"), ("实施期目标", "goal.mid_term_goal_text"),
        ("年度目标", "goal.goal_text"),
    ]


def test_sichuan_project_columns_are_recorded(tmp_path: Path) -> None:
    projects = import_path(write(tmp_path, "s", SICHUAN.blocks, "xlsx")).department.projects
    assert [(c.header, c.field) for c in projects[0].goal.columns][:5] == [
        ("单位名称", "department"), ("项目名称", "project.name"), ("预算数", "project.budget_amount"),
        ("年度目标", "goal.goal_text"), ("一级指标", "level1"),
    ]
    assert sum(row.weight or 0 for row in projects[0].goal.indicators) == 100


# --------------------------------------------------------------------- the real tables
HUNAN_REAL_ROWS = [
    ("产出指标", "数量指标", "雾炮车降尘抑尘服务配备车辆数", "10辆", "计划标准"),
    ("产出指标", "数量指标", "雾炮车风炮射程", "≥80M", "计划标准"),
    ("产出指标", "质量指标", "服务周期内空气质量", "优良", "计划标准"),
    ("产出指标", "时效指标", "服务周期", "2023.07-2024.01", "计划标准"),
    ("产出指标", "成本指标", "控制在预算成本内", "250万", "计划标准"),
    ("效益指标", "经济效益指标", "", "", None),
    ("效益指标", "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%", "计划标准"),
    ("效益指标", "生态效益指标", "", "", None),
    ("效益指标", "可持续影响指标", "", "", None),
    ("效益指标", "社会公众或服务对象满意度指标", "市民满意度", "≥90%", "计划标准"),
]
HUNAN_GOAL = "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良"


def test_real_hunan_table_imports_with_every_cell_in_place(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = import_path(HUNAN_REAL)
    department = result.department
    assert (department.name, department.year) == ("湘潭市环境卫生管理处", 2023)
    (project,) = department.projects
    assert project.name == "雾炮车降尘抑尘服务"
    assert (project.budget_amount, project.amount_unit) == (D("250"), "万元")
    assert (project.superior_amount, project.period) == (D("0"), "2023.07-2024.01")
    assert project.goal.goal_text == HUNAN_GOAL and project.goal.mid_term_goal_text == HUNAN_GOAL
    rows = [(r.level1, r.level2, r.level3, r.value, r.standard) for r in project.goal.indicators]
    assert rows == HUNAN_REAL_ROWS  # the empty 效益 rows are kept as "not applicable" rows
    assert all(not (r.description or r.basis or r.extra) for r in project.goal.indicators)
    assert project.goal.layout is LayoutFamily.HUNAN
    assert [(c.header, c.field) for c in project.goal.columns] == [
        ("本年度 绩效指标", "label"), ("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "level3"),
        ("指标值及单位", "value"), ("绩效标准", "standard"),
    ]
    assert project.goal.footers[0] == Footer(label="财政部门审核意见", text="")
    assert project.goal.footers[1].label == "填表人"
    # With no options, through the command line.
    imported = cli("import", str(HUNAN_REAL))
    assert imported.code == 0, imported.stderr
    assert "湘潭市环境卫生管理处（2023 年）" in imported.stdout and "1 个项目、10 行绩效指标" in imported.stdout


def test_real_self_evaluation_is_recognised_and_named(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A 自评表 imports as its project with its 自评 (tests/test_evaluation_import.py has every cell)."""
    result = cli("import", str(ANHUI_SELF_EVALUATION))
    assert result.code == 0, result.stderr
    assert "1 个项目、11 行绩效指标" in result.stdout and "读取的表格：绩效自评表" in result.stdout


# --------------------------------------------------------------------- stand-alone tables through the CLI
def _dump(cli, tmp_path: Path, *args: str) -> dict:  # type: ignore[no-untyped-def]
    out = tmp_path / "dump.json"
    result = cli("dump", "-o", str(out), *args)
    assert result.code == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_a_folder_of_tables_in_every_form_imports_in_one_command(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "申报表"
    folder.mkdir()
    write(folder, "1-临时救助等", SICHUAN.blocks, "xls")
    other = CorpusTable("more", [*NATIONAL.blocks[:1], "（2023年度）", [
        ["预算单位", ("某某县民政局", 2), "项目名称", ("养老服务补贴", 2)],
        *NATIONAL.blocks[2][2:],  # type: ignore[misc]
    ]], "某某县民政局", 2023, [])
    write(folder, "2-养老服务补贴", other.blocks, "docx")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4")
    result = cli("import", str(folder))
    assert result.code == 0, result.stderr
    assert "说明.pdf：不是可导入的文件类型，已跳过" in result.stdout
    department = _dump(cli, tmp_path)["department"]
    assert (department["code"], department["name"], department["year"]) == (derived_code("某某县民政局"), "某某县民政局", 2023)
    assert [p["name"] for p in department["projects"]] == ["临时救助", "敬老院维修", "养老服务补贴"]


def test_a_table_joins_the_department_of_that_name_and_options_override(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = cli("import", str(write(tmp_path, "a", HUNAN.blocks, "docx")))
    assert first.code == 0, first.stderr
    # The same department named in another table, with a code now: still the department of that name.
    again = cli("import", str(write(tmp_path, "b", NATIONAL.blocks, "text")), "--department", derived_code("某某市公厕管理所"), "--year", "2024")
    assert again.code == 0, again.stderr
    assert "已加入" in again.stdout and "新增项目（1 个）：基层农技人员培训" in again.stdout
    department = _dump(cli, tmp_path)["department"]
    assert [p["name"] for p in department["projects"]] == ["公厕保洁服务", "基层农技人员培训"]
    # Importing the same table again changes nothing; an edited one needs --replace.
    unchanged = cli("import", str(tmp_path / "a.docx"))
    assert unchanged.code == 0 and "没有变化" in unchanged.stdout, unchanged.stdout + unchanged.stderr


def test_a_table_without_department_or_year_is_refused_unless_given(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocks: list[Block] = ["项目支出绩效目标表", [
        ["项目名称", ("巡查", 3)],
        *header_rows([Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "level3"),
                      Column("指标值", "value")]),
        ["产出指标", "数量指标", "巡查次数", "≥12次"],
    ]]
    path = write(tmp_path, "无部门", blocks, "docx")
    refused = cli("import", str(path))
    assert refused.code == 2
    assert "找不到部门" in refused.stderr and "找不到预算年度" in refused.stderr  # both, in one message
    assert not (tmp_path / "cli.db").exists()
    given_options = cli("import", str(path), "--department", "901", "--year", "2025")
    assert given_options.code == 2 and "数据库中也没有编码为 901 的部门" in given_options.stderr
    assert cli("import", str(write(tmp_path, "h", HUNAN.blocks, "docx")), "-d", "901").code == 0
    assert cli("import", str(path), "--department", "901", "--year", "2024").code == 0
    department = _dump(cli, tmp_path, "-d", "901", "-y", "2024")["department"]
    assert department["name"] == "某某市公厕管理所" and [p["name"] for p in department["projects"]] == ["公厕保洁服务", "巡查"]


# --------------------------------------------------------------------- every obstacle in one message
def test_a_broken_file_names_every_obstacle_and_writes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header: list[Item] = ["一级指标", "二级指标", "三级指标", "指标值", "权重"]
    blocks: list[Block] = [
        "某某局2023年项目支出绩效目标表", "预算单位：某某局",
        [["项目名称", ("甲", 4)], header,
         ["产出指标", "数量指标", "a", "1个", "较高"],
         [UP, "质量指标", "b", "100%", "20", "多余"]],
        "乙项目绩效目标表",
        [["项目名称", ("乙", 2)], ["一级指标", "二级指标", "指标值"], ["产出指标", "数量指标", "2个"]],
    ]
    path = tmp_path / "broken.docx"
    path.write_bytes(docx_bytes(blocks, strict=False))  # one row wider than the table, as converters leave it
    result = cli("import", str(path))
    assert result.code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "有 3 处无法读取" in message, message
    assert "权重“较高”无法读作数字" in message
    assert "这一行有 6 列，表头有 5 列（多列）" in message
    assert "缺少“三级指标”列" in message
    assert not (tmp_path / "cli.db").exists()


def test_several_broken_files_are_all_named(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "a.txt"
    first.write_text("只有一段说明。\n", encoding="utf-8")
    second = write(tmp_path, "b", ["项目支出绩效自评表（2022年度）", [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分"]]], "docx")
    result = cli("import", str(first), str(second))
    assert result.code == 2
    assert "2 个文件无法导入" in result.stderr and str(first) in result.stderr and "自评表中没有“项目名称”" in result.stderr


def test_an_xls_with_a_formula_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("表")
    sheet.write(0, 0, "一级指标")
    sheet.write(3, 2, xlwt.Formula("1+1"))
    path = tmp_path / "f.xls"
    book.save(str(path))
    with pytest.raises(ImportFailure, match=r"f.xls：不能导入（1 处问题）：工作表“表”的 C4 是公式"):
        import_path(path)


# --------------------------------------------------------------------- the property: built rows come back
LEVELS = {
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "效益指标": ["经济效益指标", "社会效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}
WORDS = st.sampled_from(["培训人次", "验收合格率", "完成时间", "建设成本", "受益人数", "群众满意度", "覆盖范围"])
VALUES = st.sampled_from(["≥100人次", "100%", "2024年12月底前", "≤36万元", "明显提升", "≥90%", "12个", ""])
OPTIONAL = [
    Column("绩效指标描述", "description"), Column("指标值确定依据", "basis"), Column("绩效标准", "standard"),
    Column("计算方法", "method"), Column("当年预期实现值", "expected_value"), Column("指标性质", "nature"),
    Column("度量单位", "unit"), Column("权重", "weight"), Column("指标方向性", "direction"),
    Column("保障措施", "extra"), Column("责任科室", "extra"),
]
TEXTS = {
    "description": WORDS, "basis": st.sampled_from(["计划标准", "行业标准", "历史标准"]), "standard": WORDS,
    "method": WORDS, "expected_value": VALUES, "nature": st.sampled_from(["≥", "≤", "=", "定性"]),
    "unit": st.sampled_from(["人次", "%", "万元", "个"]), "weight": st.integers(0, 40).map(str),
    "direction": st.sampled_from([Direction.POSITIVE, Direction.NEGATIVE]),
}


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Block], list[Indicator], list[Footer]]:
    optional = draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=5))
    columns = [Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "level3"), Column("指标值", "value")]
    for column in optional:
        columns.insert(draw(st.integers(3, len(columns))), column)
    rows: list[Indicator] = []
    for level1, level2s in LEVELS.items():
        for level2 in draw(st.lists(st.sampled_from(level2s), min_size=1, max_size=3)):
            fields: dict[str, object] = {"extra": {}}
            for column in optional:
                if column.field == "extra":
                    text = draw(WORDS)
                    if text:
                        fields["extra"][column.header] = text  # type: ignore[index]
                elif draw(st.booleans()):
                    drawn = draw(TEXTS[column.field])
                    if drawn != "":  # an empty optional cell is no value (None), as the model has it
                        fields[column.field] = drawn
            if "weight" in fields:
                fields["weight"] = Decimal(str(fields["weight"]))
            rows.append(Indicator(level1=level1, level2=level2, level3=draw(WORDS), value=draw(VALUES), **fields))  # type: ignore[arg-type]
    label = draw(st.booleans())
    merge = draw(st.booleans())
    body = indicator_rows(columns, rows, merge=merge, label=label)
    head = header_rows(columns, label="本年度绩效指标" if label else None)
    width = len(columns) + label
    footers = [
        Footer(label=label, text=text)
        for label, text in draw(st.lists(st.sampled_from([("总分", "100"), ("财政部门审核意见", "同意")]), unique=True, max_size=2))
    ]
    footer_rows: list[list[Item]] = [[f.label, (f.text, width - 1)] for f in footers]
    top: list[list[Item]] = [["项目名称", ("随机项目", width - 1)], ["预算部门", ("某某局", width - 1)]]
    # A page break leaves at least one indicator row on each page (an empty 续表 is no table).
    split = draw(st.integers(1, len(body) - 1)) if len(body) >= 2 and draw(st.booleans()) else None
    if split is None or merge or label:  # a page break inside merged cells would cut the merges
        table_blocks: list[Block] = [[*top, *head, *body, *footer_rows]]
    else:
        repeat = draw(st.booleans())
        table_blocks = [[*top, *head, *body[:split]], "续表", [*(head if repeat else []), *body[split:], *footer_rows]]
    return ["某某局2024年项目支出绩效目标表", *table_blocks], rows, footers


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(built=tables(), form=st.sampled_from(FORMS))
def test_any_table_built_from_the_layout_elements_imports_to_its_rows(
    tmp_path: Path, built: tuple[list[Block], list[Indicator], list[Footer]], form: str
) -> None:
    blocks, rows, footers = built
    path = write(tmp_path, "p", blocks, form)
    (project,) = import_path(path).department.projects
    assert project.goal.indicators == rows
    assert project.goal.footers == footers


def test_the_property_can_fail(tmp_path: Path) -> None:
    """A row changed after it was built is told apart (the comparison is not vacuous)."""
    columns = [Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "level3"), Column("指标值", "value")]
    rows = [Indicator(level1="产出指标", level2="数量指标", level3="a", value="1个")]
    blocks: list[Block] = ["某某局2024年项目支出绩效目标表", [["预算部门", ("某某局", 3)], *header_rows(columns), *indicator_rows(columns, rows)]]
    (project,) = import_path(write(tmp_path, "q", blocks, "docx")).department.projects
    assert project.goal.indicators == rows
    assert project.goal.indicators != [rows[0].model_copy(update={"value": "2个"})]
    assert re.search("某某局", project.goal.indicators[0].level1) is None
