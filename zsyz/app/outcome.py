"""What an import is asked to do and what became of each file (no database imports here,
so the unchanged fast path stays light)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zsyz.domain.stages import Stage
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
    strict: bool = False  # refuse a file with ignored columns that hold facts
    usd_rate: Decimal | None = None  # 元 per 美元 (--usd-rate; else the policy's [currency])
    stage: Stage | None = None  # --stage: the stage a form implies for rows naming none


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
    columns: list[dict[str, str]] = field(default_factory=list)  # heading → field label
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        """The per-file JSON contract of `zsyz import --format json`."""
        return {
            "file": self.file,
            "status": "dry_run" if self.dry_run and self.status == "imported" else self.status,
            "import_id": self.import_id,
            "unit": self.unit,
            "period": self.period,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "warnings": list(self.warnings),
            "errors": [p.as_dict() for p in self.errors],
            "columns": list(self.columns),
            "ignored_columns": list(self.ignored_columns),
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
    import stat

    from zsyz.io.guards import MAX_FILE_BYTES
    from zsyz.store.fastpath import unchanged_batch

    try:  # past the size cap a file is never hashed: the import refuses it unread
        st = path.stat()
        if st.st_size > MAX_FILE_BYTES or not stat.S_ISREG(st.st_mode):
            return None  # a pipe would block the hash; the import refuses it
        found = unchanged_batch(db, file_sha256(path))
    except OSError:
        return None
    return unchanged_outcome(str(path), found) if found is not None else None


def unchanged_outcome(name: str, batch: tuple[int, str | None, str, int]) -> FileOutcome:
    batch_id, unit, period, rows = batch
    return FileOutcome(name, "unchanged", batch_id, unit, period, rows)
