"""The one error vocabulary of zsyz.

Every layer raises (or returns) these; only the CLI turns them into exit codes and
one-line messages, in `zsyz.cli.app.main`. Messages are Chinese because operators read
them; each says what went wrong and what to do about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_ALERTS = 3
EXIT_BAD_DATA = 65
EXIT_BUSY = 75


class ZsyzError(Exception):
    """Base of every expected failure. `exit_code` is what the CLI exits with."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(ZsyzError):
    """The command line itself is wrong (bad option value, unknown name)."""

    exit_code = EXIT_USAGE


class NotFoundError(ZsyzError):
    """A named unit, project, policy or import does not exist."""

    exit_code = EXIT_FAILURE


class BadInputError(ZsyzError):
    """Input data (a spreadsheet, a policy file) is invalid; nothing was written."""

    exit_code = EXIT_BAD_DATA


class LedgerBusyError(ZsyzError):
    """Another process holds the ledger's write lock past the busy timeout."""

    exit_code = EXIT_BUSY


class LedgerConflictError(LedgerBusyError):
    """PostgreSQL aborted a write to keep it serializable (or broke a deadlock); the
    whole use case can simply run again, which `Ledger.run_write` does."""


class LedgerStateError(ZsyzError):
    """The ledger is missing, already exists, or its schema is behind the code."""

    exit_code = EXIT_FAILURE


_CLAUSE = re.compile(r"[；;]|，(?=或)|[（(](?=[^（）()]*--)")
_OPERATOR = re.compile(r"--[a-z]|zsyz |县招商中心用|政策 \[")


@dataclass(frozen=True)
class Problem:
    """One problem found in input data: where it is and why it is wrong."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None
    clerk: str | None = None  # what the unit's clerk should change in the sheet, if it differs

    @property
    def for_clerk(self) -> str:
        """The message for the copy returned to the sender: what to fix in the sheet, with
        the operator's advice (zsyz options, commands) left out."""
        if self.clerk:
            return self.clerk
        parts = [p for p in _CLAUSE.split(self.message) if not _OPERATOR.search(p)]
        kept = [p.strip("，, ）)") for p in parts]
        return "；".join(p for p in kept if p) or self.message

    def as_dict(self) -> dict[str, object]:
        where = f"工作表「{self.sheet}」：" if self.sheet else ""  # keys stay as the contract
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": where + self.message,
        }

    def __str__(self) -> str:
        where = [f"工作表「{self.sheet}」"] if self.sheet else []
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"「{self.column}」")
        prefix = "".join(where)
        shown = f"（值：{self.value}）" if self.value not in (None, "") else ""
        return f"{prefix}{'：' if prefix else ''}{self.message}{shown}"


@dataclass
class InvalidDataError(BadInputError):
    """Many problems at once: a file refused whole, with every problem listed."""

    summary: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        BadInputError.__init__(self, self.summary)
