"""Fictional weekly project reports, 2022 weeks 10–14 (samples/weekly/, and `zsyz demo`
after a plain install). 雪枫街道's are old-style .xls when xlwt (the "test" extra) is
installed, else .xlsx of the same cells.

Each unit sends its reports in its own messy shape, as real offices do:
- 石佛寺镇: merged title, 填报单位/填报日期 lines, two-row headings (投资情况 over
  总投资/固定资产投资/到位资金), a blank row, a 合计 row and a 填表说明 note below; its
  week-11 report had a typo in 到位资金 and was resent corrected (…（更正）.xlsx).
- 晁陂镇: an instructions sheet before the data sheet, amounts in 亿元 by heading, only
  "2022年第N周" in the title (no date line), dates as text 2022年3月15日.
- 雪枫街道: an old-style .xls (as WPS .et files are), dates as 2022/3/18 and 3月18日.
- 商务局: amounts written inside cells ("1.2亿", "6000万"), its own codes with leading
  zeros, projects landing in townships.
- 发改委: a plain one-row heading with synonyms (计划总投资, 固投金额, 当前阶段…).
File names sort chronologically, so `zsyz import samples/weekly/*` replays the weeks.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

WEEKS = (10, 11, 12, 13, 14)


def friday(week: int) -> date:
    return date.fromisocalendar(2022, week, 5)


# project → week → (stage, funds in place 万元, progress); stage dates follow the stage.
SHIFOSI: dict[str, dict[str, Any]] = {
    "玉雕文化产业园": dict(
        investor="河南玉都实业有限公司",
        origin="广东深圳",
        category="制造业",
        chain="玉雕",
        total=26000,
        fai=18000,
        signed=date(2022, 3, 8),
        started=date(2022, 3, 29),
        weeks={
            10: ("已签约", 3000, "签约完成，办理立项"),
            11: ("已签约", 5200, "完成立项备案"),
            12: ("已签约未开工", 6800, "土地摘牌"),
            13: ("已开工", 8000, "3月29日开工建设"),
            14: ("在建", 12000, "主体厂房基础施工"),
        },
    ),
    "玉石电商直播基地": dict(
        investor="杭州云播科技有限公司",
        origin="浙江杭州",
        category="现代服务业",
        chain="玉雕",
        total=6000,
        fai=5200,
        signed=date(2022, 3, 23),
        started=None,
        weeks={
            10: ("洽谈中", None, "第二轮洽谈"),
            11: ("在谈", None, "对方来镇考察"),
            12: ("已签约", 500, "3月23日签约"),
            13: ("已签约", 900, "租赁厂房装修"),
            14: ("已签约", 1300, "设备采购"),
        },
    ),
    "珠宝首饰加工厂": dict(
        investor="深圳金艺珠宝有限公司",
        origin="广东深圳",
        category="制造业",
        chain="玉雕",
        total=3500,
        fai=3200,
        signed=None,
        started=None,
        weeks={w: ("洽谈", None, "商谈用地") for w in WEEKS},
    ),
}
CHAOPI: dict[str, dict[str, Any]] = {
    "新能源电池材料项目": dict(
        investor="深圳比科新能源有限公司",
        origin="广东深圳",
        category="制造业",
        total=1.5,
        fai=1.2,
        signed=date(2022, 3, 15),
        started=date(2022, 4, 6),
        weeks={
            11: ("签约", 0.2, "3月15日正式签约"),
            12: ("签约", 0.35, "环评公示"),
            13: ("签约", 0.5, "施工图审查"),
            14: ("开工", 0.8, "4月6日开工"),
        },
    ),
    "冷链物流园": dict(
        investor="南阳豫冷供应链有限公司",
        origin="河南南阳",
        category="现代服务业",
        total=0.45,
        fai=0.32,
        signed=date(2022, 3, 30),
        started=None,
        weeks={
            11: ("对接中", None, "初步对接"),
            12: ("洽谈", None, "洽谈合作方式"),
            13: ("已签约", 0.05, "签订投资协议"),
            14: ("已签约", 0.08, "办理用地手续"),
        },
    ),
}
XUEFENG: dict[str, dict[str, Any]] = {
    "智慧康养中心": dict(
        investor="上海颐和健康产业集团",
        category="民生",
        total=8000,
        fai=6000,
        signed="2022/1/20",
        started="3月16日",
        weeks={12: ("已开工", 2600, "主体施工"), 13: ("在建", 3100, "二层封顶")},
    ),
    "数字经济产业园": dict(
        investor="北京数智云科技有限公司",
        category="基础设施",
        total=20000,
        fai=15000,
        signed=None,
        started=None,
        weeks={12: ("洽谈", None, "对接用地"), 13: ("洽谈", None, "赴京汇报")},
    ),
}
SHANGWU: dict[str, dict[str, Any]] = {
    "00101": dict(
        name="农产品精深加工项目",
        investor="河南中粮农业发展有限公司",
        origin="河南郑州",
        category="现代农业",
        landing="贾宋镇",
        total="1.2亿",
        fai="1.05亿",
        signed=date(2022, 3, 9),
        started=date(2022, 4, 7),
        weeks={
            10: ("已签约", "2000万", "签约"),
            12: ("签约", "3000万", "土地平整"),
            14: ("开工", "5000万", "4月7日开工"),
        },
    ),
    "00102": dict(
        name="跨境电商产业园",
        investor="郑州跨境通供应链有限公司",
        origin="河南郑州",
        category="现代服务业",
        landing="石佛寺镇",
        total="6000万",
        fai="4000万",
        signed=None,
        started=None,
        weeks={
            10: ("在谈", None, "初步洽谈"),
            12: ("洽谈中", None, "提交方案"),
            14: ("洽谈", None, "方案修改"),
        },
    ),
}
FAGAI: dict[str, dict[str, Any]] = {
    "光伏发电储能项目": dict(
        investor="国家电投河南分公司",
        origin="河南郑州",
        category="基础设施",
        landing="侯集镇",
        leader="王志强",
        total=32000,
        fai=30000,
        signed=date(2022, 3, 24),
        started=None,
        weeks={
            11: ("洽谈", None, "项目研判"),
            12: ("已签约", 1000, "签约"),
            13: ("已签约", 4000, "办理核准"),
        },
    ),
    "城区集中供热项目": dict(
        investor="河南热力投资有限公司",
        origin="河南郑州",
        category="基础设施",
        landing="雪枫街道",
        leader="陈立新",
        total=9000,
        fai=8500,
        signed=None,
        started=None,
        weeks={
            11: ("线索", None, "获取信息"),
            12: ("洽谈", None, "对接"),
            13: ("洽谈", None, "可研编制"),
        },
    ),
}


def _reached(stage: str, when: date | None, word: str) -> date | None:
    return when if when is not None and word in stage and "未" + word not in stage else None


def shifosi(week: int, corrected: bool = False) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目周报"
    ws.append([f"石佛寺镇招商引资项目推进情况周报（2022年第{week}周）"])
    ws.merge_cells("A1:K1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            "填报单位：石佛寺镇人民政府",
            None,
            None,
            None,
            None,
            None,
            None,
            "填报日期：",
            friday(week),
        ]
    )
    ws["I2"].number_format = "yyyy年m月d日"
    ws.append(
        [
            "序号",
            "项目名称",
            "投资方",
            "产业类别",
            "投资情况（万元）",
            None,
            None,
            "项目阶段",
            "签约日期",
            "开工日期",
            "本周进展",
        ]
    )
    ws.append([None, None, None, None, "总投资", "固定资产投资", "到位资金"])
    ws.merge_cells("E3:G3")
    for col in "ABCDHIJK":
        ws.merge_cells(f"{col}3:{col}4")
    for n, (name, p) in enumerate(SHIFOSI.items(), start=1):
        stage, funds, progress = p["weeks"][week]
        if week == 11 and name == "玉雕文化产业园" and not corrected:
            funds = 52000  # the typo the corrected resend fixes
        ws.append(
            [
                n,
                name,
                p["investor"],
                p["category"],
                p["total"],
                p["fai"],
                funds,
                stage,
                _reached(stage, p["signed"], "签约")
                or _reached(stage, p["signed"], "开工")
                or _reached(stage, p["signed"], "在建"),
                _reached(stage, p["started"], "开工") or _reached(stage, p["started"], "在建"),
                progress,
            ]
        )
        for col in "IJ":
            ws[f"{col}{ws.max_row}"].number_format = "yyyy-mm-dd"
        if n == 1:
            ws.append([])  # the blank row offices leave
    last = ws.max_row
    ws.append(
        ["合计", None, None, None, f"=SUM(E5:E{last})", f"=SUM(F5:F{last})", f"=SUM(G5:G{last})"]
    )
    ws.append(["填表说明：1.金额单位为万元；2.到位资金填累计数；3.每周五下班前报县招商服务中心。"])
    return wb


def chaopi(week: int) -> Workbook:
    wb = Workbook()
    notes = wb.active
    notes.title = "填报说明"
    notes.append(["填报说明"])
    notes.append(["1. 请在「周报表」工作表填写，金额单位亿元。"])
    notes.append(["2. 日期格式：2022年3月15日。"])
    ws = wb.create_sheet("周报表")
    ws.append([f"晁陂镇2022年第{week}周重点项目进展表"])
    ws.append(["填报单位：晁陂镇"])
    ws.append(
        [
            "项目名称",
            "签约企业",
            "客商来源地",
            "行业类别",
            "总投资（亿元）",
            "固定资产投资（亿元）",
            "累计到位资金（亿元）",
            "当前阶段",
            "签约时间",
            "开工时间",
            "推进情况",
            "存在问题",
        ]
    )
    for name, p in CHAOPI.items():
        if week not in p["weeks"]:
            continue
        stage, funds, progress = p["weeks"][week]
        signed = _reached(stage, p["signed"], "签约") or _reached(stage, p["signed"], "开工")
        started = _reached(stage, p["started"], "开工")
        ws.append(
            [
                name,
                p["investor"],
                p["origin"],
                p["category"],
                p["total"],
                p["fai"],
                funds,
                stage,
                f"{signed.year}年{signed.month}月{signed.day}日" if signed else None,
                f"{started.year}年{started.month}月{started.day}日" if started else None,
                progress,
                "无",
            ]
        )
    return wb


class _Xlsx:
    """xlwt's few calls over openpyxl, for an install without xlwt (.xlsx, same cells)."""

    def __init__(self) -> None:
        self.wb = Workbook()
        self.ws = self.wb.active

    def add_sheet(self, title: str) -> _Xlsx:
        self.ws.title = title
        return self

    def write(self, row: int, col: int, value: Any) -> None:
        self.ws.cell(row=row + 1, column=col + 1, value=value)

    def write_merge(self, r1: int, r2: int, c1: int, c2: int, value: Any) -> None:
        self.write(r1, c1, value)
        self.ws.merge_cells(
            start_row=r1 + 1, end_row=r2 + 1, start_column=c1 + 1, end_column=c2 + 1
        )

    def save(self, path: str) -> None:
        self.wb.save(str(Path(path).with_suffix(".xlsx")))


def xuefeng(week: int, path: Path) -> None:
    try:
        import xlwt

        wb: Any = xlwt.Workbook(encoding="utf-8")
    except ImportError:
        wb = _Xlsx()
    ws = wb.add_sheet("Sheet1")
    ws.write_merge(0, 0, 0, 8, "雪枫街道招商引资项目周报")
    ws.write(1, 0, "填报单位：雪枫街道办事处")
    ws.write(1, 5, "填报日期：")
    ws.write(1, 6, f"2022/{friday(week).month}/{friday(week).day}")
    heads = [
        "序号",
        "项目名称",
        "投资主体",
        "项目类别",
        "计划总投资（万元）",
        "固投金额（万元）",
        "实际到位资金（万元）",
        "项目进度",
        "签约日期",
        "开工日期",
        "进展情况",
    ]
    for c, h in enumerate(heads):
        ws.write(2, c, h)
    r = 3
    for n, (name, p) in enumerate(XUEFENG.items(), start=1):
        stage, funds, progress = p["weeks"][week]
        values: list[Any] = [
            n,
            name,
            p["investor"],
            p["category"],
            p["total"],
            p["fai"],
            funds,
            stage,
            p["signed"],
            p["started"],
            progress,
        ]
        for c, v in enumerate(values):
            if v is not None:
                ws.write(r, c, v)
        r += 1
    ws.write(r, 0, "合计")
    ws.write(r, 4, sum(p["total"] for p in XUEFENG.values()))
    wb.save(str(path))


def shangwu(week: int) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "商务局"
    ws.append([f"商务局招商引资项目周报 第{week}周"])
    ws.append(
        [
            "报送单位：镇平县商务局",
            None,
            None,
            "统计时间：",
            f"2022.{friday(week).month}.{friday(week).day}",
        ]
    )
    ws.append(
        [
            "项目编号",
            "项目名称",
            "投资方",
            "投资方所在地",
            "产业类别",
            "落地乡镇",
            "协议投资额",
            "固定资产投资",
            "到位资金",
            "项目状态",
            "签约日期",
            "开工日期",
            "本周进展",
        ]
    )
    for code, p in SHANGWU.items():
        if week not in p["weeks"]:
            continue
        stage, funds, progress = p["weeks"][week]
        signed = _reached(stage, p["signed"], "签约") or _reached(stage, p["signed"], "开工")
        started = _reached(stage, p["started"], "开工")
        ws.append(
            [
                code,
                p["name"],
                p["investor"],
                p["origin"],
                p["category"],
                p["landing"],
                p["total"],
                p["fai"],
                funds,
                stage,
                signed.isoformat() if signed else None,
                started.isoformat() if started else None,
                progress,
            ]
        )
        ws[f"A{ws.max_row}"].number_format = "@"
    return wb


def fagai(week: int) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "发改委周报"
    ws.append([f"县发改委招商项目周报（2022年第{week}周）"])
    ws.append(["填报单位：", "县发改委", None, "填报日期：", friday(week) - timedelta(days=0)])
    ws["E2"].number_format = "yyyy-mm-dd"
    ws.append(
        [
            "名称",
            "投资单位",
            "企业所在地",
            "项目类型",
            "承接单位",
            "包保领导",
            "计划总投资",
            "固投金额",
            "资金到位",
            "当前阶段",
            "签约时间",
            "问题及建议",
        ]
    )
    for name, p in FAGAI.items():
        stage, funds, _ = p["weeks"][week]
        signed = _reached(stage, p["signed"], "签约")
        ws.append(
            [
                name,
                p["investor"],
                p["origin"],
                p["category"],
                p["landing"],
                p["leader"],
                p["total"],
                p["fai"],
                funds,
                stage,
                signed,
                None,
            ]
        )
        ws[f"K{ws.max_row}"].number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append(["填报人：李明", None, None, "审核人：张华"])
    return wb


def write_weekly(here: Path) -> None:
    here.mkdir(parents=True, exist_ok=True)
    for old in here.glob("*"):
        old.unlink()
    for week in WEEKS:
        prefix = f"2022-W{week:02d}"
        shifosi(week).save(here / f"{prefix}-石佛寺镇.xlsx")
        if week == 11:
            shifosi(week, corrected=True).save(here / f"{prefix}-石佛寺镇（更正）.xlsx")
        if week >= 11:
            chaopi(week).save(here / f"{prefix}-晁陂镇.xlsx")
        if week in (12, 13):
            xuefeng(week, here / f"{prefix}-雪枫街道.xls")
        if week in (10, 12, 14):
            shangwu(week).save(here / f"{prefix}-商务局.xlsx")
        if week in (11, 12, 13):
            fagai(week).save(here / f"{prefix}-发改委.xlsx")
