"""Units use cases: add one, import a roster, add aliases, list them; the group and class
vocabularies a command parses its options with. Each write is one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zsyz.domain.groups import GroupVocabulary, default_group
from zsyz.domain.names import normalize
from zsyz.domain.units import (
    CLASS_WORDS,
    UNIT_CLASSES,
    ListedUnit,
    RosterImported,
    unit_class_of,
    unknown_class_message,
)
from zsyz.errors import BadInputError, UsageError
from zsyz.store.units import UnitIndex, next_unit_code, units_listed

if TYPE_CHECKING:  # read commands (progress, rank --group) use the vocabularies: no ORM
    from sqlmodel import Session

    from zsyz.store.engine import Ledger
    from zsyz.store.tables import Unit


def parse_unit_class(text: str) -> str:
    found = unit_class_of(text)
    if found is None:
        raise UsageError(unknown_class_message(text))
    return found


def group_vocabulary(policy_groups: dict[str, str] | None = None) -> GroupVocabulary:
    """The group names of a ledger: the policy's [ranking] groups, the default groups,
    and every class word (街道 → township, 县直部门（一类） → dept)."""
    words = [(k, default_group(k)) for k in UNIT_CLASSES]
    words += [(w, default_group(c)) for w, c in CLASS_WORDS.items()]
    return GroupVocabulary.build(policy_groups or {}, words)


def ledger_groups(session: Session) -> GroupVocabulary:
    """The group vocabulary of the ledger's active policy."""
    from zsyz.policy.load import parse_policy
    from zsyz.store.policies import active_policy_row

    row = active_policy_row(session)
    policy = parse_policy(row.text, f"台账中的政策 {row.name}") if row else None
    return group_vocabulary(dict(policy.ranking.groups) if policy and policy.ranking else {})


def parse_group(text: str, vocab: GroupVocabulary) -> str:
    """The group id `text` names; an unknown group is refused, listing the known ones."""
    gid = vocab.resolve(text)
    if gid is None:
        raise UsageError(
            f"未知分组「{text}」；可用：{vocab.known()}（新分组请在政策 [ranking] groups 中定义）"
        )
    return gid


@dataclass(frozen=True)
class NewUnit:
    name: str
    unit_class: str
    group: str | None = None
    parent: str | None = None  # a unit name, code or alias
    aliases: tuple[str, ...] = ()
    code: str | None = None


def add_units(
    session: Session,
    new: Sequence[NewUnit],
    *,
    index: UnitIndex | None = None,
    groups: GroupVocabulary | None = None,
) -> list[Unit]:
    """Add units (parents may be earlier rows of the same batch); names must be new.
    A group is resolved through the ledger's group vocabulary (or `groups`)."""
    from zsyz.store.tables import Unit

    index = index or UnitIndex.load(session)
    if groups is None and any(nu.group for nu in new):
        groups = ledger_groups(session)
    added: list[Unit] = []
    for nu in new:
        name = nu.name.strip()
        if not name:
            raise BadInputError("单位名称不能为空")
        existing = index.keys.get(normalize(name))
        if existing is not None:
            raise BadInputError(f"单位「{name}」已存在（编码 {existing}）")
        parent_id = index.resolve(nu.parent, "上级单位").id if nu.parent else None
        code = nu.code or next_unit_code(session, nu.unit_class)
        if code in index.by_code:
            raise BadInputError(f"单位编码「{code}」已被使用")
        unit = Unit(
            code=code,
            name=name,
            unit_class=nu.unit_class,
            group_name=(
                parse_group(nu.group, groups)
                if nu.group and groups
                else default_group(nu.unit_class)
            ),
            parent_id=parent_id,
        )
        session.add(unit)
        session.flush()
        index.by_code[code] = unit
        index.add(code, code)
        index.add(name, code)
        for alias in nu.aliases:
            _add_alias(session, index, unit, alias)
        added.append(unit)
    return added


def _add_alias(session: Session, index: UnitIndex, unit: Unit, alias: str) -> None:
    alias = alias.strip()
    if not alias:
        return
    owner = index.keys.get(normalize(alias))
    if owner is not None:
        if owner == unit.code:
            return
        raise BadInputError(f"别名「{alias}」已属于单位 {index.by_code[owner].name}")
    from zsyz.store.tables import UnitAlias

    session.add(UnitAlias(unit_id=unit.id, alias=alias))  # type: ignore[arg-type]
    index.add(alias, unit.code)


def add_aliases(ledger: Ledger, name: str, aliases: Iterable[str]) -> Unit:
    wanted = list(aliases)

    def work(session: Session) -> Unit:
        index = UnitIndex.load(session)
        unit = index.resolve(name)
        for alias in wanted:
            _add_alias(session, index, unit, alias)
        return unit

    return ledger.run_write(work)


def add_unit(ledger: Ledger, new: NewUnit) -> Unit:
    return ledger.run_write(lambda session: add_units(session, [new])[0])


def import_roster(ledger: Ledger, rows: Sequence[NewUnit]) -> RosterImported:
    """Add the roster's new units; rows naming an existing unit only add aliases.

    All or nothing.
    """

    def work(session: Session) -> RosterImported:
        index = UnitIndex.load(session)
        fresh: list[NewUnit] = []
        present = 0
        for row in rows:
            unit = index.find(row.name) if normalize(row.name) in index.keys else None
            if unit is None:
                fresh.append(row)
                continue
            present += 1
            for alias in row.aliases:
                _add_alias(session, index, unit, alias)
        add_units(session, fresh, index=index)
        return RosterImported(len(fresh), present)

    return ledger.run_write(work)


def import_roster_file(ledger: Ledger, path: Path) -> RosterImported:
    """`units import`: read the roster (its groups named as the ledger names them) and add
    its new units, all or nothing."""
    from zsyz.io.rosters import read_roster

    rows = read_roster(path, roster_groups(ledger))
    units = [NewUnit(r.name, r.unit_class, r.group, r.parent, r.aliases, r.code) for r in rows]
    return import_roster(ledger, units)


def roster_groups(ledger: Ledger) -> GroupVocabulary:
    with ledger.read() as session:
        return ledger_groups(session)


def unit_rows(ledger: Ledger, unit_class: str | None = None) -> list[ListedUnit]:
    with ledger.read() as session:
        units, aliases = units_listed(session)
        by_id = {u.id: u for u in units}
        out: list[ListedUnit] = []
        for u in units:
            if unit_class and u.unit_class != unit_class:
                continue
            parent = by_id.get(u.parent_id) if u.parent_id else None
            out.append(
                ListedUnit(
                    code=u.code,
                    name=u.name,
                    unit_class=u.unit_class,
                    group=u.group_name,
                    parent=parent.name if parent else None,
                    aliases=tuple(aliases.get(u.id or 0, [])),
                    active=u.active,
                    retired_on=u.retired_on,
                )
            )
        return out
