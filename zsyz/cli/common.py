"""Options shared by commands, and opening the ledger they name."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from zsyz.store.engine import Ledger
    from zsyz.store.reader import Reader


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@dataclass
class State:
    db: str | None = None


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="台账位置：文件路径（SQLite）或数据库 URL；默认取 ZSYZ_DB，再默认 ./zsyz.db",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="输出格式：table（表格）、json、csv（带 BOM）")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="写入文件而不是标准输出", dir_okay=False)
]
YearOption = Annotated[
    int | None, typer.Option("--year", help="年度，默认今年", min=1990, max=2100)
]


def db_of(ctx: typer.Context, db: str | None) -> str | None:
    """The command's own --db wins over the one given before the command name."""
    if db:
        return db
    state = ctx.find_object(State)
    return state.db if state else None


def ledger(ctx: typer.Context, db: str | None) -> Ledger:
    from zsyz.store.engine import open_ledger

    return open_ledger(db_of(ctx, db))


def reader(ctx: typer.Context, db: str | None) -> Ledger | Reader:
    """The ledger for a READ command, on the bare driver (`store/reader.py`): no ORM or
    SQLAlchemy is imported; same addresses and refusals as `ledger`."""
    from zsyz.store.reader import open_reader

    return open_reader(db_of(ctx, db))  # type: ignore[no-any-return]


def this_year() -> int:
    from datetime import date

    return date.today().year
