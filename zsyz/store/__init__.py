"""SQLModel tables, the engine, queries; one transaction per use case."""
