"""Thin Typer commands: parse options, call one app use case, hand its value to a renderer;
no SQL and no rules here, heavy imports stay inside command functions."""
