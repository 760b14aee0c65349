"""Working over a whole ledger or a whole report at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The cycle collector off while a province's facts or a 50,000-row report are built:
    millions of young, acyclic objects make every collection re-walk the growing heap,
    which cost as much as the work itself. Reference counting still frees everything."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
