"""Use case: replace the policy in force from a year on an existing ledger
(`zsyz policy apply`), after showing what changes. Earlier policies stay stored and in
force for the years before."""

from __future__ import annotations

from zsyz.app.policies import install_policy
from zsyz.domain import rules as r
from zsyz.domain.policy import Policy, PolicyInstalled
from zsyz.errors import InvalidDataError
from zsyz.policy.load import PolicySource, parse_policy
from zsyz.store.engine import Ledger
from zsyz.store.policies import active_policy_row
from zsyz.store.units import UnitIndex


def _targets(p: Policy) -> set[str]:
    return {f"{c.label}：{t.label}" for c in p.classes.values() for t in c.targets}


def _rules(p: Policy) -> set[str]:
    comps = r.flat(p.ranking.components) if p.ranking else []
    return {
        *(f"计分：{c.label}" for c in comps),
        *(f"奖励：{x.label}" for x in p.rewards),
        *(f"标记：{f.label}" for f in p.flags),
    }


def _diff(title: str, old: set[str], new: set[str]) -> list[str]:
    lines = [f"  − {x}" for x in sorted(old - new)] + [f"  + {x}" for x in sorted(new - old)]
    return [f"{title}：", *lines] if lines else [f"{title}：无变化"]


def policy_diff(ledger: Ledger, source: PolicySource, year: int, with_examples: bool) -> list[str]:
    """What applying `source` from `year` changes: targets, units, rules (in words)."""
    new = parse_policy(source.text, source.origin)
    with ledger.read() as session:
        row = active_policy_row(session, year)
        was = (row.name, row.year, row.text) if row is not None else None
        index = UnitIndex.load(session)
        fresh = [
            u.name
            for u in new.roster
            if (with_examples or not u.example) and index.find(u.name) is None
        ]
    try:
        old = parse_policy(was[2], f"台账中的政策 {was[0]}") if was else None
    except InvalidDataError:
        old = None  # a policy the language no longer reads: everything shows as new
    head = (
        f"{year} 年起以政策 {new.name}（{new.title}）替换 {was[0]}（{was[1]} 年起）"
        if was
        else f"{year} 年起采用政策 {new.name}（{new.title}）"
    )
    if was is not None and old is None:
        head += "；原政策已无法按现行格式读取，以下按全部新增列出"
    return [
        head,
        *_diff("类别目标", _targets(old) if old else set(), _targets(new)),
        "新增单位：" + ("、".join(fresh) if fresh else "无"),
        *_diff("计分、奖励与标记规则", _rules(old) if old else set(), _rules(new)),
    ]


def apply_policy(
    ledger: Ledger, source: PolicySource, year: int, with_examples: bool
) -> PolicyInstalled:
    return install_policy(ledger, source, year, with_examples=with_examples, keep_old=True)
