"""Pure rules over plain frozen data: no database, no I/O, no CLI."""
