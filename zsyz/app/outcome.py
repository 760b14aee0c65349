"""What an import is asked to do and what became of each file (no database imports here,
so the unchanged fast path stays light)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zsyz.errors import Problem

if TYPE_CHECKING:
    from zsyz.io.weekly import WeeklyReport


@dataclass
class ImportRequest:
    unit: str | None = None
    all_units: bool = False
    report_date: date | None = None
    dry_run: bool = False
    links: dict[str, str] = field(default_factory=dict)  # row number or norm name → code
    new: frozenset[str] = frozenset()
    today: date = field(default_factory=date.today)


@dataclass
class FileOutcome:
    file: str
    status: str  # imported | unchanged | rejected
    import_id: int | None = None
    unit: str | None = None
    period: str | None = None
    rows: int = 0
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    superseded: int | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    report: WeeklyReport | None = None

    def as_json(self) -> dict[str, Any]:
        """The per-file JSON contract of `zsyz import --format json`."""
        return {
            "file": self.file,
            "status": self.status,
            "import_id": self.import_id,
            "unit": self.unit,
            "period": self.period,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "warnings": list(self.warnings),
            "errors": [p.as_dict() for p in self.errors],
        }


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def unchanged_file(db: str | None, path: Path) -> FileOutcome | None:
    """The "unchanged" outcome of a file a live batch already holds (same sha256), answered
    from a SQLite ledger with the standard library alone; None when it is not, or when
    that cannot be told cheaply (PostgreSQL, unreadable file): then the import decides."""
    from zsyz.io.guards import MAX_FILE_BYTES
    from zsyz.store.fastpath import unchanged_batch

    try:  # past the size cap a file is never hashed: the import refuses it unread
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        found = unchanged_batch(db, file_sha256(path))
    except OSError:
        return None
    return unchanged_outcome(str(path), found) if found is not None else None


def unchanged_outcome(name: str, batch: tuple[int, str | None, str, int]) -> FileOutcome:
    batch_id, unit, period, rows = batch
    return FileOutcome(name, "unchanged", batch_id, unit, period, rows)
