"""Use cases, one module each: open one transaction, call store queries and domain rules,
return the value a command renders; no Typer, no rendering, no SQL of its own."""
