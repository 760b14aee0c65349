"""`zsyz --help` as Typer prints it at 80 columns, stored so the entry point can answer
without importing Typer (`cli/entry.py`). tests/test_entry.py fails when it goes stale;
regenerate with `python -m zsyz.cli.root_help`."""

ROOT_HELP = (
    "Usage: zsyz [OPTIONS] COMMAND [ARGS]...\n"
    "\n"
    "  招商引资目标责任台账：周报导入、目标完成、排名、奖励与预警。\n"
    "\n"
    "Options:\n"
    "  --db <str>  台账位置：文件路径（SQLite）或数据库 URL；默认 ZSYZ_DB 或 ./zsyz.db\n"
    "  --version   显示版本\n"
    "  -h, --help  Show this message and exit.\n"
    "\n"
    "Commands:\n"
    "  init        新建台账：建表、载入政策及其单位名册。不会覆盖已有台账。\n"
    "  demo        用样例建一个临时台账，演示导入、完成情况、排名与奖励（任何目录下都可运行）。\n"
    "  progress    目标完成情况：每个单位每项目标的目标值、完成值、完成率与计入的项目。\n"
    "  rank        排名：按政策计分，在组内排名（乡镇与乡镇比、部门与部门比），并与上期比较。\n"
    "  rewards     奖励：每条奖励的单位、规则、金额（万元）、理由与项目；各单位与全部合计；评优否优与通报。\n"
    "  report      通报：按月、季、半年或年度生成可打印的通报工作簿（.xlsx）和/或文字通报（.docx）。\n"
    "  alerts      预警：未按时报送、项目停滞、签约未开工、计划开工未开工、落后序时进度、当月无信息/外出、低于准入强度。\n"
    "  import      导入各单位的项目周报（整份校验，全部无误才写入；有误则整份拒收，退出码 65）。\n"
    "  template    生成某单位的项目周报模板，预填其在库项目及项目编号。\n"
    "  db          台账维护：结构升级、版本、备份。\n"
    "  units       责任单位：名册、类别、分组、上级单位与别名。\n"
    "  targets     目标任务：按单位、年度设定的显式目标（覆盖政策中的类别目标）。\n"
    "  policy      政策：内置预设的列表与内容，政策文件检查。\n"
    "  activities  招商活动登记：项目信息与外出招商，计入项目信息、外出招商指标与月度预警。\n"
    "  projects    项目：列表、详情、审批权限、准入核查与变更历史。\n"
    "  adjust      手工加减分：弄虚作假、被通报批评等表格里看不到的事项，记明理由与依据，计入排名。\n"
    "  imports     导入批次：查看、明细与撤销。\n"
)


def render() -> str:
    """What Typer prints for `zsyz --help` at 80 columns."""
    import os

    from typer.testing import CliRunner

    from zsyz.cli.app import app

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"
    try:
        result = CliRunner().invoke(app, ["--help"], prog_name="zsyz")
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return result.output


if __name__ == "__main__":
    from pathlib import Path

    here = Path(__file__)
    text = here.read_text(encoding="utf-8")
    # the marker is assembled so that this block's own text never matches it
    head, _, tail = text.partition("ROOT_HELP = " + '""')
    if not _:
        head, _, rest = text.partition("ROOT_HELP = (")
        tail = rest.split("\n)\n", 1)[1]
    body = "".join(f"    {line!r}\n" for line in render().splitlines(keepends=True))
    here.write_text(f"{head}ROOT_HELP = (\n{body})\n{tail}", encoding="utf-8")
