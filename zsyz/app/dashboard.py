"""Use case: what the leaders' dashboard (`zsyz report --html`) shows, as plain JSON.

One source of values: the ranking, target completion and alerts are the CLI's own JSON
(`rank_json`, `progress_json`, `alert_row`) computed by the same rules from the same
facts as `zsyz rank`, `zsyz progress --as-of` and `zsyz alerts --as-of` for the period's
end; the KPI cards are the monthly bulletin's figures (`domain.bulletin.summary`).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from zsyz.app.alerts import alerts_in
from zsyz.app.import_plan import ROLE_LABELS
from zsyz.app.scoring import earlier, load
from zsyz.domain.bulletin import summary
from zsyz.domain.dashboard import band, funnel, schedule_share, trend
from zsyz.domain.facts import ProjectFact
from zsyz.domain.groups import group_labels
from zsyz.domain.periods import Period
from zsyz.domain.progress import Facts, UnitProgress, progress
from zsyz.domain.ranking import RankRow, rank, stage_on
from zsyz.domain.stages import Stage
from zsyz.domain.units import UNIT_CLASSES
from zsyz.render.alerts import alert_row
from zsyz.render.progress import progress_json, target_row
from zsyz.render.ranking import rank_json
from zsyz.store.asof import first_report_on
from zsyz.store.engine import Ledger

KPI_KEYS = ("signed", "started", "producing", "funds")


def dashboard_pages(
    ledger: Ledger, period: Period, place: Callable[[str], str], *, per_unit: bool = False
) -> list[tuple[str | None, dict[str, Any]]]:
    """The county page (name None), or with `per_unit` one page per unit with targets:
    (unit name, what its page shows). `place` names the county from the policy's region."""
    year, end = period.end.year, period.end
    before = period.previous()
    with ledger.read() as session:
        loaded = load(session, [year, year - 1, before.end.year], end)
        then = earlier(session, loaded, before.end)
        since = first_report_on(session, end)
        found = alerts_in(session, end)  # the same snapshot as the ranking
    policy, sf = loaded.policy, loaded.facts
    facts = sf.facts
    rows = rank(policy, sf, period, previous=then)
    ranked = rank_json(rows)  # worded once: every unit page shows its group's part
    ups = progress(policy, facts, year, end)
    share = schedule_share(policy, end)
    alerts = [alert_row(a) for a in found]
    labels = group_labels(policy)
    region = place(policy.region) or policy.name
    head = {
        "region": region,
        "policy": policy.title or policy.name,
        "period": {
            "label": period.label_zh,
            "start": period.start,
            "end": end,
            "previous": before.label_zh,
        },
        "schedule": share.quantize(Decimal("0.0001")),
        "bands": {"yellow": policy.alerts.behind_yellow, "red": policy.alerts.behind_red},
        "groups": labels,
    }
    units = _units(policy, facts, rows, ranked, ups, share, labels, end)
    if not per_unit:
        county = [u for u in ups if u.unit.unit_class == "county"]
        page = {
            **head,
            "scope": "county",
            "title": f"{region}招商引资驾驶舱",
            "kpis": _kpis(facts, county, period),
            "trend": _trend(facts, facts.projects, year, end, since),
            "funnel": _funnel(facts.projects, end),
            "rank": ranked,
            "progress": progress_json(ups),
            "alerts": alerts,
            "units": units,
        }
        return [(None, page)]
    return [
        (up.unit.name, _unit_page(head, facts, ranked, u, up, alerts, end, since))
        for u, up in zip(units, ups, strict=True)
    ]


def _unit_page(
    head: dict[str, Any],
    facts: Facts,
    ranked: list[dict[str, Any]],
    u: dict[str, Any],
    up: UnitProgress,
    alerts: list[dict[str, Any]],
    end: date,
    since: date | None,
) -> dict[str, Any]:
    """One unit's page: its own projects; others only through the group ranking."""
    mine = facts.attached_to(up.unit.code)
    peers = [r for r in ranked if r["group"] == u["group"]]
    return {
        **head,
        "scope": "unit",
        "title": f"{up.unit.name}招商引资驾驶舱",
        "kpis": [],
        "trend": _trend(facts, mine, end.year, end, since),
        "funnel": _funnel(mine, end),
        # others only through the group ranking: no score components
        "rank": [r if r["unit"] == u["unit"] else {**r, "components": []} for r in peers],
        "progress": progress_json([up]),
        "alerts": [a for a in alerts if up.unit.name in a["units"]],
        "units": [u],
    }


def _kpis(facts: Facts, county: list[UnitProgress], period: Period) -> list[dict[str, Any]]:
    """The bulletin's figures (`zsyz report` 概况) as cards."""
    return [
        {
            "key": key,
            "label": f.label,
            "period": f.period_count if f.period_count is not None else f.period_total,
            "period_total": f.period_total,
            "ytd": f.ytd_count if f.ytd_count is not None else f.ytd_total,
            "ytd_total": f.ytd_total,
            "target": f.target,
            "completion": f.completion,
        }
        for key, f in zip(KPI_KEYS, summary(facts, county, period), strict=True)
    ]


def _trend(
    facts: Facts, projects: Sequence[ProjectFact], year: int, end: date, since: date | None
) -> dict[str, Any]:
    def rows(y: int, until: date) -> list[dict[str, Any]] | None:
        got = trend(facts, projects, y, until, since)
        if got is None:
            return None
        return [
            {"month": m.month, "signed": m.signed, "started": m.started, "funds": m.funds}
            for m in got
        ]

    return {
        "year": year,
        "this": rows(year, end),
        "last": rows(year - 1, _year_before(end)),
    }


def _year_before(day: date) -> date:
    """The same day a year earlier; a month's last day maps to that month's last day."""
    last = calendar.monthrange(day.year - 1, day.month)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(day.year - 1, day.month, last if at_end else min(day.day, last))


def _funnel(projects: Sequence[ProjectFact], end: date) -> list[dict[str, Any]]:
    return [
        {
            "stage": r.stage.label,
            "count": r.count,
            "median_days": r.median_days,
            "moved_on": r.moved_on,
        }
        for r in funnel(projects, end)
    ]


def _units(
    policy: Any,
    facts: Facts,
    rows: list[RankRow],
    ranked: list[dict[str, Any]],
    ups: list[UnitProgress],
    share: Decimal,
    labels: dict[str, str],
    end: date,
) -> list[dict[str, Any]]:
    """One entry per unit with targets or a rank: its standing, targets, credited
    projects and the explanation of its score (`rank --explain`)."""
    by_code = {p.code: p for p in facts.projects}
    by_unit = {r.unit.code: (r, shown) for r, shown in zip(rows, ranked, strict=True)}
    out = []
    for up in ups:
        r, shown = by_unit.get(up.unit.code, (None, None))
        credited = set(c for t in up.targets for c in t.projects)
        codes = list(
            dict.fromkeys(
                [
                    *(c for t in up.targets for c in t.projects),
                    *(p.code for p in facts.attached_to(up.unit.code)),
                ]
            )
        )
        group = r.group if r else (up.unit.group or up.unit.unit_class)
        out.append(
            {
                "unit": up.unit.name,
                "class": UNIT_CLASSES.get(up.unit.unit_class, up.unit.unit_class),
                "group": group,
                "group_label": labels.get(group, UNIT_CLASSES.get(group, group)),
                # the ranking's weighted completion (as the bulletin's chart), and
                # whether every target is done (`progress`: the lowest target's ratio)
                "completion": r.completion if r else up.completion,
                "lowest": up.completion,
                "complete": up.complete,
                "band": band(policy, r.completion if r else up.completion, share, up.complete),
                "rank": r.rank if r else None,
                "previous_rank": r.previous_rank if r else None,
                "score": r.score if r else None,
                "targets": [target_row(t) for t in up.targets],
                "components": shown["components"] if shown else [],
                # credited to its targets first, then the others it holds a role on
                "projects": [
                    _project(by_code[c], facts, end, up.unit.code, c in credited)
                    for c in codes
                    if c in by_code
                ],
            }
        )
    return out


def _project(p: ProjectFact, facts: Facts, end: date, unit: str, credited: bool) -> dict[str, Any]:
    stage = stage_on(p, end)
    roles = [ROLE_LABELS.get(r.value, r.value) for r, code in p.roles if code == unit]
    signed, started = p.reached_on(Stage.SIGNED), p.reached_on(Stage.STARTED)
    return {
        "code": p.code,
        "name": p.name,
        "stage": stage.label if stage else "",
        "roles": list(dict.fromkeys(roles)),
        "credited": credited,
        "total": p.total_investment,
        "fai": p.fai,
        "funds": facts.value_on(p.code, "funds_in_place", end),
        "signed_on": signed if signed and signed <= end else None,
        "started_on": started if started and started <= end else None,
    }
