"""Renderers: report values and explanation terms into Chinese text; imports only the domain (never app, cli, io, store)."""
