"""Pure rules and vocabularies over frozen dataclasses; imports nothing of ours outside
domain (no store, io, app, cli, errors), no database, no I/O, no CLI."""
