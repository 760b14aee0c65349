"""Operations on the ledger itself: create one (with its policy, all or nothing), upgrade,
back up, report its revision, check it, copy it or merge several. The store does the
table work (`store/lifecycle.py`, `store/check.py`, `store/transfer.py`); these use cases
open what they need and return what the command prints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zsyz.domain.policy import PolicyInstalled
from zsyz.errors import LedgerStateError, UsageError
from zsyz.policy.load import PolicySource
from zsyz.store import lifecycle, migrate
from zsyz.store.check import Finding, check_ledger
from zsyz.store.engine import Ledger, known_revision, open_ledger, resolve_url, sqlite_path
from zsyz.store.schema import HEAD_REVISION
from zsyz.store.transfer import (
    MergeResult,
    TableCount,
    copy_ledger,
    county_name_for,
    merge_ledgers,
)


@dataclass(frozen=True)
class Created:
    where: str
    installed: PolicyInstalled | None  # the policy installed, if any


def init_ledger(
    db: str | None, source: PolicySource | None, year: int | None, *, with_examples: bool
) -> Created:
    """A new ledger at the head schema with the policy, its roster and targets installed
    in one transaction; a ledger that cannot be finished is removed (nothing half-made)."""
    from zsyz.app.policies import install_policy

    ledger = lifecycle.create_ledger(db)
    installed = None
    if source is not None:
        try:
            installed = install_policy(ledger, source, year, with_examples=with_examples)
        except BaseException:
            lifecycle.discard(ledger)
            raise
    ledger.engine.dispose()  # close now: the file is whole (WAL checkpointed) on return
    return Created(ledger.where, installed)


@dataclass(frozen=True)
class Upgraded:
    before: str | None
    after: str
    backup: Path | None  # the SQLite copy taken before a schema change


def upgrade(db: str | None) -> Upgraded:
    return Upgraded(*lifecycle.upgrade_ledger(db))


def backup(db: str | None, dest: Path) -> None:
    """A consistent copy of a SQLite ledger (safe while others write)."""
    ledger = open_ledger(db)
    try:
        lifecycle.backup(ledger, dest)  # a file copy would miss what is still in the WAL
    finally:
        ledger.engine.dispose()


@dataclass(frozen=True)
class Revision:
    current: str | None
    head: str  # the revision this code expects

    @property
    def newer(self) -> bool:
        """The ledger was written by a newer zsyz."""
        return self.current is not None and not known_revision(self.current)


def revision(db: str | None) -> Revision:
    return Revision(migrate.current(open_ledger(db, check_schema=False)), HEAD_REVISION)


@dataclass(frozen=True)
class LedgerCheck:
    where: str
    findings: list[Finding]


def check(open_it: Callable[[], Ledger], db: str | None) -> LedgerCheck:
    """Every finding of `db check`; a file that is not a ledger (damaged, another
    program's) is itself a finding rather than an error."""
    try:
        ledger = open_it()
        return LedgerCheck(ledger.where, check_ledger(ledger))
    except LedgerStateError as exc:
        path = sqlite_path(resolve_url(db))
        if path is None or not path.is_file():
            raise
        return LedgerCheck(str(path), [Finding("integrity", "", None, exc.message)])


@dataclass(frozen=True)
class Copied:
    source: str
    target: str
    counts: list[TableCount]


def copy(db: str | None, to: str) -> Copied:
    source = open_ledger(db)
    target, counts = copy_ledger(source, to)
    return Copied(source.where, target.where, counts)


@dataclass(frozen=True)
class Merged:
    target: str
    results: list[MergeResult]


def merge(sources: Sequence[str], to: str, counties: Sequence[str]) -> Merged:
    """Several county ledgers into one city ledger, named by `counties` in order (or by
    their file names)."""
    names = list(counties)
    if names and len(names) != len(sources):
        raise UsageError(
            f"--as-county 给了 {len(names)} 个，来源台账有 {len(sources)} 个；要一一对应"
        )
    ledgers = [open_ledger(s) for s in sources]
    pairs = [
        (ledger, names[i] if names else county_name_for(ledger)) for i, ledger in enumerate(ledgers)
    ]
    target, results = merge_ledgers(pairs, to)
    return Merged(target.where, results)
