"""Units and their aliases as the ledger holds them: resolving a name as offices write
it (`UnitIndex`), the next free unit code, and units as facts for the rules. Adding and
listing units are use cases (`zsyz/app/units.py`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from zsyz.domain.facts import UnitFact
from zsyz.domain.names import closest, normalize, stripped, variants
from zsyz.errors import NotFoundError
from zsyz.store.facts import unit_facts as unit_facts  # read side: plain SQL, no ORM

if TYPE_CHECKING:  # the ORM is imported where rows are written, so reads stay light
    from sqlmodel import Session

    from zsyz.store.tables import Unit


@dataclass
class UnitIndex:
    """Every way a unit may be named → its code, built once per use case."""

    by_code: dict[str, Unit]
    keys: dict[str, str] = field(default_factory=dict)  # normalised name/alias → code
    loose: dict[str, str | None] = field(default_factory=dict)  # prefix-stripped → code or None

    @classmethod
    def load(cls, session: Session) -> UnitIndex:
        from sqlmodel import select

        from zsyz.store.tables import Unit, UnitAlias

        units = session.exec(select(Unit)).all()
        index = cls({u.code: u for u in units})
        by_id = {u.id: u for u in units}
        for u in units:
            index.add(u.code, u.code)
            index.add(u.name, u.code)
        for a in session.exec(select(UnitAlias)).all():
            index.add(a.alias, by_id[a.unit_id].code)
        return index

    @classmethod
    def of_facts(cls, units: Sequence[UnitFact]) -> UnitIndex:
        """The index over units read as facts (`facts.unit_facts`): for read commands,
        which only need a resolved unit's code and name."""
        index = cls({u.code: u for u in units})  # type: ignore[misc]
        for u in units:
            index.add(u.code, u.code)
            index.add(u.name, u.code)
        for u in units:
            for alias in u.aliases:
                index.add(alias, u.code)
        return index

    def add(self, name: str, code: str) -> None:
        """Make `name` resolve to the unit `code` (a unit or alias just added)."""
        self.keys.setdefault(normalize(name), code)
        loose = stripped(name)
        if loose in self.loose and self.loose[loose] != code:
            self.loose[loose] = None  # ambiguous once prefixes are dropped
        else:
            self.loose[loose] = code

    def find(self, name: str) -> Unit | None:
        """The unit `name` means: exact name, code or alias first, then the same without a
        county prefix, a stamp note or a government suffix (晁陂镇人民政府（盖章） → 晁陂镇)."""
        for candidate in variants(name):
            code = self.keys.get(normalize(candidate)) or self.loose.get(stripped(candidate))
            if code:
                return self.by_code.get(code)
        return None

    def named_in(self, text: str) -> Unit | None:
        """The one unit a free text names ("石佛寺镇2022年第10周项目周报"): names and
        aliases found in it, less those inside a longer one found (商务局 in 镇平县商务局);
        None when no unit or two different units are named."""
        key = normalize(text)
        hits = [
            (name, code)
            for name, code in self.keys.items()
            if len(name) >= 2 and not name.isascii() and name in key
        ]
        codes = {code for name, code in hits if not any(name in n and name != n for n, _ in hits)}
        return self.by_code.get(codes.pop()) if len(codes) == 1 else None

    def resolve(self, name: str, what: str = "单位") -> Unit:
        unit = self.find(name)
        if unit is not None:
            return unit
        near = closest(name, [u.name for u in self.by_code.values()])
        hint = f"；最接近的单位：{'、'.join(near)}" if near else ""
        raise NotFoundError(f"未知{what}「{name}」{hint}（可用 zsyz units alias 添加别名）")

    def names(self) -> list[str]:
        return [u.name for u in self.by_code.values()]


def next_unit_code(session: Session, unit_class: str) -> str:
    """The first free code of a class: township001, township002 …"""
    from sqlmodel import col, select

    from zsyz.store.tables import Unit

    prefix = re.sub(r"[^a-z]", "", unit_class) or "u"
    codes = session.exec(select(Unit.code).where(col(Unit.code).startswith(prefix))).all()
    used = {int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()}
    n = 1
    while n in used:
        n += 1
    return f"{prefix}{n:03d}"


def units_listed(session: Session) -> tuple[list[Unit], dict[int, list[str]]]:
    """Every unit by class and code, and each unit's aliases (by unit id) as added."""
    from sqlmodel import col, select

    from zsyz.store.tables import Unit, UnitAlias

    units = session.exec(select(Unit).order_by(Unit.unit_class, Unit.code)).all()
    aliases: dict[int, list[str]] = {}
    for a in session.exec(select(UnitAlias).order_by(col(UnitAlias.id))).all():
        aliases.setdefault(a.unit_id, []).append(a.alias)
    return list(units), aliases
