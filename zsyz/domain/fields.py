"""The one vocabulary of a project's fields: key, value kind, Chinese label, unit of
measure and how the history log records it. The weekly reader's kinds, the template, the
history encoding, the store's loaders and `projects show` all derive from this table;
`tests/test_vocabulary.py` holds it equal to the `project` table and to `ProjectFact`.

A key is a `project` column, or `roles:<role>` for the units holding a role.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zsyz.domain.facts import Role
from zsyz.domain.stages import Stage


class Kind(StrEnum):
    """What a field's value is, and so how a cell is read and a history text parsed."""

    TEXT = "text"
    CODE = "code"  # text kept verbatim (leading zeros)
    CREDIT_CODE = "credit_code"  # 统一社会信用代码, checked (domain/credit_code.py)
    AMOUNT = "amount"  # Decimal 万元
    AREA = "area"  # Decimal 亩
    DATE = "date"
    STAGE = "stage"
    UNITS = "units"  # unit codes holding a role
    FLAG = "flag"  # bool
    EXTRA = "extra"  # {label: text}: columns kept that the ledger has no field for


class History(StrEnum):
    """How `project_update` records a field (see `store/history.py`)."""

    # one row per change; a created project's value goes into its `*created*` snapshot
    CHANGES = "changes"
    # a cumulative amount: every value its own row, creation included, so SQL reads the
    # observations funds are measured from without opening the snapshot's JSON
    OWN_ROW = "own_row"


@dataclass(frozen=True)
class ProjectField:
    key: str
    kind: Kind
    label: str  # as an operator reads it, without the unit
    unit: str | None = None  # 万元, 亩
    history: History = History.CHANGES

    @property
    def heading(self) -> str:
        """The label with its unit: 总投资（万元）."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    @property
    def is_role(self) -> bool:
        return self.key.startswith("roles:")


def _amount(key: str, label: str, history: History = History.CHANGES) -> ProjectField:
    return ProjectField(key, Kind.AMOUNT, label, "万元", history)


_CUMULATIVE = History.OWN_ROW

# In the `project` table's column order (the order history rows are written in).
PROJECT_FIELDS: tuple[ProjectField, ...] = (
    ProjectField("code", Kind.CODE, "项目编号"),
    ProjectField("name", Kind.TEXT, "项目名称"),
    ProjectField("investor", Kind.TEXT, "投资方"),
    ProjectField("credit_code", Kind.CREDIT_CODE, "统一社会信用代码"),
    ProjectField("investor_origin", Kind.TEXT, "投资方来源地"),
    ProjectField("investor_type", Kind.TEXT, "投资方类型"),
    ProjectField("category", Kind.TEXT, "产业类别"),
    ProjectField("chain", Kind.TEXT, "产业链"),
    ProjectField("level", Kind.TEXT, "项目级别"),
    ProjectField("is_new", Kind.FLAG, "新建项目"),
    ProjectField("fiscal_support", Kind.FLAG, "一事一议财政扶持"),
    _amount("total_investment", "总投资"),
    _amount("fai", "固定资产投资"),
    _amount("planned_investment_year", "年度计划投资"),
    _amount("completed_investment_year", "本年完成投资", _CUMULATIVE),
    _amount("funds_in_place", "到位资金", _CUMULATIVE),
    _amount("foreign_funds", "利用外资", _CUMULATIVE),
    _amount("out_of_province_funds", "省外资金", _CUMULATIVE),
    ProjectField("land_area", Kind.AREA, "用地", "亩"),
    ProjectField("needs_land", Kind.FLAG, "需要供地"),
    _amount("expected_tax", "预计年税收"),
    ProjectField("stage", Kind.STAGE, "项目阶段"),
    *(ProjectField(s.date_field, Kind.DATE, f"{s.label}日期") for s in Stage),
    ProjectField("compiled_on", Kind.DATE, "编制日期"),
    ProjectField("planned_start_on", Kind.DATE, "计划开工日期"),
    ProjectField("leader_name", Kind.TEXT, "责任领导"),
    ProjectField("contact", Kind.TEXT, "联系人"),
    ProjectField("progress", Kind.TEXT, "本周进展"),
    ProjectField("problems", Kind.TEXT, "存在问题"),
    ProjectField("remarks", Kind.TEXT, "备注"),
    ProjectField("extra", Kind.EXTRA, "附加信息"),
    ProjectField("last_reported_on", Kind.DATE, "最近报送日期"),
    ProjectField("roles:sourcing", Kind.UNITS, "招引单位"),
    ProjectField("roles:landing", Kind.UNITS, "落地单位"),
    ProjectField("roles:leader", Kind.UNITS, "包保领导"),
    ProjectField("roles:compiling", Kind.UNITS, "编制单位"),
)
FIELD: dict[str, ProjectField] = {f.key: f for f in PROJECT_FIELDS}
ROLE_KEYS: dict[Role, str] = {
    Role(f.key.split(":", 1)[1]): f.key for f in PROJECT_FIELDS if f.is_role
}
# how each role reads (招引单位, 包保领导 …): the one wording of the roles
ROLE_LABELS: dict[Role, str] = {role: FIELD[key].label for role, key in ROLE_KEYS.items()}

# Project columns by kind (roles excluded), as the history encoding reads them.
COLUMNS: tuple[str, ...] = tuple(f.key for f in PROJECT_FIELDS if not f.is_role)
AMOUNT_FIELDS = frozenset(f.key for f in PROJECT_FIELDS if f.kind in (Kind.AMOUNT, Kind.AREA))
FLAG_FIELDS = frozenset(f.key for f in PROJECT_FIELDS if f.kind is Kind.FLAG)
DATE_FIELDS = frozenset(f.key for f in PROJECT_FIELDS if f.kind is Kind.DATE)
TEXT_FIELDS = frozenset(
    f.key for f in PROJECT_FIELDS if f.kind in (Kind.TEXT, Kind.CODE, Kind.CREDIT_CODE, Kind.STAGE)
)
EXTRA = "extra"  # history writes it as canonical JSON text
# The cumulative amounts: their own history rows, read as observations over time.
CUMULATIVE: tuple[str, ...] = tuple(f.key for f in PROJECT_FIELDS if f.history is History.OWN_ROW)
