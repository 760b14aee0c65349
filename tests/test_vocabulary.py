"""One vocabulary of project fields (`domain/fields.py`): the table, the facts, the weekly
reader, the template and the history encoding agree with it, so a field is added once."""

from __future__ import annotations

from dataclasses import fields

from zsyz.domain.facts import ProjectFact, Role
from zsyz.domain.fields import (
    AMOUNT_FIELDS,
    COLUMNS,
    CUMULATIVE,
    FIELD,
    PROJECT_FIELDS,
    ROLE_KEYS,
    Kind,
)
from zsyz.domain.history import parse_value

BOOKKEEPING = {"id", "norm_name", "created_batch_id", "merged_into_id", "created_at", "updated_at"}


def test_the_project_table_has_exactly_the_vocabulary_in_its_order():
    from zsyz.store.tables import Project

    columns = [c.name for c in Project.__table__.columns if c.name not in BOOKKEEPING]
    assert columns == list(COLUMNS)


def test_every_fact_field_is_a_vocabulary_field():
    own = [f.name for f in fields(ProjectFact) if f.name not in ("stage_dates", "roles")]
    assert [k for k in own if k not in FIELD] == []


def test_the_weekly_reader_and_template_speak_the_vocabulary():
    from zsyz.io.template import TEMPLATE_FIELDS
    from zsyz.io.weekly_fields import FIELDS, KINDS

    # each typed column's field and kind are the vocabulary's, and its class reads that kind
    assert all(c.field is FIELD[c.key] and c.kind is FIELD[c.key].kind for c in FIELDS)
    assert all(type(c).KIND is FIELD[c.key].kind for c in FIELDS)
    assert {c.key: c.kind for c in FIELDS} == KINDS
    assert [k for k in TEMPLATE_FIELDS if k not in KINDS] == []


def test_a_column_declared_for_a_field_of_another_kind_is_refused():
    import pytest

    from zsyz.io.weekly_cells import AmountColumn, DateColumn

    with pytest.raises(TypeError):
        AmountColumn("signed_on", ("签约日期",))
    assert DateColumn("signed_on", ("签约日期",)).kind is Kind.DATE


def test_roles_labels_and_cumulative_amounts():
    assert set(ROLE_KEYS) == set(Role)
    assert len({f.heading for f in PROJECT_FIELDS}) == len(PROJECT_FIELDS)
    assert set(CUMULATIVE) <= AMOUNT_FIELDS
    assert FIELD["total_investment"].heading == "总投资（万元）"
    assert FIELD["land_area"].heading == "用地（亩）"
    assert FIELD["signed_on"].heading == "签约日期"


def test_history_texts_parse_by_the_vocabulary_kind():
    from datetime import date
    from decimal import Decimal

    assert parse_value("fai", "1200.5") == Decimal("1200.5")
    assert parse_value("land_area", "30") == Decimal(30)
    assert parse_value("compiled_on", "2022-03-01") == date(2022, 3, 1)
    assert parse_value("is_new", "true") is True
    assert FIELD["is_new"].kind is Kind.FLAG


def test_one_wording_for_target_labels():
    """Policy targets and explicit ones (targets set/import) read the same: categories
    joined by "/", the "any category" token never shown to an operator."""
    from decimal import Decimal

    from zsyz.domain.metrics import Metric
    from zsyz.domain.policy import Filters, target_label

    cases = [
        (Metric.SIGNED, Filters(min_fai=Decimal(5000)), Decimal(1), "1个 签约项目（固投≥5000万）"),
        (
            Metric.SIGNED,
            Filters(min_total=Decimal("1E+4"), strict=True, categories=("制造业", "现代农业")),
            Decimal(2),
            "2个 签约项目（总投资>10000万，制造业/现代农业）",
        ),
        (Metric.STARTED, Filters(categories=("*",), new_only=True), None, "开工项目（新建）"),
        (Metric.FUNDS, Filters(), Decimal("5000.0"), "5000万元 到位资金"),
    ]
    for metric, filters, value, expected in cases:
        assert target_label(metric, filters, value) == expected
