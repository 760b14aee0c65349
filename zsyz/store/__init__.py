"""Tables, the engine, migrations and queries (sessions passed in); may not import io,
app or cli."""
